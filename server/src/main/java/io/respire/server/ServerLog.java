package io.respire.server;

import io.respire.server.config.ServerConfig;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.TimeZone;

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

    private static final char[] MARKS = {'.', '-', '*', '#'};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

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
            StringBuilder line = new StringBuilder(48 + message.length()).append(pid).append(':').append(role).append(' ');
            appendTime(line, System.currentTimeMillis());
            write(line.append(' ').append(MARKS[level]).append(' ').append(message).append('\n').toString());
        }
    }

    /**
     * Local time as Redis's "%d %b %Y %H:%M:%S." plus milliseconds: "07 Nov 2026 10:00:00.000".
     * Written by hand (String concatenation and java.time formatting cost a JVM's start 100 ms
     * the first time they run, and the first lines are logged while starting).
     */
    static void appendTime(StringBuilder out, long epochMs) {
        long local = epochMs + TimeZone.getDefault().getOffset(epochMs);
        long days = Math.floorDiv(local, 86_400_000L);
        long msOfDay = Math.floorMod(local, 86_400_000L);
        // Civil date from days since 1970-01-01 (Howard Hinnant's days_from_civil, inverted).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        pad(out, day, 2).append(' ').append(MONTHS[(int) month - 1]).append(' ').append(year).append(' ');
        pad(out, msOfDay / 3_600_000, 2).append(':');
        pad(out, msOfDay / 60_000 % 60, 2).append(':');
        pad(out, msOfDay / 1000 % 60, 2).append('.');
        pad(out, msOfDay % 1000, 3);
    }

    private static StringBuilder pad(StringBuilder out, long value, int width) {
        for (long limit = 10; width > 1; width--, limit *= 10) {
            if (value < limit) {
                out.append('0');
            }
        }
        return out.append(value);
    }

    /** A line as Redis's signal handlers write it: {@code pid:signal-handler (unix-time) message}. */
    void fromSignalHandler(int level, String message) {
        if (enabled(level)) {
            write(new StringBuilder().append(pid).append(":signal-handler (").append(System.currentTimeMillis() / 1000)
                    .append(") ").append(message).append('\n').toString());
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
