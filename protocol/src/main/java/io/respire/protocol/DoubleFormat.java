package io.respire.protocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats doubles as C's {@code printf("%.17g")} does, the form of every double Redis replies, and
 * with other precisions ({@code %.14g} is how Lua 5.1 turns numbers into strings).
 */
public final class DoubleFormat {
    private DoubleFormat() {
    }

    public static String g17(double d) {
        return g(d, 17);
    }

    /**
     * glibc's {@code printf("%.<precision>g")} (0 counts as 1, as in C). A NaN prints its sign:
     * "-nan" for x86's default NaN (0/0 in C, and in scripts), which is how Redis replies it.
     */
    public static String g(double d, int precision) {
        precision = Math.max(precision, 1);
        if (Double.isNaN(d)) {
            return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < (precision < 15 ? POWERS_OF_TEN[precision] : 1e15)) {
            return Long.toString((long) d); // the common case of integral scores, without BigDecimal
        }
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= precision) {
            return scientific(rounded, exponent);
        }
        BigDecimal fixed = rounded.setScale(Math.max(precision - 1 - exponent, 0), RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
        String s = fixed.toPlainString();
        return s;
    }

    /**
     * C's {@code printf("%.Nf")} with N = {@code decimals}: glibc rounds the double's exact binary
     * value, ties to even (1.625 gives "1.62", where Java's Formatter gives "1.63"), and keeps the
     * sign of a negative value that rounds to zero.
     */
    public static String fixed(double d, int decimals) {
        if (Double.isNaN(d)) {
            return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(d).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        boolean negative = Double.doubleToRawLongBits(d) < 0;
        return negative && s.charAt(0) != '-' ? "-" + s : s;
    }

    /**
     * Redis's ld2string in LD_STR_HUMAN mode, how it replies a coordinate (addReplyHumanLongDouble):
     * {@code %.17Lf} of the exact value, then trailing zeros and a trailing dot dropped, and "-0"
     * turned into "0". A double widened to a long double is the same number, so printing the
     * double's exact binary value with 17 decimals, ties to even, is what glibc prints.
     */
    public static String human(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return fixed(d, 17);
        }
        String s = fixed(d, 17);
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }

    /**
     * Redis's fixedpoint_d2string: {@code decimals} (1 to 17) digits after the dot, how GEODIST and
     * WITHDIST show distances. Unlike printf it scales and rounds in doubles (llrint of
     * d * 10^decimals, ties to even), so 0 is "0.0000" whatever its sign, and a value llrint
     * cannot convert (NaN, infinities, past 2^63) prints as LLONG_MIN, x86's result for those.
     */
    public static String fixedPoint(double d, int decimals) {
        if (d == 0) {
            return "0." + "0".repeat(decimals);
        }
        double scaled = Math.rint(d * POWERS_OF_TEN[decimals]);
        long value = Double.isNaN(scaled) || scaled >= 0x1p63 || scaled < -0x1p63 ? Long.MIN_VALUE : (long) scaled;
        // The magnitude as unsigned digits: LLONG_MIN's is 2^63, one past Long.MAX_VALUE.
        String digits = Long.toUnsignedString(value < 0 ? -value : value);
        StringBuilder sb = new StringBuilder(digits.length() + 3);
        if (value < 0) {
            sb.append('-');
        }
        int integerDigits = digits.length() - decimals;
        if (integerDigits < 1) {
            sb.append('0').append('.').append("0".repeat(-integerDigits)).append(digits);
        } else {
            sb.append(digits, 0, integerDigits).append('.').append(digits, integerDigits, digits.length());
        }
        return sb.toString();
    }

    private static final double[] POWERS_OF_TEN = new double[18];

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private static String scientific(BigDecimal rounded, int exponent) {
        String digits = rounded.unscaledValue().abs().toString();
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        StringBuilder sb = new StringBuilder(24);
        if (rounded.signum() < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (end > 1) {
            sb.append('.').append(digits, 1, end);
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int abs = Math.abs(exponent);
        if (abs < 10) {
            sb.append('0');
        }
        sb.append(abs);
        return sb.toString();
    }
}
