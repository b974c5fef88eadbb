package io.respire.server.commands;

import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.CommandTable;

/** String commands (Redis's t_string.c). */
public final class StringCommands {
    private StringCommands() {
    }

    static void register(CommandTable table) {
        table.register("get", StringCommands::get);
        table.register("set", StringCommands::set);
        table.register("setnx", StringCommands::setnx);
        table.register("setex", c -> setGeneric(c, SET_EX, 1, c.arg(3), c.arg(2), false));
        table.register("psetex", c -> setGeneric(c, SET_PX, 1, c.arg(3), c.arg(2), false));
    }

    private static final int SET_NX = 1;
    private static final int SET_XX = 1 << 1;
    private static final int SET_EX = 1 << 2;
    private static final int SET_PX = 1 << 3;
    private static final int SET_KEEPTTL = 1 << 4;
    private static final int SET_GET = 1 << 5;
    private static final int SET_EXAT = 1 << 6;
    private static final int SET_PXAT = 1 << 7;
    private static final int ANY_EXPIRE = SET_EX | SET_PX | SET_EXAT | SET_PXAT;

    static void get(Client c) {
        Object value = StringValues.lookupRead(c, c.arg(1));
        if (value == null) {
            c.reply().nullBulk();
        } else {
            StringValues.reply(c.reply(), value);
        }
    }

    /** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT ts | PXAT ms-ts | KEEPTTL] */
    static void set(Client c) {
        int flags = 0;
        byte[] expire = null;
        for (int j = 3; j < c.argc(); j++) {
            boolean hasNext = j + 1 < c.argc();
            if (c.argIs(j, "NX") && (flags & SET_XX) == 0) {
                flags |= SET_NX;
            } else if (c.argIs(j, "XX") && (flags & SET_NX) == 0) {
                flags |= SET_XX;
            } else if (c.argIs(j, "GET")) {
                flags |= SET_GET;
            } else if (c.argIs(j, "KEEPTTL") && (flags & ANY_EXPIRE) == 0) {
                flags |= SET_KEEPTTL;
            } else if (hasNext && (flags & (SET_KEEPTTL)) == 0 && expireOption(c, j) != 0
                    && (flags & (ANY_EXPIRE & ~expireOption(c, j))) == 0) {
                flags |= expireOption(c, j);
                expire = c.arg(++j);
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        setGeneric(c, flags, 0, c.arg(2), expire, false);
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

    static void setnx(Client c) {
        setGeneric(c, SET_NX, 0, c.arg(2), null, true);
    }

    /**
     * Redis's setGenericCommand. {@code integerReply} is SETNX's 1/0 instead of OK/null; {@code
     * unused} keeps the call sites of SETEX/PSETEX readable.
     */
    private static void setGeneric(Client c, int flags, int unused, byte[] value, byte[] expire, boolean integerReply) {
        long whenMs = 0;
        if (expire != null) {
            whenMs = expireAtMs(c, flags, expire);
        }
        byte[] key = c.arg(1);
        Object old = null;
        boolean found;
        if ((flags & SET_GET) != 0) {
            old = StringValues.lookupRead(c, key);
            found = old != null;
        } else {
            found = Keys.lookupWrite(c, key) != null;
        }
        if (((flags & SET_NX) != 0 && found) || ((flags & SET_XX) != 0 && !found)) {
            if ((flags & SET_GET) != 0) {
                replyOld(c, old);
            } else if (integerReply) {
                c.reply().integer(0);
            } else {
                c.reply().nullBulk();
            }
            return;
        }
        StringValues.store(c, c.db(), key, value, (flags & SET_KEEPTTL) != 0, "set");
        if (expire != null) {
            c.db().setExpireAt(key, whenMs);
        }
        if ((flags & SET_GET) != 0) {
            replyOld(c, old);
        } else if (integerReply) {
            c.reply().integer(1);
        } else {
            c.reply().ok();
        }
    }

    private static void replyOld(Client c, Object old) {
        if (old == null) {
            c.reply().nullBulk();
        } else {
            StringValues.reply(c.reply(), old);
        }
    }

    /** Redis's getExpireMillisecondsOrReply: the absolute expiry time of EX/PX/EXAT/PXAT. */
    private static long expireAtMs(Client c, int flags, byte[] expire) {
        long ms;
        try {
            ms = io.respire.ds.util.Numbers.parseLong(expire);
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
            throw new CommandError(invalid);
        }
        return ms;
    }
}
