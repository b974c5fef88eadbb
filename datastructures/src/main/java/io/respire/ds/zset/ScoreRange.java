package io.respire.ds.zset;

import io.respire.ds.util.Doubles;

/**
 * A score interval with inclusive or exclusive ends (Redis's zrangespec), as ZRANGEBYSCORE,
 * ZCOUNT and ZREMRANGEBYSCORE take it: {@code 1.5}, {@code (1.5}, {@code -inf}, {@code +inf}.
 */
public record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) implements EntryRange {

    /**
     * Parses the two bounds as Redis's zslParseRange does (a leading '(' makes a bound exclusive,
     * the rest is read by strtod); null when either is not a valid float.
     */
    public static ScoreRange parse(byte[] min, byte[] max) {
        boolean minEx = min.length > 0 && min[0] == '(';
        boolean maxEx = max.length > 0 && max[0] == '(';
        double lo = Doubles.parseRangeBound(min, minEx ? 1 : 0);
        double hi = Doubles.parseRangeBound(max, maxEx ? 1 : 0);
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            return null;
        }
        return new ScoreRange(lo, minEx, hi, maxEx);
    }

    /** Redis's zslValueGteMin: whether {@code score} is not below the range. */
    public boolean aboveMin(double score) {
        return minExclusive ? score > min : score >= min;
    }

    /** Redis's zslValueLteMax: whether {@code score} is not above the range. */
    public boolean belowMax(double score) {
        return maxExclusive ? score < max : score <= max;
    }

    @Override
    public boolean aboveMin(double score, byte[] member) {
        return aboveMin(score);
    }

    @Override
    public boolean belowMax(double score, byte[] member) {
        return belowMax(score);
    }

    public boolean contains(double score) {
        return aboveMin(score) && belowMax(score);
    }

    /** Whether no score at all can be in the range. */
    @Override
    public boolean isEmpty() {
        return min > max || (min == max && (minExclusive || maxExclusive));
    }
}
