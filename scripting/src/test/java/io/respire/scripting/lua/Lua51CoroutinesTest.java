package io.respire.scripting.lua;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Coroutines as Lua 5.1's, over LuaJ's threads; expected texts are Redis 7.0.15's. */
class Lua51CoroutinesTest {
    private final Scripts lua = new Scripts();

    @Test
    void errorsComeBackAsLua51Returns() {
        assertEquals("*2\r\n$-1\r\n$20\r\nuser_script:1: in co\r\n",
                lua.eval("local co = coroutine.create(function() error('in co') end); return {coroutine.resume(co)}"));
        assertEquals("table", lua.value("local co = coroutine.create(function() error({1}) end) local ok, e = coroutine.resume(co) return type(e)"));
        assertEquals("user_script:1: user_script:1: in co", lua.error("local f = coroutine.wrap(function() error('in co') end) f()"));
        assertEquals("attempt to yield across metamethod/C-call boundary", lua.error("return coroutine.yield(1)"));
        assertEquals("nil", lua.value("return type(coroutine.running())"));
    }

    @Test
    void aJavaStackOverflowInACoroutineIsAnError() {
        String r = lua.eval("local co = coroutine.create(function() local function f(n) return 1 + f(n + 1) end return f(1) end) "
                + "local ok, e = coroutine.resume(co) return {tostring(ok), e}");
        assertTrue(r.startsWith("*2\r\n$5\r\nfalse\r\n") && r.contains("stack overflow"), r);
    }

    @Test
    void liveCoroutinesAreBoundedAndStoppedWithTheScript() {
        int before = Thread.activeCount();
        assertEquals(":500\r\n", lua.eval("local n = 0 for i = 1, 500 do local co = coroutine.create(function() coroutine.yield() end) "
                + "coroutine.resume(co) n = n + 1 end return n"));
        // The end of the script has waited for them: none of the 500 threads is left (a few
        // threads of the JVM's own may come and go meanwhile).
        assertTrue(Thread.activeCount() <= before + 5, "suspended coroutines' threads outlive the script: " + Thread.activeCount());
        assertTrue(lua.error("for i = 1, 2000 do local co = coroutine.create(function() coroutine.yield() end) coroutine.resume(co) end")
                .contains("too many coroutines"));
    }
}
