package io.respire.ds.geo;

import io.respire.ds.zset.ScoreRange;
import io.respire.ds.zset.ZSetValue;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the members of a sorted set of geohash scores inside a shape (Redis's
 * membersOfAllNeighbors): each of the {@link SearchAreas} is a range of scores, scanned in order,
 * and each member in range is decoded and kept if the shape contains it.
 */
public final class GeoSearch {
    private GeoSearch() {
    }

    /**
     * The members inside {@code shape}, in the order found: area by area, by score within an area.
     * A {@code limit} above 0 (COUNT ... ANY) stops the search once that many are found.
     */
    public static List<GeoMatch> search(ZSetValue zset, GeoShape shape, long limit) {
        GeoHashBits[] areas = SearchAreas.of(shape);
        List<GeoMatch> found = new ArrayList<>();
        int lastProcessed = 0;
        for (int i = 0; i < areas.length; i++) {
            GeoHashBits area = areas[i];
            if (area.isZero()) {
                continue;
            }
            // With huge radii neighbours may be the same cell: Redis skips one equal to the cell it
            // scanned last, but never compares with the centre (its index 0 reads as "none yet").
            if (lastProcessed != 0 && area.equals(areas[lastProcessed])) {
                continue;
            }
            if (!found.isEmpty() && limit > 0 && found.size() >= limit) {
                break;
            }
            scanArea(zset, area, shape, found, limit);
            lastProcessed = i;
        }
        return found;
    }

    /** Adds the members of one cell inside the shape (Redis's geoGetPointsInRange). */
    private static void scanArea(ZSetValue zset, GeoHashBits area, GeoShape shape, List<GeoMatch> found,
                                 long limit) {
        // min <= score < max: a cell's scores share its prefix of step * 2 bits.
        ScoreRange range = new ScoreRange(SearchAreas.minScore(area), false, SearchAreas.maxScore(area), true);
        zset.forEachInScoreRange(range, (member, score) -> {
            LonLat p = GeoHash.decodeScore(score);
            double distance = shape.distanceIfInside(p.longitude(), p.latitude());
            if (distance != GeoShape.OUTSIDE) {
                found.add(new GeoMatch(member, score, p.longitude(), p.latitude(), distance));
            }
            return !(limit > 0 && found.size() >= limit);
        });
    }
}
