package io.respire.ds.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GeoShapeTest {
    private static final double METERS_PER_DEGREE = GeoDistance.EARTH_RADIUS_IN_METERS * Math.PI / 180;

    @Test
    void circleKeepsPointsAtMostTheRadiusAway() {
        GeoShape km = new GeoShape.Circle(10, 20, 5, 1000);
        assertEquals(0.0, km.distanceIfInside(10, 20));
        double d = GeoDistance.distance(10, 20, 10.03, 20.02);
        assertEquals(d, km.distanceIfInside(10.03, 20.02));
        assertEquals(GeoShape.OUTSIDE, new GeoShape.Circle(10, 20, d / 1000 * 0.999999, 1000).distanceIfInside(10.03, 20.02));
        assertEquals(d, new GeoShape.Circle(10, 20, d, 1).distanceIfInside(10.03, 20.02), "the radius itself is inside");
        assertEquals(GeoShape.OUTSIDE, km.distanceIfInside(10, 21)); // 111 km north: dropped by latitude alone
        assertTrue(new GeoShape.Circle(0, 0, Double.POSITIVE_INFINITY, 1).distanceIfInside(180, 80) > 0);
    }

    /** The latitude shortcut never drops a point the haversine keeps. */
    @Test
    void latitudeShortcutAgreesWithTheHaversine() {
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 200_000; i++) {
            double lon = random.nextDouble(-180, 180);
            double lat = random.nextDouble(-85, 85);
            double plon = random.nextDouble(-180, 180);
            double plat = random.nextDouble(-85, 85);
            double distance = GeoDistance.distance(lon, lat, plon, plat);
            // Radii right at the distance, where rounding decides.
            double radius = distance * (1 + random.nextDouble(-1e-9, 1e-9));
            double expected = distance > radius ? GeoShape.OUTSIDE : distance;
            assertEquals(expected, new GeoShape.Circle(lon, lat, radius, 1).distanceIfInside(plon, plat));
        }
    }

    /** A box's height is measured along the meridian, its width along the point's own parallel. */
    @Test
    void boxMeasuresAlongTheMeridianAndTheParallel() {
        GeoShape box = new GeoShape.Box(0, 60, 200, 100, 1000); // 200 km wide, 100 km high
        double halfHeightDegrees = 50_000 / METERS_PER_DEGREE;
        assertTrue(box.distanceIfInside(0, 60 + halfHeightDegrees * 0.9999) > 0);
        assertEquals(GeoShape.OUTSIDE, box.distanceIfInside(0, 60 + halfHeightDegrees * 1.0001));
        // 100 km east along the parallel at 60 degrees is twice as many degrees as at the equator.
        double halfWidthDegrees = 100_000 / (METERS_PER_DEGREE * Math.cos(Math.toRadians(60)));
        assertTrue(box.distanceIfInside(halfWidthDegrees * 0.999, 60) > 0);
        assertEquals(GeoShape.OUTSIDE, box.distanceIfInside(halfWidthDegrees * 1.001, 60));
        double inside = box.distanceIfInside(0.5, 60.2);
        assertEquals(GeoDistance.distance(0, 60, 0.5, 60.2), inside, "the distance replied is to the centre");
    }

    @Test
    void coveringRadius() {
        assertEquals(5000, new GeoShape.Circle(0, 0, 5, 1000).coveringRadiusMeters());
        assertEquals(Math.sqrt(3 * 3 + 4 * 4) * 1609.34, new GeoShape.Box(0, 0, 6, 8, 1609.34).coveringRadiusMeters(), 1e-9);
    }
}
