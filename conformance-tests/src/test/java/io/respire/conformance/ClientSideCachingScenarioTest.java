package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A local cache kept coherent with CLIENT TRACKING, as a RESP3 client library does it: reads are
 * served from the local map when present, otherwise fetched (and so tracked); "invalidate" pushes
 * drop entries, a null one drops all. Writers change keys at random, some with short TTLs, and
 * flush once; after every round the cache must hold only values equal to the server's. A fresh
 * embedded Respire; no real Redis needed.
 */
class ClientSideCachingScenarioTest {
    private RespireServer server;
    private RespConnection cacheConnection;
    private RespConnection writerA;
    private RespConnection writerB;
    private final Map<String, String> cache = new HashMap<>();
    private int invalidations;

    @BeforeEach
    void start() {
        server = RespireServer.start("--port", "0");
        cacheConnection = new RespConnection("cache", server.port());
        writerA = new RespConnection("writerA", server.port());
        writerB = new RespConnection("writerB", server.port());
        cacheConnection.call("HELLO", "3");
        assertEquals("OK", cacheConnection.call("CLIENT", "TRACKING", "ON").text());
    }

    @AfterEach
    void stop() {
        cacheConnection.close();
        writerA.close();
        writerB.close();
        server.close();
    }

    /** The reply to a command, applying the invalidation pushes that arrive before it. */
    private RespReply call(Object... command) {
        cacheConnection.send(command);
        while (true) {
            RespReply r = cacheConnection.read();
            if (r.type != '>') {
                return r;
            }
            apply(r);
        }
    }

    private void apply(RespReply push) {
        assertEquals("invalidate", push.children.get(0).text());
        invalidations++;
        RespReply keys = push.children.get(1);
        if (keys.isNull()) {
            cache.clear();
        } else {
            for (RespReply k : keys.children) {
                cache.remove(k.text());
            }
        }
    }

    /** A read through the cache: the local copy, or the server's value, then kept. */
    private String get(String key) {
        String local = cache.get(key);
        if (local != null) {
            return local;
        }
        RespReply r = call("GET", key);
        String value = r.isNull() ? "<nil>" : r.text();
        cache.put(key, value);
        return value;
    }

    @Test
    void cacheStaysCoherentAcrossWritersExpiriesAndAFlush() throws InterruptedException {
        Random random = new Random(7);
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < 20; i++) {
                get("key:" + random.nextInt(30));
            }
            for (int i = 0; i < 10; i++) {
                RespConnection writer = random.nextBoolean() ? writerA : writerB;
                String key = "key:" + random.nextInt(30);
                if (random.nextInt(10) == 0) {
                    writer.call("SET", key, "r" + round, "PX", "5");
                } else if (random.nextInt(10) == 0) {
                    writer.call("DEL", key);
                } else {
                    writer.call("SET", key, "r" + round + "i" + i);
                }
            }
            if (round == 20) {
                writerA.call("FLUSHALL");
            }
            Thread.sleep(10); // let short TTLs lapse: expiry must invalidate too
            Object[] exists = new Object[31];
            exists[0] = "EXISTS";
            for (int k = 0; k < 30; k++) {
                exists[k + 1] = "key:" + k;
            }
            writerA.call(exists); // the server notices lapsed keys (lazy expiry) before the check
            call("PING"); // every push sent so far is ahead of this reply
            for (Map.Entry<String, String> e : Map.copyOf(cache).entrySet()) {
                RespReply fresh = writerA.call("GET", e.getKey());
                assertEquals(fresh.isNull() ? "<nil>" : fresh.text(), e.getValue(), "stale cache entry " + e.getKey());
            }
        }
        assertTrue(invalidations > 50, "invalidations seen: " + invalidations);
    }
}
