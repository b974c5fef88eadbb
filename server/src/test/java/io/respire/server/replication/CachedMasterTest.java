package io.respire.server.replication;

import io.respire.server.InfoFields;
import io.respire.server.LocalServer;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The cached master survives a full sync that did not complete, as in Redis 7.0 (unit
 * integration/replication's "Discard cache master before loading transferred RDB when full
 * sync"): it is discarded only when another primary's payload is about to replace the data, so a
 * replica that went back to its previous primary continues with a partial resynchronization.
 */
class CachedMasterTest {
    @TempDir
    Path dir1;
    @TempDir
    Path dir2;
    @TempDir
    Path dir3;

    private static RespireServer start(Path dir) throws IOException {
        return LocalServer.start(dir,
                "--repl-diskless-sync-delay", "0", "--enable-debug-command", "yes");
    }

    private static void awaitInfo(RespTestClient c, String field, String value) throws Exception {
        for (int i = 0; i < 400; i++) {
            if (value.equals(InfoFields.get(c, field))) {
                return;
            }
            Thread.sleep(25);
        }
        fail(field + " never became " + value);
    }

    @Test
    void anAbandonedFullSyncKeepsThePreviousPrimaryToContinueFrom() throws Exception {
        try (RespireServer master1 = start(dir1); RespireServer master2 = start(dir2); RespireServer replica = start(dir3);
             RespTestClient m1 = new RespTestClient(master1.port());
             RespTestClient m2 = new RespTestClient(master2.port());
             RespTestClient r = new RespTestClient(replica.port())) {
            m1.call("SET", "a", "b");
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master1.port()));
            awaitInfo(r, "master_link_status", "up");
            assertEquals("b", r.call("GET", "a"));

            m2.call("DEBUG", "POPULATE", "10", "master2", "10");
            m2.call("CONFIG", "SET", "rdb-key-save-delay", "1000000"); // 10 s: never finishes here
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master2.port()));
            awaitInfo(m2, "rdb_bgsave_in_progress", "1");
            m2.call("CLIENT", "KILL", "TYPE", "replica");
            m2.call("CONFIG", "SET", "rdb-key-save-delay", "0");

            long full = InfoFields.number(m1, "sync_full");
            long partial = InfoFields.number(m1, "sync_partial_ok");
            r.call("REPLICAOF", "127.0.0.1", Integer.toString(master1.port()));
            awaitInfo(r, "master_link_status", "up");
            assertEquals(full, InfoFields.number(m1, "sync_full"));
            assertEquals(partial + 1, InfoFields.number(m1, "sync_partial_ok"));
            assertEquals("b", r.call("GET", "a"));
        }
    }
}
