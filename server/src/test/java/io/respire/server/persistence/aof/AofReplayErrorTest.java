package io.respire.server.persistence.aof;

import io.respire.server.InfoFields;
import io.respire.server.LocalServer;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command of the AOF that fails when replayed is logged as Redis's afterErrorReply logs it for
 * the AOF-loading client ("== CRITICAL == This server is sending an error to its
 * AOF-loading-client") and counted in unexpected_error_replies; the load goes on (with
 * propagation-error-behavior ignore, the default).
 */
class AofReplayErrorTest {
    @TempDir
    Path dir;

    @Test
    void aFailingCommandIsLoggedAndCounted() throws Exception {
        try (RespireServer first = LocalServer.start(dir,
                "--appendonly", "yes");
             RespTestClient c = new RespTestClient(first.port())) {
            assertEquals("OK", c.call("SET", "k", "abc"));
        }
        Path incr;
        try (var files = Files.list(dir.resolve("appendonlydir"))) {
            incr = files.filter(f -> f.toString().endsWith(".incr.aof")).findFirst().orElseThrow();
        }
        Files.writeString(incr, "*2\r\n$4\r\nINCR\r\n$1\r\nk\r\n*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$1\r\n1\r\n",
                StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        try (RespireServer second = LocalServer.start(dir,
                "--appendonly", "yes", "--logfile", "server.log");
             RespTestClient c = new RespTestClient(second.port())) {
            assertEquals("1", c.call("GET", "after"), "the load went on");
            assertEquals(1, InfoFields.number(c, "unexpected_error_replies"));
            String log = Files.readString(dir.resolve("server.log"));
            assertTrue(log.contains("== CRITICAL == This server is sending an error to its AOF-loading-client: "
                    + "'value is not an integer or out of range' after processing the command 'incr'"), log); // Redis's line
        }
    }
}
