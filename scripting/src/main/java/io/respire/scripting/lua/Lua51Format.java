package io.respire.scripting.lua;

import io.respire.scripting.lib.CNumbers;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayOutputStream;

/**
 * string.format as Lua 5.1's str_format, which hands each item to C's sprintf: flags
 * ({@code -+ #0}), width and precision of at most two digits, and the conversions
 * {@code c d i o u x X e E f g G q s}. LuaJ 3.0.1 ignores width and precision and prints floating
 * point conversions with Java's Double.toString ({@code %.2f} of 3.14159 gave "3.14159"). The
 * digits of numbers come from {@link CNumbers} (glibc's printf and x86's double-to-integer casts);
 * this adds the flags, width and precision around them.
 */
final class Lua51Format extends VarArgFunction {
    private static final String FLAGS = "-+ #0";

    @Override
    public Varargs invoke(Varargs args) {
        LuaString format = Lua51Args.checkString(args, 1, "format");
        int top = args.narg();
        int arg = 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(format.m_length + 16);
        byte[] f = format.m_bytes;
        int i = format.m_offset;
        int end = format.m_offset + format.m_length;
        while (i < end) {
            byte c = f[i++];
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (i < end && f[i] == '%') {
                out.write('%');
                i++;
                continue;
            }
            if (++arg > top) {
                throw new LuaError(Lua51Args.argError(arg, "format", "no value"));
            }
            // scanformat
            int start = i;
            while (i < end && FLAGS.indexOf(f[i]) >= 0) {
                i++;
            }
            if (i - start >= FLAGS.length() + 1) {
                throw new LuaError("invalid format (repeated flags)");
            }
            String flags = new String(f, start, i - start, java.nio.charset.StandardCharsets.ISO_8859_1);
            int width = -1;
            int precision = -1;
            if (i < end && isDigit(f[i])) {
                width = f[i++] - '0';
                if (i < end && isDigit(f[i])) {
                    width = width * 10 + f[i++] - '0';
                }
            }
            if (i < end && f[i] == '.') {
                i++;
                precision = 0;
                if (i < end && isDigit(f[i])) {
                    precision = f[i++] - '0';
                    if (i < end && isDigit(f[i])) {
                        precision = precision * 10 + f[i++] - '0';
                    }
                }
            }
            if (i < end && isDigit(f[i])) {
                throw new LuaError("invalid format (width or precision too long)");
            }
            char conversion = i < end ? (char) (f[i++] & 0xff) : 0;
            Spec spec = new Spec(flags, width, precision);
            byte[] item;
            switch (conversion) {
                case 'c' -> item = spec.pad(new byte[] {(byte) CNumbers.doubleToInt32(Lua51Args.checkNumber(args, arg, "format"))},
                        false);
                case 'd', 'i' -> item = spec.integer(CNumbers.doubleToInt64(Lua51Args.checkNumber(args, arg, "format")), 'd');
                case 'o', 'u', 'x', 'X' -> item = spec.integer(CNumbers.doubleToUint64(Lua51Args.checkNumber(args, arg, "format")),
                        conversion);
                case 'e', 'E', 'f', 'g', 'G' -> item = spec.floating(Lua51Args.checkNumber(args, arg, "format"), conversion);
                case 'q' -> {
                    addQuoted(out, Lua51Args.checkString(args, arg, "format"));
                    continue;
                }
                case 's' -> {
                    LuaString s = Lua51Args.checkString(args, arg, "format");
                    if (precision < 0 && s.m_length >= 100) {
                        out.write(s.m_bytes, s.m_offset, s.m_length); // kept whole, zero bytes included
                        continue;
                    }
                    int n = 0;
                    while (n < s.m_length && s.m_bytes[s.m_offset + n] != 0) {
                        n++;
                    }
                    if (precision >= 0 && precision < n) {
                        n = precision;
                    }
                    byte[] text = new byte[n];
                    System.arraycopy(s.m_bytes, s.m_offset, text, 0, n);
                    item = spec.pad(text, false);
                }
                default -> throw new LuaError("invalid option '%" + (conversion == 0 ? "" : String.valueOf(conversion))
                        + "' to 'format'");
            }
            // luaL_addlstring(&b, buff, strlen(buff)): the item ends at its first zero byte
            int n = 0;
            while (n < item.length && item[n] != 0) {
                n++;
            }
            out.write(item, 0, n);
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** Lua 5.1's addquoted. */
    private static void addQuoted(ByteArrayOutputStream out, LuaString s) {
        out.write('"');
        for (int i = 0; i < s.m_length; i++) {
            byte c = s.m_bytes[s.m_offset + i];
            switch (c) {
                case '"', '\\', '\n' -> {
                    out.write('\\');
                    out.write(c);
                }
                case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
                case 0 -> out.writeBytes(new byte[] {'\\', '0', '0', '0'});
                default -> out.write(c);
            }
        }
        out.write('"');
    }

    /** One conversion's flags, width and precision, and C's printf rules for them. */
    private record Spec(String flags, int width, int precision) {
        boolean has(char flag) {
            return flags.indexOf(flag) >= 0;
        }

        /** Pads {@code body} to the width: left-justified with '-', else with zeros after the sign and prefix if asked. */
        byte[] pad(byte[] body, boolean zeroPadAllowed) {
            return pad(body, 0, zeroPadAllowed);
        }

        private byte[] pad(byte[] body, int prefixLength, boolean zeroPadAllowed) {
            if (width <= body.length) {
                return body;
            }
            byte[] padded = new byte[width];
            int fill = width - body.length;
            if (has('-')) {
                System.arraycopy(body, 0, padded, 0, body.length);
                java.util.Arrays.fill(padded, body.length, width, (byte) ' ');
            } else if (zeroPadAllowed && has('0')) {
                System.arraycopy(body, 0, padded, 0, prefixLength);
                java.util.Arrays.fill(padded, prefixLength, prefixLength + fill, (byte) '0');
                System.arraycopy(body, prefixLength, padded, prefixLength + fill, body.length - prefixLength);
            } else {
                java.util.Arrays.fill(padded, 0, fill, (byte) ' ');
                System.arraycopy(body, 0, padded, fill, body.length);
            }
            return padded;
        }

        private static byte[] ascii(String s) {
            return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        /** d (signed), o u x X (unsigned, {@code value} read as unsigned). */
        byte[] integer(long value, char conversion) {
            String digits;
            String prefix = "";
            boolean negative = false;
            switch (conversion) {
                case 'd' -> {
                    negative = value < 0;
                    digits = negative ? Long.toUnsignedString(-value) : Long.toString(value);
                    prefix = negative ? "-" : has('+') ? "+" : has(' ') ? " " : "";
                }
                case 'u' -> digits = Long.toUnsignedString(value);
                case 'o' -> digits = Long.toOctalString(value);
                case 'x' -> digits = Long.toHexString(value);
                default -> digits = Long.toHexString(value).toUpperCase(java.util.Locale.ROOT);
            }
            if (precision == 0 && value == 0) {
                digits = "";
            }
            if (precision > digits.length()) {
                digits = "0".repeat(precision - digits.length()) + digits;
            }
            if (has('#')) {
                if (conversion == 'o' && !digits.startsWith("0")) {
                    digits = "0" + digits;
                } else if ((conversion == 'x' || conversion == 'X') && value != 0) {
                    prefix = conversion == 'x' ? "0x" : "0X";
                }
            }
            return pad(ascii(prefix + digits), prefix.length(), precision < 0);
        }

        /** e E f g G of a double: CNumbers' digits of its magnitude, with the sign, '#' and case added. */
        byte[] floating(double d, char conversion) {
            boolean upper = Character.isUpperCase(conversion);
            boolean negative = Double.doubleToRawLongBits(d) < 0; // glibc prints "-nan" too
            String sign = negative ? "-" : has('+') ? "+" : has(' ') ? " " : "";
            double magnitude = Math.abs(d);
            String body;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                body = CNumbers.formatG(magnitude, 1);
            } else {
                int p = precision < 0 ? 6 : precision;
                body = switch (Character.toLowerCase(conversion)) {
                    case 'f' -> withPoint(CNumbers.formatF(magnitude, p));
                    case 'e' -> withPoint(CNumbers.formatE(magnitude, p));
                    default -> general(magnitude, p);
                };
            }
            if (upper) {
                body = body.toUpperCase(java.util.Locale.ROOT);
            }
            return pad(ascii(sign + body), sign.length(), Double.isFinite(d));
        }

        /** '#' keeps the decimal point of %e, %f and %g where no digit follows it. */
        private String withPoint(String digits) {
            if (!has('#') || digits.indexOf('.') >= 0) {
                return digits;
            }
            int e = digits.indexOf('e');
            return e < 0 ? digits + "." : digits.substring(0, e) + "." + digits.substring(e);
        }

        /**
         * %g: glibc's %.Pg (trailing zeros dropped), or with '#' the %e or %f C picks from the
         * exponent X that %.(P-1)e gives: %e where X &lt; -4 or X &gt;= P, else %.(P-1-X)f.
         */
        private String general(double magnitude, int precision) {
            int p = precision == 0 ? 1 : precision;
            if (!has('#')) {
                return CNumbers.formatG(magnitude, p);
            }
            String scientific = CNumbers.formatE(magnitude, p - 1);
            int exponent = Integer.parseInt(scientific.substring(scientific.indexOf('e') + 1));
            return withPoint(exponent < -4 || exponent >= p ? scientific : CNumbers.formatF(magnitude, p - 1 - exponent));
        }
    }
}
