package io.respire.scripting.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.math.BigDecimal;

/**
 * Text to number as Redis's Lua 5.1 reads it: luaO_str2d over glibc's strtod (leading and trailing
 * white space, hexadecimal integers and floats, "inf", "nan"), and strtoul for tonumber with a
 * base. The text ends at its first zero byte, as a C string does. LuaJ's own scanner is Lua 5.2's
 * and differs at the edges ("0x" made it throw an ArrayIndexOutOfBoundsException).
 */
final class LuaNumbers {
    private LuaNumbers() {
    }

    /** luaO_str2d: the number {@code s} reads as, or null when it is not one. */
    static Double str2d(LuaString s) {
        byte[] b = cString(s);
        int[] end = new int[1];
        double d = strtod(b, 0, end);
        if (end[0] == 0) {
            return null;
        }
        int e = end[0];
        if (e < b.length && (b[e] == 'x' || b[e] == 'X')) {
            long[] n = new long[1];
            e = strtoul(b, 16, n);
            d = unsignedToDouble(n[0]);
        }
        while (e < b.length && isSpace(b[e])) {
            e++;
        }
        return e == b.length ? d : null;
    }

    /** The bytes of {@code s} up to its first zero byte. */
    private static byte[] cString(LuaString s) {
        int n = 0;
        while (n < s.m_length && s.m_bytes[s.m_offset + n] != 0) {
            n++;
        }
        byte[] b = new byte[n];
        System.arraycopy(s.m_bytes, s.m_offset, b, 0, n);
        return b;
    }

    static boolean isSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static int digit(int c, int base) {
        int d;
        if (c >= '0' && c <= '9') {
            d = c - '0';
        } else if (c >= 'a' && c <= 'z') {
            d = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'Z') {
            d = c - 'A' + 10;
        } else {
            return -1;
        }
        return d < base ? d : -1;
    }

