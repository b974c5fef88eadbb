package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real redis-server 7.0.15 started with replicaof pointing at Respire: it loads the snapshot of a
 * dataset of every type (with expiries, several databases, a function library and a consumer
 * group), then follows a corpus of writes of every family, with expiries, MULTI/EXEC,
 * scripts, blocked clients served later and streams' consumer groups; once it has read the whole
 * stream, its dataset must equal Respire's, digest for digest (DEBUG DIGEST covers the values and
 * the absolute expiry times), database by database and key by key where they differ.
 */
class ReplicaConsistencyTest {
    /** What is there before the replica connects, so that it comes in the snapshot. */
    static final Object[][] BEFORE = {
        {"SET", "before:s", "v", "EX", "1000"}, {"RPUSH", "before:l", "a", "b", "c"}, {"HSET", "before:h", "f", "v"},
        {"SADD", "before:set", "1", "2", "x"}, {"ZADD", "before:z", "1.5", "m"}, {"PFADD", "before:hll", "a"},
        {"XADD", "before:st", "1-1", "f", "v"}, {"XGROUP", "CREATE", "before:st", "g", "0"},
        {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "before:st", ">"}, {"SELECT", "9"}, {"SET", "before:db9", "v"},
        {"SELECT", "0"}, {"FUNCTION", "LOAD", "#!lua name=before\nredis.register_function('f', function() return 1 end)"},
    };

