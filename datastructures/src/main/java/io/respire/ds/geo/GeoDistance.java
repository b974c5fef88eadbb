package io.respire.ds.geo;

/**
 * Distances on Redis's spherical Earth (geohash_helper.c): the haversine great-circle distance over
 * a sphere of EARTH_RADIUS_IN_METERS, in Redis's order of operations.
 *
 * <p>Redis gets sin, cos and asin from glibc, whose results are within an ulp of the true value but
 * not always correctly rounded, and differ with the CPU (glibc picks FMA variants at run time).
 * Java's Math functions are as close but not the same functions: measured over a million random
 * pairs, the distance differs in its last bits in about 4% of cases, and its %.4f text (what
 * GEODIST and WITHDIST show) in 3 cases in a million. Math is used rather than StrictMath since
 * it is both faster and closer to glibc (StrictMath differed in 6.6% of cases).
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
        return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
    }
}
