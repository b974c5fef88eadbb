package io.respire.server.keyspace;

import io.respire.ds.zset.ZSetValue;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.config.ServerConfig;

/**
 * Sorted set values as the families that keep data in them use them: the sorted set commands and
 * the geo commands, whose positions are sorted set scores (Redis's geo.c calls into t_zset.c the
 * same way). Lookups with WRONGTYPE, the encoding limits in force, and ZADD's write.
 */
public final class SortedSetValues {
    private SortedSetValues() {
    }

    /** The sorted set at {@code key}, or null; WRONGTYPE for another type. */
    public static ZSetValue lookupRead(Client c, byte[] key) {
        return Keys.lookupRead(c, key, ZSetValue.class);
    }

    public static ZSetValue lookupWrite(Client c, byte[] key) {
        return Keys.lookupWrite(c, key, ZSetValue.class);
    }

    /** The listpack thresholds in force now (they may be changed with CONFIG SET at any time). */
    public static ZSetValue.Limits limits(Client c) {
        ServerConfig config = c.server().config();
        return new ZSetValue.Limits(config.zsetMaxListpackEntries.value(), config.zsetMaxListpackValue.value());
    }

    /** What a ZADD did: members added, scores changed, pairs not skipped, the last resulting score. */
    public record Added(int added, int updated, int processed, double score) {
    }

    private static final String NAN_ERROR = "ERR resulting score is not a number (NaN)";

    /**
     * The write of ZADD once its arguments are parsed (the second half of Redis's
     * zaddGenericCommand, which GEOADD also ends in): WRONGTYPE, the set created unless XX, each
     * pair added as {@code flags} (ZSetValue's NX, XX, GT, LT, INCR) say, and the write signalled
     * with {@code event} and a dirty count of the changes, even when a NaN stops it midway.
     */
    public static Added add(Client c, byte[] key, int flags, double[] scores, byte[][] members, String event) {
        ZSetValue zset = lookupWrite(c, key);
        if (zset == null && (flags & ZSetValue.XX) == 0) {
            zset = ZSetValue.createFor(members[0], limits(c));
            c.db().put(key, zset);
        }
        if (zset == null) {
            return new Added(0, 0, 0, 0);
        }
        ZSetValue.Limits limits = limits(c);
        double[] newScore = new double[1];
        int added = 0;
        int updated = 0;
        int processed = 0;
        double score = 0;
        try {
            for (int j = 0; j < scores.length; j++) {
                int out = zset.add(scores[j], members[j], flags, newScore, limits);
                if ((out & ZSetValue.NAN) != 0) {
                    throw new CommandError(NAN_ERROR);
                }
                added += (out & ZSetValue.ADDED) != 0 ? 1 : 0;
                updated += (out & ZSetValue.UPDATED) != 0 ? 1 : 0;
                processed += (out & ZSetValue.NOP) == 0 ? 1 : 0;
                score = newScore[0];
            }
        } finally {
            if (added + updated > 0) {
                Writes.written(c, key, event, added + updated, false);
            }
        }
        return new Added(added, updated, processed, score);
    }
}
