package io.respire.server.command;

import io.respire.ds.util.Numbers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Finds the key arguments of a command line, as Redis's getKeysFromCommandWithSpecs: the key specs
 * first; when they cannot say (an unknown or incomplete spec, flags that depend on the arguments),
 * the command's own key function, named in its specification (sortGetKeys...). Used by COMMAND
 * GETKEYS and by anything that must know which keys a command touches.
 */
public final class KeyFinder {
    /** One key argument: its position in argv and its key-spec flags (RW, ACCESS...; may be empty). */
    public record KeyRef(int position, List<String> flags) {
    }

    private static final List<String> NO_FLAGS = List.of();

    /** Redis's getkeys_proc functions, by the name the specifications give them. */
    private static final Map<String, Function<byte[][], List<KeyRef>>> KEY_FUNCTIONS = Map.ofEntries(
            Map.entry("sintercardGetKeys", argv -> numberedKeys(0, 1, 2, argv)),
            Map.entry("zunionInterDiffStoreGetKeys", argv -> numberedKeys(1, 2, 3, argv)),
            Map.entry("zunionInterDiffGetKeys", argv -> numberedKeys(0, 1, 2, argv)),
            Map.entry("evalGetKeys", argv -> numberedKeys(0, 2, 3, argv)),
            Map.entry("functionGetKeys", argv -> numberedKeys(0, 2, 3, argv)),
            Map.entry("lmpopGetKeys", argv -> numberedKeys(0, 1, 2, argv)),
            Map.entry("blmpopGetKeys", argv -> numberedKeys(0, 2, 3, argv)),
            Map.entry("zmpopGetKeys", argv -> numberedKeys(0, 1, 2, argv)),
            Map.entry("bzmpopGetKeys", argv -> numberedKeys(0, 2, 3, argv)),
            Map.entry("sortROGetKeys", argv -> List.of(new KeyRef(1, List.of("RO", "ACCESS")))),
            Map.entry("sortGetKeys", KeyFinder::sortKeys),
            Map.entry("migrateGetKeys", KeyFinder::migrateKeys),
            Map.entry("georadiusGetKeys", KeyFinder::georadiusKeys),
            Map.entry("xreadGetKeys", KeyFinder::xreadKeys),
            Map.entry("setGetKeys", KeyFinder::setKeys),
            Map.entry("bitfieldGetKeys", KeyFinder::bitfieldKeys));

    private KeyFinder() {
    }

    /** Whether the command can have keys at all (Redis's doesCommandHaveKeys). */
    public static boolean hasKeys(CommandSpec cmd) {
        return cmd.keysFunction() != null || cmd.keySpecsNameKeys();
    }

    /**
     * The keys of {@code argv} (argv[0] the command name, argv[1] the subcommand if any); empty if
     * the command has none or the arguments are malformed. The arity must already be checked.
     */
    public static List<KeyRef> find(CommandSpec cmd, byte[][] argv) {
        List<KeyRef> fixed = cmd.fixedKey();
        if (fixed != null && fixed.get(0).position() < argv.length) {
            return fixed; // what fromSpecs would find, without building it per call
        }
        if (cmd.keySpecsNameKeys() && !cmd.variableKeyFlags()) {
            List<KeyRef> keys = fromSpecs(cmd, argv);
            if (keys != null) {
                return keys;
            }
        }
        Function<byte[][], List<KeyRef>> function = cmd.keysFunction() == null ? null : KEY_FUNCTIONS.get(cmd.keysFunction());
        return function == null ? List.of() : function.apply(argv);
    }

    /**
     * The one key a command's specs always name, when they name exactly one at a fixed index
     * (INDEX begin, a RANGE of one key, flags that do not vary, not INCOMPLETE), as a list that
     * can be returned for every call; null otherwise.
     */
    static List<KeyRef> fixedKey(List<KeySpec> specs) {
        KeySpec only = null;
        for (KeySpec spec : specs) {
            if (spec.has("NOT_KEY")) {
                continue;
            }
            if (only != null) {
                return null;
            }
            only = spec;
        }
        if (only == null || only.begin() != KeySpec.BeginSearch.INDEX || only.find() != KeySpec.FindKeys.RANGE
                || only.lastKey() != 0 || only.has("VARIABLE_FLAGS") || only.has("INCOMPLETE")) {
            return null;
        }
        return List.of(new KeyRef(only.beginIndex(), only.flags()));
    }

