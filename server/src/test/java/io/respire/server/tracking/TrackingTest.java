package io.respire.server.tracking;

import io.respire.server.EmbeddedServerTest;
import io.respire.server.InfoFields;
import io.respire.server.RespTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client-side caching end to end, in RESP3: what the tracking table holds (INFO's tracking
 * fields), its limit (tracking-table-max-keys), CLIENT LIST's flags and redir, a redirection that
 * goes away, and tracking ending with RESET. The comparison with Redis in every mode is
 * TrackingDifferentialTest in conformance-tests.
 */
class TrackingTest extends EmbeddedServerTest {
    private RespTestClient writer;

    @BeforeEach
    void resp3() throws Exception {
        c.call("HELLO", "3");
        writer = new RespTestClient(server.port());
    }

    @AfterEach
    void closeWriter() throws Exception {
        writer.close();
        c.call("CONFIG", "SET", "tracking-table-max-keys", "1000000");
    }

    private String next() throws Exception {
        return RespTestClient.render(c.readRaw());
    }

    @Test
    void theTableCountsKeysAndItemsAndForgetsInvalidatedKeys() throws Exception {
        c.call("CLIENT", "TRACKING", "ON");
        c.call("MGET", "a", "b", "c");
        assertEquals(1, InfoFields.number(writer, "tracking_clients"));
        assertEquals(3, InfoFields.number(writer, "tracking_total_keys"));
        assertEquals(3, InfoFields.number(writer, "tracking_total_items"));
        writer.call("SET", "a", "1");
        assertEquals("[invalidate, [a]]", next());
        assertEquals(2, InfoFields.number(writer, "tracking_total_keys"));
        c.call("CLIENT", "TRACKING", "OFF");
        assertEquals(0, InfoFields.number(writer, "tracking_clients"));
    }

    @Test
    void overTheLimitKeysAreForgottenAndTheirClientsTold() throws Exception {
        c.call("CLIENT", "TRACKING", "ON");
        c.call("MGET", "k1", "k2", "k3", "k4");
        writer.call("CONFIG", "SET", "tracking-table-max-keys", "2");
        writer.call("PING"); // the next command trims the table first
        assertEquals("[invalidate, [k1]]", next().replaceAll("k[1-4]", "k1"));
        assertEquals("[invalidate, [k1]]", next().replaceAll("k[1-4]", "k1"));
        assertEquals(2, InfoFields.number(writer, "tracking_total_keys"));
    }

    @Test
    void clientListFlagsAndBrokenRedirection() throws Exception {
        RespTestClient target = new RespTestClient(server.port());
        long targetId = Long.parseLong(target.call("CLIENT", "ID").replace("(integer) ", ""));
        c.call("CLIENT", "TRACKING", "ON", "REDIRECT", targetId);
        String me = c.call("CLIENT", "INFO");
        assertTrue(me.contains(" flags=t ") && me.contains(" redir=" + targetId + " "), me);
        c.call("GET", "x");
        target.close();
        ClientWait.until(() -> InfoFields.number(writer, "connected_clients") == 2);
        writer.call("SET", "x", "1");
        assertEquals("[tracking-redir-broken, (integer) " + targetId + "]", next());
        String broken = c.call("CLIENT", "INFO");
        assertTrue(broken.contains(" flags=tR "), broken);
        assertEquals("RESET", c.call("RESET"));
        assertTrue(c.call("CLIENT", "INFO").contains(" flags=N "));
        c.call("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "p:");
        assertTrue(c.call("CLIENT", "INFO").contains(" flags=tB "));
        assertEquals(1, InfoFields.number(writer, "tracking_total_prefixes"));
    }

    /** Polls a condition (another connection's disconnection takes a moment to be seen). */
    private static final class ClientWait {
        interface Check {
            boolean done() throws Exception;
        }

        static void until(Check check) throws Exception {
            long deadline = System.currentTimeMillis() + 5000;
            while (!check.done()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("timed out");
                }
                Thread.sleep(5);
            }
        }
    }
}
