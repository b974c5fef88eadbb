package io.respire.server.observability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The slow log (Redis's slowlog.c): the latest {@code slowlog-max-len} commands that ran for at
 * least {@code slowlog-log-slower-than} microseconds, newest first. Entries keep a trimmed copy of
 * the arguments (never the client's own arrays, which a later command may reuse), so that a huge
 * command cannot make the log huge. Executor thread only.
 */
public final class Slowlog {
    /** Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING. */
    static final int MAX_ARGC = 32;
    static final int MAX_STRING = 128;

    /** One logged command, as SLOWLOG GET shows it. */
    public record Entry(long id, long timeSeconds, long durationMicros, byte[][] argv, String peer, String name) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    /** Adds an entry, newest first, then drops the oldest beyond {@code maxLen} (slowlogPushEntryIfNeeded). */
    public void push(long maxLen, byte[][] argv, long durationMicros, long nowSeconds, String peer, String name) {
        entries.addFirst(new Entry(nextId++, nowSeconds, durationMicros, trim(argv), peer, name));
        trimTo(maxLen);
    }

    /** Drops the oldest entries beyond {@code maxLen}. */
    public void trimTo(long maxLen) {
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    /** The arguments as logged: at most 32 (the last saying how many more), each at most 128 bytes. */
    static byte[][] trim(byte[][] argv) {
        int argc = Math.min(argv.length, MAX_ARGC);
        byte[][] kept = new byte[argc][];
        for (int j = 0; j < argc; j++) {
            if (argc != argv.length && j == argc - 1) {
                kept[j] = ascii("... (" + (argv.length - argc + 1) + " more arguments)");
            } else if (argv[j].length > MAX_STRING) {
                byte[] suffix = ascii("... (" + (argv[j].length - MAX_STRING) + " more bytes)");
                kept[j] = Arrays.copyOf(argv[j], MAX_STRING + suffix.length);
                System.arraycopy(suffix, 0, kept[j], MAX_STRING, suffix.length);
            } else {
                kept[j] = argv[j].clone();
            }
        }
        return kept;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The newest {@code count} entries (all of them if {@code count} is -1), newest first. */
    public List<Entry> latest(long count) {
        long n = count == -1 ? entries.size() : Math.min(count, entries.size());
        List<Entry> out = new ArrayList<>((int) n);
        Iterator<Entry> it = entries.iterator();
        while (out.size() < n) {
            out.add(it.next());
        }
        return out;
    }

    public int size() {
        return entries.size();
    }

    /** SLOWLOG RESET: the entries go; ids keep counting, as Redis's. */
    public void reset() {
        entries.clear();
    }
}
