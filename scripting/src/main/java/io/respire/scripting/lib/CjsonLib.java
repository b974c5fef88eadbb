package io.respire.scripting.lib;

import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;

/**
 * lua-cjson 2.1.0 ({@code cjson}) as Redis 7.0 bundles it (deps/lua/src/lua_cjson.c):
 * {@code cjson.encode}, {@code cjson.decode}, {@code cjson.null}, {@code cjson.new} and the
 * configuration functions, each with lua-cjson's defaults, return values and error texts.
 *
 * <p>Objects are written in LuaJ's table iteration order, the same order {@code pairs} gives the
 * script. Lua 5.1 lays out hash parts differently, so an object with more than one key may
 * list them in another order than Redis does; arrays, single-key objects and everything else
 * match byte for byte. See {@link JsonEncoder} and {@link JsonDecoder}.
 */
public final class CjsonLib extends TwoArgFunction {

    /**
     * {@code cjson.null}: Lua 5.1's NULL light userdata, which JSON null decodes to. One shared
     * value, so {@code v == cjson.null} holds for every decoded null; tostring gives Lua 5.1's
     * {@code "userdata: (nil)"}.
     */
    public static final LuaValue NULL = new LuaUserdata(new Object() {
        @Override
        public String toString() {
            return "userdata: (nil)";
        }
    });

