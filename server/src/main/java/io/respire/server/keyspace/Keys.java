package io.respire.server.keyspace;

import io.respire.ds.keyspace.Database;
import io.respire.ds.keyspace.Dict;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.ServerContext;
import io.respire.server.command.CommandFlag;
import io.respire.server.command.CommandSpec;
import io.respire.server.command.KeyFinder;

/**
 * Key lookups with Redis's side effects (db.c lookupKey): lazy expiry, recording the access for
 * eviction and OBJECT IDLETIME/FREQ (see {@link KeyAccess}), and keyspace hit/miss statistics.
 * The variants are Redis's lookup flags: reads count statistics, writes do not; "no touch" lookups
 * (EXISTS, TYPE, TTL, OBJECT) leave the access time alone.
 *
 * <p>While clients are paused (CLIENT PAUSE) the dataset must not change, so an expired key reads
 * as missing but is left in place, to be removed once the pause ends (Redis's expireIfNeeded). A
 * replica does the same: its keys are deleted only by its primary's DEL, which the master client,
 * to which they are all still there, runs.
 */
public final class Keys {
    private static final KeyEvent KEY_MISS = KeyEvent.of("keymiss");
    private Keys() {
    }

    /** Redis's lookupKeyRead: the live value or null, counting a keyspace hit or miss. */
    public static Object lookupRead(Client c, byte[] key) {
        return value(lookup(c.server(), c.db(), key, true, true));
    }

    /** Redis's lookupKeyReadWithFlags(LOOKUP_NOTOUCH): as {@link #lookupRead}, without recording an access. */
    public static Object lookupReadNoTouch(Client c, byte[] key) {
        return value(lookup(c.server(), c.db(), key, false, true));
    }

    /**
     * Redis's lookupKeyWrite: the live value or null, without statistics. This is the write gate
     * for changes in place: a running snapshot records the value first (see {@link #forWriting}).
     */
    public static Object lookupWrite(Client c, byte[] key) {
        return value(lookupEntryWrite(c, c.db(), key));
    }

    /**
     * Redis's lookupKeyRead + checkType: the live value at {@code key} if it is a {@code type}, null
     * if there is none; WRONGTYPE for a value of another type. The one typed lookup every family uses.
     */
    public static <T> T lookupRead(Client c, byte[] key, Class<T> type) {
        return checkType(lookupRead(c, key), type);
    }

    /** As {@link #lookupRead(Client, byte[], Class)} for a key about to be written (no hit/miss statistics). */
    public static <T> T lookupWrite(Client c, byte[] key, Class<T> type) {
        return checkType(lookupWrite(c, key), type);
    }

    /** Redis's checkType: {@code value} as a {@code type} (null stays null); WRONGTYPE otherwise. */
    public static <T> T checkType(Object value, Class<T> type) {
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw new CommandError(Errors.WRONGTYPE);
    }

    /** Redis's lookupKeyWrite in a database other than the client's (MOVE, COPY ... DB). */
    public static Object lookupWrite(Client c, Database db, byte[] key) {
        return value(lookupEntryWrite(c, db, key));
    }

    /**
     * As {@link #lookupReadNoTouch}, returning the entry (value, expiry, access data), and without
     * a "keymiss" event (OBJECT's lookup). The entry is only valid until the key's expiry is next
     * set or removed.
     */
    public static Dict.Entry lookupEntryNoTouch(Client c, byte[] key) {
        return lookup(c.server(), c.db(), key, false, true, false);
    }

    /** As {@link #lookupWrite(Client, Database, byte[])}, returning the entry (see {@link #lookupEntryNoTouch}). */
    public static Dict.Entry lookupEntryWrite(Client c, Database db, byte[] key) {
        return forWriting(db, lookup(c.server(), db, key, true, false));
    }

    /**
     * Hands an entry looked up for writing to the write gate: a point-in-time snapshot that has
     * not recorded it yet does so now, before the caller changes its value in place. Replacing,
     * deleting and expiring keys reach the gate inside the table itself.
     */
    private static Dict.Entry forWriting(Database db, Dict.Entry e) {
        if (e != null) {
            db.beforeWrite(e);
        }
        return e;
    }

    /**
     * The write gate's net for what no lookup for writing announces (a value changed after a
     * plain lookup, a blocked client's pop): while a snapshot runs on the client's database, the
     * keys of a command that may write are handed to the gate before it runs. Costs one check
     * when no snapshot runs.
     */
    public static void beforeCommand(Client c, CommandSpec cmd, byte[][] argv) {
        Database db = c.db();
        if (!db.snapshotRunning() || !(cmd.has(CommandFlag.WRITE) || cmd.has(CommandFlag.MAY_REPLICATE))) {
            return;
        }
        for (KeyFinder.KeyRef ref : KeyFinder.find(cmd, argv)) {
            forWriting(db, db.peekEntry(argv[ref.position()]));
        }
    }

