package io.respire.protocol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline request into arguments exactly as Redis's sdssplitargs does: blanks separate
 * arguments, "double quotes" take \n \r \t \b \a \xHH escapes, 'single quotes' take \', and a closing
 * quote must be followed by a blank or the end. Like the C original, a NUL byte ends the line.
 */
public final class InlineSplitter {
    private InlineSplitter() {
    }

    /** Returns the arguments, or null for unbalanced quotes. */
    public static byte[][] split(byte[] line) {
        List<byte[]> args = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int p = 0;
        while (true) {
            while (at(line, p) != 0 && isSpace(at(line, p))) {
                p++;
            }
            if (at(line, p) == 0) {
                return args.toArray(new byte[0][]);
            }
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            current.reset();
            while (!done) {
                int c = at(line, p);
                if (inDouble) {
                    if (c == '\\' && at(line, p + 1) == 'x' && isHex(at(line, p + 2)) && isHex(at(line, p + 3))) {
                        current.write(Character.digit(at(line, p + 2), 16) * 16 + Character.digit(at(line, p + 3), 16));
                        p += 3;
                    } else if (c == '\\' && at(line, p + 1) != 0) {
                        p++;
                        current.write(unescape(at(line, p)));
                    } else if (c == '"') {
                        if (at(line, p + 1) != 0 && !isSpace(at(line, p + 1))) {
                            return null;
                        }
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        current.write(c);
                    }
                } else if (inSingle) {
                    if (c == '\\' && at(line, p + 1) == '\'') {
                        p++;
                        current.write('\'');
                    } else if (c == '\'') {
                        if (at(line, p + 1) != 0 && !isSpace(at(line, p + 1))) {
                            return null;
                        }
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        current.write(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> current.write(c);
                    }
                }
                if (at(line, p) != 0) {
                    p++;
                }
            }
            args.add(current.toByteArray());
        }
    }

    private static int at(byte[] line, int i) {
        return i < line.length ? line[i] & 0xff : 0;
    }

    private static int unescape(int c) {
        return switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> c;
        };
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    private static boolean isHex(int c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }

    /**
     * The inverse of {@link #split} for one argument: {@code s} (bytes as ISO-8859-1 chars) in
     * double quotes with C escapes, as Redis's sdscatrepr writes it.
     */
    public static String repr(String s) {
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder(bytes.length + 2);
        repr(out, bytes, 0, bytes.length);
        return out.toString();
    }

    /**
     * Redis's sdscatrepr: appends {@code length} bytes of {@code b} from {@code offset} in double
     * quotes with C escapes (the form MONITOR, CLIENT LIST's overflow log, the Lua debugger and
     * CONFIG REWRITE show binary data in).
     */
    public static void repr(StringBuilder out, byte[] b, int offset, int length) {
        out.append('"');
        for (int i = offset; i < offset + length; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '\\', '"' -> out.append('\\').append((char) c);
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        out.append((char) c);
                    } else {
                        out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * Whether {@code s} must be written with {@link #repr} to split back to itself (Redis's
     * sdsneedsrepr): it has a quote, a backslash, a blank or a byte that is not printable.
     */
    public static boolean needsRepr(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '"' || c < 0x21 || c > 0x7e) {
                return true;
            }
        }
        return false;
    }

    /** {@code s} without blanks, tabs, CR and LF at either end (Redis's sdstrim with " \t\r\n"). */
    public static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && " \t\r\n".indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && " \t\r\n".indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(start, end);
    }
}