    static final Object[][] CORPUS = {
        {"SET", "s", "v", "EX", "1000"}, {"SET", "s2", "v", "PX", "100000", "GET"}, {"SETEX", "s3", "100", "v"},
        {"SET", "n", "1.5"}, {"INCRBYFLOAT", "n", "0.1"}, {"INCR", "i"}, {"APPEND", "s", "x"},
        {"EXPIRE", "i", "500"}, {"PEXPIRE", "n", "700000"}, {"EXPIREAT", "s3", "99999999999"}, {"GETEX", "s", "EX", "300"},
        {"GETEX", "s2", "PERSIST"}, {"GETDEL", "nothing"}, {"SET", "gone", "v"}, {"EXPIRE", "gone", "-1"},
        {"HSET", "h", "a", "1", "b", "2"}, {"HINCRBYFLOAT", "h", "a", "0.25"}, {"HDEL", "h", "b"},
        {"RPUSH", "l", "a", "b", "c", "d", "e"}, {"LPOP", "l"}, {"LMPOP", "1", "l", "RIGHT", "COUNT", "2"},
        {"BLMOVE", "l", "l2", "LEFT", "RIGHT", "0"}, {"LINSERT", "l2", "BEFORE", "b", "z"},
        {"SADD", "set", "a", "b", "c", "d", "e", "f", "g", "h"}, {"SPOP", "set"}, {"SPOP", "set", "3"},
        {"SADD", "set2", "1", "2"}, {"SPOP", "set2", "10"}, {"SMOVE", "set", "set3", "a"},
        {"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"}, {"ZINCRBY", "z", "2.5", "a"}, {"ZMPOP", "1", "z", "MIN"},
        {"BZPOPMAX", "z", "0"}, {"ZUNIONSTORE", "z2", "1", "z"},
        {"XADD", "st", "*", "f", "v"}, {"XADD", "st", "MAXLEN", "~", "2", "*", "f", "w"}, {"XGROUP", "CREATE", "st", "g", "0"},
        {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "st", ">"},
        {"XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "st", ">"}, {"XCLAIM", "st", "g", "carol", "0", "0-1", "FORCE"},
        {"MULTI"}, {"SET", "m", "1"}, {"SELECT", "5"}, {"INCR", "m"}, {"EXEC"}, {"SELECT", "0"},
        {"EVAL", "redis.call('set', KEYS[1], 'a'); redis.call('rpush', KEYS[2], 'b'); return redis.call('spop', KEYS[3])",
            "3", "e1", "e2", "set"},
        {"SETRANGE", "r", "10", "x"}, {"SETBIT", "bits", "100", "1"}, {"PFADD", "hll", "a", "b", "c"},
        {"GEOADD", "geo", "13.36", "38.11", "Palermo"}, {"COPY", "h", "h2", "DB", "3"}, {"MOVE", "r", "7"},
        {"RENAME", "bits", "bits2"}, {"SWAPDB", "3", "4"}, {"SORT", "l2", "ALPHA", "STORE", "sorted"},
    };

    @Test
    void aRedisReplicaOfRespireEndsWithTheSameDataset() throws Exception {
        Optional<Path> binary = ExternalTools.find("redis-server", "REDIS_SERVER");
        if (binary.isEmpty()) {
            ExternalTools.unavailable("redis-server not found on PATH (or REDIS_SERVER)");
            return;
        }
        try (RespireServer respire = RespireServer.start("--port", "0", "--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0");
             RespConnection primary = new RespConnection("respire", respire.port());
             RespConnection waiter = new RespConnection("respire", respire.port())) {
            run(primary, BEFORE);
            try (RedisServerProcess replica = RedisServerProcess.start(binary.get(),
                    List.of("--replicaof", "127.0.0.1", String.valueOf(respire.port())));
                 RespConnection reader = new RespConnection("redis", replica.port())) {
                awaitInfo(reader, "master_link_status:up");
                follow(primary, waiter, reader);
                assertEquals(primary.call("FUNCTION", "DUMP").render(), reader.call("FUNCTION", "DUMP").render());
            }
        }
    }

    static void run(RespConnection c, Object[][] commands) {
        for (Object[] command : commands) {
            RespReply r = c.call(command);
            if (r.isError()) {
                throw new AssertionFailedError(RespConnection.describe(command) + " failed: " + r.render());
            }
        }
    }

    /** Runs the corpus (and a blocked client served later) and compares once the replica caught up. */
    static void follow(RespConnection primary, RespConnection waiter, RespConnection reader) throws Exception {
        waiter.send("BLPOP", "later", "0"); // served by the push after the corpus
        run(primary, CORPUS);
        primary.call("RPUSH", "later", "x", "y");
        waiter.read();
        String offset = info(primary, "master_repl_offset");
        awaitInfo(reader, "slave_repl_offset:" + offset);
        assertSameData(primary, reader);
    }

    static void assertSameData(RespConnection primary, RespConnection replica) {
        List<String> differences = new ArrayList<>();
        for (int db = 0; db < 16; db++) {
            primary.call("SELECT", db);
            replica.call("SELECT", db);
            List<String> keys = new ArrayList<>();
            primary.call("KEYS", "*").children.forEach(k -> keys.add(k.text()));
            List<String> replicaKeys = new ArrayList<>();
            replica.call("KEYS", "*").children.forEach(k -> replicaKeys.add(k.text()));
            if (!new java.util.TreeSet<>(keys).equals(new java.util.TreeSet<>(replicaKeys))) {
                differences.add("db " + db + " keys: respire " + keys + ", replica " + replicaKeys);
                continue;
            }
            for (String key : keys) {
                String a = primary.call("DEBUG", "DIGEST-VALUE", key).render();
                String b = replica.call("DEBUG", "DIGEST-VALUE", key).render();
                long ta = primary.call("PEXPIRETIME", key).asLong();
                long tb = replica.call("PEXPIRETIME", key).asLong();
                if (!a.equals(b) || ta != tb) {
                    differences.add("db " + db + " key " + key + ": value digest " + a + " / " + b + ", expiry " + ta + " / " + tb);
                }
            }
        }
        assertEquals(List.of(), differences, "the replica's dataset differs from its primary's");
        assertEquals(primary.call("DEBUG", "DIGEST").render(), replica.call("DEBUG", "DIGEST").render());
    }

    static String info(RespConnection c, String field) {
        for (String line : c.call("INFO", "replication").text().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionFailedError("INFO replication has no " + field);
    }

    static void awaitInfo(RespConnection c, String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.call("INFO", "replication").text().contains(line + "\r\n")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionFailedError("the replica never reported " + line + ":\n" + c.call("INFO", "replication").text());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
