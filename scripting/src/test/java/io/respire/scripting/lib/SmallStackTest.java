package io.respire.scripting.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;

/**
 * The decoders and the JSON encoder keep nesting on explicit stacks, so the deepest inputs
 * Redis accepts also work on a thread with a small Java stack.
 */
class SmallStackTest {

    private static final long SMALL_STACK = 256 * 1024;

    @Test
    void deepestInputsRedisAcceptsNeedNoJavaRecursion() throws Exception {
        String script = """
                local c = cjson.new()
                c.encode_max_depth(100000)
                c.decode_max_depth(100000)
                local t = {} local cur = t
                for i = 1, 7996 do cur[1] = {} cur = cur[1] end
                local json = c.encode(t)
                local back = c.decode(string.rep('[', 7998) .. string.rep(']', 7998))
                local m = cmsgpack.unpack(string.rep('\\145', 3999) .. '\\1')
                local o = c.decode(string.rep('{"a":', 3999) .. '1' .. string.rep('}', 3999))
                return #json .. ' ' .. type(back) .. ' ' .. type(m) .. ' ' .. type(o)
                """;
        AtomicReference<Object> result = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                Globals g = LuaTestEnv.globals();
                result.set(LuaTestEnv.eval(g, script).tojstring());
            } catch (Throwable t) {
                result.set(t);
            }
        }, "small-stack", SMALL_STACK);
        thread.start();
        thread.join();
        assertEquals("15994 table table table", String.valueOf(result.get()));
    }
}
