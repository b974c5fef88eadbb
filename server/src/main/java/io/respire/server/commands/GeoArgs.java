package io.respire.server.commands;

import io.respire.ds.geo.GeoHash;
import io.respire.ds.geo.GeoShape;
import io.respire.ds.geo.LonLat;
import io.respire.ds.zset.ZSetValue;
import io.respire.protocol.DoubleFormat;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.Args;

/**
 * The arguments of the geo commands, read as Redis's geo.c reads them: positions, units and
 * sizes (its extract*OrReply helpers), and the grammar of the six search commands
 * ({@link SearchQuery#parse}, the first half of georadiusGeneric). Each value is checked when it
 * is read, in Redis's order, so that a command with several faults gets Redis's error.
 */
final class GeoArgs {
    private GeoArgs() {
    }

    static final String MEMBER_NOT_FOUND = "ERR could not decode requested zset member";

    /**
     * A longitude and latitude from arguments i and i + 1 (Redis's extractLongLatOrReply): both
     * must be floats, then within the limits a geohash covers.
     */
    static LonLat lonLat(Client c, int i) {
        double lon = Args.doubleArg(c, i, Errors.NOT_FLOAT);
        double lat = Args.doubleArg(c, i + 1, Errors.NOT_FLOAT);
        if (lon < GeoHash.LONG_MIN || lon > GeoHash.LONG_MAX || lat < GeoHash.LAT_MIN || lat > GeoHash.LAT_MAX) {
            throw new CommandError("ERR invalid longitude,latitude pair " + DoubleFormat.fixed(lon, 6) + ","
                    + DoubleFormat.fixed(lat, 6));
        }
        return new LonLat(lon, lat);
    }

    /** Meters per unit (Redis's extractUnitOrReply). */
    static double unit(Client c, int i) {
        if (c.argIs(i, "m")) {
            return 1;
        } else if (c.argIs(i, "km")) {
            return 1000;
        } else if (c.argIs(i, "ft")) {
            return 0.3048;
        } else if (c.argIs(i, "mi")) {
            return 1609.34;
        }
        throw new CommandError("ERR unsupported unit provided. please use M, KM, FT, MI");
    }

    /** A radius (Redis's extractDistanceOrReply, before the unit). */
    static double radius(Client c, int i) {
        double radius = Args.doubleArg(c, i, "ERR need numeric radius");
        if (radius < 0) {
            throw new CommandError("ERR radius cannot be negative");
        }
        return radius;
    }

    /** The position a member's score encodes, or null when the member is absent. */
    static LonLat memberPosition(ZSetValue zset, byte[] member) {
        double score = zset.score(member);
        return Double.isNaN(score) ? null : GeoHash.decodeScore(score);
    }

    /** A member's position, or Redis's error for a member that is not there. */
    static LonLat existingMemberPosition(ZSetValue zset, byte[] member) {
        LonLat p = memberPosition(zset, member);
        if (p == null) {
            throw new CommandError(MEMBER_NOT_FOUND);
        }
        return p;
    }

    /**
     * The six search commands (Redis's flags to georadiusGeneric): where the source key is, how
     * the centre and shape are given, and which store options they take.
     */
    enum Search {
        /** GEORADIUS key longitude latitude radius unit [options] [STORE key] [STOREDIST key]. */
        GEORADIUS(1, true),
        GEORADIUS_RO(1, false),
        /** GEORADIUSBYMEMBER key member radius unit [options] [STORE key] [STOREDIST key]. */
        GEORADIUSBYMEMBER(1, true),
        GEORADIUSBYMEMBER_RO(1, false),
        /** GEOSEARCH key FROMMEMBER|FROMLONLAT ... BYRADIUS|BYBOX ... [options]. */
        GEOSEARCH(1, false),
        /** GEOSEARCHSTORE destination source (GEOSEARCH's arguments) [STOREDIST]. */
        GEOSEARCHSTORE(2, false);

        final int sourceKey;
        /** Whether STORE key and STOREDIST key are options (the radius commands but the _RO ones). */
        final boolean storeOptions;

        Search(int sourceKey, boolean storeOptions) {
            this.sourceKey = sourceKey;
            this.storeOptions = storeOptions;
        }

        boolean byMember() {
            return this == GEORADIUSBYMEMBER || this == GEORADIUSBYMEMBER_RO;
        }

        boolean byCoordinates() {
            return this == GEORADIUS || this == GEORADIUS_RO;
        }

        /** GEOSEARCH's grammar: FROMMEMBER, FROMLONLAT, BYRADIUS and BYBOX. */
        boolean geosearch() {
            return this == GEOSEARCH || this == GEOSEARCHSTORE;
        }
    }

    enum Sort { NONE, ASC, DESC }

    /** A search as its arguments describe it. */
    static final class SearchQuery {
        byte[] storeKey;
        boolean storeDist;
        boolean withDist;
        boolean withHash;
        boolean withCoord;
        Sort sort = Sort.NONE;
        boolean any;
        /** COUNT, 0 for none. */
        long count;
        /** Meters per unit of the sizes, and of the distances replied or stored. */
        double conversion;

