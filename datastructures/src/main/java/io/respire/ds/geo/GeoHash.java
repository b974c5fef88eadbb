package io.respire.ds.geo;

/**
 * Redis's geohash.c: positions as interleaved bits of longitude and latitude, the form the geo
 * commands keep in a sorted set's scores.
 *
 * <p>Every value here must be bit for bit what Redis computes, since scores, GEOPOS coordinates and
 * GEOHASH strings are replied as they are: the arithmetic is written in Redis's order of
 * operations, C's unsigned 64- and 32-bit integers are longs handled with unsigned shifts and
 * masks, and its conversions from double to integer are reproduced where a score may be anything
 * (see {@link #scoreBits}).
 *
 * <p>Redis indexes the Web Mercator square: longitude -180..180 and latitude +-85.05112878, since
 * the poles cannot be projected. GEOHASH strings are the standard geohash, over -90..90, which
 * {@link #standardGeohash} computes by re-encoding.
 */
public final class GeoHash {
    private GeoHash() {
    }

    /** Steps of a score: 26 bits of each coordinate, 52 bits in all, exact in a double. */
    public static final int STEP_MAX = 26;

    public static final double LONG_MIN = -180;
    public static final double LONG_MAX = 180;
    public static final double LAT_MIN = -85.05112878;
    public static final double LAT_MAX = 85.05112878;

    /** A closed interval of one coordinate (Redis's GeoHashRange). */
    public record Range(double min, double max) {
    }

    /** The cell of a hash, in degrees (Redis's GeoHashArea). */
    public record Area(GeoHashBits hash, Range longitude, Range latitude) {
    }

    /** The ranges Redis encodes scores with (geohashGetCoordRange). */
    public static final Range WGS84_LONGITUDE = new Range(LONG_MIN, LONG_MAX);
    public static final Range WGS84_LATITUDE = new Range(LAT_MIN, LAT_MAX);

    /** The standard geohash ranges, used only for GEOHASH's strings. */
    private static final Range STANDARD_LATITUDE = new Range(-90, 90);

    private static final String BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";

    private static final long EVEN_BITS = 0x5555555555555555L;
    private static final long ODD_BITS = 0xaaaaaaaaaaaaaaaaL;

    // ------------------------------------------------------------------------------------------
    // Bit interleaving

    /**
     * Spreads the low 32 bits of x over the even positions and those of y over the odd ones
     * (Redis's interleave64, the "binary magic numbers" method).
     */
    static long interleave64(long xlo, long ylo) {
        long x = spread(xlo & 0xFFFFFFFFL);
        long y = spread(ylo & 0xFFFFFFFFL);
        return x | (y << 1);
    }

