package io.respire.server.keyspace;

import io.respire.server.EmbeddedServerTest;
import io.respire.server.RespTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * maxmemory end to end, as Redis's unit/maxmemory checks it: the limit holds under every policy,
 * each policy evicts what it should (statistically), noeviction refuses writes with Redis's OOM
 * error (in MULTI as EXECABORT, in scripts as the allow-oom flag says).
 */
class EvictionTest extends EmbeddedServerTest {
    private static final String OOM = "(error) OOM command not allowed when used memory > 'maxmemory'.";

    @BeforeEach
    void freshStats() throws Exception {
        call("CONFIG RESETSTAT");
    }

    @AfterEach
    void unlimited() throws Exception {
        try (RespTestClient admin = new RespTestClient(server.port())) {
            admin.call("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction");
            admin.call("CONFIG", "SET", "lfu-log-factor", "10", "lfu-decay-time", "1");
        }
    }

    private long info(String field) throws Exception {
        Matcher m = Pattern.compile(field + ":(\\d+)").matcher(c.call("INFO", "all"));
        assertTrue(m.find(), field);
        return Long.parseLong(m.group(1));
    }

    /** Sets maxmemory to what is used now plus {@code room} bytes; returns the limit. */
    private long limitTo(long room, String policy) throws Exception {
        long limit = info("used_memory") + room;
        assertEquals("OK", c.call("CONFIG", "SET", "maxmemory", Long.toString(limit), "maxmemory-policy", policy));
        return limit;
    }

    @Test
    void noevictionRefusesWritesButNotReadsOrDeletes() throws Exception {
        long limit = limitTo(100 * 1024, "noeviction");
        int written = 0;
        String reply;
        while (!(reply = c.call("SET", "key:" + written, "x".repeat(100))).equals(OOM)) {
            assertEquals("OK", reply);
            written++;
        }
        assertTrue(written > 100, "wrote " + written);
        assertTrue(info("used_memory") > limit);
        // The refusal above came within one SET of the limit, and client buffers (INFO's reply among
        // them) move used_memory by more than that between samples: from here on, be clearly over.
        assertEquals("OK", call("CONFIG SET maxmemory " + (limit - 64 * 1024)));
        assertEquals(OOM, call("LPUSH l a"));
        assertEquals("x".repeat(100), call("GET key:0"));
        assertEquals("(integer) 1", call("DEL key:0")); // not denyoom: deleting frees memory
        assertEquals(0, info("evicted_keys"));
        assertEquals("maxmemory_policy:noeviction", c.call("INFO", "memory").lines()
                .filter(l -> l.startsWith("maxmemory_policy:")).findFirst().orElseThrow());
    }

    @Test
    void transactionsAreRefusedWholeWhenOutOfMemory() throws Exception {
        limitTo(0, "noeviction");
        call("CONFIG SET maxmemory 1"); // under anything: every denyoom command is refused
        assertEquals("OK", call("MULTI"));
        assertEquals(OOM, call("SET a b"));
        assertEquals(OOM, call("GET a")); // in MULTI, queueing itself is refused
        assertEquals("(error) EXECABORT Transaction discarded because of previous errors.", call("EXEC"));
        call("CONFIG SET maxmemory 0");
        assertEquals("OK", call("MULTI"));
        assertEquals("QUEUED", call("SET a b"));
        try (RespTestClient other = new RespTestClient(server.port())) {
            other.call("CONFIG", "SET", "maxmemory", "1");
        }
        assertEquals("(error) EXECABORT Transaction discarded because of: " + OOM.substring("(error) ".length()),
                call("EXEC"));
    }

    @Test
    void scriptsFollowTheirOomFlags() throws Exception {
        call("CONFIG SET maxmemory 1");
        assertEquals(OOM, c.call("EVAL", "#!lua\nreturn redis.call('set','x','y')", "0"));
        assertEquals("OK", c.call("EVAL", "#!lua flags=allow-oom\nreturn redis.call('set','x','y')", "0"));
        assertEquals("(integer) 1", c.call("EVAL", "#!lua flags=no-writes\nreturn 1", "0"));
        // A script without flags runs, but its first denyoom command is refused.
        assertTrue(c.call("EVAL", "return redis.call('set','x','y')", "0").contains("OOM command not allowed"));
    }

