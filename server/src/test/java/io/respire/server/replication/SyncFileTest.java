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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RDB file a replica loads its primary's payload from (repl-diskless-load disabled) becomes its
 * dbfilename, and is removed after loading with rdb-del-sync-files when the replica has no
 * persistence (Redis's readSyncBulkPayload with allPersistenceDisabled).
 */
class SyncFileTest {
    @TempDir
    Path primaryDir;
    @TempDir
    Path replicaDir;

    private void sync(String delSyncFiles) throws Exception {
        try (RespireServer primary = LocalServer.start(primaryDir,
                "--repl-diskless-sync-delay", "0");
             RespireServer replica = LocalServer.start(replicaDir,
                     "--rdb-del-sync-files", delSyncFiles);
             RespTestClient p = new RespTestClient(primary.port());
             RespTestClient r = new RespTestClient(replica.port())) {
            p.call("SET", "k", "v");
            InfoFields.replicate(r, primary.port());
            assertEquals("v", r.call("GET", "k"));
        }
    }

    @Test
    void theSyncFileStaysByDefault() throws Exception {
        sync("no");
        assertTrue(Files.exists(replicaDir.resolve("dump.rdb")));
    }

    @Test
    void aReplicaWithoutPersistenceRemovesItWithRdbDelSyncFiles() throws Exception {
        sync("yes");
        assertFalse(Files.exists(replicaDir.resolve("dump.rdb")));
    }

    /** replica-lazy-flush: the old data's keys are counted in lazyfreed_objects, as Redis's EMPTYDB_ASYNC counts them. */
    @Test
    void aLazyFlushCountsTheOldKeys() throws Exception {
        try (RespireServer primary = LocalServer.start(primaryDir,
                "--repl-diskless-sync-delay", "0");
             RespireServer replica = LocalServer.start(replicaDir,
                     "--replica-lazy-flush", "yes");
             RespTestClient r = new RespTestClient(replica.port())) {
            for (int i = 0; i < 10; i++) {
                r.call("SET", "old" + i, "v");
            }
            InfoFields.replicate(r, primary.port());
            assertEquals(10, InfoFields.number(r, "lazyfreed_objects"));
        }
    }
}
