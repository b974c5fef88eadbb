package io.respire.server;

import io.respire.server.config.ServerConfig;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The server log, in Redis's line format ({@code pid:M 07 Nov 2026 10:00:00.000 * message}) and
 * with its levels: to the {@code logfile}, or standard output when that is empty. Every line is
 * written and flushed at once, so that a reader of the file (Redis's test suite waiting for "Ready
 * to accept connections") sees it as soon as it is logged.
 */
public final class ServerLog {
    /** Redis's verbosity levels, in the order of the loglevel setting's choices. */
    public static final int DEBUG = 0;
    public static final int VERBOSE = 1;
    public static final int NOTICE = 2;
    public static final int WARNING = 3;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ROOT);
    private static final char[] MARKS = {'.', '-', '*', '#'};

    private final ServerConfig config;
    private final long pid = ProcessHandle.current().pid();

    ServerLog(ServerConfig config) {
        this.config = config;
    }

    public void debug(String message) {
        log(DEBUG, message);
    }

    public void verbose(String message) {
        log(VERBOSE, message);
    }

    public void notice(String message) {
        log(NOTICE, message);
    }

    public void warning(String message) {
        log(WARNING, message);
    }

    /** A line of the server proper (role {@code M}, as Redis's main process). */
    public void log(int level, String message) {
        log(level, 'M', message);
    }

    /**
     * A line with Redis's role letter: {@code M} for the server, {@code C} for the lines logged
     * before it is initialised (Redis's pid is not set yet then, so it prints the child letter).
     */
    void log(int level, char role, String message) {
        if (enabled(level)) {
            write(pid + ":" + role + " " + TIME.format(ZonedDateTime.now()) + " " + MARKS[level] + " " + message + "\n");
        }
    }

    /** A line as Redis's signal handlers write it: {@code pid:signal-handler (unix-time) message}. */
    void fromSignalHandler(int level, String message) {
        if (enabled(level)) {
            write(pid + ":signal-handler (" + System.currentTimeMillis() / 1000 + ") " + message + "\n");
        }
    }

    /** Text written as it is, without the line prefix (Redis's LL_RAW: the ASCII logo). */
    void raw(int level, String text) {
        if (enabled(level)) {
            write(text);
        }
    }

    private boolean enabled(int level) {
        return level >= config.loglevel.intValue();
    }

    private void write(String text) {
        String file = config.logfile.value();
        if (file.isEmpty()) {
            synchronized (System.out) {
                System.out.print(text);
                System.out.flush();
            }
            return;
        }
        // Redis opens a relative path from the dir setting, its working directory.
        try (PrintStream out = new PrintStream(new FileOutputStream(config.dir.resolve(file).toFile(), true), false,
                StandardCharsets.UTF_8)) {
            out.print(text); // closing flushes
        } catch (IOException e) {
            System.err.print(text);
        }
    }
}
