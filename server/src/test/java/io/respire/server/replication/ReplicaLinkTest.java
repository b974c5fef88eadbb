package io.respire.server.replication;

import io.respire.server.InfoFields;
import io.respire.server.LocalServer;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a connection that sent SYNC or PSYNC may still do, as in Redis 7.0 (unit
 * integration/replication's "replica do not write the reply to the replication link"): it carries
 * the stream only, so a command of its that writes a reply drops the reply and the connection; one
 * that touches the keyspace is refused first, and that error is logged as CRITICAL. A PSYNC whose
 * offset is not a number is an error, logged, and leaves an ordinary client.
 */
class ReplicaLinkTest {
    @TempDir
    Path dir;
    private RespireServer server;
    private RespTestClient c;

    @BeforeEach
    void start() throws IOException {
        server = LocalServer.start(dir, "--logfile",
                "server.log", "--repl-diskless-sync-delay", "0");
        c = new RespTestClient(server.port());
    }

    @AfterEach
    void stop() throws IOException {
        c.close();
        server.close();
    }

    private List<String> log() throws IOException {
        return Files.readAllLines(dir.resolve("server.log"), StandardCharsets.UTF_8);
    }

    private boolean logged(String fragment) throws IOException {
        return log().stream().anyMatch(line -> line.contains(fragment));
    }

    /** A replica that synced (PSYNC) and read its snapshot. */
    private RespTestClient syncedReplica() throws Exception {
        RespTestClient r = new RespTestClient(server.port());
        r.send("PSYNC", "?", "-1");
        assertTrue(r.readLine().startsWith("+FULLRESYNC"));
        ReplicationPrimaryTest.readRdb(r);
        return r;
    }

    @Test
    void aCommandThatRepliesOnTheLinkClosesIt() throws Exception {
        try (RespTestClient r = syncedReplica()) {
            r.send("PING");
            assertTrue(r.isClosedByServer(), "no +PONG on the link: the connection goes");
        }
        assertTrue(logged("Replica generated a reply to command 'ping', disconnecting it: id="), log().toString());
        assertEquals("PONG", c.call("PING"));
        assertEquals(0, InfoFields.number(c, "connected_slaves"));
    }

    @Test
    void aReplicaCannotTouchTheKeyspace() throws Exception {
        c.call("SET", "foo", "bar");
        try (RespTestClient r = syncedReplica()) {
            r.send("GET", "foo");
            assertTrue(r.isClosedByServer());
        }
        assertTrue(logged("# == CRITICAL == This master is sending an error to its replica: "
                + "'Replica can't interact with the keyspace' after processing the command 'get'"), log().toString());
        assertTrue(logged("Replica generated a reply to command 'get', disconnecting it: "));
        assertEquals(1, InfoFields.number(c, "unexpected_error_replies"));
    }

    @Test
    void anAcknowledgementGetsNoReplyAndKeepsTheLink() throws Exception {
        try (RespTestClient r = syncedReplica()) {
            r.send("REPLCONF", "ACK", "0");
            c.call("SET", "k", "v");
            assertEquals("SELECT 0", ReplicationPrimaryTest.command(r));
            assertEquals("SET k v", ReplicationPrimaryTest.command(r));
            assertEquals(1, InfoFields.number(c, "connected_slaves"));
        }
    }

    @Test
    void psyncWithAnOffsetThatIsNotANumberIsAnErrorAndLeavesAnOrdinaryClient() throws Exception {
        assertEquals("(error) ERR value is not an integer or out of range", c.call("PSYNC", "replicationid", "offset_str"));
        assertTrue(logged("# Replica 127.0.0.1:<unknown-replica-port> asks for synchronization but with a wrong offset"),
                log().toString());
        assertEquals("PONG", c.call("PING"));
        assertEquals(0, InfoFields.number(c, "connected_slaves"));
    }
}