    private static long spread(long v) {
        v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v << 2)) & 0x3333333333333333L;
        return (v | (v << 1)) & EVEN_BITS;
    }

    /**
     * The inverse of {@link #interleave64}: the even bits in the low half of the result, the odd
     * bits in the high half (Redis's deinterleave64).
     */
    static long deinterleave64(long interleaved) {
        long x = gather(interleaved);
        long y = gather(interleaved >>> 1);
        return x | (y << 32);
    }

    private static long gather(long v) {
        v &= EVEN_BITS;
        v = (v | (v >>> 1)) & 0x3333333333333333L;
        v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
        v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
        return (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
    }

    // ------------------------------------------------------------------------------------------
    // Encoding and decoding

    /**
     * The cell of {@code step} bits per coordinate holding the position, or null where Redis's
     * geohashEncode fails: a step outside 1..32, or a position outside Redis's limits or the
     * given ranges.
     */
    public static GeoHashBits encode(Range lonRange, Range latRange, double longitude, double latitude, int step) {
        if (step > 32 || step == 0) {
            return null;
        }
        if (longitude > LONG_MAX || longitude < LONG_MIN || latitude > LAT_MAX || latitude < LAT_MIN) {
            return null;
        }
        if (latitude < latRange.min() || latitude > latRange.max()
                || longitude < lonRange.min() || longitude > lonRange.max()) {
            return null;
        }
        double latOffset = (latitude - latRange.min()) / (latRange.max() - latRange.min());
        double longOffset = (longitude - lonRange.min()) / (lonRange.max() - lonRange.min());
        // Fixed point of step bits. An offset of exactly 1 (the top edge) gives 2^step, one bit
        // past the step: Redis keeps that bit too, so the 180th meridian scores above 2^52.
        latOffset *= (double) (1L << step);
        longOffset *= (double) (1L << step);
        return new GeoHashBits(interleave64((long) latOffset, (long) longOffset), step);
    }

    /** {@link #encode} over Redis's ranges (geohashEncodeWGS84). */
    public static GeoHashBits encodeWgs84(double longitude, double latitude, int step) {
        return encode(WGS84_LONGITUDE, WGS84_LATITUDE, longitude, latitude, step);
    }

    /**
     * The score GEOADD stores for a position Redis accepts (within its limits): the 52-bit hash,
     * as the double ZADD reads from its decimal form.
     */
    public static double score(double longitude, double latitude) {
        return (double) align52Bits(encodeWgs84(longitude, latitude, STEP_MAX));
    }

    /** The hash shifted to 52 bits, the cell's lowest score (Redis's geohashAlign52Bits). */
    public static long align52Bits(GeoHashBits hash) {
        return hash.bits() << (52 - hash.step() * 2);
    }

    /** The cell of a hash, or null for the zero hash (Redis's geohashDecode). */
    public static Area decode(Range lonRange, Range latRange, GeoHashBits hash) {
        if (hash.isZero()) {
            return null;
        }
        long separated = deinterleave64(hash.bits()); // [lat][long] in the low and high halves
        long latIndex = separated & 0xFFFFFFFFL;
        long longIndex = separated >>> 32;
        int step = hash.step();
        double latScale = latRange.max() - latRange.min();
        double longScale = lonRange.max() - lonRange.min();
        Range latitude = new Range(edge(latRange.min(), latIndex, step, latScale),
                edge(latRange.min(), nextIndex(latIndex), step, latScale));
        Range longitude = new Range(edge(lonRange.min(), longIndex, step, longScale),
                edge(lonRange.min(), nextIndex(longIndex), step, longScale));
        return new Area(hash, longitude, latitude);
    }

    /** {@link #decode} over Redis's ranges (geohashDecodeWGS84). */
    public static Area decodeWgs84(GeoHashBits hash) {
        return decode(WGS84_LONGITUDE, WGS84_LATITUDE, hash);
    }

    /** The edge of cell {@code index} of a range cut in 2^step cells, in Redis's arithmetic. */
    private static double edge(double rangeMin, long index, int step, double scale) {
        return rangeMin + (index * 1.0 / (double) (1L << step)) * scale;
    }

    /** index + 1 in C's uint32_t, which wraps to 0 (only reachable from a score that is no hash). */
    private static long nextIndex(long index) {
        return (index + 1) & 0xFFFFFFFFL;
    }

    /**
     * The centre of a cell, clamped to Redis's limits (geohashDecodeAreaToLongLat): what GEOPOS
     * and the searches report, since a score keeps only the cell of a position.
     */
    public static LonLat center(Area area) {
        double lon = (area.longitude().min() + area.longitude().max()) / 2;
        lon = Math.min(Math.max(lon, LONG_MIN), LONG_MAX);
        double lat = (area.latitude().min() + area.latitude().max()) / 2;
        lat = Math.min(Math.max(lat, LAT_MIN), LAT_MAX);
        return new LonLat(lon, lat);
    }

    /**
     * The position a sorted set score stands for (Redis's decodeGeohash, with step 26). Any score
     * decodes: one that no GEOADD wrote (ZADD put it there) gives a position clamped to the limits.
     */
    public static LonLat decodeScore(double score) {
        // decode() and center() inlined for the searches, which decode every candidate: the same
        // arithmetic, without the intermediate cell.
        long separated = deinterleave64(scoreBits(score));
        long latIndex = separated & 0xFFFFFFFFL;
        long longIndex = separated >>> 32;
        double latScale = LAT_MAX - LAT_MIN;
        double longScale = LONG_MAX - LONG_MIN;
        double lon = (edge(LONG_MIN, longIndex, STEP_MAX, longScale)
                + edge(LONG_MIN, nextIndex(longIndex), STEP_MAX, longScale)) / 2;
        double lat = (edge(LAT_MIN, latIndex, STEP_MAX, latScale)
                + edge(LAT_MIN, nextIndex(latIndex), STEP_MAX, latScale)) / 2;
        return new LonLat(Math.min(Math.max(lon, LONG_MIN), LONG_MAX), Math.min(Math.max(lat, LAT_MIN), LAT_MAX));
    }

    /**
     * C's {@code (uint64_t)score} as GCC compiles it for x86-64: below 2^63 the signed truncating
     * conversion (cvttsd2si, whose out-of-range and NaN result is 2^63), from 2^63 the same on
     * score - 2^63 with the top bit flipped back. Scores written by GEOADD are small whole numbers
     * and convert plainly; the rest (negative, fractional, huge) convert as Redis's do, so that
     * GEOPOS of any member replies what Redis does.
     */
    static long scoreBits(double score) {
        final double twoTo63 = 0x1p63;
        if (score >= twoTo63) {
            return truncateToLong(score - twoTo63) ^ Long.MIN_VALUE;
        }
        return truncateToLong(score);
    }

    /** x86's cvttsd2si: truncation, or 0x8000000000000000 for NaN and out-of-range values. */
    private static long truncateToLong(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    // ------------------------------------------------------------------------------------------
    // Neighbours

    /**
     * The eight cells around a hash, in the order Redis's radius search visits them after the
     * cell itself: north, south, east, west, north-east, north-west, south-east, south-west.
     * Moving wraps around within the step's bits (Redis's geohashNeighbors).
     */
    public static GeoHashBits[] neighbors(GeoHashBits hash) {
        return new GeoHashBits[] {
            move(hash, 0, 1), move(hash, 0, -1), move(hash, 1, 0), move(hash, -1, 0),
            move(hash, 1, 1), move(hash, -1, 1), move(hash, 1, -1), move(hash, -1, -1),
        };
    }

    private static GeoHashBits move(GeoHashBits hash, int dx, int dy) {
        long bits = moveX(hash.bits(), hash.step(), dx);
        return new GeoHashBits(moveY(bits, hash.step(), dy), hash.step());
    }

    /** One cell east (d > 0) or west (d < 0): the longitude bits move (geohash_move_x). */
    static long moveX(long bits, int step, int d) {
        return move(bits, step, d, ODD_BITS, EVEN_BITS);
    }

    /** One cell north (d > 0) or south (d < 0): the latitude bits move (geohash_move_y). */
    static long moveY(long bits, int step, int d) {
        return move(bits, step, d, EVEN_BITS, ODD_BITS);
    }

    /**
     * Adds or subtracts one to the bits of one coordinate ({@code moving}) and leaves the other's
     * ({@code fixed}) as they are: filling the gaps between the moving bits with ones lets the
     * carry or borrow cross them, and the result wraps within the step's bits.
     */
    private static long move(long bits, int step, int d, long moving, long fixed) {
        if (d == 0) {
            return bits;
        }
        long m = bits & moving;
        long f = bits & fixed;
        long gaps = fixed >>> (64 - step * 2);
        if (d > 0) {
            m = m + (gaps + 1);
        } else {
            m = m | gaps;
            m = m - (gaps + 1);
        }
        m &= moving >>> (64 - step * 2);
        return m | f;
    }

    // ------------------------------------------------------------------------------------------
    // GEOHASH strings

    /**
     * The 11-character standard geohash of a score (Redis's geohashCommand): the position is
     * decoded, re-encoded over latitude -90..90, and written in base 32, five bits a character.
     * A score has 52 bits where 11 characters take 55, so the last character is always '0'.
     */
    public static String standardGeohash(double score) {
        LonLat p = decodeScore(score);
        GeoHashBits hash = encode(WGS84_LONGITUDE, STANDARD_LATITUDE, p.longitude(), p.latitude(), STEP_MAX);
        long bits = hash.bits();
        char[] text = new char[11];
        for (int i = 0; i < 10; i++) {
            text[i] = BASE32.charAt((int) ((bits >>> (52 - (i + 1) * 5)) & 0x1f));
        }
        text[10] = BASE32.charAt(0);
        return new String(text);
    }
}
