package io.respire.server.commands;

import io.respire.server.Client;

/** Key lookups with Redis's side effects (lazy expiry, hit/miss statistics). */
public final class Keys {
    private Keys() {
    }

    /** Redis's lookupKeyRead: the live value or null, counting a keyspace hit or miss. */
    public static Object lookupRead(Client c, byte[] key) {
        Object value = c.db().lookup(key, c.server().nowMs());
        if (value == null) {
            c.server().stats().keyspaceMisses++;
        } else {
            c.server().stats().keyspaceHits++;
        }
        return value;
    }

    /** Redis's lookupKeyWrite: the live value or null, without statistics. */
    public static Object lookupWrite(Client c, byte[] key) {
        return c.db().lookup(key, c.server().nowMs());
    }
}
