package io.respire.server.persistence;

import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients while the dataset loads at start (Redis's processEventsWhileBlocked during loading): a
 * client that connects then is accepted and answered at once, INFO says loading:1, most commands
 * get LOADING, and CONFIG SET refuses the options Redis denies while loading (dir, appendonly,
 * repl-diskless-load) but sets the others.
 */
class LoadingClientsTest {
    @Test
    void aClientConnectingDuringTheLoadIsServed(@TempDir Path dir) throws Exception {
        int port = RespTestClient.freePort();
        CompletableFuture<RespireServer> starting = startLoadingSlowly(dir, 3000, port);
        RespireServer second = null;
        try (RespTestClient c = connect(port)) {
            assertTrue(c.call("INFO", "persistence").contains("loading:1\r\n"));
            assertEquals("(error) LOADING Redis is loading the dataset in memory", c.call("GET", "key:1"));
            assertEquals("(error) LOADING Redis is loading the dataset in memory",
                    c.call("CONFIG", "SET", "dir", dir.toString()));
            assertEquals("(error) LOADING Redis is loading the dataset in memory",
                    c.call("CONFIG", "SET", "no-such-option", "1", "appendonly", "yes"));
            assertEquals("OK", c.call("CONFIG", "SET", "loglevel", "debug"));
            second = starting.get();
            assertEquals("(integer) 3000", c.call("DBSIZE"));
        } finally {
            (second != null ? second : starting.get()).close();
        }
    }

    /**
     * Redis's "client freed during loading": a client that closes its connection or QUITs during
     * the load is freed then (connected_clients drops), not once the load is over.
     */
    @Test
    void aClientThatLeavesDuringTheLoadIsFreedThen(@TempDir Path dir) throws Exception {
        int port = RespTestClient.freePort();
        CompletableFuture<RespireServer> starting = startLoadingSlowly(dir, 5000, port);
        try (RespTestClient watcher = connect(port)) {
            RespTestClient closing = connect(port);
            RespTestClient quitting = connect(port);
            assertEquals("(error) LOADING Redis is loading the dataset in memory", closing.call("PING"));
            assertEquals("(error) LOADING Redis is loading the dataset in memory", quitting.call("PING"));
            assertTrue(watcher.call("INFO", "clients").contains("connected_clients:3\r\n"));
            closing.close();
            assertEquals("OK", quitting.call("QUIT"));
            quitting.close();
            String info = watcher.call("INFO", "clients", "persistence");
            for (long deadline = System.nanoTime() + 3_000_000_000L;
                    !info.contains("connected_clients:1\r\n") && System.nanoTime() < deadline; ) {
                Thread.sleep(20);
                info = watcher.call("INFO", "clients", "persistence");
            }
            assertTrue(info.contains("connected_clients:1\r\n"), info);
            assertTrue(info.contains("loading:1\r\n"), "the load ended before the clients were freed");
        } finally {
            starting.get().close();
        }
    }

    /**
     * Saves {@code keys} keys in {@code dir}, then starts a server on {@code port} that loads them
     * at 1 ms per key (so for about {@code keys} ms), serving clients every 1 KB read.
     */
    private static CompletableFuture<RespireServer> startLoadingSlowly(Path dir, int keys, int port) throws Exception {
        try (RespireServer first = RespireServer.start("--port", "0", "--dir", dir.toString(), "--enable-debug-command", "yes");
             RespTestClient c = new RespTestClient(first.port())) {
            c.call("DEBUG", "POPULATE", String.valueOf(keys), "key", "100");
            assertEquals("OK", c.call("SAVE"));
        }
        return CompletableFuture.supplyAsync(() -> RespireServer.start(
                "--port", String.valueOf(port), "--dir", dir.toString(), "--key-load-delay", "1000",
                "--loading-process-events-interval-bytes", "1024"));
    }

    /** Connects as soon as the server listens (before its load is over). */
    private static RespTestClient connect(int port) throws Exception {
        for (int i = 0; ; i++) {
            try {
                return new RespTestClient(port);
            } catch (ConnectException notYet) {
                if (i == 1000) {
                    throw notYet;
                }
                Thread.sleep(10);
            }
        }
    }
}
