package io.respire.server.replication;

import io.respire.server.InfoFields;
import io.respire.server.LocalServer;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Redis's mustObeyClient: what the primary accepted under its own proto-max-bulk-len, a replica
 * with a lower one takes too (a bulk in the stream, SETRANGE and APPEND lengths, bit offsets),
 * where its own clients are refused.
 */
class ObeyedLimitsTest {
    @TempDir
    Path primaryDir;
    @TempDir
    Path replicaDir;

    @Test
    void aReplicaTakesWhatItsPrimaryAcceptedBeyondItsOwnProtoMaxBulkLen() throws Exception {
        try (RespireServer primary = LocalServer.start(primaryDir);
             RespireServer replica = LocalServer.start(replicaDir, "--proto-max-bulk-len", "1mb");
             RespTestClient p = new RespTestClient(primary.port());
             RespTestClient r = new RespTestClient(replica.port())) {
            InfoFields.replicate(r, primary.port());
            String big = "x".repeat(2 << 20);
            assertEquals("OK", p.call("SET", "big", big));
            assertEquals("(integer) 1500001", p.call("SETRANGE", "range", "1500000", "y"));
            assertEquals("(integer) 0", p.call("SETBIT", "bits", "9000000", "1"));
            p.call("SET", "appended", "z".repeat(1000_000));
            assertEquals("(integer) 1100000", p.call("APPEND", "appended", "z".repeat(100_000)));

            long target = InfoFields.number(p, "master_repl_offset");
            for (int i = 0; InfoFields.number(r, "slave_repl_offset") < target; i++) {
                if (i == 400) {
                    fail("the replica did not catch up: " + InfoFields.get(r, "master_link_status"));
                }
                Thread.sleep(25);
            }
            assertEquals("(integer) " + big.length(), r.call("STRLEN", "big"));
            assertEquals("(integer) 1500001", r.call("STRLEN", "range"));
            assertEquals("(integer) 1125001", r.call("STRLEN", "bits")); // GETBIT there is held to the limit too
            assertEquals("(integer) 1", r.call("BITCOUNT", "bits"));
            assertEquals("(integer) 1100000", r.call("STRLEN", "appended"));
            assertEquals("1", InfoFields.get(p, "sync_full"), "one sync: the link never broke");

            // The replica's own clients stay held to its limit (it is writable only to test this).
            r.call("CONFIG", "SET", "replica-read-only", "no");
            assertEquals("(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)",
                    r.call("SETRANGE", "range", "1500000", "y"));
            assertEquals("(error) ERR bit offset is not an integer or out of range",
                    r.call("SETBIT", "bits", "9000000", "1"));
        }
    }
}
