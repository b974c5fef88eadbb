package io.respire.ds.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

/** Distances between decoded positions, against Redis 7.0.15's GEODIST replies for the same members. */
class GeoDistanceTest {
    /** GEODIST's text: the distance in the unit, four decimals (Redis's fixedpoint_d2string). */
    private static String geodist(double lon1, double lat1, double lon2, double lat2, double metersPerUnit) {
        LonLat a = GeoHash.decodeScore(GeoHash.score(lon1, lat1));
        LonLat b = GeoHash.decodeScore(GeoHash.score(lon2, lat2));
        double d = GeoDistance.distance(a.longitude(), a.latitude(), b.longitude(), b.latitude()) / metersPerUnit;
        return BigDecimal.valueOf(Math.rint(d * 10000)).movePointLeft(4).setScale(4, RoundingMode.UNNECESSARY)
                .toPlainString();
    }

    @Test
    void geodistIsRedis() {
        assertEquals("166274.1516", geodist(13.361389, 38.115556, 15.087269, 37.502669, 1)); // Palermo, Catania
        assertEquals("166.2742", geodist(13.361389, 38.115556, 15.087269, 37.502669, 1000));
        assertEquals("5140.6461", geodist(139.6917, 35.6895, -122.4194, 37.7749, 1609.34)); // Tokyo, SF in mi
        assertEquals("18919844.5891", geodist(180, 85.05112878, -180, -85.05112878, 1));
        assertEquals("39209420.7934", geodist(151.2093, -33.8688, -122.4194, 37.7749, 0.3048)); // Sydney, SF in ft
        assertEquals("15.7928", geodist(0, 0, -0.0001, 0.0001, 1));
        assertEquals("0.0000", geodist(0, 0, 0, 0, 1));
    }

    @Test
    void sameLongitudeTakesTheMeridianShortcut() {
        assertEquals(GeoDistance.latDistance(10, 20), GeoDistance.distance(5, 10, 5, 20));
        assertEquals(GeoDistance.EARTH_RADIUS_IN_METERS * Math.PI / 180 * 10, GeoDistance.latDistance(20, 10), 1e-6);
    }

    /** Antipodes are half the circumference: asin's argument rounds to 1, not past it, here. */
    @Test
    void antipodes() {
        assertEquals(Math.PI * GeoDistance.EARTH_RADIUS_IN_METERS, GeoDistance.distance(0, 0, 180, 0), 1e-6);
        assertEquals(Math.PI * GeoDistance.EARTH_RADIUS_IN_METERS, GeoDistance.distance(-22.07723638244886,
                3.92142057466684, 157.92276361755114, -3.92142057466684), 1e-6);
    }

    /** Arguments where Java's asin is an ulp off glibc's (x86-64, glibc 2.36) and the refined one is not. */
    private static final double[][] GLIBC_ASIN = {
        {0x1.c8127bf086551p-1, 0x1.1959e55fbd8b7p0}, {0x1.e1fcab7d2b431p-1, 0x1.3a090a9b16e9bp0},
        {0x1.c56c8520301cep-1, 0x1.16781f6cd249dp0}, {0x1.36691eb2aa319p-1, 0x1.4d7f6cfc57825p-1},
        {0x1.d2dedbc1811b2p-2, 0x1.e4c6e0ac550e9p-2}, {0x1.a410d7e258737p-1, 0x1.eca31c8479f35p-1},
        {0x1.ce76f6522712dp-1, 0x1.2095e279f29b9p0}, {0x1.5184da1d2983ap-1, 0x1.70868f20192c3p-1},
        {0x1.c753bf7c18f56p-1, 0x1.1888b3ac95659p0}, {0x1.e8f6534c4bbdep-2, 0x1.fdc1ce8b76111p-2},
    };

    @Test
    void asinIsRoundedAsGlibcs() {
        for (double[] pair : GLIBC_ASIN) {
            assertEquals(pair[1], GeoDistance.asin(pair[0]), Double.toHexString(pair[0]));
        }
    }

    /** The refinement moves Java's asin by at most an ulp, and keeps it monotonic. */
    @Test
    void asinStaysWithinAnUlp() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(8);
        double previous = -1;
        for (int i = 0; i < 200_000; i++) {
            double x = i / 200_000.0 + random.nextDouble() / 400_000.0;
            double y = GeoDistance.asin(x);
            double java = Math.asin(x);
            org.junit.jupiter.api.Assertions.assertTrue(Math.abs(y - java) <= Math.ulp(java), x + ": " + y + " vs " + java);
            org.junit.jupiter.api.Assertions.assertTrue(y >= previous, "monotonic at " + x);
            previous = y;
        }
        assertEquals(0.0, GeoDistance.asin(0.0));
        assertEquals(Math.PI / 2, GeoDistance.asin(1.0));
        org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(GeoDistance.asin(1.0000000000000004)));
    }
}
