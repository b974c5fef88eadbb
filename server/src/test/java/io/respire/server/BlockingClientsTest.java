package io.respire.server;

import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;

/**
 * Base of the end-to-end tests of blocking commands: extra connections that block while the
 * test's own connection {@link #c} writes, closed after each test, which must end with no client
 * blocked.
 */
public abstract class BlockingClientsTest extends EmbeddedServerTest {
    private final List<RespTestClient> others = new ArrayList<>();

    @AfterEach
    void disconnectOthers() throws Exception {
        for (RespTestClient o : others) {
            o.close();
        }
        waitForBlocked(0);
    }

    /** Another connection, closed after the test. */
    protected RespTestClient client() throws Exception {
        RespTestClient o = new RespTestClient(server.port());
        others.add(o);
        return o;
    }

    protected long blockedClients() throws Exception {
        return InfoFields.number(c, "blocked_clients");
    }

    protected void waitForBlocked(long n) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        while (blockedClients() != n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("blocked_clients never reached " + n + ": " + blockedClients());
            }
            Thread.sleep(2);
        }
    }

    /** Sends a blocking command on a new connection and waits until the server has blocked it. */
    protected RespTestClient blockOn(Object... command) throws Exception {
        long before = blockedClients();
        RespTestClient o = client();
        o.send(command);
        waitForBlocked(before + 1);
        return o;
    }

    /** The next reply on {@code o}, rendered. */
    protected static String read(RespTestClient o) throws Exception {
        return RespTestClient.render(o.readRaw());
    }
}
