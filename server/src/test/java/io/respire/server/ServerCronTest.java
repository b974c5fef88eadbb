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

    /**
     * The active expiry's statistics: the share of sampled keys found expired (expired_stale_perc, a
     * running estimate), the cycles' time, and each database's average TTL of the keys found alive.
     */
    @Test
    void activeExpiryReportsItsStaleEstimateTimeAndAverageTtl() throws Exception {
        call("CONFIG RESETSTAT");
        for (int i = 0; i < 300; i++) {
            c.call("SET", "short" + i, "v", "PX", "50");
        }
        for (int i = 0; i < 100; i++) {
            c.call("SET", "long" + i, "v", "EX", "1000");
        }
        long start = System.nanoTime();
        while (InfoFields.number(c, "expired_keys") < 300 && System.nanoTime() - start < 5_000_000_000L) {
            Thread.sleep(10);
        }
        assertEquals(300, InfoFields.number(c, "expired_keys"), "removed by the cron, nobody read them");
        double stale = Double.parseDouble(InfoFields.get(c, "expired_stale_perc"));
        assertTrue(stale > 0 && stale < 100, "expired_stale_perc " + stale);
        Matcher db = Pattern.compile("db0:keys=100,expires=100,avg_ttl=(\\d+)").matcher(call("INFO keyspace"));
        assertTrue(db.find(), call("INFO keyspace"));
        long avgTtl = Long.parseLong(db.group(1));
        assertTrue(avgTtl > 0 && avgTtl <= 1_000_000, "avg_ttl " + avgTtl);
        call("CONFIG RESETSTAT");
        assertEquals("0.00", InfoFields.get(c, "expired_stale_perc"));
        assertEquals(0, InfoFields.number(c, "expire_cycle_cpu_milliseconds"));
        call("FLUSHALL");
        start = System.nanoTime();
        while (!call("INFO keyspace").contains("avg_ttl=0") && System.nanoTime() - start < 2_000_000_000L) {
            c.call("SET", "nottl", "v");
            Thread.sleep(20);
        }
        assertTrue(call("INFO keyspace").contains("db0:keys=1,expires=0,avg_ttl=0"), "no TTL left: no average");
    }

    /**
     * A cycle that runs out of its time (at hz 500, half a millisecond) stops and is counted
     * (expired_time_cap_reached_count); the cycles' time adds up in expire_cycle_cpu_milliseconds.
     */
    @Test
    void aCycleStoppedByItsTimeLimitIsCountedWithItsTime() throws Exception {
        int keys = 200_000;
        call("DEBUG SET-ACTIVE-EXPIRE 0");
        try {
            java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < keys; i++) {
                batch.write(RespTestClient.encode("SET", "k" + i, "v", "PX", "1"));
            }
            c.sendRaw(batch.toByteArray());
            for (int i = 0; i < keys; i++) {
                c.readRaw();
            }
            Thread.sleep(10); // every key has expired; none is removed yet
            call("CONFIG SET hz 500");
            call("CONFIG RESETSTAT");
            call("DEBUG SET-ACTIVE-EXPIRE 1");
            long start = System.nanoTime();
            while (InfoFields.number(c, "expired_keys") < keys && System.nanoTime() - start < 20_000_000_000L) {
                Thread.sleep(20);
            }
            assertEquals(keys, InfoFields.number(c, "expired_keys"));
            long capped = InfoFields.number(c, "expired_time_cap_reached_count");
            assertTrue(capped > 0, "cycles stopped by the time limit: " + capped);
            long cpuMs = InfoFields.number(c, "expire_cycle_cpu_milliseconds");
            assertTrue(cpuMs >= capped / 2, "at least half a millisecond per capped cycle: " + cpuMs + " ms, " + capped);
        } finally {
            call("CONFIG SET hz 10");
            call("DEBUG SET-ACTIVE-EXPIRE 1");
        }
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
