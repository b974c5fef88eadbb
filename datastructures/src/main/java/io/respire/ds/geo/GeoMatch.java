package io.respire.ds.geo;

/**
 * A member a geo search found (Redis's geoPoint): its score (the hash WITHHASH shows), the
 * position decoded from it and its distance in meters from the search's centre.
 */
public record GeoMatch(byte[] member, double score, double longitude, double latitude, double distance) {
}
