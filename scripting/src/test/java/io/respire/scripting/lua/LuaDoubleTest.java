package io.respire.scripting.lua;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaDouble;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.FuncState;
import org.luaj.vm2.compiler.LexState;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The project's LuaDouble, LuaInteger, FuncState, LexState, LuaThread and LuaString
 * (scripting/src/main/java/org/luaj/vm2) must be the ones loaded, ahead of LuaJ's: numbers become
 * strings as Lua 5.1 writes them ({@code %.14g}) in concatenation too, negative zeros stay
 * negative, conversions to integers are x86's, strings are numbers where Lua 5.1 reads one
 * (LexState: Lua51GrammarTest).
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
    void theShadowingClassesAreTheOnesLoaded() {
        for (Class<?> shadow : new Class<?>[] {LuaDouble.class, LuaInteger.class, FuncState.class, LexState.class,
                org.luaj.vm2.LuaThread.class, org.luaj.vm2.LuaString.class}) {
            String source = shadow.getProtectionDomain().getCodeSource().getLocation().toString();
            assertEquals(false, source.contains("luaj-jse"), "LuaJ's own " + shadow.getSimpleName() + " was loaded from " + source);
        }
    }

    /** Expected values are Redis 7.0.15's. */
    @Test
    void negativeZeroIsKeptAsInLua51() {
        Scripts lua = new Scripts();
        assertEquals("-0 -0 -0 -0", lua.value("return tostring(-0) .. ' ' .. tostring(0 * -1) .. ' ' .. tostring(0/-1) .. ' ' "
                + ".. tostring(-1.5 * 0)"));
        assertEquals("0 -0 0 0 0", lua.value("local z = 0 return tostring(-0) .. ' ' .. tostring(-z) .. ' ' .. "
                + "tostring(0 * -1) .. ' ' .. tostring(0/-1) .. ' ' .. tostring(-1.5 * 0)"),
                "0 and -0 are one constant, the first one's value; -z is computed");
        assertEquals("-0 0 -0 true", lua.value("local t = {}; t[0] = 'a'; local z = cjson.decode('-0'); "
                + "return tostring(z) .. ' ' .. tostring(z + 0) .. ' ' .. tostring(math.ceil(-0.5)) .. ' ' .. tostring(t[z] == 'a')"));
        assertEquals("-inf inf -nan", lua.value("local z = 0 return tostring(1/-z) .. ' ' .. tostring(1/z) .. ' ' .. tostring(z/z)"));
        assertEquals("-0 -0 -0", lua.value("local z = -0 return string.format('%s %.0f %g', z, z, z)"));
        assertEquals("-3 -0 inf 0", lua.value("local a, b = math.modf(-3) local c, d = math.modf(1/0) "
                + "return tostring(a) .. ' ' .. tostring(b) .. ' ' .. tostring(c) .. ' ' .. tostring(d)"));
        assertEquals("1 -nan 1 7", lua.value("return tostring(math.max(1, 0/0)) .. ' ' .. tostring(math.max(0/0, 1)) .. ' ' "
                + ".. tostring(math.min(1, 0/0)) .. ' ' .. tostring(math.max(3, '7', 5))"));
        assertEquals("-0", lua.value("return tostring(math.max(-0.0, 0))"), "C's loop keeps the first of equal values");
    }

    /** Expected values are Redis 7.0.15's. */
    @Test
    void stringsInArithmeticAreNumbersAsLua51ReadsThem() {
        Scripts lua = new Scripts();
        assertEquals("inf 6 nan 16 6", lua.value("return tostring('inf' + 0) .. ' ' .. tostring('5\\n' + 1) .. ' ' .. "
                + "tostring('nan' * 1) .. ' ' .. tostring(' 0x10 ' * 1) .. ' ' .. tostring('5\\0abc' + 1)"));
        assertEquals("user_script:1: attempt to perform arithmetic on a string value", lua.error("return '' + 1"));
        assertEquals("xxx", lua.value("return string.rep('x', ' 3\\t')"));
    }

    /** Lua 5.1's luaL_checkint is (int)(lua_Integer) d: x86 gives LLONG_MIN out of range, then 0 as an int. */
    @Test
    void integerArgumentsAreX86Casts() {
        Scripts lua = new Scripts();
        assertEquals("abcdef", lua.value("return string.sub('abcdef', 1e30)"));
        assertEquals("", lua.value("return string.sub('abcdef', 2, 1e30)"));
        assertEquals("abab", lua.value("return string.rep('ab', 2^32+2)"));
        assertEquals("A", lua.value("return string.char(2^32+65)"));
    }
}
