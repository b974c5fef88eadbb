package io.respire.ds.geo;

/**
 * The nine geohash cells a search scans (Redis's geohashCalculateAreasByShapeWGS84): the cell of
 * the centre at a step coarse enough that it and its eight neighbours cover the shape, with the
 * neighbours the shape cannot reach left out.
 *
 * <p>The cells come in the order Redis visits them (centre, north, south, east, west, north-east,
 * north-west, south-east, south-west), a left-out one as {@link GeoHashBits#ZERO}: a search
 * without ASC or DESC replies its points in that order, each cell's in score order.
 */
public final class SearchAreas {
    private SearchAreas() {
    }

    /** Redis's MERCATOR_MAX: half the Earth's circumference in the projection, in meters. */
    private static final double MERCATOR_MAX = 20037726.37;

    /**
     * The step (bits per coordinate) of cells about as wide as the radius (Redis's
     * geohashEstimateStepsByRadius): halve the world until a cell is narrower than twice the
     * radius, then two steps coarser, and one or two more near the poles where cells narrow.
     */
    public static int estimateStepsByRadius(double rangeMeters, double latitude) {
        if (rangeMeters == 0) {
            return GeoHash.STEP_MAX;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2; // Make sure the range is included in most of the base cases.
        if (latitude > 66 || latitude < -66) {
            step--;
            if (latitude > 80 || latitude < -80) {
                step--;
            }
        }
        return Math.min(Math.max(step, 1), GeoHash.STEP_MAX);
    }

    /** The nine cells to scan for {@code shape}, in Redis's order of visit. */
    public static GeoHashBits[] of(GeoShape shape) {
        GeoShape.BoundingBox box = shape.boundingBox();
        double longitude = shape.longitude();
        double latitude = shape.latitude();
        int steps = estimateStepsByRadius(shape.coveringRadiusMeters(), latitude);
        GeoHashBits hash = GeoHash.encodeWgs84(longitude, latitude, steps);
        GeoHashBits[] neighbors = GeoHash.neighbors(hash);
        if (steps > 1 && neighborsFallShort(neighbors, box)) {
            // Near the edge of its cell the centre's neighbours may not reach the whole shape.
            steps--;
            hash = GeoHash.encodeWgs84(longitude, latitude, steps);
            neighbors = GeoHash.neighbors(hash);
        }
        if (steps >= 2) {
            excludeUseless(GeoHash.decodeWgs84(hash), neighbors, box);
        }
        GeoHashBits[] areas = new GeoHashBits[9];
        areas[0] = hash;
        System.arraycopy(neighbors, 0, areas, 1, 8);
        return areas;
    }

    // Positions in GeoHash.neighbors' array.
    private static final int NORTH = 0;
    private static final int SOUTH = 1;
    private static final int EAST = 2;
    private static final int WEST = 3;
    private static final int NORTH_EAST = 4;
    private static final int NORTH_WEST = 5;
    private static final int SOUTH_EAST = 6;
    private static final int SOUTH_WEST = 7;

    /** Whether the box reaches past the far side of the north, south, east or west neighbour. */
    private static boolean neighborsFallShort(GeoHashBits[] neighbors, GeoShape.BoundingBox box) {
        GeoHash.Area north = GeoHash.decodeWgs84(neighbors[NORTH]);
        GeoHash.Area south = GeoHash.decodeWgs84(neighbors[SOUTH]);
        GeoHash.Area east = GeoHash.decodeWgs84(neighbors[EAST]);
        GeoHash.Area west = GeoHash.decodeWgs84(neighbors[WEST]);
        return north.latitude().max() < box.maxLatitude()
                || south.latitude().min() > box.minLatitude()
                || east.longitude().max() < box.maxLongitude()
                || west.longitude().min() > box.minLongitude();
    }

    /**
     * Leaves out the neighbours on a side where the box stays inside the centre's cell. Several
     * sides may clear the same corner; an inverted comparison (a NaN box, from an infinite radius)
     * clears nothing, as in Redis.
     */
    private static void excludeUseless(GeoHash.Area area, GeoHashBits[] neighbors, GeoShape.BoundingBox box) {
        if (area.latitude().min() < box.minLatitude()) {
            zero(neighbors, SOUTH, SOUTH_WEST, SOUTH_EAST);
        }
        if (area.latitude().max() > box.maxLatitude()) {
            zero(neighbors, NORTH, NORTH_EAST, NORTH_WEST);
        }
        if (area.longitude().min() < box.minLongitude()) {
            zero(neighbors, WEST, SOUTH_WEST, NORTH_WEST);
        }
        if (area.longitude().max() > box.maxLongitude()) {
            zero(neighbors, EAST, SOUTH_EAST, NORTH_EAST);
        }
    }

    private static void zero(GeoHashBits[] neighbors, int... which) {
        for (int i : which) {
            neighbors[i] = GeoHashBits.ZERO;
        }
    }

    /** The lowest score in a cell, included in its scan (Redis's scoresOfGeoHashBox). */
    public static long minScore(GeoHashBits hash) {
        return GeoHash.align52Bits(hash);
    }

    /** The lowest score past a cell, excluded from its scan: the next cell's first. */
    public static long maxScore(GeoHashBits hash) {
        return GeoHash.align52Bits(new GeoHashBits(hash.bits() + 1, hash.step()));
    }
}
