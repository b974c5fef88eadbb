package io.respire.ds.geo;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Distances on Redis's spherical Earth (geohash_helper.c): the haversine great-circle distance over
 * a sphere of EARTH_RADIUS_IN_METERS, in Redis's order of operations.
 *
 * <p>Redis gets sin, cos and asin from glibc, whose results are within an ulp of the true value,
 * nearly always the correctly rounded one, but not always, and not the same on every CPU (glibc
 * picks FMA variants at run time). Bit-exact agreement would take glibc's own algorithms; what is
 * done instead is to stay as close to correctly rounded as glibc: Math.sin and Math.cos are (they
 * differ from glibc's in 0.2% of arguments), and so is Math.asin below 0.125, but above that
 * Java's asin (fdlibm) differs from glibc's in 6.8% of arguments, so {@link #asin} refines it.
 * Measured over a million random pairs of positions, the distance then differs from Redis's in its
 * last bits in 0.33% of cases (4% with Math.asin alone), and its four-decimal text (GEODIST,
 * WITHDIST) in none (3 with Math.asin). STOREDIST, which stores full doubles, shows the rest.
 */
public final class GeoDistance {
    private GeoDistance() {
    }

    /** Earth's quadratic mean radius for WGS-84, Redis's EARTH_RADIUS_IN_METERS. */
    public static final double EARTH_RADIUS_IN_METERS = 6372797.560856;

    /** Redis's D_R, M_PI / 180.0. */
    private static final double D_R = Math.PI / 180.0;

    static double degRad(double degrees) {
        return degrees * D_R;
    }

    static double radDeg(double radians) {
        return radians / D_R;
    }

    /**
     * The distance along a meridian between two latitudes (geohashGetLatDistance): the haversine
     * reduces to this when both points have the same longitude.
     */
    public static double latDistance(double lat1d, double lat2d) {
        return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
    }

    /** The great-circle distance in meters (geohashGetDistance). */
    public static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = degRad(lon1d);
        double lon2r = degRad(lon2d);
        double v = Math.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            // Same longitude: Redis skips the expensive part, which changes the last bits.
            return latDistance(lat1d, lat2d);
        }
        double lat1r = degRad(lat1d);
        double lat2r = degRad(lat2d);
        double u = Math.sin((lat2r - lat1r) / 2);
        double a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * asin(Math.sqrt(a));
    }

    // ------------------------------------------------------------------------------------------
    // A nearly correctly rounded asin

    /** sin and cos of k/64 for k = 0..TABLE_SIZE - 1, each as an unevaluated sum hi + lo. */
    private static final int TABLE_STEPS = 64;
    private static final int TABLE_SIZE = 100;
    private static final double[] SIN_HI = new double[TABLE_SIZE];
    private static final double[] SIN_LO = new double[TABLE_SIZE];
    private static final double[] COS_HI = new double[TABLE_SIZE];
    private static final double[] COS_LO = new double[TABLE_SIZE];

    static {
        MathContext mc = new MathContext(40);
        for (int k = 0; k < TABLE_SIZE; k++) {
            BigDecimal t = BigDecimal.valueOf(k).divide(BigDecimal.valueOf(TABLE_STEPS), mc);
            BigDecimal sin = taylor(t, 1, mc);
            BigDecimal cos = taylor(t, 0, mc);
            SIN_HI[k] = sin.doubleValue();
            SIN_LO[k] = sin.subtract(new BigDecimal(SIN_HI[k]), mc).doubleValue();
            COS_HI[k] = cos.doubleValue();
            COS_LO[k] = cos.subtract(new BigDecimal(COS_HI[k]), mc).doubleValue();
        }
    }

    /** sin (first power 1) or cos (first power 0) of a small t, to the precision of {@code mc}. */
    private static BigDecimal taylor(BigDecimal t, int firstPower, MathContext mc) {
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal term = firstPower == 1 ? t : BigDecimal.ONE;
        for (int n = firstPower; n < 60; n += 2) {
            sum = sum.add(term, mc);
            term = term.multiply(t, mc).multiply(t, mc).divide(BigDecimal.valueOf((long) (n + 1) * (n + 2)), mc).negate();
        }
        return sum;
    }

    /**
     * asin for the haversine's argument (0 to 1), rounded as glibc's nearly always is. Between 0.125
     * and 0.99, where Java's asin is often an ulp off, its result y gets one Newton step:
     * y + (x - sin y) / cos y, with sin y computed to about 2^-63 from a table of sin and cos of
     * k/64 in double-double. Outside, Java's is as good (small arguments), or the step would need
     * more precision than this (near 1, where asin's slope grows without bound).
     */
    static double asin(double x) {
        double y = Math.asin(x);
        if (!(x >= 0.125 && x <= 0.99)) {
            return y;
        }
        int k = (int) Math.rint(y * TABLE_STEPS);
        double d = y - k / (double) TABLE_STEPS; // exact, and within 1/128
        double d2 = d * d;
        // sin(d) = d + tailS and cos(d) = 1 + tailC, the tails small enough that double suffices.
        double tailS = d * d2 * (-1.0 / 6 + d2 * (1.0 / 120 - d2 * (1.0 / 5040)));
        double tailC = d2 * (-0.5 + d2 * (1.0 / 24 - d2 * (1.0 / 720 - d2 * (1.0 / 40320))));
        // x - sin(y) = x - (S cos d + C sin d), S and C the table's, the large products exactly.
        double p = COS_HI[k] * d;
        double pErr = Math.fma(COS_HI[k], d, -p);
        double residual = ((x - SIN_HI[k]) - p) - SIN_HI[k] * tailC - pErr - SIN_LO[k] - COS_LO[k] * d
                - COS_HI[k] * tailS - SIN_LO[k] * tailC;
        return y + residual / Math.cos(y);
    }
}
