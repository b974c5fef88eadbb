package io.respire.conformance;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the tests that move files between Respire and a real redis-server share: the redis-server
 * binary (or the missing-tool policy), and everything they open, closed in reverse order.
 */
abstract class ServerPairTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    protected Path redisServer;

    @BeforeEach
    void findRedis() {
        Optional<Path> binary = ExternalTools.find("redis-server", "REDIS_SERVER");
        if (binary.isEmpty()) {
            ExternalTools.unavailable("redis-server not found on PATH (or REDIS_SERVER)");
        }
        redisServer = binary.get();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** Closes {@code resource} after the test. */
    protected <T extends AutoCloseable> T keep(T resource) {
        open.add(resource);
        return resource;
    }

    protected RespConnection connect(String name, int port) {
        return keep(new RespConnection(name, port));
    }

    /** Runs one of Redis's checkers on {@code file}: it must accept it, saying {@code verdict}. */
    static void check(String program, String envOverride, Path file, String verdict)
            throws IOException, InterruptedException {
        Optional<Path> checker = ExternalTools.find(program, envOverride);
        if (checker.isEmpty()) {
            ExternalTools.unavailable(program + " not found on PATH");
        }
        Process p = new ProcessBuilder(checker.get().toString(), file.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains(verdict), output);
    }
}
