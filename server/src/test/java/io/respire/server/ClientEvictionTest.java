package io.respire.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * maxmemory-clients as Redis's unit/maxmemory uses it: clients whose buffers pass the limit
 * together are closed, the biggest first, and counted in evicted_clients; CLIENT NO-EVICT ON
 * spares a client; a percentage is of maxmemory; keys are not evicted for it.
 */
class ClientEvictionTest extends EmbeddedServerTest {
    @AfterEach
    void noLimit() throws Exception {
        // On the test's own connection, which said NO-EVICT: a new one could be evicted before its
        // CONFIG SET ran, while the no-evict clients are still over the limit (as in Redis).
        c.call("CONFIG", "SET", "maxmemory-clients", "0", "maxmemory", "0");
    }

    /** A client that asks for {@code count} replies of the 100 KB value "big" and reads none. */
    private RespTestClient greedy(String name, int count) throws Exception {
        RespTestClient greedy = new RespTestClient(server.port());
        greedy.sendRaw(("CLIENT SETNAME " + name + "\r\n" + "GET big\r\n".repeat(count)).getBytes(StandardCharsets.US_ASCII));
        return greedy;
    }

    private boolean connected(String name) throws Exception {
        return call("CLIENT LIST").contains("name=" + name + " ");
    }

    @Test
    void theBiggestClientsAreEvictedUntilUnderTheLimit() throws Exception {
        c.call("SET", "big", "x".repeat(100_000));
        call("CLIENT NO-EVICT on");
        call("CONFIG RESETSTAT");
        assertEquals("OK", call("CONFIG SET maxmemory-clients 1mb"));
        try (RespTestClient small = greedy("small", 1); RespTestClient big = greedy("big", 100)) {
            // Not "until big is gone": its CLIENT SETNAME may not have run yet.
            for (int i = 0; i < 500 && (InfoFields.number(c, "evicted_clients") == 0 || !connected("small")); i++) {
                Thread.sleep(10);
            }
            assertFalse(connected("big"), "10 MB of replies over a 1 MB limit");
            assertTrue(connected("small"), "100 KB: under the limit once the big one is gone");
            assertEquals(1, InfoFields.number(c, "evicted_clients"));
            assertEquals(0, InfoFields.number(c, "evicted_keys"));
            assertEquals("(integer) 1", call("DBSIZE"));
        }
    }

    @Test
    void noEvictSparesAClientAndAPercentageIsOfMaxmemory() throws Exception {
        c.call("SET", "big", "x".repeat(100_000));
        call("CLIENT NO-EVICT on"); // else this client goes: no-evict clients count towards the limit
        call("CONFIG RESETSTAT");
        assertEquals("OK", call("CONFIG SET maxmemory-clients 1%"));
        assertEquals("OK", call("CONFIG SET maxmemory 100mb")); // so the limit is 1 MB
        try (RespTestClient spared = new RespTestClient(server.port())) {
            spared.call("CLIENT", "NO-EVICT", "on");
            spared.sendRaw(("CLIENT SETNAME spared\r\n" + "GET big\r\n".repeat(100)).getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100 && InfoFields.number(c, "mem_clients_normal") < 2 << 20; i++) {
                Thread.sleep(10);
            }
            assertTrue(InfoFields.number(c, "mem_clients_normal") >= 2 << 20, "its replies pile up");
            assertTrue(connected("spared"));
            assertEquals(0, InfoFields.number(c, "evicted_clients"));
        }
    }
    /** Redis's processCommand: a request whose arguments alone pass the limit closes its client unrun. */
    @Test
    void aRequestWhoseArgumentsPassTheLimitEvictsItsClientWithoutRunning() throws Exception {
        call("CLIENT NO-EVICT on");
        call("CONFIG RESETSTAT");
        assertEquals("OK", call("CONFIG SET maxmemory-clients 128kb"));
        try (RespTestClient other = new RespTestClient(server.port())) {
            assertEquals("OK", other.call("MSET", "k", "v", "k2", "x".repeat(10_000)));
            try {
                other.send("MSET", "k", "w", "k2", "x".repeat(200_000));
            } catch (java.io.IOException closedWhileSending) {
                // evicted as soon as the room for the argument was made, as Redis does
            }
            assertTrue(closedAfterReplies(other));
        }
        assertEquals("v", call("GET k"), "the evicted request did not run");
        assertEquals(1, InfoFields.number(c, "evicted_clients"));
    }

