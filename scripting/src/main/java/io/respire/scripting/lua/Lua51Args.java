package io.respire.scripting.lua;

import io.respire.scripting.lib.LuaCompat;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argument checks with Lua 5.1's words: "bad argument #2 to 'rep' (number expected, got no
 * value)". LuaJ's library functions check their arguments too, but say "bad argument: int
 * expected, got nil", without the position or the function's name; {@link #wrap} puts a library
 * function behind the checks Lua 5.1's C function makes first, and gives the name to the errors
 * LuaJ raises itself ("bad argument #1: invalid value").
 *
 * <p>Lua 5.1 names the function as it was called (a local alias, "?" through pcall) and counts a
 * method call's arguments from the receiver; these messages always use the library name.
 */
final class Lua51Args {
    private static final Pattern NUMBERED = Pattern.compile("bad argument #(\\d+): (.*)", Pattern.DOTALL);

    private Lua51Args() {
    }

    /** luaL_argerror's text (one home for it and the checks: {@link LuaCompat}). */
    static String argError(int i, String function, String message) {
        return LuaCompat.argErrorText(function, i, message);
    }

    /** luaL_typerror's text. */
    static String typeError(Varargs args, int i, String function, String expected) {
        return argError(i, function, LuaCompat.typeErrorExtra(args, i, expected));
    }

    /** luaL_checknumber. */
    static double checkNumber(Varargs args, int i, String function) {
        return LuaCompat.checkNumber(function, args, i);
    }

    /** luaL_checkint: luaL_checkinteger's 64-bit integer, narrowed to C's int. */
    static int checkInt(Varargs args, int i, String function) {
        return (int) LuaCompat.checkInteger(function, args, i);
    }

    /** luaL_optint. */
    static int optInt(Varargs args, int i, String function, int absent) {
        return args.arg(i).isnil() ? absent : checkInt(args, i, function);
    }

    /** luaL_checklstring: strings, and numbers as Lua 5.1 writes them. */
    static LuaString checkString(Varargs args, int i, String function) {
        return LuaCompat.checkLString(function, args, i);
    }

    /** luaL_checktype(L, i, LUA_TTABLE). */
    static LuaTable checkTable(Varargs args, int i, String function) {
        LuaValue v = args.arg(i);
        if (v.type() != LuaValue.TTABLE) {
            throw new LuaError(typeError(args, i, function, "table"));
        }
        return (LuaTable) v;
    }

    /**
     * {@code function} behind Lua 5.1's checks. {@code signature} has one letter per argument:
     * {@code s} string (or number), {@code n} number (or numeric string), {@code t} table,
     * {@code f} function, {@code L} Lua function, {@code a} any value, {@code r} gsub's replacement,
     * {@code m} setmetatable's nil-or-table; a capital ({@code S N T F}) is optional (none or nil
     * pass). After a {@code |}, one letter gives the type of all further arguments.
     */
    static LuaValue wrap(String name, String signature, LuaValue function) {
        return new Checked(name, signature, function);
    }

