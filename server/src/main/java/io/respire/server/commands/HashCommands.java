package io.respire.server.commands;

import io.respire.ds.hash.HashValue;
import io.respire.ds.listpack.ValueSink;
import io.respire.ds.string.LongDouble;
import io.respire.ds.util.Numbers;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Replies;
import io.respire.server.config.ServerConfig;
import io.respire.server.keyspace.Keys;
import io.respire.server.keyspace.Scans;
import io.respire.server.keyspace.Writes;
import io.respire.server.replication.Effects;

import java.util.function.Consumer;

/**
 * Hash commands (Redis's t_hash.c) over {@link HashValue}, which owns the choice between the
 * listpack and hashtable encodings; commands pass it the conversion thresholds from the config at
 * each write, as Redis reads them at that moment. Values go from the hash to the reply without
 * copies through {@link ListCommands#bulkSink}.
 */
public final class HashCommands {
    private HashCommands() {
    }

    static void register(CommandTable table) {
        table.register("hset", HashCommands::hset);
        table.register("hmset", HashCommands::hset);
        table.register("hsetnx", HashCommands::hsetnx);
        table.register("hget", HashCommands::hget);
        table.register("hmget", HashCommands::hmget);
        table.register("hdel", HashCommands::hdel);
        table.register("hlen", HashCommands::hlen);
        table.register("hstrlen", HashCommands::hstrlen);
        table.register("hexists", HashCommands::hexists);
        table.register("hgetall", c -> hgetallGeneric(c, true, true));
        table.register("hkeys", c -> hgetallGeneric(c, true, false));
        table.register("hvals", c -> hgetallGeneric(c, false, true));
        table.register("hincrby", HashCommands::hincrby);
        table.register("hincrbyfloat", HashCommands::hincrbyfloat);
        table.register("hrandfield", HashCommands::hrandfield);
        table.register("hscan", HashCommands::hscan);
    }

    // ------------------------------------------------------------------------------------------
    // Lookup

    /** The hash at {@code key} (lookupKeyRead + checkType), or null; WRONGTYPE for another type. */
    static HashValue lookupRead(Client c, byte[] key) {
        return Keys.lookupRead(c, key, HashValue.class);
    }

    /** As {@link #lookupRead} for a key about to be written (no hit/miss statistics). */
    static HashValue lookupWrite(Client c, byte[] key) {
        return Keys.lookupWrite(c, key, HashValue.class);
    }

    /** Redis's hashTypeLookupWriteOrCreate: the hash at {@code key}, added empty if missing. */
    private static HashValue lookupOrCreate(Client c, byte[] key) {
        HashValue h = lookupWrite(c, key);
        if (h == null) {
            h = new HashValue();
            c.db().put(key, h);
        }
        return h;
    }

    /** Sets a field with the conversion thresholds currently configured; true if added. */
    private static boolean set(Client c, HashValue h, byte[] field, byte[] value) {
        ServerConfig config = c.server().config();
        return h.set(field, value, config.hashMaxListpackEntries.value(), config.hashMaxListpackValue.value());
    }

    // ------------------------------------------------------------------------------------------
    // Writes

    /** HSET key field value [field value ...], and the deprecated HMSET (which replies OK). */
    static void hset(Client c) {
        if (c.argc() % 2 == 1) {
            throw new CommandError(Errors.wrongArity(c.command().fullName()));
        }
        byte[] key = c.arg(1);
        HashValue h = lookupOrCreate(c, key);
        int created = 0;
        for (int i = 2; i < c.argc(); i += 2) {
            if (set(c, h, c.arg(i), c.arg(i + 1))) {
                created++;
            }
        }
        if (c.command().id() == io.respire.server.command.CommandId.HSET) {
            c.reply().integer(created);
        } else {
            c.reply().ok();
        }
        Writes.written(c, key, "hset", (c.argc() - 2) / 2, false);
    }

