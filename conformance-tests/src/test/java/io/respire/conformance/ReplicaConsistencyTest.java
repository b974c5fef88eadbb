package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static io.respire.conformance.ReplicaChecks.assertSameData;
import static io.respire.conformance.ReplicaChecks.awaitCaughtUp;
import static io.respire.conformance.ReplicaChecks.awaitInfo;

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
        Optional<Path> binary = ExternalTools.find("redis-server", "REDIS_SERVER");
        if (binary.isEmpty()) {
            ExternalTools.unavailable("redis-server not found on PATH (or REDIS_SERVER)");
            return;
        }
        try (RespireServer respire = RespireServer.start("--port", "0", "--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0");
             RespConnection primary = new RespConnection("respire", respire.port())) {
            run(primary, BEFORE);
            try (RedisServerProcess replica = RedisServerProcess.start(binary.get(),
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

    static void run(RespConnection c, Object[][] commands) {
        for (Object[] command : commands) {
            RespReply r = c.call(command);
            if (r.isError()) {
                throw new AssertionFailedError(RespConnection.describe(command) + " failed: " + r.render());
            }
        }
    }
}
