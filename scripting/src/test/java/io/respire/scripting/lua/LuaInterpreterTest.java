package io.respire.scripting.lua;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compiling (the errors Lua 5.1's lexer gives) and running out of heap. */
class LuaInterpreterTest {
    private final Scripts lua = new Scripts();

    @Test
    void malformedNumbersAreCompileErrors() {
        assertEquals("compile: Error compiling script (new function): user_script:1: malformed number near '1e'", lua.eval("return 1e"));
        assertEquals("*2\r\n$3\r\nnil\r\n$50\r\n[string \"return 1e\"]:1: malformed number near '1e'\r\n",
                lua.eval("local f, e = loadstring('return 1e'); return {type(f), e}"));
    }

    @Test
    void binaryChunksAreRefusedAsText() {
        assertEquals("compile: Error compiling script (new function): user_script:1: unexpected symbol near 'char(27)'", lua.eval("\u001bLua"));
        assertEquals("[string \"\u001bLua\"]:1: unexpected symbol near 'char(27)'", lua.value("local f, e = loadstring('\\27Lua'); return e"));
    }

    @Test
    void longChunkNamesAreCutAsLua51() {
        String name = lua.value("local f, e = loadstring(string.rep('x', 100) .. ' +'); return e");
        assertTrue(name.startsWith("[string \"" + "x".repeat(63) + "...\"]:1:"), name);
    }

    @Test
    void runningOutOfHeapFailsTheScriptOnly() {
        // Filling the test JVM's heap would be slow and rude; an OutOfMemoryError from anywhere in
        // the run (here the command a script calls) takes the same way out.
        Scripts failing = new Scripts(() -> {
            throw new OutOfMemoryError("Java heap space");
        });
        String reply = failing.eval("return redis.call('get', 'k')");
        assertTrue(reply.startsWith("-ERR Error running script ") && reply.endsWith(", not enough memory\r\n"), reply);
        assertEquals(":1\r\n", failing.eval("return 1"), "the interpreter is usable afterwards");
    }
}
