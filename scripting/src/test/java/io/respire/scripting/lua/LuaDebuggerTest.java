package io.respire.scripting.lua;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.respire.protocol.RespReplyWriter;
import io.respire.scripting.DebugConsole;
import io.respire.scripting.EvalScripts;
import io.respire.scripting.ScriptHost;
import io.respire.scripting.ScriptRun;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The debugger driven by a scripted client, without a server: where it stops, what each command
 * logs (texts as redis-server 7.0.15 sends them), and how a session ends.
 */
class LuaDebuggerTest {
    private final EvalScripts engine = new EvalScripts(new RedisRandom());
    /** Commands the client sends, in order; when they run out the client has gone. */
    private final ArrayDeque<String[]> commands = new ArrayDeque<>();
    /** Each batch of logs sent, as one string with the status lines joined by "|". */
    private final List<String> sent = new ArrayList<>();
    private long timeLimitMs = 5000;

    private final DebugConsole console = new DebugConsole() {
        @Override
        public void send(byte[] bytes) {
            String resp = new String(bytes, StandardCharsets.ISO_8859_1);
            String[] lines = resp.split("\r\n");
            assertEquals("*" + (lines.length - 1), lines[0]);
            StringBuilder joined = new StringBuilder();
            for (int i = 1; i < lines.length; i++) {
                assertTrue(lines[i].startsWith("+"), resp);
                joined.append(i > 1 ? "|" : "").append(lines[i].substring(1));
            }
            sent.add(joined.toString());
        }

        @Override
        public byte[][] next() {
            String[] command = commands.poll();
            if (command == null) {
                return null;
            }
            byte[][] argv = new byte[command.length][];
            for (int i = 0; i < command.length; i++) {
                argv[i] = command[i].getBytes(StandardCharsets.ISO_8859_1);
            }
            return argv;
        }

        @Override
        public long timeLimitMs() {
            return timeLimitMs;
        }

        @Override
        public void resumed() {
        }
    };

    /** SET answers +OK, GET a bulk, anything else is unknown. */
    private final ScriptHost host = new ScriptHost() {
        @Override
        public String call(ScriptRun run, byte[][] argv) {
            String name = new String(argv[0], StandardCharsets.US_ASCII).toLowerCase();
            switch (name) {
                case "set" -> engine.replies().ok();
                case "get" -> engine.replies().bulk("v");
                default -> {
                    return "ERR Unknown Redis command called from script";
                }
            }
            return null;
        }

        @Override
        public Boolean permits(ScriptRun run, byte[][] argv) {
            return null;
        }

        @Override
        public void interrupt(ScriptRun run) {
        }

        @Override
        public void log(int level, String message) {
        }
    };

    private void client(String... lines) {
        for (String line : lines) {
            commands.add(line.split(" "));
        }
    }

