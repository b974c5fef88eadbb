package io.respire.server;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the cron does for each client (Redis's clientsCron): the query buffer freed after 2 s idle
 * and trimmed to its recent peak (clientsCronResizeQueryBuffer, as unit/querybuf checks it), and
 * the largest input and output seen, for INFO client_recent_max_*.
 */
class ServerCronTest extends EmbeddedServerTest {
    /** qbuf + qbuf-free of the client named {@code name}: what its query buffer holds allocated. */
    private long queryBuffer(String name) throws Exception {
        String line = line(name);
        return field(line, "qbuf") + field(line, "qbuf-free");
    }

    private String line(String name) throws Exception {
        for (String line : call("CLIENT LIST").split("\n")) {
            if (line.contains(" name=" + name + " ")) {
                return line;
            }
        }
        throw new AssertionError("no client " + name);
    }

    private static long field(String line, String field) {
        Matcher m = Pattern.compile(" " + field + "=(\\d+)").matcher(line);
        assertTrue(m.find(), line);
        return Long.parseLong(m.group(1));
    }

    @Test
    void anIdleClientsQueryBufferIsFreedAfterTwoSeconds() throws Exception {
        try (RespTestClient idle = new RespTestClient(server.port())) {
            idle.call("CLIENT", "SETNAME", "idle");
            assertEquals(16 * 1024, queryBuffer("idle"), "16 KB from the first read on");
            long start = System.nanoTime();
            while (queryBuffer("idle") != 0 && System.nanoTime() - start < 6_000_000_000L) {
                Thread.sleep(50);
            }
            assertEquals(0, queryBuffer("idle"));
            assertTrue(field(line("idle"), "idle") >= 2, line("idle"));
            assertEquals("PONG", idle.call("PING"), "and the next read gets one again");
            assertEquals(16 * 1024, queryBuffer("idle"));
        }
    }

    @Test
    void aBigQueryBufferShrinksToTheRecentPeakWhileTheClientIsBusy() throws Exception {
        try (RespTestClient busy = new RespTestClient(server.port())) {
            busy.call("CLIENT", "SETNAME", "busy");
            busy.call("SET", "x", "A".repeat(400_000));
            long big = queryBuffer("busy");
            assertTrue(big > 400_000, "the room of the argument stays: " + big);
            long start = System.nanoTime();
            while (queryBuffer("busy") == big && System.nanoTime() - start < 2_000_000_000L) {
                busy.call("SET", "x", "A".repeat(100));
                Thread.sleep(10);
            }
            long shrunk = queryBuffer("busy");
            assertTrue(shrunk > 0 && shrunk < big, "trimmed to the recent peak, not freed: " + shrunk);
        }
    }

    @Test
    void recentMaxInputBufferIsTheBiggestQueryBufferOfTheLastSeconds() throws Exception {
        try (RespTestClient sender = new RespTestClient(server.port())) {
            sender.sendRaw(("*2\r\n$4\r\nECHO\r\n$300000\r\n" + "x".repeat(1000)).getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            while (InfoFields.number(c, "client_recent_max_input_buffer") < 300_002
                    && System.nanoTime() - start < 2_000_000_000L) {
                Thread.sleep(20);
            }
            long max = InfoFields.number(c, "client_recent_max_input_buffer");
            assertTrue(max >= 300_002 && max < 400_000, "the room for the argument, ECHO's bytes: " + max);
        }
    }
}