    /**
     * {@code function} (find, match, gmatch, gsub) with its pattern, argument 2, checked first as
     * Lua 5.1 reads patterns: LuaJ's matcher runs past the end of "[a" (an
     * ArrayIndexOutOfBoundsException, or bytes beyond the string) where Lua reports a malformed
     * pattern.
     */
    static LuaValue withPattern(LuaValue function) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                if (args.arg(2).type() == LuaValue.TSTRING) {
                    checkPattern(args.arg(2).checkstring());
                }
                return function.invoke(args);
            }
        };
    }

    /**
     * {@code function} with the errors it raises itself made position-less, as errors Lua raises
     * from inside a C function (luaG_runerror there) are.
     */
    static LuaValue raisedInC(LuaValue function) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                try {
                    return function.invoke(args);
                } catch (LuaError e) {
                    if (LuaErrors.fresh(e) && e.getMessage() != null && !e.getMessage().startsWith("bad argument")
                            && e.getMessageObject() != null && e.getMessageObject().isstring()) {
                        throw new LuaError(e.getMessage(), 0);
                    }
                    throw e;
                }
            }
        };
    }

    /** Raises lstrlib.c's errors for a pattern that is malformed anywhere. */
    static void checkPattern(LuaString pattern) {
        byte[] p = pattern.m_bytes;
        int len = pattern.m_offset + pattern.m_length;
        int i = pattern.m_offset;
        while (i < len) {
            byte c = p[i];
            if (c == '%') {
                if (i + 1 >= len) {
                    throw new LuaError("malformed pattern (ends with '%')");
                }
                byte n = p[i + 1];
                if (n == 'b') {
                    if (i + 3 >= len) {
                        throw new LuaError("unbalanced pattern");
                    }
                    i += 4;
                } else if (n == 'f') {
                    i += 2;
                    if (i >= len || p[i] != '[') {
                        throw new LuaError("missing '[' after '%f' in pattern");
                    }
                    i = classEnd(p, i, len);
                } else {
                    i += 2;
                }
            } else if (c == '[') {
                i = classEnd(p, i, len);
            } else {
                i++;
            }
        }
    }

    /** lstrlib.c's classEnd for the set that starts at {@code i} ('['). */
    private static int classEnd(byte[] p, int i, int len) {
        int j = i + 1;
        if (j < len && p[j] == '^') {
            j++;
        }
        while (true) {
            if (j >= len) {
                throw new LuaError("malformed pattern (missing ']')");
            }
            byte ch = p[j++];
            if (ch == '%' && j < len) {
                j++;
            }
            if (j < len && p[j] == ']') {
                return j + 1;
            }
        }
    }

    private static final class Checked extends VarArgFunction {
        private final String function;
        private final String fixed;
        private final char rest;
        private final LuaValue target;

        Checked(String function, String signature, LuaValue target) {
            this.function = function;
            int bar = signature.indexOf('|');
            this.fixed = bar < 0 ? signature : signature.substring(0, bar);
            this.rest = bar < 0 ? 0 : signature.charAt(bar + 1);
            this.target = target;
        }

        private void check(Varargs args) {
            int n = args.narg();
            for (int i = 1; i <= fixed.length(); i++) {
                check(fixed.charAt(i - 1), args, i);
            }
            if (rest != 0) {
                for (int i = fixed.length() + 1; i <= n; i++) {
                    check(rest, args, i);
                }
            }
        }

        private void check(char kind, Varargs args, int i) {
            LuaValue v = args.arg(i);
            int type = v.type();
            boolean optional = Character.isUpperCase(kind) && kind != 'L';
            if (optional && type == LuaValue.TNIL) {
                return;
            }
            switch (Character.toLowerCase(kind)) {
                case 's' -> {
                    if (type != LuaValue.TSTRING && type != LuaValue.TNUMBER) {
                        throw new LuaError(typeError(args, i, function, "string"));
                    }
                }
                case 'n' -> {
                    if (!v.isnumber()) {
                        throw new LuaError(typeError(args, i, function, "number"));
                    }
                }
                case 't' -> {
                    if (type != LuaValue.TTABLE) {
                        throw new LuaError(typeError(args, i, function, "table"));
                    }
                }
                case 'f' -> {
                    if (type != LuaValue.TFUNCTION) {
                        throw new LuaError(typeError(args, i, function, "function"));
                    }
                }
                case 'l' -> {
                    if (!(v instanceof LuaClosure)) {
                        throw new LuaError(argError(i, function, "Lua function expected"));
                    }
                }
                case 'a' -> {
                    if (i > args.narg()) {
                        throw new LuaError(argError(i, function, "value expected"));
                    }
                }
                case 'r' -> {
                    if (type != LuaValue.TSTRING && type != LuaValue.TNUMBER && type != LuaValue.TTABLE
                            && type != LuaValue.TFUNCTION) {
                        throw new LuaError(argError(i, function, "string/function/table expected"));
                    }
                }
                case 'm' -> {
                    if (i > args.narg() || (type != LuaValue.TNIL && type != LuaValue.TTABLE)) {
                        throw new LuaError(argError(i, function, "nil or table expected"));
                    }
                }
                default -> throw new IllegalStateException("bad signature letter " + kind);
            }
        }

        @Override
        public Varargs invoke(Varargs args) {
            check(args);
            try {
                return target.invoke(args);
            } catch (LuaError e) {
                throw named(e);
            }
        }

        @Override
        public LuaValue call() {
            return invoke(NONE).arg1();
        }

        @Override
        public LuaValue call(LuaValue a) {
            check(a);
            try {
                return target.call(a);
            } catch (LuaError e) {
                throw named(e);
            }
        }

        @Override
        public LuaValue call(LuaValue a, LuaValue b) {
            check(varargsOf(a, b));
            try {
                return target.call(a, b);
            } catch (LuaError e) {
                throw named(e);
            }
        }

        @Override
        public LuaValue call(LuaValue a, LuaValue b, LuaValue c) {
            check(varargsOf(a, b, c));
            try {
                return target.call(a, b, c);
            } catch (LuaError e) {
                throw named(e);
            }
        }

        /** An error of LuaJ's own check, raised here, given the name of the function. */
        private LuaError named(LuaError e) {
            if (!LuaErrors.fresh(e) || e.getMessageObject() != null && !(e.getMessageObject().isstring())) {
                return e;
            }
            String message = e.getMessage();
            if (message == null) {
                return e;
            }
            Matcher m = NUMBERED.matcher(message);
            if (m.matches()) {
                return new LuaError(argError(Integer.parseInt(m.group(1)), function, m.group(2)));
            }
            return e;
        }
    }
}
