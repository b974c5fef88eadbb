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
}
