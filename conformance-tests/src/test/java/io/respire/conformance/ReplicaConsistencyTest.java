package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.respire.conformance.ReplicaChecks.assertSameData;
import static io.respire.conformance.ReplicaChecks.awaitCaughtUp;
import static io.respire.conformance.ReplicaChecks.awaitInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real redis-server 7.0.15 started with replicaof pointing at a Respire that already holds data:
 * it loads Respire's snapshot of a dataset of every type (with expiries, several databases, a
 * function library and a consumer group with a pending entry), which must equal Respire's key by
 * key, and the stream that continues from the snapshot's offset keeps it equal. The writes a Redis
 * replica follows from an empty Respire, case by case, are {@link AofEffectsDifferentialTest}'s
 * corpus.
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

    /** Writes to what the snapshot held, once the replica loaded it. */
    private static final Object[][] AFTER = {
        {"XACK", "before:st", "g", "1-1"}, {"XADD", "before:st", "2-1", "f", "w"}, {"RPUSH", "before:l", "d"},
        {"PERSIST", "before:s"}, {"SELECT", "9"}, {"DEL", "before:db9"}, {"SELECT", "0"},
    };

    @Test
    void aRedisReplicaLoadsRespiresSnapshotAndFollowsOn() throws Exception {
        Path binary = ExternalTools.redisServer();
        try (RespireServer respire = RespireServer.start("--port", "0", "--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0");
             RespConnection primary = new RespConnection("respire", respire.port())) {
            run(primary, BEFORE);
            try (RedisServerProcess replica = RedisServerProcess.start(binary,
                    List.of("--replicaof", "127.0.0.1", String.valueOf(respire.port())));
                 RespConnection reader = new RespConnection("redis", replica.port())) {
                awaitInfo(reader, "master_link_status:up");
                awaitCaughtUp(primary, reader);
                assertSameData(primary, reader);
                run(primary, AFTER);
                awaitCaughtUp(primary, reader);
                assertSameData(primary, reader);
            }
        }
    }

    /**
     * The snapshot is written while commands run (a point-in-time one, slowed here by
     * rdb-key-save-delay): keys of every type changed, deleted, renamed, expired, moved, swapped
     * between databases and flushed, a function loaded, a transaction and a script meanwhile must
     * reach the replica as the snapshot's values followed by those writes, never half of each.
     */
    @Test
    void aRedisReplicaAttachingWhileKeysChangeGetsTheInstantThenTheWrites() throws Exception {
        Path binary = ExternalTools.redisServer();
        int keys = 40;
        try (RespireServer respire = RespireServer.start("--port", "0", "--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0");
             RespConnection primary = new RespConnection("respire", respire.port())) {
            for (int db : new int[] {0, 9}) {
                primary.call("SELECT", db);
                run(primary, everyType(keys));
            }
            primary.call("SELECT", 0);
            run(primary, new Object[][] {{"CONFIG", "SET", "rdb-key-save-delay", "3000"}}); // 3 ms a key: about 1.5 s in all
            try (RedisServerProcess replica = RedisServerProcess.start(binary,
                    List.of("--replicaof", "127.0.0.1", String.valueOf(respire.port())));
                 RespConnection reader = new RespConnection("redis", replica.port())) {
                awaitSnapshotStarted(primary);
                List<Object[]> writes = new ArrayList<>();
                for (int i = 0; i < keys; i++) {
                    writes.addAll(List.of(changes(i)));
                }
                run(primary, writes.toArray(Object[][]::new));
                run(primary, new Object[][] {{"SWAPDB", "0", "9"}, {"SELECT", "5"}, {"FLUSHDB"}, {"SET", "after-flush", "v"},
                    {"SELECT", "0"}, {"FUNCTION", "LOAD", "#!lua name=during\nredis.register_function('d', function() return 1 end)"},
                    {"MULTI"}, {"APPEND", "s:1", "!"}, {"RPUSH", "l:1", "m"}, {"EXEC"}, {"EVAL", "return redis.call('spop', KEYS[1])", "1", "set:2"},
                    {"SET", "short", "v", "PX", "1"}});
                run(primary, changes(0));
                TimeUnit.MILLISECONDS.sleep(5);
                assertEquals(0, primary.call("EXISTS", "short").asLong()); // expired: its DEL is in the stream now
                assertTrue(ReplicaChecks.info(primary, "slave0").contains("state=wait_bgsave"),
                        "the snapshot ended before the writes: " + ReplicaChecks.info(primary, "slave0"));
                primary.call("CONFIG", "SET", "rdb-key-save-delay", "0");
                awaitInfo(reader, "master_link_status:up");
                awaitCaughtUp(primary, reader);
                assertSameData(primary, reader);
            }
        }
    }

    /** Keys 0..n-1 of every type, named after their type. */
    private static Object[][] everyType(int n) {
        List<Object[]> commands = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            commands.add(new Object[] {"SET", "s:" + i, "v" + i});
            commands.add(new Object[] {"RPUSH", "l:" + i, "a", "b", "c", i});
            commands.add(new Object[] {"HSET", "h:" + i, "f", i, "g", "x"});
            commands.add(new Object[] {"SADD", "set:" + i, "a", "b", i});
            commands.add(new Object[] {"ZADD", "z:" + i, "1", "a", i, "b"});
            commands.add(new Object[] {"XADD", "st:" + i, "1-1", "f", i});
        }
        return commands.toArray(Object[][]::new);
    }

    /** Writes to the keys numbered {@code i} of every type: values changed, keys deleted, renamed, expired, moved. */
    private static Object[][] changes(int i) {
        return new Object[][] {
            {"APPEND", "s:" + i, "+"}, {"LPUSH", "l:" + i, "new"}, {"LSET", "l:" + i, "-1", "last"},
            {"HSET", "h:" + i, "f", "new", "n", "1"}, {"HDEL", "h:" + i, "g"}, {"SREM", "set:" + i, "a"},
            {"SADD", "set:" + i, "new"}, {"ZINCRBY", "z:" + i, "2.5", "a"}, {"XADD", "st:" + i, "2-" + i, "f", "new"},
            {"XTRIM", "st:" + i, "MAXLEN", "1"}, {"PEXPIRE", "s:" + i, "500000"},
            {"DEL", i % 3 == 0 ? "l:" + i : "nothing"}, {"RENAME", "set:" + i, "renamed:" + i},
            {"MOVE", "h:" + i, "5"}, {"SET", "fresh:" + i, "v"},
        };
    }

    /** Waits until the primary is writing the snapshot of its replica's full sync. */
    private static void awaitSnapshotStarted(RespConnection primary) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!primary.call("INFO", "replication").text().contains(",state=wait_bgsave,")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionFailedError("the replica's sync never started:\n" + primary.call("INFO", "replication").text());
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /** Runs {@code commands} in order, pipelined; none may fail. */
    static void run(RespConnection c, Object[][] commands) {
        c.sendAll(List.of(commands));
        for (Object[] command : commands) {
            RespReply r = c.read();
            if (r.isError()) {
                throw new AssertionFailedError(RespConnection.describe(command) + " failed: " + r.render());
            }
        }
    }
}
