package io.respire.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The network edge over real sockets: bind and port changed at run time, protected mode seen from
 * a non-loopback address of this machine, tcp-keepalive on accepted sockets, and the query and
 * output buffer limits closing a client with Redis's log lines.
 */
class NetworkEdgeTest {
    @TempDir
    Path dir;

    private RespireServer start(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(new String[] {"--dir", dir.toString(), "--logfile", "server.log"}, 0, all, 0, 4);
        System.arraycopy(args, 0, all, 4, args.length);
        return RespireServer.start(all);
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8);
    }

    /** The first IPv4 address of this machine that is not loopback (what `hostname -I` shows first), or null. */
    static String nonLoopbackAddress() throws IOException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        return null;
    }

    @Test
    void configSetPortMovesTheListenerAndATakenPortIsRefusedKeepingTheOld() throws Exception {
        try (RespireServer server = start("--port", "0", "--bind", "127.0.0.1");
             RespTestClient c = new RespTestClient(server.port())) {
            int old = server.port();
            int next = RespTestClient.freePort();
            assertEquals("OK", c.call("CONFIG", "SET", "port", next));
            assertEquals(next, server.port());
            try (RespTestClient moved = new RespTestClient(next)) {
                assertEquals("PONG", moved.call("PING"));
                assertEquals(String.valueOf(next), InfoFields.get(moved, "tcp_port"));
            }
            assertThrows(ConnectException.class, () -> new RespTestClient(old).close(), "the old port is closed");
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                assertEquals("(error) ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on "
                        + "this port. Check server logs.", c.call("CONFIG", "SET", "port", taken.getLocalPort()));
            }
            assertEquals("[port, " + next + "]", c.call("CONFIG", "GET", "port"));
            try (RespTestClient still = new RespTestClient(next)) {
                assertEquals("PONG", still.call("PING"), "the previous port is listened on again");
            }
        }
    }

    @Test
    void configSetBindReopensTheSocketsAndAnInvalidAddressKeepsTheOld() throws Exception {
        try (RespireServer server = start("--port", "0", "--bind", "127.0.0.1");
             RespTestClient c = new RespTestClient(server.port())) {
            int port = server.port();
            assertEquals("(error) ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to "
                    + "specified addresses.", c.call("CONFIG", "SET", "bind", "999.999.999.999"));
            try (RespTestClient other = new RespTestClient(port)) {
                assertEquals("PONG", other.call("PING"));
            }
            assertEquals("OK", c.call("CONFIG", "SET", "bind", ""));
            assertThrows(ConnectException.class, () -> new RespTestClient(port).close(), "no TCP socket any more");
            assertEquals("PONG", c.call("PING"), "connected clients stay");
            assertEquals("OK", c.call("CONFIG", "SET", "bind", "127.0.0.1 -::1"));
            try (RespTestClient again = new RespTestClient(port)) {
                assertEquals("PONG", again.call("PING"), "the port chosen at start is kept");
            }
            assertTrue(log().contains("Failed to bind"), "changeBindAddr's line");
        }
    }

    @Test
    void theDefaultBindIsRedisCompiledInOne() throws Exception {
        try (RespireServer server = start("--port", "0");
             RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("[bind, * -::*]", c.call("CONFIG", "GET", "bind"));
        }
    }

    /**
     * Protected mode from a real non-loopback address of this machine (Redis's own networking test
     * does the same with `hostname -I`); skipped on a machine with loopback only.
     */
    @Test
    void protectedModeDeniesANonLoopbackPeerUntilAPasswordIsSet() throws Exception {
        String address = nonLoopbackAddress();
        Assumptions.assumeTrue(address != null, "this machine has no non-loopback IPv4 address to connect from");
        try (RespireServer server = start("--port", "0", "--bind", "*");
             RespTestClient local = new RespTestClient(server.port())) {
            try (RespTestClient remote = new RespTestClient(address, server.port())) {
                assertEquals(ConnectionHandler.PROTECTED_MODE, new String(remote.readRaw(), StandardCharsets.US_ASCII));
                assertTrue(remote.isClosedByServer());
            }
            assertEquals("OK", local.call("CONFIG", "SET", "requirepass", "secret"));
            try (RespTestClient remote = new RespTestClient(address, server.port())) {
                assertEquals("OK", remote.call("AUTH", "secret"));
                assertEquals("PONG", remote.call("PING"));
            }
            assertEquals("OK", local.call("CONFIG", "SET", "requirepass", ""));
            try (RespTestClient remote = new RespTestClient(address, server.port())) {
                assertTrue(remote.call("PING").startsWith("(error) DENIED Redis is running in protected mode"));
            }
            assertEquals("OK", local.call("CONFIG", "SET", "protected-mode", "no"));
            try (RespTestClient remote = new RespTestClient(address, server.port())) {
                assertEquals("PONG", remote.call("PING"));
            }
            assertEquals("2", InfoFields.get(local, "rejected_connections"));
        }
    }

    @Test
    void tcpKeepaliveIsSetOnEachAcceptedSocketAsAnetDoes() throws Exception {
        try (RespireServer server = start("--port", "0", "--bind", "127.0.0.1", "--tcp-keepalive", "90");
             RespTestClient c = new RespTestClient(server.port())) {
            Channel ch = onlyClient(server, c);
            assertTrue(ch.config().getOption(ChannelOption.SO_KEEPALIVE));
            if (ch instanceof EpollSocketChannel) {
                assertEquals(90, ch.config().getOption(EpollChannelOption.TCP_KEEPIDLE));
                assertEquals(30, ch.config().getOption(EpollChannelOption.TCP_KEEPINTVL));
                assertEquals(3, ch.config().getOption(EpollChannelOption.TCP_KEEPCNT));
            }
            assertEquals("OK", c.call("CONFIG", "SET", "tcp-keepalive", "0"));
            try (RespTestClient later = new RespTestClient(server.port())) {
                assertEquals("PONG", later.call("PING"));
                Channel other = server.context().clients().stream().map(Client::channel).filter(x -> x != ch)
                        .findFirst().orElseThrow();
                assertFalse(other.config().getOption(ChannelOption.SO_KEEPALIVE), "applies to later connections");
            }
        }
    }

    private static Channel onlyClient(RespireServer server, RespTestClient c) throws IOException {
        assertEquals("PONG", c.call("PING"));
        List<Client> clients = List.copyOf(server.context().clients());
        assertEquals(1, clients.size());
        return clients.get(0).channel();
    }

    @Test
    void aQueryBufferOverTheLimitClosesTheClientWithRedisLogLine() throws Exception {
        try (RespireServer server = start("--port", "0", "--bind", "127.0.0.1", "--client-query-buffer-limit", "1mb");
             RespTestClient c = new RespTestClient(server.port());
             RespTestClient other = new RespTestClient(server.port())) {
            c.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n".getBytes(StandardCharsets.US_ASCII));
            c.sendRaw(new byte[1_100_000]); // the argument is not complete yet, and already over the limit
            assertTrue(c.isClosedByServer());
            assertEquals("PONG", other.call("PING"));
            assertTrue(log().contains("Closing client that reached max query buffer length: id="), log());
            // As in Redis, the buffer then holds the argument being read: its header lines are consumed.
            assertTrue(log().contains("(qbuf initial bytes: \"" + "\\x00".repeat(64) + "\")"), log());
        }
    }

    @Test
    void aBulkOverProtoMaxBulkLenIsAProtocolError() throws Exception {
        try (RespireServer server = start("--port", "0", "--bind", "127.0.0.1");
             RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("CONFIG", "SET", "proto-max-bulk-len", "1mb"));
            c.sendRaw("*2\r\n$3\r\nGET\r\n$1048577\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("(error) ERR Protocol error: invalid bulk length", RespTestClient.render(c.readRaw()));
            assertTrue(c.isClosedByServer());
        }
    }

    /**
     * A pipeline whose replies pass the hard limit: the client is closed when its buffered replies
     * cross the limit, not after building all of them, and nothing of them is sent.
     */
    @Test
    void aPipelineOverTheOutputLimitIsCutOffWhileItRuns() throws Exception {
        try (RespireServer server = start("--port", "0", "--bind", "127.0.0.1",
                "--client-output-buffer-limit", "normal 200kb 0 0");
             RespTestClient a = new RespTestClient(server.port());
             RespTestClient b = new RespTestClient(server.port())) {
            assertEquals("OK", a.call("SET", "big", "x".repeat(10_000)));
            assertEquals("OK", a.call("CLIENT", "SETNAME", "writer"));
            StringBuilder pipeline = new StringBuilder("CLIENT SETNAME flooder\r\n");
            for (int i = 0; i < 200; i++) {
                pipeline.append("GET big\r\nINCR counter\r\n"); // 2 MB of replies in all
            }
            b.sendRaw(pipeline.toString().getBytes(StandardCharsets.US_ASCII));
            assertTrue(b.isClosedByServer());
            String counter = a.call("GET", "counter");
            int ran = Integer.parseInt(counter.replace("\"", ""));
            assertTrue(ran > 5 && ran < 40, "commands after the limit was crossed do not run: " + ran);
            assertTrue(log().contains("Client id=") && log().contains("name=flooder")
                    && log().contains("scheduled to be closed ASAP for overcoming of output buffer limits."), log());
        }
    }

    @Test
    void aHugeRandomReplyStopsOnceTheClientIsOverItsLimit() throws Exception {
        try (RespireServer server = start("--port", "0", "--bind", "127.0.0.1",
                "--client-output-buffer-limit", "normal 1mb 0 0");
             RespTestClient a = new RespTestClient(server.port());
             RespTestClient b = new RespTestClient(server.port())) {
            assertEquals("(integer) 1", a.call("HSET", "h", "a", "b"));
            assertEquals("(integer) 1", a.call("SADD", "s", "a"));
            assertEquals("(integer) 1", a.call("ZADD", "z", "1", "a"));
            for (String[] command : new String[][] {{"HRANDFIELD", "h", "-999999999"}, {"SRANDMEMBER", "s", "-999999999"},
                    {"ZRANDMEMBER", "z", "-999999999"}}) {
                try (RespTestClient c = new RespTestClient(server.port())) {
                    c.send((Object[]) command);
                    assertTrue(c.isClosedByServer(), command[0]);
                }
                // without the stop, the server would draw a billion elements before answering here
                assertEquals("PONG", b.call("PING"), command[0]);
            }
        }
    }

    /**
     * Back-pressure without any output limit (the normal class's default): a client that pipelines
     * requests for big replies and does not read them gets its requests held once about 32 MB of
     * replies wait, not all its replies buffered; once it reads, every reply arrives, in order.
     */
    @Test
    void repliesThatAreNotReadAreNotBufferedWithoutBound() throws Exception {
        try (RespireServer server = start("--port", "0", "--bind", "127.0.0.1");
             RespTestClient a = new RespTestClient(server.port());
             RespTestClient greedy = new RespTestClient(server.port())) {
            assertEquals("OK", a.call("SET", "big", "x".repeat(1 << 20)));
            byte[] request = "CLIENT SETNAME greedy\r\n".concat("GET big\r\n".repeat(200)).getBytes(StandardCharsets.US_ASCII);
            greedy.sendRaw(request); // 200 MB of replies asked, none read yet
            long worst = 0;
            for (int i = 0; i < 20; i++) {
                Thread.sleep(50);
                for (String line : a.call("CLIENT", "LIST").split("\n")) {
                    if (line.contains("name=greedy")) {
                        long omem = Long.parseLong(line.replaceAll(".* omem=([0-9]+) .*", "$1"));
                        long obl = Long.parseLong(line.replaceAll(".* obl=([0-9]+) .*", "$1"));
                        worst = Math.max(worst, omem + obl);
                    }
                }
            }
            assertTrue(worst < 40L << 20, "replies held in the server for a client that does not read: " + worst);
            assertEquals("+OK", greedy.readLine());
            for (int i = 0; i < 200; i++) {
                assertEquals("$" + (1 << 20), greedy.readLine(), "reply " + i);
                greedy.readBytes((1 << 20) + 2);
            }
            assertEquals("PONG", a.call("PING"));
        }
    }

    /**
     * A client that writes its whole pipeline before reading any reply, as Redis's suite and Jedis
     * pipelines do: 18 MB of requests, 10 MB of replies. Had the server stopped reading it when a
     * little of its replies waited, both would wait for each other for ever (the write blocks).
     */
    @Test
    void aPipelineWrittenWholeBeforeReadingAnyReplyCompletes() throws Exception {
        int count = 2_000_000;
        try (RespireServer server = start("--port", "0", "--bind", "127.0.0.1");
             RespTestClient pipeliner = new RespTestClient(server.port())) {
            byte[] request = "SET k v\r\n".repeat(count).getBytes(StandardCharsets.US_ASCII);
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> pipeliner.sendRaw(request),
                    "the server stopped reading a client that had not read its replies yet");
            for (int i = 0; i < count; i++) {
                assertEquals("+OK", pipeliner.readLine(), "reply " + i);
            }
        }
    }

    /**
     * Slow-loris: a client that sends a request one byte at a time. With {@code timeout} set it is
     * closed once no complete command came for that long (Respire counts commands as interaction,
     * where Redis counts any read, so a trickle does not keep the connection alive here). Between
     * two bytes it holds one connection (bounded by maxclients) and a query buffer of the bytes sent.
     */
    @Test
    void aClientTricklingOneRequestIsClosedByTheIdleTimeout() throws Exception {
        try (RespireServer server = start("--port", "0", "--bind", "127.0.0.1", "--timeout", "1");
             RespTestClient slow = new RespTestClient(server.port())) {
            byte[] request = RespTestClient.encode("SET", "k", "x".repeat(100));
            boolean closed = false;
            for (int i = 0; i < request.length - 1 && !closed; i++) {
                try {
                    slow.sendRaw(new byte[] {request[i]});
                    Thread.sleep(200);
                } catch (java.net.SocketException e) {
                    closed = true;
                }
            }
            assertTrue(closed || slow.isClosedByServer(), "the trickling client is closed");
            try (RespTestClient other = new RespTestClient(server.port())) {
                assertEquals("(nil)", other.call("GET", "k"));
            }
        }
    }

    /** Redis's clientsCronHandleTimeout: subscribers (RESP2 and RESP3) and blocked clients are not idle. */
    @Test
    void theIdleTimeoutSparesSubscribersAndBlockedClients() throws Exception {
        try (RespireServer server = start("--port", "0", "--bind", "127.0.0.1", "--timeout", "1");
             RespTestClient idle = new RespTestClient(server.port());
             RespTestClient subscriber = new RespTestClient(server.port());
             RespTestClient subscriber3 = new RespTestClient(server.port());
             RespTestClient blocked = new RespTestClient(server.port())) {
            assertEquals("PONG", idle.call("PING"));
            assertEquals("[subscribe, news, (integer) 1]", subscriber.call("SUBSCRIBE", "news"));
            subscriber3.call("HELLO", "3");
            assertEquals("[subscribe, news, (integer) 1]", subscriber3.call("SUBSCRIBE", "news"));
            blocked.send("BLPOP", "queue", "0");
            assertTrue(idle.isClosedByServer(), "the idle client is closed after a second or two");
            try (RespTestClient c = new RespTestClient(server.port())) {
                assertEquals("(integer) 1", c.call("RPUSH", "queue", "job"));
                assertEquals("(integer) 2", c.call("PUBLISH", "news", "hello"));
            }
            assertEquals("[queue, job]", RespTestClient.render(blocked.readRaw()));
            assertEquals("[message, news, hello]", RespTestClient.render(subscriber.readRaw()));
            assertEquals("[message, news, hello]", RespTestClient.render(subscriber3.readRaw()));
        }
    }
}
