package io.respire.scripting.lua;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runtime errors name the variable the bad value came from, as Lua 5.1's getobjname does, and
 * error(msg, level) names the place of the level asked for. Expected texts are Redis 7.0.15's.
 */
class Lua51VmErrorsTest {
    private final Scripts lua = new Scripts();

    @Test
    void variablesAreNamed() {
        assertEquals("user_script:1: attempt to index local 't' (a nil value)", lua.error("local t = nil; return t.x"));
        assertEquals("user_script:1: attempt to call local 'x' (a nil value)", lua.error("local x; x()"));
        assertEquals("user_script:1: attempt to index upvalue 'x' (a number value)",
                lua.error("local x = 5; local function g() return x.y end; return g()"));
        assertEquals("user_script:1: attempt to index field 'b' (a nil value)", lua.error("local t = {a={}}; return t.a.b.c"));
        assertEquals("user_script:1: attempt to index field '?' (a nil value)", lua.error("return ARGV[1].x"));
        assertEquals("user_script:1: attempt to perform arithmetic on field '?' (a nil value)", lua.error("return KEYS[1] + 1"));
        assertEquals("user_script:1: attempt to call method 'nosuch' (a nil value)", lua.error("local s = 'abc'; return s:nosuch()"));
        assertEquals("user_script:1: attempt to index field 'x' (a nil value)", lua.error("local t = {} t.x.y = 1"));
        assertEquals("user_script:1: attempt to concatenate local 'a' (a nil value)", lua.error("local a; return 'x' .. a"));
        assertEquals("user_script:1: attempt to perform arithmetic on field 'n' (a nil value)", lua.error("local t = {}; return -t.n"));
        assertEquals("user_script:1: attempt to perform arithmetic on a nil value", lua.error("return 1 + nil"));
        assertEquals("user_script:1: attempt to get length of a number value", lua.error("return #5"));
    }

    @Test
    void callsIndexesAndLengthsAreNamed() {
        assertEquals("user_script:1: attempt to index local 't' (a nil value)", lua.error("local t = nil; t.x = 1"));
        assertEquals("user_script:1: attempt to index field 'a' (a nil value)", lua.error("local t = {} return t.a.b"));
        assertEquals("user_script:1: attempt to call field 'f' (a nil value)", lua.error("local t = {} t.f()"));
        assertEquals("user_script:1: attempt to call method 'm' (a nil value)", lua.error("local t = {} t:m()"));
        assertEquals("user_script:1: attempt to call upvalue 'u' (a nil value)", lua.error("local u; local function g() u() end g()"));
        assertEquals("user_script:1: attempt to call field 'nope' (a nil value)", lua.error("redis.nope()"));
        assertEquals("user_script:1: attempt to index field '?' (a nil value)", lua.error("local t = {} local x = t[1][2]"));
        assertEquals("user_script:1: attempt to index field 'y' (a nil value)", lua.error("local s = 'x' return s.y.z"));
        assertEquals("user_script:1: attempt to get length of field 'n' (a nil value)", lua.error("local t = {} return #t.n"));
        // A value with no name (a call's result) stays unnamed.
        assertEquals("user_script:1: attempt to call a nil value", lua.error("return loadstring(string.dump(function() return 1 end))()"));
        // After a command: the frame of the failing function, not of the command, is read.
        assertEquals("user_script:1: attempt to call local 'g' (a nil value)", lua.error("redis.pcall('ping') local g; g()"));
    }

    @Test
    void comparisonsAndTableIndexes() {
        assertEquals("user_script:1: attempt to compare number with string", lua.error("return 1 < 'a'"));
        assertEquals("user_script:1: attempt to compare two table values", lua.error("return {} < {}"));
        assertEquals("user_script:1: table index is nil", lua.error("local t = {}; t[nil] = 1"));
        assertEquals("user_script:1: table index is NaN", lua.error("local t = {}; t[0/0] = 1"));
    }

    @Test
    void errorLevels() {
        assertEquals("boom", lua.error("error('boom', 2)"), "level 2 of the main chunk is Redis's C caller");
        assertEquals("user_script:2: deep", lua.error("local function f() error('deep', 2) end\nf()"));
        assertEquals("x", lua.value("local ok, e = pcall(error, 'x') return e"), "level 1 is pcall: no position");
        assertEquals("user_script:1: x", lua.value("local ok, e = pcall(function() error('x') end) return e"));
        assertEquals("x", lua.value("local ok, e = pcall(function() error('x', 2) end) return e"));
    }

    @Test
    void libraryWritesToReadonlyTablesCarryNoPosition() {
        assertEquals("Attempt to modify a readonly table", lua.error("rawset(_G, 'x', 1)"));
        assertEquals("Attempt to modify a readonly table", lua.error("setmetatable(_G, {})"));
        assertEquals("user_script:1: Attempt to modify a readonly table", lua.error("redis.x = 1"));
    }

    @Test
    void assertAndXpcall() {
        assertEquals("user_script:1: bad argument #2 to 'assert' (string expected, got table)", lua.error("assert(false, {})"));
        assertEquals("user_script:1: assertion failed!", lua.error("assert(false)"));
        assertEquals("error in error handling",
                lua.value("local ok, e = xpcall(function() error('x') end, function(m) error('y') end) return e"));
    }
}
