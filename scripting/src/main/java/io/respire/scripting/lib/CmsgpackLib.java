package io.respire.scripting.lib;

import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;

/**
 * lua-cmsgpack 0.4.0 ({@code cmsgpack}) as Redis 7.0 bundles it (deps/lua/src/lua_cmsgpack.c):
 * MessagePack encoding of Lua values and decoding back.
 *
 * <ul>
 *   <li>{@code cmsgpack.pack(v1, ...)} encodes each argument and concatenates the results.</li>
 *   <li>{@code cmsgpack.unpack(s)} decodes every object in s and returns them all.</li>
 *   <li>{@code cmsgpack.unpack_one(s [, offset])} and
 *       {@code cmsgpack.unpack_limit(s, limit [, offset])} decode at most one / limit objects
 *       starting at a byte offset, and return first the offset to continue from (-1 at the
 *       end), then the objects.</li>
 * </ul>
 * See {@link MsgpackEncoder} and {@link MsgpackDecoder} for the encoding rules.
 */
public final class CmsgpackLib extends TwoArgFunction {

    /** lua_checkstack(L, nargs) fails past half of LUAI_MAXCSTACK arguments. */
    private static final int MAX_PACK_ARGS = LuaCompat.MAX_C_STACK / 2;

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable cmsgpack = new LuaTable();
        LibFunction.register(cmsgpack, "pack", CmsgpackLib::pack);
        LibFunction.register(cmsgpack, "unpack", CmsgpackLib::unpack);
        LibFunction.register(cmsgpack, "unpack_one", CmsgpackLib::unpackOne);
        LibFunction.register(cmsgpack, "unpack_limit", CmsgpackLib::unpackLimit);
        cmsgpack.set("_NAME", "cmsgpack");
        cmsgpack.set("_VERSION", "lua-cmsgpack 0.4.0");
        cmsgpack.set("_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo");
        cmsgpack.set("_DESCRIPTION", "MessagePack C implementation for Lua");
        RedisLuaLibs.publish(env, "cmsgpack", cmsgpack);
        return cmsgpack;
    }

    static Varargs pack(Varargs args) {
        int nargs = args.narg();
        if (nargs == 0) {
            throw LuaCompat.argError("pack", 0, "MessagePack pack needs input.");
        }
        if (nargs > MAX_PACK_ARGS) {
            throw LuaCompat.argError("pack", 0, "Too many arguments for MessagePack pack.");
        }
        MsgpackEncoder encoder = new MsgpackEncoder();
        for (int i = 1; i <= nargs; i++) {
            encoder.encode(args.arg(i));
        }
        return encoder.result();
    }

    static Varargs unpack(Varargs args) {
        return unpackFull(args, 0, 0, Math.max(args.narg(), 1));
    }

    static Varargs unpackOne(Varargs args) {
        long offset = LuaCompat.optInteger("unpack_one", args, 2, 0);
        return unpackFull(args, 1, offset, 1);
    }

    static Varargs unpackLimit(Varargs args) {
        long limit = LuaCompat.checkInteger("unpack_limit", args, 2);
        long offset = LuaCompat.optInteger("unpack_limit", args, 3, 0);
        return unpackFull(args, limit, offset, 1);
    }

    /**
     * mp_unpack_full: decodes up to {@code limit} objects from {@code offset}; limit and offset
     * both 0 means "everything, and no offset in the results".
     *
     * @param stackUsed the Lua stack slots in use when decoding starts (the arguments left on it)
     */
    private static Varargs unpackFull(Varargs args, long limit, long offset, int stackUsed) {
        LuaString s = LuaCompat.checkLString("unpack", args, 1);
        int len = s.m_length;
        boolean decodeAll = limit == 0 && offset == 0;
        if (offset < 0 || limit < 0) {
            // The C code prints the input length where it means the limit; so do we.
            throw LuaCompat.error("Invalid request to unpack with offset of " + (int) offset
                    + " and limit of " + len + ".");
        }
        if (offset > len) {
            throw LuaCompat.error("Start offset " + (int) offset + " greater than input length " + len + ".");
        }
        if (decodeAll) {
            limit = Integer.MAX_VALUE;
        }
        MsgpackDecoder decoder = new MsgpackDecoder(s, (int) offset, stackUsed);
        List<LuaValue> results = new ArrayList<>();
        while (decoder.remaining() > 0 && results.size() < limit) {
            results.add(decoder.decodeTopLevel());
        }
        if (!decodeAll) {
            decoder.checkStack("in function mp_unpack_full");
            int next = decoder.remaining() == 0 ? -1 : len - decoder.remaining();
            results.add(0, LuaValue.valueOf(next));
        }
        return LuaValue.varargsOf(results.toArray(new LuaValue[0]));
    }
}