    /** Redis's getKeysUsingKeySpecs; null when a spec cannot be followed (unknown, incomplete, bad count). */
    static List<KeyRef> fromSpecs(CommandSpec cmd, byte[][] argv) {
        int argc = argv.length;
        List<KeyRef> keys = new ArrayList<>();
        for (KeySpec spec : cmd.keySpecs()) {
            if (spec.has("NOT_KEY")) {
                continue;
            }
            int first = 0;
            switch (spec.begin()) {
                case INDEX -> first = spec.beginIndex();
                case KEYWORD -> {
                    first = keywordEnd(spec, argv);
                    if (first == 0) {
                        continue; // keyword absent: this spec has no keys here
                    }
                }
                case UNKNOWN -> {
                    return null;
                }
            }
            int last;
            int step;
            if (spec.find() == KeySpec.FindKeys.RANGE) {
                step = spec.keyStep();
                if (spec.lastKey() >= 0) {
                    last = first + spec.lastKey();
                } else if (spec.limit() == 0) {
                    last = argc + spec.lastKey();
                } else {
                    last = first + ((argc - first) / spec.limit() + spec.lastKey());
                }
            } else if (spec.find() == KeySpec.FindKeys.KEYNUM) {
                step = spec.keyStep();
                int countAt = first + spec.keyNumIndex();
                if (spec.keyNumIndex() >= argc || countAt >= argc) {
                    return null;
                }
                long[] count = new long[1];
                if (!Numbers.parseLong(argv[countAt], 0, argv[countAt].length, count) || count[0] < 0) {
                    return null;
                }
                first += spec.firstKey();
                last = first + (int) count[0] - 1;
            } else {
                return null;
            }
            if (last >= argc || last < first || first >= argc) {
                return null;
            }
            for (int i = first; i <= last; i += step) {
                keys.add(new KeyRef(i, spec.flags()));
            }
            if (spec.has("INCOMPLETE")) {
                return null;
            }
        }
        return keys;
    }

