package io.respire.server.commands;

import io.respire.ds.keyspace.Database;
import io.respire.ds.keyspace.Dict;
import io.respire.ds.keyspace.ValueTypes;
import io.respire.ds.util.Glob;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.ServerContext;
import io.respire.server.command.Args;
import io.respire.server.command.CommandId;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;
import io.respire.server.keyspace.KeyAccess;
import io.respire.server.keyspace.Keys;
import io.respire.server.keyspace.Scans;
import io.respire.server.replication.Effects;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generic key commands (Redis's db.c, expire.c and OBJECT from object.c): DEL, EXISTS, TYPE, the
 * EXPIRE and TTL families, RENAME, KEYS, SCAN, RANDOMKEY, MOVE, COPY, TOUCH, OBJECT. The commands
 * that act on whole databases (DBSIZE, FLUSHDB, FLUSHALL, SWAPDB) are here too although Redis's
 * command table puts them in the "server" group: they are keyspace operations, and db.c is where
 * Redis implements them.
 */
public final class KeyCommands {
    private KeyCommands() {
    }

    static void register(CommandTable table) {
        table.register("del", KeyCommands::del);
        table.register("unlink", KeyCommands::del);
        table.register("exists", KeyCommands::exists);
        table.register("type", KeyCommands::type);
        table.register("expire", c -> expireGeneric(c, c.server().nowMs(), true));
        table.register("pexpire", c -> expireGeneric(c, c.server().nowMs(), false));
        table.register("expireat", c -> expireGeneric(c, 0, true));
        table.register("pexpireat", c -> expireGeneric(c, 0, false));
        table.register("ttl", c -> ttlGeneric(c, false, false));
        table.register("pttl", c -> ttlGeneric(c, true, false));
        table.register("expiretime", c -> ttlGeneric(c, false, true));
        table.register("pexpiretime", c -> ttlGeneric(c, true, true));
        table.register("persist", KeyCommands::persist);
        table.register("rename", c -> renameGeneric(c, false));
        table.register("renamenx", c -> renameGeneric(c, true));
        table.register("keys", KeyCommands::keys);
        table.register("scan", KeyCommands::scan);
        table.register("randomkey", KeyCommands::randomkey);
        table.register("dbsize", c -> c.reply().integer(c.db().size()));
        table.register("flushdb", KeyCommands::flushdb);
        table.register("flushall", KeyCommands::flushall);
        table.register("swapdb", KeyCommands::swapdb);
        table.register("move", KeyCommands::move);
        table.register("copy", KeyCommands::copy);
        table.register("touch", KeyCommands::touch);
        table.register("object|encoding", KeyCommands::objectEncoding);
        table.register("object|refcount", KeyCommands::objectRefcount);
        table.register("object|idletime", KeyCommands::objectIdletime);
        table.register("object|freq", KeyCommands::objectFreq);
        table.register("object|help", KeyCommands::objectHelp);
    }

    /** DEL and UNLINK: freeing is the garbage collector's business, so both delete at once. */
    static void del(Client c) {
        int deleted = 0;
        boolean lazy = c.command().id() == CommandId.UNLINK || c.server().config().lazyfreeLazyUserDel.value();
        for (int j = 1; j < c.argc(); j++) {
            Object value = lazy ? c.db().peek(c.arg(j)) : null;
            if (Keys.delete(c, c.db(), c.arg(j))) {
                deleted++;
                if (value != null) {
                    c.server().freedLazily(value);
                }
            }
        }
        c.reply().integer(deleted);
    }

    static void exists(Client c) {
        int count = 0;
        for (int j = 1; j < c.argc(); j++) {
            if (Keys.lookupReadNoTouch(c, c.arg(j)) != null) {
                count++;
            }
        }
        c.reply().integer(count);
    }

    static void type(Client c) {
        c.reply().simple(ValueTypes.typeName(Keys.lookupReadNoTouch(c, c.arg(1))));
    }

    // ------------------------------------------------------------------------------------------
    // Expiry (expire.c)

    private static final int EXPIRE_NX = 1;
    private static final int EXPIRE_XX = 1 << 1;
    private static final int EXPIRE_GT = 1 << 2;
    private static final int EXPIRE_LT = 1 << 3;

    /**
     * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT key time [NX | XX | GT | LT]. {@code baseMs} is now for
     * the relative variants and 0 for the absolute ones. A time already in the past deletes the key.
     */
    private static void expireGeneric(Client c, long baseMs, boolean seconds) {
        int flags = expireFlags(c);
        long when = Args.longArg(c, 2);
        String invalid = String.format(Errors.INVALID_EXPIRE, c.command().fullName());
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                throw new CommandError(invalid);
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - baseMs) {
            throw new CommandError(invalid);
        }
        when += baseMs;
        byte[] key = c.arg(1);
        Database db = c.db();
        if (Keys.lookupWrite(c, key) == null) {
            c.reply().integer(0);
            return;
        }
        if (flags != 0 && !expireConditionHolds(flags, db.expireAt(key), when)) {
            c.reply().integer(0);
            return;
        }
        // Judged at the instant the relative time was taken from (Redis's command time snapshot):
        // PEXPIRE k 1 sets a TTL even if the clock ticks meanwhile.
        long now = baseMs != 0 ? baseMs : c.server().nowMs();
        if (Keys.alreadyExpired(c.server(), when, now)) {
            db.remove(key);
            c.server().keyModified(db, key, "del");
            c.propagateAs(Effects.delete(c.server().config().lazyfreeLazyExpire.value()), key);
        } else {
            db.setExpireAt(key, when);
            c.server().keyModified(db, key, "expire");
            propagateAsPexpireat(c, when, baseMs != 0 || seconds);
        }
        c.reply().integer(1);
    }

    /**
     * The expiry as an absolute PEXPIREAT, options kept; the time argument is rewritten only if it
     * was relative or in seconds, and a PEXPIREAT keeps its own spelling, as Redis does.
     */
    private static void propagateAsPexpireat(Client c, long when, boolean timeRewritten) {
        if (!c.propagating()) {
            return;
        }
        byte[][] argv = c.argv().clone();
        if (c.command().id() != CommandId.PEXPIREAT) {
            argv[0] = Effects.PEXPIREAT;
        }
        if (timeRewritten) {
            argv[2] = Effects.number(when);
        }
        c.propagateAs(argv);
    }

    /** Redis's parseExtendedExpireArgumentsOrReply. */
    private static int expireFlags(Client c) {
        int flags = 0;
        for (int j = 3; j < c.argc(); j++) {
            if (c.argIs(j, "NX")) {
                flags |= EXPIRE_NX;
            } else if (c.argIs(j, "XX")) {
                flags |= EXPIRE_XX;
            } else if (c.argIs(j, "GT")) {
                flags |= EXPIRE_GT;
            } else if (c.argIs(j, "LT")) {
                flags |= EXPIRE_LT;
            } else {
                throw new CommandError("ERR Unsupported option " + cString(c.arg(j)));
            }
        }
        if ((flags & EXPIRE_NX) != 0 && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) != 0) {
            throw new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if ((flags & EXPIRE_GT) != 0 && (flags & EXPIRE_LT) != 0) {
            throw new CommandError("ERR GT and LT options at the same time are not compatible");
        }
        return flags;
    }

    /** Whether NX/XX/GT/LT allow the new expiry; no expiry (-1) counts as an infinite TTL. */
    private static boolean expireConditionHolds(int flags, long current, long when) {
        boolean none = current == -1;
        if ((flags & EXPIRE_NX) != 0 && !none) {
            return false;
        }
        if ((flags & EXPIRE_XX) != 0 && none) {
            return false;
        }
        if ((flags & EXPIRE_GT) != 0 && (none || when <= current)) {
            return false;
        }
        return (flags & EXPIRE_LT) == 0 || none || when < current;
    }

    /** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for a missing key, -1 for one without expiry. */
    private static void ttlGeneric(Client c, boolean ms, boolean absolute) {
        byte[] key = c.arg(1);
        if (Keys.lookupReadNoTouch(c, key) == null) {
            c.reply().integer(-2);
            return;
        }
        long expire = c.db().expireAt(key);
        if (expire == -1) {
            c.reply().integer(-1);
            return;
        }
        long ttl = Math.max(0, absolute ? expire : expire - c.server().nowMs());
        c.reply().integer(ms ? ttl : (ttl + 500) / 1000);
    }

    static void persist(Client c) {
        byte[] key = c.arg(1);
        if (Keys.lookupWrite(c, key) != null && c.db().persist(key)) {
            c.server().keyModified(c.db(), key, "persist");
            c.reply().integer(1);
        } else {
            c.reply().integer(0);
        }
    }

    static void touch(Client c) {
        int touched = 0;
        for (int j = 1; j < c.argc(); j++) {
            if (Keys.lookupRead(c, c.arg(j)) != null) {
                touched++;
            }
        }
        c.reply().integer(touched);
    }

    // ------------------------------------------------------------------------------------------
    // Renaming, moving, copying

    /** RENAME and RENAMENX: the value keeps its TTL and access data under the new name. */
    private static void renameGeneric(Client c, boolean nx) {
        byte[] src = c.arg(1);
        byte[] dst = c.arg(2);
        Database db = c.db();
        Dict.Entry moving = Keys.lookupEntryWrite(c, db, src);
        if (moving == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        if (Arrays.equals(src, dst)) {
            replyRenamed(c, nx, false);
            return;
        }
        if (Keys.lookupWrite(c, dst) != null) {
            if (nx) {
                replyRenamed(c, true, false);
                return;
            }
            db.remove(dst);
        }
        transfer(db, moving, db, dst);
        c.server().keyModified(db, src, "rename_from");
        c.server().keyModified(db, dst, "rename_to", 0); // Redis counts a rename once
        replyRenamed(c, nx, true);
    }

    private static void replyRenamed(Client c, boolean nx, boolean renamed) {
        if (nx) {
            c.reply().integer(renamed ? 1 : 0);
        } else {
            c.reply().ok();
        }
    }

    /**
     * Moves the key of entry {@code e} in {@code from} to the absent key {@code dst} of {@code to},
     * with its expiry and access data, as Redis moves the very same object.
     */
    private static void transfer(Database from, Dict.Entry e, Database to, byte[] dst) {
        long expire = e.expireAt();
        to.put(dst, e.value());
        // No expiry yet, so this lookup cannot expire the key; setExpireAt keeps the lru field.
        to.lookupEntry(dst, Long.MIN_VALUE).lru(e.lru());
        if (expire != -1) {
            to.setExpireAt(dst, expire);
        }
        from.remove(e.key());
    }

    static void move(Client c) {
        Database src = c.db();
        Database dst = c.server().database(Args.dbIndexArg(c, 2));
        if (src == dst) {
            throw new CommandError(Errors.SAME_OBJECT);
        }
        byte[] key = c.arg(1);
        Dict.Entry moving = Keys.lookupEntryWrite(c, src, key);
        if (moving == null || Keys.lookupWrite(c, dst, key) != null) {
            c.reply().integer(0);
            return;
        }
        transfer(src, moving, dst, key);
        c.server().keyModified(src, key, "move_from");
        c.server().keyModified(dst, key, "move_to", 0); // Redis counts a move once
        c.reply().integer(1);
    }

    /** COPY source destination [DB destination-db] [REPLACE] */
    static void copy(Client c) {
        Database src = c.db();
        Database dst = src;
        boolean replace = false;
        for (int j = 3; j < c.argc(); j++) {
            if (c.argIs(j, "REPLACE")) {
                replace = true;
            } else if (c.argIs(j, "DB") && j + 1 < c.argc()) {
                dst = c.server().database(Args.dbIndexArg(c, ++j));
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        byte[] key = c.arg(1);
        byte[] newKey = c.arg(2);
        if (src == dst && Arrays.equals(key, newKey)) {
            throw new CommandError(Errors.SAME_OBJECT);
        }
        Object value = Keys.lookupRead(c, key);
        if (value == null) {
            c.reply().integer(0);
            return;
        }
        long expire = src.expireAt(key);
        if (Keys.lookupWrite(c, dst, newKey) != null) {
            if (!replace) {
                c.reply().integer(0);
                return;
            }
            dst.remove(newKey);
        }
        dst.put(newKey, ValueTypes.copy(value));
        if (expire != -1) {
            dst.setExpireAt(newKey, expire);
        }
        c.server().keyModified(dst, newKey, "copy_to");
        c.reply().integer(1);
    }

    // ------------------------------------------------------------------------------------------
    // Iterating and sampling the keyspace

    static void keys(Client c) {
        byte[] pattern = c.arg(1);
        boolean all = pattern.length == 1 && pattern[0] == '*';
        Database db = c.db();
        long now = c.server().nowMs();
        List<byte[]> found = new ArrayList<>();
        // Expired keys are skipped, not removed: forEach forbids modifying the database.
        db.forEach((key, value) -> {
            if (all || Glob.matches(pattern, key, false)) {
                long expire = db.expireAt(key);
                if (expire == -1 || expire > now) {
                    found.add(key);
                }
            }
        });
        c.reply().array(found.size());
        for (byte[] key : found) {
            if (c.closingForOutputLimit()) {
                break; // the reply is being dropped (Redis stops KEYS on CLIENT_CLOSE_ASAP)
            }
            c.reply().bulk(key);
        }
    }

    /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] (Redis's scanGenericCommand for the keyspace). */
    static void scan(Client c) {
        long cursor = Scans.parseCursor(c.arg(1));
        Scans.Options options = Scans.Options.parse(c, 2, true);
        long count = options.count();
        byte[] pattern = options.pattern();
        String type = options.type() == null ? null : cString(options.type());
        Database db = c.db();
        List<byte[]> keys = new ArrayList<>();
        cursor = db.scan(cursor, (int) Math.min(count, Integer.MAX_VALUE), (key, value) -> keys.add(key));
        List<byte[]> kept = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            if (pattern != null && !Glob.matches(pattern, key, false)) {
                continue;
            }
            // In Redis's order: the type check may itself expire the key, which then reads as "none".
            if (type != null && !type.equalsIgnoreCase(ValueTypes.typeName(Keys.lookupReadNoTouch(c, key)))) {
                continue;
            }
            if (Keys.expireIfNeeded(c.server(), db, key)) {
                continue;
            }
            kept.add(key);
        }
        c.reply().array(2);
        c.reply().bulkLong(cursor); // as Redis: a cursor of 2^63 or more prints negative, and parses back
        c.reply().array(kept.size());
        for (byte[] key : kept) {
            c.reply().bulk(key);
        }
    }

    /**
     * Redis's dbRandomKey: draws keys until one has not expired. Expired keys are removed as they
     * are drawn, so this ends; but while clients are paused they stay, and if every key has a TTL
     * they may all have expired. Redis 7.0 would then spin forever; like a Redis replica (which
     * cannot remove expired keys either) this gives up after 100 draws and returns the last key.
     */
    static void randomkey(Client c) {
        Database db = c.db();
        int triesLeft = 100;
        boolean allVolatile = db.size() == db.expiresSize();
        while (true) {
            byte[] key = db.randomKey(c.server().random());
            if (key == null) {
                c.reply().nullBulk();
                return;
            }
            if (!Keys.expireIfNeeded(c.server(), db, key)
                    || allVolatile && c.server().clientsPaused() && --triesLeft == 0) {
                c.reply().bulk(key);
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Whole databases

    static void flushdb(Client c) {
        flush(c.server(), c.db(), flushFlags(c));
        c.forcePropagation(); // even when the database was empty already, as Redis does
        c.reply().ok();
    }

    static void flushall(Client c) {
        boolean async = flushFlags(c);
        for (int i = 0; i < c.server().databaseCount(); i++) {
            flush(c.server(), c.server().database(i), async);
        }
        c.forcePropagation();
        // Redis's flushAllDataAndResetRDB: a background save of the old data is dropped, and with
        // save points the empty dataset is saved at once.
        c.server().snapshots().abortBackgroundSave();
        if (c.server().snapshots().savePointsSet()) {
            c.server().snapshots().save();
        }
        c.reply().ok();
    }

    /**
     * Redis's getFlushCommandFlags: accepts ASYNC or SYNC, and returns whether the flush is
     * asynchronous (ASYNC, or neither with lazyfree-lazy-user-flush). Both flush at once, since
     * dropping a table costs O(1) here and the garbage collector frees it in the background anyway;
     * an asynchronous flush only counts its keys in lazyfreed_objects, as Redis's emptyDbAsync.
     */
    private static boolean flushFlags(Client c) {
        if (c.argc() > 2 || (c.argc() == 2 && !c.argIs(1, "SYNC") && !c.argIs(1, "ASYNC"))) {
            throw new CommandError(Errors.SYNTAX);
        }
        return c.argc() == 2 ? c.argIs(1, "ASYNC") : c.server().config().lazyfreeLazyUserFlush.value();
    }

    private static void flush(ServerContext server, Database db, boolean async) {
        server.databaseReplaced(db, null);
        server.addDirty(db.size());
        if (async) {
            server.stats().lazyfreedObjects += db.size();
        }
        db.clear();
    }

    static void swapdb(Client c) {
        int id1 = intArg(c, 1, "ERR invalid first DB index");
        int id2 = intArg(c, 2, "ERR invalid second DB index");
        ServerContext server = c.server();
        if (id1 < 0 || id1 >= server.databaseCount() || id2 < 0 || id2 >= server.databaseCount()) {
            throw new CommandError(Errors.DB_INDEX);
        }
        if (id1 != id2) {
            Database db1 = server.database(id1);
            Database db2 = server.database(id2);
            server.databaseReplaced(db1, db2);
            server.databaseReplaced(db2, db1);
            db1.swapWith(db2);
        }
        server.addDirty(1); // even onto itself
        c.reply().ok();
    }

    /** Redis's getIntFromObjectOrReply with a custom message. */
    private static int intArg(Client c, int i, String error) {
        long v = Args.longArg(c, i, error);
        if (v != (int) v) {
            throw new CommandError(error);
        }
        return (int) v;
    }

    // ------------------------------------------------------------------------------------------
    // OBJECT (object.c)

    /** The entry for OBJECT, looked up without touching it; null after replying null for a missing key. */
    private static Dict.Entry objectLookup(Client c) {
        Dict.Entry e = Keys.lookupEntryNoTouch(c, c.arg(2));
        if (e == null) {
            c.reply().nullBulk();
        }
        return e;
    }

    static void objectEncoding(Client c) {
        Dict.Entry e = objectLookup(c);
        if (e != null) {
            c.reply().bulk(ValueTypes.encoding(e.value()));
        }
    }

    static void objectRefcount(Client c) {
        Dict.Entry e = objectLookup(c);
        if (e != null) {
            c.reply().integer(ValueTypes.refcount(e.value(), KeyAccess.sharedIntegers(c.server().config())));
        }
    }

    static void objectIdletime(Client c) {
        Dict.Entry e = objectLookup(c);
        if (e == null) {
            return;
        }
        if (KeyAccess.lfu(c.server().config())) {
            throw new CommandError("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that "
                    + "when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        }
        c.reply().integer(KeyAccess.idleTimeMs(e.lru(), c.server().nowMs()) / 1000);
    }

    static void objectFreq(Client c) {
        Dict.Entry e = objectLookup(c);
        if (e == null) {
            return;
        }
        if (!KeyAccess.lfu(c.server().config())) {
            throw new CommandError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
                    + "Please note that when switching between policies at runtime LRU and LFU data will take "
                    + "some time to adjust.");
        }
        c.reply().integer(KeyAccess.lfuCounter(c.server().config(), e.lru(), c.server().nowMs()));
    }

    static void objectHelp(Client c) {
        Help.reply(c,
                "ENCODING <key>",
                "    Return the kind of internal representation used in order to store the value",
                "    associated with a <key>.",
                "FREQ <key>",
                "    Return the access frequency index of the <key>. The returned integer is",
                "    proportional to the logarithm of the recent access frequency of the key.",
                "IDLETIME <key>",
                "    Return the idle time of the <key>, that is the approximated number of",
                "    seconds elapsed since the last access to the key.",
                "REFCOUNT <key>",
                "    Return the number of references of the value associated with the specified",
                "    <key>.");
    }

    /** An argument as C sees it, up to its first NUL byte, for error texts that quote it. */
    private static String cString(byte[] arg) {
        int end = 0;
        while (end < arg.length && arg[end] != 0) {
            end++;
        }
        return new String(arg, 0, end, StandardCharsets.UTF_8);
    }
}
