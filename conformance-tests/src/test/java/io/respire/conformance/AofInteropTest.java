package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multi-part AOF directories between Respire and a real redis-server 7.0.15: the dataset of the
 * RDB interop test (every type and encoding, three databases, functions), written through a
 * rewrite and incremental files by one server, is accepted by redis-check-aof and loaded by the
 * other to the same data, with RDB and with command bases.
 */
class AofInteropTest extends ServerPairTest {
    private static List<String> aofArgs(String preamble) {
        return List.of("--appendonly", "yes", "--aof-use-rdb-preamble", preamble, "--appendfsync", "always");
    }

    /** The dataset, half of it before a rewrite (so in the base) and half after (incremental). */
    private static void write(RespConnection c) throws InterruptedException {
        RdbInteropTest.populate(c);
        RdbInteropTest.ok(c.call("BGREWRITEAOF"));
        for (int i = 0; i < 500 && c.call("INFO", "persistence").text().contains("aof_rewrite_in_progress:1"); i++) {
            Thread.sleep(20);
        }
        RdbInteropTest.ok(c.call("SET", "after-rewrite", "yes"));
        RdbInteropTest.ok(c.call("INCRBYFLOAT", "float", "1.25"));
        RdbInteropTest.ok(c.call("LPUSH", "db0:list", "pushed"));
        RdbInteropTest.ok(c.call("ZINCRBY", "db0:zset", "2", "a"));
        RdbInteropTest.ok(c.call("SELECT", "3"));
        RdbInteropTest.ok(c.call("DEL", "db3:hash"));
        RdbInteropTest.ok(c.call("SELECT", "0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no"})
    void aDirectoryWrittenByRespireIsCheckedAndLoadedByRedis(String preamble) throws Exception {
        Path ours = Files.createTempDirectory("respire-aof");
        List<String> args = new ArrayList<>(List.of("--port", "0", "--dir", ours.toString(), "--save", "",
                "--enable-debug-command", "yes"));
        args.addAll(aofArgs(preamble));
        RespireServer respire = keep(RespireServer.start(args.toArray(new String[0])));
        RespConnection r = connect("respire", respire.port());
        write(r);
        Path aofDir = ours.resolve("appendonlydir");
        redisCheckAof(aofDir.resolve("appendonly.aof.manifest"));
        Path theirs = Files.createTempDirectory("respire-aof-redis");
        copyTree(aofDir, theirs.resolve("appendonlydir"));
        RedisServerProcess redis = keep(RedisServerProcess.start(redisServer, theirs, aofArgs(preamble)));
        RdbInteropTest.ok(r.call("DEBUG", "LOADAOF")); // what Respire holds once it loaded its own files
        assertSame(RdbInteropTest.describe(r), RdbInteropTest.describe(connect("redis", redis.port())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no"})
    void aDirectoryWrittenByRedisLoadsInRespire(String preamble) throws Exception {
        Path theirs = Files.createTempDirectory("respire-aof-redis");
        RedisServerProcess redis = keep(RedisServerProcess.start(redisServer, theirs, aofArgs(preamble)));
        RespConnection c = connect("redis", redis.port());
        write(c);
        Path ours = Files.createTempDirectory("respire-aof");
        copyTree(theirs.resolve("appendonlydir"), ours.resolve("appendonlydir"));
        List<String> args = new ArrayList<>(List.of("--port", "0", "--dir", ours.toString(), "--save", "",
                "--enable-debug-command", "yes"));
        args.addAll(aofArgs(preamble));
        RespireServer respire = keep(RespireServer.start(args.toArray(new String[0])));
        RdbInteropTest.ok(c.call("DEBUG", "LOADAOF"));
        assertSame(RdbInteropTest.describe(c), RdbInteropTest.describe(connect("respire", respire.port())));
    }

    private static void redisCheckAof(Path manifest) throws IOException, InterruptedException {
        check("redis-check-aof", "REDIS_CHECK_AOF", manifest, "All AOF files and manifest are valid");
    }

    /** Copies the files of {@code from} (not recursive) into {@code to}, created if missing. */
    static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    /**
     * Same descriptions, except the seen times of stream consumers: a command base recreates them
     * with XCLAIM, which stamps the time of loading (the delivery times are in the file).
     */
    private static void assertSame(List<String> expected, List<String> actual) {
        assertFalse(expected.isEmpty());
        assertEquals(expected.size(), actual.size(), "number of keys");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(maskSeenTimes(expected.get(i)), maskSeenTimes(actual.get(i)));
        }
    }

    private static String maskSeenTimes(String description) {
        return description.replaceAll("(\"seen-time\"\\n\\s*\\d+\\) )\\(integer\\) \\d+", "$1(integer) <time>");
    }
}
