package io.respire.scripting.lib;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The parts of Lua 5.1's C API and auxiliary library (lauxlib) whose behaviour the ported
 * libraries depend on: argument checks with their exact error texts, the string/number
 * coercions of {@code lua_tonumber}, {@code lua_tointeger} and {@code lua_tolstring}, and the
 * limit on C stack slots that bounds how deep or how wide a library call may go.
 *
 * <p>Argument errors name the function by its library field name ({@code 'decode'}). Lua 5.1
 * derives the name from the call site, so it matches for the usual {@code cjson.decode(x)}
 * call; a call through {@code pcall(cjson.decode, x)} reads {@code '?'} in Redis.
 *
 * <p>The one home of these checks: the interpreter's Lua 5.1 base functions
 * ({@code io.respire.scripting.lua.Lua51Args}) use them too.
 */
public final class LuaCompat {

    /** LUAI_MAXCSTACK: how many stack slots a C function may use (lua_checkstack fails past it). */
    static final int MAX_C_STACK = 8000;

    private LuaCompat() {
    }

    // ---------------------------------------------------------------- errors

    /** luaL_error: the message, positioned at the calling Lua code by the VM. */
    static LuaLibError error(String message) {
        return LuaLibError.positioned(message);
    }

    /** luaL_argerror: "bad argument #n to 'f' (extra)". */
    public static LuaLibError argError(String function, int arg, String extra) {
        return LuaLibError.positioned(argErrorText(function, arg, extra));
    }

    /** luaL_argerror with a message that may quote binary input. */
    static LuaLibError argError(String function, int arg, LuaString extra) {
        LuaValue message = LuaValue.valueOf(argErrorHead(function, arg)).concat(extra).concat(LuaValue.valueOf(")"));
        return LuaLibError.positioned(message.checkstring());
    }

    /** luaL_argerror's text. */
    public static String argErrorText(String function, int arg, String extra) {
        return argErrorHead(function, arg) + extra + ")";
    }

    private static String argErrorHead(String function, int arg) {
        return "bad argument #" + arg + " to '" + function + "' (";
    }

    /** luaL_typerror: "bad argument #n to 'f' (number expected, got nil)". */
    static LuaLibError typeError(String function, Varargs args, int arg, String expected) {
        return argError(function, arg, typeErrorExtra(args, arg, expected));
    }

    /** luaL_typerror's words inside the parentheses: "number expected, got nil". */
    public static String typeErrorExtra(Varargs args, int arg, String expected) {
        return expected + " expected, got " + typeName(args, arg);
    }

    /** luaL_checkstack: "stack overflow (message)". */
    static LuaLibError stackOverflow(String message) {
        return error("stack overflow (" + message + ")");
    }

    /** luaL_typename: the type of argument n, or "no value" past the last argument. */
    static String typeName(Varargs args, int arg) {
        return arg > args.narg() ? "no value" : args.arg(arg).typename();
    }

    // ---------------------------------------------------------------- coercions

    /** lua_isnumber: a number, or a string that Lua 5.1 would convert to one. */
    static boolean isNumber(LuaValue v) {
        if (v.type() == LuaValue.TNUMBER) {
            return true;
        }
        return v.type() == LuaValue.TSTRING && CNumbers.luaStringToNumber((LuaString) v) != null;
    }

    /** lua_tonumber: the number value, or 0 for anything that does not convert. */
    static double toNumber(LuaValue v) {
        if (v.type() == LuaValue.TNUMBER) {
            return v.todouble();
        }
        if (v.type() == LuaValue.TSTRING) {
            Double d = CNumbers.luaStringToNumber((LuaString) v);
            return d == null ? 0 : d;
        }
        return 0;
    }

    /** lua_tolstring: strings as they are, numbers printed "%.14g", anything else null. */
    static LuaString toLString(LuaValue v) {
        if (v.type() == LuaValue.TSTRING) {
            return (LuaString) v;
        }
        if (v.type() == LuaValue.TNUMBER) {
            return CNumbers.luaNumberToLuaString(v.todouble());
        }
        return null;
    }

    // ---------------------------------------------------------------- argument checks

    /** luaL_checknumber. */
    public static double checkNumber(String function, Varargs args, int arg) {
        LuaValue v = args.arg(arg);
        double d = toNumber(v);
        if (d == 0 && !isNumber(v)) {
            throw typeError(function, args, arg, "number");
        }
        return d;
    }

    /** luaL_checkinteger: the number truncated toward zero to a 64-bit lua_Integer. */
    public static long checkInteger(String function, Varargs args, int arg) {
        LuaValue v = args.arg(arg);
        long n = isNumber(v) ? CNumbers.doubleToInt64(toNumber(v)) : 0;
        if (n == 0 && !isNumber(v)) {
            throw typeError(function, args, arg, "number");
        }
        return n;
    }

    /** luaL_optinteger: the default when the argument is absent or nil. */
    static long optInteger(String function, Varargs args, int arg, long defaultValue) {
        return args.arg(arg).isnil() ? defaultValue : checkInteger(function, args, arg);
    }

    /** luaL_checklstring: a string, or a number converted to one. */
    public static LuaString checkLString(String function, Varargs args, int arg) {
        LuaString s = toLString(args.arg(arg));
        if (s == null) {
            throw typeError(function, args, arg, "string");
        }
        return s;
    }

    /**
     * luaL_checkstring as C code sees it: the bytes up to the first NUL, because the libraries
     * read their format arguments as C strings.
     */
    static LuaString checkCString(String function, Varargs args, int arg) {
        LuaString s = checkLString(function, args, arg);
        for (int i = 0; i < s.m_length; i++) {
            if (s.m_bytes[s.m_offset + i] == 0) {
                return s.substring(0, i);
            }
        }
        return s;
    }
}
