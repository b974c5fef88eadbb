package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Respire as an application sees it through Jedis, the most used Java client: the typical calls,
 * pipelines, binary keys and values, RESP3, concurrent connections, transactions. Needs no real
 * Redis.
 */
class JedisEndToEndTest {
    private RespireServer server;
    private Jedis jedis;

    /** A fresh server per test (it starts in milliseconds), so no test depends on FLUSHALL. */
    @BeforeEach
    void startServerAndConnect() {
        server = RespireServer.start("--port", "0");
        jedis = new Jedis("127.0.0.1", server.port());
    }

    @AfterEach
    void stopServer() {
        jedis.close();
        server.close();
    }

    @Test
    void setGetAndExpire() {
        assertEquals("PONG", jedis.ping());
        assertEquals("OK", jedis.set("greeting", "hello"));
        assertEquals("hello", jedis.get("greeting"));
        assertNull(jedis.get("missing"));
        assertTrue(jedis.exists("greeting"));
        assertEquals(1, jedis.expire("greeting", 100));
        long ttl = jedis.ttl("greeting");
        assertTrue(ttl > 90 && ttl <= 100, "ttl " + ttl);
        assertEquals(1, jedis.persist("greeting"));
        assertEquals(-1, jedis.ttl("greeting"));
        assertEquals(-2, jedis.ttl("missing"));
        assertEquals(1, jedis.del("greeting"));
        assertFalse(jedis.exists("greeting"));
    }

    @Test
    void setWithOptions() {
        assertEquals("OK", jedis.set("k", "v1", SetParams.setParams().nx().ex(100)));
        assertNull(jedis.set("k", "v2", SetParams.setParams().nx()));
        long pttl = jedis.pttl("k");
        assertTrue(pttl > 90_000 && pttl <= 100_000, "pttl " + pttl);
        assertEquals("v1", jedis.setGet("k", "v3"));
        assertEquals(-1, jedis.ttl("k"), "a plain SET ... GET clears the TTL");
        assertEquals("OK", jedis.set("k", "v4", SetParams.setParams().xx().ex(50)));
        assertEquals("OK", jedis.set("k", "v5", SetParams.setParams().xx().keepTtl()));
        assertTrue(jedis.ttl("k") > 40);
        assertEquals("v5", jedis.getDel("k"));
        assertNull(jedis.get("k"));
    }

    @Test
    void countersAndErrors() {
        assertEquals(1, jedis.incr("counter"));
        assertEquals(11, jedis.incrBy("counter", 10));
        assertEquals(10, jedis.decr("counter"));
        assertEquals(11.5, jedis.incrByFloat("counter", 1.5));
        assertEquals("11.5", jedis.get("counter"));
        jedis.set("text", "abc");
        JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.incr("text"));
        assertEquals("ERR value is not an integer or out of range", e.getMessage());
        jedis.rpush("list", "x");
        e = assertThrows(JedisDataException.class, () -> jedis.get("list"));
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", e.getMessage());
    }

    @Test
    void multiKeyCommands() {
        assertEquals("OK", jedis.mset("a", "1", "b", "2"));
        assertEquals(List.of("1", "2"), jedis.mget("a", "b"));
        List<String> withMissing = jedis.mget("a", "missing");
        assertEquals("1", withMissing.get(0));
        assertNull(withMissing.get(1));
        assertEquals(5, jedis.append("a", "2345"));
        assertEquals("234", jedis.getrange("a", 1, 3));
        assertEquals(2, jedis.exists("a", "b", "missing"));
    }

    @Test
    void pipelineOfThousandsOfCommands() {
        List<Response<String>> gets = new ArrayList<>();
        try (Pipeline p = jedis.pipelined()) {
            for (int i = 0; i < 5000; i++) {
                p.set("key:" + i, "value:" + i);
                gets.add(p.get("key:" + i));
                p.incr("pipelined-counter");
            }
            p.sync();
        }
        for (int i = 0; i < gets.size(); i++) {
            assertEquals("value:" + i, gets.get(i).get());
        }
        assertEquals("5000", jedis.get("pipelined-counter"));
        assertEquals(5001, jedis.dbSize());
    }

    @Test
    void binaryKeysAndValues() {
        byte[] key = {0, (byte) 0xff, '\r', '\n', ' ', (byte) 0x80};
        byte[] value = new byte[1 << 20];
        new Random(7).nextBytes(value);
        assertEquals("OK", jedis.set(key, value));
        assertArrayEquals(value, jedis.get(key));
        assertEquals(value.length, jedis.strlen(key));
        assertTrue(jedis.exists(key));
        assertEquals("string", jedis.type(key));
        assertEquals(Set.of(new String(key, java.nio.charset.StandardCharsets.ISO_8859_1)),
                toLatin1(jedis.keys("*".getBytes())));
    }

    @Test
    void bitOperations() {
        assertFalse(jedis.setbit("bits", 7, true));
        assertTrue(jedis.getbit("bits", 7));
        assertEquals(1, jedis.bitcount("bits"));
        assertEquals(7, jedis.bitpos("bits", true));
    }

    @Test
    void scanIteratesOverAllKeys() {
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            jedis.set("scan:" + i, "v");
            expected.add("scan:" + i);
        }
        jedis.set("other", "v");
        Set<String> seen = new HashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("scan:*").count(50));
            seen.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        assertEquals(expected, seen);
    }

    @Test
    void databasesAreSeparate() {
        jedis.set("k", "db0");
        jedis.select(1);
        assertNull(jedis.get("k"));
        jedis.set("k", "db1");
        jedis.select(0);
        assertEquals("db0", jedis.get("k"));
    }

    @Test
    void resp3Client() {
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build();
        try (Jedis resp3 = new Jedis("127.0.0.1", server.port(), config)) {
            assertEquals("OK", resp3.set("k", "v"));
            assertEquals("v", resp3.get("k"));
            assertNull(resp3.get("missing"));
            assertEquals(2.5, resp3.incrByFloat("f", 2.5));
            assertEquals(List.of("v", "2.5"), resp3.mget("k", "f"));
        }
    }

    @Test
    void concurrentClients() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                        for (int i = 0; i < 500; i++) {
                            j.incr("shared");
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("4000", jedis.get("shared"));
    }

    @Test
    void transaction() {
        Transaction tx = jedis.multi();
        tx.set("a", "1");
        tx.incr("a");
        tx.get("a");
        List<Object> results = tx.exec();
        assertEquals(List.of("OK", 2L, "2"), results);
    }

    private static Set<String> toLatin1(Set<byte[]> keys) {
        Set<String> out = new HashSet<>();
        for (byte[] k : keys) {
            out.add(new String(k, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return out;
    }
}