    static void hsetnx(Client c) {
        byte[] key = c.arg(1);
        HashValue h = lookupOrCreate(c, key);
        if (h.contains(c.arg(2))) {
            c.reply().integer(0);
            return;
        }
        set(c, h, c.arg(2), c.arg(3));
        c.reply().integer(1);
        Writes.written(c, key, "hset", 1, false);
    }

    static void hdel(Client c) {
        byte[] key = c.arg(1);
        HashValue h = lookupWrite(c, key);
        if (h == null) {
            c.reply().integer(0);
            return;
        }
        int deleted = 0;
        boolean keyRemoved = false;
        for (int i = 2; i < c.argc(); i++) {
            if (h.delete(c.arg(i))) {
                deleted++;
                if (h.isEmpty()) {
                    c.db().remove(key);
                    keyRemoved = true;
                    break;
                }
            }
        }
        if (deleted > 0) {
            Writes.written(c, key, "hdel", deleted, keyRemoved);
        }
        c.reply().integer(deleted);
    }

    static void hincrby(Client c) {
        long incr = Args.longArg(c, 3);
        byte[] key = c.arg(1);
        HashValue h = lookupOrCreate(c, key);
        byte[] current = h.get(c.arg(2));
        long value = 0;
        if (current != null) {
            if (!Numbers.isLong(current)) {
                throw new CommandError("ERR hash value is not an integer");
            }
            value = Numbers.parseLong(current);
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw new CommandError(Errors.OVERFLOW);
        }
        value += incr;
        set(c, h, c.arg(2), Numbers.toBytes(value));
        c.reply().integer(value);
        Writes.written(c, key, "hincrby", 1, false);
    }

    static void hincrbyfloat(Client c) {
        LongDouble incr = LongDouble.parse(c.arg(3));
        if (incr == null) {
            throw new CommandError(Errors.NOT_FLOAT);
        }
        if (!incr.isFinite()) {
            throw new CommandError("ERR value is NaN or Infinity");
        }
        byte[] key = c.arg(1);
        HashValue h = lookupOrCreate(c, key);
        byte[] current = h.get(c.arg(2));
        LongDouble value = LongDouble.ZERO;
        if (current != null) {
            value = LongDouble.parse(current);
            if (value == null) {
                throw new CommandError("ERR hash value is not a float");
            }
        }
        LongDouble sum = value.add(incr);
        if (!sum.isFinite()) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        byte[] result = sum.toHumanBytes();
        set(c, h, c.arg(2), result);
        c.reply().bulk(result);
        Writes.written(c, key, "hincrbyfloat", 1, false);
        c.propagateAs(Effects.HSET, key, c.arg(2), result); // the value it produced, not the float arithmetic
    }

    // ------------------------------------------------------------------------------------------
    // Reads

    static void hget(Client c) {
        HashValue h = lookupRead(c, c.arg(1));
        if (h == null || !h.get(c.arg(2), Replies.bulkSink(c.reply()))) {
            c.reply().nullBulk();
        }
    }

