package io.respire.scripting;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The flags a script or function declares (Redis's SCRIPT_FLAG_*): in an EVAL script's shebang line
 * ({@code #!lua flags=no-writes,allow-oom}) or in {@code redis.register_function}'s flags. A script
 * without a shebang runs in the compatibility mode of earlier versions ({@link #EVAL_COMPAT_MODE}),
 * where the commands it calls decide what it may do.
 */
public final class ScriptFlags {
    public static final int NO_WRITES = 1;
    public static final int ALLOW_OOM = 1 << 1;
    public static final int ALLOW_STALE = 1 << 2;
    public static final int NO_CLUSTER = 1 << 3;
    /** No shebang: EVAL as before 7.0. Not a flag a script can name. */
    public static final int EVAL_COMPAT_MODE = 1 << 4;
    public static final int ALLOW_CROSS_SLOT = 1 << 5;

    /** The flags scripts can name, in Redis's order (FUNCTION LIST shows them so). */
    private static final String[] NAMES = {"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"};
    private static final int[] BITS = {NO_WRITES, ALLOW_OOM, ALLOW_STALE, NO_CLUSTER, ALLOW_CROSS_SLOT};

    private ScriptFlags() {
    }

    /** The bit of a flag's name, or 0 if scripts have no such flag. */
    public static int bit(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return BITS[i];
            }
        }
        return 0;
    }

    /** The bit of a flag's name in any case (register_function compares with strcasecmp), or 0. */
    public static int bitIgnoreCase(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equalsIgnoreCase(name)) {
                return BITS[i];
            }
        }
        return 0;
    }

    /** The names of the flags set in {@code flags}, in Redis's order. */
    public static List<String> names(int flags) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if ((flags & BITS[i]) != 0) {
                names.add(NAMES[i]);
            }
        }
        return names;
    }

    /** A script body's flags and the length of its shebang line (0 without one). */
    public record Shebang(int flags, int length) {
    }

    /**
     * Redis's evalExtractShebangFlags: the flags of {@code body}'s {@code #!lua} line, or
     * {@link #EVAL_COMPAT_MODE} without one.
     *
     * @throws ScriptException with Redis's text for a bad shebang
     */
    public static Shebang parseShebang(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return new Shebang(EVAL_COMPAT_MODE, 0);
        }
        int end = indexOf(body, (byte) '\n');
        if (end < 0) {
            throw new ScriptException("Invalid script shebang");
        }
        List<String> parts = splitArgs(new String(body, 0, end, StandardCharsets.ISO_8859_1));
        if (parts == null || parts.isEmpty()) {
            throw new ScriptException("Invalid engine in script shebang");
        }
        if (!parts.get(0).equals("#!lua")) {
            throw new ScriptException("Unexpected engine in script shebang: " + parts.get(0));
        }
        int flags = 0;
        for (String part : parts.subList(1, parts.size())) {
            if (!part.startsWith("flags=")) {
                throw new ScriptException("Unknown lua shebang option: " + part);
            }
            String list = part.substring(6);
            if (list.isEmpty()) {
                continue; // "flags=" declares no flags (and leaves compatibility mode)
            }
            for (String name : list.split(",", -1)) {
                int bit = bit(name);
                if (bit == 0) {
                    throw new ScriptException("Unexpected flag in script shebang: " + name);
                }
                flags |= bit;
            }
        }
        return new Shebang(flags, end);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Redis's sdssplitargs, as far as a shebang line needs it: words separated by blanks, with
     * double or single quotes grouping. Returns null for unbalanced quotes.
     */
    static List<String> splitArgs(String line) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return words;
            }
            StringBuilder word = new StringBuilder();
            char quote = 0;
            while (i < n) {
                char ch = line.charAt(i);
                if (quote != 0) {
                    if (ch == '\\' && quote == '"' && i + 1 < n) {
                        word.append(line.charAt(++i));
                    } else if (ch == quote) {
                        quote = 0;
                        if (i + 1 < n && !Character.isWhitespace(line.charAt(i + 1))) {
                            return null; // a closing quote must be followed by a blank
                        }
                    } else {
                        word.append(ch);
                    }
                } else if (Character.isWhitespace(ch)) {
                    break;
                } else if (ch == '"' || ch == '\'') {
                    quote = ch;
                } else {
                    word.append(ch);
                }
                i++;
            }
            if (quote != 0) {
                return null;
            }
            words.add(word.toString());
        }
    }
}
