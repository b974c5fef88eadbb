package io.respire.conformance;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a crash costs: a writer appends numbers to a list and records when each one was
 * acknowledged while the Respire process is killed with SIGKILL at a random moment, over several
 * rounds; after each restart the list holds 0, 1, 2... in order with no hole, at most one number
 * more than was acknowledged (a write cut off before its reply), and every number acknowledged
 * earlier than the policy's window before the kill: with appendfsync always none may be missing,
 * with everysec those of the last two seconds may be (Redis's promise: an fsync late by up to two
 * seconds).
 */
class AofCrashTest {
    @Test
    void noAcknowledgedWriteIsLostWhenTheProcessIsKilled() throws Exception {
        crashRounds("always", 0, 3, 200, 400);
    }

    @Test
    void withEverysecOnlyTheLastTwoSecondsMayBeLost() throws Exception {
        crashRounds("everysec", 2_000, 4, 2_500, 1_500);
    }

    /**
     * {@code rounds} rounds of writing for {@code minRunMs} plus up to {@code randomRunMs} before
     * the kill; acknowledgements older than {@code mayLoseMs} at the kill must survive it.
     */
    private static void crashRounds(String fsync, long mayLoseMs, int rounds, int minRunMs, int randomRunMs) throws Exception {
        Path dir = Files.createTempDirectory("respire-aof-crash-" + fsync);
        SplittableRandom random = new SplittableRandom(11);
        long mustHave = 0;
        long acknowledged = 0;
        for (int round = 0; round <= rounds; round++) {
            Process server = null;
            try {
                int port = RedisServerProcess.freePort();
                server = start(dir, port, fsync);
                RespConnection c = RespConnection.awaitServer("respire", port, server, 30_000);
                long present = assertListHolds(c, mustHave, acknowledged, "after round " + round + " (" + fsync + ")");
                if (round == rounds) {
                    return;
                }
                Writer writer = new Writer(c, present);
                Thread thread = new Thread(writer, "crash-writer");
                thread.start();
                // The kill comes at a random moment once writes flow (a loaded machine may take a while to start).
                assertTrue(writer.firstAck.await(60, TimeUnit.SECONDS), "no write acknowledged in round " + round);
                Thread.sleep(minRunMs + random.nextInt(randomRunMs));
                long killedAt = System.nanoTime();
                server.destroyForcibly(); // SIGKILL: no shutdown, no last fsync
                assertTrue(server.waitFor(10, TimeUnit.SECONDS));
                thread.join(10_000);
                c.close();
                acknowledged = writer.acknowledged();
                assertTrue(acknowledged > present, "the writer got acknowledgements in round " + round);
                mustHave = writer.acknowledgedBefore(killedAt - TimeUnit.MILLISECONDS.toNanos(mayLoseMs));
            } finally {
                if (server != null) {
                    server.destroyForcibly();
                }
            }
        }
    }

    /** Appends next, next+1... until the connection dies, noting when each reply came. */
    private static final class Writer implements Runnable {
        private final RespConnection c;
        private final long first;
        private final List<Long> ackedAt = new ArrayList<>();
        final CountDownLatch firstAck = new CountDownLatch(1);

        Writer(RespConnection c, long first) {
            this.c = c;
            this.first = first;
        }

        @Override
        public void run() {
            try {
                for (long next = first; ; next++) {
                    RespReply r = c.call("RPUSH", "log", String.valueOf(next));
                    if (r.isError()) {
                        return;
                    }
                    long now = System.nanoTime();
                    synchronized (ackedAt) {
                        ackedAt.add(now);
                    }
                    firstAck.countDown();
                }
            } catch (UncheckedIOException e) {
                // the server died: what was acknowledged is counted
            }
        }

        /** One more than the last number acknowledged (the list's length it implies). */
        long acknowledged() {
            synchronized (ackedAt) {
                return first + ackedAt.size();
            }
        }

        /** The length the list had once every number acknowledged before {@code nanoTime} was in. */
        long acknowledgedBefore(long nanoTime) {
            synchronized (ackedAt) {
                int n = 0;
                while (n < ackedAt.size() && ackedAt.get(n) <= nanoTime) {
                    n++;
                }
                return first + n;
            }
        }
    }

    /**
     * The list is exactly 0 .. length-1 with mustHave <= length <= acknowledged + 1 (one write may
     * have been cut off unanswered). Returns the length.
     */
    private static long assertListHolds(RespConnection c, long mustHave, long acknowledged, String when) {
        long length = Long.parseLong(c.call("LLEN", "log").text());
        assertTrue(length >= mustHave && length <= acknowledged + 1,
                when + ": acknowledged " + acknowledged + " of which " + mustHave + " must survive, list length " + length);
        for (long from = 0; from < length; from += 10_000) {
            List<RespReply> chunk = c.call("LRANGE", "log", String.valueOf(from), String.valueOf(from + 9_999)).children;
            for (int i = 0; i < chunk.size(); i++) {
                assertEquals(String.valueOf(from + i), chunk.get(i).text(), when + ": element " + (from + i));
            }
        }
        return length;
    }

    private static Process start(Path dir, int port, String fsync) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.respire.server.Main",
                "--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "",
                "--appendonly", "yes", "--appendfsync", fsync, "--logfile", "respire.log"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    }
}
