package io.respire.scripting.lua;

import io.respire.scripting.lib.CNumbers;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

/**
 * The base functions and library entries where Redis's Lua 5.1 and LuaJ (Lua 5.2) differ, written
 * as Lua 5.1 has them: pcall returning a Redis error's text, error levels, tostring's number
 * format, loadstring and load that refuse precompiled code, gcinfo and collectgarbage that never
 * force a JVM collection, and the 5.1 entries of table, math and string (getn, maxn, foreach, mod,
 * log10, gfind...). string.rep is bounded so that a script cannot exhaust the heap with one call.
 */
final class Lua51Base {
    /** The largest string string.rep makes (Redis's proto-max-bulk-len default). */
    static final long MAX_STRING = 512L * 1024 * 1024;

    private static final LuaString ERR = LuaValue.valueOf("err");

    private Lua51Base() {
    }

    /** The text of a value as tostring gives it, without metamethods: numbers in Lua 5.1's format. */
    static LuaValue plainString(LuaValue v) {
        if (v.type() == LuaValue.TNUMBER) {
            return CNumbers.luaNumberToLuaString(v.todouble());
        }
        LuaValue s = v.tostring();
        return s.isnil() ? LuaValue.valueOf(v.tojstring()) : s;
    }

    /**
     * Redis's pcall: Lua's, except that when the error is a Redis error table its text is returned
     * in place of the table, as scripts written for Redis before 7.0 expect.
     */
    static final class Pcall extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue f = args.checkvalue(1);
            try {
                return varargsOf(TRUE, f.invoke(args.subargs(2)));
            } catch (LuaError e) {
                LuaValue error = LuaErrors.value(e);
                if (error.istable() && error.rawget(ERR).isstring()) {
                    error = error.rawget(ERR);
                }
                return varargsOf(FALSE, error);
            }
        }
    }

    /** xpcall(f, handler): f without arguments; on an error, handler's answer to it. */
    static final class Xpcall extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue f = args.arg1();
            LuaValue handler = args.arg(2);
            try {
                return varargsOf(TRUE, f.invoke());
            } catch (LuaError e) {
                return varargsOf(FALSE, handler.call(LuaErrors.value(e)));
            }
        }
    }

    /** error(message [, level]): a string message gets the place of level (1 by default; 0 none). */
    static final class Error extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue message, LuaValue level) {
            if (message.isstring()) {
                throw new LuaError(plainString(message).tojstring(), level.optint(1));
            }
            throw new LuaError(message);
        }
    }

    static final class Tostring extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue v) {
            LuaValue handler = v.metatag(TOSTRING);
            if (!handler.isnil()) {
                return handler.call(v);
            }
            return plainString(v);
        }
    }

    /** loadstring(source [, chunkname]): compiles text only; nil and the error for bad code. */
    static final class Loadstring extends VarArgFunction {
        private final Globals globals;
        private final LuaTable env;

        Loadstring(Globals globals, LuaTable env) {
            this.globals = globals;
            this.env = env;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaString code = args.checkstring(1);
            LuaValue chunkname = args.arg(2);
            return compile(globals, env, code, chunkname.isnil() ? "=[string \"" + chunkLabel(code) + "\"]" : chunkname.tojstring());
        }
    }

    /** load(function [, chunkname]): Lua 5.1's, which reads the code from a function's pieces. */
    static final class Load extends VarArgFunction {
        private final Globals globals;
        private final LuaTable env;

        Load(Globals globals, LuaTable env) {
            this.globals = globals;
            this.env = env;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue reader = args.checkfunction(1);
            LuaValue chunkname = args.arg(2);
            ByteArrayOutputStream code = new ByteArrayOutputStream();
            while (true) {
                LuaValue piece = reader.call();
                if (piece.isnil() || (piece.isstring() && piece.checkstring().length() == 0)) {
                    break;
                }
                if (!piece.isstring()) {
                    return varargsOf(NIL, valueOf("reader function must return a string"));
                }
                LuaString s = piece.checkstring();
                if (code.size() + (long) s.length() > MAX_STRING) {
                    throw new LuaError("chunk too large");
                }
                code.write(s.m_bytes, s.m_offset, s.m_length);
            }
            return compile(globals, env, LuaString.valueUsing(code.toByteArray()),
                    chunkname.isnil() ? "=(load)" : chunkname.tojstring());
        }
    }

    private static Varargs compile(Globals globals, LuaTable env, LuaString code, String chunkname) {
        if (code.length() > 0 && code.luaByte(0) == 27) {
            // Precompiled bytecode is never loaded: it can break the VM's guarantees.
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("attempt to load a binary chunk"));
        }
        try {
            return LuaInterpreter.load(globals, env, new ByteArrayInputStream(code.m_bytes, code.m_offset, code.m_length), chunkname);
        } catch (LuaError e) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaErrors.value(e));
        }
    }

    /** Lua 5.1's chunk id of a source string: its first line, cut short. */
    private static String chunkLabel(LuaString code) {
        String text = code.tojstring();
        int newline = text.indexOf('\n');
        boolean cut = newline >= 0 || text.length() > 45;
        String line = newline >= 0 ? text.substring(0, newline) : text;
        if (line.length() > 45) {
            line = line.substring(0, 45);
        }
        return cut ? line + "..." : line;
    }

    /** gcinfo(): the Lua heap in KB. LuaJ values live in the JVM heap; this is the interpreter's estimate. */
    static final class Gcinfo extends ZeroArgFunction {
        private final java.util.function.LongSupplier bytes;

        Gcinfo(java.util.function.LongSupplier bytes) {
            this.bytes = bytes;
        }

        @Override
        public LuaValue call() {
            return valueOf(bytes.getAsLong() / 1024);
        }
    }

    /**
     * collectgarbage([opt]): never forces a JVM collection (LuaJ's does, which a script could
     * repeat to stall the server); "count" answers the estimate gcinfo gives.
     */
    static final class Collectgarbage extends VarArgFunction {
        private final java.util.function.LongSupplier bytes;

        Collectgarbage(java.util.function.LongSupplier bytes) {
            this.bytes = bytes;
        }

        @Override
        public Varargs invoke(Varargs args) {
            String option = args.optjstring(1, "collect");
            return switch (option) {
                case "collect", "restart", "stop" -> ZERO;
                case "count" -> valueOf(bytes.getAsLong() / 1024.0);
                case "step" -> FALSE;
                case "setpause", "setstepmul" -> valueOf(args.optint(2, 0));
                default -> argerror(1, "invalid option '" + option + "'");
            };
        }
    }

    /** string.rep(s, n): bounded, so that one call cannot exhaust the heap. */
    static final class Rep extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue string, LuaValue count) {
            LuaString s = string.checkstring();
            int n = count.checkint();
            if (n <= 0 || s.length() == 0) {
                return EMPTYSTRING;
            }
            if ((long) s.length() * n > MAX_STRING) {
                throw new LuaError("resulting string too large");
            }
            byte[] bytes = new byte[s.length() * n];
            for (int offset = 0; offset < bytes.length; offset += s.length()) {
                s.copyInto(0, bytes, offset, s.length());
            }
            return LuaString.valueUsing(bytes);
        }
    }

    /** table.getn(t): the length, ignoring __len as 5.1 does. */
    static final class Getn extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue t) {
            return valueOf(t.checktable().rawlen());
        }
    }

    /** table.maxn(t): the largest positive numeric key, or 0. */
    static final class Maxn extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue t) {
            LuaTable table = t.checktable();
            double max = 0;
            LuaValue key = NIL;
            while (!(key = table.next(key).arg1()).isnil()) {
                if (key.type() == TNUMBER && key.todouble() > max) {
                    max = key.todouble();
                }
            }
            return valueOf(max);
        }
    }

    /** table.foreach(t, f): f(k, v) for each pair until f returns a value, which is returned. */
    static final class Foreach extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue t, LuaValue f) {
            LuaTable table = t.checktable();
            f.checkfunction();
            LuaValue key = NIL;
            while (true) {
                Varargs next = table.next(key);
                key = next.arg1();
                if (key.isnil()) {
                    return NIL;
                }
                LuaValue result = f.call(key, next.arg(2));
                if (!result.isnil()) {
                    return result;
                }
            }
        }
    }

    /** table.foreachi(t, f): f(i, t[i]) for i = 1..#t until f returns a value. */
    static final class Foreachi extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue t, LuaValue f) {
            LuaTable table = t.checktable();
            f.checkfunction();
            int n = table.rawlen();
            for (int i = 1; i <= n; i++) {
                LuaValue result = f.call(valueOf(i), table.rawget(i));
                if (!result.isnil()) {
                    return result;
                }
            }
            return NIL;
        }
    }

    /** table.setn: gone in 5.1 (LUA_COMPAT_GETN off), with its error. */
    static final class Setn extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue t, LuaValue n) {
            throw new LuaError("'setn' is obsolete");
        }
    }

    /** math.log10(x). */
    static final class Log10 extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue x) {
            return valueOf(Math.log10(x.checkdouble()));
        }
    }

    /** math.log(x): 5.1 takes no base. */
    static final class Log extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue x) {
            return valueOf(Math.log(x.checkdouble()));
        }
    }

    /** math.mod / math.fmod: C's fmod, the sign of the dividend. */
    static final class Fmod extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue a, LuaValue b) {
            return valueOf(a.checkdouble() % b.checkdouble());
        }
    }
}
