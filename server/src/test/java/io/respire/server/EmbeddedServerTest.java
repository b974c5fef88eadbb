package io.respire.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the end-to-end command tests: one embedded server per test class, and per test a fresh
 * connection {@link #c} to an emptied keyspace. DEBUG is enabled (tests use DEBUG SLEEP, OBJECT...).
 */
public abstract class EmbeddedServerTest {
    protected static RespireServer server;
    protected RespTestClient c;

    @BeforeAll
    static void startServer() {
        server = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--enable-debug-command", "yes");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void connect() throws Exception {
        c = new RespTestClient(server.port());
        c.call("FLUSHALL");
    }

    @AfterEach
    void disconnect() throws Exception {
        c.close();
    }

    /** Sends a command written as one line of space-separated words; returns the rendered reply. */
    protected String call(String line) throws Exception {
        return c.call((Object[]) line.split(" "));
    }
}
