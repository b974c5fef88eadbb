package io.respire.server.multi;

import io.respire.ds.keyspace.Database;
import io.respire.server.Client;
import io.respire.server.ServerContext;
import io.respire.server.keyspace.KeyEvent;
import io.respire.server.keyspace.KeyspaceListener;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * WATCH's optimistic locking (Redis's multi.c): which clients watch which keys, and marking their
 * transactions dirty when a watched key changes, so that their EXEC replies a null array. One per
 * server, used on the executor only.
 *
 * <p>Changes arrive through {@link ServerContext#keyModified} (every write), expiry (a watched key
 * that expires or is deleted as expired counts as changed, Redis's signalModifiedKey in
 * deleteExpiredKeyAndPropagate), and {@link ServerContext#databaseReplaced} (FLUSHDB, FLUSHALL,
 * SWAPDB). A key already logically expired when WATCHed is remembered as such: its lazy deletion
 * is no change, and neither is replacing "expired" with "absent" or with another expired key.
 */
public final class WatchedKeys implements KeyspaceListener {
    /** One watched key of one client (Redis's watchedKey). */
    static final class Watch {
        final Client client;
        final Database db;
        final ByteBuffer key;
        /** The key was already expired (but not yet deleted) when watched. */
        boolean expired;

        Watch(Client client, Database db, ByteBuffer key, boolean expired) {
            this.client = client;
            this.db = db;
            this.key = key;
            this.expired = expired;
        }
    }

    private final ServerContext server;
    /** Per database, key to the clients watching it, in WATCH order. */
    private final Map<Database, Map<ByteBuffer, List<Watch>>> byKey = new HashMap<>();

    public WatchedKeys(ServerContext server) {
        this.server = server;
    }

    /** WATCH one key of the client's current database (Redis's watchForKey); twice is once. */
    public void watch(Client c, byte[] key) {
        ByteBuffer k = ByteBuffer.wrap(key);
        List<Watch> mine = c.multi().watches;
        for (Watch w : mine) {
            if (w.db == c.db() && w.key.equals(k)) {
                return;
            }
        }
        Watch w = new Watch(c, c.db(), k, isExpired(c.db(), key));
        mine.add(w);
        byKey.computeIfAbsent(c.db(), d -> new HashMap<>()).computeIfAbsent(k, x -> new ArrayList<>(1)).add(w);
    }

    /** Forgets every key the client watches (Redis's unwatchAllKeys); the dirty flag stays. */
    public void unwatchAll(Client c) {
        List<Watch> mine = c.multi().watches;
        for (Watch w : mine) {
            Map<ByteBuffer, List<Watch>> keys = byKey.get(w.db);
            List<Watch> watchers = keys.get(w.key);
            watchers.remove(w);
            if (watchers.isEmpty()) {
                keys.remove(w.key);
                if (keys.isEmpty()) {
                    byKey.remove(w.db);
                }
            }
        }
        mine.clear();
    }

    /** UNWATCH: no key watched and no change remembered. */
    public void unwatch(Client c) {
        unwatchAll(c);
        c.multi().clearDirtyCas();
    }

    /** Redis's discardTransaction: out of MULTI, queue dropped, flags cleared, keys unwatched. */
    public void discard(Client c) {
        c.multi().clear();
        unwatchAll(c);
    }

    /**
     * EXEC's check (Redis's isWatchedKeyExpired): a watched key that has expired since WATCH, even
     * if nothing deleted it yet, counts as changed. Marks the transaction dirty if so.
     */
    public void checkExpired(Client c) {
        long now = server.nowMs();
        for (Watch w : c.multi().watches) {
            if (!w.expired && isExpired(w.db, w.key.array(), now)) {
                c.multi().markDirty();
                return;
            }
        }
    }

    @Override
    public void keyModified(Database db, byte[] key, KeyEvent event) {
        touch(db, key);
    }

    @Override
    public void databaseReplaced(Database db, Database with) {
        touchAll(db, with);
    }

    /** A key was written or deleted (Redis's touchWatchedKey). */
    public void touch(Database db, byte[] key) {
        if (byKey.isEmpty()) {
            return;
        }
        Map<ByteBuffer, List<Watch>> keys = byKey.get(db);
        List<Watch> watchers = keys == null ? null : keys.get(ByteBuffer.wrap(key));
        if (watchers == null) {
            return;
        }
        for (Watch w : List.copyOf(watchers)) {
            if (w.expired) {
                if (db.peek(key) == null) {
                    w.expired = false; // the stale key got deleted: logically no change
                    continue;
                }
                // Redis 7.0 leaves the loop here, so the watchers after this one are not flagged.
                break;
            }
            w.client.multi().markDirty();
            unwatchAll(w.client); // nothing more to learn for this client
        }
    }

    /**
     * {@code emptied} is about to be flushed ({@code with} null) or swapped with {@code with}
     * (Redis's touchAllWatchedKeysInDb): its watched keys that exist in either database change,
     * except that expired stays expired and expired-to-absent is no change.
     */
    public void touchAll(Database emptied, Database with) {
        Map<ByteBuffer, List<Watch>> keys = byKey.get(emptied);
        if (keys == null) {
            return;
        }
        long now = server.nowMs();
        for (Map.Entry<ByteBuffer, List<Watch>> e : keys.entrySet()) {
            byte[] key = e.getKey().array();
            boolean inEmptied = emptied.peek(key) != null;
            boolean inWith = with != null && with.peek(key) != null;
            if (!inEmptied && !inWith) {
                continue;
            }
            for (Watch w : e.getValue()) {
                if (w.expired) {
                    if (!inWith) {
                        w.expired = false;
                        continue;
                    } else if (isExpired(with, key, now)) {
                        continue;
                    }
                } else if (!inEmptied && isExpired(with, key, now)) {
                    w.expired = true; // absent replaced with an expired key
                    continue;
                }
                // Only flagged, not unwatched: the maps are being iterated (as in Redis).
                w.client.multi().markDirty();
            }
        }
    }

    private boolean isExpired(Database db, byte[] key) {
        return isExpired(db, key, server.nowMs());
    }

    /** Redis's keyIsExpired: the key is still stored but its time has come (no deletion here). */
    private static boolean isExpired(Database db, byte[] key, long now) {
        long at = db.expireAt(key);
        return at >= 0 && at <= now;
    }
}
