package io.respire.scripting.lua;

import io.respire.protocol.Reply;
import io.respire.scripting.lib.CNumbers;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.nio.charset.StandardCharsets;

/**
 * Writes what a script returned as the caller's reply (Redis's luaReplyToRedisReply): strings as
 * bulk strings, numbers truncated to integers, booleans by the script's protocol, and tables by the
 * one field that names their type ({@code err}, {@code ok}, {@code double}, {@code big_number},
 * {@code verbatim_string}, {@code map}, {@code set}) or else as an array that stops at the first
 * nil.
 */
final class LuaToReply {
    /**
     * How many Lua stack slots the conversion may hold: Redis converts in one C function and stops
     * where its Lua stack is full (LUAI_MAXCSTACK, 8000, less what the call itself holds), so that a
     * table that contains itself ends in an error, not a crash.
     */
    static final int MAX_DEPTH = 7995;
    /** Slots an array element holds while it is converted: the element itself. */
    private static final int ARRAY_SLOTS = 1;
    /**
     * Slots a map key holds while it is converted (luaReplyToRedisReply): the inner table, lua_next's
     * key and value, and the copy of the key being converted.
     */
    private static final int MAP_KEY_SLOTS = 4;
    /** A map value: the inner table, the key, the value. A set member: the table, the key, its copy. */
    private static final int MAP_SLOTS = 3;

    private static final LuaString ERR = LuaValue.valueOf("err");
    private static final LuaString OK = LuaValue.valueOf("ok");
    private static final LuaString DOUBLE = LuaValue.valueOf("double");
    private static final LuaString BIG_NUMBER = LuaValue.valueOf("big_number");
    private static final LuaString VERBATIM = LuaValue.valueOf("verbatim_string");
    private static final LuaString FORMAT = LuaValue.valueOf("format");
    private static final LuaString STRING = LuaValue.valueOf("string");
    private static final LuaString MAP = LuaValue.valueOf("map");
    private static final LuaString SET = LuaValue.valueOf("set");

    private final Reply reply;
    private final int scriptProtocol;
    /** Whether an error reply was written that statistics had counted already (see errorNotCounted). */
    private boolean relayedCountedError;

    private LuaToReply(Reply reply, int scriptProtocol) {
        this.reply = reply;
        this.scriptProtocol = scriptProtocol;
    }

    /**
     * Writes {@code value} to {@code reply}. Returns true if the reply is an error that was counted
     * in the error statistics already, where it arose: the caller counts the command as failed.
     */
    static boolean write(Reply reply, int scriptProtocol, LuaValue value) {
        LuaToReply writer = new LuaToReply(reply, scriptProtocol);
        writer.value(value, 0);
        return writer.relayedCountedError;
    }

    private void value(LuaValue v, int depth) {
        if (depth >= MAX_DEPTH) {
            reply.error("ERR reached lua stack limit");
            return;
        }
        switch (v.type()) {
            case LuaValue.TSTRING -> {
                LuaString s = v.checkstring();
                reply.bulk(s.m_bytes, s.m_offset, s.m_length);
            }
            case LuaValue.TNUMBER -> {
                // Lua numbers are doubles; a C cast truncates, and gives LLONG_MIN when out of range.
                reply.integer(CNumbers.doubleToInt64(v.todouble()));
            }
            case LuaValue.TBOOLEAN -> bool(v.toboolean());
            case LuaValue.TTABLE -> table((LuaTable) v, depth);
            default -> reply.nullBulk();
        }
    }

    private void bool(boolean b) {
        if (scriptProtocol == 2) {
            if (b) {
                reply.integer(1);
            } else {
                reply.nullBulk();
            }
        } else {
            reply.bool(b);
        }
    }

    private void table(LuaTable t, int depth) {
        LuaValue err = t.rawget(ERR);
        if (err.type() == LuaValue.TSTRING) {
            error(t, err.tojstring());
            return;
        }
        LuaValue ok = t.rawget(OK);
        if (ok.type() == LuaValue.TSTRING) {
            reply.simple(oneLine(ok.tojstring()));
            return;
        }
        LuaValue d = t.rawget(DOUBLE);
        if (d.type() == LuaValue.TNUMBER) {
            reply.doubleValue(d.todouble());
            return;
        }
        LuaValue big = t.rawget(BIG_NUMBER);
        if (big.type() == LuaValue.TSTRING) {
            reply.bigNumber(oneLine(big.tojstring()));
            return;
        }
        LuaValue verbatim = t.rawget(VERBATIM);
        if (verbatim.type() == LuaValue.TTABLE) {
            LuaValue format = verbatim.rawget(FORMAT);
            LuaValue string = verbatim.rawget(STRING);
            if (format.type() == LuaValue.TSTRING && string.type() == LuaValue.TSTRING) {
                reply.verbatim(format.tojstring(), new String(string.checkstring().m_bytes,
                        string.checkstring().m_offset, string.checkstring().m_length, StandardCharsets.UTF_8));
                return;
            }
        }
        LuaValue map = t.rawget(MAP);
        if (map.type() == LuaValue.TTABLE) {
            map((LuaTable) map, depth);
            return;
        }
        LuaValue set = t.rawget(SET);
        if (set.type() == LuaValue.TTABLE) {
            set((LuaTable) set, depth);
            return;
        }
        array(t, depth);
    }

    private void error(LuaTable t, String message) {
        if (t.rawget(LuaReplyBuilder.IGNORE_ERROR_STATS).toboolean()) {
            reply.errorNotCounted(message);
            relayedCountedError = true;
        } else {
            reply.error(message);
        }
    }

    private void map(LuaTable map, int depth) {
        reply.map(count(map));
        LuaValue key = LuaValue.NIL;
        while (true) {
            Varargs next = map.next(key);
            key = next.arg1();
            if (key.isnil()) {
                return;
            }
            value(key, depth + MAP_KEY_SLOTS);
            value(next.arg(2), depth + MAP_SLOTS);
        }
    }

    private void set(LuaTable set, int depth) {
        reply.set(count(set));
        LuaValue key = LuaValue.NIL;
        while (true) {
            key = set.next(key).arg1();
            if (key.isnil()) {
                return;
            }
            value(key, depth + MAP_SLOTS);
        }
    }

    private void array(LuaTable t, int depth) {
        int length = 0;
        while (!t.rawget(length + 1).isnil()) {
            length++;
        }
        reply.array(length);
        for (int i = 1; i <= length; i++) {
            value(t.rawget(i), depth + ARRAY_SLOTS);
        }
    }

    private static int count(LuaTable t) {
        int n = 0;
        LuaValue key = LuaValue.NIL;
        while (!(key = t.next(key).arg1()).isnil()) {
            n++;
        }
        return n;
    }

    /** Redis maps CR and LF to spaces in status and big-number replies, which are one line. */
    private static String oneLine(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