    /** The position after the spec's keyword, searched as Redis does (the end index itself excluded), or 0. */
    private static int keywordEnd(KeySpec spec, byte[][] argv) {
        int argc = argv.length;
        int from = spec.keywordStartFrom();
        int start = from > 0 ? from : argc + from;
        int end = from > 0 ? argc - 1 : 1;
        for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
            if (i >= argc || i < 1) {
                break;
            }
            if (is(argv[i], spec.beginKeyword())) {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * Redis's genericGetKeys: COMMAND [destkey] numkeys key [key ...] ...; no keys if the count is
     * not a positive number that fits the arguments. The store key, if any, comes last.
     */
    private static List<KeyRef> numberedKeys(int storeAt, int countAt, int firstAt, byte[][] argv) {
        long num = atoi(argv[countAt]);
        if (num < 1 || num > argv.length - firstAt) {
            return List.of();
        }
        List<KeyRef> keys = new ArrayList<>();
        for (int i = 0; i < num; i++) {
            keys.add(new KeyRef(firstAt + i, NO_FLAGS));
        }
        if (storeAt != 0) {
            keys.add(new KeyRef(storeAt, NO_FLAGS));
        }
        return keys;
    }

    /** SORT key [BY p] [LIMIT o c] [GET p ...] [STORE dest]: the key, and the last STORE target. */
    private static List<KeyRef> sortKeys(byte[][] argv) {
        List<KeyRef> keys = new ArrayList<>();
        keys.add(new KeyRef(1, List.of("RO", "ACCESS")));
        KeyRef store = null;
        for (int i = 2; i < argv.length; i++) {
            if (is(argv[i], "limit")) {
                i += 2;
            } else if (is(argv[i], "store") && i + 1 < argv.length) {
                // The store key is looked at again as an option word, as in Redis.
                store = new KeyRef(i + 1, List.of("OW", "UPDATE"));
            } else if (is(argv[i], "get") || is(argv[i], "by")) {
                i += 1;
            }
        }
        if (store != null) {
            keys.add(store);
        }
        return keys;
    }

    /** MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS key ...]. */
    private static List<KeyRef> migrateKeys(byte[][] argv) {
        int first = 3;
        int num = 1;
        if (argv.length > 6) {
            for (int i = 6; i < argv.length; i++) {
                if (is(argv[i], "keys")) {
                    if (argv[3].length > 0) {
                        num = 0; // a key and KEYS together: MIGRATE reports the syntax error
                    } else {
                        first = i + 1;
                        num = argv.length - first;
                    }
                    break;
                }
                if (is(argv[i], "auth")) {
                    i += 1;
                } else if (is(argv[i], "auth2")) {
                    i += 2;
                }
            }
        }
        List<KeyRef> keys = new ArrayList<>();
        for (int i = 0; i < num; i++) {
            keys.add(new KeyRef(first + i, List.of("RW", "ACCESS", "DELETE")));
        }
        return keys;
    }

    /** GEORADIUS[BYMEMBER] key ... [STORE key] [STOREDIST key]: the key and the last store target. */
    private static List<KeyRef> georadiusKeys(byte[][] argv) {
        int stored = -1;
        for (int i = 5; i < argv.length; i++) {
            if ((is(argv[i], "store") || is(argv[i], "storedist")) && i + 1 < argv.length) {
                stored = i + 1;
                i++;
            }
        }
        List<KeyRef> keys = new ArrayList<>();
        keys.add(new KeyRef(1, NO_FLAGS));
        if (stored != -1) {
            keys.add(new KeyRef(stored, NO_FLAGS));
        }
        return keys;
    }

    /** XREAD[GROUP] [options] STREAMS key ... id ...: the first half of what follows STREAMS. */
    private static List<KeyRef> xreadKeys(byte[][] argv) {
        int streamsAt = -1;
        for (int i = 1; i < argv.length; i++) {
            if (is(argv[i], "block") || is(argv[i], "count")) {
                i++;
            } else if (is(argv[i], "group")) {
                i += 2;
            } else if (is(argv[i], "noack")) {
                continue;
            } else {
                if (is(argv[i], "streams")) {
                    streamsAt = i;
                }
                break;
            }
        }
        int num = streamsAt == -1 ? 0 : argv.length - streamsAt - 1;
        if (streamsAt == -1 || num == 0 || num % 2 != 0) {
            return List.of();
        }
        List<KeyRef> keys = new ArrayList<>();
        for (int i = streamsAt + 1; i < argv.length - num / 2; i++) {
            keys.add(new KeyRef(i, NO_FLAGS));
        }
        return keys;
    }

    /** SET's key with GET (read, then written) and without (only written): made once, asked per SET under ACL. */
    private static final List<KeyRef> SET_GET_KEY = List.of(new KeyRef(1, List.of("RW", "ACCESS", "UPDATE")));
    private static final List<KeyRef> SET_KEY = List.of(new KeyRef(1, List.of("OW", "UPDATE")));

    /** SET key value [...GET...]: with GET the key is also read. */
    private static List<KeyRef> setKeys(byte[][] argv) {
        for (int i = 3; i < argv.length; i++) {
            if (is(argv[i], "get")) {
                return SET_GET_KEY;
            }
        }
        return SET_KEY;
    }

    /** BITFIELD key [GET ...] [SET ...] [INCRBY ...] [OVERFLOW ...]: read-only if it only GETs. */
    private static List<KeyRef> bitfieldKeys(byte[][] argv) {
        boolean readonly = true;
        for (int i = 2; i < argv.length; i++) {
            int remaining = argv.length - i - 1;
            if (is(argv[i], "get") && remaining >= 2) {
                i += 2;
            } else if ((is(argv[i], "set") || is(argv[i], "incrby")) && remaining >= 3) {
                readonly = false;
                break;
            } else if (is(argv[i], "overflow") && remaining >= 1) {
                i += 1;
            } else {
                readonly = false; // a syntax error: safer to assume a write
                break;
            }
        }
        return List.of(new KeyRef(1, readonly ? List.of("RO", "ACCESS") : List.of("RW", "ACCESS", "UPDATE")));
    }

    private static boolean is(byte[] arg, String word) {
        return arg.length == word.length() && new String(arg, StandardCharsets.ISO_8859_1).equalsIgnoreCase(word);
    }

    /** C's atoi: optional blanks and sign, then digits up to the first other character. */
    private static long atoi(byte[] s) {
        int i = 0;
        while (i < s.length && Character.isWhitespace(s[i])) {
            i++;
        }
        boolean negative = i < s.length && s[i] == '-';
        if (i < s.length && (s[i] == '-' || s[i] == '+')) {
            i++;
        }
        long v = 0;
        while (i < s.length && s[i] >= '0' && s[i] <= '9' && v < Integer.MAX_VALUE) {
            v = v * 10 + (s[i++] - '0');
        }
        return negative ? -v : v;
    }
}
