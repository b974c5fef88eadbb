package io.respire.ds.geo;

/**
 * The area a geo search covers (Redis's GeoShape): a circle (BYRADIUS, GEORADIUS) or a box
 * (BYBOX) around a centre, its sizes in the unit the user gave and {@code conversion} meters per
 * unit. A shape answers the two questions of a search: which cells to scan ({@link #boundingBox},
 * {@link #coveringRadiusMeters}) and whether a point is inside ({@link #distanceIfInside}).
 */
public sealed interface GeoShape permits GeoShape.Circle, GeoShape.Box {

    /** The extent of a shape in degrees; its west and east edges may pass +-180. */
    record BoundingBox(double minLongitude, double minLatitude, double maxLongitude, double maxLatitude) {
    }

    double longitude();

    double latitude();

    /** Meters per unit of the shape's sizes (1, 1000, 0.3048, 1609.34). */
    double conversion();

    /**
     * The radius whose cells are scanned, in meters: a circle's radius, a box's half diagonal
     * (geohashCalculateAreasByShapeWGS84).
     */
    double coveringRadiusMeters();

    /**
     * The half height and half width in meters from which Redis's geohashBoundingBox derives the
     * box: both the radius for a circle.
     */
    double halfHeightMeters();

    double halfWidthMeters();

    /** What {@link #distanceIfInside} returns for a point outside: no distance is negative. */
    double OUTSIDE = -1;

    /**
     * The distance in meters from the centre to the point if it is inside the shape, else
     * {@link #OUTSIDE} (Redis's geoWithinShape after the decoding). The distance may be NaN: at
     * nearly antipodal points rounding can take asin's argument past 1, and Redis, comparing
     * with {@code >}, then counts the point as inside.
     */
    double distanceIfInside(double longitude, double latitude);

    /**
     * The shape's extent in degrees (Redis's geohashBoundingBox). Longitude widens with latitude,
     * so the edge nearer the pole gives the width: the top edge in the northern hemisphere, the
     * bottom one in the southern.
     */
    default BoundingBox boundingBox() {
        double height = halfHeightMeters();
        double width = halfWidthMeters();
        double latDelta = GeoDistance.radDeg(height / GeoDistance.EARTH_RADIUS_IN_METERS);
        double longDeltaTop = GeoDistance.radDeg(width / GeoDistance.EARTH_RADIUS_IN_METERS
                / Math.cos(GeoDistance.degRad(latitude() + latDelta)));
        double longDeltaBottom = GeoDistance.radDeg(width / GeoDistance.EARTH_RADIUS_IN_METERS
                / Math.cos(GeoDistance.degRad(latitude() - latDelta)));
        boolean southern = latitude() < 0;
        double longDelta = southern ? longDeltaBottom : longDeltaTop;
        return new BoundingBox(longitude() - longDelta, latitude() - latDelta, longitude() + longDelta,
                latitude() + latDelta);
    }

    /** BYRADIUS: the points at most {@code radius} units away. */
    record Circle(double longitude, double latitude, double radius, double conversion) implements GeoShape {
        @Override
        public double coveringRadiusMeters() {
            return radius * conversion;
        }

        @Override
        public double halfHeightMeters() {
            return conversion * radius;
        }

        @Override
        public double halfWidthMeters() {
            return conversion * radius;
        }

        @Override
        public double distanceIfInside(double lon, double lat) {
            double radiusMeters = radius * conversion;
            // The distance between the parallels bounds the great circle from below, and costs no
            // trigonometry: points clearly outside by it are dropped without the haversine. The
            // meter of margin covers the haversine's rounding (worst near antipodes, where asin's
            // argument nears 1), so that only points Redis also finds outside are dropped.
            if (GeoDistance.latDistance(lat, latitude) > radiusMeters + 1.0) {
                return OUTSIDE;
            }
            double distance = GeoDistance.distance(longitude, latitude, lon, lat);
            return distance > radiusMeters ? OUTSIDE : distance;
        }
    }

    /**
     * BYBOX: the points whose distance along the meridian and along the parallel (at the point's
     * own latitude) from the centre are within half the height and half the width.
     */
    record Box(double longitude, double latitude, double width, double height, double conversion)
            implements GeoShape {
        @Override
        public double coveringRadiusMeters() {
            return Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2)) * conversion;
        }

        @Override
        public double halfHeightMeters() {
            return conversion * (height / 2);
        }

        @Override
        public double halfWidthMeters() {
            return conversion * (width / 2);
        }

        /** Redis's geohashGetDistanceIfInRectangle: the cheap latitude test first. */
        @Override
        public double distanceIfInside(double lon, double lat) {
            double heightMeters = height * conversion;
            double widthMeters = width * conversion;
            if (GeoDistance.latDistance(lat, latitude) > heightMeters / 2) {
                return OUTSIDE;
            }
            if (GeoDistance.distance(lon, lat, longitude, lat) > widthMeters / 2) {
                return OUTSIDE;
            }
            return GeoDistance.distance(longitude, latitude, lon, lat);
        }
    }
}