    @Test
    void everyEvictingPolicyHoldsTheLimit() throws Exception {
        for (String policy : new String[] {"allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru",
                "volatile-lfu", "volatile-random", "volatile-ttl"}) {
            call("FLUSHALL");
            call("CONFIG SET maxmemory 0");
            call("CONFIG RESETSTAT");
            // volatile-*: only keys with a TTL are candidates, so keep all writes volatile here.
            long limit = limitTo(200 * 1024, policy);
            for (int i = 0; i < 6000; i++) {
                assertEquals("OK", c.call("SETEX", "k:" + i, "10000", "x".repeat(100)), policy);
            }
            assertTrue(info("used_memory") <= limit, policy + ": " + info("used_memory") + " > " + limit);
            assertTrue(info("evicted_keys") > 1000, policy);
            assertTrue(Long.parseLong(call("DBSIZE").replace("(integer) ", "")) < 6000, policy);
        }
    }

    @Test
    void volatilePoliciesEvictOnlyVolatileKeys() throws Exception {
        for (String policy : new String[] {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"}) {
            call("FLUSHALL");
            call("CONFIG SET maxmemory 0");
            for (int i = 0; i < 200; i++) {
                assertEquals("OK", c.call("SET", "p:" + i, "x".repeat(100)));
            }
            limitTo(100 * 1024, policy);
            for (int i = 0; i < 3000; i++) {
                assertEquals("OK", c.call("SETEX", "v:" + i, "10000", "x".repeat(100)), policy);
            }
            for (int i = 0; i < 200; i++) {
                assertEquals("(integer) 1", call("EXISTS p:" + i), policy);
            }
        }
    }

    @Test
    void noevictionWithOnlyPersistentKeysUnderVolatilePolicyIsOom() throws Exception {
        long limit = limitTo(50 * 1024, "volatile-lru");
        String reply = "OK";
        for (int i = 0; i < 5000 && reply.equals("OK"); i++) {
            reply = c.call("SET", "p:" + i, "x".repeat(100));
        }
        assertEquals(OOM, reply, "nothing the policy may evict");
        assertTrue(info("used_memory") > limit);
    }

    @Test
    void lruEvictsTheLongestIdleKeys() throws Exception {
        // Old keys are restored with a large idle time, recent ones with none.
        c.call("SET", "proto", "x".repeat(100));
        byte[] dump = c.callRaw("DUMP", "proto");
        byte[] value = java.util.Arrays.copyOfRange(dump, indexAfterLength(dump), dump.length - 2);
        call("DEL proto");
        for (int i = 0; i < 1000; i++) {
            c.call("RESTORE".getBytes(), ("old:" + i).getBytes(), "0".getBytes(), value, "IDLETIME".getBytes(),
                    "100000".getBytes());
            c.call("RESTORE".getBytes(), ("new:" + i).getBytes(), "0".getBytes(), value);
        }
        long used = info("used_memory");
        call("CONFIG SET maxmemory-policy allkeys-lru");
        call("CONFIG SET maxmemory " + (used - 40 * 1024)); // evicts at once: about 250 keys
        int oldLeft = 0;
        int newLeft = 0;
        for (int i = 0; i < 1000; i++) {
            oldLeft += call("EXISTS old:" + i).equals("(integer) 1") ? 1 : 0;
            newLeft += call("EXISTS new:" + i).equals("(integer) 1") ? 1 : 0;
        }
        assertTrue(oldLeft < 1000, "evicted some: " + oldLeft);
        assertTrue(newLeft > 990, "the sampled pool spares recently used keys: " + newLeft + " new left, "
                + oldLeft + " old left");
    }

    /** Where the payload of a bulk string reply starts (after "$n\r\n"). */
    private static int indexAfterLength(byte[] raw) {
        int i = 0;
        while (raw[i] != '\n') {
            i++;
        }
        return i + 1;
    }

    @Test
    void lfuEvictsTheLeastFrequentlyUsedKeys() throws Exception {
        call("CONFIG SET lfu-log-factor 0"); // every access counts, so the test needs no luck
        call("CONFIG SET lfu-decay-time 0"); // nor a minute boundary, which would decay the counters by one
        call("CONFIG SET maxmemory-policy allkeys-lfu");
        for (int i = 0; i < 1000; i++) {
            c.call("SET", "hot:" + i, "x".repeat(100));
            c.call("SET", "cold:" + i, "x".repeat(100));
        }
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 1000; i++) {
                c.call("GET", "hot:" + i);
            }
        }
        assertEquals("(integer) 15", call("OBJECT FREQ hot:1"));
        long used = info("used_memory");
        call("CONFIG SET maxmemory " + (used - 40 * 1024));
        int hotLeft = 0;
        int coldLeft = 0;
        for (int i = 0; i < 1000; i++) {
            hotLeft += call("EXISTS hot:" + i).equals("(integer) 1") ? 1 : 0;
            coldLeft += call("EXISTS cold:" + i).equals("(integer) 1") ? 1 : 0;
        }
        assertTrue(coldLeft < 1000, "evicted some");
        assertTrue(hotLeft > 990, hotLeft + " hot left, " + coldLeft + " cold left");
    }

    @Test
    void volatileTtlEvictsTheSoonestToExpire() throws Exception {
        call("CONFIG SET maxmemory-policy volatile-ttl");
        for (int i = 0; i < 1000; i++) {
            c.call("SETEX", "soon:" + i, "1000", "x".repeat(100));
            c.call("SETEX", "late:" + i, "100000", "x".repeat(100));
        }
        long used = info("used_memory");
        call("CONFIG SET maxmemory " + (used - 40 * 1024));
        int lateLeft = 0;
        for (int i = 0; i < 1000; i++) {
            lateLeft += call("EXISTS late:" + i).equals("(integer) 1") ? 1 : 0;
        }
        assertTrue(lateLeft > 990, lateLeft + " late left");
    }

    @Test
    void evictionsAreNotifiedAndCounted() throws Exception {
        call("CONFIG SET notify-keyspace-events Ee");
        try (RespTestClient sub = new RespTestClient(server.port())) {
            sub.call("SUBSCRIBE", "__keyevent@0__:evicted");
            call("SET a 1");
            call("CONFIG SET maxmemory-policy allkeys-random");
            call("CONFIG SET maxmemory 1");
            String message = RespTestClient.render(sub.readRaw());
            assertEquals("[message, __keyevent@0__:evicted, a]", message);
        } finally {
            c.call("CONFIG", "SET", "notify-keyspace-events", "");
        }
        assertEquals(1, info("evicted_keys"));
        assertEquals("(integer) 0", call("DBSIZE"));
    }
    /**
     * unit/maxmemory's regression: clients that held megabytes of unread replies close, and the
     * next writes must not see their buffers in used_memory. With the cron paused nothing samples
     * the clients again, so only the disconnect itself can take their share out.
     */
    @Test
    void aClosedClientsBuffersLeaveUsedMemoryAtOnce() throws Exception {
        call("CONFIG SET maxmemory-policy allkeys-lru");
        c.call("SET", "big", "x".repeat(100_000));
        long base = info("used_memory");
        RespTestClient reader = new RespTestClient(server.port());
        reader.sendRaw(repeat(RespTestClient.encode("GET", "big"), 300)); // 30 MB of replies it never reads
        for (int i = 0; i < 500 && info("mem_clients_normal") < 500_000; i++) {
            Thread.sleep(10);
        }
        assertTrue(info("mem_clients_normal") >= 500_000, "the reader's replies pile up");
        call("DEBUG PAUSE-CRON 1");
        try {
            reader.close();
            for (int i = 0; i < 500 && call("CLIENT LIST").split("\n").length > 1; i++) {
                Thread.sleep(10);
            }
            assertEquals(1, call("CLIENT LIST").split("\n").length, "the server saw the reader go");
            call("CONFIG SET maxmemory " + (base + 300_000));
            for (int i = 0; i < 10; i++) {
                assertEquals("OK", c.call("SET", "k:" + i, "y".repeat(10_000)));
            }
            assertEquals("(integer) 11", call("DBSIZE"));
        } finally {
            call("DEBUG PAUSE-CRON 0");
        }
        assertEquals(0, info("evicted_keys"));
    }

    private static byte[] repeat(byte[] bytes, int times) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < times; i++) {
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}