    private static final String[] BOOLEAN_OPTIONS = {"off", "on"};
    private static final String[] INVALID_NUMBER_OPTIONS = {"off", "on", "null"};

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable cjson = newModule();
        RedisLuaLibs.publish(env, "cjson", cjson);
        return cjson;
    }

    /** lua_cjson_new: a module table with its own configuration. */
    static LuaTable newModule() {
        CjsonConfig cfg = new CjsonConfig();
        LuaTable cjson = new LuaTable();
        LibFunction.register(cjson, "encode", args -> encode(cfg, args));
        LibFunction.register(cjson, "decode", args -> decode(cfg, args));
        LibFunction.register(cjson, "encode_sparse_array", args -> encodeSparseArray(cfg, args));
        LibFunction.register(cjson, "encode_max_depth", args -> integerSetting("encode_max_depth",
                args, 1, Integer.MAX_VALUE, () -> cfg.encodeMaxDepth, v -> cfg.encodeMaxDepth = v));
        LibFunction.register(cjson, "decode_max_depth", args -> integerSetting("decode_max_depth",
                args, 1, Integer.MAX_VALUE, () -> cfg.decodeMaxDepth, v -> cfg.decodeMaxDepth = v));
        LibFunction.register(cjson, "encode_number_precision", args -> integerSetting(
                "encode_number_precision", args, 1, 14,
                () -> cfg.encodeNumberPrecision, v -> cfg.encodeNumberPrecision = v));
        LibFunction.register(cjson, "encode_keep_buffer", args -> booleanSetting("encode_keep_buffer",
                args, () -> cfg.encodeKeepBuffer ? 1 : 0, v -> cfg.encodeKeepBuffer = v != 0));
        LibFunction.register(cjson, "encode_invalid_numbers", args -> enumSetting("encode_invalid_numbers",
                args, INVALID_NUMBER_OPTIONS, () -> cfg.encodeInvalidNumbers, v -> cfg.encodeInvalidNumbers = v));
        LibFunction.register(cjson, "decode_invalid_numbers", args -> booleanSetting("decode_invalid_numbers",
                args, () -> cfg.decodeInvalidNumbers ? 1 : 0, v -> cfg.decodeInvalidNumbers = v != 0));
        LibFunction.register(cjson, "new", args -> newModule());
        cjson.set("null", NULL);
        cjson.set("_NAME", "cjson");
        cjson.set("_VERSION", "2.1.0");
        return cjson;
    }

    // ---------------------------------------------------------------- encode / decode

    private static Varargs encode(CjsonConfig cfg, Varargs args) {
        if (args.narg() != 1) {
            throw LuaCompat.argError("encode", 1, "expected 1 argument");
        }
        return new JsonEncoder(cfg).encode(args.arg1());
    }

    private static Varargs decode(CjsonConfig cfg, Varargs args) {
        if (args.narg() != 1) {
            throw LuaCompat.argError("decode", 1, "expected 1 argument");
        }
        LuaString json = LuaCompat.checkLString("decode", args, 1);
        return new JsonDecoder(cfg, json).decode();
    }

    // ---------------------------------------------------------------- configuration

    /** cjson.encode_sparse_array([convert [, ratio [, safe]]]) -> convert, ratio, safe. */
    private static Varargs encodeSparseArray(CjsonConfig cfg, Varargs args) {
        String fn = "encode_sparse_array";
        checkArgCount(fn, args, 3);
        LuaValue convert = enumOption(fn, args, 1, BOOLEAN_OPTIONS,
                () -> cfg.encodeSparseConvert ? 1 : 0, v -> cfg.encodeSparseConvert = v != 0);
        LuaValue ratio = integerOption(fn, args, 2, 0, Integer.MAX_VALUE,
                () -> cfg.encodeSparseRatio, v -> cfg.encodeSparseRatio = v);
        LuaValue safe = integerOption(fn, args, 3, 0, Integer.MAX_VALUE,
                () -> cfg.encodeSparseSafe, v -> cfg.encodeSparseSafe = v);
        return LuaValue.varargsOf(convert, ratio, safe);
    }

    private static Varargs integerSetting(String fn, Varargs args, int min, int max,
                                          IntSupplier get, IntConsumer set) {
        checkArgCount(fn, args, 1);
        return integerOption(fn, args, 1, min, max, get, set);
    }

    private static Varargs booleanSetting(String fn, Varargs args, IntSupplier get, IntConsumer set) {
        return enumSetting(fn, args, BOOLEAN_OPTIONS, get, set);
    }

    private static Varargs enumSetting(String fn, Varargs args, String[] options,
                                       IntSupplier get, IntConsumer set) {
        checkArgCount(fn, args, 1);
        return enumOption(fn, args, 1, options, get, set);
    }

    /** json_arg_init: at most {@code max} arguments. */
    private static void checkArgCount(String fn, Varargs args, int max) {
        if (args.narg() > max) {
            throw LuaCompat.argError(fn, max + 1, "found too many arguments");
        }
    }

    /**
     * json_integer_option: sets the value when the argument is given (truncated to a C int),
     * and returns the current value. The range error names argument #1 whatever the position,
     * as the C code does.
     */
    private static LuaValue integerOption(String fn, Varargs args, int index, int min, int max,
                                          IntSupplier get, IntConsumer set) {
        if (!args.arg(index).isnil()) {
            int value = (int) LuaCompat.checkInteger(fn, args, index);
            if (value < min || value > max) {
                throw LuaCompat.argError(fn, 1, "expected integer between " + min + " and " + max);
            }
            set.accept(value);
        }
        return LuaValue.valueOf(get.getAsInt());
    }

    /**
     * json_enum_option: a boolean, or one of the option names (compared as C strings), sets the
     * value; returns it as a boolean when it is off/on, else as its name.
     */
    private static LuaValue enumOption(String fn, Varargs args, int index, String[] options,
                                       IntSupplier get, IntConsumer set) {
        LuaValue arg = args.arg(index);
        if (!arg.isnil()) {
            set.accept(arg.isboolean() ? (arg.toboolean() ? 1 : 0) : checkOption(fn, args, index, options));
        }
        int setting = get.getAsInt();
        return setting <= 1 ? LuaValue.valueOf(setting == 1) : LuaValue.valueOf(options[setting]);
    }

    /** luaL_checkoption without a default. */
    private static int checkOption(String fn, Varargs args, int index, String[] options) {
        LuaString name = LuaCompat.checkCString(fn, args, index);
        for (int i = 0; i < options.length; i++) {
            if (name.equals(LuaValue.valueOf(options[i]))) {
                return i;
            }
        }
        LuaValue message = LuaValue.valueOf("invalid option '").concat(name).concat(LuaValue.valueOf("'"));
        throw LuaCompat.argError(fn, index, message.checkstring());
    }
}
