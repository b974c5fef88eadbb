package io.respire.scripting.lib;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** Runs Lua snippets in a fresh LuaJ environment with the four libraries. */
abstract class LuaLibTestSupport {

    protected Globals g;

    @BeforeEach
    void newGlobals() {
        g = LuaTestEnv.globals();
    }

    /** All results of a chunk. */
    protected Varargs run(String lua) {
        return LuaTestEnv.run(g, lua);
    }

    /** The first result as a string, bytes mapped one to one onto chars (ISO-8859-1). */
    protected String eval(String lua) {
        LuaValue v = run(lua).arg1();
        return v.isstring() && v.type() == LuaValue.TSTRING ? latin1((LuaString) v) : v.tojstring();
    }

    /** The first result as a Lua number. */
    protected double number(String lua) {
        return run(lua).arg1().checkdouble();
    }

    /** The first result (a string) as lower-case hex. */
    protected String hex(String lua) {
        LuaString s = run(lua).arg1().checkstring();
        byte[] b = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, b, 0, b.length);
        return HexFormat.of().formatHex(b);
    }

    /**
     * The message of the error raised by {@code expr}, evaluated as a non-tail call from Lua
     * code, with LuaJ's position prefix ("@user_script:1 ") removed.
     */
    protected String error(String expr) {
        Varargs r = run("local ok, e = pcall(function() local r = " + expr + " return r end) return ok, e");
        assertFalse(r.arg1().toboolean(), () -> expr + " did not fail");
        LuaValue e = r.arg(2);
        String message = e.type() == LuaValue.TSTRING ? latin1((LuaString) e) : e.tojstring();
        return message.replaceFirst("^@user_script:\\d+ ", "");
    }

    protected static String latin1(LuaString s) {
        return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
    }
}
