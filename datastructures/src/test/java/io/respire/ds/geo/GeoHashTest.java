package io.respire.ds.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Encoding, decoding and neighbours. The expected scores, GEOHASH strings and GEOPOS coordinates
 * are Redis 7.0.15's replies to GEOADD then ZSCORE, GEOHASH and GEOPOS for the same input.
 */
class GeoHashTest {
    /** longitude, latitude (as given to GEOADD), ZSCORE, GEOHASH, GEOPOS longitude and latitude. */
    private static final String[][] REDIS = {
        {"13.361389", "38.115556", "3479099956230698", "sqc8b49rny0", "13.36138933897018433", "38.11555639549629859"},
        {"15.087269", "37.502669", "3479447370796909", "sqdtr74hyu0", "15.08726745843887329", "37.50266842333162032"},
        {"-73.9454966", "40.747533", "1791875804419201", "dr5rv3fe940", "-73.94549578428268433", "40.74753227099792952"},
        {"-5.6", "42.6", "2157242200379188", "ezs42e44yx0", "-5.59999912977218628", "42.6000002789257266"},
        // The top edge encodes one bit past the 52: latitude and longitude offsets of exactly 2^26.
        {"180", "85.05112878", "13510798882111488", "bp05b5048p0", "180", "85.0511287799999991"},
        {"-180", "-85.05112878", "0", "00bh0hbj200", "-179.99999731779098511", "-85.05112751263942528"},
        {"0", "0", "3377699720527872", "s0000000000", "0.00000268220901489", "0.00000126736058093"},
        {"-0.0001", "0.0001", "1876499844738231", "ebpbpbpbtd0", "-0.00009924173355103", "0.00010012148579364"},
        {"179.999999", "-45.5", "3095119526538223", "pzzvpuzzrc0", "179.99999731779098511", "-45.50000010453701549"},
        {"139.6917", "35.6895", "4171231230197045", "xn774c06kt0", "139.69170123338699341", "35.68950126697937009"},
        {"-122.4194", "37.7749", "1367859919124626", "9q8yyk8ytp0", "-122.41940170526504517", "37.77490001056577995"},
        {"151.2093", "-33.8688", "3252046221964352", "r3gx2f77bj0", "151.20929986238479614", "-33.86880091934155956"},
    };

