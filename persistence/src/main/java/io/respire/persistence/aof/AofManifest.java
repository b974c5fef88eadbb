package io.respire.persistence.aof;

import io.respire.protocol.InlineSplitter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest of a Redis 7.0 multi-part AOF (aof.c's aofManifest): which files make the AOF,
 * as lines {@code file <name> seq <n> type <b|h|i>}. One base file (the snapshot of the last
 * rewrite), the history files a rewrite left behind (deleted once the new manifest is on disk),
 * and the incremental files, in order, whose commands follow the base.
 *
 * <p>A manifest is changed as Redis changes it: on a copy, which replaces the current one only
 * once it is persisted. Names follow Redis's rules ({@link #baseName}, {@link #incrName}).
 */
public final class AofManifest {
    public static final char BASE = 'b';
    public static final char HISTORY = 'h';
    public static final char INCR = 'i';

    /** Redis's MANIFEST_MAX_LINE: fgets reads lines in pieces of this many bytes. */
    private static final int MAX_LINE = 1024;

    /** One file of the AOF. */
    public record Entry(String name, long seq, char type) {
        Entry withType(char newType) {
            return new Entry(name, seq, newType);
        }
    }

    private Entry base;
    private final List<Entry> history = new ArrayList<>();
    private final List<Entry> incrs = new ArrayList<>();
    private long baseSeq;
    private long incrSeq;

    public AofManifest() {
    }

    /**
     * The manifest of an AOF from before Redis 7 (aofUpgradePrepare): the old single file
     * {@code name} becomes the base, with sequence 1.
     */
    public static AofManifest upgradedFrom(String name) {
        AofManifest m = new AofManifest();
        m.base = new Entry(name, 1, BASE);
        m.baseSeq = 1;
        return m;
    }

    public AofManifest copy() {
        AofManifest m = new AofManifest();
        m.base = base;
        m.history.addAll(history);
        m.incrs.addAll(incrs);
        m.baseSeq = baseSeq;
        m.incrSeq = incrSeq;
        return m;
    }

    public Entry base() {
        return base;
    }

    public List<Entry> history() {
        return List.copyOf(history);
    }

    public List<Entry> incrs() {
        return List.copyOf(incrs);
    }

    /** Whether the manifest names no base and no incremental file (nothing to load). */
    public boolean isEmpty() {
        return base == null && incrs.isEmpty();
    }

    // ---- Names (Redis's naming rules)

    /** {@code <appendfilename>.<seq>.base.rdb}, or {@code .base.aof} for a base of commands. */
    public static String baseName(String prefix, long seq, boolean rdb) {
        return prefix + "." + seq + ".base" + (rdb ? ".rdb" : ".aof");
    }

    /** {@code <appendfilename>.<seq>.incr.aof}. */
    public static String incrName(String prefix, long seq) {
        return prefix + "." + seq + ".incr.aof";
    }

    public static String manifestName(String prefix) {
        return prefix + ".manifest";
    }

    /** Where the manifest is written before it is renamed over the real one. */
    public static String tempManifestName(String prefix) {
        return "temp-" + prefix + ".manifest";
    }

    /** The incremental file of a rewrite started while the AOF was off (Redis's getTempIncrAofName). */
    public static String tempIncrName(String prefix) {
        return "temp-" + prefix + ".incr";
    }

    // ---- Changes (on a copy, persisted before it replaces the current manifest)

    /**
     * A new base file name with the next base sequence; the previous base becomes history
     * (getNewBaseFileNameAndMarkPreAsHistory).
     */
    public String newBase(String prefix, boolean rdb) {
        if (base != null) {
            history.add(0, base.withType(HISTORY));
        }
        base = new Entry(baseName(prefix, ++baseSeq, rdb), baseSeq, BASE);
        return base.name();
    }

    /** A new incremental file, last in the list (getNewIncrAofName). */
    public String newIncr(String prefix) {
        Entry e = new Entry(incrName(prefix, ++incrSeq), incrSeq, INCR);
        incrs.add(e);
        return e.name();
    }

    /** The last incremental file, or a new one if there is none (getLastIncrAofName). */
    public String lastIncr(String prefix) {
        return incrs.isEmpty() ? newIncr(prefix) : incrs.get(incrs.size() - 1).name();
    }

    /**
     * After a rewrite: the incremental files it covered become history (markRewrittenIncrAofAsHistory),
     * all of them but the last when {@code keepLast} (the AOF is on and writes to it).
     */
    public void markRewrittenIncrsAsHistory(boolean keepLast) {
        int keep = keepLast && !incrs.isEmpty() ? 1 : 0;
        while (incrs.size() > keep) {
            history.add(0, incrs.remove(incrs.size() - 1 - keep).withType(HISTORY));
        }
    }

    /** Forgets the history files (once they are deleted). */
    public void clearHistory() {
        history.clear();
    }

    // ---- Text

    /** The manifest's text (getAofManifestAsString): base, then history, then incremental files. */
    public String format() {
        StringBuilder out = new StringBuilder();
        List<Entry> all = new ArrayList<>();
        if (base != null) {
            all.add(base);
        }
        all.addAll(history);
        all.addAll(incrs);
        for (Entry e : all) {
            String name = InlineSplitter.needsRepr(e.name()) ? InlineSplitter.repr(e.name()) : e.name();
            out.append("file ").append(name).append(" seq ").append(e.seq()).append(" type ").append(e.type()).append('\n');
        }
        return out.toString();
    }

    /**
     * Reads a manifest as Redis's aofLoadManifestFromFile does, with its checks and its error
     * texts: every line needs a newline (a line longer than 1024 bytes is refused), lines starting
     * with '#' are comments, keywords are case-insensitive and unknown keyword pairs are ignored.
     */
    public static AofManifest parse(byte[] content) {
        AofManifest m = new AofManifest();
        long maxIncrSeq = 0;
        int lineNumber = 0;
        int p = 0;
        while (p < content.length) {
            int end = p;
            while (end < content.length && end - p < MAX_LINE && content[end] != '\n') {
                end++;
            }
            boolean newline = end < content.length && content[end] == '\n';
            String raw = new String(content, p, end - p, StandardCharsets.ISO_8859_1);
            p = newline ? end + 1 : end;
            lineNumber++;
            if (raw.startsWith("#")) {
                continue;
            }
            String line = InlineSplitter.trim(raw);
            if (!newline) {
                throw new AofManifestException("The AOF manifest file contains too long line", lineNumber, line);
            }
            Entry e = entry(line, lineNumber);
            switch (e.type()) {
                case BASE -> {
                    if (m.base != null) {
                        throw new AofManifestException("Found duplicate base file information", lineNumber, line);
                    }
                    m.base = e;
                    m.baseSeq = e.seq();
                }
                case HISTORY -> m.history.add(e);
                case INCR -> {
                    if (e.seq() <= maxIncrSeq) {
                        throw new AofManifestException("Found a non-monotonic sequence number", lineNumber, line);
                    }
                    m.incrs.add(e);
                    m.incrSeq = e.seq();
                    maxIncrSeq = e.seq();
                }
                default -> throw new AofManifestException("Unknown AOF file type", lineNumber, line);
            }
        }
        if (lineNumber == 0) {
            throw new AofManifestException("Found an empty AOF manifest", 0, null);
        }
        return m;
    }

    private static Entry entry(String line, int lineNumber) {
        AofManifestException invalid = new AofManifestException("Invalid AOF manifest file format", lineNumber, line);
        if (line.isEmpty()) {
            throw invalid;
        }
        byte[][] argv = InlineSplitter.split(line.getBytes(StandardCharsets.ISO_8859_1));
        // 'argc < 6' in Redis: more pairs are allowed, for forward compatibility.
        if (argv == null || argv.length < 6 || argv.length % 2 != 0) {
            throw invalid;
        }
        String name = null;
        long seq = 0;
        char type = 0;
        for (int i = 0; i < argv.length; i += 2) {
            String key = new String(argv[i], StandardCharsets.ISO_8859_1);
            String value = new String(argv[i + 1], StandardCharsets.ISO_8859_1);
            if (key.equalsIgnoreCase("file")) {
                if (value.indexOf('/') >= 0 || value.indexOf('\\') >= 0) {
                    throw new AofManifestException("File can't be a path, just a filename", lineNumber, line);
                }
                name = value;
            } else if (key.equalsIgnoreCase("seq")) {
                seq = atoll(value);
            } else if (key.equalsIgnoreCase("type")) {
                type = value.isEmpty() ? 0 : value.charAt(0);
            }
        }
        if (name == null || seq == 0 || type == 0) {
            throw invalid;
        }
        return new Entry(name, seq, type);
    }

    /** C's atoll: optional blanks and sign, then digits up to the first other character; 0 if none. */
    static long atoll(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        for (; i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return negative ? -v : v;
    }
}
