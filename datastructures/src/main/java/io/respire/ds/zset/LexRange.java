package io.respire.ds.zset;

import java.util.Arrays;

/**
 * A range of members in byte order (Redis's zlexrangespec), as ZRANGEBYLEX, ZLEXCOUNT and
 * ZREMRANGEBYLEX take it: {@code [a} (inclusive), {@code (a} (exclusive), {@code -} (below every
 * string) and {@code +} (above every string). Only meaningful when all scores are equal.
 */
public final class LexRange implements EntryRange {
    /** The bound "-": identity marks it, its contents are never read. */
    private static final byte[] MIN_STRING = new byte[0];
    /** The bound "+". */
    private static final byte[] MAX_STRING = new byte[0];

    private final byte[] min;
    private final boolean minExclusive;
    private final byte[] max;
    private final boolean maxExclusive;

    private LexRange(byte[] min, boolean minExclusive, byte[] max, boolean maxExclusive) {
        this.min = min;
        this.minExclusive = minExclusive;
        this.max = max;
        this.maxExclusive = maxExclusive;
    }

    /** Parses the two bounds (Redis's zslParseLexRange); null when either is invalid. */
    public static LexRange parse(byte[] min, byte[] max) {
        byte[] lo = bound(min);
        byte[] hi = bound(max);
        if (lo == null || hi == null) {
            return null;
        }
        return new LexRange(lo, isExclusive(min), hi, isExclusive(max));
    }

    private static byte[] bound(byte[] item) {
        if (item.length == 0) {
            return null;
        }
        return switch (item[0]) {
            case '+' -> item.length == 1 ? MAX_STRING : null;
            case '-' -> item.length == 1 ? MIN_STRING : null;
            case '(', '[' -> Arrays.copyOfRange(item, 1, item.length);
            default -> null;
        };
    }

    /** "+" and "-" count as exclusive, as in Redis (it matters only for the emptiness test). */
    private static boolean isExclusive(byte[] item) {
        return item[0] != '[';
    }

    /** Redis's sdscmplex: byte order, with "-" below and "+" above every string. */
    static int compare(byte[] a, byte[] b) {
        if (a == b) {
            return 0;
        }
        if (a == MIN_STRING || b == MAX_STRING) {
            return -1;
        }
        if (a == MAX_STRING || b == MIN_STRING) {
            return 1;
        }
        return Arrays.compareUnsigned(a, b);
    }

    /** Whether {@code member} is not below the range. */
    public boolean aboveMin(byte[] member) {
        int c = compare(member, min);
        return minExclusive ? c > 0 : c >= 0;
    }

    /** Whether {@code member} is not above the range. */
    public boolean belowMax(byte[] member) {
        int c = compare(member, max);
        return maxExclusive ? c < 0 : c <= 0;
    }

    @Override
    public boolean aboveMin(double score, byte[] member) {
        return aboveMin(member);
    }

    @Override
    public boolean belowMax(double score, byte[] member) {
        return belowMax(member);
    }

    public boolean contains(byte[] member) {
        return aboveMin(member) && belowMax(member);
    }

    /** Whether no member at all can be in the range. */
    @Override
    public boolean isEmpty() {
        int c = compare(min, max);
        return c > 0 || (c == 0 && (minExclusive || maxExclusive));
    }
}
