package io.respire.server.commands;

import io.respire.ds.keyspace.Database;
import io.respire.ds.keyspace.Dict;
import io.respire.server.Client;
import io.respire.server.ServerContext;

/**
 * Key lookups with Redis's side effects (db.c lookupKey): lazy expiry, recording the access for
 * eviction and OBJECT IDLETIME/FREQ (see {@link KeyAccess}), and keyspace hit/miss statistics.
 * The variants are Redis's lookup flags: reads count statistics, writes do not; "no touch" lookups
 * (EXISTS, TYPE, TTL, OBJECT) leave the access time alone.
 */
public final class Keys {
    private Keys() {
    }

    /** Redis's lookupKeyRead: the live value or null, counting a keyspace hit or miss. */
    public static Object lookupRead(Client c, byte[] key) {
        return value(lookup(c.server(), c.db(), key, true, true));
    }

    /** Redis's lookupKeyReadWithFlags(LOOKUP_NOTOUCH): as {@link #lookupRead}, without recording an access. */
    public static Object lookupReadNoTouch(Client c, byte[] key) {
        return value(lookupEntryNoTouch(c, key));
    }

    /** Redis's lookupKeyWrite: the live value or null, without statistics. */
    public static Object lookupWrite(Client c, byte[] key) {
        return value(lookup(c.server(), c.db(), key, true, false));
    }

    /** Redis's lookupKeyWrite in a database other than the client's (MOVE, COPY ... DB). */
    public static Object lookupWrite(Client c, Database db, byte[] key) {
        return value(lookup(c.server(), db, key, true, false));
    }

    /**
     * As {@link #lookupReadNoTouch}, returning the entry (value, expiry, access data). The entry is
     * only valid until the key's expiry is next set or removed.
     */
    public static Dict.Entry lookupEntryNoTouch(Client c, byte[] key) {
        return lookup(c.server(), c.db(), key, false, true);
    }

    /** As {@link #lookupWrite(Client, Database, byte[])}, returning the entry (see {@link #lookupEntryNoTouch}). */
    public static Dict.Entry lookupEntryWrite(Client c, Database db, byte[] key) {
        return lookup(c.server(), db, key, true, false);
    }

    private static Object value(Dict.Entry e) {
        return e == null ? null : e.value();
    }

    private static Dict.Entry lookup(ServerContext server, Database db, byte[] key, boolean touch, boolean stats) {
        long now = server.nowMs();
        Dict.Entry e = db.lookupEntry(key, now);
        if (e == null) {
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
     * Deletes a live key and signals a "del" (Redis's expireIfNeeded + dbDelete + notify, as DEL
     * does); an expired key is removed as expired instead. Returns whether a live key was deleted.
     */
    public static boolean delete(Client c, Database db, byte[] key) {
        if (db.lookupEntry(key, c.server().nowMs()) == null || !db.remove(key)) {
            return false;
        }
        c.server().keyModified(db, key, "del");
        return true;
    }
}
