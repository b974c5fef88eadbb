package io.respire.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerSmokeTest {
    @Test
    void answersPipelinedRequestsInOrderAndClosesOnProtocolErrors() throws Exception {
        try (RespireServer server = RespireServer.start("--port", "0");
             RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("PONG", c.call("PING"));
            c.sendRaw("SET k v\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n".getBytes());
            assertEquals("+OK\r\n", new String(c.readRaw()));
            assertEquals("$1\r\nv\r\n", new String(c.readRaw()));
            assertEquals("+PONG\r\n", new String(c.readRaw()));
            c.sendRaw("*1\r\n$4\r\nPING\r\n*x\r\n".getBytes());
            assertEquals("+PONG\r\n", new String(c.readRaw()));
            assertEquals("-ERR Protocol error: invalid multibulk length\r\n", new String(c.readRaw()));
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    void twoServersInOneJvmAreIndependent() throws Exception {
        try (RespireServer a = RespireServer.start("--port", "0");
             RespireServer b = RespireServer.start("--port", "0");
             RespTestClient ca = new RespTestClient(a.port());
             RespTestClient cb = new RespTestClient(b.port())) {
            assertEquals("OK", ca.call("SET", "k", "a"));
            assertEquals("(nil)", cb.call("GET", "k"));
        }
    }
}