    /** A transaction's queued commands are the client's memory (multi-mem) and count towards the limit. */
    @Test
    void queuedCommandsCountAndAreShownAsMultiMem() throws Exception {
        call("CLIENT NO-EVICT on");
        assertEquals("OK", call("CONFIG SET maxmemory-clients 1mb"));
        try (RespTestClient other = new RespTestClient(server.port())) {
            other.call("CLIENT", "SETNAME", "queuer");
            other.call("MULTI");
            assertEquals("QUEUED", other.call("SET", "k", "x".repeat(100_000)));
            long multiMem = field("queuer", "multi-mem");
            assertTrue(multiMem >= 100_000 && multiMem < 101_000, "multi-mem=" + multiMem);
            // Each one also holds its 100 KB query buffer: under 1 MB until about the ninth.
            for (int i = 1; i < 8; i++) {
                assertEquals("QUEUED", other.call("SET", "k", "x".repeat(100_000)), "command " + i);
            }
            try {
                for (int i = 0; i < 4; i++) {
                    other.send("SET", "k", "x".repeat(100_000));
                }
            } catch (java.io.IOException closedWhileSending) {
                // evicted
            }
            assertTrue(closedAfterReplies(other), "1.2 MB queued over a 1 MB limit");
        }
    }

    /** Watched keys and subscriptions grow a client's memory: enough of them get it evicted. */
    @Test
    void watchedKeysAndSubscriptionsCount() throws Exception {
        call("CLIENT NO-EVICT on");
        try (RespTestClient watcher = new RespTestClient(server.port())) {
            watcher.call("CLIENT", "SETNAME", "watcher");
            watcher.call("WATCH", "a", "b", "c");
            assertEquals(3L * Client.ENTRY_BYTES, field("watcher", "multi-mem"));
        }
        assertEquals("OK", call("CONFIG SET maxmemory-clients 128kb"));
        for (String command : new String[] {"WATCH", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE"}) {
            try (RespTestClient grower = new RespTestClient(server.port())) {
                StringBuilder requests = new StringBuilder();
                for (int j = 0; j < 10_000; j++) {
                    requests.append(command).append(' ').append(j).append("\r\n");
                }
                try {
                    grower.sendRaw(requests.toString().getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException closedWhileSending) {
                    // evicted before it read all of them
                }
                assertTrue(closedAfterReplies(grower), command + " 10,000 times stays under 128 KB");
            }
        }
    }

    /** CLIENT LIST shows another client's argument still arriving as its qbuf (Redis's query buffer). */
    @Test
    void anArgumentStillArrivingIsInQbuf() throws Exception {
        try (RespTestClient sender = new RespTestClient(server.port())) {
            sender.call("CLIENT", "SETNAME", "sender");
            sender.sendRaw(("*2\r\n$4\r\nECHO\r\n$100000\r\n" + "x".repeat(50_000)).getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 500 && field("sender", "qbuf") < 50_000; i++) {
                Thread.sleep(10);
            }
            assertEquals(50_000, field("sender", "qbuf"), "the unfinished argument");
            assertEquals(4, field("sender", "argv-mem"), "ECHO, read already (Redis's argv_len_sum)");
            assertEquals(50_002, field("sender", "qbuf-free"), "the room made for the rest of it");
            assertTrue(field("sender", "tot-mem") > 100_006);
        }
    }

    /**
     * A client's query buffer is client memory (INFO mem_clients_normal, so used_memory) from the
     * first read, and goes with the connection.
     */
    @Test
    void theQueryBufferIsClientMemoryUntilTheClientLeaves() throws Exception {
        long before = InfoFields.number(c, "mem_clients_normal");
        try (RespTestClient sender = new RespTestClient(server.port())) {
            sender.sendRaw(("*2\r\n$4\r\nECHO\r\n$300000\r\n" + "x".repeat(1000)).getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 200 && InfoFields.number(c, "mem_clients_normal") < before + 300_002; i++) {
                Thread.sleep(10);
            }
            long during = InfoFields.number(c, "mem_clients_normal");
            assertTrue(during >= before + 300_002 && during < before + 310_000, before + " -> " + during);
        }
        for (int i = 0; i < 200 && InfoFields.number(c, "mem_clients_normal") > before; i++) {
            Thread.sleep(10);
        }
        assertTrue(InfoFields.number(c, "mem_clients_normal") <= before, "released at disconnect");
    }

    /** Reads the replies the client got until the server closes it: true, or false if it stays open. */
    private static boolean closedAfterReplies(RespTestClient client) {
        try {
            while (true) {
                client.readRaw();
            }
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (java.io.IOException closed) {
            return true;
        }
    }

    /** A numeric field of the client named {@code name} in CLIENT LIST. */
    private long field(String name, String field) throws Exception {
        for (String line : call("CLIENT LIST").split("\n")) {
            if (line.contains(" name=" + name + " ")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(" " + field + "=(\\d+)").matcher(line);
                assertTrue(m.find(), line);
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no client " + name);
    }
}
