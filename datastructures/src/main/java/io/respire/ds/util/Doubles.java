package io.respire.ds.util;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Redis's conversions between text and {@code double} (util.c string2d, the strtod calls of
 * t_zset.c's range parsing, d2string), for sorted set scores, weights and score ranges.
 *
 * <p>Redis relies on glibc's {@code strtod}, whose grammar is wider than Java's
 * {@link Double#parseDouble}: "inf"/"infinity" in any case, hexadecimal mantissas without a binary
 * exponent ("0x1A"), "nan(...)". And each caller accepts a different part of what strtod reads,
 * so this class first finds, as strtod does, the longest prefix that forms a number, and each
 * entry point then applies its caller's rules. The value itself comes from
 * {@link Double#parseDouble}, which rounds correctly as glibc does.
 */
public final class Doubles {
    private Doubles() {
    }

    private static final NumberFormatException NOT_A_DOUBLE = new NumberFormatException() {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    /**
     * Redis's string2d (getDoubleFromObject): the whole of {@code s} must be a number as strtod
     * reads it, without leading space, and neither NaN nor out of range (an overflow to infinity
     * or a nonzero number that underflows to zero). "inf", "-inf", "+inf" and "infinity" are
     * accepted. Throws NumberFormatException (without a stack trace) otherwise; the caller
     * replies its error ("ERR value is not a valid float" and the like).
     */
    public static double parse(byte[] s) {
        return parse(s, 0, s.length);
    }

    /** {@link #parse(byte[])} over s[from, to). */
    public static double parse(byte[] s, int from, int to) {
        if (from == to || isSpace(s[from])) {
            throw NOT_A_DOUBLE;
        }
        Scan scan = scan(s, from, to);
        if (scan == null || scan.end != to || scan.outOfRange || Double.isNaN(scan.value)) {
            throw NOT_A_DOUBLE;
        }
        return scan.value;
    }

    /**
     * One bound of a score range as Redis's zslParseRange reads it (after any leading
     * {@code '('}, so from index {@code from}): a plain strtod over a C string. Leading spaces
     * are skipped, overflow and underflow are accepted (1e400 is inf), the text ends at the first
     * NUL byte, and an empty text reads as 0. Returns NaN when the bound is invalid: trailing
     * characters, or a NaN (which a range may not contain).
     */
    public static double parseRangeBound(byte[] s, int from) {
        return strtodWhole(s, from, false);
    }

    /**
     * A SORT weight as sort.c reads it: as {@link #parseRangeBound} (a plain strtod over the C
     * string, spaces skipped, empty reads as 0), but also NaN when strtod sets ERANGE: on overflow
     * to infinity, and on underflow, which glibc reports for a nonzero result below the smallest
     * normal double unless it is exact (0x1p-1074 passes, 1e-310 does not).
     */
    public static double parseSortWeight(byte[] s) {
        return strtodWhole(s, 0, true);
    }

    /** The common part of {@link #parseRangeBound} and {@link #parseSortWeight}. */
    private static double strtodWhole(byte[] s, int from, boolean rejectErange) {
        int to = from;
        while (to < s.length && s[to] != 0) {
            to++;
        }
        int i = from;
        while (i < to && isSpace(s[i])) {
            i++;
        }
        Scan scan = scan(s, i, to);
        if (scan == null) {
            // strtod read nothing: it leaves the end pointer at the start, valid only if empty.
            return from == to ? 0.0 : Double.NaN;
        }
        if (scan.end != to || (rejectErange && (scan.outOfRange || inexactSubnormal(s, i, scan)))) {
            return Double.NaN;
        }
        return scan.value;
    }

    /** Whether strtod's result for s[from, scan.end) is a nonzero subnormal that differs from the text. */
    private static boolean inexactSubnormal(byte[] s, int from, Scan scan) {
        double v = Math.abs(scan.value);
        if (v == 0 || v >= Double.MIN_NORMAL || Double.isNaN(v)) {
            return false;
        }
        int i = from;
        if (s[i] == '+' || s[i] == '-') {
            i++;
        }
        if (i + 1 >= scan.end || lower(s[i + 1]) != 'x') {
            String text = new String(s, from, scan.end - from, StandardCharsets.US_ASCII);
            return new BigDecimal(text).compareTo(new BigDecimal(scan.value)) != 0;
        }
        // Hexadecimal: the text is exact iff mantissa * 2^(exponent - 4 * fraction digits)
        // equals the subnormal's significand * 2^-1074.
        BigInteger mantissa = BigInteger.ZERO;
        long shift = 1074;
        boolean fraction = false;
        for (i += 2; i < scan.end && lower(s[i]) != 'p'; i++) {
            if (s[i] == '.') {
                fraction = true;
                continue;
            }
            mantissa = mantissa.shiftLeft(4).add(BigInteger.valueOf(Character.digit(s[i], 16)));
            if (fraction) {
                shift -= 4;
            }
        }
        if (i < scan.end) {
            long exponent = 0;
            int j = i + 1;
            boolean negative = s[j] == '-';
            if (s[j] == '+' || s[j] == '-') {
                j++;
            }
            for (; j < scan.end && exponent < 100_000; j++) {
                exponent = exponent * 10 + (s[j] - '0');
            }
            shift += negative ? -exponent : exponent;
        }
        BigInteger significand = BigInteger.valueOf(Double.doubleToRawLongBits(v));
        if (shift >= 0) {
            return shift > 64 || !mantissa.shiftLeft((int) shift).equals(significand);
        }
        return mantissa.getLowestSetBit() < -shift || !mantissa.shiftRight((int) -shift).equals(significand);
    }

    /**
     * The text a score is stored as in a listpack, as Redis 7.0's zzlInsertAt writes it: a whole
     * number that a long holds exactly (within +-2^62, Redis's double2ll, which also turns -0 into
     * 0) as its integer digits, "inf"/"-inf", and otherwise a shortest text that reads back as the
     * same double (Redis 7.0 wrote 17 significant digits, which read back the same; 7.2 also
     * writes the shortest). Every text here is valid for {@link #parse}.
     */
    public static byte[] toBytes(double value) {
        if (Double.isInfinite(value)) {
            return (value > 0 ? "inf" : "-inf").getBytes(StandardCharsets.US_ASCII);
        }
        if (isLong(value)) {
            return Numbers.toBytes((long) value);
        }
        return Double.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Redis's double2ll: whether the value is a whole number within +-LLONG_MAX/2, where the
     * conversion to long is known to be exact (-0 counts, as 0).
     */
    public static boolean isLong(double value) {
        return value >= -(double) (Long.MAX_VALUE / 2) && value <= (double) (Long.MAX_VALUE / 2)
                && value == (long) value;
    }

    /** C's isspace in the "C" locale. */
    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** What strtod read: the value, where it stopped, and whether it set ERANGE to reject. */
    private record Scan(double value, int end, boolean outOfRange) {
    }

    /**
     * Reads the longest prefix of s[from, to) that strtod accepts as a number (no leading space
     * skipping here). Returns null when there is none.
     */
    private static Scan scan(byte[] s, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        if (i < to && lower(s[i]) == 'i') {
            int end = matchWord(s, i, to, "infinity");
            if (end < 0) {
                end = matchWord(s, i, to, "inf");
            }
            if (end < 0) {
                return null;
            }
            return new Scan(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, end, false);
        }
        if (i < to && lower(s[i]) == 'n') {
            int end = matchWord(s, i, to, "nan");
            if (end < 0) {
                return null;
            }
            if (end < to && s[end] == '(') {
                int close = end + 1;
                while (close < to && (Character.isLetterOrDigit(s[close]) || s[close] == '_')) {
                    close++;
                }
                if (close < to && s[close] == ')') {
                    end = close + 1;
                }
            }
            return new Scan(Double.NaN, end, false);
        }
        if (i + 1 < to && s[i] == '0' && lower(s[i + 1]) == 'x') {
            Scan hex = scanNumber(s, from, i + 2, to, 16);
            if (hex != null) {
                return hex;
            }
            // "0x" without hex digits: strtod reads the "0" alone.
        }
        return scanNumber(s, from, i, to, 10);
    }

    /**
     * Reads a decimal (radix 10) or hexadecimal (radix 16, from the digits after "0x") number:
     * digits with an optional point, then an optional exponent ('e' powers of ten, 'p' powers of
     * two). {@code from} is where the text, sign included, starts.
     */
    private static Scan scanNumber(byte[] s, int from, int i, int to, int radix) {
        int mantissaStart = i;
        boolean anyDigit = false;
        boolean nonZero = false;
        boolean point = false;
        for (; i < to; i++) {
            if (s[i] == '.' && !point) {
                point = true;
            } else if (Character.digit(s[i], radix) >= 0) {
                anyDigit = true;
                nonZero |= s[i] != '0';
            } else {
                break;
            }
        }
        if (!anyDigit) {
            return null;
        }
        int mantissaEnd = i;
        i = skipExponent(s, i, to, radix == 10 ? 'e' : 'p');
        String text;
        if (radix == 10) {
            text = new String(s, from, i - from, StandardCharsets.US_ASCII);
        } else {
            // Java wants the binary exponent that C makes optional.
            text = (s[from] == '-' ? "-0x" : "0x")
                    + new String(s, mantissaStart, mantissaEnd - mantissaStart, StandardCharsets.US_ASCII)
                    + (i > mantissaEnd ? new String(s, mantissaEnd, i - mantissaEnd, StandardCharsets.US_ASCII) : "p0");
        }
        double value = Double.parseDouble(text);
        boolean outOfRange = Double.isInfinite(value) || (value == 0 && nonZero);
        return new Scan(value, i, outOfRange);
    }

    /** The end of an exponent ({@code e-5}, {@code p+3}) at i, or i when there is none. */
    private static int skipExponent(byte[] s, int i, int to, char letter) {
        if (i < to && lower(s[i]) == letter) {
            int j = i + 1;
            if (j < to && (s[j] == '+' || s[j] == '-')) {
                j++;
            }
            if (j < to && isDigit(s[j])) {
                while (j < to && isDigit(s[j])) {
                    j++;
                }
                return j;
            }
        }
        return i;
    }

    /** The end of {@code word} matched case-insensitively at i, or -1. */
    private static int matchWord(byte[] s, int i, int to, String word) {
        if (to - i < word.length()) {
            return -1;
        }
        for (int k = 0; k < word.length(); k++) {
            if (lower(s[i + k]) != word.charAt(k)) {
                return -1;
            }
        }
        return i + word.length();
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }
}
