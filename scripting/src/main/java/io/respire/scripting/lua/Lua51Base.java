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
        switch (v.type()) {
            case LuaValue.TNUMBER:
                return CNumbers.luaNumberToLuaString(v.todouble());
            case LuaValue.TTABLE:
            case LuaValue.TFUNCTION:
            case LuaValue.TTHREAD:
            case LuaValue.TUSERDATA:
                // Lua 5.1's "%s: %p": the address, here the identity hash, as glibc prints a pointer
                return LuaValue.valueOf(v.typename() + ": 0x" + Integer.toHexString(System.identityHashCode(v)));
            default:
                break;
        }
        LuaValue s = v.tostring();
        return s.isnil() ? LuaValue.valueOf(v.tojstring()) : s;
    }

    /**
     * Redis's pcall: Lua's, except that when the error is a Redis error table its text is returned
     * in place of the table, as scripts written for Redis before 7.0 expect.
     */
    static final class Pcall extends VarArgFunction {
        private final RunHook hook;

        Pcall(RunHook hook) {
            this.hook = hook;
        }

        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() < 1) {
                throw new LuaError(Lua51Args.argError(1, "pcall", "value expected"));
            }
            LuaValue f = args.arg1();
            hook.enterJava();
            try {
                return varargsOf(TRUE, f.invoke(args.subargs(2)));
            } catch (LuaError e) {
                LuaValue error = LuaErrors.value(e);
                if (error.istable() && error.rawget(ERR).isstring()) {
                    error = error.rawget(ERR);
                }
                return varargsOf(FALSE, error);
            } finally {
                hook.exitJava();
            }
        }
    }

    /**
     * xpcall(f, handler): f without arguments; on an error, handler's answer to it, or "error in
     * error handling" if the handler fails too.
     */
    static final class Xpcall extends VarArgFunction {
        private final RunHook hook;

        Xpcall(RunHook hook) {
            this.hook = hook;
        }

        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() < 2) {
                throw new LuaError(Lua51Args.argError(2, "xpcall", "value expected"));
            }
            LuaValue f = args.arg1();
            LuaValue handler = args.arg(2);
            hook.enterJava();
            try {
                return varargsOf(TRUE, f.invoke());
            } catch (LuaError e) {
                LuaValue error = LuaErrors.value(e);
                try {
                    return varargsOf(FALSE, handler.invoke(error));
                } catch (LuaError inHandler) {
                    return varargsOf(FALSE, valueOf("error in error handling"));
                }
            } finally {
                hook.exitJava();
            }
        }
    }

    /** assert(v [, message]): message must be a string (or number), as luaL_optstring wants. */
    static final class Assert extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() < 1) {
                throw new LuaError(Lua51Args.argError(1, "assert", "value expected"));
            }
            if (args.arg1().toboolean()) {
                return args;
            }
            LuaValue message = args.arg(2);
            if (message.isnil()) {
                throw new LuaError("assertion failed!");
            }
            throw new LuaError(Lua51Args.checkString(args, 2, "assert").tojstring());
        }
    }

    /**
     * error(message [, level]): a string message gets the position of the Lua function {@code
     * level} calls up (1, the default, is the function calling error; 0 adds none; a Java function
     * or the edge of the stack adds none), as luaL_where gives it.
     */
    static final class Error extends VarArgFunction {
        private final RunHook hook;

        Error(RunHook hook) {
            this.hook = hook;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue message = args.arg1();
            int level = Lua51Args.optInt(args, 2, "error", 1);
            if (message.isstring()) {
                throw new LuaError(hook.where(level) + plainString(message).tojstring(), 0);
            }
            throw new LuaError(message);
        }
    }

    /** select(n, ...) and select('#', ...), as luaB_select. */
    static final class Select extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            int n = args.narg();
            LuaValue first = args.arg1();
            if (first.type() == TSTRING && first.checkstring().length() > 0 && first.checkstring().luaByte(0) == '#') {
                return valueOf(n - 1);
            }
            int i = Lua51Args.checkInt(args, 1, "select");
            if (i < 0) {
                i = n + i;
            } else if (i > n) {
                i = n;
            }
            if (i < 1) {
                throw new LuaError(Lua51Args.argError(1, "select", "index out of range"));
            }
            return args.subargs(i + 1);
        }
    }

    /**
     * tonumber(e [, base]), Lua 5.1's luaB_tonumber: in base 10 luaO_str2d (glibc's strtod, see
     * {@link CNumbers#luaStringToNumber}), in other bases glibc's strtoul, the text ending at its
     * first zero byte as a C string does.
     */
    static final class Tonumber extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue base = args.arg(2);
            int b = base.isnil() ? 10 : Lua51Args.checkInt(args, 2, "tonumber");
            LuaValue e = args.arg1();
            if (b == 10) {
                if (args.narg() < 1) {
                    throw new LuaError(Lua51Args.argError(1, "tonumber", "value expected"));
                }
                if (e.type() == TNUMBER) {
                    return e;
                }
                Double d = e.type() == TSTRING ? CNumbers.luaStringToNumber(e.checkstring()) : null;
                return d != null ? valueOf(d) : NIL;
            }
            if (e.type() != TSTRING && e.type() != TNUMBER) {
                throw new LuaError(Lua51Args.typeError(args, 1, "tonumber", "string"));
            }
            if (b < 2 || b > 36) {
                throw new LuaError(Lua51Args.argError(2, "tonumber", "base out of range"));
            }
            LuaString text = plainString(e).checkstring();
            int start = text.m_offset;
            int limit = start + text.m_length;
            CNumbers.ParsedUnsigned n = CNumbers.strtoul(text.m_bytes, start, limit, b);
            if (n.failed(start) || !CNumbers.onlySpaceLeft(text.m_bytes, n.end(), limit)) {
                return NIL;
            }
            return valueOf(CNumbers.uint64ToDouble(n.value()));
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
        try {
            return LuaInterpreter.load(globals, env, code.m_bytes, code.m_offset, code.m_length, chunkname);
        } catch (LuaError e) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaErrors.value(e));
        }
    }

    /** Redis's Lua's LUA_IDSIZE less the room luaO_chunkid keeps for {@code [string "..."]}. */
    private static final int CHUNK_LABEL = 63;

    /** Lua 5.1's chunk id of a source string: its first line, cut short. */
    private static String chunkLabel(LuaString code) {
        String text = new String(code.m_bytes, code.m_offset, code.m_length, java.nio.charset.StandardCharsets.ISO_8859_1);
        int len = 0;
        while (len < text.length() && text.charAt(len) != '\n' && text.charAt(len) != '\r' && text.charAt(len) != 0) {
            len++;
        }
        boolean ended = len == text.length() || text.charAt(len) == 0;
        if (len > CHUNK_LABEL) {
            len = CHUNK_LABEL;
            ended = false;
        }
        return ended ? text.substring(0, len) : text.substring(0, len) + "...";
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

    /**
     * math.max and math.min as Lua 5.1's math_max/math_min loop: a later value replaces the one
     * kept only when strictly greater (smaller), so -0 against 0 keeps the first and a NaN after
     * the first argument is passed over (Java's Math.max prefers 0 and NaN).
     */
    static final class Extreme extends VarArgFunction {
        private final boolean max;

        Extreme(boolean max) {
            this.max = max;
        }

        @Override
        public Varargs invoke(Varargs args) {
            String name = max ? "max" : "min";
            double kept = Lua51Args.checkNumber(args, 1, name);
            for (int i = 2, n = args.narg(); i <= n; i++) {
                double d = Lua51Args.checkNumber(args, i, name);
                if (max ? d > kept : d < kept) {
                    kept = d;
                }
            }
            return valueOf(kept);
        }
    }

    /**
     * math.modf(x) as C's modf: the integral part, and the fraction with the sign of x (modf(-3)
     * is -3, -0; modf(1/0) is inf, 0), where LuaJ computed x - intPart.
     */
    static final class Modf extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            double x = Lua51Args.checkNumber(args, 1, "modf");
            double integral = x >= 0 ? Math.floor(x) : Math.ceil(x);
            double fraction = Double.isInfinite(x) ? 0 : x - integral;
            return varargsOf(valueOf(integral), valueOf(Math.copySign(fraction, x)));
        }
    }

    /** string.rep(s, n): bounded, so that one call cannot exhaust the heap. */
    static final class Rep extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue string, LuaValue count) {
            LuaString s = string.checkstring();
            int n = (int) CNumbers.doubleToInt64(count.checkdouble()); // luaL_checkint
            if (n <= 0 || s.length() == 0) {
                return EMPTYSTRING;
            }
            if ((long) s.length() * n > MAX_STRING) {
                throw new LuaError("not enough memory", 0);
            }
            byte[] bytes = new byte[(int) (s.length() * n)];
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
