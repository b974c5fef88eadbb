package io.respire.server.keyspace;

import io.respire.ds.keyspace.Database;
import io.respire.ds.string.MutableString;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;

/**
 * How string values are held and read. A string is a {@code byte[]} or, once changed in place by
 * APPEND/SETRANGE/SETBIT, a {@link MutableString}. The keyspace copies a short {@code byte[]} as it
 * stores it and may later write a value of the same length into that copy (see {@code Dict.set}):
 * an array read from a key is the key's own, to be copied by whoever keeps it past the command.
 */
public final class StringValues {
    private StringValues() {
    }

    public static boolean isString(Object value) {
        return value instanceof byte[] || value instanceof MutableString;
    }

    /**
     * The string at {@code key} (lazily expiring it), or null if absent; WRONGTYPE if the key holds
     * another type. Counts a keyspace hit or miss, as Redis's lookupKeyRead.
     */
    public static Object lookupRead(Client c, byte[] key) {
        Object value = Keys.lookupRead(c, key);
        if (value != null && !isString(value)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return value;
    }

    /** As {@link #lookupRead} without counting hits and misses (the key is about to be written). */
    public static Object lookupWrite(Client c, byte[] key) {
        Object value = Keys.lookupWrite(c, key);
        if (value != null && !isString(value)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        return value;
    }

    /** The bytes of a string value (a copy only for a MutableString: copy a byte[] to keep it). */
    public static byte[] bytes(Object value) {
        return value instanceof byte[] b ? b : ((MutableString) value).toBytes();
    }

    public static int length(Object value) {
        return value instanceof byte[] b ? b.length : ((MutableString) value).length();
    }

    /**
     * The array holding a string value, without copying: only its first {@link #length} bytes are
     * the value; it must not be modified, nor kept past the command (the next write may change it).
     */
    public static byte[] array(Object value) {
        return value instanceof byte[] b ? b : ((MutableString) value).array();
    }

    /**
     * A range of a string as GETRANGE, BITCOUNT and BITPOS take it: inclusive, negative indexes
     * counting from the end, clamped to [0, length - 1]. Returns {start, end}; start > end when
     * the range is empty.
     */
    public static long[] clampRange(long start, long end, long length) {
        if (start < 0) {
            start = Math.max(length + start, 0);
        }
        if (end < 0) {
            end = Math.max(length + end, 0);
        }
        return new long[] {start, Math.min(end, length - 1)};
    }

    /**
     * Redis's dbUnshareStringValue: the string at {@code key} as a MutableString that may be changed
     * in place. A byte[] value is copied into a new MutableString that replaces it (keeping the TTL).
     */
    public static MutableString unshare(Database db, byte[] key, Object value) {
        if (value instanceof MutableString m) {
            return m;
        }
        byte[] b = (byte[]) value;
        MutableString m = new MutableString(b.clone());
        db.replace(key, m);
        return m;
    }

    public static void reply(Reply reply, Object value) {
        if (value instanceof byte[] b) {
            reply.bulk(b);
        } else {
            MutableString m = (MutableString) value;
            reply.bulk(m.array(), 0, m.length());
        }
    }

    /** Stores a string, clearing any TTL (or keeping it), and signals the write. */
    public static void store(Client c, Database db, byte[] key, byte[] value, boolean keepTtl, String event) {
        if (keepTtl) {
            db.replace(key, value);
        } else {
            db.put(key, value);
        }
        c.server().keyStored(db, key, event);
    }
}
