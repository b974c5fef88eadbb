package io.respire.scripting.lua;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaDouble;
import org.luaj.vm2.LuaValue;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The project's LuaDouble (scripting/src/main/java/org/luaj/vm2) must be the one loaded, ahead of
 * LuaJ's: numbers become strings as Lua 5.1 writes them ({@code %.14g}) in concatenation too.
 */
class LuaDoubleTest {
    @Test
    void numbersBecomeStringsAsInLua51() {
        assertEquals("0.33333333333333", LuaValue.valueOf(1.0 / 3).tojstring());
        assertEquals("1e+14", LuaValue.valueOf(1e14).tojstring());
        assertEquals("1.2345678901234e+14", LuaValue.valueOf(123456789012345.0).tojstring());
        assertEquals("9.2233720368548e+18", LuaValue.valueOf(Math.pow(2, 63)).tojstring());
        assertEquals("3.1415926535898", LuaValue.valueOf(Math.PI).tojstring());
        assertEquals("-inf", LuaValue.valueOf(Double.NEGATIVE_INFINITY).tojstring());
        assertEquals("x0.5", LuaValue.valueOf("x").concat(LuaValue.valueOf(0.5)).tojstring());
    }

    @Test
    void theShadowingClassIsTheOneLoaded() {
        String source = LuaDouble.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertEquals(false, source.contains("luaj-jse"), "LuaJ's own LuaDouble was loaded from " + source);
    }
}