    /** Runs {@code body} under a debugger session and ends it; returns the script's RESP reply. */
    private String debug(String body, String... keysThenArgs) {
        byte[] source = body.getBytes(StandardCharsets.UTF_8);
        EvalScripts.Script script = engine.load(source);
        LuaDebugger debugger = engine.debugger(console, source);
        ByteBuf out = Unpooled.buffer();
        byte[][] args = Arrays.stream(keysThenArgs).map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        engine.run(script, new ScriptRun(host, script.sha(), true, false, false), new byte[0][], args,
                new RespReplyWriter(out), debugger);
        debugger.end();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void stepsLineByLineShowingLocalsCommandsAndReplies() {
        client("p", "s", "p", "s", "s");
        String reply = debug("local a = 1\nlocal b = {1,2,'x'}\nredis.call('set','k','v')\nreturn a\n");
        assertEquals(":1\r\n", reply);
        assertEquals(List.of(
                "* Stopped at 1, stop reason = step over|-> 1   local a = 1",
                "No local variables in the current context.",
                "* Stopped at 2, stop reason = step over|-> 2   local b = {1,2,'x'}",
                "<value> a = 1",
                "* Stopped at 3, stop reason = step over|-> 3   redis.call('set','k','v')",
                "<redis> set k v|<reply> \"+OK\"|* Stopped at 4, stop reason = step over|-> 4   return a",
                "<endsession>"), sent);
    }

    @Test
    void continueRunsToBreakpointsAndRedisBreakpoint() {
        client("b 3", "c", "t", "c", "c");
        String body = "local function f(x)\n  redis.breakpoint()\n  local y = x * 2\n  return y\nend\nlocal r = f(3)\nreturn r\n";
        assertEquals(":6\r\n", debug(body));
        assertEquals(List.of(
                "* Stopped at 5, stop reason = step over|-> 5   end",
                "   2     redis.breakpoint()|  #3     local y = x * 2|   4     return y",
                "* Stopped at 3, stop reason = redis.breakpoint() called|->#3     local y = x * 2",
                "In f:|->#3     local y = x * 2|From top level:|   6   local r = f(3)",
                "<endsession>"), sent);
    }

    @Test
    void aLoopStopsAtEachTurnOnItsBreakpoint() {
        client("b 2", "c", "p i", "c", "p i", "c", "p", "b 0", "c");
        assertEquals(":3\r\n", debug("local n = 0\nfor i = 1, 3 do n = n + 1 end\nreturn n"));
        assertEquals(List.of(
                "* Stopped at 1, stop reason = step over|-> 1   local n = 0",
                "-> 1   local n = 0|  #2   for i = 1, 3 do n = n + 1 end|   3   return n",
                "* Stopped at 2, stop reason = break point|->#2   for i = 1, 3 do n = n + 1 end",
                "No such variable.", // before the loop starts
                "* Stopped at 2, stop reason = break point|->#2   for i = 1, 3 do n = n + 1 end",
                "<value> 1",
                "* Stopped at 2, stop reason = break point|->#2   for i = 1, 3 do n = n + 1 end",
                "<value> n = 1|<value> (for index) = 2|<value> (for limit) = 3|<value> (for step) = 1|<value> i = 2",
                "All breakpoints removed.",
                "<endsession>"), sent);
    }

    @Test
    void evalRunsInTheSandboxAndRedisRunsCommands() {
        client("e 1+1", "e io", "e x = 5", "e 1+", "e error('y')", "r get k", "r nosuch", "r", "x", "a");
        String reply = debug("return 1");
        assertTrue(reply.startsWith("-ERR script aborted for user request script: "), reply);
        assertEquals(List.of(
                "* Stopped at 1, stop reason = step over|-> 1   return 1",
                "<retval> 2",
                "<error> ldb_eval:1: Script attempted to access nonexistent global variable 'io'",
                "<error> ldb_eval:1: Attempt to modify a readonly table",
                "<error> ldb_eval:1: unexpected symbol near '1'",
                "<error> ldb_eval:1: y",
                "<redis> get k|<reply> \"v\"",
                "<redis> nosuch|<error> Unknown Redis command called from script",
                "<error> Unknown Redis Lua debugger command or wrong number of arguments.",
                "<error> Unknown Redis Lua debugger command or wrong number of arguments.",
                "<endsession>"), sent);
    }

    @Test
    void maxlenTrimsAndHintsOnce() {
        client("e string.rep('x', 300)", "e string.rep('x', 300)", "m", "m 10", "m 0", "m abc", "c");
        debug("return 1");
        assertEquals("<retval> \"" + "x".repeat(246) + " ...|<hint> The above reply was trimmed. Use 'maxlen 0' to disable trimming.",
                sent.get(1));
        assertEquals("<retval> \"" + "x".repeat(246) + " ...", sent.get(2));
        assertEquals("<value> replies are truncated at 256 bytes.", sent.get(3));
        assertEquals("<value> replies are truncated at 60 bytes.", sent.get(4));
        assertEquals("<value> replies are unlimited.", sent.get(5));
        assertEquals("<value> replies are unlimited.", sent.get(6));
    }

    @Test
    void listAndBreakpointCommands() {
        client("l 3 1", "w", "b", "b 2", "b 2", "b 9", "b x", "b -2", "b -2", "c");
        debug("local a = 1\nlocal b = 2\nlocal c = 3\nreturn a");
        assertEquals(List.of(
                "* Stopped at 1, stop reason = step over|-> 1   local a = 1",
                "   2   local b = 2|   3   local c = 3|   4   return a",
                "-> 1   local a = 1|   2   local b = 2|   3   local c = 3|   4   return a",
                "No breakpoints set. Use 'b <line>' to add one.",
                "-> 1   local a = 1|  #2   local b = 2|   3   local c = 3",
                "Wrong line number.",
                "Wrong line number.",
                "Invalid argument:'x'",
                "Breakpoint removed.",
                "No breakpoint in the specified line.",
                "<endsession>"), sent);
    }

    @Test
    void debugLogsItsArgumentsWithTheLine() {
        client("s", "c");
        debug("redis.debug('hi', 1, {1,2}, nil, true, 1.5)\nreturn 1");
        assertEquals("<debug> line 1: \"hi\", 1, {1; 2}, nil, true, 1.5|* Stopped at 2, stop reason = step over|-> 2   return 1",
                sent.get(1));
    }

    @Test
    void aClientThatLeftLetsTheScriptFinish() {
        // no commands: the client is gone at the first stop
        assertEquals(":3\r\n", debug("local x = 1\nx = x + 2\nreturn x"));
        assertEquals(List.of("* Stopped at 1, stop reason = step over|-> 1   local x = 1", "<endsession>"), sent);
    }

    @Test
    void anUnattendedLoopIsStoppedAndEndsWhenNobodyIsThere() {
        timeLimitMs = 0;
        client("c");
        String reply = debug("local i = 0\nwhile true do i = i + 1 end");
        assertTrue(reply.startsWith("-ERR timeout during Lua debugging with client closing connection script: "), reply);
        assertTrue(sent.get(1).startsWith("* Stopped at 2, stop reason = timeout reached, infinite loop?"), sent.get(1));
    }

    @Test
    void badRequestsEndTheScriptWithAProtocolError() {
        commands.add(new String[] {"s", ""});
        String reply = debug("return 1");
        assertTrue(reply.startsWith("-ERR protocol error script: "), reply);
    }

    @Test
    void debugAndBreakpointDoNothingOutsideASession() {
        EvalScripts.Script script = engine.load("return {redis.breakpoint(), redis.debug('x')}".getBytes(StandardCharsets.UTF_8));
        ByteBuf out = Unpooled.buffer();
        engine.run(script, new ScriptRun(host, script.sha(), true, false, false), new byte[0][], new byte[0][],
                new RespReplyWriter(out));
        assertEquals("*1\r\n$-1\r\n", out.toString(StandardCharsets.ISO_8859_1)); // {false, nil}
        assertTrue(sent.isEmpty());
    }

    @Test
    void requestLimitsAndCNumberParsing() {
        assertFalse(LuaDebugger.wellFormed(new byte[0][]));
        assertFalse(LuaDebugger.wellFormed(new byte[][] {new byte[1025]}));
        assertFalse(LuaDebugger.wellFormed(new byte[1025][]));
        assertTrue(LuaDebugger.wellFormed(new byte[][] {{'s'}}));
        assertEquals(12, LuaDebugger.atoi(" 12abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(-3, LuaDebugger.atoi("-3".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, LuaDebugger.atoi("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(-5L, LuaDebugger.strictLong("-5"));
        assertNull(LuaDebugger.strictLong("05"));
        assertNull(LuaDebugger.strictLong(" 5"));
        assertEquals(0, LuaDebugger.splitLines("\n\r\n".getBytes(StandardCharsets.US_ASCII)).length);
        assertEquals(3, LuaDebugger.splitLines("a\n\nb\n".getBytes(StandardCharsets.US_ASCII)).length);
    }
}
