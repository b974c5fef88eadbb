package io.respire.server.replication;

import io.respire.server.InfoFields;
import io.respire.server.LocalServer;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * FAILOVER as Redis 7.0's failoverCommand coordinates it: writes held until a replica has
 * acknowledged the whole stream, then the roles swap with a partial resynchronization on each
 * side; a deadline, FAILOVER ABORT or a refused PSYNC put things back.
 */
class FailoverTest {
    @TempDir
    Path dir1;
    @TempDir
    Path dir2;

    private static RespireServer server(Path dir) {
        return LocalServer.start(dir);
    }

    /**
     * Holds the replica's executor for {@code seconds} (it acknowledges nothing meanwhile), writes,
     * and asks for a failover to it with {@code timeoutMs}.
     */
    private static void failOverToAStalledReplica(RespTestClient p, RespTestClient sleeper, int replicaPort,
                                                  String seconds, String timeoutMs) throws Exception {
        sleeper.send("DEBUG", "SLEEP", seconds);
        Thread.sleep(100);
        p.call("SET", "case", "1");
        assertEquals("OK", p.call("FAILOVER", "TO", "127.0.0.1", Integer.toString(replicaPort), "TIMEOUT", timeoutMs));
    }

    @Test
    void refusesWhatRedisRefuses() throws Exception {
        try (RespireServer primary = server(dir1);
             RespireServer replica = server(dir2);
             RespTestClient p = new RespTestClient(primary.port());
             RespTestClient r = new RespTestClient(replica.port())) {
            String port = Integer.toString(replica.port());
            assertEquals("(error) ERR FAILOVER requires connected replicas.", p.call("FAILOVER"));
            assertEquals("(error) ERR No failover in progress.", p.call("FAILOVER", "ABORT"));
            InfoFields.replicate(r, primary.port());
            assertEquals("(error) ERR FAILOVER target HOST and PORT is not a replica.",
                    p.call("FAILOVER", "TO", "invalidhost", port));
            assertEquals("(error) ERR value is not an integer or out of range",
                    p.call("FAILOVER", "TO", "127.0.0.1", "invalidport"));
            assertEquals("(error) ERR FAILOVER with force option requires both a timeout and target HOST and IP.",
                    p.call("FAILOVER", "FORCE", "TIMEOUT", "100"));
            assertEquals("(error) ERR FAILOVER with force option requires both a timeout and target HOST and IP.",
                    p.call("FAILOVER", "TO", "127.0.0.1", port, "FORCE"));
            assertEquals("(error) ERR FAILOVER timeout must be greater than 0", p.call("FAILOVER", "TIMEOUT", "0"));
            assertEquals("(error) ERR syntax error", p.call("FAILOVER", "ABORT", "TIMEOUT", "10"));
            assertEquals("(error) ERR FAILOVER is not valid when server is a replica.", r.call("FAILOVER"));
            assertEquals("no-failover", InfoFields.get(p, "master_failover_state"));
        }
    }

    @Test
    void theRolesSwapAndBothSidesContinueTheirHistory() throws Exception {
        try (RespireServer primary = server(dir1);
             RespireServer replica = server(dir2);
             RespTestClient p = new RespTestClient(primary.port());
             RespTestClient r = new RespTestClient(replica.port())) {
            InfoFields.replicate(r, primary.port());
            for (int i = 0; i < 100; i++) {
                p.call("SET", "k" + i, "v" + i);
            }
            long fullBefore = InfoFields.number(r, "sync_full");
            assertEquals("OK", p.call("FAILOVER", "TO", "127.0.0.1", Integer.toString(replica.port())));
            InfoFields.await(p, "master_failover_state", "no-failover");
            InfoFields.await(p, "master_link_status", "up");
            assertEquals("slave", InfoFields.get(p, "role"));
            assertEquals("master", InfoFields.get(r, "role"));
            assertEquals(1, InfoFields.number(r, "sync_partial_ok"), "the old primary continued with PSYNC");
            assertEquals(fullBefore, InfoFields.number(r, "sync_full"));
            assertEquals("v99", p.call("GET", "k99"));
            assertEquals("OK", r.call("SET", "after", "1"));
            for (int i = 0; !"1".equals(p.call("GET", "after")); i++) {
                if (i == 400) {
                    fail("the new primary's write never reached the old one");
                }
                Thread.sleep(25);
            }
            assertEquals(r.call("DEBUG", "DIGEST"), p.call("DEBUG", "DIGEST"));
            assertTrue(p.call("SET", "x", "1").startsWith("(error) READONLY"));
        }
    }

