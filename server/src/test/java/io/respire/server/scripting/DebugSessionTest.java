package io.respire.server.scripting;

import io.respire.server.EmbeddedServerTest;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCRIPT DEBUG SYNC sessions over a socket: the debugger's replies byte for byte as redis-server
 * 7.0.15 sends them, the server held for the debugging client, and the session's end by the
 * script, by abort, by bad input or by the client leaving.
 */
class DebugSessionTest extends EmbeddedServerTest {

    private static String raw(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    /** Starts a session of {@code client} on {@code script}; returns the first stop's logs. */
    private static String start(RespTestClient client, String script) throws Exception {
        assertEquals("OK", client.call("SCRIPT", "DEBUG", "SYNC"));
        return raw(client.callRaw("EVAL", script, "0"));
    }

    @Test
    void aSessionStepsShowsAndEndsAsRedis() throws Exception {
        assertEquals("*2\r\n+* Stopped at 1, stop reason = step over\r\n+-> 1   local a = 1\r\n",
                start(c, "local a = 1\nredis.call('set','k','v')\nredis.pcall('incr','k')\nreturn a\n"));
        assertEquals("*2\r\n+* Stopped at 2, stop reason = step over\r\n+-> 2   redis.call('set','k','v')\r\n", raw(c.callRaw("s")));
        assertEquals("*1\r\n+<value> a = 1\r\n", raw(c.callRaw("p")));
        assertEquals("*4\r\n+<redis> set k v\r\n+<reply> \"+OK\"\r\n+* Stopped at 3, stop reason = step over\r\n"
                + "+-> 3   redis.pcall('incr','k')\r\n", raw(c.callRaw("s")));
        assertEquals("*5\r\n+<redis> incr k\r\n+<error> -ERR value is not an integer or out of range\r\n"
                + "+<reply> \"-ERR value is not an integer or out of range\"\r\n+* Stopped at 4, stop reason = step over\r\n"
                + "+-> 4   return a\r\n", raw(c.callRaw("s")));
        assertEquals("*2\r\n+<redis> get k\r\n+<reply> \"v\"\r\n", raw(c.callRaw("r", "get", "k")));
        assertEquals("*1\r\n+<endsession>\r\n", raw(c.callRaw("c")));
        assertEquals(":1\r\n", raw(c.readRaw()));
        assertTrue(c.isClosedByServer());
    }

    @Test
    void otherClientsWaitForTheSessionToEnd() throws Exception {
        start(c, "return redis.call('incr','n')");
        try (Socket other = new Socket("127.0.0.1", server.port())) {
            other.setSoTimeout(300);
            other.getOutputStream().write(RespTestClient.encode("PING"));
            InputStream in = other.getInputStream();
            assertThrows(SocketTimeoutException.class, in::read); // the server is held, as Redis is
            assertEquals("*1\r\n+<endsession>\r\n", raw(c.callRaw("c")));
            assertEquals(":1\r\n", raw(c.readRaw()));
            other.setSoTimeout(10_000);
            assertEquals("+PONG\r\n", new String(in.readNBytes(7), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aClientThatLeavesLetsTheScriptFinishAndTheServerGoOn() throws Exception {
        try (RespTestClient debugging = new RespTestClient(server.port())) {
            start(debugging, "redis.call('set','left','1')\nreturn 1");
        }
        assertEquals("PONG", c.call("PING"));
        assertEquals("1", c.call("GET", "left"));
    }

    @Test
    void anUnattendedLoopStopsAndEndsWhenItsClientLeaves() throws Exception {
        c.call("CONFIG", "SET", "busy-reply-threshold", "50");
        try {
            try (RespTestClient debugging = new RespTestClient(server.port())) {
                start(debugging, "local i = 0\nwhile true do i = i + 1 end");
                String stop = raw(debugging.callRaw("c"));
                assertTrue(stop.contains("stop reason = timeout reached, infinite loop?"), stop);
            }
            assertEquals("PONG", c.call("PING")); // the loop was ended, not left running
        } finally {
            c.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    @Test
    void abortKeepsTheWritesOfASyncSession() throws Exception {
        start(c, "redis.call('set','kept','1')\nreturn 1");
        c.callRaw("s");
        assertEquals("*1\r\n+<endsession>\r\n", raw(c.callRaw("a")));
        String error = raw(c.readRaw());
        assertTrue(error.startsWith("-ERR script aborted for user request script: "), error);
        try (RespTestClient after = new RespTestClient(server.port())) {
            assertEquals("1", after.call("GET", "kept"));
        }
    }

    @Test
    void badRequestsAndUnknownCommands() throws Exception {
        start(c, "return 'hello'");
        // The Tcl suite's protocol parsing test: names with NUL bytes are unknown commands.
        assertEquals("*1\r\n+<error> Unknown Redis Lua debugger command or wrong number of arguments.\r\n",
                raw(c.callRaw("'hello\0world'")));
        // Its stack overflow test: a Redis command with 100 arguments.
        Object[] redis = new Object[101];
        redis[0] = "redis";
        java.util.Arrays.fill(redis, 1, 101, "test");
        assertEquals("*2\r\n+<redis> test test test test test test test test test test ... (89 more)\r\n"
                + "+<error> Unknown Redis command called from script\r\n", raw(c.callRaw(redis)));
        // An empty argument is beyond Redis's debugger parser: the script ends with a protocol error.
        assertEquals("*1\r\n+<endsession>\r\n", raw(c.callRaw("s", "")));
        assertTrue(raw(c.readRaw()).startsWith("-ERR protocol error script: "));
        try (RespTestClient after = new RespTestClient(server.port())) {
            assertEquals("PONG", after.call("PING"));
        }
    }

    @Test
    void aScriptThatDoesNotCompileStillEndsTheSession() throws Exception {
        assertEquals("OK", c.call("SCRIPT", "DEBUG", "SYNC"));
        assertEquals("*1\r\n+<endsession>\r\n", raw(c.callRaw("EVAL", "return +", "0")));
        assertTrue(raw(c.readRaw()).startsWith("-ERR Error compiling script"));
        assertTrue(c.isClosedByServer());
    }

    @Test
    void whatScriptDebugRefuses() throws Exception {
        assertEquals("(error) ERR Use SCRIPT DEBUG YES/SYNC/NO", c.call("SCRIPT", "DEBUG", "MAYBE"));
        // YES forks in Redis so that the script's writes are thrown away: not pretended.
        assertTrue(c.call("SCRIPT", "DEBUG", "YES").startsWith("(error) ERR SCRIPT DEBUG YES is not supported"));
        assertEquals("OK", c.call("MULTI"));
        assertEquals("QUEUED", c.call("SCRIPT", "DEBUG", "SYNC"));
        assertEquals("[(error) ERR SCRIPT DEBUG must be called outside a pipeline]", c.call("EXEC"));
        assertEquals("OK", c.call("SCRIPT", "DEBUG", "SYNC"));
        assertEquals("(error) ERR Please use EVAL instead of EVALSHA for debugging",
                c.call("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"));
        assertEquals("(error) NOSCRIPT No matching script. Please use EVAL.", c.call("EVALSHA", "short", "0"));
        assertEquals("OK", c.call("SCRIPT", "DEBUG", "NO"));
        assertEquals("(integer) 1", c.call("EVAL", "return 1", "0"));
    }

    @Test
    void debugAndBreakpointAreNoOpsOutsideASession() throws Exception {
        assertEquals("(integer) 1", c.call("EVAL", "return redis.breakpoint() == false and redis.debug('x') == nil", "0"));
    }

    @Test
    void withIoThreadsTheSessionWorksAlike() throws Exception {
        try (RespireServer threaded = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--io-threads", "2");
                RespTestClient debugging = new RespTestClient(threaded.port());
                RespTestClient other = new RespTestClient(threaded.port())) {
            start(debugging, "redis.call('set','t','1')\nreturn 2");
            assertEquals("*4\r\n+<redis> set t 1\r\n+<reply> \"+OK\"\r\n+* Stopped at 2, stop reason = step over\r\n"
                    + "+-> 2   return 2\r\n", raw(debugging.callRaw("s")));
            debugging.close(); // leaving ends the session: the script finishes
            assertEquals("1", other.call("GET", "t"));
        }
    }

    @Test
    void aCoroutineRunsWithoutStoppingAndCannotHoldTheSession() throws Exception {
        // A coroutine's code runs on a thread of its own, which cannot reach the client: the
        // debugger steps over it rather than wait there for commands that never come.
        start(c, "local co = coroutine.create(function()\n  local x = 1\n  return x\nend)\n"
                + "local ok, v = coroutine.resume(co)\nreturn v");
        assertEquals("*2\r\n+* Stopped at 4, stop reason = step over\r\n+-> 4   end)\r\n", raw(c.callRaw("s")));
        assertEquals("*2\r\n+* Stopped at 1, stop reason = step over\r\n+-> 1   local co = coroutine.create(function()\r\n",
                raw(c.callRaw("s")));
        assertEquals("*2\r\n+* Stopped at 5, stop reason = step over\r\n+-> 5   local ok, v = coroutine.resume(co)\r\n",
                raw(c.callRaw("s")));
        // Redis stops at lines 2 and 3, inside the coroutine, here
        assertEquals("*2\r\n+* Stopped at 6, stop reason = step over\r\n+-> 6   return v\r\n", raw(c.callRaw("s")));
        assertEquals("*1\r\n+<endsession>\r\n", raw(c.callRaw("s")));
        assertEquals(":1\r\n", raw(c.readRaw()));
    }

    @Test
    void aFloodOfCommandsEndsTheScriptInsteadOfPilingUp() throws Exception {
        start(c, "return 1");
        java.io.ByteArrayOutputStream flood = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 3 * DebugSession.MAX_QUEUED; i++) {
            flood.writeBytes(RespTestClient.encode("p"));
        }
        c.sendRaw(flood.toByteArray());
        String reply = raw(c.readRaw());
        while (reply.startsWith("*1\r\n+No local variables")) { // those read before the flood piled up
            reply = raw(c.readRaw());
        }
        assertEquals("*1\r\n+<endsession>\r\n", reply);
        String error = raw(c.readRaw());
        assertTrue(error.startsWith("-ERR max client buffer reached script: "), error);
    }
}
