package io.respire.ds.hll;

/**
 * The cardinality estimate of Redis 7.0 (hllCount): Otmar Ertl's improved raw estimator ("New
 * cardinality estimation algorithms for HyperLogLog sketches", arXiv:1702.01284), computed from
 * the histogram of register values. Every floating-point step is the one Redis takes, in the same
 * order, so that the rounded result is the same integer.
 */
final class HllEstimator {
    private HllEstimator() {
    }

    /** 0.5 / ln(2): the limit of the bias-correction constant alpha for many registers. */
    private static final double ALPHA_INF = 0.721347520444481703680;
    /** The largest run a register can record (HLL_Q + 1). */
    private static final int MAX_RUN = HllHash.RUN_BITS + 1;

    /**
     * The estimate from {@code histogram} (count of registers per value, 64 entries). Like Redis's
     * llroundl on x86-64, an estimate beyond the range of a long (only corrupted registers give
     * one) comes out as Long.MIN_VALUE.
     */
    static long estimate(int[] histogram) {
        double m = HyperLogLog.REGISTERS;
        double z = m * tau((m - histogram[MAX_RUN]) / m);
        for (int j = HllHash.RUN_BITS; j >= 1; --j) {
            z += histogram[j];
            z *= 0.5;
        }
        z += m * sigma(histogram[0] / m);
        return roundAsLlroundl(ALPHA_INF * m * m / z);
    }

    /** Round half away from zero; NaN and out-of-range values give the x86 "integer indefinite". */
    static long roundAsLlroundl(double e) {
        if (!(e < 0x1p63 && e >= -0x1p63)) {
            return Long.MIN_VALUE;
        }
        return e >= 0 ? Math.round(e) : -Math.round(-e);
    }

    /** Ertl's sigma(x) = x + sum over k >= 1 of x^(2^k) * 2^(k-1), summed until it stops changing. */
    static double sigma(double x) {
        if (x == 1.) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }

    /** Ertl's tau(x) = (1 - x - sum over k >= 1 of (1 - x^(2^-k))^2 * 2^-k) / 3. */
    static double tau(double x) {
        if (x == 0. || x == 1.) {
            return 0.;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y; // Redis's pow(1 - x, 2): the square, correctly rounded
        } while (zPrime != z);
        return z / 3;
    }
}
