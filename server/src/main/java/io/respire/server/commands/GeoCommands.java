package io.respire.server.commands;

import io.respire.ds.geo.GeoDistance;
import io.respire.ds.geo.GeoHash;
import io.respire.ds.geo.GeoMatch;
import io.respire.ds.geo.GeoSearch;
import io.respire.ds.geo.GeoShape;
import io.respire.ds.geo.LonLat;
import io.respire.ds.zset.ZSetValue;
import io.respire.protocol.DoubleFormat;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.CommandTable;

import java.util.Comparator;
import java.util.List;

/**
 * Geo commands (Redis's geo.c). Positions live in sorted sets, each member scored with the 52-bit
 * geohash of its position ({@link GeoHash}), so GEOADD is a ZADD and every sorted set command works
 * on a geo index. The searches scan the nine cells around the centre ({@link GeoSearch}).
 *
 * <p>Replies are Redis's to the byte: distances with four decimals as Redis's fixed-point
 * formatter writes them, coordinates in Redis's "human" long double form, and searches without
 * ASC or DESC in the order Redis finds the points. The argument checks come in Redis's order,
 * which decides which error a bad command gets.
 */
public final class GeoCommands {
    private GeoCommands() {
    }

    static void register(CommandTable table) {
        table.register("geoadd", GeoCommands::geoadd);
        table.register("geodist", GeoCommands::geodist);
        table.register("geohash", GeoCommands::geohash);
        table.register("geopos", GeoCommands::geopos);
        table.register("georadius", GeoCommands::georadius);
        table.register("georadius_ro", GeoCommands::georadiusRo);
        table.register("georadiusbymember", GeoCommands::georadiusbymember);
        table.register("georadiusbymember_ro", GeoCommands::georadiusbymemberRo);
        table.register("geosearch", GeoCommands::geosearch);
        table.register("geosearchstore", GeoCommands::geosearchstore);
    }

    private static final String UNKNOWN_UNIT = "ERR unsupported unit provided. please use M, KM, FT, MI";
    private static final String MEMBER_NOT_FOUND = "ERR could not decode requested zset member";

    // ------------------------------------------------------------------------------------------
    // Argument helpers

    /**
     * A longitude and latitude from arguments i and i + 1 (Redis's extractLongLatOrReply): both
     * must be floats, then within the limits a geohash covers.
     */
    private static LonLat lonLatArgs(Client c, int i) {
        double lon = Args.doubleArg(c, i, Errors.NOT_FLOAT);
        double lat = Args.doubleArg(c, i + 1, Errors.NOT_FLOAT);
        if (lon < GeoHash.LONG_MIN || lon > GeoHash.LONG_MAX || lat < GeoHash.LAT_MIN || lat > GeoHash.LAT_MAX) {
            throw new CommandError("ERR invalid longitude,latitude pair " + DoubleFormat.fixed(lon, 6) + ","
                    + DoubleFormat.fixed(lat, 6));
        }
        return new LonLat(lon, lat);
    }

    /** Meters per unit (Redis's extractUnitOrReply). */
    private static double unitArg(Client c, int i) {
        if (c.argIs(i, "m")) {
            return 1;
        } else if (c.argIs(i, "km")) {
            return 1000;
        } else if (c.argIs(i, "ft")) {
            return 0.3048;
        } else if (c.argIs(i, "mi")) {
            return 1609.34;
        }
        throw new CommandError(UNKNOWN_UNIT);
    }

    /** A radius and its unit from arguments i and i + 1 (Redis's extractDistanceOrReply). */
    private static double radiusArg(Client c, int i) {
        double radius = Args.doubleArg(c, i, "ERR need numeric radius");
        if (radius < 0) {
            throw new CommandError("ERR radius cannot be negative");
        }
        return radius;
    }

    /** The position a member's score encodes, or null when the member is absent. */
    private static LonLat memberPosition(ZSetValue zset, byte[] member) {
        double score = zset.score(member);
        return Double.isNaN(score) ? null : GeoHash.decodeScore(score);
    }

    // ------------------------------------------------------------------------------------------
    // GEOADD, GEODIST, GEOHASH, GEOPOS

