package io.respire.server.replication;

import io.respire.persistence.Crc64;
import io.respire.server.EmbeddedServerTest;
import io.respire.server.InfoFields;
import io.respire.server.RespTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The primary side of replication end to end, with a raw socket as the replica: PSYNC and SYNC
 * as Redis 7.0 answers them (FULLRESYNC, the RDB payload without a trailing CRLF, then the
 * stream), REPLCONF, WAIT, INFO replication, and the refusal of a snapshot this server cannot
 * write yet (the function libraries alone).
 */
class ReplicationPrimaryTest extends EmbeddedServerTest {
    private final List<RespTestClient> replicas = new ArrayList<>();

    @org.junit.jupiter.api.BeforeEach
    void syncAtOnce() throws Exception {
        // Redis's default diskless sync waits 5 seconds for more replicas; these replicas need not.
        assertEquals("OK", c.call("CONFIG", "SET", "repl-diskless-sync-delay", "0"));
    }

    @AfterEach
    void closeReplicas() throws Exception {
        for (RespTestClient r : replicas) {
            r.close();
        }
        long deadline = System.currentTimeMillis() + 5000;
        while (InfoFields.number(c, "connected_slaves") != 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
    }

    private RespTestClient replica() throws Exception {
        RespTestClient r = new RespTestClient(server.port());
        replicas.add(r);
        return r;
    }

    /**
     * Reads the RDB payload after "$len", or streamed between "$EOF:mark" and the mark (a diskless
     * sync to a replica that sent capa eof): an RDB of version 10 with a valid checksum.
     */
    static byte[] readRdb(RespTestClient r) throws Exception {
        String header = r.readLine();
        while (header.isEmpty()) { // newlines keep the link alive while the snapshot is written
            header = r.readLine();
        }
        assertTrue(header.startsWith("$"), header);
        byte[] rdb;
        if (header.startsWith("$EOF:")) {
            byte[] mark = header.substring(5).getBytes(StandardCharsets.US_ASCII);
            java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
            int n;
            do {
                payload.write(r.readBytes(1));
                n = payload.size();
            } while (n < mark.length || !Arrays.equals(Arrays.copyOfRange(payload.toByteArray(), n - mark.length, n), mark));
            rdb = Arrays.copyOf(payload.toByteArray(), n - mark.length);
            r.send("REPLCONF", "ACK", "0"); // as a replica does: the primary starts the stream on it
        } else {
            rdb = r.readBytes(Integer.parseInt(header.substring(1)));
        }
        assertEquals("REDIS0010", new String(rdb, 0, 9, StandardCharsets.US_ASCII));
        assertEquals(Crc64.of(Arrays.copyOf(rdb, rdb.length - 8)), Crc64.readLittleEndian(rdb, rdb.length - 8));
        return rdb;
    }

    /** The next propagated command, as its arguments. */
    static String command(RespTestClient r) throws Exception {
        String header = r.readLine();
        assertTrue(header.startsWith("*"), header);
        List<String> args = new ArrayList<>();
        for (int i = Integer.parseInt(header.substring(1)); i > 0; i--) {
            int length = Integer.parseInt(r.readLine().substring(1));
            args.add(new String(r.readBytes(length + 2), 0, length, StandardCharsets.ISO_8859_1));
        }
        return String.join(" ", args);
    }

    /**
     * The RDB of a full sync is a point-in-time snapshot written while commands run: writes during
     * it are answered at once, the RDB holds the values of the sync's instant, and the writes
     * follow it in the stream; a second replica asking meanwhile shares the same snapshot.
     */
    @Test
    void aFullSyncSnapshotsWhileWritesGoOnAndTheyFollowTheRdb() throws Exception {
        for (int i = 0; i < 50; i++) {
            c.call("SET", "k" + i, "old");
        }
        assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "10000")); // 10 ms a key: 0.5 s
        RespTestClient first = replica();
        first.send("PSYNC", "?", "-1");
        String fullResync = first.readLine();
        assertTrue(fullResync.startsWith("+FULLRESYNC "), fullResync);
        call("SET k7 new");
        RespTestClient second = replica();
        second.send("PSYNC", "?", "-1");
        assertEquals(fullResync, second.readLine()); // the same instant, the same offset
        assertTrue(InfoFields.get(c, "slave0").contains("state=wait_bgsave"), InfoFields.get(c, "slave0"));
        assertEquals(1, InfoFields.number(c, "rdb_bgsave_in_progress"), "a full sync's snapshot is an RDB save, as Redis's child");
        assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "0"));
        for (RespTestClient r : List.of(first, second)) {
            String rdb = new String(readRdb(r), StandardCharsets.ISO_8859_1);
            assertTrue(rdb.contains("k7") && !rdb.contains("new"), "the RDB holds the instant's values");
            String next = command(r);
            while (next.equals("ping")) { // the primary's PING every repl-ping-replica-period may come first
                next = command(r);
            }
            assertEquals("SELECT 0", next);
            assertEquals("SET k7 new", command(r));
        }
        InfoFields.awaitZero(c, "rdb_bgsave_in_progress");
    }

    @Test
    void psyncGetsAFullResynchronizationThenTheStream() throws Exception {
        call("CONFIG RESETSTAT");
        RespTestClient r = replica();
        assertEquals("OK", r.call("REPLCONF", "listening-port", "6380"));
        assertEquals("OK", r.call("REPLCONF", "capa", "eof", "capa", "psync2"));
        r.send("PSYNC", "?", "-1");
        String fullResync = r.readLine();
        String replId = InfoFields.get(c, "master_replid");
        long offset = InfoFields.number(c, "master_repl_offset");
        assertEquals("+FULLRESYNC " + replId + " " + offset, fullResync);
        int rdbLength = readRdb(r).length;
        call("SET k v");
        call("SELECT 3");
        c.call("RPUSH", "l", "a");
        assertEquals("SELECT 0", command(r));
        assertEquals("SET k v", command(r));
        assertEquals("SELECT 3", command(r));
        assertEquals("RPUSH l a", command(r));
        long streamBytes = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n".length()
                + "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*3\r\n$5\r\nRPUSH\r\n$1\r\nl\r\n$1\r\na\r\n".length();
        assertEquals(offset + streamBytes, InfoFields.number(c, "master_repl_offset"));
        // what went to the replica is counted apart from what went to clients, as Redis's stat_net_repl_output_bytes
        long replOutput = InfoFields.number(c, "total_net_repl_output_bytes");
        assertTrue(replOutput >= rdbLength + streamBytes && replOutput < rdbLength + streamBytes + 200, "repl output " + replOutput);
        assertEquals(1, InfoFields.number(c, "connected_slaves"));
        String slave = InfoFields.get(c, "slave0");
        assertTrue(slave.startsWith("ip=127.0.0.1,port=6380,state=online,offset=0,lag="), slave);
        assertTrue(call("CLIENT LIST TYPE replica").contains(" flags=S "), call("CLIENT LIST TYPE replica"));
    }

    @Test
    void syncSendsNoFullResyncLineAndANewReplicaSelectsAgain() throws Exception {
        RespTestClient first = replica();
        first.sendRaw("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
        readRdb(first);
        call("SET a 1");
        assertEquals("SELECT 0", command(first));
        assertEquals("SET a 1", command(first));
        call("DEL a");
        RespTestClient second = replica();
        second.sendRaw("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
        readRdb(second);
        call("SET b 2");
        assertEquals("DEL a", command(first));
        assertEquals("SELECT 0", command(first)); // the stream is shared: re-selected for the newcomer
        assertEquals("SET b 2", command(first));
        assertEquals("SELECT 0", command(second));
        assertEquals("SET b 2", command(second));
    }

    @Test
    void aNonEmptyDatasetIsSentAsTheRdbSaveWrites() throws Exception {
        call("SET some-key some-value");
        RespTestClient r = replica();
        r.send("PSYNC", "?", "-1");
        assertTrue(r.readLine().startsWith("+FULLRESYNC "));
        String text = new String(readRdb(r), StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("some-key") && text.contains("some-value"), text);
        call("DEL some-key");
        assertEquals("SELECT 0", command(r));
        assertEquals("DEL some-key", command(r));
        assertEquals("(error) ERR value is not an integer or out of range", call("PSYNC ? x"));
    }

    /** REPLCONF rdb-filter-only functions (redis-cli --functions-rdb): the libraries, no key. */
    @Test
    void theFunctionsAloneAreSentToAReplicaThatAsksForThem() throws Exception {
        call("SET some-key some-value");
        c.call("FUNCTION", "LOAD", "#!lua name=alone\nredis.register_function('f', function() return 1 end)");
        try {
            RespTestClient r = replica();
            r.call("REPLCONF", "capa", "eof");
            r.call("REPLCONF", "rdb-filter-only", "functions");
            r.sendRaw("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
            String text = new String(readRdb(r), StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("REDIS0010") && text.contains("#!lua name=alone"), text);
            assertFalse(text.contains("some-key"), text);
        } finally {
            call("FUNCTION FLUSH");
        }
    }

    @Test
    void aReplicaThatFiltersOutTheDataGetsAnEmptySnapshotOfAnyDataset() throws Exception {
        call("SET k v");
        RespTestClient r = replica();
        assertEquals("OK", r.call("REPLCONF", "rdb-filter-only", ""));
        assertEquals("(error) ERR Filtered replica requires EOF capability", r.call("SYNC"));
        assertEquals("OK", r.call("REPLCONF", "capa", "eof"));
        r.sendRaw("SYNC\r\n".getBytes(StandardCharsets.US_ASCII)); // as redis-cli --replica does
        byte[] rdb = readRdb(r); // the empty image: header, EOF opcode, checksum
        assertArrayEquals("REDIS0010\u00ff".getBytes(StandardCharsets.ISO_8859_1), Arrays.copyOf(rdb, rdb.length - 8));
        call("INCR n");
        assertEquals("SELECT 0", command(r));
        assertEquals("INCR n", command(r));
        assertEquals("(error) ERR Unsupported rdb-filter-only option: keys", call("REPLCONF rdb-filter-only keys"));
        assertEquals("(error) ERR value is out of range, value must between 0 and 1", call("REPLCONF rdb-only 2"));
    }

    @Test
    void anRdbOnlyReplicaIsDisconnectedAfterTheSnapshot() throws Exception {
        RespTestClient r = replica();
        assertEquals("OK", r.call("REPLCONF", "rdb-only", "1"));
        r.send("PSYNC", "?", "-1");
        assertTrue(r.readLine().startsWith("+FULLRESYNC "));
        readRdb(r);
        assertTrue(r.isClosedByServer());
        assertEquals(0, InfoFields.number(c, "connected_slaves"));
    }

    @Test
    void aReplicaThatStopsAcknowledgingIsDisconnectedAfterReplTimeout() throws Exception {
        call("CONFIG SET repl-timeout 1");
        try {
            RespTestClient silent = replica();
            silent.send("PSYNC", "?", "-1");
            silent.readLine();
            readRdb(silent);
            RespTestClient old = replica();
            old.sendRaw("SYNC\r\n".getBytes(StandardCharsets.US_ASCII)); // SYNC replicas never acknowledge: kept
            readRdb(old);
            assertTrue(silent.isClosedByServer()); // read blocks until the cron closes it (within seconds)
            assertEquals(1, InfoFields.number(c, "connected_slaves"));
        } finally {
            call("CONFIG SET repl-timeout 60");
        }
    }

    @Test
    void replconfOptions() throws Exception {
        assertEquals("(error) ERR syntax error", call("REPLCONF listening-port"));
        assertEquals("(error) ERR Unrecognized REPLCONF option: nope", call("REPLCONF nope 1"));
        assertEquals("(error) ERR value is not an integer or out of range", call("REPLCONF listening-port x"));
        assertEquals("OK", call("REPLCONF ip-address 10.0.0.1"));
        c.send("REPLCONF", "ACK", "5"); // not a replica: ignored without a reply
        c.send("REPLCONF", "GETACK", "*"); // only replicas answer GETACK
        assertEquals("PONG", call("PING"));
    }

    @Test
    void waitCountsTheReplicasThatAcknowledged() throws Exception {
        assertEquals("(integer) 0", call("WAIT 0 0"));
        assertEquals("(integer) 0", call("WAIT 1 10")); // no replica: the timeout answers
        assertEquals("(error) ERR timeout is negative", call("WAIT 1 -1"));
        call("FUNCTION FLUSH");
        RespTestClient r = replica();
        r.send("PSYNC", "?", "-1");
        r.readLine();
        readRdb(r);
        call("SET k v");
        command(r);
        command(r);
        long written = InfoFields.number(c, "master_repl_offset");
        c.send("WAIT", "1", "0");
        assertEquals("REPLCONF GETACK *", command(r));
        // A replica acknowledges all it has read, GETACK included, as Redis's replicas do.
        long read = written + "*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n".length();
        r.send("REPLCONF", "ACK", String.valueOf(read));
        assertEquals(":1\r\n", new String(c.readRaw(), StandardCharsets.US_ASCII));
        c.call("MULTI");
        c.call("WAIT", "2", "0");
        assertEquals("[(integer) 1]", c.call("EXEC")); // inside MULTI it cannot block
    }
    /**
     * unit/maxmemory's "replica buffer don't induce eviction": the stream waiting for a replica
     * that does not read is reported (mem_clients_slaves) and in used_memory, but left out of what
     * maxmemory bounds (mem_not_counted_for_evict), so the primary evicts nothing for it.
     */
    @Test
    void aSlowReplicasBuffersAreReportedButDoNotEvictKeys() throws Exception {
        for (int i = 0; i < 100; i++) {
            c.call("SET", "k:" + i, "x".repeat(1000));
        }
        c.call("SET", "big", "y".repeat(100_000));
        RespTestClient r = replica();
        r.send("PSYNC", "?", "-1");
        assertTrue(r.readLine().startsWith("+FULLRESYNC "));
        readRdb(r); // and nothing more: the stream piles up on the primary
        try {
            // The backlog counts towards maxmemory up to its size, as in Redis: a small one, as
            // unit/maxmemory's "slave buffer are counted correctly" sets it.
            c.call("CONFIG", "SET", "repl-backlog-size", "16384");
            long used = InfoFields.number(c, "used_memory");
            c.call("CONFIG", "SET", "maxmemory", Long.toString(used + 512 * 1024), "maxmemory-policy", "allkeys-random");
            for (int i = 0; i < 200; i++) { // 20 MB of stream, the dataset unchanged
                assertEquals("(integer) 100000", c.call("SETRANGE", "big", "0", "z".repeat(100_000)));
            }
            long replicaBuffers = InfoFields.number(c, "mem_clients_slaves");
            assertTrue(replicaBuffers > 2 << 20, "the stream the replica did not read: " + replicaBuffers);
            // Redis leaves out the buffer past repl-backlog-size (mem_clients_slaves); Respire leaves
            // out every byte pending for replicas, so at least as much.
            assertTrue(InfoFields.number(c, "mem_not_counted_for_evict") >= replicaBuffers);
            assertTrue(InfoFields.number(c, "used_memory") > used + replicaBuffers - 64 * 1024);
            assertEquals(0, InfoFields.number(c, "evicted_keys"));
            assertEquals("(integer) 101", call("DBSIZE"));
        } finally {
            c.call("CONFIG", "SET", "maxmemory", "0", "maxmemory-policy", "noeviction", "repl-backlog-size", "1mb");
        }
    }
}
