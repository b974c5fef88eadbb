package io.respire.scripting.lua;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Scripts are read as Redis's Lua 5.1 reads them (the project's LexState, where LuaJ reads Lua
 * 5.2). Expected replies and texts are Redis 7.0.15's.
 */
class Lua51GrammarTest {
    private static final String COMPILE = "compile: Error compiling script (new function): user_script:";

    private final Scripts lua = new Scripts();

    @Test
    void syntaxErrorsNameTheTokenTheyStoppedAt() {
        assertEquals(COMPILE + "1: unexpected symbol near '+'", lua.eval("return +"));
        assertEquals(COMPILE + "1: '<eof>' expected near '2'", lua.eval("return 1 2"));
        assertEquals(COMPILE + "1: 'end' expected near '<eof>'", lua.eval("if true then"));
        assertEquals(COMPILE + "1: unexpected symbol near '<eof>'", lua.eval("return not"));
        assertEquals(COMPILE + "1: unfinished string near '\"a'", lua.eval("return \"a\nb\""));
        assertEquals(COMPILE + "1: unexpected symbol near 'char(1)'", lua.eval("return \u0001"));
        assertEquals(COMPILE + "1: unexpected symbol near '#'", lua.eval("# comment\nreturn 1"));
    }

    @Test
    void numeralsAreLua51s() {
        assertEquals(COMPILE + "1: malformed number near '3x'", lua.eval("return 3x"));
        assertEquals(COMPILE + "1: malformed number near '1..2'", lua.eval("return 1..2"));
        assertEquals(COMPILE + "1: malformed number near '0x'", lua.eval("return 0x"));
        assertEquals(":16\r\n", lua.eval("return 0x10"));
        assertEquals(":8\r\n", lua.eval("return 08"));
    }

    @Test
    void statementsAreCallsOrAssignments() {
        assertEquals(COMPILE + "1: '=' expected near '<eof>'", lua.eval("x"));
        assertEquals(COMPILE + "1: syntax error near '<eof>'", lua.eval("(1)"));
        assertEquals(COMPILE + "1: unexpected symbol near ';'", lua.eval("; return 1"));
        assertEquals(":1\r\n", lua.eval("return 1;"));
        assertEquals(COMPILE + "1: 'end' expected near 'local'", lua.eval("for i = 1, 2 do break; local y = 1 end return 1"));
        assertEquals(COMPILE + "1: no loop to break near '<eof>'", lua.eval("break"));
        assertEquals(COMPILE + "1: no loop to break near 'end'", lua.eval("if true then break end"));
        assertEquals(":1\r\n", lua.eval("for i = 1, 2 do if i then break; end end return 1"));
        assertEquals(COMPILE + "3: ambiguous syntax (function call x new statement) near '('",
                lua.eval("local f = function() return function() return 1 end end\nlocal x = f\n(f)() return 1"));
    }

    @Test
    void lua52sAdditionsAreNotThere() {
        assertEquals(":5\r\n", lua.eval("local goto = 5 return goto"));
        assertEquals(COMPILE + "1: unexpected symbol near ':'", lua.eval("::a:: return 1"));
        assertEquals("x41z  bqA", lua.value("return '\\x41\\z  b\\q\\65'"));
        assertEquals("user_script:1: Script attempted to access nonexistent global variable '_ENV'", lua.error("return type(_ENV)"));
        assertEquals("table", lua.value("local _ENV = {} return type(_ENV)"), "an ordinary local");
        // globals are still named so, read through the upvalue whatever its name
        assertEquals("user_script:1: attempt to call global 'redis' (a table value)", lua.error("return redis()"));
        assertEquals("user_script:1: attempt to call global 'redis' (a table value)",
                lua.error("local function f() return redis() end return f()"));
    }
}
