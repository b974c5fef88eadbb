package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * server_cpulist read as Redis 7.0.15 reads it: for each list, the CPUs a real redis-server's main
 * thread may run on (from /proc) and those of Respire's executor, both started with that list.
 * Lists Redis would not parse leave both where they started.
 */
class CpuAffinityDifferentialTest {
    private static final List<String> LISTS = List.of("0", "1", "0-1", "0,1", "1,0", "0-1:2", "0-3", "1-1",
            "x", "0,", "1-0", "0-1:0", " 1", "0-", "1:2");

    private static String allowedCpus(Path status) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        throw new IOException("no Cpus_allowed_list in " + status);
    }

    @Test
    void theExecutorRunsWhereRedissMainThreadRuns() throws Exception {
        if (!Files.exists(Path.of("/proc/thread-self"))) {
            return; // Linux only, as Redis's pinning
        }
        Optional<Path> binary = ExternalTools.find("redis-server", "REDIS_SERVER");
        if (binary.isEmpty()) {
            ExternalTools.unavailable("redis-server not found on PATH (or REDIS_SERVER)");
            return;
        }
        for (String list : LISTS) {
            String redisCpus;
            try (RedisServerProcess redis = RedisServerProcess.start(binary.get(), List.of("--server_cpulist", list))) {
                redisCpus = allowedCpus(Path.of("/proc", Long.toString(redis.pid()), "status"));
            }
            String respireCpus;
            try (RespireServer respire = RespireServer.start("--port", "0", "--bind", "127.0.0.1",
                    "--server_cpulist", list)) {
                CompletableFuture<String> seen = new CompletableFuture<>();
                respire.context().executor().execute(() -> {
                    try {
                        seen.complete(allowedCpus(Path.of("/proc/thread-self/status")));
                    } catch (IOException e) {
                        seen.completeExceptionally(e);
                    }
                });
                respireCpus = seen.get(10, TimeUnit.SECONDS);
            }
            assertEquals(redisCpus, respireCpus, "server_cpulist \"" + list + "\"");
        }
    }
}