    /**
     * GEOADD key [NX|XX] [CH] longitude latitude member [...]: Redis turns it into the ZADD of
     * the members' hashes, so it replies, counts changes and signals as ZADD does.
     */
    static void geoadd(Client c) {
        int flags = 0;
        boolean ch = false;
        int longIdx = 2;
        for (; longIdx < c.argc(); longIdx++) {
            if (c.argIs(longIdx, "nx")) {
                flags |= ZSetValue.NX;
            } else if (c.argIs(longIdx, "xx")) {
                flags |= ZSetValue.XX;
            } else if (c.argIs(longIdx, "ch")) {
                ch = true;
            } else {
                break;
            }
        }
        if ((c.argc() - longIdx) % 3 != 0 || flags == (ZSetValue.NX | ZSetValue.XX)) {
            throw new CommandError(Errors.SYNTAX);
        }
        int elements = (c.argc() - longIdx) / 3;
        double[] scores = new double[elements];
        byte[][] members = new byte[elements][];
        for (int i = 0; i < elements; i++) {
            LonLat p = lonLatArgs(c, longIdx + i * 3);
            scores[i] = GeoHash.score(p.longitude(), p.latitude());
            members[i] = c.arg(longIdx + i * 3 + 2);
        }
        if (elements == 0) {
            throw new CommandError(Errors.SYNTAX); // ZADD's check: options but no pairs
        }
        SortedSetValues.Added outcome = SortedSetValues.add(c, c.arg(1), flags, scores, members, "zadd");
        c.reply().integer(ch ? outcome.added() + outcome.updated() : outcome.added());
    }

    /** GEODIST key member1 member2 [unit]: null unless both members exist. */
    static void geodist(Client c) {
        double toMeters = 1;
        if (c.argc() == 5) {
            toMeters = unitArg(c, 4);
        } else if (c.argc() > 5) {
            throw new CommandError(Errors.SYNTAX);
        }
        ZSetValue zset = SortedSetValues.lookupRead(c, c.arg(1));
        LonLat a = zset == null ? null : memberPosition(zset, c.arg(2));
        LonLat b = a == null ? null : memberPosition(zset, c.arg(3));
        if (b == null) {
            c.reply().nullBulk();
            return;
        }
        double meters = GeoDistance.distance(a.longitude(), a.latitude(), b.longitude(), b.latitude());
        replyDistance(c.reply(), meters / toMeters);
    }

    /** A distance as Redis's addReplyDoubleDistance: a bulk string with four decimals. */
    private static void replyDistance(Reply r, double distance) {
        r.bulk(DoubleFormat.fixedPoint(distance, 4));
    }

