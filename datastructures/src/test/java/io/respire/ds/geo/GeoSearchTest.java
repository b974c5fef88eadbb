package io.respire.ds.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respire.ds.zset.ZSetValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Searches of a sorted set against a brute-force scan, in both sorted set encodings. */
class GeoSearchTest {
    private static final ZSetValue.Limits LIMITS = new ZSetValue.Limits(128, 64);

    private static ZSetValue points(SplittableRandom random, int n, double lon, double lat, double spread) {
        ZSetValue zset = ZSetValue.listpack();
        for (int i = 0; i < n; i++) {
            double plon = Math.max(-180, Math.min(180, lon + random.nextDouble(-spread, spread)));
            double plat = Math.max(-70, Math.min(70, lat + random.nextDouble(-spread, spread)));
            zset.add(GeoHash.score(plon, plat), ("p" + i).getBytes(StandardCharsets.US_ASCII), 0, null, LIMITS);
        }
        return zset;
    }

    private static TreeSet<String> bruteForce(ZSetValue zset, GeoShape shape) {
        TreeSet<String> inside = new TreeSet<>();
        zset.forEach((member, score) -> {
            LonLat p = GeoHash.decodeScore(score);
            if (shape.distanceIfInside(p.longitude(), p.latitude()) != GeoShape.OUTSIDE) {
                inside.add(new String(member, StandardCharsets.US_ASCII));
            }
        });
        return inside;
    }

    private static TreeSet<String> names(List<GeoMatch> matches) {
        TreeSet<String> names = new TreeSet<>();
        for (GeoMatch m : matches) {
            assertTrue(names.add(new String(m.member(), StandardCharsets.US_ASCII)), "found twice");
        }
        return names;
    }

    @Test
    void findsWhatABruteForceScanFinds() {
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 200; round++) {
            double lon = random.nextDouble(-180, 180);
            double lat = random.nextDouble(-60, 60);
            int n = round % 2 == 0 ? 100 : 1000; // a listpack, then a skiplist
            ZSetValue zset = points(random, n, lon, lat, random.nextDouble(0.01, 20));
            assertEquals(n <= 128 ? "listpack" : "skiplist", zset.encoding());
            double size = Math.pow(10, random.nextDouble(2, 6.3));
            GeoShape shape = random.nextBoolean() ? new GeoShape.Circle(lon, lat, size, 1)
                    : new GeoShape.Box(lon, lat, size, size * random.nextDouble(0.2, 3), 1);
            List<GeoMatch> found = GeoSearch.search(zset, shape, 0);
            assertEquals(bruteForce(zset, shape), names(found), shape.toString());
            for (GeoMatch m : found) {
                LonLat p = GeoHash.decodeScore(m.score());
                assertEquals(p, new LonLat(m.longitude(), m.latitude()));
                assertEquals(shape.distanceIfInside(p.longitude(), p.latitude()), m.distance());
            }
        }
    }

    /** Without sorting, points come area by area (in Redis's order), by score within each area. */
    @Test
    void foundInTheOrderOfTheAreas() {
        SplittableRandom random = new SplittableRandom(9);
        ZSetValue zset = points(random, 2000, 2, 45, 3);
        GeoShape shape = new GeoShape.Circle(2, 45, 250, 1000);
        GeoHashBits[] areas = SearchAreas.of(shape);
        List<GeoMatch> found = GeoSearch.search(zset, shape, 0);
        assertTrue(found.size() > 500);
        int area = -1;
        double lastScore = -1;
        for (GeoMatch m : found) {
            int a = areaOf(areas, m.score());
            assertTrue(a >= area, "areas visited in order");
            if (a == area) {
                assertTrue(m.score() >= lastScore, "scores ascending within an area");
            }
            area = a;
            lastScore = m.score();
        }
    }

    private static int areaOf(GeoHashBits[] areas, double score) {
        for (int i = 0; i < areas.length; i++) {
            if (!areas[i].isZero() && score >= SearchAreas.minScore(areas[i]) && score < SearchAreas.maxScore(areas[i])) {
                return i;
            }
        }
        throw new AssertionError("score outside every area: " + score);
    }

    /** COUNT ... ANY: the search stops at the limit, keeping the first found. */
    @Test
    void limitStopsTheSearch() {
        SplittableRandom random = new SplittableRandom(1);
        ZSetValue zset = points(random, 1000, -3, 40, 2);
        GeoShape shape = new GeoShape.Box(-3, 40, 500, 500, 1000);
        List<GeoMatch> all = GeoSearch.search(zset, shape, 0);
        for (int limit : new int[] {1, 2, 17, all.size(), all.size() + 5}) {
            List<GeoMatch> some = GeoSearch.search(zset, shape, limit);
            assertEquals(Math.min(limit, all.size()), some.size());
            assertEquals(new ArrayList<>(all.subList(0, some.size())), some);
        }
    }

    @Test
    void emptySetAndNothingNear() {
        assertEquals(List.of(), GeoSearch.search(ZSetValue.listpack(), new GeoShape.Circle(0, 0, 1, 1), 0));
        ZSetValue zset = points(new SplittableRandom(2), 50, 100, 10, 1);
        assertEquals(List.of(), GeoSearch.search(zset, new GeoShape.Circle(-100, -10, 10, 1000), 0));
    }
}
