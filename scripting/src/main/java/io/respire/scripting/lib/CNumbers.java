package io.respire.scripting.lib;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import io.respire.protocol.DoubleFormat;
import org.luaj.vm2.LuaString;

/**
 * The C library number conversions that Redis's Lua 5.1 and its bundled libraries rely on,
 * reproduced bit for bit: {@code printf("%.Ng")}, {@code %e} and {@code %f}, glibc {@code strtod}
 * and {@code strtoul}, Lua 5.1's string-to-number rule ({@code luaO_str2d}) and the x86-64
 * double-to-integer casts.
 *
 * <p>Java's own formatting and parsing differ in small ways that show up in script output
 * ({@code String.format("%g")} keeps trailing zeros, {@code Double.parseDouble} rejects
 * {@code "inf"} and hex without an exponent, {@code (long) NaN} is 0 where the CPU gives
 * {@code Long.MIN_VALUE}), so everything numeric that the libraries print or parse goes through
 * here, and so does the script engine: {@code tostring} and concatenation
 * ({@link #luaNumberToString(double)}), {@code string.format}'s digits, {@code tonumber} and
 * the number arguments of Lua functions ({@link #luaStringToNumber}, {@link #strtoul}), and the
 * truncation of numbers in replies ({@link #doubleToInt64}).
 */
public final class CNumbers {

    /** Lua 5.1's LUA_NUMBER_FMT precision ("%.14g"). */
    public static final int LUA_NUMBER_PRECISION = 14;

    private static final long NEGATIVE_QUIET_NAN = 0xfff8000000000000L;
    private static final long POSITIVE_QUIET_NAN = 0x7ff8000000000000L;
    private static final double TWO_POW_63 = 0x1p63;

    private CNumbers() {
    }

    // ---------------------------------------------------------------- formatting

    /** Lua 5.1's number-to-string conversion: {@code sprintf("%.14g")}. */
    public static String luaNumberToString(double value) {
        return formatG(value, LUA_NUMBER_PRECISION);
    }

    /** {@link #luaNumberToString(double)} as Lua string bytes. */
    public static LuaString luaNumberToLuaString(double value) {
        return LuaString.valueOf(luaNumberToString(value).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * glibc's {@code printf("%.<precision>g", value)}: the shortest of fixed or exponent notation
     * with {@code precision} significant digits, trailing zeros removed. Rounding is on the exact
     * binary value, ties to even, as glibc does in the default rounding mode.
     */
    public static String formatG(double value, int precision) {
        return DoubleFormat.g(value, precision);
    }

    /**
     * glibc's {@code printf("%.<precision>e", value)}: one digit, the point, {@code precision}
     * digits, and an exponent of at least two digits, rounded on the exact binary value, ties to
     * even.
     */
    public static String formatE(double value, int precision) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return formatG(value, 1);
        }
        String sign = isSignBitSet(value) ? "-" : "";
        if (value == 0) {
            return sign + "0" + (precision > 0 ? "." + "0".repeat(precision) : "") + "e+00";
        }
        BigDecimal rounded = new BigDecimal(Math.abs(value)).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
        String digits = rounded.unscaledValue().toString();
        int exponent = digits.length() - 1 - rounded.scale();
        digits = (digits + "0".repeat(precision + 1)).substring(0, precision + 1);
        StringBuilder sb = new StringBuilder(sign).append(digits.charAt(0));
        if (precision > 0) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        return sb.append(magnitude < 10 ? "0" : "").append(magnitude).toString();
    }

    /** glibc's {@code printf("%.<precision>f", value)}. */
    public static String formatF(double value, int precision) {
        return DoubleFormat.fixed(value, precision);
    }

    private static boolean isSignBitSet(double value) {
        return Double.doubleToRawLongBits(value) < 0;
    }

    // ---------------------------------------------------------------- parsing

    /** Outcome of {@link #strtod}: the value and the index just past the parsed text. */
    public record Parsed(double value, int end) {
        /** True when strtod consumed nothing (C: {@code endptr == nptr}). */
        public boolean failed(int start) {
            return end == start;
        }
    }

    /**
     * glibc {@code strtod} over {@code bytes[start..limit)}, treating the limit (and any NUL) as
     * the C string terminator. Accepts leading white space, a sign, decimal and hexadecimal
     * forms, {@code inf}/{@code infinity} and {@code nan}/{@code nan(chars)} in any case.
     * Returns the end index {@code start} (and value 0) when no number is there.
     */
    public static Parsed strtod(byte[] bytes, int start, int limit) {
        return new StrtodScanner(bytes, start, limit).scan();
    }

