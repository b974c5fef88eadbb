package io.respire.server.replication;

import io.respire.server.InfoFields;
import io.respire.server.LocalServer;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A streamed full sync waits for its replicas' sockets: a replica that stops reading holds the
 * snapshot back instead of having the whole RDB queued for it, and is disconnected after
 * repl-timeout seconds without progress (Redis's "Disconnecting timedout replica (full sync)").
 */
class StreamedSyncTest {
    @TempDir
    Path dir;

    @Test
    void aReplicaThatStopsReadingHoldsTheSnapshotBackThenTimesOut() throws Exception {
        try (RespireServer server = LocalServer.start(dir,
                "--logfile", "server.log", "--repl-diskless-sync-delay", "0", "--repl-timeout", "2",
                "--enable-debug-command", "yes");
             RespTestClient c = new RespTestClient(server.port());
             RespTestClient stuck = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("DEBUG", "POPULATE", "300000", "key", "100")); // an RDB of about 33 MB
            assertEquals("OK", stuck.call("REPLCONF", "capa", "eof"));
            stuck.send("PSYNC", "?", "-1"); // and never reads the payload
            long heldBack = 0;
            for (int i = 0; i < 400 && !logged("Disconnecting timedout replica (full sync)"); i++) {
                if (i == 40) { // one second in: the snapshot waits, a few MB queued for the replica at most
                    heldBack = InfoFields.number(c, "rdb_bgsave_in_progress");
                    assertTrue(InfoFields.number(c, "mem_clients_slaves") < 16 << 20,
                            "queued for the replica: " + InfoFields.get(c, "mem_clients_slaves"));
                }
                Thread.sleep(25);
            }
            assertEquals(1, heldBack, "the snapshot was still running after a second");
            assertTrue(logged("Disconnecting timedout replica (full sync)"), "no timeout");
            for (int i = 0; InfoFields.number(c, "rdb_bgsave_in_progress") != 0; i++) {
                if (i == 400) {
                    fail("the snapshot did not stop");
                }
                Thread.sleep(25);
            }
            assertTrue(logged("last replica dropped"));
        }
    }

    private boolean logged(String fragment) throws java.io.IOException {
        Path log = dir.resolve("server.log");
        return Files.exists(log) && Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .anyMatch(line -> line.contains(fragment));
    }
}
