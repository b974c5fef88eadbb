package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seeds' HyperLogLog pattern (unique visitors per page: PFADD per visit, PFCOUNT per page and
 * over several pages, PFMERGE into a daily total), written as a Jedis user would write it, with
 * several web workers recording visits at once. Asserts what the application relies on: counts
 * within HyperLogLog's error, repeat visits not counted, unions that match the merged key. Needs
 * no real Redis: a fresh embedded Respire per test.
 */
class UniqueVisitorsScenarioTest {
    private static final int PAGES = 4;
    private static final int WORKERS = 4;

    private RespireServer server;
    private Jedis jedis;
    private ExecutorService workers;

    @BeforeEach
    void startServerAndConnect() {
        server = RespireServer.start("--port", "0");
        jedis = new Jedis("127.0.0.1", server.port());
        workers = Executors.newFixedThreadPool(WORKERS);
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
        jedis.close();
        server.close();
    }

    /** Visitor v visits page p if v is a multiple of p + 1: page p sees about visitors / (p + 1). */
    private static boolean visits(int visitor, int page) {
        return visitor % (page + 1) == 0;
    }

    private static void assertNear(long expected, long actual, String what) {
        // Redis's standard error with 16384 registers is 0.81%; allow four of them.
        assertTrue(Math.abs(actual - expected) <= Math.max(2, expected * 0.0325),
                what + ": " + actual + " for " + expected + " distinct visitors");
    }

    @Test
    void uniqueVisitorsPerPageFromConcurrentWorkers() throws Exception {
        int visitors = 60_000;
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int worker = w;
            done.add(workers.submit(() -> {
                try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                    // Each worker sees every visitor twice: repeat visits must not count.
                    for (int round = 0; round < 2; round++) {
                        for (int v = worker; v < visitors; v += WORKERS) {
                            for (int p = 0; p < PAGES; p++) {
                                if (visits(v, p)) {
                                    j.pfadd("unique:page" + p, "visitor:" + v);
                                }
                            }
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        for (int p = 0; p < PAGES; p++) {
            assertNear((visitors + p) / (p + 1), jedis.pfcount("unique:page" + p), "page" + p);
        }
        // Every visitor visits page 0, so the union over all pages is all visitors.
        String[] keys = new String[PAGES];
        for (int p = 0; p < PAGES; p++) {
            keys[p] = "unique:page" + p;
        }
        long union = jedis.pfcount(keys);
        assertNear(visitors, union, "all pages");
        assertEquals("OK", jedis.pfmerge("unique:day", keys));
        assertEquals(union, jedis.pfcount("unique:day"));
        assertEquals(0, jedis.pfadd("unique:day", "visitor:123"));
    }

    /** Fifty visitors, counted after each: exact at every step (as on redis-server 7.0.15, checked). */
    @Test
    void smallPagesCountExactly() {
        for (int v = 0; v < 50; v++) {
            jedis.pfadd("unique:small", "visitor:" + v);
            assertEquals(v + 1, jedis.pfcount("unique:small"));
        }
        assertEquals(0, jedis.pfadd("unique:small", "visitor:7"));
        assertEquals(50, jedis.pfcount("unique:small"));
        assertEquals(0, jedis.pfcount("unique:nobody"));
        // A page nobody visited adds nothing to a union.
        assertEquals(50, jedis.pfcount("unique:small", "unique:nobody"));
        // The value is a string a client can copy or move like any other.
        assertEquals("OK", jedis.rename("unique:small", "unique:archived"));
        assertEquals(50, jedis.pfcount("unique:archived"));
        assertTrue(jedis.strlen("unique:archived") < 200, "a 50-visitor HLL stays sparse and small");
    }
}
