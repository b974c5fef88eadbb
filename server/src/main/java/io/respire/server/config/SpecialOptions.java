package io.respire.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The settings with a syntax of their own (Redis's "special configs"): save, bind, dir, replicaof,
 * client-output-buffer-limit, notify-keyspace-events, oom-score-adj-values and
 * latency-tracking-info-percentiles. Each parses, shows and rewrites itself as Redis does and gives
 * the server a typed view of its value; the list-valued ones share {@link ListOption}.
 */
public final class SpecialOptions {
    private SpecialOptions() {
    }

    /**
     * A setting whose value is a list, shown as its elements separated by spaces. CONFIG SET (its
     * value split on spaces) and a config file line (its arguments) replace the whole list with
     * what {@link #parse} makes of the words, or change nothing when one is invalid. CONFIG
     * REWRITE writes the name and the elements, or {@code ""} for an empty list (so that the file
     * does not fall back on the default).
     */
    public abstract static class ListOption<T> extends ConfigOption {
        private final List<T> defaultValue;
        private volatile List<T> values;

        ListOption(String name, List<T> defaultValue) {
            super(name, null, Flag.MULTI_ARG);
            this.defaultValue = defaultValue;
            this.values = defaultValue;
        }

        public List<T> values() {
            return values;
        }

        /** The elements the words stand for; throws IllegalArgumentException with Redis's reason. */
        protected abstract List<T> parse(List<String> words);

        /** How CONFIG GET and CONFIG REWRITE write one element. */
        protected String format(T value) {
            return String.valueOf(value);
        }

        @Override
        public String get() {
            List<T> current = values;
            List<String> words = new ArrayList<>(current.size());
            for (T value : current) {
                words.add(format(value));
            }
            return String.join(" ", words);
        }

        @Override
        protected boolean setMany(List<String> words) {
            return replace(parse(words));
        }

        /** Makes {@code next} the value; returns whether that changed it. */
        protected final boolean replace(List<T> next) {
            List<T> copy = List.copyOf(next);
            boolean changed = !copy.equals(values);
            values = copy;
            return changed;
        }

        @Override
        protected boolean isDefault() {
            return values.equals(defaultValue);
        }

        @Override
        protected List<String> rewriteLines() {
            return List.of(name() + " " + (values.isEmpty() ? "\"\"" : get()));
        }

        /** Redis reads a single empty word (CONFIG SET save "", save "" in a file) as none. */
        static List<String> emptyMeansNone(List<String> words) {
            return words.size() == 1 && words.get(0).isEmpty() ? List.of() : words;
        }
    }

    /** One "save seconds changes" rule: snapshot after that many seconds if that many writes. */
    public record SaveRule(long seconds, int changes) {
    }

    /**
     * save: the snapshot rules. In a config file the first save line replaces the built-in rules and
     * later lines add to it, so that "save 900 1" then "save 300 10" means both, except that
     * {@code save ""} removes every rule read so far (a file's "save 900 1" then --save "" on the
     * command line: none); CONFIG SET replaces.
     */
    public static final class Save extends ListOption<SaveRule> {
        private boolean loading;
        private boolean loadedOnce;

        /**
         * No snapshot rules by default, unlike redis-server's "3600 1 300 100 60 10000": Respire's
         * default is an embedded server that persists nothing unless configured to.
         */
        Save() {
            super("save", List.of());
        }

        /** Between these calls, save lines add to each other (config file reading). */
        void loading(boolean loading) {
            this.loading = loading;
        }

        @Override
        protected List<SaveRule> parse(List<String> words) {
            words = emptyMeansNone(words);
            if (words.size() % 2 != 0) {
                throw new IllegalArgumentException("Invalid save parameters");
            }
            List<SaveRule> rules = new ArrayList<>();
            for (int j = 0; j < words.size(); j += 2) {
                Long seconds = strtoll(words.get(j), 10);
                Long changes = strtoll(words.get(j + 1), 10);
                if (seconds == null || changes == null || seconds < 1 || changes < 0) {
                    throw new IllegalArgumentException("Invalid save parameters");
                }
                rules.add(new SaveRule(seconds, changes.intValue()));
            }
            return rules;
        }

        @Override
        protected boolean setMany(List<String> words) {
            List<SaveRule> parsed = parse(words);
            boolean reset = words.size() == 1 && words.get(0).isEmpty(); // save "": none, even in a file
            List<SaveRule> next = new ArrayList<>();
            if (loading && loadedOnce && !reset) {
                next.addAll(values());
            }
            loadedOnce |= loading;
            next.addAll(parsed);
            return replace(next);
        }

        @Override
        protected String format(SaveRule rule) {
            return rule.seconds() + " " + rule.changes();
        }

        /** One line per rule, as Redis writes them. */
        @Override
        protected List<String> rewriteLines() {
            if (values().isEmpty()) {
                return super.rewriteLines();
            }
            List<String> lines = new ArrayList<>();
            for (SaveRule rule : values()) {
                lines.add(name() + " " + format(rule));
            }
            return lines;
        }

        @Override
        protected boolean rewriteForced() {
            return true;
        }
    }

    /** The output buffer limits of one class of clients; zero means no limit. */
    public record BufferLimit(long hardBytes, long softBytes, long softSeconds) {
    }

    /**
     * client-output-buffer-limit: "class hard soft seconds" for the classes normal, replica (also
     * spelt slave) and pubsub. A value may name some classes only; the others keep their limits.
     */
    public static final class OutputBufferLimits extends ListOption<BufferLimit> {
        /** The classes in Redis's order; the names CONFIG GET uses. */
        public static final List<String> CLASSES = List.of("normal", "slave", "pubsub");
        private static final List<BufferLimit> DEFAULT = List.of(new BufferLimit(0, 0, 0),
                new BufferLimit(256L << 20, 64L << 20, 60), new BufferLimit(32L << 20, 8L << 20, 60));

        OutputBufferLimits() {
            super("client-output-buffer-limit", DEFAULT);
        }

        /** The limits for "normal", "replica"/"slave" or "pubsub". */
        public BufferLimit limit(String clientClass) {
            return values().get(classIndex(clientClass));
        }

        private static int classIndex(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "normal" -> 0;
                case "slave", "replica" -> 1;
                case "pubsub" -> 2;
                default -> -1;
            };
        }

        /** Each class's name and limits, in bytes. */
        @Override
        public String get() {
            List<BufferLimit> limits = values();
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < CLASSES.size(); i++) {
                BufferLimit l = limits.get(i);
                out.append(i == 0 ? "" : " ").append(CLASSES.get(i)).append(' ')
                        .append(Long.toUnsignedString(l.hardBytes())).append(' ')
                        .append(Long.toUnsignedString(l.softBytes())).append(' ').append(l.softSeconds());
            }
            return out.toString();
        }

        /** The current limits with those of the classes the words name replaced. */
        @Override
        protected List<BufferLimit> parse(List<String> words) {
            if (words.size() % 4 != 0) {
                throw new IllegalArgumentException("Wrong number of arguments in buffer limit configuration.");
            }
            List<BufferLimit> next = new ArrayList<>(values());
            for (int j = 0; j < words.size(); j += 4) {
                int index = classIndex(words.get(j));
                if (index < 0) {
                    throw new IllegalArgumentException("Invalid client class specified in buffer limit configuration.");
                }
                Long seconds = strtoll(words.get(j + 3), 10);
                try {
                    long hard = MemoryUnits.parse(words.get(j + 1));
                    long soft = MemoryUnits.parse(words.get(j + 2));
                    if (seconds == null || seconds < 0) {
                        throw new NumberFormatException();
                    }
                    next.set(index, new BufferLimit(hard, soft, seconds));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
                }
            }
            return next;
        }

        @Override
        protected List<String> rewriteLines() {
            List<BufferLimit> limits = values();
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < CLASSES.size(); i++) {
                BufferLimit l = limits.get(i);
                lines.add(name() + " " + (i == 1 ? "replica" : CLASSES.get(i)) + " " + MemoryUnits.format(l.hardBytes())
                        + " " + MemoryUnits.format(l.softBytes()) + " " + l.softSeconds());
            }
            return lines;
        }

        /** Each class's line is forced only when that class differs from its default (as Redis). */
        @Override
        protected List<RewriteLine> rewrite() {
            List<BufferLimit> limits = values();
            List<String> lines = rewriteLines();
            List<RewriteLine> out = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                out.add(new RewriteLine(lines.get(i), !limits.get(i).equals(DEFAULT.get(i))));
            }
            return out;
        }
    }

    /**
     * notify-keyspace-events: which keyspace notifications to publish, as class letters
     * ("Ex", "KA"...). The bits are Redis's NOTIFY_* flags.
     */
    public static final class KeyspaceEvents extends ConfigOption {
        public static final int KEYSPACE = 1;
        public static final int KEYEVENT = 1 << 1;
        public static final int GENERIC = 1 << 2;
        public static final int STRING = 1 << 3;
        public static final int LIST = 1 << 4;
        public static final int SET = 1 << 5;
        public static final int HASH = 1 << 6;
        public static final int ZSET = 1 << 7;
        public static final int EXPIRED = 1 << 8;
        public static final int EVICTED = 1 << 9;
        public static final int STREAM = 1 << 10;
        /** Key misses: left out of "A" on purpose, as in Redis. */
        public static final int KEY_MISS = 1 << 11;
        public static final int MODULE = 1 << 13;
        public static final int NEW = 1 << 14;
        public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;
        /** Letters and bits, in the order CONFIG GET writes them ("A" stands for ALL). */
        private static final String LETTERS = "g$lshzxetdnKEm";
        private static final int TYPE_LETTERS = 11;
        private static final int[] BITS = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE,
                NEW, KEYSPACE, KEYEVENT, KEY_MISS};
        private volatile int flags;

        KeyspaceEvents() {
            super("notify-keyspace-events", null);
        }

        public int flags() {
            return flags;
        }

        /** The bit of an event class letter ('g', '$', 'x'...), 0 for a letter that is not one. */
        public static int bitOf(char letter) {
            int i = LETTERS.indexOf(letter);
            return i < 0 ? 0 : BITS[i];
        }

        /** Whether events of {@code type} (one of the bits) go out on at least one channel kind. */
        public boolean enabled(int type) {
            int f = flags;
            return (f & type) != 0 && (f & (KEYSPACE | KEYEVENT)) != 0;
        }

        @Override
        public String get() {
            int f = flags;
            StringBuilder out = new StringBuilder();
            if ((f & ALL) == ALL) {
                out.append('A');
            }
            for (int i = 0; i < BITS.length; i++) {
                boolean coveredByA = (f & ALL) == ALL && i < TYPE_LETTERS; // with "A", Redis writes no type letter
                if ((f & BITS[i]) != 0 && !coveredByA) {
                    out.append(LETTERS.charAt(i));
                }
            }
            return out.toString();
        }

        @Override
        protected boolean setOne(String text) {
            int parsed = 0;
            for (char c : text.toCharArray()) {
                if (c == 'A') {
                    parsed |= ALL;
                    continue;
                }
                int i = LETTERS.indexOf(c);
                if (i < 0) {
                    throw new IllegalArgumentException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                }
                parsed |= BITS[i];
            }
            boolean changed = parsed != flags;
            flags = parsed;
            return changed;
        }

        @Override
        protected boolean isDefault() {
            return flags == 0;
        }

        @Override
        protected List<String> rewriteLines() {
            return List.of(name() + " " + ConfigRewriter.repr(get()));
        }
    }

    /**
     * bind: the addresses to listen on; a leading "-" marks one that may be unavailable ("*" every
     * IPv4 address, "::*" every IPv6 one). The default is redis-server's compiled-in one, every
     * interface, guarded by protected mode while the default user has no password.
     */
    public static final class Bind extends ListOption<String> {
        static final List<String> DEFAULT = List.of("*", "-::*");
        private static final int MAX_ADDRESSES = 16;

        Bind() {
            super("bind", DEFAULT);
        }

        public List<String> addresses() {
            return values();
        }

        /** The addresses separated by spaces, as CONFIG GET shows them. */
        public String value() {
            return get();
        }

        @Override
        protected List<String> parse(List<String> words) {
            if (words.size() > MAX_ADDRESSES) {
                throw new IllegalArgumentException("Too many bind addresses specified.");
            }
            return emptyMeansNone(words);
        }

        @Override
        protected List<String> rewriteLines() {
            return isDefault() ? List.of() : super.rewriteLines();
        }

        @Override
        protected boolean rewriteForced() {
            return true;
        }
    }

    /** replicaof (alias slaveof): the master this server replicates, or none ("no one"). */
    public static final class ReplicaOf extends ConfigOption {
        private volatile String host;
        private volatile int port;

        ReplicaOf() {
            super("replicaof", "slaveof", Flag.IMMUTABLE, Flag.MULTI_ARG);
        }

        /** The master's host, or null when this server is a master. */
        public String host() {
            return host;
        }

        public int port() {
            return port;
        }

        @Override
        public String get() {
            return host == null ? "" : host + " " + port;
        }

        /**
         * REPLICAOF at run time: the setting follows it (Redis's replicaof is read from masterhost),
         * so that CONFIG GET and CONFIG REWRITE show the primary; null {@code newHost} for none.
         */
        public void follow(String newHost, int newPort) {
            host = newHost;
            port = newPort;
        }

        @Override
        protected boolean setMany(List<String> args) {
            if (args.size() != 2) {
                throw new IllegalArgumentException("wrong number of arguments");
            }
            String oldHost = host;
            int oldPort = port;
            host = null;
            if (args.get(0).equalsIgnoreCase("no") && args.get(1).equalsIgnoreCase("one")) {
                return oldHost != null;
            }
            Long parsed = strtoll(args.get(1), 10);
            if (parsed == null || parsed < 0 || parsed > 65535) {
                throw new IllegalArgumentException("Invalid master port");
            }
            host = args.get(0);
            port = parsed.intValue();
            return !host.equals(oldHost) || port != oldPort;
        }

        @Override
        protected boolean isDefault() {
            return host == null;
        }

        @Override
        protected List<String> rewriteLines() {
            return host == null ? List.of() : List.of(name() + " " + host + " " + port);
        }

        @Override
        protected boolean rewriteForced() {
            return host != null;
        }
    }

    /** oom-score-adj-values: the three oom_score_adj values for master, replica and child processes. */
    public static final class OomScoreAdjValues extends ListOption<Integer> {
        OomScoreAdjValues() {
            super("oom-score-adj-values", List.of(0, 200, 800));
        }

        @Override
        protected List<Integer> parse(List<String> words) {
            if (words.size() != 3) {
                throw new IllegalArgumentException("wrong number of arguments");
            }
            List<Integer> values = new ArrayList<>();
            for (String word : words) {
                Long v = strtoll(word, 10);
                if (v == null || v < -2000 || v > 2000) {
                    throw new IllegalArgumentException(
                            "Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
                }
                values.add(v.intValue());
            }
            return values;
        }
    }

    /** latency-tracking-info-percentiles: the percentiles INFO latencystats reports. */
    public static final class LatencyPercentiles extends ListOption<Double> {
        LatencyPercentiles() {
            super("latency-tracking-info-percentiles", List.of(50.0, 99.0, 99.9));
        }

        @Override
        protected List<Double> parse(List<String> words) {
            List<Double> percentiles = new ArrayList<>();
            for (String word : emptyMeansNone(words)) {
                if (!word.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                    throw new IllegalArgumentException("Invalid latency-tracking-info-percentiles parameters");
                }
                double p = Double.parseDouble(word);
                if (p > 100.0 || p < 0.0) {
                    throw new IllegalArgumentException(
                            "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
                }
                percentiles.add(p);
            }
            return percentiles;
        }

        @Override
        protected String format(Double p) {
            return label(p);
        }

        /** C's "%f" without trailing zeros (Redis's trimDoubleString): 50, 99.9; INFO's "p99.9=" too. */
        public static String label(double p) {
            String s = String.format(Locale.ROOT, "%f", p);
            if (s.indexOf('.') >= 0) {
                s = s.replaceAll("0+$", "");
                if (s.endsWith(".")) {
                    s = s.substring(0, s.length() - 1);
                }
            }
            return s;
        }

        @Override
        protected boolean rewriteForced() {
            return true;
        }
    }

    /**
     * dir: the working directory for the RDB and AOF files. Redis changes the process's working
     * directory; a JVM cannot, so the server resolves its files against this absolute path and a
     * relative value is taken relative to the current one, as chdir would.
     */
    public static final class Dir extends ConfigOption {
        private volatile Path path = Path.of("").toAbsolutePath().normalize();

        Dir() {
            super("dir", null, Flag.PROTECTED, Flag.DENY_LOADING);
        }

        public Path path() {
            return path;
        }

        /** Resolves a file name (an include, the RDB file...) against this directory. */
        public Path resolve(String file) {
            return path.resolve(file);
        }

        @Override
        public String get() {
            return path.toString();
        }

        @Override
        protected boolean setOne(String text) {
            Path next;
            if (text.isEmpty()) {
                throw new IllegalArgumentException("No such file or directory");
            }
            try {
                next = path.resolve(text).toAbsolutePath().normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw new IllegalArgumentException("No such file or directory");
            }
            if (!Files.exists(next)) {
                throw new IllegalArgumentException("No such file or directory");
            }
            if (!Files.isDirectory(next)) {
                throw new IllegalArgumentException("Not a directory");
            }
            boolean changed = !next.equals(path);
            path = next;
            return changed;
        }

        @Override
        protected boolean isDefault() {
            return false;
        }

        @Override
        protected List<String> rewriteLines() {
            return List.of(name() + " " + ConfigRewriter.repr(get()));
        }

        @Override
        protected boolean rewriteForced() {
            return true;
        }
    }

    /**
     * C's strtoll as Redis uses it to read config numbers: leading blanks and a sign are allowed,
     * the whole text must be consumed (so "" reads as 0), and overflow saturates. Null if the text
     * has other characters.
     */
    static Long strtoll(String text, int radix) {
        int i = 0;
        int n = text.length();
        while (i < n && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        int digitsStart = i;
        long value = 0;
        boolean overflow = false;
        while (i < n && Character.digit(text.charAt(i), radix) >= 0 && text.charAt(i) < 128) {
            int d = Character.digit(text.charAt(i), radix);
            if (value > (Long.MAX_VALUE - d) / radix) {
                overflow = true;
            } else {
                value = value * radix + d;
            }
            i++;
        }
        if (i == digitsStart) {
            return n == 0 ? 0L : null; // no digits: strtoll leaves the end pointer at the start
        }
        if (i != n) {
            return null;
        }
        if (overflow) {
            return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return negative ? -value : value;
    }
}
