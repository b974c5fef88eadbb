package io.respire.ds.geo;

/** A position in degrees, longitude first as in every geo command. */
public record LonLat(double longitude, double latitude) {
}
