package io.respire.ds.string;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * An emulation of the C {@code long double} that Redis (built for x86-64) uses for INCRBYFLOAT and
 * HINCRBYFLOAT: the x87 80-bit extended format, a 64-bit binary significand with exponents down to
 * 2^-16445 (subnormals) and up to 2^16384. A Java double has 11 fewer bits of precision, and those
 * bits show through Redis's {@code %.17Lf} output (10.5 + 0.1 prints "10.6" only with 64 bits).
 *
 * <p>A finite value is held exactly as {@code sign * mantissa * 2^exponent}, and every operation
 * rounds the exact result to nearest, ties to even, like the FPU. Parsing follows glibc's
 * {@code strtold} under Redis's string2ld restrictions, and {@link #toHumanString()} reproduces
 * ld2string's LD_STR_HUMAN mode ({@code %.17Lf} with trailing zeros removed).
 */
public final class LongDouble {
    private static final int MANTISSA_BITS = 64;
    /** Exponent of the smallest subnormal: no value has bits below 2^-16445. */
    private static final int MIN_EXPONENT = -16445;
    /** Largest exponent of a 64-bit mantissa that stays below 2^16384 (the overflow threshold). */
    private static final int MAX_EXPONENT = 16384 - MANTISSA_BITS;
    /** string2ld's buffer: longer inputs are rejected (MAX_LONG_DOUBLE_CHARS). */
    private static final int MAX_CHARS = 5 * 1024;
    /** Digits printed after the point by %.17Lf. */
    private static final int FRACTION_DIGITS = 17;
    private static final BigInteger TEN_POW_FRACTION = BigInteger.TEN.pow(FRACTION_DIGITS);

    private enum Kind { FINITE, INFINITE, NAN }

    public static final LongDouble ZERO = new LongDouble(Kind.FINITE, false, BigInteger.ZERO, 0);
    private static final LongDouble POSITIVE_INFINITY = new LongDouble(Kind.INFINITE, false, BigInteger.ZERO, 0);
    private static final LongDouble NEGATIVE_INFINITY = new LongDouble(Kind.INFINITE, true, BigInteger.ZERO, 0);
    private static final LongDouble NAN = new LongDouble(Kind.NAN, false, BigInteger.ZERO, 0);

    private final Kind kind;
    private final boolean negative;
    private final BigInteger mantissa;
    private final int exponent;

    private LongDouble(Kind kind, boolean negative, BigInteger mantissa, int exponent) {
        this.kind = kind;
        this.negative = negative;
        this.mantissa = mantissa;
        this.exponent = exponent;
    }

    /** A long converts exactly: 64 bits of significand hold any long. */
    public static LongDouble of(long v) {
        BigInteger m = BigInteger.valueOf(v).abs();
        return round(v < 0, m, 0);
    }

    public boolean isFinite() {
        return kind == Kind.FINITE;
    }

    public boolean isNaN() {
        return kind == Kind.NAN;
    }

    public LongDouble add(LongDouble other) {
        if (kind == Kind.NAN || other.kind == Kind.NAN) {
            return NAN;
        }
        if (kind == Kind.INFINITE || other.kind == Kind.INFINITE) {
            if (kind == Kind.INFINITE && other.kind == Kind.INFINITE && negative != other.negative) {
                return NAN;
            }
            return kind == Kind.INFINITE ? this : other;
        }
        if (mantissa.signum() == 0) {
            return other;
        }
        if (other.mantissa.signum() == 0) {
            return this;
        }
        // Align both on the smaller exponent: the sum is then an exact integer times 2^low.
        int low = Math.min(exponent, other.exponent);
        BigInteger a = signed(mantissa.shiftLeft(exponent - low), negative);
        BigInteger b = signed(other.mantissa.shiftLeft(other.exponent - low), other.negative);
        BigInteger sum = a.add(b);
        return round(sum.signum() < 0, sum.abs(), low);
    }

    private static BigInteger signed(BigInteger magnitude, boolean negative) {
        return negative ? magnitude.negate() : magnitude;
    }

    /**
     * Rounds the exact value {@code (negative ? -1 : 1) * m * 2^e} to the nearest long double,
     * ties to even; infinity when that overflows.
     */
    private static LongDouble round(boolean negative, BigInteger m, long e) {
        return round(negative, m, e, false);
    }