    /** GEOHASH key [member ...]: each member's standard 11-character geohash, or null. */
    static void geohash(Client c) {
        ZSetValue zset = SortedSetValues.lookupRead(c, c.arg(1));
        Reply r = c.reply();
        r.array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            double score = zset == null ? Double.NaN : zset.score(c.arg(j));
            if (Double.isNaN(score)) {
                r.nullBulk();
            } else {
                r.bulk(GeoHash.standardGeohash(score));
            }
        }
    }

    /** GEOPOS key [member ...]: each member's [longitude, latitude], or a null array. */
    static void geopos(Client c) {
        ZSetValue zset = SortedSetValues.lookupRead(c, c.arg(1));
        Reply r = c.reply();
        r.array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            LonLat p = zset == null ? null : memberPosition(zset, c.arg(j));
            if (p == null) {
                r.nullArray();
            } else {
                replyCoordinates(r, p.longitude(), p.latitude());
            }
        }
    }

    private static void replyCoordinates(Reply r, double longitude, double latitude) {
        r.array(2);
        r.humanDouble(longitude);
        r.humanDouble(latitude);
    }

    // ------------------------------------------------------------------------------------------
    // The searches

    /**
     * The six search commands (Redis's flags to georadiusGeneric): where the source key is, how
     * the centre and shape are given, and which store options they take.
     */
    private enum Search {
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

    static void georadius(Client c) {
        search(c, Search.GEORADIUS);
    }

    static void georadiusRo(Client c) {
        search(c, Search.GEORADIUS_RO);
    }

    static void georadiusbymember(Client c) {
        search(c, Search.GEORADIUSBYMEMBER);
    }

    static void georadiusbymemberRo(Client c) {
        search(c, Search.GEORADIUSBYMEMBER_RO);
    }

    static void geosearch(Client c) {
        search(c, Search.GEOSEARCH);
    }

    static void geosearchstore(Client c) {
        search(c, Search.GEOSEARCHSTORE);
    }

    private enum Sort { NONE, ASC, DESC }

    /** A search as its arguments describe it, filled in while they are parsed. */
    private static final class Query {
        byte[] storeKey;
        boolean storeDist;
        boolean withDist;
        boolean withHash;
        boolean withCoord;
        boolean fromMember;
        boolean fromLonLat;
        boolean byRadius;
        boolean byBox;
        Sort sort = Sort.NONE;
        boolean any;
        /** COUNT, 0 for none. */
        long count;
        /** The centre; null while unknown (FROMMEMBER on a missing key). */
        LonLat center;
        double radius;
        double width;
        double height;
        double conversion;

        GeoShape shape() {
            if (byBox) {
                return new GeoShape.Box(center.longitude(), center.latitude(), width, height, conversion);
            }
            return new GeoShape.Circle(center.longitude(), center.latitude(), radius, conversion);
        }

        boolean withAnything() {
            return withDist || withHash || withCoord;
        }
    }

    /**
     * Redis's georadiusGeneric: WRONGTYPE first, then the centre and radius of the GEORADIUS
     * forms, the options, the checks of their combination, and only then the search.
     */
    private static void search(Client c, Search kind) {
        ZSetValue zset = SortedSetValues.lookupRead(c, c.arg(kind.sourceKey));
        Query q = new Query();
        int baseArgs;
        if (kind.byCoordinates()) {
            baseArgs = 6;
            q.center = lonLatArgs(c, 2);
            q.radius = radiusArg(c, 4);
            q.conversion = unitArg(c, 5);
        } else if (kind.byMember()) {
            baseArgs = 5;
            // Without the key Redis parses no centre or radius: only the options, for the reply.
            if (zset != null) {
                q.center = memberPosition(zset, c.arg(2));
                if (q.center == null) {
                    throw new CommandError(MEMBER_NOT_FOUND);
                }
                q.radius = radiusArg(c, 3);
                q.conversion = unitArg(c, 4);
            }
        } else {
            baseArgs = kind.sourceKey + 1;
            if (kind == Search.GEOSEARCHSTORE) {
                q.storeKey = c.arg(1);
            }
        }
        parseOptions(c, kind, baseArgs, zset, q);
        checkOptions(c, kind, q);
        if (zset == null) {
            replyNoSource(c, q);
            return;
        }
        if (q.count != 0 && q.sort == Sort.NONE && !q.any) {
            q.sort = Sort.ASC; // the COUNT nearest: sorting is needed to find them
        }
        List<GeoMatch> found = GeoSearch.search(zset, q.shape(), q.any ? q.count : 0);
        if (found.isEmpty() && q.storeKey == null) {
            c.reply().array(0);
            return;
        }
        GeoMatch[] matches = found.toArray(new GeoMatch[0]);
        int returned = q.count == 0 || matches.length < q.count ? matches.length : (int) q.count;
        sortMatches(matches, q.sort, returned);
        if (q.storeKey == null) {
            replyMatches(c, q, matches, returned);
        } else {
            store(c, kind, q, matches, returned);
        }
    }

    /** The options after the fixed arguments, each checked as it comes, as Redis's loop does. */
    private static void parseOptions(Client c, Search kind, int baseArgs, ZSetValue zset, Query q) {
        int remaining = c.argc() - baseArgs;
        for (int i = 0; i < remaining; i++) {
            int at = baseArgs + i;
            if (c.argIs(at, "withdist")) {
                q.withDist = true;
            } else if (c.argIs(at, "withhash")) {
                q.withHash = true;
            } else if (c.argIs(at, "withcoord")) {
                q.withCoord = true;
            } else if (c.argIs(at, "any")) {
                q.any = true;
            } else if (c.argIs(at, "asc")) {
                q.sort = Sort.ASC;
            } else if (c.argIs(at, "desc")) {
                q.sort = Sort.DESC;
            } else if (c.argIs(at, "count") && i + 1 < remaining) {
                q.count = Args.longArg(c, at + 1);
                if (q.count <= 0) {
                    throw new CommandError("ERR COUNT must be > 0");
                }
                i++;
            } else if ((c.argIs(at, "store") || c.argIs(at, "storedist")) && i + 1 < remaining && kind.storeOptions) {
                q.storeKey = c.arg(at + 1);
                q.storeDist = c.argIs(at, "storedist");
                i++;
            } else if (c.argIs(at, "storedist") && kind == Search.GEOSEARCHSTORE) {
                q.storeDist = true;
            } else if (c.argIs(at, "frommember") && i + 1 < remaining && kind.geosearch() && !q.fromLonLat) {
                if (zset != null) {
                    q.center = memberPosition(zset, c.arg(at + 1));
                    if (q.center == null) {
                        throw new CommandError(MEMBER_NOT_FOUND);
                    }
                }
                q.fromMember = true;
                i++;
            } else if (c.argIs(at, "fromlonlat") && i + 2 < remaining && kind.geosearch() && !q.fromMember) {
                q.center = lonLatArgs(c, at + 1);
                q.fromLonLat = true;
                i += 2;
            } else if (c.argIs(at, "byradius") && i + 2 < remaining && kind.geosearch() && !q.byBox) {
                q.radius = radiusArg(c, at + 1);
                q.conversion = unitArg(c, at + 2);
                q.byRadius = true;
                i += 2;
            } else if (c.argIs(at, "bybox") && i + 3 < remaining && kind.geosearch() && !q.byRadius) {
                boxArgs(c, at + 1, q);
                q.byBox = true;
                i += 3;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
    }

    /** BYBOX width height unit (Redis's extractBoxOrReply). */
    private static void boxArgs(Client c, int i, Query q) {
        double width = Args.doubleArg(c, i, "ERR need numeric width");
        double height = Args.doubleArg(c, i + 1, "ERR need numeric height");
        if (height < 0 || width < 0) {
            throw new CommandError("ERR height or width cannot be negative");
        }
        q.width = width;
        q.height = height;
        q.conversion = unitArg(c, i + 2);
    }

    /** The checks Redis makes once all options are read, in its order. */
    private static void checkOptions(Client c, Search kind, Query q) {
        if (q.storeKey != null && q.withAnything()) {
            throw new CommandError("ERR " + (kind == Search.GEOSEARCHSTORE ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        if (kind.geosearch() && !(q.fromMember || q.fromLonLat)) {
            throw new CommandError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + c.argString(0));
        }
        if (kind.geosearch() && !(q.byRadius || q.byBox)) {
            throw new CommandError("ERR exactly one of BYRADIUS and BYBOX can be specified for " + c.argString(0));
        }
        if (q.any && q.count == 0) {
            throw new CommandError("ERR the ANY argument requires COUNT argument");
        }
    }

    /** No source key: an empty array, or for a store the destination deleted and 0. */
    private static void replyNoSource(Client c, Query q) {
        if (q.storeKey != null) {
            Keys.deletePresent(c, c.db(), q.storeKey);
            c.reply().integer(0);
        } else {
            c.reply().array(0);
        }
    }

    /** Redis's sort_gp_asc, comparisons and all: a NaN distance compares as smaller. */
    private static final Comparator<GeoMatch> NEAREST_FIRST = (a, b) -> {
        if (a.distance() > b.distance()) {
            return 1;
        }
        return a.distance() == b.distance() ? 0 : -1;
    };

    private static final Comparator<GeoMatch> FARTHEST_FIRST = (a, b) -> -NEAREST_FIRST.compare(a, b);

    /**
     * Orders the matches as Redis does: all of them with qsort, or, when COUNT keeps fewer, only
     * the first {@code returned} places with its partial quicksort (which is not stable, so equal
     * distances come out in that algorithm's order).
     */
    private static void sortMatches(GeoMatch[] matches, Sort sort, int returned) {
        if (sort == Sort.NONE) {
            return;
        }
        Comparator<GeoMatch> cmp = sort == Sort.ASC ? NEAREST_FIRST : FARTHEST_FIRST;
        if (returned == matches.length) {
            MergeSort.sort(matches, cmp);
        } else {
            PartialQuickSort.sort(matches, cmp, 0, returned - 1);
        }
    }

    /**
     * The first {@code returned} matches: each a member name, or an array of the name followed by
     * the distance (in the query's unit), the hash and the coordinates asked for.
     */
    private static void replyMatches(Client c, Query q, GeoMatch[] matches, int returned) {
        Reply r = c.reply();
        int options = (q.withDist ? 1 : 0) + (q.withHash ? 1 : 0) + (q.withCoord ? 1 : 0);
        r.array(returned);
        for (int i = 0; i < returned; i++) {
            GeoMatch m = matches[i];
            if (options > 0) {
                r.array(options + 1);
            }
            r.bulk(m.member());
            if (q.withDist) {
                replyDistance(r, m.distance() / q.conversion);
            }
            if (q.withHash) {
                r.integer((long) m.score());
            }
            if (q.withCoord) {
                replyCoordinates(r, m.longitude(), m.latitude());
            }
        }
    }

    /**
     * STORE, STOREDIST and GEOSEARCHSTORE: the first {@code returned} matches become a sorted set
     * scored by hash or by distance (in the query's unit), replacing the destination, or deleting
     * it when there are none; each stored member counts as a change.
     */
    private static void store(Client c, Search kind, Query q, GeoMatch[] matches, int returned) {
        ZSetValue result = ZSetValue.skiplist();
        ZSetValue.Limits unlimited = new ZSetValue.Limits(Long.MAX_VALUE, Long.MAX_VALUE);
        for (int i = 0; i < returned; i++) {
            GeoMatch m = matches[i];
            result.add(q.storeDist ? m.distance() / q.conversion : m.score(), m.member(), 0, null, unlimited);
        }
        result.convertToListpackIfFits(SortedSetValues.limits(c));
        String event = kind == Search.GEOSEARCHSTORE ? "geosearchstore" : "georadiusstore";
        SetCommands.storeOrDelete(c, q.storeKey, result, returned, event, returned);
    }
}