    @Test
    void writesWaitReadsDoNotAndAbortPutsThingsBack() throws Exception {
        try (RespireServer primary = server(dir1);
             RespireServer replica = server(dir2);
             RespTestClient p = new RespTestClient(primary.port());
             RespTestClient writer = new RespTestClient(primary.port());
             RespTestClient r = new RespTestClient(replica.port());
             RespTestClient sleeper = new RespTestClient(replica.port())) {
            InfoFields.replicate(r, primary.port());
            failOverToAStalledReplica(p, sleeper, replica.port(), "2", "60000");
            assertEquals("waiting-for-sync", InfoFields.get(p, "master_failover_state"));
            assertEquals("1", p.call("GET", "case"));
            assertEquals("(error) ERR REPLICAOF not allowed while failing over.", p.call("REPLICAOF", "NO", "ONE"));
            assertEquals("(error) ERR FAILOVER already in progress.", p.call("FAILOVER"));
            CompletableFuture<String> write = CompletableFuture.supplyAsync(() -> {
                try {
                    return writer.call("SET", "held", "1");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(200);
            assertFalse(write.isDone(), "a write waits while the failover waits");
            assertEquals("OK", p.call("FAILOVER", "ABORT"));
            assertEquals("OK", write.get(5, TimeUnit.SECONDS));
            assertEquals("no-failover", InfoFields.get(p, "master_failover_state"));
            assertEquals("master", InfoFields.get(p, "role"));
            sleeper.readRaw();
        }
    }

    @Test
    void aReplicaThatNeverCatchesUpTimesTheFailoverOut() throws Exception {
        try (RespireServer primary = server(dir1);
             RespireServer replica = server(dir2);
             RespTestClient p = new RespTestClient(primary.port());
             RespTestClient r = new RespTestClient(replica.port());
             RespTestClient sleeper = new RespTestClient(replica.port())) {
            InfoFields.replicate(r, primary.port());
            failOverToAStalledReplica(p, sleeper, replica.port(), "1.5", "300");
            InfoFields.await(p, "master_failover_state", "no-failover");
            assertEquals("master", InfoFields.get(p, "role"));
            assertEquals("OK", p.call("SET", "after", "1"));
            sleeper.readRaw();
        }
    }

    @Test
    void aTargetThatRefusesThePsyncEndsTheFailover() throws Exception {
        try (RespireServer primary = server(dir1);
             RespireServer replica = server(dir2);
             RespTestClient p = new RespTestClient(primary.port());
             RespTestClient r = new RespTestClient(replica.port())) {
            InfoFields.replicate(r, primary.port());
            String history = InfoFields.get(p, "master_replid");
            assertEquals("OK", r.call("ACL", "SETUSER", "default", "-psync"));
            assertEquals("OK", p.call("FAILOVER"));
            InfoFields.await(p, "master_failover_state", "no-failover");
            assertEquals("master", InfoFields.get(p, "role"));
            assertEquals(history, InfoFields.get(p, "master_replid2"), "a primary again, with a new history");
            assertEquals("OK", r.call("ACL", "SETUSER", "default", "+psync"));
            InfoFields.await(r, "master_link_status", "up");
            assertEquals(1, InfoFields.number(p, "sync_partial_ok"), "the replica continued with PSYNC");
        }
    }

    /** A WAIT while writes are held sends no GETACK: it would move the offset a failover waits for (Redis's beforeSleep). */
    @Test
    void waitSendsNoGetackWhileWritesAreHeld() throws Exception {
        try (RespireServer primary = server(dir1);
             RespireServer replica = server(dir2);
             RespTestClient p = new RespTestClient(primary.port());
             RespTestClient r = new RespTestClient(replica.port())) {
            InfoFields.replicate(r, primary.port());
            assertEquals("OK", p.call("CLIENT", "PAUSE", "3000", "WRITE"));
            long offset = InfoFields.number(p, "master_repl_offset");
            assertEquals("(integer) 1", p.call("WAIT", "2", "1200")); // the cron asks again after a second, too
            assertEquals(offset, InfoFields.number(p, "master_repl_offset"));
            assertEquals("OK", p.call("CLIENT", "UNPAUSE"));
        }
    }
}
