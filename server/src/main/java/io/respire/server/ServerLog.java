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
 * The server log, in Redis's line format ({@code pid:M 27 Nov 2026 10:00:00.000 * message}) and
 * with its levels: to the {@code logfile}, or standard output when that is empty.
 */
public final class ServerLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss.SSS", Locale.ROOT);
    private static final String[] LEVELS = {"debug", "verbose", "notice", "warning"};
    private static final char[] MARKS = {'.', '-', '*', '#'};

    private final ServerConfig config;
    private final long pid = ProcessHandle.current().pid();

    ServerLog(ServerConfig config) {
        this.config = config;
    }

    public void debug(String message) {
        log(0, message);
    }

    public void verbose(String message) {
        log(1, message);
    }

    public void notice(String message) {
        log(2, message);
    }

    public void warning(String message) {
        log(3, message);
    }

    private void log(int level, String message) {
        String configured = config.loglevel.value();
        int threshold = java.util.Arrays.asList(LEVELS).indexOf(configured);
        if (threshold < 0 || level < threshold) {
            return; // "nothing", or below the configured level
        }
        String line = pid + ":M " + TIME.format(ZonedDateTime.now()) + " " + MARKS[level] + " " + message;
        String file = config.logfile.value();
        if (file.isEmpty()) {
            System.out.println(line);
            return;
        }
        try (PrintStream out = new PrintStream(new FileOutputStream(file, true), true, StandardCharsets.UTF_8)) {
            out.println(line);
        } catch (IOException e) {
            System.err.println(line);
        }
    }
}
