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
 * replica-ignore-maxmemory (Redis's isSafeToPerformEvictions): a replica over its maxmemory keeps
 * every key its primary sent, and evicts on its own only with the setting off.
 */
class ReplicaMaxmemoryTest {
    @TempDir
    Path dir1;
    @TempDir
    Path dir2;

    private long replicaKeys(String ignore) throws Exception {
        try (RespireServer primary = LocalServer.start(dir1,
                "--enable-debug-command", "yes");
             RespireServer replica = LocalServer.start(dir2,
                     "--maxmemory", "2mb", "--maxmemory-policy", "allkeys-random", "--replica-ignore-maxmemory", ignore);
             RespTestClient p = new RespTestClient(primary.port());
             RespTestClient r = new RespTestClient(replica.port())) {
            InfoFields.replicate(r, primary.port());
            String value = "v".repeat(1000);
            for (int i = 0; i < 5000; i++) { // 5 MB
                p.call("SET", "k" + i, value);
            }
            long target = InfoFields.number(p, "master_repl_offset");
            for (int i = 0; InfoFields.number(r, "slave_repl_offset") < target; i++) {
                if (i == 400) {
                    fail("the replica did not catch up");
                }
                Thread.sleep(25);
            }
            r.call("PING"); // a command runs the eviction check
            return Long.parseLong(r.call("DBSIZE").replace("(integer) ", ""));
        }
    }

    @Test
    void aReplicaKeepsEveryKeyByDefault() throws Exception {
        assertEquals(5000, replicaKeys("yes"));
    }

    @Test
    void withTheSettingOffItEvictsOnItsOwn() throws Exception {
        assertTrue(replicaKeys("no") < 5000);
    }
}
