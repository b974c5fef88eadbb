package io.respire.server.replication;

import io.respire.server.InfoFields;
import io.respire.server.LocalServer;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A replica promoted by REPLICAOF NO ONE keeps its primary's history as its second replication ID
 * for the replicas of a failover to continue from: its backlog's time to live without replicas
 * counts from the promotion (Redis's replicationUnsetMaster), not from when the server started.
 */
class PromotedReplicaTest {
    @TempDir
    Path dir1;
    @TempDir
    Path dir2;

    @Test
    void thePromotedReplicaKeepsItsBacklogAndTheOldHistory() throws Exception {
        try (RespireServer master = LocalServer.start(dir1);
             RespireServer replica = LocalServer.start(dir2,
                     "--repl-backlog-ttl", "2");
             RespTestClient m = new RespTestClient(master.port());
             RespTestClient r = new RespTestClient(replica.port())) {
            Thread.sleep(3000); // the replica's server is older than its backlog's time to live
            InfoFields.replicate(r, master.port());
            String history = InfoFields.get(m, "master_replid");
            r.call("REPLICAOF", "NO", "ONE");
            Thread.sleep(1200); // a cron tick, within the time to live
            assertEquals(history, InfoFields.get(r, "master_replid2"));
            assertEquals(1, InfoFields.number(r, "repl_backlog_active"));
        }
    }
}