    private static boolean matchesWord(byte[] b, int at, String word) {
        if (at + word.length() > b.length) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (Character.toLowerCase((char) (b[at + i] & 0xff)) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * glibc's strtod from {@code from}: the value, with {@code end[0]} the index after the text it
     * read, or 0 (and the result 0) if it read nothing.
     */
    static double strtod(byte[] b, int from, int[] end) {
        int i = from;
        while (i < b.length && isSpace(b[i])) {
            i++;
        }
        boolean negative = false;
        if (i < b.length && (b[i] == '+' || b[i] == '-')) {
            negative = b[i] == '-';
            i++;
        }
        double value;
        if (matchesWord(b, i, "inf")) {
            i += matchesWord(b, i, "infinity") ? 8 : 3;
            value = Double.POSITIVE_INFINITY;
        } else if (matchesWord(b, i, "nan")) {
            i += 3;
            if (i < b.length && b[i] == '(') {
                int j = i + 1;
                while (j < b.length && (Character.isLetterOrDigit(b[j] & 0xff) || b[j] == '_')) {
                    j++;
                }
                if (j < b.length && b[j] == ')') {
                    i = j + 1;
                }
            }
            value = Double.NaN;
        } else if (i + 1 < b.length && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')
                && (hexStart(b, i + 2))) {
            int[] hexEnd = new int[1];
            value = hexFloat(b, i + 2, hexEnd);
            i = hexEnd[0];
        } else {
            int start = i;
            int digits = 0;
            while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                i++;
                digits++;
            }
            if (i < b.length && b[i] == '.') {
                i++;
                while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                    i++;
                    digits++;
                }
            }
            if (digits == 0) {
                end[0] = 0;
                return 0;
            }
            if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
                int j = i + 1;
                if (j < b.length && (b[j] == '+' || b[j] == '-')) {
                    j++;
                }
                if (j < b.length && b[j] >= '0' && b[j] <= '9') {
                    while (j < b.length && b[j] >= '0' && b[j] <= '9') {
                        j++;
                    }
                    i = j;
                }
            }
            String text = new String(b, start, i - start, java.nio.charset.StandardCharsets.ISO_8859_1);
            value = parseDecimal(text);
        }
        end[0] = i;
        return negative ? -value : value;
    }

    /** A decimal that Java parses as C does (both round to nearest), guarding huge exponents. */
    private static double parseDecimal(String text) {
        if (text.endsWith(".")) {
            text = text + "0";
        }
        if (text.startsWith(".")) {
            text = "0" + text;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            // an exponent beyond int range: overflow or underflow, as strtod gives
            return new BigDecimal(text.replaceAll("[eE].*", "")).signum() == 0 || text.matches(".*[eE]-.*")
                    ? 0.0 : Double.POSITIVE_INFINITY;
        }
    }

    private static boolean hexStart(byte[] b, int i) {
        return (i < b.length && digit(b[i], 16) >= 0)
                || (i + 1 < b.length && b[i] == '.' && digit(b[i + 1], 16) >= 0);
    }

    /** The hexadecimal float after "0x": digits, an optional fraction and an optional p exponent. */
    private static double hexFloat(byte[] b, int i, int[] end) {
        BigDecimal mantissa = BigDecimal.ZERO;
        BigDecimal sixteen = BigDecimal.valueOf(16);
        int d;
        while (i < b.length && (d = digit(b[i], 16)) >= 0) {
            mantissa = mantissa.multiply(sixteen).add(BigDecimal.valueOf(d));
            i++;
        }
        int fractionDigits = 0;
        if (i < b.length && b[i] == '.') {
            i++;
            while (i < b.length && (d = digit(b[i], 16)) >= 0) {
                mantissa = mantissa.multiply(sixteen).add(BigDecimal.valueOf(d));
                fractionDigits++;
                i++;
            }
        }
        long exponent = -4L * fractionDigits;
        if (i < b.length && (b[i] == 'p' || b[i] == 'P')) {
            int j = i + 1;
            boolean negative = false;
            if (j < b.length && (b[j] == '+' || b[j] == '-')) {
                negative = b[j] == '-';
                j++;
            }
            if (j < b.length && b[j] >= '0' && b[j] <= '9') {
                long p = 0;
                while (j < b.length && b[j] >= '0' && b[j] <= '9') {
                    p = Math.min(p * 10 + (b[j] - '0'), 100_000);
                    j++;
                }
                exponent += negative ? -p : p;
                i = j;
            }
        }
        end[0] = i;
        double m = mantissa.doubleValue();
        return exponent > 5000 ? (m == 0 ? 0 : Double.POSITIVE_INFINITY)
                : exponent < -5000 ? 0 : m * Math.pow(2, exponent);
    }

    /**
     * glibc's strtoul over the whole of {@code b} in {@code base}: puts the value in {@code out[0]}
     * (wrapping negative values and saturating at ULONG_MAX) and returns the index after what it
     * read, or 0 when it read no digit.
     */
    static int strtoul(byte[] b, int base, long[] out) {
        int i = 0;
        while (i < b.length && isSpace(b[i])) {
            i++;
        }
        boolean negative = false;
        if (i < b.length && (b[i] == '+' || b[i] == '-')) {
            negative = b[i] == '-';
            i++;
        }
        if (base == 16 && i + 2 < b.length && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')
                && digit(b[i + 2], 16) >= 0) {
            i += 2;
        }
        int start = i;
        long value = 0;
        boolean overflow = false;
        int d;
        while (i < b.length && (d = digit(b[i], base)) >= 0) {
            long next = value * base + d;
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, base)) > 0) {
                overflow = true;
            }
            value = next;
            i++;
        }
        if (i == start) {
            out[0] = 0;
            return 0;
        }
        out[0] = overflow ? -1L : negative ? -value : value;
        return i;
    }

    /** A C unsigned long converted to double. */
    static double unsignedToDouble(long n) {
        return n >= 0 ? (double) n : Double.parseDouble(Long.toUnsignedString(n));
    }

    /** tonumber(e [, base]), Lua 5.1's luaB_tonumber. */
    static final class Tonumber extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue base = args.arg(2);
            int b = base.isnil() ? 10 : Lua51Args.checkInt(args, 2, "tonumber");
            LuaValue e = args.arg1();
            if (b == 10) {
                if (args.narg() < 1) {
                    throw new LuaError("bad argument #1 to 'tonumber' (value expected)");
                }
                if (e.type() == TNUMBER) {
                    return e;
                }
                if (e.type() == TSTRING) {
                    Double d = str2d(e.checkstring());
                    if (d != null) {
                        return valueOf(d);
                    }
                }
                return NIL;
            }
            if (e.type() != TSTRING && e.type() != TNUMBER) {
                throw new LuaError(Lua51Args.typeError(args, 1, "tonumber", "string"));
            }
            if (b < 2 || b > 36) {
                throw new LuaError("bad argument #2 to 'tonumber' (base out of range)");
            }
            byte[] text = cString(Lua51Base.plainString(e).checkstring());
            long[] n = new long[1];
            int end = strtoul(text, b, n);
            if (end == 0) {
                return NIL;
            }
            while (end < text.length && isSpace(text[end])) {
                end++;
            }
            return end == text.length ? valueOf(unsignedToDouble(n[0])) : NIL;
        }
    }
}
