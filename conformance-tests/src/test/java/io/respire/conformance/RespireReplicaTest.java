package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.respire.conformance.ReplicaChecks.assertSameData;
import static io.respire.conformance.ReplicaChecks.awaitCaughtUp;
import static io.respire.conformance.ReplicaChecks.awaitInfo;
import static io.respire.conformance.ReplicaChecks.info;
import static io.respire.conformance.ReplicaConsistencyTest.BEFORE;
import static io.respire.conformance.ReplicaConsistencyTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Respire as a replica (REPLICAOF): of a Respire primary and of a real redis-server 7.0.15, it
 * loads the snapshot of {@link ReplicaConsistencyTest}'s dataset of every type, follows a corpus of
 * writes of every family and ends with the same dataset, key by key; it survives a dropped
 * link; and what it refuses or reports as a replica is what a Redis replica answers.
 */
class RespireReplicaTest {
    /** The real primary: a diskless transfer without the 5 s wait, and no PINGs moving the offset under the test. */
    private static final List<String> QUICK_PRIMARY = List.of("--repl-diskless-sync-delay", "0",
            "--repl-ping-replica-period", "3600");

    /**
     * Writes of every family, with expiries, MULTI/EXEC, scripts, random choices and streams'
     * consumer groups, and (in {@link #follow}) a blocked client served later.
     */
    private static final Object[][] CORPUS = {
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

    /** Runs the corpus (and a blocked client served later) and compares once the replica caught up. */
    private static void follow(RespConnection primary, RespConnection waiter, RespConnection reader) throws Exception {
        waiter.send("BLPOP", "later", "0"); // served by the push after the corpus
        run(primary, CORPUS);
        primary.call("RPUSH", "later", "x", "y");
        waiter.read();
        awaitCaughtUp(primary, reader);
        assertSameData(primary, reader);
    }

    private static RespireServer replica(Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--enable-debug-command", "yes", "--dir", dir.toString(),
                "--repl-diskless-sync-delay", "0"));
        args.addAll(List.of(extra));
        return RespireServer.start(args.toArray(String[]::new));
    }

    private static long stat(RespireServer server, String field) {
        try (RespConnection c = new RespConnection("stats", server.port())) {
            return Long.parseLong(stat(c, field));
        }
    }

    /** A Respire primary that starts a full sync at once (not after Redis's default 5 s of diskless delay). */
    private static RespireServer primary() {
        return RespireServer.start("--port", "0", "--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0");
    }

    private static Optional<Path> redisServer() {
        Optional<Path> binary = ExternalTools.find("redis-server", "REDIS_SERVER");
        if (binary.isEmpty()) {
            ExternalTools.unavailable("redis-server not found on PATH (or REDIS_SERVER)");
        }
        return binary;
    }

    @Test
    void aRespireReplicaOfRespireEndsWithTheSameDataset(@TempDir Path dir) throws Exception {
        try (RespireServer primaryServer = primary();
             RespConnection primary = new RespConnection("primary", primaryServer.port());
             RespConnection waiter = new RespConnection("primary", primaryServer.port())) {
            run(primary, BEFORE);
            // The configuration's replicaof, as a server started by Redis's test suite gets it.
            try (RespireServer replicaServer = replica(dir, "--replicaof", "127.0.0.1", String.valueOf(primaryServer.port()));
                 RespConnection reader = new RespConnection("replica", replicaServer.port())) {
                awaitInfo(reader, "master_link_status:up");
                follow(primary, waiter, reader);
                assertEquals(info(primary, "master_replid"), info(reader, "master_replid"));
                assertEquals(info(primary, "master_repl_offset"), info(reader, "master_repl_offset"));
                // the link's traffic, counted apart from clients' on both ends: at least the stream
                long streamed = Long.parseLong(info(primary, "master_repl_offset"));
                long received = Long.parseLong(stat(reader, "total_net_repl_input_bytes"));
                assertTrue(received > streamed, "repl input " + received + ", stream " + streamed);
                assertTrue(stat(primaryServer, "total_net_repl_output_bytes") >= received);
            }
        }
    }

    /**
     * bind-source-addr: the replica connects to its primary from that address (the primary's INFO
     * shows it as the replica's ip); an address that cannot be bound is skipped, as Redis's
     * best-effort bind, and the link still comes up.
     */
    @Test
    void theReplicaConnectsFromBindSourceAddr(@TempDir Path dir) throws Exception {
        try (RespireServer primaryServer = primary();
             RespConnection primary = new RespConnection("primary", primaryServer.port());
             RespireServer replicaServer = replica(dir);
             RespConnection reader = new RespConnection("replica", replicaServer.port())) {
            // Protected mode admits 127.0.0.1 and ::1 only (as Redis), not the rest of 127/8.
            assertEquals("OK", primary.call("CONFIG", "SET", "protected-mode", "no").text());
            assertEquals("OK", reader.call("CONFIG", "SET", "bind-source-addr", "127.0.0.2").text());
            reader.call("REPLICAOF", "127.0.0.1", String.valueOf(primaryServer.port()));
            awaitInfo(reader, "master_link_status:up");
            assertTrue(info(primary, "slave0").startsWith("ip=127.0.0.2,"), info(primary, "slave0"));

            reader.call("REPLICAOF", "NO", "ONE");
            awaitInfo(primary, "connected_slaves:0");
            // TEST-NET-1 (RFC 5737): no interface of this machine has it.
            assertEquals("OK", reader.call("CONFIG", "SET", "bind-source-addr", "192.0.2.1").text());
            reader.call("REPLICAOF", "127.0.0.1", String.valueOf(primaryServer.port()));
            awaitInfo(reader, "master_link_status:up");
            assertTrue(info(primary, "slave0").startsWith("ip=127.0.0.1,"), info(primary, "slave0"));
        }
    }

    @Test
    void aRespireReplicaOfRedisEndsWithTheSameDataset(@TempDir Path dir) throws Exception {
        Optional<Path> binary = redisServer();
        if (binary.isEmpty()) {
            return;
        }
        try (RedisServerProcess redis = RedisServerProcess.start(binary.get(), QUICK_PRIMARY);
             RespConnection primary = new RespConnection("redis", redis.port());
             RespConnection waiter = new RespConnection("redis", redis.port());
             RespireServer replicaServer = replica(dir);
             RespConnection reader = new RespConnection("replica", replicaServer.port())) {
            run(primary, BEFORE);
            assertEquals("OK", reader.call("REPLICAOF", "127.0.0.1", redis.port()).text());
            awaitInfo(reader, "master_link_status:up");
            follow(primary, waiter, reader);
        }
    }

    /**
     * A diskless load of a Redis primary's payload, parsed as it arrives: large enough (about
     * 25 MB, twenty strings of 1 MB among them) that the loader's feed stops the reading of the socket
     * and resumes it, with swapdb over old data and with on-empty-db into an empty replica.
     */
    @Test
    void aRespireReplicaLoadsARedisPrimarysPayloadAsItArrives(@TempDir Path dir) throws Exception {
        Optional<Path> binary = redisServer();
        if (binary.isEmpty()) {
            return;
        }
        for (String mode : List.of("swapdb", "on-empty-db")) {
            try (RedisServerProcess redis = RedisServerProcess.start(binary.get(), QUICK_PRIMARY);
                 RespConnection primary = new RespConnection("redis", redis.port());
                 RespConnection waiter = new RespConnection("redis", redis.port());
                 RespireServer replicaServer = replica(dir, "--repl-diskless-load", mode, "--logfile", mode + ".log");
                 RespConnection reader = new RespConnection("replica", replicaServer.port())) {
                run(primary, BEFORE);
                primary.call("DEBUG", "POPULATE", "20000", "pop", "200");
                String big = "b".repeat(1 << 20);
                for (int i = 0; i < 20; i++) {
                    primary.call("SET", "big:" + i, big + i);
                }
                if (mode.equals("swapdb")) {
                    reader.call("SET", "old", "data"); // replaced by the primary's dataset
                }
                assertEquals("OK", reader.call("REPLICAOF", "127.0.0.1", redis.port()).text());
                awaitInfo(reader, "master_link_status:up");
                follow(primary, waiter, reader);
                assertEquals(0, reader.call("EXISTS", "old").asLong());
                String log = Files.readString(dir.resolve(mode + ".log"));
                assertTrue(log.contains("receiving streamed RDB from master with EOF to parser"), log);
            }
        }
    }

    @Test
    void aDroppedLinkIsResumedFromTheBacklogOfARedisPrimary(@TempDir Path dir) throws Exception {
        Optional<Path> binary = redisServer();
        if (binary.isEmpty()) {
            return;
        }
        try (RedisServerProcess redis = RedisServerProcess.start(binary.get(), QUICK_PRIMARY);
             RespConnection primary = new RespConnection("redis", redis.port());
             RespireServer replicaServer = replica(dir);
             RespConnection reader = new RespConnection("replica", replicaServer.port())) {
            reader.call("REPLICAOF", "127.0.0.1", redis.port());
            dropAndResume(primary, reader);
        }
    }

    @Test
    void aDroppedLinkIsResumedFromTheBacklogOfARespirePrimary(@TempDir Path dir) throws Exception {
        try (RespireServer primaryServer = primary();
             RespConnection primary = new RespConnection("primary", primaryServer.port());
             RespireServer replicaServer = replica(dir, "--replicaof", "127.0.0.1", String.valueOf(primaryServer.port()));
             RespConnection reader = new RespConnection("replica", replicaServer.port())) {
            dropAndResume(primary, reader);
        }
    }

    @Test
    void aRedisReplicaResumesFromTheBacklogOfARespirePrimary() throws Exception {
        Optional<Path> binary = redisServer();
        if (binary.isEmpty()) {
            return;
        }
        try (RespireServer primaryServer = primary();
             RespConnection primary = new RespConnection("primary", primaryServer.port());
             RedisServerProcess redisReplica = RedisServerProcess.start(binary.get(),
                     List.of("--replicaof", "127.0.0.1", String.valueOf(primaryServer.port())));
             RespConnection reader = new RespConnection("redis replica", redisReplica.port())) {
            dropAndResume(primary, reader);
        }
    }

    /**
     * Each side in turn drops the link while the primary writes; the replica reconnects, continues
     * the stream from the primary's backlog (+CONTINUE: one full sync in all) and ends equal.
     */
    private static void dropAndResume(RespConnection primary, RespConnection reader) throws Exception {
        primary.call("SET", "k", "1");
        awaitInfo(reader, "master_link_status:up");
        for (int round = 0; round < 3; round++) {
            if (round % 2 == 0) {
                assertEquals(1, reader.call("CLIENT", "KILL", "TYPE", "master").asLong());
            } else {
                assertEquals(1, primary.call("CLIENT", "KILL", "TYPE", "replica").asLong());
            }
            primary.call("INCR", "k");
            primary.call("RPUSH", "list", String.valueOf(round));
            awaitInfo(reader, "master_link_status:up");
            awaitInfo(reader, "slave_repl_offset:" + info(primary, "master_repl_offset"));
            assertSameData(primary, reader);
        }
        assertEquals("1", stat(primary, "sync_full"));
        assertEquals("3", stat(primary, "sync_partial_ok"));
        assertEquals(info(primary, "master_replid"), info(reader, "master_replid"));
    }

    @Test
    void aReplicaRefusesAndReportsAsRedisDoes(@TempDir Path dir) throws Exception {
        Optional<Path> binary = redisServer();
        if (binary.isEmpty()) {
            return;
        }
        try (RedisServerProcess redis = RedisServerProcess.start(binary.get(), QUICK_PRIMARY);
             RespConnection primary = new RespConnection("redis", redis.port());
             RedisServerProcess redisReplica = RedisServerProcess.start(binary.get(),
                     List.of("--replicaof", "127.0.0.1", String.valueOf(redis.port())));
             RespConnection expected = new RespConnection("redis replica", redisReplica.port());
             RespireServer replicaServer = replica(dir, "--replicaof", "127.0.0.1", String.valueOf(redis.port()));
             RespConnection actual = new RespConnection("respire replica", replicaServer.port())) {
            primary.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"); // the key below stays on the primary, expired
            primary.call("SET", "k", "v");
            primary.call("SET", "short", "v", "PX", "300");
            awaitInfo(expected, "master_link_status:up");
            awaitInfo(actual, "master_link_status:up");
            String offset = info(primary, "master_repl_offset");
            awaitInfo(expected, "slave_repl_offset:" + offset);
            awaitInfo(actual, "slave_repl_offset:" + offset);
            TimeUnit.MILLISECONDS.sleep(400);
            Object[][] probes = {
                {"SET", "k", "w"}, {"DEL", "k"}, {"GET", "k"}, {"INCR", "n"},
                {"EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "k"},
                {"EVAL", "return redis.call('get', KEYS[1])", "1", "k"},
                {"EVAL", "#!lua\nreturn redis.call('set', KEYS[1], 'x')", "1", "k"},
                {"MULTI"}, {"SET", "k", "1"}, {"EXEC"},
                {"WAIT", "0", "0"}, {"REPLICAOF", "127.0.0.1", "not-a-port"}, {"REPLICAOF", "127.0.0.1", "70000"},
                {"REPLICAOF", "127.0.0.1", String.valueOf(redis.port())}, {"CONFIG", "GET", "replicaof"},
                // An expired key the primary has not deleted: hidden from reads, still counted, not removed.
                {"GET", "short"}, {"EXISTS", "short"}, {"TTL", "short"}, {"DBSIZE"}, {"KEYS", "*"}, {"GET", "short"},
                {"DBSIZE"},
            };
            for (Object[] probe : probes) {
                assertEquals(expected.call(probe).render(), actual.call(probe).render(), RespConnection.describe(probe));
            }
            // A writable replica: its own clients' keys with a TTL expire there; a write meets an expired key as gone.
            Object[][] writable = {{"CONFIG", "SET", "replica-read-only", "no"}, {"SET", "w", "1", "PX", "100"}, {"DBSIZE"}};
            for (Object[] probe : writable) {
                assertEquals(expected.call(probe).render(), actual.call(probe).render(), RespConnection.describe(probe));
            }
            TimeUnit.MILLISECONDS.sleep(500);
            Object[][] afterwards = {{"DBSIZE"}, {"INCR", "short"}, {"TTL", "short"}, {"DBSIZE"}, {"DEL", "short"},
                {"CONFIG", "SET", "replica-read-only", "yes"}};
            for (Object[] probe : afterwards) {
                assertEquals(expected.call(probe).render(), actual.call(probe).render(), RespConnection.describe(probe));
            }
            List<Object> expectedRole = roleShape(expected);
            List<Object> actualRole = roleShape(actual);
            assertEquals(expectedRole, actualRole);
            for (String field : List.of("role", "master_host", "master_port", "master_link_status",
                    "master_sync_in_progress", "slave_priority", "slave_read_only", "replica_announced",
                    "connected_slaves", "master_replid", "master_replid2", "second_repl_offset")) {
                assertEquals(info(expected, field), info(actual, field), field);
            }
            assertTrue(info(primary, "connected_slaves").equals("2"));
            // Promotion keeps the data and starts a history of its own.
            for (RespConnection c : List.of(expected, actual)) {
                assertEquals("OK", c.call("REPLICAOF", "NO", "ONE").text());
                assertEquals("master", info(c, "role"));
                assertEquals(info(primary, "master_replid"), info(c, "master_replid2"));
            }
            assertEquals(expected.call("ROLE").render(), actual.call("ROLE").render());
            assertEquals(info(expected, "second_repl_offset"), info(actual, "second_repl_offset"));
            assertEquals(expected.call("CONFIG", "GET", "replicaof").render(), actual.call("CONFIG", "GET", "replicaof").render());
            for (RespConnection c : List.of(expected, actual)) {
                assertEquals("OK", c.call("SET", "k", "after").text());
            }
        }
    }

    @Test
    void replicasOfARespireReplicaFollowTheStreamInItsDatabase(@TempDir Path dir, @TempDir Path subDir) throws Exception {
        Optional<Path> binary = redisServer();
        if (binary.isEmpty()) {
            return;
        }
        try (RespireServer primaryServer = primary();
             RespConnection primary = new RespConnection("primary", primaryServer.port());
             RespireServer middleServer = replica(dir, "--replicaof", "127.0.0.1", String.valueOf(primaryServer.port()));
             RespConnection middle = new RespConnection("middle", middleServer.port())) {
            primary.call("SELECT", "9");
            primary.call("SET", "a", "1");
            awaitInfo(middle, "slave_repl_offset:" + info(primary, "master_repl_offset"));
            // Both replicas of the replica load its snapshot while its stream is in database 9, and
            // the primary's next writes there come without a SELECT: repl-stream-db tells them.
            try (RespireServer respireSub = replica(subDir, "--replicaof", "127.0.0.1", String.valueOf(middleServer.port()));
                 RespConnection sub = new RespConnection("respire sub-replica", respireSub.port());
                 RedisServerProcess redisSubServer = RedisServerProcess.start(binary.get(),
                         List.of("--replicaof", "127.0.0.1", String.valueOf(middleServer.port())));
                 RespConnection redisSub = new RespConnection("redis sub-replica", redisSubServer.port())) {
                awaitInfo(sub, "master_link_status:up");
                awaitInfo(redisSub, "master_link_status:up");
                primary.call("SET", "b", "2");
                primary.call("RPUSH", "c", "x");
                String offset = info(primary, "master_repl_offset");
                for (RespConnection replica : List.of(middle, sub, redisSub)) {
                    awaitInfo(replica, "slave_repl_offset:" + offset);
                    assertSameData(primary, replica);
                    primary.call("SELECT", "9");
                }
            }
        }
    }

    @Test
    void clientsBlockedWhenTheServerBecomesAReplicaAreReleasedAsByRedis(@TempDir Path dir) throws Exception {
        Optional<Path> binary = redisServer();
        if (binary.isEmpty()) {
            return;
        }
        try (RespireServer primaryServer = primary();
             RedisServerProcess redis = RedisServerProcess.start(binary.get());
             RespireServer respire = replica(dir)) {
            List<String> replies = new ArrayList<>();
            for (int port : new int[] {redis.port(), respire.port()}) {
                try (RespConnection admin = new RespConnection("admin", port);
                     RespConnection blpop = new RespConnection("blpop", port);
                     RespConnection waiter = new RespConnection("wait", port)) {
                    blpop.send("BLPOP", "list", "0");
                    admin.call("SET", "k", "v");
                    waiter.send("WAIT", "1", "0");
                    awaitBlocked(admin, 2);
                    admin.call("REPLICAOF", "127.0.0.1", primaryServer.port());
                    replies.add(blpop.read().render() + " / " + waiter.read().render() + " / closed "
                            + blpop.closedByServer() + " " + waiter.closedByServer());
                }
            }
            assertEquals(replies.get(0), replies.get(1));
        }
    }

    @Test
    void aPrimaryWithoutEnoughGoodReplicasRefusesWritesAsRedisDoes() throws Exception {
        Optional<Path> binary = redisServer();
        if (binary.isEmpty()) {
            return;
        }
        try (RedisServerProcess redis = RedisServerProcess.start(binary.get());
             RespConnection expected = new RespConnection("redis", redis.port());
             RespireServer respire = primary();
             RespConnection actual = new RespConnection("respire", respire.port())) {
            Object[][] probes = {
                {"CONFIG", "SET", "min-replicas-to-write", "1"}, {"SET", "k", "v"}, {"GET", "k"},
                {"EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "k"}, {"EVAL", "return redis.call('get', KEYS[1])", "1", "k"},
                {"MULTI"}, {"INCR", "n"}, {"EXEC"}, {"CONFIG", "SET", "min-replicas-max-lag", "0"}, {"SET", "k", "v"},
                {"CONFIG", "SET", "min-replicas-max-lag", "10"}, {"CONFIG", "SET", "min-replicas-to-write", "0"}, {"SET", "k", "w"},
            };
            for (Object[] probe : probes) {
                assertEquals(expected.call(probe).render(), actual.call(probe).render(), RespConnection.describe(probe));
            }
            expected.call("CONFIG", "SET", "min-replicas-to-write", "2");
            actual.call("CONFIG", "SET", "min-replicas-to-write", "2");
            assertEquals(info(expected, "min_slaves_good_slaves"), info(actual, "min_slaves_good_slaves"));
        }
    }

    private static void awaitBlocked(RespConnection c, int clients) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!stat(c, "blocked_clients").equals(String.valueOf(clients)) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /** ROLE of a replica with its offset masked (the two replicas read the same stream, but when is not fixed). */
    private static List<Object> roleShape(RespConnection c) {
        RespReply role = c.call("ROLE");
        List<Object> shape = new ArrayList<>();
        for (int i = 0; i < role.children.size(); i++) {
            shape.add(i == 4 ? role.children.get(i).type : role.children.get(i).render());
        }
        return shape;
    }

    private static String stat(RespConnection c, String field) {
        for (String line : c.call("INFO").text().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("INFO has no " + field);
    }
    /**
     * Redis's mustObeyClient, compared with a real Redis replica: both replicas run
     * proto-max-bulk-len 1mb under a primary that accepts more; both take the primary's larger
     * values, SETRANGE, APPEND and SETBIT past 1 MB without breaking the link, and both refuse
     * the same writes from their own clients with the same errors.
     */
    @Test
    void aReplicaTakesFromItsPrimaryWhatItsOwnProtoMaxBulkLenRefusesAsARedisReplicaDoes(@TempDir Path dir)
            throws Exception {
        Optional<Path> binary = redisServer();
        if (binary.isEmpty()) {
            return;
        }
        try (RespireServer primaryServer = primary();
             RespConnection primary = new RespConnection("primary", primaryServer.port());
             RedisServerProcess redis = RedisServerProcess.start(binary.get(), List.of("--proto-max-bulk-len", "1mb",
                     "--replicaof", "127.0.0.1", String.valueOf(primaryServer.port())));
             RespConnection redisReplica = new RespConnection("redis replica", redis.port());
             RespireServer replicaServer = replica(dir, "--proto-max-bulk-len", "1mb",
                     "--replicaof", "127.0.0.1", String.valueOf(primaryServer.port()));
             RespConnection respireReplica = new RespConnection("respire replica", replicaServer.port())) {
            awaitInfo(redisReplica, "master_link_status:up");
            awaitInfo(respireReplica, "master_link_status:up");
            run(primary, new Object[][] {
                {"SET", "big", "x".repeat(2 << 20)}, {"SETRANGE", "range", "1500000", "y"},
                {"SETBIT", "bits", "9000000", "1"}, {"SET", "appended", "z".repeat(1_000_000)},
                {"APPEND", "appended", "z".repeat(100_000)},
            });
            for (RespConnection replica : List.of(redisReplica, respireReplica)) {
                awaitCaughtUp(primary, replica);
                assertSameData(primary, replica);
            }
            assertEquals("2", stat(primary, "sync_full"), "one full sync each: no link broke");
            redisReplica.call("CONFIG", "SET", "replica-read-only", "no");
            respireReplica.call("CONFIG", "SET", "replica-read-only", "no");
            for (Object[] own : new Object[][] {{"SETRANGE", "range", "1500000", "y"}, {"SETBIT", "bits", "9000000", "1"},
                    {"GETBIT", "bits", "9000000"}, {"APPEND", "appended", "z"}}) {
                assertTrue(redisReplica.call(own).isError());
                assertEquals(redisReplica.call(own).text(), respireReplica.call(own).text(), String.join(" ",
                        java.util.Arrays.stream(own).map(String::valueOf).toList()));
            }
        }
    }
}
