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
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * repl-diskless-load on the replica side, as Redis 7.0 behaves (unit integration/replication's
 * "Diskless load swapdb" tests): the payload is loaded without a file, the server is loading from
 * its first byte, and with swapdb the old data survives a transfer that fails; when the primary
 * continues the history the replica has, the old data is even served meanwhile (async_loading),
 * except to the commands flagged no-async-loading.
 */
class DisklessLoadTest {
    @TempDir
    Path masterDir;
    @TempDir
    Path replicaDir;
    private RespireServer master;
    private RespireServer replica;
    private RespTestClient m;
    private RespTestClient r;

    @BeforeEach
    void start() throws IOException {
        master = LocalServer.start(masterDir,
                "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0", "--enable-debug-command", "yes");
        replica = LocalServer.start(replicaDir,
                "--logfile", "replica.log", "--repl-diskless-load", "swapdb", "--enable-debug-command", "yes");
        m = new RespTestClient(master.port());
        r = new RespTestClient(replica.port());
    }

    @AfterEach
    void stop() throws IOException {
        m.call("CONFIG", "SET", "rdb-key-save-delay", "0");
        r.close();
        m.close();
        replica.close();
        master.close();
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException, IOException {
        for (int i = 0; i < 200; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(25);
        }
        fail("timed out waiting until " + what + "; the replica's log:\n"
                + Files.readString(replicaDir.resolve("replica.log"), StandardCharsets.UTF_8));
    }

    private boolean info(RespTestClient c, String field, String value) {
        try {
            return value.equals(InfoFields.get(c, field));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private boolean logged(String fragment) throws IOException {
        return Files.readAllLines(replicaDir.resolve("replica.log"), StandardCharsets.UTF_8).stream()
                .anyMatch(line -> line.contains(fragment));
    }

    private void replicate() throws IOException {
        assertEquals("OK", r.call("REPLICAOF", "127.0.0.1", Integer.toString(master.port())));
    }

    private void fill(RespTestClient c, String prefix, int keys) throws IOException {
        assertEquals("OK", c.call("DEBUG", "POPULATE", Integer.toString(keys), prefix, "10"));
    }

    @Test
    void swapdbKeepsTheOldDataWhenTheTransferFails() throws Exception {
        fill(r, "replica", 200);
        r.call("SET", "mykey", "myvalue");
        fill(m, "master", 100);
        m.call("CONFIG", "SET", "rdb-key-save-delay", "20000"); // 2 s for the payload
        replicate();
        await("the replica loads", () -> info(r, "loading", "1"));
        assertEquals("0", InfoFields.get(r, "async_loading"), "another history: loading, not async");
        assertEquals("(error) LOADING Redis is loading the dataset in memory", r.call("GET", "mykey"));

        m.call("CONFIG", "SET", "repl-diskless-sync-delay", "5"); // the next sync waits: the replica is seen between two
        m.call("CLIENT", "KILL", "TYPE", "replica");
        await("the load is abandoned", () -> info(r, "loading", "0"));
        assertEquals("myvalue", r.call("GET", "mykey"));
        assertEquals("(integer) 201", r.call("DBSIZE"));
        assertTrue(logged("Discarding temporary DB in background"));
        assertFalse(Files.list(replicaDir).anyMatch(p -> p.getFileName().toString().startsWith("temp-")),
                "no file is written");
    }

    @Test
    void swapdbReplacesTheDataOnceLoaded() throws Exception {
        fill(r, "replica", 200);
        r.call("SET", "mykey", "myvalue");
        fill(m, "master", 100);
        replicate();
        await("the link is up", () -> info(r, "master_link_status", "up"));
        assertEquals("(nil)", r.call("GET", "mykey"));
        assertEquals("(integer) 100", r.call("DBSIZE"));
        assertTrue(logged("receiving streamed RDB from master with EOF to parser"));
        assertTrue(logged("Swapping active DB with loaded DB"));
        assertFalse(Files.exists(replicaDir.resolve("dump.rdb")), "a diskless load writes no file");
        m.call("SET", "after", "1");
        await("the stream follows", () -> {
            try {
                return "1".equals(r.call("GET", "after"));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void theSameHistoryIsLoadedAsynchronouslyWhileTheOldDataIsServed() throws Exception {
        r.call("CONFIG", "SET", "replica-read-only", "no");
        replicate();
        await("the first sync", () -> info(r, "master_link_status", "up"));
        fill(r, "replica", 200);
        r.call("SET", "mykey", "myvalue");
        fill(m, "master", 100);
        m.call("CONFIG", "SET", "rdb-key-save-delay", "20000");
        // A full resync of the same history: the replica's offset falls out of a small backlog.
        m.call("MULTI");
        m.call("CLIENT", "KILL", "TYPE", "replica");
        m.call("CONFIG", "SET", "repl-backlog-size", "16384");
        for (int i = 0; i < 10; i++) {
            m.call("SET", "big" + i, "A".repeat(16384));
        }
        m.call("EXEC");
        await("the replica loads asynchronously", () -> info(r, "async_loading", "1"));
        assertEquals("0", InfoFields.get(r, "loading"));
        assertEquals("myvalue", r.call("GET", "mykey"));
        assertEquals("(integer) 201", r.call("DBSIZE"));
        assertEquals("(error) LOADING Redis is loading the dataset in memory",
                r.call("CONFIG", "SET", "appendonly", "no"));
        assertEquals("(error) LOADING Redis is loading the dataset in memory", r.call("REPLICAOF", "NO", "ONE"));

        m.call("CONFIG", "SET", "repl-diskless-sync-delay", "5");
        m.call("CLIENT", "KILL", "TYPE", "replica");
        await("the load is abandoned", () -> info(r, "async_loading", "0"));
        assertEquals("myvalue", r.call("GET", "mykey"));
        assertEquals("(integer) 201", r.call("DBSIZE"));
    }

    @Test
    void onEmptyDbLoadsWithoutAFileOnlyIntoAnEmptyReplica() throws Exception {
        r.call("CONFIG", "SET", "repl-diskless-load", "on-empty-db");
        fill(m, "master", 50);
        replicate();
        await("the link is up", () -> info(r, "master_link_status", "up"));
        assertEquals("(integer) 50", r.call("DBSIZE"));
        assertTrue(logged("with EOF to parser"));
        assertFalse(Files.exists(replicaDir.resolve("dump.rdb")));

        r.call("REPLICAOF", "NO", "ONE");
        replicate(); // not empty now: through a file, as with disabled
        await("the link is up again", () -> info(r, "master_link_status", "up"));
        assertTrue(logged("with EOF to disk"));
        assertTrue(Files.exists(replicaDir.resolve("dump.rdb")));
    }

    /**
     * A primary played by the test on a socket: it answers the replica's handshake (+PONG, +OK,
     * +FULLRESYNC) and then sends {@code payload}, the frame a disk-based primary sends: $length,
     * then the bytes; the replica's ACKs get no reply, as from a primary. Returns the port; the
     * socket is closed with the test.
     */
    private int scriptedPrimary(byte[] payload) throws IOException {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (server; java.net.Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                java.io.BufferedReader in = new java.io.BufferedReader(
                        new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                java.io.OutputStream out = s.getOutputStream();
                while (true) {
                    String header = in.readLine(); // *N, then N times $len and the argument
                    if (header == null) {
                        return;
                    }
                    int n = Integer.parseInt(header.substring(1));
                    String[] argv = new String[n];
                    for (int k = 0; k < n; k++) {
                        in.readLine();
                        argv[k] = in.readLine().toUpperCase(java.util.Locale.ROOT);
                    }
                    String command = n == 3 && argv[0].equals("REPLCONF") && argv[1].equals("ACK") ? "ACK" : argv[0];
                    switch (command) {
                        case "PING" -> out.write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
                        case "ACK" -> {
                            // a primary never answers an ACK: a reply would break the stream (the cron sends one each second)
                        }
                        case "PSYNC" -> {
                            out.write(("+FULLRESYNC " + "a".repeat(40) + " 0\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(payload);
                        }
                        default -> out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // the replica went away: the test is over
            }
        }, "scripted-primary");
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    /** An RDB of one string key, as a primary would send it after $length. */
    private static byte[] rdbOfOneKey(String key, String value) throws IOException {
        java.io.ByteArrayOutputStream rdb = new java.io.ByteArrayOutputStream();
        io.respire.persistence.RdbWriter w = new io.respire.persistence.RdbWriter(rdb, true, true);
        w.header();
        w.selectDb(0, 1, 0);
        w.key(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), -1, -1, -1);
        w.finish();
        return rdb.toByteArray();
    }

    private static byte[] frame(byte[] rdb, String trailing) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(("$" + (rdb.length + trailing.length()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(rdb);
        out.writeBytes(trailing.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** A $length payload (a disk-based primary's) is parsed as it arrives too, and ends exactly there. */
    @Test
    void aPayloadWithALengthLoadsWithoutAFile() throws Exception {
        int port = scriptedPrimary(frame(rdbOfOneKey("from", "primary"), ""));
        r.call("SET", "old", "data");
        assertEquals("OK", r.call("REPLICAOF", "127.0.0.1", Integer.toString(port)));
        await("the link is up", () -> info(r, "master_link_status", "up"));
        assertEquals("primary", r.call("GET", "from"));
        assertEquals("(integer) 1", r.call("DBSIZE"));
        assertTrue(logged("bytes from master to parser"));
    }

    /** An RDB shorter than its $length: the load fails, and with swapdb the old data stays. */
    @Test
    void aPayloadLongerThanItsRdbFailsTheLoad() throws Exception {
        int port = scriptedPrimary(frame(rdbOfOneKey("from", "primary"), "extra"));
        r.call("SET", "old", "data");
        assertEquals("OK", r.call("REPLICAOF", "127.0.0.1", Integer.toString(port)));
        await("the load fails", () -> {
            try {
                return logged("the payload goes on after its RDB's end");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        await("the load is over", () -> info(r, "loading", "0"));
        assertEquals("data", r.call("GET", "old"));
        assertEquals("(integer) 1", r.call("DBSIZE"));
    }
}