    /**
     * Lua 5.1's {@code luaO_str2d}: strtod over the whole string up to its first NUL, allowing
     * only trailing white space. Returns null when the string is not a number.
     */
    public static Double luaStringToNumber(LuaString s) {
        byte[] bytes = s.m_bytes;
        int start = s.m_offset;
        int limit = start + s.m_length;
        Parsed parsed = strtod(bytes, start, limit);
        if (parsed.failed(start)) {
            return null;
        }
        // A leftover 'x' would send Lua 5.1 to strtoul(s, 16); C99 strtod has already consumed
        // every hex form strtoul could accept, so that path can only end in failure too.
        return onlySpaceLeft(bytes, parsed.end(), limit) ? parsed.value() : null;
    }

    /** Outcome of {@link #strtoul}: the C unsigned long and the index just past the parsed text. */
    public record ParsedUnsigned(long value, int end) {
        /** True when strtoul read no digit (C: {@code endptr == nptr}). */
        public boolean failed(int start) {
            return end == start;
        }
    }

    /**
     * glibc {@code strtoul} over {@code bytes[start..limit)} in {@code base} (2 to 36), the limit
     * (and any NUL) ending the C string: leading white space, a sign (a negative value wraps, as
     * C's unsigned negation), "0x" before base 16 digits, and ULONG_MAX when the digits overflow.
     * Returns the end index {@code start} (and value 0) when no digit is there.
     */
    public static ParsedUnsigned strtoul(byte[] bytes, int start, int limit, int base) {
        int i = start;
        while (i < limit && isCSpace(bytes[i])) {
            i++;
        }
        boolean negative = false;
        if (i < limit && (bytes[i] == '+' || bytes[i] == '-')) {
            negative = bytes[i] == '-';
            i++;
        }
        if (base == 16 && i + 2 < limit && bytes[i] == '0' && (bytes[i + 1] | 0x20) == 'x'
                && digitValue(bytes[i + 2], 16) >= 0) {
            i += 2;
        }
        int digitsStart = i;
        long value = 0;
        boolean overflow = false;
        int d;
        while (i < limit && (d = digitValue(bytes[i], base)) >= 0) {
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, base)) > 0) {
                overflow = true;
            }
            value = value * base + d;
            i++;
        }
        if (i == digitsStart) {
            return new ParsedUnsigned(0, start);
        }
        return new ParsedUnsigned(overflow ? -1L : negative ? -value : value, i);
    }

    /** The value of digit {@code c} in {@code base} (letters from 10, either case), or -1. */
    private static int digitValue(int c, int base) {
        int d;
        if (isDigit(c)) {
            d = c - '0';
        } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
            d = (c | 0x20) - 'a' + 10;
        } else {
            return -1;
        }
        return d < base ? d : -1;
    }

    /** Whether {@code bytes[from..limit)} holds only C white space up to its end or a NUL. */
    public static boolean onlySpaceLeft(byte[] bytes, int from, int limit) {
        int i = from;
        while (i < limit && isCSpace(bytes[i])) {
            i++;
        }
        return i == limit || bytes[i] == 0;
    }

    static boolean isCSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** Hand-written scanner for the strtod grammar; Java's parser then rounds the digits. */
    private static final class StrtodScanner {
        private final byte[] bytes;
        private final int start;
        private final int limit;
        private int pos;

        StrtodScanner(byte[] bytes, int start, int limit) {
            this.bytes = bytes;
            this.start = start;
            this.limit = limit;
            this.pos = start;
        }

        private int at(int i) {
            return i < limit ? bytes[i] & 0xff : 0;
        }

        Parsed scan() {
            while (isCSpace(at(pos))) {
                pos++;
            }
            boolean negative = false;
            if (at(pos) == '+' || at(pos) == '-') {
                negative = at(pos) == '-';
                pos++;
            }
            Parsed unsigned = scanUnsigned(negative);
            if (unsigned == null) {
                return new Parsed(0, start);
            }
            return unsigned;
        }

        private Parsed scanUnsigned(boolean negative) {
            if (matchesIgnoreCase(pos, "inf")) {
                pos += matchesIgnoreCase(pos, "infinity") ? 8 : 3;
                return new Parsed(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, pos);
            }
            if (matchesIgnoreCase(pos, "nan")) {
                return scanNan(negative);
            }
            if (at(pos) == '0' && (at(pos + 1) | 0x20) == 'x'
                    && (isHexDigit(at(pos + 2)) || (at(pos + 2) == '.' && isHexDigit(at(pos + 3))))) {
                return scanHex(negative);
            }
            return scanDecimal(negative);
        }

        /** "nan" optionally followed by "(n-char-sequence)", whose number becomes the payload. */
        private Parsed scanNan(boolean negative) {
            pos += 3;
            long payload = 0;
            if (at(pos) == '(') {
                int i = pos + 1;
                while (Character.isLetterOrDigit(at(i)) && at(i) < 0x80 || at(i) == '_') {
                    i++;
                }
                if (at(i) == ')') {
                    payload = nanPayload(pos + 1, i);
                    pos = i + 1;
                }
            }
            long bits = (negative ? NEGATIVE_QUIET_NAN : POSITIVE_QUIET_NAN)
                    | (payload & 0x0007ffffffffffffL);
            return new Parsed(Double.longBitsToDouble(bits), pos);
        }

        /** glibc reads the n-char-sequence with strtoull(base 0); anything else gives no payload. */
        private long nanPayload(int from, int to) {
            String text = new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
            try {
                if (text.startsWith("0x") || text.startsWith("0X")) {
                    return Long.parseUnsignedLong(text.substring(2), 16);
                }
                if (text.startsWith("0") && text.length() > 1) {
                    return Long.parseUnsignedLong(text.substring(1), 8);
                }
                return text.isEmpty() ? 0 : Long.parseUnsignedLong(text, 10);
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        private Parsed scanHex(boolean negative) {
            int mantissaStart = pos + 2;
            int i = mantissaStart;
            while (isHexDigit(at(i))) {
                i++;
            }
            if (at(i) == '.') {
                i++;
                while (isHexDigit(at(i))) {
                    i++;
                }
            }
            String mantissa = ascii(mantissaStart, i);
            String exponent = "0";
            int afterExponent = scanExponent(i, 'p');
            if (afterExponent > i) {
                exponent = ascii(i + 1, afterExponent);
                i = afterExponent;
            }
            pos = i;
            double value = Double.parseDouble("0x" + mantissa + "p" + exponent);
            return new Parsed(negative ? -value : value, pos);
        }

        private Parsed scanDecimal(boolean negative) {
            int i = pos;
            int digits = 0;
            while (isDigit(at(i))) {
                i++;
                digits++;
            }
            if (at(i) == '.') {
                i++;
                while (isDigit(at(i))) {
                    i++;
                    digits++;
                }
            }
            if (digits == 0) {
                return null;
            }
            i = scanExponent(i, 'e');
            String text = ascii(pos, i);
            pos = i;
            double value = Double.parseDouble(text);
            return new Parsed(negative ? -value : value, pos);
        }

        /** Index past "[eE|pP][+-]digits" at i, or i itself when no complete exponent is there. */
        private int scanExponent(int i, char marker) {
            if ((at(i) | 0x20) != marker) {
                return i;
            }
            int j = i + 1;
            if (at(j) == '+' || at(j) == '-') {
                j++;
            }
            if (!isDigit(at(j))) {
                return i;
            }
            while (isDigit(at(j))) {
                j++;
            }
            return j;
        }

        private boolean matchesIgnoreCase(int i, String word) {
            for (int k = 0; k < word.length(); k++) {
                if ((at(i + k) | 0x20) != word.charAt(k)) {
                    return false;
                }
            }
            return true;
        }

        private String ascii(int from, int to) {
            return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    static boolean isHexDigit(int c) {
        return isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    }

    // ---------------------------------------------------------------- casts

    /**
     * C's {@code (int64_t) d} as x86-64 executes it (cvttsd2si): truncation toward zero, and
     * {@code INT64_MIN} for NaN and anything out of range, where Java would saturate instead.
     */
    public static long doubleToInt64(double d) {
        if (Double.isNaN(d) || d >= TWO_POW_63 || d < -TWO_POW_63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    /** C's {@code (int) d} on x86-64: truncation, {@code INT_MIN} for NaN or out of range. */
    public static int doubleToInt32(double d) {
        if (Double.isNaN(d) || d >= 0x1p31 || d < -0x1p31) {
            return Integer.MIN_VALUE;
        }
        return (int) d;
    }

    /**
     * C's {@code (uint64_t) d} as gcc compiles it for x86-64: values below 2^63 (and NaN) go
     * through the signed conversion, larger ones are shifted down by 2^63 first.
     */
    public static long doubleToUint64(double d) {
        if (!(d >= TWO_POW_63)) {
            return doubleToInt64(d);
        }
        return doubleToInt64(d - TWO_POW_63) ^ Long.MIN_VALUE;
    }

    /** C's {@code (double) u} for an unsigned 64-bit value, correctly rounded. */
    public static double uint64ToDouble(long u) {
        if (u >= 0) {
            return (double) u;
        }
        // Halve (keeping the lowest bit sticky so rounding stays exact), convert, double.
        return ((double) ((u >>> 1) | (u & 1))) * 2.0;
    }
}