    /**
     * As {@link #round(boolean, BigInteger, long)}, with {@code sticky} saying the exact value is a
     * bit more than {@code m * 2^e} (nonzero bits were cut off below the last bit of m).
     */
    private static LongDouble round(boolean negative, BigInteger m, long e, boolean sticky) {
        if (m.signum() == 0) {
            return ZERO;
        }
        long target = Math.max(e + m.bitLength() - MANTISSA_BITS, MIN_EXPONENT);
        if (target > MAX_EXPONENT) {
            return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        long shift = target - e;
        BigInteger q;
        if (shift <= 0) {
            q = m.shiftLeft((int) -shift);
        } else if (shift > m.bitLength() + 1) {
            q = BigInteger.ZERO; // far below half of the smallest subnormal
        } else {
            q = m.shiftRight((int) shift);
            boolean half = m.testBit((int) shift - 1);
            boolean rest = sticky || m.getLowestSetBit() < shift - 1;
            if (half && (rest || q.testBit(0))) {
                q = q.add(BigInteger.ONE);
            }
        }
        if (q.bitLength() > MANTISSA_BITS) {
            q = q.shiftRight(1); // rounding carried into a new bit: q was 2^64, so this is exact
            target++;
        }
        if (target > MAX_EXPONENT) {
            return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
        }
        return q.signum() == 0 ? ZERO : new LongDouble(Kind.FINITE, negative, q, (int) target);
    }

    /**
     * Redis's string2ld: the value of the whole of {@code s} as strtold reads it, or null when Redis
     * rejects it (empty or too long, leading space, trailing garbage, NaN, overflow, or a nonzero
     * number that underflows to zero). "inf" and "infinity" are accepted.
     */
    public static LongDouble parse(byte[] s) {
        return parse(s, 0, s.length);
    }

    public static LongDouble parse(byte[] s, int from, int to) {
        int len = to - from;
        if (len == 0 || len >= MAX_CHARS || isCSpace(s[from])) {
            return null;
        }
        int i = from;
        boolean negative = false;
        if (s[i] == '+' || s[i] == '-') {
            negative = s[i] == '-';
            i++;
        }
        if (i == to) {
            return null;
        }
        if (isLetter(s[i], 'i')) {
            return matchesIgnoreCase(s, i, to, "inf") || matchesIgnoreCase(s, i, to, "infinity")
                    ? (negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY)
                    : null;
        }
        if (s[i] == '0' && i + 1 < to && isLetter(s[i + 1], 'x')) {
            return parseHex(s, i + 2, to, negative);
        }
        return parseDecimal(s, i, to, negative);
    }

    private static LongDouble parseDecimal(byte[] s, int i, int to, boolean negative) {
        StringBuilder digits = new StringBuilder();
        int fractionDigits = 0;
        boolean seenPoint = false;
        boolean anyDigit = false;
        for (; i < to; i++) {
            byte b = s[i];
            if (b >= '0' && b <= '9') {
                anyDigit = true;
                if (digits.length() > 0 || b != '0') {
                    digits.append((char) b);
                }
                if (seenPoint) {
                    fractionDigits++;
                }
            } else if (b == '.' && !seenPoint) {
                seenPoint = true;
            } else {
                break;
            }
        }
        if (!anyDigit) {
            return null;
        }
        long exp = 0;
        if (i < to) {
            long[] parsed = parseExponent(s, i, to);
            if (parsed == null) {
                return null;
            }
            exp = parsed[0];
        }
        if (digits.length() == 0) {
            return ZERO; // an exact zero, whatever its exponent: no ERANGE
        }
        long decimalExponent = exp - fractionDigits; // value = digits * 10^decimalExponent
        long magnitude = digits.length() - 1 + decimalExponent; // value is in [10^magnitude, 10^(magnitude+1))
        if (magnitude > 4932) {
            return null; // beyond LDBL_MAX (1.19e4932): ERANGE
        }
        if (magnitude < -4960) {
            return null; // below half the smallest subnormal (3.6e-4951): zero with ERANGE
        }
        BigInteger d = new BigInteger(digits.toString());
        LongDouble result;
        if (decimalExponent >= 0) {
            result = round(negative, d.multiply(BigInteger.TEN.pow((int) decimalExponent)), 0);
        } else {
            // d / 10^k = (d / 5^k) * 2^-k; divide with enough spare bits that one sticky bit
            // settles the rounding.
            int k = (int) -decimalExponent;
            BigInteger five = BigInteger.valueOf(5).pow(k);
            int spare = Math.max(0, MANTISSA_BITS + 3 + five.bitLength() - d.bitLength());
            BigInteger[] qr = d.shiftLeft(spare).divideAndRemainder(five);
            result = round(negative, qr[0], -(long) k - spare, qr[1].signum() != 0);
        }
        return result.isFinite() && result.mantissa.signum() != 0 ? result : null;
    }

    private static LongDouble parseHex(byte[] s, int i, int to, boolean negative) {
        BigInteger m = BigInteger.ZERO;
        long binaryExponent = 0;
        boolean seenPoint = false;
        boolean anyDigit = false;
        for (; i < to; i++) {
            int digit = Character.digit(s[i], 16);
            if (digit >= 0) {
                anyDigit = true;
                m = m.shiftLeft(4).or(BigInteger.valueOf(digit));
                if (seenPoint) {
                    binaryExponent -= 4;
                }
            } else if (s[i] == '.' && !seenPoint) {
                seenPoint = true;
            } else {
                break;
            }
        }
        if (!anyDigit) {
            return null; // strtold reads just the "0" before the x: trailing garbage
        }
        if (i < to) {
            if (!isLetter(s[i], 'p')) {
                return null;
            }
            long[] parsed = parseSignedDigits(s, i + 1, to);
            if (parsed == null) {
                return null;
            }
            binaryExponent += parsed[0];
        }
        if (m.signum() == 0) {
            return ZERO;
        }
        long top = binaryExponent + m.bitLength(); // value is in [2^(top-1), 2^top)
        if (top > 16384 + 1 || top < MIN_EXPONENT - 2) {
            return null;
        }
        LongDouble result = round(negative, m, binaryExponent);
        return result.isFinite() && result.mantissa.signum() != 0 ? result : null;
    }

    /** An {@code e}/{@code E} exponent running to the end of the input; null if malformed. */
    private static long[] parseExponent(byte[] s, int i, int to) {
        if (!isLetter(s[i], 'e')) {
            return null;
        }
        return parseSignedDigits(s, i + 1, to);
    }

    /** [sign] digits up to {@code to}, saturating far beyond any exponent that matters. */
    private static long[] parseSignedDigits(byte[] s, int i, int to) {
        boolean negative = false;
        if (i < to && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        if (i == to) {
            return null;
        }
        long v = 0;
        for (; i < to; i++) {
            if (s[i] < '0' || s[i] > '9') {
                return null;
            }
            v = Math.min(v * 10 + (s[i] - '0'), 1_000_000_000L);
        }
        return new long[] {negative ? -v : v};
    }

    private static boolean isCSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static boolean isLetter(byte b, char lower) {
        return (b | 0x20) == lower;
    }

    private static boolean matchesIgnoreCase(byte[] s, int i, int to, String word) {
        if (to - i != word.length()) {
            return false;
        }
        for (int j = 0; j < word.length(); j++) {
            if (!isLetter(s[i + j], word.charAt(j))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Redis's ld2string in LD_STR_HUMAN mode: {@code %.17Lf} (the exact value rounded half to even
     * at 17 decimals, as glibc prints), trailing zeros and a trailing point removed, and "-0"
     * written "0". Infinities are "inf" and "-inf".
     */
    public String toHumanString() {
        if (kind == Kind.INFINITE) {
            return negative ? "-inf" : "inf";
        }
        if (kind == Kind.NAN) {
            return negative ? "-nan" : "nan";
        }
        String digits;
        if (exponent >= 0) {
            digits = mantissa.shiftLeft(exponent).toString();
        } else {
            BigInteger scaled = mantissa.multiply(TEN_POW_FRACTION);
            int shift = -exponent;
            BigInteger q = scaled.shiftRight(shift);
            if (scaled.testBit(shift - 1) && (scaled.getLowestSetBit() < shift - 1 || q.testBit(0))) {
                q = q.add(BigInteger.ONE);
            }
            digits = withPoint(q.toString());
        }
        return negative && !digits.equals("0") ? "-" + digits : digits;
    }

    /** {@code scaled} is the value times 10^17: puts the point back and trims zeros after it. */
    private static String withPoint(String scaled) {
        StringBuilder sb = new StringBuilder();
        for (int pad = scaled.length(); pad <= FRACTION_DIGITS; pad++) {
            sb.append('0');
        }
        sb.append(scaled);
        sb.insert(sb.length() - FRACTION_DIGITS, '.');
        int end = sb.length();
        while (sb.charAt(end - 1) == '0') {
            end--;
        }
        if (sb.charAt(end - 1) == '.') {
            end--;
        }
        return sb.substring(0, end);
    }

    public byte[] toHumanBytes() {
        return toHumanString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return toHumanString();
    }
}
