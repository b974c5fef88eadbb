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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full sync asked for while another snapshot runs (Redis: another child) waits for it to end, as
 * Redis's does ("BGSAVE for replication delayed"), instead of being serialized at once on the
 * executor; and an AOF rewrite asked for during a sync's snapshot is scheduled after it.
 */
class SyncBesideSnapshotTest {
    @TempDir
    Path primaryDir;
    @TempDir
    Path replicaDir;

    private boolean logged(String line) throws java.io.IOException {
        return Files.readString(primaryDir.resolve("primary.log"), StandardCharsets.UTF_8).contains(line);
    }

    @Test
    void aSyncDuringABgsaveWaitsForItAndARewriteDuringASyncIsScheduled() throws Exception {
        try (RespireServer primary = LocalServer.start(primaryDir, "--logfile", "primary.log",
                "--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0");
             RespireServer replica = LocalServer.start(replicaDir);
             RespTestClient p = new RespTestClient(primary.port());
             RespTestClient r = new RespTestClient(replica.port())) {
            p.call("DEBUG", "POPULATE", "50");
            p.call("CONFIG", "SET", "rdb-key-save-delay", "40000"); // 40 ms a key: two seconds
            assertEquals("Background saving started", p.call("BGSAVE"));
            assertEquals("OK", r.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port())));
            for (int i = 0; i < 200 && !InfoFields.get(p, "connected_slaves").equals("1"); i++) {
                Thread.sleep(10);
            }
            assertTrue(InfoFields.get(p, "slave0").contains("state=wait_bgsave"), InfoFields.get(p, "slave0"));
            assertEquals("1", InfoFields.get(p, "rdb_bgsave_in_progress"));
            assertTrue(logged("No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed"));
            assertFalse(logged("Starting BGSAVE for SYNC"), "the sync waits");

            // The BGSAVE ends; the sync's own snapshot starts, slowed too: a rewrite now waits for it.
            for (int i = 0; i < 500 && !logged("Starting BGSAVE for SYNC"); i++) {
                Thread.sleep(10);
            }
            assertTrue(logged("Background saving terminated with success"), "after the BGSAVE");
            assertEquals("1", InfoFields.get(p, "rdb_bgsave_in_progress"), "the sync's snapshot");
            assertEquals("Background append only file rewriting scheduled", p.call("BGREWRITEAOF"));
            p.call("CONFIG", "SET", "rdb-key-save-delay", "0");
            InfoFields.await(r, "master_link_status", "up");
            assertEquals("(integer) 50", r.call("DBSIZE"));
            InfoFields.await(p, "aof_rewrite_scheduled", "0");
            InfoFields.await(p, "aof_rewrite_in_progress", "0");
            assertEquals("ok", InfoFields.get(p, "aof_last_bgrewrite_status"));
        }
    }
}
