package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RDB files and DUMP payloads between Respire and a real redis-server 7.0.15: a dataset with every
 * type and encoding, binary keys, expiries, streams with consumer groups and pending entries,
 * function libraries and several databases is saved by one server and loaded by the other (and
 * checked by redis-check-rdb), then every key is compared through commands; DUMP payloads of every
 * key are restored on the other server and compared the same way.
 */
class RdbInteropTest extends ServerPairTest {
    private static final int[] DATABASES = {0, 3, 15};

    private RespireServer respire(Path dir) {
        return keep(RespireServer.start("--port", "0", "--dir", dir.toString(), "--save", "",
                "--enable-debug-command", "yes"));
    }

    private RedisServerProcess redis(Path dir) {
        return keep(RedisServerProcess.start(redisServer, dir));
    }

    /** The dataset: every type in every encoding Redis 7.0 has, in three databases. */
    static void populate(RespConnection c) {
        ok(c.call("FUNCTION", "LOAD", "#!lua name=lib1\nredis.register_function('f1', function() return 1 end)"));
        for (int db : DATABASES) {
            ok(c.call("SELECT", String.valueOf(db)));
            String p = "db" + db + ":";
            ok(c.call("SET", p + "int", "12345"));
            ok(c.call("SET", p + "neg", "-98765432101"));
            ok(c.call("SET", p + "embstr", "hello"));
            ok(c.call("SET", p + "raw", "x".repeat(300)));
            ok(c.call("SET", p + "compressible", "abcdefgh".repeat(1000)));
            ok(c.call("SET", new byte[] {0, (byte) 0xff, 'b', '\r', '\n', (byte) db}, new byte[] {'v', 0, 'v'}));
            ok(c.call("SET", p + "ttl", "exp", "PXAT", "4102444800000"));
            ok(c.call("APPEND", p + "appended", "grown"));
            List<Object> list = new ArrayList<>(List.of("RPUSH", p + "list"));
            for (int i = 0; i < 1000; i++) {
                list.add("item-" + i);
            }
            ok(c.call(list.toArray()));
            ok(c.call("RPUSH", p + "small", "a", "1", "-3", "c".repeat(70)));
            ok(c.call("SADD", p + "intset", "1", "2", "300", "-70000", "5000000000"));
            ok(c.call("SADD", p + "set", "apple", "banana", "cherry"));
            List<Object> big = new ArrayList<>(List.of("SADD", p + "bigset"));
            for (int i = 0; i < 600; i++) {
                big.add(String.valueOf(i));
            }
            ok(c.call(big.toArray()));
            ok(c.call("ZADD", p + "zset", "1", "a", "2.5", "b", "-inf", "c", "+inf", "d"));
            List<Object> zbig = new ArrayList<>(List.of("ZADD", p + "bigzset"));
            for (int i = 0; i < 300; i++) {
                zbig.add(String.valueOf(i * 0.25));
                zbig.add("m" + i);
            }
            ok(c.call(zbig.toArray()));
            ok(c.call("HSET", p + "hash", "f1", "v1", "f2", "2"));
            ok(c.call("HSET", p + "longhash", "f", "v".repeat(100)));
            ok(c.call("EXPIRE", p + "hash", "100000"));
            List<Object> hbig = new ArrayList<>(List.of("HSET", p + "bighash"));
            for (int i = 0; i < 600; i++) {
                hbig.add("field" + i);
                hbig.add("value" + i);
            }
            ok(c.call(hbig.toArray()));
            ok(c.call("PFADD", p + "hll", "a", "b", "c"));
            for (int i = 1; i <= 300; i++) {
                ok(c.call("XADD", p + "stream", "1700000000000-" + i, "n", String.valueOf(i), "type", i % 2 == 0 ? "a" : "b"));
            }
            ok(c.call("XADD", p + "stream", "1700000000001-0", "other", "fields"));
            ok(c.call("XDEL", p + "stream", "1700000000000-5"));
            ok(c.call("XGROUP", "CREATE", p + "stream", "g1", "0"));
            ok(c.call("XGROUP", "CREATE", p + "stream", "g2", "$"));
            ok(c.call("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "3", "STREAMS", p + "stream", ">"));
            ok(c.call("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "2", "STREAMS", p + "stream", ">"));
            ok(c.call("XACK", p + "stream", "g1", "1700000000000-1"));
            for (int i = 1; i <= 8; i++) {
                ok(c.call("XADD", p + "capped", "MAXLEN", "5", "1-" + i, "x", String.valueOf(i)));
            }
            ok(c.call("XADD", p + "empty", "5-1", "x", "1"));
            ok(c.call("XDEL", p + "empty", "5-1"));
            ok(c.call("XGROUP", "CREATE", p + "empty", "g", "0"));
        }
        ok(c.call("SELECT", "0"));
    }

    static void ok(RespReply r) {
        assertFalse(r.isError(), r.render());
    }

    /** Every key of every database, read through commands whose replies must be the same on both. */
    static List<String> describe(RespConnection c) {
        List<String> out = new ArrayList<>();
        for (int db : DATABASES) {
            c.call("SELECT", String.valueOf(db));
            out.add("db" + db + " size " + c.call("DBSIZE").render() + " digest " + c.call("DEBUG", "DIGEST").render());
            RespReply keys = c.call("KEYS", "*");
            List<byte[]> names = new ArrayList<>();
            keys.children.forEach(k -> names.add(k.data));
            names.sort(java.util.Arrays::compare);
            for (byte[] key : names) {
                out.add(describeKey(c, key));
            }
        }
        c.call("SELECT", "0");
        out.add("functions " + c.call("FUNCTION", "LIST", "WITHCODE").render());
        return out;
    }

    private static String describeKey(RespConnection c, byte[] key) {
        String type = c.call("TYPE", key).text();
        StringBuilder sb = new StringBuilder(RespReply.escape(key)).append(' ').append(type);
        sb.append(" enc ").append(c.call("OBJECT", "ENCODING", key).text());
        sb.append(" expire ").append(c.call("PEXPIRETIME", key).text());
        sb.append(" digest ").append(c.call("DEBUG", "DIGEST-VALUE", key).render());
        switch (type) {
            case "list" -> sb.append(c.call("LRANGE", key, "0", "-1").render());
            case "zset" -> sb.append(c.call("ZRANGE", key, "0", "-1", "WITHSCORES").render());
            case "stream" -> sb.append(c.call("XINFO", "STREAM", key, "FULL").render());
            case "string" -> sb.append(c.call("GET", key).render());
            default -> sb.append(c.call(type.equals("set") ? "SCARD" : "HLEN", key).render());
        }
        return sb.toString();
    }

    /**
     * A key's description without its name and expiry (RESTORE ... 0 gives none), and with the
     * delivery and seen times of stream groups masked: the two servers' datasets were made at
     * different moments (a payload itself carries them faithfully).
     */
    private static String withoutName(String description, byte[] key) {
        return description.substring(RespReply.escape(key).length()).replaceFirst(" expire -?[0-9]+", "")
                .replaceAll("\\(integer\\) 1[0-9]{12}\\b", "(integer) <time>");
    }

    private static byte[] suffixed(byte[] key, String suffix) {
        byte[] s = suffix.getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(key, key.length + s.length);
        System.arraycopy(s, 0, out, key.length, s.length);
        return out;
    }

    private static void assertSame(List<String> expected, List<String> actual) {
        assertEquals(expected.size(), actual.size(), "number of keys");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i));
        }
    }

    private static void redisCheckRdb(Path file) throws IOException, InterruptedException {
        check("redis-check-rdb", "REDIS_CHECK_RDB", file, "RDB looks OK");
    }

    /**
     * Respire's file: redis-check-rdb accepts it, and Redis loads it to what Respire holds once it
     * has loaded it back itself (both servers re-encode short strings as they load, so the live
     * dataset before the save may differ in OBJECT ENCODING only).
     */
    @Test
    void aFileSavedByRespireIsAcceptedAndLoadedByRedis() throws Exception {
        Path ours = Files.createTempDirectory("respire-rdb");
        RespireServer respire = respire(ours);
        RespConnection r = connect("respire", respire.port());
        populate(r);
        ok(r.call("SAVE"));
        RespConnection redis = checkedAndLoadedByRedis(ours.resolve("dump.rdb"));
        ok(r.call("DEBUG", "RELOAD", "NOSAVE"));
        assertSame(describe(r), describe(redis));
    }

    /** redis-check-rdb accepts Respire's {@code file}, and a redis-server started on a copy of it, connected. */
    private RespConnection checkedAndLoadedByRedis(Path file) throws IOException, InterruptedException {
        redisCheckRdb(file);
        Path theirs = Files.createTempDirectory("respire-rdb-redis");
        Files.copy(file, theirs.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        return connect("redis", redis(theirs).port());
    }

    /**
     * A background save while another client writes throughout it: redis-check-rdb accepts the
     * file, and Redis loads it to exactly what Respire held when BGSAVE ran (the writes change,
     * delete, expire, rename, swap and flush keys the walk has and has not reached yet).
     */
    @Test
    void aBackgroundSaveWrittenUnderWritesHoldsTheDatasetAtItsStart() throws Exception {
        Path ours = Files.createTempDirectory("respire-rdb");
        RespireServer respire = respire(ours);
        RespConnection r = connect("respire", respire.port());
        populate(r);
        ok(r.call("DEBUG", "POPULATE", "3000"));
        ok(r.call("DEBUG", "RELOAD")); // encodings as a load makes them, as Redis's will be
        List<String> atStart = describe(r);
        ok(r.call("CONFIG", "SET", "rdb-key-save-delay", "300"));
        assertEquals("Background saving started", r.call("BGSAVE").text());
        RespConnection w = connect("writer", respire.port());
        int rounds = 0;
        while ("1".equals(infoField(r, "rdb_bgsave_in_progress")) || rounds == 0) {
            for (int db : DATABASES) {
                ok(w.call("SELECT", String.valueOf(db)));
                String p = "db" + db + ":";
                ok(w.call("SET", p + "int", "changed" + rounds));
                ok(w.call("APPEND", p + "raw", "+"));
                ok(w.call("RPUSH", p + "list", "more"));
                ok(w.call("HSET", p + "bighash", "field1", "changed"));
                ok(w.call("SADD", p + "set", "durian" + rounds));
                ok(w.call("ZINCRBY", p + "bigzset", "1", "m7"));
                ok(w.call("XADD", p + "stream", "*", "n", "new"));
                ok(w.call("PEXPIRE", p + "embstr", "1"));
                ok(w.call("DEL", p + "small"));
                ok(w.call("SET", p + "created" + rounds, "after the start"));
                ok(w.call("APPEND", "key:" + (rounds * 7 % 3000), "+"));
            }
            ok(w.call("SWAPDB", "0", "3"));
            if (rounds == 3) {
                ok(w.call("SELECT", "15"));
                ok(w.call("FLUSHDB"));
            }
            rounds++;
        }
        assertTrue(rounds > 3, "writes during the save: " + rounds + " rounds");
        assertEquals("ok", infoField(r, "rdb_last_bgsave_status"));
        assertSame(atStart, describe(checkedAndLoadedByRedis(ours.resolve("dump.rdb"))));
    }

    private static String infoField(RespConnection c, String field) {
        for (String line : c.call("INFO", "persistence").text().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    /** Redis's file loads here to what Redis holds after loading it back (DEBUG RELOAD). */
    @Test
    void aFileSavedByRedisLoadsToTheSameData() throws Exception {
        Path theirs = Files.createTempDirectory("respire-rdb-redis");
        RedisServerProcess redis = redis(theirs);
        RespConnection c = connect("redis", redis.port());
        populate(c);
        ok(c.call("DEBUG", "RELOAD"));
        List<String> expected = describe(c);
        Path ours = Files.createTempDirectory("respire-rdb");
        Files.copy(theirs.resolve("dump.rdb"), ours.resolve("dump.rdb"));
        RespireServer respire = respire(ours);
        assertSame(expected, describe(connect("respire", respire.port())));
    }

    @Test
    void dumpPayloadsRestoreOnTheOtherServer() throws Exception {
        RedisServerProcess redis = redis(Files.createTempDirectory("respire-rdb-redis"));
        RespireServer respire = respire(Files.createTempDirectory("respire-rdb"));
        RespConnection theirs = connect("redis", redis.port());
        RespConnection ours = connect("respire", respire.port());
        populate(theirs);
        populate(ours);
        for (int db : DATABASES) {
            theirs.call("SELECT", String.valueOf(db));
            ours.call("SELECT", String.valueOf(db));
            for (RespReply k : theirs.call("KEYS", "*").children) {
                byte[] key = k.data;
                byte[] fromRedis = theirs.call("DUMP", key).data;
                byte[] fromRespire = ours.call("DUMP", key).data;
                // Each server restores both payloads: the two copies must be alike.
                for (RespConnection c : List.of(theirs, ours)) {
                    byte[] a = suffixed(key, ":from-redis");
                    byte[] b = suffixed(key, ":from-respire");
                    ok(c.call("RESTORE", a, "0", fromRedis));
                    ok(c.call("RESTORE", b, "0", fromRespire));
                    assertEquals(withoutName(describeKey(c, a), a), withoutName(describeKey(c, b), b),
                            c.call("INFO", "server").text().contains("respire") + " restoring " + RespReply.escape(key));
                }
            }
        }
    }
}
