package io.respire.ds.geo;

/**
 * A geohash cell (Redis's GeoHashBits): {@code bits} interleave {@code step} bits of latitude (even
 * positions) with {@code step} bits of longitude (odd positions). A cell with both fields zero is
 * Redis's "zero" hash, the mark of a neighbour excluded from a search.
 */
public record GeoHashBits(long bits, int step) {
    /** An excluded area (Redis's GZERO). */
    public static final GeoHashBits ZERO = new GeoHashBits(0, 0);

    /** Redis's HASHISZERO: a cell of step 0 holding no bits. */
    public boolean isZero() {
        return bits == 0 && step == 0;
    }
}
