package io.respire.scripting.lua;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Library argument errors worded as Lua 5.1's luaL_argerror; expected texts are Redis 7.0.15's. */
class Lua51ArgsTest {
    private final Scripts lua = new Scripts();

    @Test
    void typeErrorsNameTheArgumentAndFunction() {
        assertEquals("user_script:1: bad argument #1 to 'rep' (string expected, got no value)", lua.error("return string.rep()"));
        assertEquals("user_script:1: bad argument #2 to 'rep' (number expected, got no value)", lua.error("return string.rep('x')"));
        assertEquals("user_script:1: bad argument #2 to 'rep' (number expected, got string)", lua.error("return string.rep('x', 'a')"));
        assertEquals("user_script:1: bad argument #2 to 'max' (number expected, got string)", lua.error("return math.max(1, 'x')"));
        assertEquals("user_script:1: bad argument #1 to 'max' (number expected, got no value)", lua.error("return math.max()"));
        assertEquals("user_script:1: bad argument #1 to 'floor' (number expected, got string)", lua.error("return math.floor('0x')"));
        assertEquals("user_script:1: bad argument #1 to 'load' (function expected, got string)", lua.error("return load('return 1')"));
        assertEquals("user_script:1: bad argument #1 to 'ipairs' (table expected, got nil)", lua.error("for i in ipairs(nil) do end"));
        assertEquals("user_script:1: bad argument #2 to 'setmetatable' (nil or table expected)", lua.error("setmetatable({})"));
    }

    @Test
    void luajNumberedErrorsGetTheName() {
        assertEquals("user_script:1: bad argument #1 to 'char' (invalid value)", lua.error("return string.char(256)"));
        assertEquals("user_script:1: bad argument #1 to 'random' (interval is empty)", lua.error("math.randomseed(1) return math.random(0)"));
        assertEquals("user_script:1: bad argument #1 to 'select' (index out of range)", lua.error("return select(0, 'a')"));
        assertEquals("user_script:1: bad argument #1 to 'collectgarbage' (invalid option 'bogus')", lua.error("return collectgarbage('bogus')"));
    }

    @Test
    void malformedPatternsAreLuaErrors() {
        assertEquals("user_script:1: malformed pattern (missing ']')", lua.error("return string.find('abc', '[a')"));
        assertEquals("user_script:1: malformed pattern (ends with '%')", lua.error("return string.find('abc', 'a%')"));
        assertEquals(":2\r\n", lua.eval("return string.find('a]b', '[]]')"));
    }

    @Test
    void functionsPrintAsFunctions() {
        assertEquals("function: 0x", lua.value("return string.sub(tostring(string.rep), 1, 12)"));
        assertEquals("table: 0x", lua.value("return string.sub(tostring({}), 1, 9)"));
    }
}
