package io.respire.scripting.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * An error raised by one of these libraries, carrying its message as Lua bytes.
 *
 * <p>Lua 5.1 raises library errors in two ways, and Redis scripts can tell them apart:
 * <ul>
 *   <li>{@code luaL_error} and the argument checks prefix the message with the position of
 *       the Lua code that called the library function ({@code "user_script:1: "}), or with
 *       nothing when the caller is not Lua code (for example {@code pcall(cjson.decode, s)}).
 *       These are {@link #positioned(LuaString)} errors: LuaJ adds its own position prefix when
 *       the error passes through the calling Lua function, exactly as for LuaJ's own library
 *       errors, so the engine sees them like any other error.</li>
 *   <li>Errors raised by the Lua core while a C function runs ({@code "table index is nil"}
 *       from {@code lua_settable}) never carry a position. These are {@link #bare(LuaString)}
 *       errors, whose message object is returned unchanged.</li>
 * </ul>
 * LuaJ's {@link LuaError} keeps its message as a Java string; this class keeps the bytes so a
 * message quoting binary input (such as {@code invalid option '\xff'}) survives intact.
 */
public final class LuaLibError extends LuaError {
    private static final long serialVersionUID = 1L;

    private final transient LuaString message;
    private final boolean positioned;

    private LuaLibError(LuaString message, boolean positioned) {
        super(message.tojstring());
        this.message = message;
        this.positioned = positioned;
    }

    /** An error that, like luaL_error, takes the position of the calling Lua code. */
    public static LuaLibError positioned(LuaString message) {
        return new LuaLibError(message, true);
    }

    /** An error that, like luaL_error, takes the position of the calling Lua code. */
    public static LuaLibError positioned(String message) {
        return positioned(LuaValue.valueOf(message));
    }

    /** An error raised inside the library by the Lua core, which Lua 5.1 never positions. */
    public static LuaLibError bare(LuaString message) {
        return new LuaLibError(message, false);
    }

    /** The message exactly as the library produced it, without any position prefix. */
    public LuaString luaMessage() {
        return message;
    }

    /** Whether Lua 5.1 would prefix this message with the caller's position. */
    public boolean isPositioned() {
        return positioned;
    }

    /**
     * The value {@code pcall} returns: the bytes of the message, behind the position LuaJ
     * recorded when the error left the calling Lua function (LuaJ's own format, the same as for
     * its built-in errors).
     */
    @Override
    public LuaValue getMessageObject() {
        if (!positioned || fileline == null) {
            return message;
        }
        return LuaValue.valueOf(fileline + " ").concat(message);
    }
}
