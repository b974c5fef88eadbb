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
        try (RespTestClient admin = new RespTestClient(server.port())) {
            admin.call("CONFIG", "SET", "maxmemory-clients", "0", "maxmemory", "0");
        }
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
}
