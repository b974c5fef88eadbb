package io.respire.server.replication;

import io.respire.server.InfoFields;
import io.respire.server.LocalServer;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The backlog is the one copy of the stream that a full sync's replicas wait for (Redis 7.0's
 * shared replication buffer): it outgrows repl-backlog-size while a sync's snapshot is written, a
 * replica that reconnects meanwhile continues from any of it, and it shrinks back once the sync's
 * last replica is gone.
 */
class SharedBacklogTest {
    @TempDir
    Path dir;

    @Test
    void theBacklogKeepsTheStreamAWaitingSyncNeeds() throws Exception {
        try (RespireServer server = LocalServer.start(dir,
                "--repl-diskless-sync-delay", "0", "--repl-backlog-size", "16384", "--enable-debug-command", "yes");
             RespTestClient c = new RespTestClient(server.port());
             RespTestClient waiting = new RespTestClient(server.port());
             RespTestClient returning = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("DEBUG", "POPULATE", "100", "key", "10"));
            assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "100000")); // 10 s of snapshot
            waiting.send("PSYNC", "?", "-1");
            String fullResync = waiting.readLine();
            assertTrue(fullResync.startsWith("+FULLRESYNC "), fullResync);
            String replId = fullResync.split(" ")[1];
            long instant = Long.parseLong(fullResync.split(" ")[2]);
            String value = "v".repeat(10_000);
            for (int i = 0; i < 30; i++) {
                c.call("SET", "big" + i, value);
            }
            assertEquals(1, InfoFields.number(c, "rdb_bgsave_in_progress"));
            assertTrue(InfoFields.number(c, "repl_backlog_histlen") > 300_000,
                    "the stream since the snapshot's instant is kept: " + InfoFields.get(c, "repl_backlog_histlen"));

            // A replica whose offset lies before what repl-backlog-size alone would keep continues.
            returning.send("PSYNC", replId, Long.toString(instant + 1));
            assertEquals("+CONTINUE", returning.readLine()); // no capa psync2: no ID
            returning.close();

            waiting.close(); // the sync's last replica: the snapshot is given up, the stream let go
            for (int i = 0; InfoFields.number(c, "repl_backlog_histlen") > 2 * 16384; i++) {
                if (i == 400) {
                    fail("the backlog kept " + InfoFields.get(c, "repl_backlog_histlen") + " bytes");
                }
                Thread.sleep(25);
            }
            assertEquals(0, InfoFields.number(c, "rdb_bgsave_in_progress"));
        }
    }
}
