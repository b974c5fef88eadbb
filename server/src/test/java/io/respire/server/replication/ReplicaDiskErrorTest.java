package io.respire.server.replication;

import io.respire.server.InfoFields;
import io.respire.server.LocalServer;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A replica whose saves fail (MISCONF) with replica-ignore-disk-write-errors applies its primary's
 * writes and logs that it does, every 10 s, as Redis's processCommand does (without the setting
 * Redis, and Respire, stop with a panic instead).
 */
class ReplicaDiskErrorTest {
    @TempDir
    Path dir1;
    @TempDir
    Path dir2;

    @Test
    void theReplicaAppliesThePrimarysWritesAndSaysSo() throws Exception {
        try (RespireServer primary = LocalServer.start(dir1);
             RespireServer replica = LocalServer.start(dir2,
                     "--save", "3600 1", "--replica-ignore-disk-write-errors", "yes", "--logfile", "server.log",
                     "--repl-diskless-load", "swapdb");
             RespTestClient p = new RespTestClient(primary.port());
             RespTestClient r = new RespTestClient(replica.port())) {
            InfoFields.replicate(r, primary.port());
            Files.createDirectory(dir2.resolve("dump.rdb")); // the save cannot replace a directory
            r.call("BGSAVE");
            for (int i = 0; !"err".equals(InfoFields.get(r, "rdb_last_bgsave_status")); i++) {
                if (i == 400) {
                    fail("the save did not fail");
                }
                Thread.sleep(25);
            }
            assertTrue(r.call("PING").startsWith("(error) MISCONF"));
            p.call("SET", "k", "v");
            for (int i = 0; !"v".equals(r.call("GET", "k")); i++) {
                if (i == 400) {
                    fail("the write was not applied");
                }
                Thread.sleep(25);
            }
            assertTrue(Files.readString(dir2.resolve("server.log"))
                    .contains("Replica is applying a command even though it is unable to write to disk."));
            assertEquals("v", r.call("GET", "k"));
        }
    }
}
