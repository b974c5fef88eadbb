package io.respire.server.commands;

import io.respire.ds.geo.GeoDistance;
import io.respire.ds.geo.GeoHash;
import io.respire.ds.geo.GeoMatch;
import io.respire.ds.geo.GeoSearch;
import io.respire.ds.geo.LonLat;
import io.respire.ds.zset.ZSetValue;
import io.respire.protocol.DoubleFormat;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.CommandTable;
import io.respire.server.commands.GeoArgs.Search;
import io.respire.server.commands.GeoArgs.SearchQuery;
import io.respire.server.commands.GeoArgs.Sort;
import io.respire.server.keyspace.Keys;
import io.respire.server.keyspace.SortedSetValues;
import io.respire.server.keyspace.Writes;
import io.respire.server.replication.Effects;

import java.util.Comparator;
import java.util.List;

/**
 * Geo commands (Redis's geo.c). Positions live in sorted sets, each member scored with the 52-bit
 * geohash of its position ({@link GeoHash}), so GEOADD is a ZADD and every sorted set command works
 * on a geo index. The searches scan the nine cells around the centre ({@link GeoSearch}).
 *
 * <p>Replies are Redis's to the byte: distances with four decimals as Redis's fixed-point
 * formatter writes them, coordinates in Redis's "human" long double form, and searches without
 * ASC or DESC in the order Redis finds the points. {@link GeoArgs} reads the arguments in Redis's
 * order, which decides which error a bad command gets.
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
            LonLat p = GeoArgs.lonLat(c, longIdx + i * 3);
            scores[i] = GeoHash.score(p.longitude(), p.latitude());
            members[i] = c.arg(longIdx + i * 3 + 2);
        }
        if (elements == 0) {
            throw new CommandError(Errors.SYNTAX); // ZADD's check: options but no pairs
        }
        SortedSetValues.Added outcome = SortedSetValues.add(c, c.arg(1), flags, scores, members, "zadd");
        c.reply().integer(ch ? outcome.added() + outcome.updated() : outcome.added());
        if (c.propagating()) {
            c.propagateAs(asZadd(c, longIdx, scores, members));
        }
    }

    /**
     * What GEOADD propagates: Redis replaces its arguments by the ZADD it runs (lower-case "zadd",
     * the options as given, each score as the integer 52-bit hash), so that is what the AOF and
     * replicas get.
     */
    private static byte[][] asZadd(Client c, int longIdx, double[] scores, byte[][] members) {
        byte[][] argv = new byte[longIdx + scores.length * 2][];
        argv[0] = Effects.ZADD_LOWER_CASE;
        for (int i = 1; i < longIdx; i++) {
            argv[i] = c.arg(i);
        }
        for (int i = 0; i < scores.length; i++) {
            argv[longIdx + i * 2] = Effects.number((long) scores[i]);
            argv[longIdx + i * 2 + 1] = members[i];
        }
        return argv;
    }

    /** GEODIST key member1 member2 [unit]: null unless both members exist. */
    static void geodist(Client c) {
        double toMeters = 1;
        if (c.argc() == 5) {
            toMeters = GeoArgs.unit(c, 4);
        } else if (c.argc() > 5) {
            throw new CommandError(Errors.SYNTAX);
        }
        ZSetValue zset = SortedSetValues.lookupRead(c, c.arg(1));
        LonLat a = zset == null ? null : GeoArgs.memberPosition(zset, c.arg(2));
        LonLat b = a == null ? null : GeoArgs.memberPosition(zset, c.arg(3));
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
            LonLat p = zset == null ? null : GeoArgs.memberPosition(zset, c.arg(j));
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

    /**
     * Redis's georadiusGeneric: WRONGTYPE first, then the arguments ({@link SearchQuery#parse}),
     * and only then the search, its order and the reply or the store.
     */
    private static void search(Client c, Search kind) {
        ZSetValue zset = SortedSetValues.lookupRead(c, c.arg(kind.sourceKey));
        SearchQuery q = SearchQuery.parse(c, kind, zset);
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

    /** No source key: an empty array, or for a store the destination deleted and 0. */
    private static void replyNoSource(Client c, SearchQuery q) {
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
    private static void replyMatches(Client c, SearchQuery q, GeoMatch[] matches, int returned) {
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
    private static void store(Client c, Search kind, SearchQuery q, GeoMatch[] matches, int returned) {
        ZSetValue result = ZSetValue.skiplist();
        ZSetValue.Limits unlimited = new ZSetValue.Limits(Long.MAX_VALUE, Long.MAX_VALUE);
        for (int i = 0; i < returned; i++) {
            GeoMatch m = matches[i];
            result.add(q.storeDist ? m.distance() / q.conversion : m.score(), m.member(), 0, null, unlimited);
        }
        result.convertToListpackIfFits(SortedSetValues.limits(c));
        String event = kind == Search.GEOSEARCHSTORE ? "geosearchstore" : "georadiusstore";
        Writes.storeOrDelete(c, q.storeKey, result, returned, event, returned);
    }
}
