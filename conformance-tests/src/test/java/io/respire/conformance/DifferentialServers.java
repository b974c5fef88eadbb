package io.respire.conformance;

import io.respire.server.RespireServer;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The two servers every differential test talks to: a real redis-server (the specification) and
 * an embedded Respire, both started once per test run (see {@link DifferentialExtension}) and
 * wiped between tests. If redis-server is missing or is not {@value ExternalTools#EXPECTED_REDIS_VERSION},
 * the servers are "unavailable" and each test applies {@link ExternalTools#unavailable}.
 */
final class DifferentialServers implements AutoCloseable {
    private final String unavailableReason;
    private final Path redisBinary;
    private RedisServerProcess redis;
    private RespireServer respire;

    private DifferentialServers(Path redisBinary, String unavailableReason) {
        this.redisBinary = redisBinary;
        this.unavailableReason = unavailableReason;
        if (unavailableReason != null) {
            // Once per run, where it is seen even with mvn -q (a skip alone is easy to miss).
            System.err.println("*** Differential tests against Redis " + (ExternalTools.onCi() ? "FAIL" : "are SKIPPED")
                    + ": " + unavailableReason);
        }
    }

    static DifferentialServers start() {
        Optional<Path> binary = ExternalTools.find("redis-server", "REDIS_SERVER");
        if (binary.isEmpty()) {
            return new DifferentialServers(null, "redis-server not found on PATH (or REDIS_SERVER)");
        }
        String version = ExternalTools.version(binary.get());
        if (!version.contains("v=" + ExternalTools.EXPECTED_REDIS_VERSION + " ")) {
            return new DifferentialServers(null, binary.get() + " is not Redis " + ExternalTools.EXPECTED_REDIS_VERSION
                    + " (it says: " + version + "); set REDIS_SERVER to a " + ExternalTools.EXPECTED_REDIS_VERSION + " binary");
        }
        DifferentialServers servers = new DifferentialServers(binary.get(), null);
        servers.redis = RedisServerProcess.start(binary.get());
        servers.respire = startRespire();
        return servers;
    }

    private static RespireServer startRespire() {
        return RespireServer.start("--port", "0", "--enable-debug-command", "yes");
    }

    /** Applies the missing-tool policy if redis-server could not be used. */
    void requireAvailable() {
        if (unavailableReason != null) {
            ExternalTools.unavailable(unavailableReason);
        }
    }

    /**
     * Empties both servers before a test. Respire is restarted instead if it cannot FLUSHALL (not
     * implemented yet, or broken by the previous test), and Redis if it died.
     */
    void reset() {
        if (!redis.isAlive()) {
            System.err.println("redis-server died during the previous test; its log:\n" + redis.log());
            redis.close();
            redis = RedisServerProcess.start(redisBinary);
        }
        try (RespConnection c = new RespConnection("redis", redis.port())) {
            RespReply r = c.call("FLUSHALL");
            if (r.isError()) {
                throw new IllegalStateException("redis FLUSHALL failed: " + r.render());
            }
        }
        boolean flushed;
        try (RespConnection c = new RespConnection("respire", respire.port())) {
            flushed = !c.call("FLUSHALL").isError();
        } catch (RuntimeException e) {
            flushed = false;
        }
        if (!flushed) {
            respire.close();
            respire = startRespire();
        }
    }

    /** A fresh pair of connections speaking {@code protocol} (2, or 3 after HELLO 3). */
    Dual connect(int protocol) {
        return new Dual(new RespConnection("redis", redis.port()), new RespConnection("respire", respire.port()), protocol);
    }

    @Override
    public void close() {
        if (respire != null) {
            respire.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
