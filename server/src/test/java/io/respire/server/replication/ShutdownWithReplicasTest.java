package io.respire.server.replication;

import io.respire.server.InfoFields;
import io.respire.server.LocalServer;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SHUTDOWN with a replica connected, as Redis 7.0's: it waits (writes paused, the caller blocked
 * without a reply, INFO shutdown_in_milliseconds) until the replica acknowledges the whole stream
 * or shutdown-timeout passes, logs the replicas' state, and SHUTDOWN ABORT cancels it. The replica
 * is a raw socket, so the test decides whether and what it acknowledges. Also INFO's replication
 * buffer figures, which count what the replica has not been sent yet.
 */
class ShutdownWithReplicasTest {
    /** A bound on waiting for the server to stop, only so that a broken shutdown fails instead of hanging. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private RespireServer server;
    private final List<RespTestClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (RespTestClient client : clients) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(String shutdownTimeout) {
        server = LocalServer.start(dir, "--logfile",
                "server.log", "--repl-diskless-sync-delay", "0", "--shutdown-timeout", shutdownTimeout);
    }

    private RespTestClient client() throws IOException {
        RespTestClient client = new RespTestClient(server.port());
        clients.add(client);
        return client;
    }

    /** A replica that synced and read the stream up to now (it acknowledged nothing). */
    private RespTestClient replica() throws Exception {
        RespTestClient r = client();
        r.send("REPLCONF", "listening-port", "6380");
        assertEquals("+OK", r.readLine());
        r.send("PSYNC", "?", "-1");
        assertTrue(r.readLine().startsWith("+FULLRESYNC"));
        ReplicationPrimaryTest.readRdb(r);
        return r;
    }

    private List<String> log() throws IOException {
        return Files.readAllLines(dir.resolve("server.log"), StandardCharsets.UTF_8);
    }

    private boolean logged(String text) throws IOException {
        return log().stream().anyMatch(line -> line.endsWith(text));
    }

    /** Waits (a bounded number of polls) until {@code n} clients are blocked: requests on other connections arrive in their own time. */
    private static void awaitBlocked(RespTestClient c, long n) throws Exception {
        for (int i = 0; i < 500 && InfoFields.number(c, "blocked_clients") != n; i++) {
            Thread.sleep(10);
        }
        assertEquals(n, InfoFields.number(c, "blocked_clients"));
    }

    private void awaitStop() {
        assertTimeoutPreemptively(HANG_GUARD, () -> server.awaitTermination());
    }

    @Test
    void aReplicaThatDoesNotAcknowledgeIsWaitedForUntilTheTimeout() throws Exception {
        start("1");
        RespTestClient c = client();
        RespTestClient r = replica();
        c.call("SET", "k", "v");
        assertEquals("SELECT 0", ReplicationPrimaryTest.command(r));
        assertEquals("SET k v", ReplicationPrimaryTest.command(r));
        c.send("SHUTDOWN");
        assertEquals("REPLCONF GETACK *", ReplicationPrimaryTest.command(r));
        RespTestClient watcher = client();
        assertTrue(InfoFields.number(watcher, "shutdown_in_milliseconds") > 0);
        assertEquals(1, InfoFields.number(watcher, "blocked_clients")); // the caller, without a reply
        awaitStop();
        assertTrue(c.isClosedByServer()); // no reply: the connection ends with the server
        assertTrue(logged(" * Waiting for replicas before shutting down."), log().toString());
        assertTrue(log().stream().anyMatch(line -> line.matches(
                ".* # Lagging replica 127\\.0\\.0\\.1:6380 reported offset \\d+ behind master, lag=\\d+, state=online\\.")),
                log().toString());
        assertTrue(logged(" * 0 of 1 replicas are in sync when shutting down."), log().toString());
        assertTrue(logged(" # Respire is now ready to exit, bye bye..."));
    }

    @Test
    void theShutdownCompletesOnceTheReplicaAcknowledgesTheWholeStream() throws Exception {
        start("300"); // only the acknowledgement can end this wait within the test
        RespTestClient c = client();
        RespTestClient r = replica();
        c.call("SET", "k", "v");
        c.send("SHUTDOWN");
        assertEquals("SELECT 0", ReplicationPrimaryTest.command(r));
        assertEquals("SET k v", ReplicationPrimaryTest.command(r));
        assertEquals("REPLCONF GETACK *", ReplicationPrimaryTest.command(r));
        RespTestClient watcher = client();
        long offset = InfoFields.number(watcher, "master_repl_offset");
        assertTrue(InfoFields.number(watcher, "shutdown_in_milliseconds") > 0);
        r.send("REPLCONF", "ACK", String.valueOf(offset));
        awaitStop();
        assertTrue(c.isClosedByServer());
        assertTrue(logged(" * 1 of 1 replicas are in sync when shutting down."), log().toString());
        assertTrue(log().stream().noneMatch(line -> line.contains("Lagging replica")), log().toString());
    }

