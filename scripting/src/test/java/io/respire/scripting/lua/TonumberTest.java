package io.respire.scripting.lua;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * tonumber (Lua51Base.Tonumber) over C's strtod and strtoul (CNumbers), as Redis's Lua 5.1;
 * expected replies are Redis 7.0.15's.
 */
class TonumberTest {
    private final Scripts lua = new Scripts();

    @Test
    void decimalTextAsStrtod() {
        assertEquals(":16\r\n", lua.eval("return tonumber('0x10')"));
        assertEquals(":-16\r\n", lua.eval("return tonumber('-0x10')"));
        assertEquals(":16\r\n", lua.eval("return tonumber('0x1p4')"));
        assertEquals("$-1\r\n", lua.eval("return tonumber('0x')"), "LuaJ's scanner threw here");
        assertEquals(":5\r\n", lua.eval("return tonumber(' \\t5\\n')"));
        assertEquals(":5\r\n", lua.eval("return tonumber('5\\0')"), "a C string ends at its zero byte");
        assertEquals(":-9223372036854775808\r\n", lua.eval("return tonumber('inf')"));
        assertEquals("$3\r\ninf\r\n", lua.eval("return tostring(tonumber('1e500'))"));
        assertEquals(":1\r\n", lua.eval("return tonumber('1.5', 10)"), "base 10 is the decimal reading");
        assertEquals("$-1\r\n", lua.eval("return tonumber('- 5')"));
        assertEquals("-nan", lua.value("return tostring(tonumber('-nan'))"), "glibc's strtod keeps the sign of a NaN");
    }

    @Test
    void otherBasesAsStrtoul() {
        assertEquals(":255\r\n", lua.eval("return tonumber('ff', 16)"));
        assertEquals(":16\r\n", lua.eval("return tonumber('0x10', 16)"));
        assertEquals(":35\r\n", lua.eval("return tonumber('z', 36)"));
        assertEquals("$-1\r\n", lua.eval("return tonumber('8', 8)"));
        assertEquals("1.844674407371e+19", lua.value("return tostring(tonumber('-ff', 16))"), "negated as unsigned long");
        assertEquals("user_script:1: bad argument #2 to 'tonumber' (base out of range)", lua.error("return tonumber('10', 37)"));
        assertEquals("user_script:1: bad argument #1 to 'tonumber' (value expected)", lua.error("return tonumber()"));
    }
}
