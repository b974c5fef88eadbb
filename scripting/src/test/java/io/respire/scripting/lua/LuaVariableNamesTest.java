package io.respire.scripting.lua;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.respire.protocol.RespReplyWriter;
import io.respire.scripting.EvalScripts;
import io.respire.scripting.ScriptHost;
import io.respire.scripting.ScriptRun;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runtime errors name the value they failed on as Lua 5.1 does. Expected texts are Redis
 * 7.0.15's EVAL replies for the same scripts (up to " script:").
 */
class LuaVariableNamesTest {
    private final EvalScripts engine = new EvalScripts(new RedisRandom());
    private final ScriptHost host = new ScriptHost() {
        @Override
        public String call(ScriptRun run, byte[][] argv) {
            engine.replies().simple("PONG");
            return null;
        }

        @Override
        public Boolean permits(ScriptRun run, byte[][] argv) {
            return true;
        }

        @Override
        public void interrupt(ScriptRun run) {
        }

        @Override
        public void log(int level, String message) {
        }
    };

    private String error(String body) {
        EvalScripts.Script script = engine.load(body.getBytes(StandardCharsets.UTF_8));
        ByteBuf out = Unpooled.buffer();
        engine.run(script, new ScriptRun(host, script.sha(), true, false, false), new byte[0][], new byte[0][],
                new RespReplyWriter(out));
        String reply = out.toString(StandardCharsets.UTF_8);
        return reply.substring(0, reply.indexOf(" script: "));
    }

    @Test
    void namesAsLua51() {
        assertEquals("-ERR user_script:1: attempt to index local 't' (a nil value)", error("local t = nil; t.x = 1"));
        assertEquals("-ERR user_script:1: attempt to index field 'a' (a nil value)", error("local t = {} return t.a.b"));
        assertEquals("-ERR user_script:1: attempt to call field 'f' (a nil value)", error("local t = {} t.f()"));
        assertEquals("-ERR user_script:1: attempt to call method 'm' (a nil value)", error("local t = {} t:m()"));
        assertEquals("-ERR user_script:1: attempt to call local 'f' (a nil value)", error("local f; f()"));
        assertEquals("-ERR user_script:1: attempt to call upvalue 'u' (a nil value)", error("local u; local function g() u() end g()"));
        assertEquals("-ERR user_script:1: attempt to call field 'nope' (a nil value)", error("redis.nope()"));
        assertEquals("-ERR user_script:1: attempt to index field '?' (a nil value)", error("local t = {} local x = t[1][2]"));
        assertEquals("-ERR user_script:1: attempt to index field 'b' (a nil value)", error("local t = {a={}} return t.a.b.c"));
        assertEquals("-ERR user_script:1: attempt to index field 'y' (a nil value)", error("local s = 'x' return s.y.z"));
        assertEquals("-ERR user_script:1: attempt to get length of field 'n' (a nil value)", error("local t = {} return #t.n"));
        // A value with no name (a call's result) stays unnamed.
        assertEquals("-ERR user_script:1: attempt to call a nil value",
                error("return loadstring(string.dump(function() return 1 end))()"));
        // After redis.call: the frame of the failing function, not of the command, is read.
        assertEquals("-ERR user_script:1: attempt to call local 'g' (a nil value)", error("redis.call('ping') local g; g()"));
    }
}
