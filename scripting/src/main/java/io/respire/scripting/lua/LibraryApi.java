package io.respire.scripting.lua;

import io.respire.scripting.ScriptFlags;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * What a library's code sees while FUNCTION LOAD runs it (function_lua.c's library API): a
 * {@code redis} table of register_function, log, the LOG_* levels and the version, and nothing
 * else; any other global, {@code redis.call} included, is "nonexistent". Both tables are read-only.
 *
 * <p>register_function takes a name and a callback, or one table of named arguments
 * (function_name, callback, flags, description), with Redis's checks and error texts. It only
 * works while a library loads; a function that kept the table and calls it later gets an error.
 */
final class LibraryApi {
    private static final String REGISTER_FIRST_ARG = "first argument to redis.register_function must be a string";

    private final ProtectedTable globals = new ProtectedTable();
    private LuaInterpreter.Registrar registrar;

    LibraryApi(LuaInterpreter interpreter, LuaValue missingGlobal) {
        ProtectedTable redis = new ProtectedTable();
        redis.rawset("register_function", new RegisterFunction());
        RedisApi.addLogAndVersion(interpreter, redis);
        redis.setmetatable(errorMetatable(missingGlobal));
        globals.rawset("redis", redis);
        globals.setmetatable(errorMetatable(missingGlobal));
        lockAll(globals);
    }

    private static ProtectedTable errorMetatable(LuaValue missingGlobal) {
        ProtectedTable meta = new ProtectedTable();
        meta.rawset(LuaValue.INDEX, missingGlobal);
        return meta;
    }

    private static void lockAll(ProtectedTable table) {
        table.lock();
        ((ProtectedTable) table.getmetatable()).lock();
        ProtectedTable redis = (ProtectedTable) table.rawget("redis");
        redis.lock();
        ((ProtectedTable) redis.getmetatable()).lock();
    }

    /** The globals of a library's code while it loads. */
    LuaTable globals() {
        return globals;
    }

    /** Where register_function sends what it registers: set while a library loads, else null. */
    void registrar(LuaInterpreter.Registrar registrar) {
        this.registrar = registrar;
    }

    private static LuaError fail(String message) {
        return RedisApi.raise(message);
    }

    /** luaGetStringSds: a string or a number (as its text), else null. */
    private static byte[] stringBytes(LuaValue v) {
        if (v.type() != LuaValue.TSTRING && v.type() != LuaValue.TNUMBER) {
            return null;
        }
        LuaString s = Lua51Base.plainString(v).checkstring();
        byte[] bytes = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, bytes, 0, s.m_length);
        return bytes;
    }

    /** redis.register_function (luaRegisterFunction). */
    private final class RegisterFunction extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaInterpreter.Registrar current = registrar;
            if (current == null) {
                throw fail("redis.register_function can only be called on FUNCTION LOAD command");
            }
            int argc = args.narg();
            if (argc < 1 || argc > 2) {
                throw fail("wrong number of arguments to redis.register_function");
            }
            Registration registration = argc == 1 ? named(args.arg1()) : positional(args.arg1(), args.arg(2));
            String rejection = current.register(registration.name, registration.callback,
                    registration.description, registration.flags);
            if (rejection != null) {
                throw fail(rejection);
            }
            return NONE;
        }
    }

    private record Registration(byte[] name, LuaFunction callback, byte[] description, int flags) {
    }

    private static Registration positional(LuaValue name, LuaValue callback) {
        byte[] nameBytes = stringBytes(name);
        if (nameBytes == null) {
            throw fail(REGISTER_FIRST_ARG);
        }
        if (!callback.isfunction()) {
            throw fail("second argument to redis.register_function must be a function");
        }
        return new Registration(nameBytes, (LuaFunction) callback, null, 0);
    }

    /** luaRegisterFunctionReadNamedArgs: the table's fields in its own order, as lua_next gives them. */
    private static Registration named(LuaValue table) {
        if (!table.istable()) {
            throw fail("calling redis.register_function with a single argument is only applicable to Lua table "
                    + "(representing named arguments).");
        }
        byte[] name = null;
        byte[] description = null;
        LuaFunction callback = null;
        int flags = 0;
        LuaValue key = LuaValue.NIL;
        while (true) {
            Varargs next = table.next(key);
            key = next.arg1();
            if (key.isnil()) {
                break;
            }
            LuaValue value = next.arg(2);
            if (key.type() != LuaValue.TSTRING && key.type() != LuaValue.TNUMBER) {
                throw fail("named argument key given to redis.register_function is not a string");
            }
            String field = Lua51Base.plainString(key).tojstring();
            if (field.equalsIgnoreCase("function_name")) {
                name = stringBytes(value);
                if (name == null) {
                    throw fail("function_name argument given to redis.register_function must be a string");
                }
            } else if (field.equalsIgnoreCase("description")) {
                description = stringBytes(value);
                if (description == null) {
                    throw fail("description argument given to redis.register_function must be a string");
                }
            } else if (field.equalsIgnoreCase("callback")) {
                if (!value.isfunction()) {
                    throw fail("callback argument given to redis.register_function must be a function");
                }
                callback = (LuaFunction) value;
            } else if (field.equalsIgnoreCase("flags")) {
                if (!value.istable()) {
                    throw fail("flags argument to redis.register_function must be a table representing function flags");
                }
                flags = flags(value);
            } else {
                throw fail("unknown argument given to redis.register_function");
            }
        }
        if (name == null) {
            throw fail("redis.register_function must get a function name argument");
        }
        if (callback == null) {
            throw fail("redis.register_function must get a callback argument");
        }
        return new Registration(name, callback, description, flags);
    }

    /** luaRegisterFunctionReadFlags: flags[1], flags[2]... up to the first nil, names in any case. */
    private static int flags(LuaValue list) {
        int flags = 0;
        for (int i = 1; ; i++) {
            LuaValue flag = list.get(i);
            if (flag.isnil()) {
                return flags;
            }
            byte[] text = flag.type() == LuaValue.TSTRING || flag.type() == LuaValue.TNUMBER ? stringBytes(flag) : null;
            int bit = text == null ? 0 : ScriptFlags.bitIgnoreCase(new String(text, java.nio.charset.StandardCharsets.ISO_8859_1));
            if (bit == 0) {
                throw fail("unknown flag given");
            }
            flags |= bit;
        }
    }
}
