package io.respire.server.commands;

import io.respire.server.InfoFields;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pub/sub end to end: what the registry keeps across connections (cleanup on disconnect and
 * RESET), CLIENT LIST fields, CLIENT KILL TYPE PUBSUB, INFO counts and the idle timeout that
 * spares subscribers. Replies as Redis 7.0.15's pubsub.c writes them; the byte-for-byte
 * comparison with Redis is PubSubDifferentialTest in conformance-tests.
 */
class PubSubCommandsTest {
    private static RespireServer server;

    @BeforeAll
    static void startServer() {
        server = RespireServer.start("--port", "0", "--bind", "127.0.0.1");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Waits until {@code command} answers {@code expected} (a change another connection makes). */
    private static void awaitReply(RespTestClient c, String expected, Object... command) throws InterruptedException {
        ClientCommandsTest.waitFor(expected, () -> {
            try {
                return c.call(command).equals(expected);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    /** A connection subscribed to {@code channel} that never reads: the kernel holds little for it. */
    private static java.net.Socket slowSubscriber(int port, String channel) throws IOException {
        java.net.Socket slow = new java.net.Socket();
        slow.setReceiveBufferSize(4096);
        slow.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        slow.getOutputStream().write(RespTestClient.encode("SUBSCRIBE", channel));
        slow.getOutputStream().flush();
        return slow;
    }

    private static String next(RespTestClient c) throws IOException {
        return RespTestClient.render(c.readRaw());
    }

    private static String subscribe(RespTestClient c, Object... command) throws IOException {
        c.send(command);
        StringBuilder all = new StringBuilder();
        for (int i = 1; i < command.length; i++) {
            all.append(next(c));
        }
        return all.toString();
    }

    @Test
    void confirmationsCountChannelsAndPatternsTogetherAndShardsApart() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("[subscribe, a, (integer) 1][subscribe, b, (integer) 2][subscribe, a, (integer) 2]", subscribe(c, "SUBSCRIBE", "a", "b", "a"));
            assertEquals("[psubscribe, p*, (integer) 3]", subscribe(c, "PSUBSCRIBE", "p*"));
            assertEquals("[ssubscribe, s, (integer) 1]", subscribe(c, "SSUBSCRIBE", "s"));
            assertEquals("[unsubscribe, a, (integer) 2][unsubscribe, zz, (integer) 2]", subscribe(c, "UNSUBSCRIBE", "a", "zz"));
            assertEquals("[pong, ]", c.call("PING"));
            assertEquals("(error) ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                    + " are allowed in this context", c.call("GET", "k"));
            c.send("PUNSUBSCRIBE");
            assertEquals("[punsubscribe, p*, (integer) 1]", next(c));
            c.send("PUNSUBSCRIBE");
            assertEquals("[punsubscribe, (nil), (integer) 1]", next(c));
        }
    }

    @Test
    void disconnectAndResetForgetSubscriptions() throws Exception {
        try (RespTestClient probe = new RespTestClient(server.port())) {
            try (RespTestClient c = new RespTestClient(server.port())) {
                subscribe(c, "SUBSCRIBE", "gone1", "gone2");
                subscribe(c, "PSUBSCRIBE", "gone*");
                assertEquals("[gone1, (integer) 1]", probe.call("PUBSUB", "NUMSUB", "gone1"));
                assertEquals("RESET", c.call("RESET"));
                assertEquals("[gone1, (integer) 0]", probe.call("PUBSUB", "NUMSUB", "gone1"));
                assertEquals("(integer) 0", probe.call("PUBLISH", "gone1", "x"));
                assertEquals("(nil)", c.call("GET", "k")); // out of subscribed mode
                subscribe(c, "SUBSCRIBE", "gone1");
                subscribe(c, "SSUBSCRIBE", "gone3");
            }
            ClientCommandsTest.waitFor("the subscriber's disconnection", () -> {
                try {
                    return probe.call("PUBSUB", "NUMSUB", "gone1").equals("[gone1, (integer) 0]")
                            && probe.call("PUBSUB", "SHARDNUMSUB", "gone3").equals("[gone3, (integer) 0]");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals("(integer) 0", probe.call("PUBSUB", "NUMPAT"));
        }
    }

    @Test
    void clientListShowsSubscriptionsAndKillTypePubsubClosesSubscribers() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port());
             RespTestClient admin = new RespTestClient(server.port())) {
            subscribe(c, "SUBSCRIBE", "l1", "l2");
            subscribe(c, "PSUBSCRIBE", "l*");
            subscribe(c, "SSUBSCRIBE", "s1");
            String list = admin.call("CLIENT", "LIST", "TYPE", "pubsub");
            assertTrue(list.contains(" flags=P ") && list.contains(" sub=2 psub=1 ssub=1 "), list);
            assertFalse(admin.call("CLIENT", "LIST", "TYPE", "normal").contains("flags=P"));
            assertTrue(InfoFields.number(admin, "pubsub_channels") >= 2);
            assertTrue(InfoFields.number(admin, "pubsub_patterns") >= 1);
            assertTrue(InfoFields.number(admin, "pubsubshard_channels") >= 1);
            assertEquals("(integer) 1", admin.call("CLIENT", "KILL", "TYPE", "pubsub"));
            assertTrue(c.isClosedByServer());
            assertEquals("(integer) 0", admin.call("PUBLISH", "l1", "x"));
        }
    }

    @Test
    void idleTimeoutSparesSubscribers() throws Exception {
        try (RespireServer timed = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--timeout", "1");
             RespTestClient subscriber = new RespTestClient(timed.port());
             RespTestClient idle = new RespTestClient(timed.port())) {
            subscribe(subscriber, "SUBSCRIBE", "t");
            idle.call("PING");
            ClientCommandsTest.waitFor("the idle client's timeout", () -> {
                try {
                    return idle.isClosedByServer();
                } catch (IOException e) {
                    return true;
                }
            });
            try (RespTestClient publisher = new RespTestClient(timed.port())) {
                assertEquals("(integer) 1", publisher.call("PUBLISH", "t", "still here"));
            }
            assertEquals("[message, t, still here]", next(subscriber));
        }
    }

    @Test
    void resp3MessagesArePushesAndCommandsStillRun() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            c.call("HELLO", "3");
            c.send("SUBSCRIBE", "r3");
            byte[] confirmation = c.readRaw();
            assertEquals('>', confirmation[0]);
            assertEquals("PONG", c.call("PING"));
            c.send("PUBLISH", "r3", "self");
            assertEquals(">3\r\n$7\r\nmessage\r\n$2\r\nr3\r\n$4\r\nself\r\n", new String(c.readRaw()));
            assertEquals("(integer) 1", next(c));
        }
    }

    @Test
    void slowSubscriberIsDisconnectedAtThePubsubHardLimitAndOthersCarryOn() throws Exception {
        java.nio.file.Path log = java.nio.file.Files.createTempFile("respire-slow-subscriber", ".log");
        try (RespireServer limited = RespireServer.start("--port", "0", "--bind", "127.0.0.1",
                "--client-output-buffer-limit", "pubsub 1mb 0 0", "--logfile", log.toString());
             java.net.Socket slow = slowSubscriber(limited.port(), "firehose");
             RespTestClient reader = new RespTestClient(limited.port());
             RespTestClient publisher = new RespTestClient(limited.port())) {
            subscribe(reader, "SUBSCRIBE", "firehose");
            awaitReply(publisher, "[firehose, (integer) 2]", "PUBSUB", "NUMSUB", "firehose");
            long memoryBefore = io.respire.server.InfoFields.number(publisher, "used_memory");
            byte[] message = new byte[64 * 1024];
            int published = 0;
            // At most 64 MB in all: far beyond the limit plus what the kernel's buffers can hold.
            while (published < 1024 && publisher.call("PUBLISH", "firehose", message).equals("(integer) 2")) {
                published++;
                assertEquals(message.length + 41, reader.readRaw().length); // the reading subscriber keeps up
            }
            assertTrue(published < 1024, "the subscriber that does not read was never disconnected");
            assertEquals(message.length + 41, reader.readRaw().length); // the publish that reached one only
            assertEquals("[firehose, (integer) 1]", publisher.call("PUBSUB", "NUMSUB", "firehose"));
            assertEquals("(integer) 1", publisher.call("PUBLISH", "firehose", "small"));
            assertEquals("[message, firehose, small]", next(reader));
            // The cut-off subscriber's buffers are gone from the server's memory (not just capped).
            long memoryAfter = io.respire.server.InfoFields.number(publisher, "used_memory");
            assertTrue(memoryAfter < memoryBefore + (512 << 10), "used_memory " + memoryBefore + " -> " + memoryAfter);
            String logged = java.nio.file.Files.readString(log);
            assertTrue(logged.matches("(?s).*Client id=\\d+ addr=.* flags=P .*sub=1 .* scheduled to be closed ASAP "
                    + "for overcoming of output buffer limits\\..*"), logged);
        } finally {
            java.nio.file.Files.deleteIfExists(log);
        }
    }

    @Test
    void subscriberOverItsLimitWithinOneScriptIsCutOffThere() throws Exception {
        try (RespireServer limited = RespireServer.start("--port", "0", "--bind", "127.0.0.1",
                "--client-output-buffer-limit", "pubsub 1mb 0 0");
             java.net.Socket slow = slowSubscriber(limited.port(), "loop");
             RespTestClient publisher = new RespTestClient(limited.port())) {
            awaitReply(publisher, "[loop, (integer) 1]", "PUBSUB", "NUMSUB", "loop");
            // 256 MB in one task: without the check on every push it would all be buffered first.
            assertEquals("(integer) 4096", publisher.call("EVAL",
                    "local n = 0 for i = 1, 4096 do n = n + redis.call('publish', 'loop', ARGV[1]) end return n",
                    "0", new String(new byte[64 * 1024])));
            awaitReply(publisher, "[loop, (integer) 0]", "PUBSUB", "NUMSUB", "loop");
        }
    }
}
