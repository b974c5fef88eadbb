package io.respire.server.commands;

import io.respire.ds.string.Lcs;
import io.respire.ds.string.LongDouble;
import io.respire.ds.string.MutableString;
import io.respire.ds.util.Numbers;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.keyspace.Keys;
import io.respire.server.keyspace.StringValues;
import io.respire.server.replication.Effects;

/**
 * String commands (Redis's t_string.c). Values stored whole (SET, MSET, INCR...) are byte arrays;
 * APPEND and SETRANGE turn a value into a {@link MutableString} and change it in place, which is
 * also what makes OBJECT ENCODING report "raw" for them, as Redis does.
 */
public final class StringCommands {
    private StringCommands() {
    }

    static void register(CommandTable table) {
        table.register("get", StringCommands::get);
        table.register("getex", StringCommands::getex);
        table.register("getdel", StringCommands::getdel);
        table.register("getset", StringCommands::getset);
        table.register("mget", StringCommands::mget);
        table.register("set", StringCommands::set);
        table.register("setnx", c -> setGeneric(c, SET_NX, c.arg(2), null, true));
        table.register("setex", c -> setGeneric(c, SET_EX, c.arg(3), c.arg(2), false));
        table.register("psetex", c -> setGeneric(c, SET_PX, c.arg(3), c.arg(2), false));
        table.register("mset", c -> msetGeneric(c, false));
        table.register("msetnx", c -> msetGeneric(c, true));
        table.register("incr", c -> incrDecr(c, 1));
        table.register("decr", c -> incrDecr(c, -1));
        table.register("incrby", c -> incrDecr(c, Args.longArg(c, 2)));
        table.register("decrby", StringCommands::decrby);
        table.register("incrbyfloat", StringCommands::incrbyfloat);
        table.register("append", StringCommands::append);
        table.register("strlen", StringCommands::strlen);
        table.register("getrange", StringCommands::getrange);
        table.register("substr", StringCommands::getrange);
        table.register("setrange", StringCommands::setrange);
        table.register("lcs", StringCommands::lcs);
    }

    // Flags of the extended SET / GETEX arguments (Redis's OBJ_SET_* and friends).
    private static final int SET_NX = 1;
    private static final int SET_XX = 1 << 1;
    private static final int SET_EX = 1 << 2;
    private static final int SET_PX = 1 << 3;
    private static final int SET_KEEPTTL = 1 << 4;
    private static final int SET_GET = 1 << 5;
    private static final int SET_EXAT = 1 << 6;
    private static final int SET_PXAT = 1 << 7;
    private static final int SET_PERSIST = 1 << 8;
    private static final int ANY_EXPIRE = SET_EX | SET_PX | SET_EXAT | SET_PXAT;

    private static final byte[] EMPTY = new byte[0];

    /** The parsed options of SET or GETEX; {@code expire} is the EX/PX/EXAT/PXAT argument. */
    private record Extended(int flags, byte[] expire) {
    }

    static void get(Client c) {
        replyValue(c, StringValues.lookupRead(c, c.arg(1)));
    }

    /** A string value, or the null bulk for a missing key. */
    private static void replyValue(Client c, Object value) {
        if (value == null) {
            c.reply().nullBulk();
        } else {
            StringValues.reply(c.reply(), value);
        }
    }

    /** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT ts | PXAT ms-ts | KEEPTTL] */
    static void set(Client c) {
        Extended ext = parseExtended(c, true);
        setGeneric(c, ext.flags(), c.arg(2), ext.expire(), false);
    }

