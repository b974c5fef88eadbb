package io.respire.ds.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SearchAreasTest {
    @Test
    void stepsShrinkWithTheRadiusAndTowardsThePoles() {
        assertEquals(26, SearchAreas.estimateStepsByRadius(0, 0));
        assertEquals(14, SearchAreas.estimateStepsByRadius(1000, 0));
        assertEquals(13, SearchAreas.estimateStepsByRadius(1000, 70));
        assertEquals(12, SearchAreas.estimateStepsByRadius(1000, -81));
        assertEquals(2, SearchAreas.estimateStepsByRadius(5_000_000, 10));
        assertEquals(1, SearchAreas.estimateStepsByRadius(5_000_000, 81));
        assertEquals(1, SearchAreas.estimateStepsByRadius(2e7, 0));
        assertEquals(1, SearchAreas.estimateStepsByRadius(Double.POSITIVE_INFINITY, 0));
        assertEquals(26, SearchAreas.estimateStepsByRadius(0.01, 0));
    }

    @Test
    void nineAreasInRedisOrder() {
        GeoShape shape = new GeoShape.Circle(13.361389, 38.115556, 200, 1000);
        GeoHashBits[] areas = SearchAreas.of(shape);
        assertEquals(9, areas.length);
        GeoHashBits centre = areas[0];
        assertEquals(GeoHash.encodeWgs84(13.361389, 38.115556, centre.step()), centre);
        GeoHashBits[] neighbors = GeoHash.neighbors(centre);
        for (int i = 1; i < 9; i++) {
            assertTrue(areas[i].isZero() || areas[i].equals(neighbors[i - 1]), "area " + i);
        }
        assertEquals(SearchAreas.minScore(centre) + (1L << (52 - 2 * centre.step())), SearchAreas.maxScore(centre));
    }

    /**
     * What the nine areas are for: every point inside the shape has its score in one of their
     * ranges. Redis's estimate is made for latitudes within +-70 degrees (its own fuzz test stays
     * there), so this test does too.
     */
    @Test
    void areasCoverTheShape() {
        SplittableRandom random = new SplittableRandom(11);
        int inside = 0;
        for (int i = 0; i < 2_000; i++) {
            double lon = random.nextDouble(-180, 180);
            double lat = random.nextDouble(-70, 70);
            double size = Math.pow(10, random.nextDouble(0, 6.5)); // 1 m to 3,000 km
            GeoShape shape = random.nextBoolean() ? new GeoShape.Circle(lon, lat, size, 1)
                    : new GeoShape.Box(lon, lat, size * random.nextDouble(0.1, 2), size, 1);
            GeoHashBits[] areas = SearchAreas.of(shape);
            GeoShape.BoundingBox box = shape.boundingBox();
            for (int j = 0; j < 50; j++) {
                double plon = box.minLongitude() + random.nextDouble() * (box.maxLongitude() - box.minLongitude());
                double plat = box.minLatitude() + random.nextDouble() * (box.maxLatitude() - box.minLatitude());
                plon = ((plon + 180) % 360 + 360) % 360 - 180; // near a pole the box may span the globe
                if (Math.abs(plat) > 70) {
                    continue;
                }
                double score = GeoHash.score(plon, plat);
                LonLat p = GeoHash.decodeScore(score);
                if (shape.distanceIfInside(p.longitude(), p.latitude()) == GeoShape.OUTSIDE) {
                    continue;
                }
                inside++;
                assertTrue(covered(areas, score), shape + " misses " + plon + "," + plat);
            }
        }
        assertTrue(inside > 10_000, "enough points inside: " + inside);
    }

    private static boolean covered(GeoHashBits[] areas, double score) {
        for (GeoHashBits area : areas) {
            if (!area.isZero() && score >= SearchAreas.minScore(area) && score < SearchAreas.maxScore(area)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void boundingBoxWidensTowardsThePole() {
        GeoShape.BoundingBox north = new GeoShape.Circle(0, 60, 100, 1000).boundingBox();
        GeoShape.BoundingBox south = new GeoShape.Circle(0, -60, 100, 1000).boundingBox();
        assertEquals(north.maxLongitude(), south.maxLongitude(), 1e-12); // the edge nearer its pole in each
        assertEquals(-north.minLatitude(), south.maxLatitude(), 1e-12);
        double latDelta = 100_000 / GeoDistance.EARTH_RADIUS_IN_METERS * 180 / Math.PI;
        assertEquals(60 + latDelta, north.maxLatitude(), 1e-9);
        assertTrue(north.maxLongitude() > latDelta * 2); // a degree of longitude is half as long at 60
    }
}
