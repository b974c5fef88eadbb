package io.respire.scripting.lua;

import io.respire.scripting.lib.CNumbers;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lua 5.1's string.format (lstrlib.c str_format), which hands each conversion to C's sprintf:
 * %d %i %u %o %x %X %c %e %E %f %g %G %q %s %% with the flags {@code -+ #0}, a width and a
 * precision of at most two digits each. LuaJ 3.0.1 leaves %e/%f/%g unimplemented (it prints
 * Java's Double.toString whatever the precision), so the whole function is written here.
 */
final class LuaStringFormat extends VarArgFunction {
    private static final String FLAGS = "-+ #0";

    @Override
    public Varargs invoke(Varargs args) {
        LuaString format = args.checkstring(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(format.length() + 16);
        int arg = 1;
        int i = 0;
        int n = format.length();
        while (i < n) {
            int c = format.luaByte(i++);
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (i < n && format.luaByte(i) == '%') {
                out.write('%');
                i++;
                continue;
            }
            Spec spec = new Spec();
            i = spec.parse(format, i);
            arg++;
            write(out, spec, args, arg);
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    /** One conversion: its flags, width, precision (-1 when absent) and letter. */
    private static final class Spec {
        boolean left;
        boolean plus;
        boolean space;
        boolean alternate;
        boolean zero;
        int width;
        int precision = -1;
        int conversion;

        /** Lua's scanformat: flags, up to two width digits, '.', up to two precision digits. */
        int parse(LuaString format, int i) {
            int n = format.length();
            int start = i;
            while (i < n && FLAGS.indexOf(format.luaByte(i)) >= 0) {
                switch (format.luaByte(i)) {
                    case '-' -> left = true;
                    case '+' -> plus = true;
                    case ' ' -> space = true;
                    case '#' -> alternate = true;
                    default -> zero = true;
                }
                i++;
            }
            if (i - start > FLAGS.length()) {
                throw new LuaError("invalid format (repeated flags)");
            }
            int digits = 0;
            while (i < n && isDigit(format.luaByte(i))) {
                width = width * 10 + format.luaByte(i++) - '0';
                digits++;
            }
            if (i < n && format.luaByte(i) == '.') {
                i++;
                precision = 0;
                int precisionDigits = 0;
                while (i < n && isDigit(format.luaByte(i))) {
                    precision = precision * 10 + format.luaByte(i++) - '0';
                    precisionDigits++;
                }
                digits = Math.max(digits, precisionDigits);
            }
            if (digits > 2) {
                throw new LuaError("invalid format (width or precision too long)");
            }
            conversion = i < n ? format.luaByte(i++) : 0;
            return i;
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static void write(ByteArrayOutputStream out, Spec spec, Varargs args, int arg) {
        switch (spec.conversion) {
            case 'c' -> out.write((int) (long) checkNumber(args, arg));
            case 'd', 'i' -> pad(out, spec, integer(spec, CNumbers.doubleToInt64(checkNumber(args, arg))), true);
            case 'o', 'u', 'x', 'X' -> pad(out, spec, unsigned(spec, CNumbers.doubleToInt64(checkNumber(args, arg))), true);
            case 'e', 'E', 'f', 'g', 'G' -> pad(out, spec, floating(spec, checkNumber(args, arg)), true);
            case 'q' -> quoted(out, args.checkstring(arg));
            case 's' -> string(out, spec, args, arg);
            default -> throw new LuaError("invalid option '%" + (char) spec.conversion + "' to 'format'");
        }
    }

    /** luaL_checknumber: a number, or a string that converts to one. */
    private static double checkNumber(Varargs args, int arg) {
        LuaValue v = args.arg(arg);
        if (v.type() == LuaValue.TNUMBER) {
            return v.todouble();
        }
        if (v.type() == LuaValue.TSTRING) {
            Double d = CNumbers.luaStringToNumber(v.checkstring());
            if (d != null) {
                return d;
            }
        }
        return args.checkdouble(arg); // raises LuaJ's "bad argument" error
    }

    /** %d: sign, then at least precision digits. */
    private static String integer(Spec spec, long value) {
        String digits = value == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(Math.abs(value));
        digits = atLeast(spec, digits);
        return sign(spec, value < 0) + digits;
    }

    /** %u %o %x %X: the value as C's unsigned long, with '#' prefixes. */
    private static String unsigned(Spec spec, long value) {
        String digits = switch (spec.conversion) {
            case 'o' -> Long.toOctalString(value);
            case 'x' -> Long.toHexString(value);
            case 'X' -> Long.toHexString(value).toUpperCase();
            default -> Long.toUnsignedString(value);
        };
        digits = atLeast(spec, digits);
        if (spec.alternate && spec.conversion == 'o' && digits.charAt(0) != '0') {
            digits = "0" + digits;
        } else if (spec.alternate && value != 0 && (spec.conversion == 'x' || spec.conversion == 'X')) {
            digits = (spec.conversion == 'x' ? "0x" : "0X") + digits;
        }
        return digits;
    }

    /** The precision of an integer conversion is its minimum number of digits ("%.0d" of 0 is empty). */
    private static String atLeast(Spec spec, String digits) {
        if (spec.precision == 0 && digits.equals("0")) {
            return "";
        }
        return digits.length() < spec.precision ? "0".repeat(spec.precision - digits.length()) + digits : digits;
    }

    private static String floating(Spec spec, double value) {
        int precision = spec.precision < 0 ? 6 : spec.precision;
        boolean negative = Double.doubleToRawLongBits(value) < 0 && !Double.isNaN(value);
        double magnitude = Math.abs(value);
        String body = switch (spec.conversion) {
            case 'e', 'E' -> CNumbers.formatE(magnitude, precision);
            case 'f' -> CNumbers.formatF(magnitude, precision);
            default -> general(spec, magnitude, precision);
        };
        if (Double.isNaN(value)) {
            body = "nan"; // glibc writes the sign of a NaN: "-nan"
            negative = Double.doubleToRawLongBits(value) < 0;
        }
        if (spec.alternate && spec.conversion != 'g' && spec.conversion != 'G' && !body.contains(".")
                && Double.isFinite(value)) {
            int e = body.indexOf('e');
            body = e < 0 ? body + "." : body.substring(0, e) + "." + body.substring(e);
        }
        if (spec.conversion == 'E' || spec.conversion == 'G') {
            body = body.toUpperCase();
        }
        return sign(spec, negative) + body;
    }

    /** %g: %e or %f, whichever C picks for the exponent, trailing zeros dropped unless '#'. */
    private static String general(Spec spec, double magnitude, int precision) {
        int p = precision == 0 ? 1 : precision;
        if (!Double.isFinite(magnitude)) {
            return CNumbers.formatG(magnitude, p);
        }
        if (!spec.alternate) {
            return CNumbers.formatG(magnitude, p);
        }
        String e = CNumbers.formatE(magnitude, p - 1);
        int exponent = Integer.parseInt(e.substring(e.indexOf('e') + 1));
        return exponent < -4 || exponent >= p ? e : CNumbers.formatF(magnitude, p - 1 - exponent);
    }

    private static String sign(Spec spec, boolean negative) {
        return negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
    }

    /** Width: spaces before (or after with '-'), or zeros after the sign and prefix with '0'. */
    private static void pad(ByteArrayOutputStream out, Spec spec, String text, boolean numeric) {
        int missing = spec.width - text.length();
        boolean zeros = spec.zero && !spec.left && numeric
                && !(spec.precision >= 0 && "diouxX".indexOf(spec.conversion) >= 0)
                && !text.contains("inf") && !text.contains("nan") && !text.contains("INF") && !text.contains("NAN");
        if (missing > 0 && zeros) {
            int prefix = 0;
            if (!text.isEmpty() && "+- ".indexOf(text.charAt(0)) >= 0) {
                prefix = 1;
            }
            if (text.startsWith("0x", prefix) || text.startsWith("0X", prefix)) {
                prefix += 2;
            }
            text = text.substring(0, prefix) + "0".repeat(missing) + text.substring(prefix);
        } else if (missing > 0) {
            text = spec.left ? text + " ".repeat(missing) : " ".repeat(missing) + text;
        }
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** %s: the string (numbers in Lua's format), cut to the precision, padded to the width. */
    private static void string(ByteArrayOutputStream out, Spec spec, Varargs args, int arg) {
        LuaValue v = args.arg(arg);
        LuaString s = v.type() == LuaValue.TNUMBER ? CNumbers.luaNumberToLuaString(v.todouble()) : args.checkstring(arg);
        if (spec.precision < 0 && s.length() >= 100) {
            // Lua 5.1 adds a long string whole rather than through sprintf: no width, NULs kept.
            out.write(s.m_bytes, s.m_offset, s.m_length);
            return;
        }
        int length = s.length();
        // C's %s stops at a NUL byte.
        for (int i = 0; i < length; i++) {
            if (s.luaByte(i) == 0) {
                length = i;
                break;
            }
        }
        if (spec.precision >= 0 && spec.precision < length) {
            length = spec.precision;
        }
        int missing = spec.width - length;
        if (missing > 0 && !spec.left) {
            out.writeBytes(" ".repeat(missing).getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write(s.m_bytes, s.m_offset, length);
        if (missing > 0 && spec.left) {
            out.writeBytes(" ".repeat(missing).getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** %q: a Lua string literal that reads back as the same bytes. */
    private static void quoted(ByteArrayOutputStream out, LuaString s) {
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            int c = s.luaByte(i);
            switch (c) {
                case '"', '\\', '\n' -> {
                    out.write('\\');
                    out.write(c);
                }
                case '\r' -> out.writeBytes("\\r".getBytes(StandardCharsets.ISO_8859_1));
                case 0 -> out.writeBytes("\\000".getBytes(StandardCharsets.ISO_8859_1));
                default -> out.write(c);
            }
        }
        out.write('"');
    }
}
