package io.respire.ds.util;

import java.nio.charset.StandardCharsets;

/**
 * Redis's exact number/text conversions (util.c): strict integer parsing (string2ll: no spaces, no
 * '+', no leading zeros) and integer formatting, used wherever a value is read or written as a
 * number.
 */
public final class Numbers {
    private Numbers() {
    }

    /** Thrown-free check used by the encodings: is this the canonical text of a long? */
    public static boolean isLong(byte[] s) {
        return parseLong(s, 0, s.length, null);
    }

    /**
     * Parses {@code s} as Redis's string2ll does. Returns the value; throws NumberFormatException
     * (without a stack trace) when the text is not an integer in range.
     */
    public static long parseLong(byte[] s) {
        long[] out = new long[1];
        if (!parseLong(s, 0, s.length, out)) {
            throw NOT_A_NUMBER;
        }
        return out[0];
    }

    private static final NumberFormatException NOT_A_NUMBER = new NumberFormatException() {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    /** string2ll over s[from, to); stores the value in out[0] when out is not null. */
    public static boolean parseLong(byte[] s, int from, int to, long[] out) {
        int len = to - from;
        if (len <= 0 || len >= 21) {
            return false;
        }
        if (len == 1 && s[from] == '0') {
            if (out != null) {
                out[0] = 0;
            }
            return true;
        }
        int i = from;
        boolean negative = false;
        if (s[i] == '-') {
            negative = true;
            if (++i == to) {
                return false;
            }
        }
        if (s[i] < '1' || s[i] > '9') {
            return false;
        }
        long v = 0; // accumulated as a negative number so that Long.MIN_VALUE fits
        for (; i < to; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (v < (Long.MIN_VALUE + d) / 10) {
                return false;
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                return false;
            }
            v = -v;
        }
        if (out != null) {
            out[0] = v;
        }
        return true;
    }

    private static final byte[][] SMALL = new byte[10_000][];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * The decimal text of {@code v}. Small non-negative values come from a shared table (like
     * Redis's shared integers), so callers must never modify the returned array.
     */
    public static byte[] toBytes(long v) {
        if (v >= 0 && v < SMALL.length) {
            return SMALL[(int) v];
        }
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