    static void hmget(Client c) {
        HashValue h = lookupRead(c, c.arg(1));
        Reply r = c.reply();
        ValueSink sink = Replies.bulkSink(r);
        r.array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            if (h == null || !h.get(c.arg(i), sink)) {
                r.nullBulk();
            }
        }
    }

    static void hlen(Client c) {
        HashValue h = lookupRead(c, c.arg(1));
        c.reply().integer(h == null ? 0 : h.size());
    }

    static void hstrlen(Client c) {
        HashValue h = lookupRead(c, c.arg(1));
        c.reply().integer(h == null ? 0 : h.valueLength(c.arg(2)));
    }

    static void hexists(Client c) {
        HashValue h = lookupRead(c, c.arg(1));
        c.reply().integer(h != null && h.contains(c.arg(2)) ? 1 : 0);
    }

    /** HGETALL (a map), HKEYS and HVALS (arrays): Redis's genericHgetallCommand. */
    static void hgetallGeneric(Client c, boolean fields, boolean values) {
        HashValue h = lookupRead(c, c.arg(1));
        Reply r = c.reply();
        int size = h == null ? 0 : h.size();
        if (fields && values) {
            r.map(size);
        } else {
            r.array(size);
        }
        if (h == null) {
            return;
        }
        ValueSink sink = Replies.bulkSink(r);
        HashValue.Cursor cursor = h.cursor();
        while (cursor.next()) {
            if (fields) {
                cursor.field(sink);
            }
            if (values) {
                cursor.value(sink);
            }
        }
    }

    /** HRANDFIELD key [count [WITHVALUES]]. */
    static void hrandfield(Client c) {
        if (c.argc() >= 3) {
            long count = Args.rangeLongArg(c, 2, -Long.MAX_VALUE, Long.MAX_VALUE, null);
            if (c.argc() > 4 || (c.argc() == 4 && !c.argIs(3, "WITHVALUES"))) {
                throw new CommandError(Errors.SYNTAX);
            }
            boolean withValues = c.argc() == 4;
            if (withValues && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
                throw new CommandError("ERR value is out of range");
            }
            hrandfieldWithCount(c, count, withValues);
            return;
        }
        HashValue h = lookupRead(c, c.arg(1));
        if (h == null) {
            c.reply().nullBulk();
            return;
        }
        ValueSink sink = Replies.bulkSink(c.reply());
        h.randomPairs(1, c.server().random(), cursor -> cursor.field(sink));
    }

    /**
     * Redis's hrandfieldWithCountCommand: a negative count allows repeats (random order), a
     * positive one returns distinct fields, the whole hash when the count reaches its size. With
     * WITHVALUES, RESP3 nests each pair in an array and RESP2 flattens them, as Redis does.
     */
    /** Draws with repetition between two checks of the client's output limit. */
    private static final long RANDOM_SLICE = 1024;

    private static void hrandfieldWithCount(Client c, long l, boolean withValues) {
        HashValue h = lookupRead(c, c.arg(1));
        Reply r = c.reply();
        if (h == null || l == 0) {
            r.array(0);
            return;
        }
        boolean unique = l > 0;
        long count = Math.abs(l);
        boolean nested = withValues && r.protocol() > 2;
        long replySize = unique ? Math.min(count, h.size()) : count;
        long elements = withValues && !nested ? replySize * 2 : replySize;
        if (elements > Integer.MAX_VALUE) {
            throw new CommandError("ERR value is out of range");
        }
        ValueSink sink = Replies.bulkSink(r);
        Consumer<HashValue.Cursor> emit = cursor -> {
            if (nested) {
                r.array(2);
            }
            cursor.field(sink);
            if (withValues) {
                cursor.value(sink);
            }
        };
        r.array((int) elements);
        if (!unique || count == 1) {
            // In slices, so that a client about to be closed for its output stops the draws (Redis's CLIENT_CLOSE_ASAP check).
            for (long left = count; left > 0 && !c.closingForOutputLimit(); left -= RANDOM_SLICE) {
                h.randomPairs(Math.min(left, RANDOM_SLICE), c.server().random(), emit);
            }
        } else if (count >= h.size()) {
            HashValue.Cursor cursor = h.cursor();
            while (cursor.next()) {
                emit.accept(cursor);
            }
        } else {
            h.distinctRandomPairs((int) count, c.server().random(), emit);
        }
    }

    /** HSCAN key cursor [MATCH pattern] [COUNT count]. */
    static void hscan(Client c) {
        long cursor = Scans.parseCursor(c.arg(2));
        HashValue h = lookupRead(c, c.arg(1));
        if (h == null) {
            Scans.emptyScan(c);
            return;
        }
        Scans.scanCollection(c, cursor, true, h::scan);
    }
}
