package io.respire.server.keyspace;

import io.respire.ds.keyspace.Database;
import io.respire.server.Client;

/**
 * How a command that changed a key ends (Redis's signalModifiedKey + notifyKeyspaceEvent +
 * server.dirty): shared by every family that writes collections, and by the STORE variants.
 */
public final class Writes {
    private Writes() {
    }

    /**
     * Signals a write to a collection: the keyspace event, then "del" when the write emptied the
     * collection (the caller has removed the key), counting {@code changes} as Redis's dirty
     * counter does (removing the emptied key is not a change of its own).
     */
    public static void written(Client c, byte[] key, String event, long changes, boolean deleted) {
        Database db = c.db();
        c.server().keyModified(db, key, event, changes);
        if (deleted) {
            c.server().keyModified(db, key, "del", 0);
        }
    }

    /**
     * The end of the STORE variants (SINTERSTORE, ZUNIONSTORE, ZRANGESTORE...): a non-empty result
     * replaces whatever {@code dst} held, TTL included (Redis's setKey), and its size is the
     * reply; an empty one deletes {@code dst} (even expired: see {@link Keys#deletePresent}) and
     * replies 0.
     */
    public static void storeOrDelete(Client c, byte[] dst, Object value, long size, String event) {
        storeOrDelete(c, dst, value, size, event, 1);
    }

    /**
     * As {@link #storeOrDelete(Client, byte[], Object, long, String)}, a stored result counting
     * {@code changes} towards the dirty counter (GEOSEARCHSTORE counts its elements).
     */
    public static void storeOrDelete(Client c, byte[] dst, Object value, long size, String event, long changes) {
        Database db = c.db();
        if (size > 0) {
            db.put(dst, value);
            c.server().keyModified(db, dst, event, changes);
            c.reply().integer(size);
        } else {
            c.reply().integer(0);
            Keys.deletePresent(c, db, dst);
        }
    }
}
