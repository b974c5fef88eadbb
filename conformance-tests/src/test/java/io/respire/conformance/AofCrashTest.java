package io.respire.conformance;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With appendfsync always no acknowledged write is lost: a writer appends numbers to a list and
 * records each acknowledged one while the Respire process is killed with SIGKILL at a random
 * moment; after each restart the list holds every acknowledged number, in order (and at most the
 * one write that was in flight when the process died).
 */
class AofCrashTest {
    private static final int ROUNDS = 3;

    @Test
    void noAcknowledgedWriteIsLostWhenTheProcessIsKilled() throws Exception {
        Path dir = Files.createTempDirectory("respire-aof-crash");
        SplittableRandom random = new SplittableRandom(11);
        long acknowledged = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Process server = null;
            try {
                int port = freePort();
                server = start(dir, port);
                RespConnection c = awaitConnection(port);
                assertListHolds(c, acknowledged);
                AtomicLong acked = new AtomicLong(acknowledged);
                Thread writer = new Thread(() -> writeUntilKilled(c, acked), "crash-writer");
                writer.start();
                Thread.sleep(200 + random.nextInt(400));
                server.destroyForcibly(); // SIGKILL: no shutdown, no last fsync
                assertTrue(server.waitFor(10, TimeUnit.SECONDS));
                writer.join(10_000);
                c.close();
                assertTrue(acked.get() > acknowledged, "the writer got acknowledgements in round " + round);
                acknowledged = acked.get();
            } finally {
                if (server != null) {
                    server.destroyForcibly();
                }
            }
        }
        int port = freePort();
        Process server = start(dir, port);
        try {
            assertListHolds(awaitConnection(port), acknowledged);
        } finally {
            server.destroyForcibly();
        }
    }

    private static void writeUntilKilled(RespConnection c, AtomicLong acked) {
        try {
            for (long next = acked.get(); ; next++) {
                RespReply r = c.call("RPUSH", "log", String.valueOf(next));
                if (r.isError()) {
                    return;
                }
                acked.set(next + 1);
            }
        } catch (UncheckedIOException e) {
            // the server died: what was acknowledged is counted
        }
    }

    /** The list starts with 0 .. acknowledged-1 and has at most one more (a write cut off unanswered). */
    private static void assertListHolds(RespConnection c, long acknowledged) {
        long length = Long.parseLong(c.call("LLEN", "log").text());
        assertTrue(length >= acknowledged && length <= acknowledged + 1,
                "acknowledged " + acknowledged + ", list length " + length);
        if (acknowledged > 0) {
            assertEquals(String.valueOf(acknowledged - 1), c.call("LINDEX", "log", String.valueOf(acknowledged - 1)).text());
            assertEquals("0", c.call("LINDEX", "log", "0").text());
        }
        if (length > acknowledged) {
            c.call("RPOP", "log"); // the unanswered write made it: the next writer starts after it again
        }
    }

    private static Process start(Path dir, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.respire.server.Main",
                "--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "",
                "--appendonly", "yes", "--appendfsync", "always", "--logfile", "respire.log"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    }

    private static RespConnection awaitConnection(int port) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            try {
                RespConnection c = new RespConnection("respire", port);
                if (c.call("PING").text().equals("PONG")) {
                    return c;
                }
                c.close();
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("respire did not start on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