        private boolean fromMember;
        private boolean fromLonLat;
        private boolean byRadius;
        private boolean byBox;
        /** The centre; null while unknown (FROMMEMBER on a missing key). */
        private LonLat center;
        private double radius;
        private double width;
        private double height;

        private SearchQuery() {
        }

        /** The shape searched; only once parsed, and only for an existing source key. */
        GeoShape shape() {
            if (byBox) {
                return new GeoShape.Box(center.longitude(), center.latitude(), width, height, conversion);
            }
            return new GeoShape.Circle(center.longitude(), center.latitude(), radius, conversion);
        }

        /**
         * Reads a search command after its source key was looked up ({@code zset}, null when
         * missing): the centre and radius of the GEORADIUS forms, the options, then the checks of
         * their combination. Without the source key GEORADIUSBYMEMBER reads no centre or radius,
         * and FROMMEMBER looks up nothing, as in Redis: only the options count, for the reply.
         */
        static SearchQuery parse(Client c, Search kind, ZSetValue zset) {
            SearchQuery q = new SearchQuery();
            int baseArgs;
            if (kind.byCoordinates()) {
                baseArgs = 6;
                q.center = lonLat(c, 2);
                q.radius = radius(c, 4);
                q.conversion = unit(c, 5);
            } else if (kind.byMember()) {
                baseArgs = 5;
                if (zset != null) {
                    q.center = existingMemberPosition(zset, c.arg(2));
                    q.radius = radius(c, 3);
                    q.conversion = unit(c, 4);
                }
            } else {
                baseArgs = kind.sourceKey + 1;
                if (kind == Search.GEOSEARCHSTORE) {
                    q.storeKey = c.arg(1);
                }
            }
            for (int at = baseArgs; at < c.argc(); at++) {
                at = q.option(c, kind, zset, at, c.argc() - at - 1);
            }
            q.check(c, kind);
            return q;
        }

        /**
         * Reads the option at {@code at}, followed by {@code left} arguments; returns the index of
         * its last argument. An option whose arguments are missing is a syntax error.
         */
        private int option(Client c, Search kind, ZSetValue zset, int at, int left) {
            if (c.argIs(at, "withdist")) {
                withDist = true;
            } else if (c.argIs(at, "withhash")) {
                withHash = true;
            } else if (c.argIs(at, "withcoord")) {
                withCoord = true;
            } else if (c.argIs(at, "any")) {
                any = true;
            } else if (c.argIs(at, "asc")) {
                sort = Sort.ASC;
            } else if (c.argIs(at, "desc")) {
                sort = Sort.DESC;
            } else if (c.argIs(at, "count") && left >= 1) {
                count = Args.longArg(c, at + 1);
                if (count <= 0) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                return at + 1;
            } else if ((c.argIs(at, "store") || c.argIs(at, "storedist")) && left >= 1 && kind.storeOptions) {
                storeKey = c.arg(at + 1);
                storeDist = c.argIs(at, "storedist");
                return at + 1;
            } else if (c.argIs(at, "storedist") && kind == Search.GEOSEARCHSTORE) {
                storeDist = true;
            } else if (c.argIs(at, "frommember") && left >= 1 && kind.geosearch() && !fromLonLat) {
                if (zset != null) {
                    center = existingMemberPosition(zset, c.arg(at + 1));
                }
                fromMember = true;
                return at + 1;
            } else if (c.argIs(at, "fromlonlat") && left >= 2 && kind.geosearch() && !fromMember) {
                center = lonLat(c, at + 1);
                fromLonLat = true;
                return at + 2;
            } else if (c.argIs(at, "byradius") && left >= 2 && kind.geosearch() && !byBox) {
                radius = radius(c, at + 1);
                conversion = unit(c, at + 2);
                byRadius = true;
                return at + 2;
            } else if (c.argIs(at, "bybox") && left >= 3 && kind.geosearch() && !byRadius) {
                box(c, at + 1);
                byBox = true;
                return at + 3;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
            return at;
        }

        /** BYBOX width height unit (Redis's extractBoxOrReply). */
        private void box(Client c, int i) {
            double w = Args.doubleArg(c, i, "ERR need numeric width");
            double h = Args.doubleArg(c, i + 1, "ERR need numeric height");
            if (h < 0 || w < 0) {
                throw new CommandError("ERR height or width cannot be negative");
            }
            width = w;
            height = h;
            conversion = unit(c, i + 2);
        }

        /** The checks Redis makes once all options are read, in its order. */
        private void check(Client c, Search kind) {
            if (storeKey != null && (withDist || withHash || withCoord)) {
                throw new CommandError("ERR " + (kind == Search.GEOSEARCHSTORE ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                        + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
            }
            if (kind.geosearch() && !(fromMember || fromLonLat)) {
                throw new CommandError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + c.argString(0));
            }
            if (kind.geosearch() && !(byRadius || byBox)) {
                throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + c.argString(0));
            }
            if (any && count == 0) {
                throw new CommandError("ERR the ANY argument requires COUNT argument");
            }
        }
    }
}