    /**
     * Redis's parseExtendedStringArgumentsOrReply: the options after SET's value or GETEX's key.
     * Each expiry option excludes the others (repeating the same one is allowed, the last wins),
     * KEEPTTL and PERSIST exclude them all, and NX/XX/GET/KEEPTTL are SET's, PERSIST is GETEX's.
     */
    private static Extended parseExtended(Client c, boolean forSet) {
        int flags = 0;
        byte[] expire = null;
        for (int j = forSet ? 3 : 2; j < c.argc(); j++) {
            boolean hasNext = j + 1 < c.argc();
            int expireFlag = expireOption(c, j);
            if (forSet && c.argIs(j, "NX") && (flags & SET_XX) == 0) {
                flags |= SET_NX;
            } else if (forSet && c.argIs(j, "XX") && (flags & SET_NX) == 0) {
                flags |= SET_XX;
            } else if (forSet && c.argIs(j, "GET")) {
                flags |= SET_GET;
            } else if (forSet && c.argIs(j, "KEEPTTL") && (flags & (SET_PERSIST | ANY_EXPIRE)) == 0) {
                flags |= SET_KEEPTTL;
            } else if (!forSet && c.argIs(j, "PERSIST") && (flags & (SET_KEEPTTL | ANY_EXPIRE)) == 0) {
                flags |= SET_PERSIST;
            } else if (expireFlag != 0 && hasNext
                    && (flags & (SET_KEEPTTL | SET_PERSIST | (ANY_EXPIRE & ~expireFlag))) == 0) {
                flags |= expireFlag;
                expire = c.arg(++j);
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        return new Extended(flags, expire);
    }

    private static int expireOption(Client c, int j) {
        if (c.argIs(j, "EX")) {
            return SET_EX;
        } else if (c.argIs(j, "PX")) {
            return SET_PX;
        } else if (c.argIs(j, "EXAT")) {
            return SET_EXAT;
        } else if (c.argIs(j, "PXAT")) {
            return SET_PXAT;
        }
        return 0;
    }

    /**
     * Redis's setGenericCommand, behind SET, SETNX, SETEX and PSETEX. {@code integerReply} is
     * SETNX's 1/0 in place of OK and the null bulk.
     */
    private static void setGeneric(Client c, int flags, byte[] value, byte[] expire, boolean integerReply) {
        long whenMs = expire == null ? 0 : expireAtMs(c, flags, expire);
        byte[] key = c.arg(1);
        if ((flags & SET_GET) != 0) {
            // The old value is the reply, whether or not NX/XX then let the write happen.
            replyValue(c, StringValues.lookupRead(c, key));
        }
        boolean found = Keys.lookupWrite(c, key) != null;
        if (((flags & SET_NX) != 0 && found) || ((flags & SET_XX) != 0 && !found)) {
            if ((flags & SET_GET) == 0) {
                if (integerReply) {
                    c.reply().integer(0);
                } else {
                    c.reply().nullBulk();
                }
            }
            return;
        }
        StringValues.store(c, c.db(), key, value, (flags & SET_KEEPTTL) != 0, "set");
        if (expire != null) {
            c.db().setExpireAt(key, whenMs);
            c.server().keyNotified(c.db(), key, "expire", 0); // notified, not counted: one SET is one change
            c.propagateAs(Effects.SET, key, value, Effects.PXAT, Effects.number(whenMs)); // relative times made absolute
        } else if ((flags & SET_GET) != 0) {
            c.propagateAs(withoutGet(c));
        }
        if ((flags & SET_GET) == 0) {
            if (integerReply) {
                c.reply().integer(1);
            } else {
                c.reply().ok();
            }
        }
    }

    /** SET's arguments without GET (from the options on; Redis's own test spares the value). */
    private static byte[][] withoutGet(Client c) {
        java.util.List<byte[]> argv = new java.util.ArrayList<>(c.argc());
        for (int j = 0; j < c.argc(); j++) {
            if (j < 3 || !c.argIs(j, "GET")) {
                argv.add(c.arg(j));
            }
        }
        return argv.toArray(new byte[0][]);
    }

    /** Redis's getExpireMillisecondsOrReply: the absolute expiry time of EX/PX/EXAT/PXAT. */
    private static long expireAtMs(Client c, int flags, byte[] expire) {
        long ms;
        try {
            ms = Numbers.parseLong(expire);
        } catch (NumberFormatException e) {
            throw new CommandError(Errors.NOT_INTEGER);
        }
        boolean seconds = (flags & (SET_EX | SET_EXAT)) != 0;
        String invalid = String.format(Errors.INVALID_EXPIRE, c.command().fullName());
        if (ms <= 0 || (seconds && ms > Long.MAX_VALUE / 1000)) {
            throw new CommandError(invalid);
        }
        if (seconds) {
            ms *= 1000;
        }
        if ((flags & (SET_EX | SET_PX)) != 0) {
            ms += c.server().nowMs();
        }
        if (ms <= 0) {
            throw new CommandError(invalid); // the addition overflowed
        }
        return ms;
    }

    /** GETEX key [EX s | PX ms | EXAT ts | PXAT ms-ts | PERSIST] */
    static void getex(Client c) {
        Extended ext = parseExtended(c, false);
        byte[] key = c.arg(1);
        Object value = StringValues.lookupRead(c, key);
        if (value == null) {
            c.reply().nullBulk();
            return;
        }
        int flags = ext.flags();
        long whenMs = ext.expire() == null ? 0 : expireAtMs(c, flags, ext.expire());
        StringValues.reply(c.reply(), value);
        // Never propagated as GETEX: as the DEL, PEXPIREAT or PERSIST it amounts to.
        if ((flags & (SET_EXAT | SET_PXAT)) != 0 && Keys.alreadyExpired(c.server(), whenMs, c.server().nowMs())) {
            Keys.delete(c, c.db(), key); // an absolute time already past deletes the key
            c.propagateAs(Effects.delete(c.server().config().lazyfreeLazyExpire.value()), key);
        } else if (ext.expire() != null) {
            c.db().setExpireAt(key, whenMs);
            c.server().keyModified(c.db(), key, "expire");
            c.propagateAs(Effects.PEXPIREAT, key, Effects.number(whenMs));
        } else if ((flags & SET_PERSIST) != 0 && c.db().persist(key)) {
            c.server().keyModified(c.db(), key, "persist");
            c.propagateAs(Effects.PERSIST, key);
        }
    }

    static void getdel(Client c) {
        byte[] key = c.arg(1);
        Object value = StringValues.lookupRead(c, key);
        replyValue(c, value);
        if (value != null) {
            Keys.delete(c, c.db(), key);
            c.propagateAs(Effects.delete(c.server().config().lazyfreeLazyUserDel.value()), key);
        }
    }

    static void getset(Client c) {
        replyValue(c, StringValues.lookupRead(c, c.arg(1)));
        StringValues.store(c, c.db(), c.arg(1), c.arg(2), false, "set");
        c.propagateAs(Effects.SET, c.arg(1), c.arg(2));
    }

    /** MGET: keys that are missing or not strings are null, never an error. */
    static void mget(Client c) {
        c.reply().array(c.argc() - 1);
        for (int j = 1; j < c.argc(); j++) {
            Object value = Keys.lookupRead(c, c.arg(j));
            replyValue(c, StringValues.isString(value) ? value : null);
        }
    }

    private static void msetGeneric(Client c, boolean nx) {
        if (c.argc() % 2 == 0) {
            throw new CommandError(Errors.wrongArity(c.command().fullName()));
        }
        if (nx) {
            for (int j = 1; j < c.argc(); j += 2) {
                if (Keys.lookupWrite(c, c.arg(j)) != null) {
                    c.reply().integer(0);
                    return;
                }
            }
        }
        for (int j = 1; j < c.argc(); j += 2) {
            StringValues.store(c, c.db(), c.arg(j), c.arg(j + 1), false, "set");
        }
        if (nx) {
            c.reply().integer(1);
        } else {
            c.reply().ok();
        }
    }

    /** Redis's incrDecrCommand: INCR, DECR, INCRBY and DECRBY. The TTL is kept. */
    private static void incrDecr(Client c, long incr) {
        byte[] key = c.arg(1);
        Object current = StringValues.lookupWrite(c, key);
        long value = 0;
        if (current != null) {
            long[] out = new long[1];
            if (!Numbers.parseLong(StringValues.array(current), 0, StringValues.length(current), out)) {
                throw new CommandError(Errors.NOT_INTEGER);
            }
            value = out[0];
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw new CommandError(Errors.OVERFLOW);
        }
        value += incr;
        StringValues.store(c, c.db(), key, Numbers.toBytes(value), true, "incrby");
        c.reply().integer(value);
    }

    static void decrby(Client c) {
        long decr = Args.longArg(c, 2);
        if (decr == Long.MIN_VALUE) {
            throw new CommandError("ERR decrement would overflow"); // negating it would overflow
        }
        incrDecr(c, -decr);
    }

    /**
     * INCRBYFLOAT computes in long double, as Redis does, and stores the result in Redis's human
     * format (%.17Lf without trailing zeros); the TTL is kept.
     */
    static void incrbyfloat(Client c) {
        byte[] key = c.arg(1);
        Object current = StringValues.lookupWrite(c, key);
        LongDouble value = current == null ? LongDouble.ZERO
                : LongDouble.parse(StringValues.array(current), 0, StringValues.length(current));
        LongDouble incr = LongDouble.parse(c.arg(2));
        if (value == null || incr == null) {
            throw new CommandError(Errors.NOT_FLOAT);
        }
        LongDouble sum = value.add(incr);
        if (!sum.isFinite()) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        byte[] result = sum.toHumanBytes();
        // Redis stores this result without trying the integer encoding: "3" stays an embstr. A copy:
        // the effect below keeps `result` until the transaction ends, and SETRANGE writes into the value.
        c.db().replace(key, MutableString.embedded(result.clone()));
        c.server().keyModified(c.db(), key, "incrbyfloat");
        c.reply().bulk(result);
        // As the value it produced, so that float formatting cannot make a replica differ.
        c.propagateAs(Effects.SET, key, result, Effects.KEEPTTL);
    }

    static void append(Client c) {
        byte[] key = c.arg(1);
        byte[] tail = c.arg(2);
        Object current = StringValues.lookupWrite(c, key);
        int length;
        if (current == null) {
            StringValues.store(c, c.db(), key, tail, false, "append");
            length = tail.length;
        } else {
            checkStringLength(c, StringValues.length(current), tail.length);
            MutableString s = StringValues.unshare(c.db(), key, current);
            s.append(tail);
            c.server().keyModified(c.db(), key, "append");
            length = s.length();
        }
        c.reply().integer(length);
    }

    /**
     * Redis's checkStringLength: a string of size + append bytes must not exceed
     * proto-max-bulk-len, except from the primary or the AOF (mustObeyClient: their writes were
     * allowed where they were made), nor, here, what a Java array can hold.
     */
    private static void checkStringLength(Client c, long size, long append) {
        long total = size + append;
        boolean overLimit = total > c.server().config().protoMaxBulkLen.value() && !c.mustObey();
        if (overLimit || total < size || total > MAX_ARRAY_LENGTH) {
            throw new CommandError(Errors.STRING_TOO_LONG);
        }
    }

    /** The longest array the JVM reliably allocates. */
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    static void strlen(Client c) {
        Object value = StringValues.lookupRead(c, c.arg(1));
        c.reply().integer(value == null ? 0 : StringValues.length(value));
    }

    /** GETRANGE (and its old name SUBSTR): inclusive offsets, negative ones from the end. */
    static void getrange(Client c) {
        long start = Args.longArg(c, 2);
        long end = Args.longArg(c, 3);
        Object value = StringValues.lookupRead(c, c.arg(1));
        if (value == null) {
            c.reply().bulk(EMPTY);
            return;
        }
        long length = StringValues.length(value);
        if (start < 0 && end < 0 && start > end) {
            c.reply().bulk(EMPTY);
            return;
        }
        long[] range = StringValues.clampRange(start, end, length);
        if (range[0] > range[1]) {
            c.reply().bulk(EMPTY);
        } else {
            c.reply().bulk(StringValues.array(value), (int) range[0], (int) (range[1] - range[0] + 1));
        }
    }

    static void setrange(Client c) {
        byte[] key = c.arg(1);
        long offset = Args.longArg(c, 2);
        byte[] data = c.arg(3);
        if (offset < 0) {
            throw new CommandError("ERR offset is out of range");
        }
        Object current = StringValues.lookupWrite(c, key);
        if (data.length == 0) {
            // Nothing to write: not even a missing key is created.
            c.reply().integer(current == null ? 0 : StringValues.length(current));
            return;
        }
        checkStringLength(c, offset, data.length);
        MutableString s;
        if (current == null) {
            // Allocated at its exact size, as Redis's sdsnewlen for a new key (no room to grow).
            s = new MutableString(new byte[Math.toIntExact(offset + data.length)]);
            c.db().put(key, s);
        } else {
            s = StringValues.unshare(c.db(), key, current);
        }
        s.write(offset, data);
        c.server().keyModified(c.db(), key, "setrange");
        c.reply().integer(s.length());
    }

    /** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] */
    static void lcs(Client c) {
        Object a = Keys.lookupRead(c, c.arg(1));
        Object b = Keys.lookupRead(c, c.arg(2));
        if ((a != null && !StringValues.isString(a)) || (b != null && !StringValues.isString(b))) {
            throw new CommandError("ERR The specified keys must contain string values");
        }
        boolean getLength = false;
        boolean getIndexes = false;
        boolean withMatchLength = false;
        long minMatchLength = 0;
        for (int j = 3; j < c.argc(); j++) {
            if (c.argIs(j, "IDX")) {
                getIndexes = true;
            } else if (c.argIs(j, "LEN")) {
                getLength = true;
            } else if (c.argIs(j, "WITHMATCHLEN")) {
                withMatchLength = true;
            } else if (c.argIs(j, "MINMATCHLEN") && j + 1 < c.argc()) {
                minMatchLength = Math.max(Args.longArg(c, ++j), 0);
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (getLength && getIndexes) {
            throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
        }
        int aLength = a == null ? 0 : StringValues.length(a);
        int bLength = b == null ? 0 : StringValues.length(b);
        if (Lcs.tableBytes(aLength, bLength) > c.server().config().protoMaxBulkLen.value()) {
            throw new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        Lcs lcs;
        try {
            lcs = Lcs.compute(a == null ? EMPTY : StringValues.array(a), aLength,
                    b == null ? EMPTY : StringValues.array(b), bLength);
        } catch (OutOfMemoryError | IllegalArgumentException e) {
            throw new CommandError("ERR Insufficient memory, failed allocating transient memory for LCS");
        }
        if (getIndexes) {
            replyLcsMatches(c, lcs, minMatchLength, withMatchLength);
        } else if (getLength) {
            c.reply().integer(lcs.length());
        } else {
            c.reply().bulk(lcs.subsequence());
        }
    }

    private static void replyLcsMatches(Client c, Lcs lcs, long minMatchLength, boolean withMatchLength) {
        var matches = lcs.matches().stream().filter(m -> m.length() >= minMatchLength).toList();
        c.reply().map(2);
        c.reply().bulk("matches");
        c.reply().array(matches.size());
        for (Lcs.Match m : matches) {
            c.reply().array(withMatchLength ? 3 : 2);
            c.reply().array(2);
            c.reply().integer(m.aStart());
            c.reply().integer(m.aEnd());
            c.reply().array(2);
            c.reply().integer(m.bStart());
            c.reply().integer(m.bEnd());
            if (withMatchLength) {
                c.reply().integer(m.length());
            }
        }
        c.reply().bulk("len");
        c.reply().integer(lcs.length());
    }
}