    @Test
    void shutdownNowDoesNotWait() throws Exception {
        start("300");
        RespTestClient c = client();
        replica();
        c.call("SET", "k", "v");
        c.send("SHUTDOWN", "NOW");
        awaitStop();
        assertTrue(logged(" * 0 of 1 replicas are in sync when shutting down."), log().toString());
        assertTrue(log().stream().noneMatch(line -> line.contains("Waiting for replicas")), log().toString());
    }

    @Test
    void abortAnswersTheWaitingCallersWithAnErrorAndLetsWritesRun() throws Exception {
        start("300");
        RespTestClient c = client();
        assertEquals("(error) ERR No shutdown in progress.", c.call("SHUTDOWN", "ABORT"));
        replica();
        c.call("SET", "k", "v");
        RespTestClient first = client();
        RespTestClient second = client();
        first.send("SHUTDOWN");
        second.send("SHUTDOWN"); // joins the shutdown already waiting
        awaitBlocked(c, 2);
        RespTestClient writer = client();
        writer.send("SET", "k", "w"); // held: writes are paused while the shutdown waits
        awaitBlocked(c, 3);
        assertEquals(4, InfoFields.number(c, "connected_clients")); // the replica is not one of them
        assertEquals(1, InfoFields.number(c, "connected_slaves"));
        assertEquals("v", c.call("GET", "k")); // reads are not
        assertEquals("OK", c.call("SHUTDOWN", "ABORT"));
        assertEquals("(error) ERR Errors trying to SHUTDOWN. Check logs.", RespTestClient.render(first.readRaw()));
        assertEquals("(error) ERR Errors trying to SHUTDOWN. Check logs.", RespTestClient.render(second.readRaw()));
        assertEquals("OK", RespTestClient.render(writer.readRaw()));
        assertEquals("w", c.call("GET", "k"));
        assertNull(InfoFields.get(c, "shutdown_in_milliseconds"));
        assertEquals(0, InfoFields.number(c, "blocked_clients"));
        assertTrue(logged(" * Shutdown manually aborted."), log().toString());
        assertEquals("(error) ERR No shutdown in progress.", c.call("SHUTDOWN", "ABORT"));
    }

    @Test
    void aSignalsShutdownWaitsTooAndAbortCancelsIt() throws Exception {
        start("300");
        RespTestClient c = client();
        RespTestClient r = replica();
        c.call("SET", "k", "v");
        server.context().shutdownSequence().schedule("SIGTERM", 0); // what the signal handler does
        assertEquals("SELECT 0", ReplicationPrimaryTest.command(r));
        assertEquals("SET k v", ReplicationPrimaryTest.command(r));
        assertEquals("REPLCONF GETACK *", ReplicationPrimaryTest.command(r)); // sent by the cron's shutdown
        assertTrue(InfoFields.number(c, "shutdown_in_milliseconds") > 0);
        assertTrue(server.context().shutdownSequence().scheduled()); // a second SIGINT would exit at once
        assertEquals("OK", c.call("SHUTDOWN", "ABORT"));
        assertFalse(server.context().shutdownSequence().scheduled());
        assertEquals("OK", c.call("SET", "k", "w")); // writes run again
        assertTrue(logged(" * Shutdown manually aborted."), log().toString());
    }

    @Test
    void replicationBuffersCountWhatAReplicaHasNotBeenSent() throws Exception {
        start("0");
        RespTestClient c = client();
        assertEquals(0, InfoFields.number(c, "mem_total_replication_buffers"));
        replica(); // then reads nothing more: the stream piles up once the socket buffers are full
        byte[] value = new byte[64 * 1024];
        long total = 0;
        for (int i = 0; i < 512 && total <= 4L * 1024 * 1024; i++) {
            c.call("SET", "k" + i, value);
            total = InfoFields.number(c, "mem_total_replication_buffers");
        }
        assertTrue(total > 4L * 1024 * 1024, "replication buffers " + total);
        long backlog = InfoFields.number(c, "mem_replication_backlog");
        assertEquals(1024 * 1024, backlog); // repl-backlog-size's share while a replica holds more
        assertEquals(total - backlog, InfoFields.number(c, "mem_clients_slaves"));
        assertTrue(InfoFields.number(c, "repl_backlog_histlen") <= total);
    }
}