    private static Object value(Dict.Entry e) {
        return e == null ? null : e.value();
    }

    private static Dict.Entry lookup(ServerContext server, Database db, byte[] key, boolean touch, boolean stats) {
        return lookup(server, db, key, touch, stats, stats);
    }

    /** {@code notifyMiss}: whether a miss is a "keymiss" event (reads, except OBJECT's: LOOKUP_NONOTIFY). */
    private static Dict.Entry lookup(ServerContext server, Database db, byte[] key, boolean touch, boolean stats,
                                     boolean notifyMiss) {
        long now = server.nowMs();
        Dict.Entry e = liveEntry(server, db, key, now, !stats);
        if (e == null) {
            if (notifyMiss) {
                server.notifyOnly(db, key, KEY_MISS);
            }
            if (stats) {
                server.stats().keyspaceMisses++;
            }
            return null;
        }
        if (touch) {
            KeyAccess.touch(server, e, now);
        }
        if (stats) {
            server.stats().keyspaceHits++;
        }
        return e;
    }

    /**
     * The entry of a live key, or null; an expired key is removed, unless clients are paused (see
     * the class comment). No statistics, no access recorded.
     */
    private static Dict.Entry liveEntry(ServerContext server, Database db, byte[] key, long now) {
        return liveEntry(server, db, key, now, false);
    }

    /**
     * As {@link #liveEntry(ServerContext, Database, byte[], long)}; {@code write}: a lookup before a
     * write, which on a (writable) replica removes an expired key, as Redis 7.0's LOOKUP_WRITE forces.
     */
    private static Dict.Entry liveEntry(ServerContext server, Database db, byte[] key, long now, boolean write) {
        if (server.snapshots().loader().loading()) {
            return db.peekEntry(key); // nothing expires while a file loads (Redis's keyIsExpired)
        }
        boolean replica = server.masterLink().active() && !(write && !server.masterLink().isMaster(server.currentClient()));
        if (!replica && !server.clientsPaused()) {
            return db.lookupEntry(key, now);
        }
        Dict.Entry e = db.peekEntry(key);
        if (replica && server.masterLink().isMaster(server.currentClient())) {
            return e; // Redis 7.0's expireIfNeeded: the primary's stream sees its keys until its own DEL
        }
        long expireAt = e == null ? -1 : e.expireAt();
        return expireAt != -1 && expireAt <= now ? null : e; // expired as Database.lookupEntry judges it
    }

    /**
     * Redis's checkAlreadyExpired: whether an expiry time set now deletes the key at once rather
     * than being set; never while a file loads (an AOF's PEXPIREAT in the past is kept, and the
     * key expires once the load is over, as in Redis).
     */
    public static boolean alreadyExpired(ServerContext server, long whenMs, long nowMs) {
        return whenMs <= nowMs && !server.snapshots().loader().loading();
    }

    /**
     * Redis's expireIfNeeded: whether the key exists but has expired; if so it is removed, unless
     * clients are paused. For commands that meet keys by iterating (SCAN, RANDOMKEY).
     */
    public static boolean expireIfNeeded(ServerContext server, Database db, byte[] key) {
        long now = server.nowMs();
        long expireAt = db.expireAt(key);
        if (expireAt == -1 || expireAt > now || server.snapshots().loader().loading()
                || server.masterLink().isMaster(server.currentClient())) {
            return false;
        }
        liveEntry(server, db, key, now);
        return true;
    }

    /**
     * Deletes a live key and signals a "del" (Redis's expireIfNeeded + dbDelete + notify, as DEL
     * does); an expired key is removed as expired instead. Returns whether a live key was deleted.
     */
    public static boolean delete(Client c, Database db, byte[] key) {
        if (liveEntry(c.server(), db, key, c.server().nowMs()) == null || !db.remove(key)) {
            return false;
        }
        c.server().keyModified(db, key, "del");
        return true;
    }

    /**
     * Deletes the key if it is there, live or expired, signalling a "del" (Redis's bare dbDelete,
     * which the STORE variants and BITOP use on an empty result: an expired key not yet removed
     * counts as deleted). Returns whether a key was removed.
     */
    public static boolean deletePresent(Client c, Database db, byte[] key) {
        if (!db.remove(key)) {
            return false;
        }
        c.server().keyModified(db, key, "del");
        return true;
    }
}