    /** Redis's coordinate text (ld2string's human form), to compare doubles as Redis shows them. */
    private static String human(double d) {
        String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    @Test
    void scoresHashesAndPositionsAreRedis() {
        for (String[] row : REDIS) {
            double score = GeoHash.score(Double.parseDouble(row[0]), Double.parseDouble(row[1]));
            assertEquals(Double.parseDouble(row[2]), score, row[0] + "," + row[1]);
            assertEquals(row[3], GeoHash.standardGeohash(score), row[0] + "," + row[1]);
            LonLat p = GeoHash.decodeScore(score);
            assertEquals(row[4], human(p.longitude()), row[0] + "," + row[1]);
            assertEquals(row[5], human(p.latitude()), row[0] + "," + row[1]);
        }
    }

    @Test
    void interleavingRoundTrips() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long x = random.nextLong() & 0xFFFFFFFFL;
            long y = random.nextLong() & 0xFFFFFFFFL;
            long bits = GeoHash.interleave64(x, y);
            assertEquals(x | (y << 32), GeoHash.deinterleave64(bits));
        }
        assertEquals(0x5555555555555555L, GeoHash.interleave64(0xFFFFFFFFL, 0));
        assertEquals(0xAAAAAAAAAAAAAAAAL, GeoHash.interleave64(0, 0xFFFFFFFFL));
        assertEquals(0b1001L, GeoHash.interleave64(0b01, 0b10)); // x in even bits, y in odd bits
    }

    /** A position decodes to the centre of its cell: within half a cell, and it encodes back the same. */
    @Test
    void encodeDecodeRoundTrips() {
        SplittableRandom random = new SplittableRandom(42);
        double cellLon = 360.0 / (1 << 26);
        double cellLat = (GeoHash.LAT_MAX - GeoHash.LAT_MIN) / (1 << 26);
        for (int i = 0; i < 100_000; i++) {
            double lon = random.nextDouble(-180, 180);
            double lat = random.nextDouble(GeoHash.LAT_MIN, GeoHash.LAT_MAX);
            double score = GeoHash.score(lon, lat);
            assertTrue(score >= 0 && score < 0x1p52, "a 52-bit score");
            LonLat p = GeoHash.decodeScore(score);
            assertTrue(Math.abs(p.longitude() - lon) <= cellLon / 2 + 1e-12, lon + " -> " + p.longitude());
            assertTrue(Math.abs(p.latitude() - lat) <= cellLat / 2 + 1e-12, lat + " -> " + p.latitude());
            assertEquals(score, GeoHash.score(p.longitude(), p.latitude()));
        }
    }

    @Test
    void encodeRejectsWhatRedisRejects() {
        assertNull(GeoHash.encodeWgs84(180.0000001, 0, 26));
        assertNull(GeoHash.encodeWgs84(0, 85.05112879, 26));
        assertNull(GeoHash.encodeWgs84(0, 0, 0));
        assertNull(GeoHash.encodeWgs84(0, 0, 33));
        assertEquals(new GeoHashBits(0b11, 1), GeoHash.encodeWgs84(1, 1, 1)); // north-east quarter
        assertEquals(new GeoHashBits(0b00, 1), GeoHash.encodeWgs84(-1, -1, 1));
        assertEquals(new GeoHashBits(0b10, 1), GeoHash.encodeWgs84(1, -1, 1)); // longitude is the odd bit
    }

    @Test
    void decodedCellsTileTheMap() {
        GeoHash.Area area = GeoHash.decodeWgs84(new GeoHashBits(0b11, 1));
        assertEquals(new GeoHash.Range(0, 180), area.longitude());
        assertEquals(new GeoHash.Range(0, GeoHash.LAT_MAX), area.latitude());
        assertNull(GeoHash.decodeWgs84(GeoHashBits.ZERO));
    }

    /** Neighbours move one cell and wrap around the map; a step east then west comes back. */
    @Test
    void neighboursMoveOneCellAndWrap() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            int step = 1 + random.nextInt(26);
            GeoHashBits hash = GeoHash.encodeWgs84(random.nextDouble(-180, 180),
                    random.nextDouble(GeoHash.LAT_MIN, GeoHash.LAT_MAX), step);
            GeoHashBits[] n = GeoHash.neighbors(hash);
            assertEquals(hash.bits(), GeoHash.moveX(n[2].bits(), step, -1), "east then west");
            assertEquals(hash.bits(), GeoHash.moveY(n[0].bits(), step, -1), "north then south");
            GeoHash.Area centre = GeoHash.decodeWgs84(hash);
            GeoHash.Area north = GeoHash.decodeWgs84(n[0]);
            GeoHash.Area east = GeoHash.decodeWgs84(n[2]);
            if (centre.latitude().max() < GeoHash.LAT_MAX) {
                assertEquals(centre.latitude().max(), north.latitude().min(), 1e-9);
                assertEquals(centre.longitude(), north.longitude());
            }
            if (centre.longitude().max() < 180) {
                assertEquals(centre.longitude().max(), east.longitude().min(), 1e-9);
            } else {
                assertEquals(-180, east.longitude().min(), "east of the antimeridian is its west side");
            }
        }
        GeoHashBits[] n = GeoHash.neighbors(new GeoHashBits(0b00, 1)); // south-west quarter
        assertEquals(0b01, n[0].bits()); // north
        assertEquals(0b01, n[1].bits()); // south wraps to the north quarter
        assertEquals(0b10, n[2].bits()); // east
        assertEquals(0b10, n[3].bits()); // west wraps to the east quarter
        assertEquals(0b11, n[4].bits()); // north-east
    }

    /** Scores ZADD put there decode as C's (uint64_t) conversion on x86-64 reads them. */
    @Test
    void anyScoreConvertsAsCDoes() {
        assertEquals(0, GeoHash.scoreBits(0.9));
        assertEquals(-1L, GeoHash.scoreBits(-1)); // 2^64 - 1
        assertEquals(Long.MIN_VALUE, GeoHash.scoreBits(0x1p63));
        assertEquals(Long.MIN_VALUE | 2048, GeoHash.scoreBits(0x1p63 + 2048));
        assertEquals(0, GeoHash.scoreBits(0x1p64)); // past the range: 2^63 flipped back to 0
        assertEquals(0, GeoHash.scoreBits(Double.POSITIVE_INFINITY));
        assertEquals(Long.MIN_VALUE, GeoHash.scoreBits(Double.NEGATIVE_INFINITY));
        assertEquals(Long.MIN_VALUE, GeoHash.scoreBits(-1e30));
        assertEquals(1791873972053020L, GeoHash.scoreBits(1791873972053020.0));
    }
}
