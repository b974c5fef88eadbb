package io.respire.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.respire.server.command.CommandTable;
import io.respire.server.commands.CommandFamilies;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection admission (maxclients, protected mode), idle timeout, QUIT, and authentication flows,
 * with Redis 7.0.15's replies.
 */
class ConnectionHandlerTest {
    private static final SocketAddress REMOTE = new InetSocketAddress("10.1.2.3", 50000);

    private static ServerContext context(String... args) {
        CommandTable table = CommandTable.load();
        CommandFamilies.registerAll(table);
        ServerContext server = new ServerContext(ConfigLoader.fromArgs(args), table);
        server.executor(ImmediateEventExecutor.INSTANCE);
        return server;
    }

    @Test
    void protectedModeRefusesOnlyRemotePeersWithoutPassword() {
        assertEquals(ConnectionHandler.PROTECTED_MODE, ConnectionHandler.refusal(context(), REMOTE));
        assertNull(ConnectionHandler.refusal(context(), new InetSocketAddress("127.0.0.1", 50000)));
        assertNull(ConnectionHandler.refusal(context(), new InetSocketAddress("::1", 50000)));
        assertNull(ConnectionHandler.refusal(context("--protected-mode", "no"), REMOTE));
        assertNull(ConnectionHandler.refusal(context("--requirepass", "secret"), REMOTE));
        ServerContext withPassword = context();
        withPassword.acl().setUser("default", java.util.List.of(">pw"));
        assertNull(ConnectionHandler.refusal(withPassword, REMOTE), "a password given by ACL SETUSER counts too");
        withPassword.acl().setUser("default", java.util.List.of("nopass"));
        assertEquals(ConnectionHandler.PROTECTED_MODE, ConnectionHandler.refusal(withPassword, REMOTE));
        assertTrue(ConnectionHandler.PROTECTED_MODE.startsWith("-DENIED Redis is running in protected mode because "
                + "protected mode is enabled and no password is set for the default user."));
    }

    @Test
    void protectedModeWritesDeniedAndCloses() {
        ServerContext server = context();
        EmbeddedChannel channel = new EmbeddedChannel(new ConnectionHandler(server, new CommandDispatcher(server))) {
            @Override
            protected SocketAddress remoteAddress0() {
                return REMOTE;
            }
        };
        channel.runPendingTasks();
        ByteBuf out = channel.readOutbound();
        assertEquals(ConnectionHandler.PROTECTED_MODE, out.toString(StandardCharsets.US_ASCII));
        out.release();
        assertFalse(channel.isOpen());
        assertEquals(0, server.clients().size());
        assertEquals(1, server.stats().rejectedConnections);
        assertEquals(0, server.stats().totalConnectionsReceived);
    }

    /**
     * A command that fails with an Error other than running out of stack or heap, here a class
     * that cannot be loaded (as when the jar is rebuilt under a running server), costs an error
     * reply and a log line: it used to close the connection without either, so that SHUTDOWN
     * seemed to do nothing.
     */
    @Test
    void aClassThatCannotBeLoadedCostsAnErrorReplyNotTheConnection() {
        ServerContext server = context();
        server.commands().register("lolwut", c -> {
            throw new NoClassDefFoundError("io/respire/server/Missing");
        });
        EmbeddedChannel channel = new EmbeddedChannel(
                new io.respire.protocol.RespDecoder(server.decoderLimits(), () -> false),
                new ConnectionHandler(server, new CommandDispatcher(server))) {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("127.0.0.1", 50000); // a local client: protected mode lets it in
            }
        };
        channel.runPendingTasks();
        channel.writeInbound(io.netty.buffer.Unpooled.copiedBuffer("*1\r\n$6\r\nLOLWUT\r\n*1\r\n$4\r\nPING\r\n",
                StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        StringBuilder replies = new StringBuilder();
        for (ByteBuf out; (out = channel.readOutbound()) != null; out.release()) {
            replies.append(out.toString(StandardCharsets.US_ASCII));
        }
        assertEquals("-ERR internal error running 'lolwut': NoClassDefFoundError\r\n+PONG\r\n", replies.toString());
        assertTrue(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    /**
     * Replies read and run on the event loop leave at the end of its turn, after every socket it
     * read, as Redis writes them in beforeSleep: flushed at each socket's end of read, every
     * batch of replies woke the client once more (SET -P 16: 1.50 us of redis-benchmark's CPU per
     * request against 1.28 with Redis; 1.29 when sent at the turn's end).
     */
    @Test
    void repliesLeaveAtTheEndOfTheEventLoopsTurn() {
        CommandTable table = CommandTable.load();
        CommandFamilies.registerAll(table);
        ServerContext server = new ServerContext(ConfigLoader.fromArgs(), table);
        EmbeddedChannel channel = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("127.0.0.1", 50000);
            }
        };
        server.executor(channel.eventLoop()); // commands run on the loop that reads: "inline"
        channel.pipeline().addLast(new io.respire.protocol.RespDecoder(server.decoderLimits(), () -> false),
                new ConnectionHandler(server, new CommandDispatcher(server)));
        channel.pipeline().fireChannelActive(); // for the handlers added to the open channel
        channel.runPendingTasks();
        channel.config().setAutoRead(false); // else the embedded channel's read() runs the tasks at once
        channel.pipeline().fireChannelRead(io.netty.buffer.Unpooled.copiedBuffer("*1\r\n$4\r\nPING\r\n",
                StandardCharsets.US_ASCII));
        channel.pipeline().fireChannelReadComplete();
        assertNull(channel.readOutbound(), "nothing is written while the turn reads sockets");
        channel.runPendingTasks(); // the turn's tasks, after its reads
        ByteBuf out = channel.readOutbound();
        assertEquals("+PONG\r\n", out.toString(StandardCharsets.US_ASCII));
        out.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void maxclientsRefusesTheConnectionOverTheLimit() throws Exception {
        try (RespireServer server = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--maxclients", "1");
             RespTestClient first = new RespTestClient(server.port())) {
            assertEquals("PONG", first.call("PING"));
            try (RespTestClient second = new RespTestClient(server.port())) {
                assertEquals("-ERR max number of clients reached\r\n", new String(second.readRaw(), StandardCharsets.US_ASCII));
                assertTrue(second.isClosedByServer());
            }
            assertEquals("1", InfoFields.get(first, "rejected_connections"));
            assertEquals("1", InfoFields.get(first, "connected_clients"));
        }
    }

    /**
     * INFO's byte counters count what crossed the socket, as Redis's do: a read before its requests
     * run (so INFO counts its own request, not its reply), a request split over two reads once.
     */
    @Test
    void netInputAndOutputBytesCountTheSocketsTraffic() throws Exception {
        try (RespireServer server = RespireServer.start("--port", "0", "--bind", "127.0.0.1");
             RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("CONFIG", "RESETSTAT"));
            assertEquals("OK", c.call("SET", "a", "b"));
            byte[] get = RespTestClient.encode("GET", "a");
            c.sendRaw(java.util.Arrays.copyOf(get, 5));
            Thread.sleep(50);
            c.sendRaw(java.util.Arrays.copyOfRange(get, 5, get.length));
            assertEquals("$1\r\nb\r\n", new String(c.readRaw(), StandardCharsets.US_ASCII));
            java.util.Map<String, String> stats = InfoFields.of(c, "stats");
            long in = RespTestClient.encode("SET", "a", "b").length + get.length + RespTestClient.encode("INFO", "stats").length;
            assertEquals(String.valueOf(in), stats.get("total_net_input_bytes"));
            assertEquals(String.valueOf("+OK\r\n".length() * 2 + "$1\r\nb\r\n".length()), stats.get("total_net_output_bytes"),
                    "RESETSTAT's reply leaves after the reset, INFO's after the INFO");
            assertEquals("0", stats.get("total_net_repl_input_bytes"));
            assertEquals("0", stats.get("total_net_repl_output_bytes"));
        }
    }

    @Test
    void idleClientsAreClosedAfterTimeout() throws Exception {
        try (RespireServer server = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--timeout", "1");
             RespTestClient idle = new RespTestClient(server.port())) {
            assertEquals("PONG", idle.call("PING"));
            long start = System.currentTimeMillis();
            assertTrue(idle.isClosedByServer());
            long waited = System.currentTimeMillis() - start;
            assertTrue(waited >= 900 && waited < 4000, "closed after " + waited + " ms");
        }
    }

    @Test
    void outputBufferLimits() throws Exception {
        ServerContext server = context("--client-output-buffer-limit", "normal 1000 100 60");
        Client c = server.connect(null, Client.Connection.NONE);
        assertFalse(c.outputBufferLimitReached(99));
        assertFalse(c.outputBufferLimitReached(500)); // over the soft limit: only from now on
        assertFalse(c.outputBufferLimitReached(500)); // not yet for 60 seconds
        assertTrue(c.outputBufferLimitReached(1000)); // the hard limit is at once
        assertFalse(c.outputBufferLimitReached(0));
        assertFalse(context().connect(null, Client.Connection.NONE).outputBufferLimitReached(1L << 40)); // normal: none

        try (RespireServer s = RespireServer.start("--port", "0", "--bind", "127.0.0.1",
                "--client-output-buffer-limit", "normal 1mb 0 0");
             RespTestClient a = new RespTestClient(s.port());
             RespTestClient b = new RespTestClient(s.port())) {
            assertEquals("OK", a.call("SET", "big", "x".repeat(2 << 20)));
            assertEquals("(integer) 2097152", a.call("STRLEN", "big"));
            b.send("GET", "big");
            assertTrue(b.isClosedByServer()); // a reply over the hard limit closes the client
            assertEquals("PONG", a.call("PING"));
        }
    }

    @Test
    void quitRepliesThenClosesAndIgnoresPipelinedCommands() throws Exception {
        try (RespireServer server = RespireServer.start("--port", "0", "--bind", "127.0.0.1");
             RespTestClient c = new RespTestClient(server.port())) {
            c.sendRaw(concat(RespTestClient.encode("QUIT"), RespTestClient.encode("SET", "foo", "bar")));
            assertEquals("OK", RespTestClient.render(c.readRaw()));
            assertTrue(c.isClosedByServer());
            try (RespTestClient d = new RespTestClient(server.port())) {
                assertEquals("(nil)", d.call("GET", "foo"));
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void authenticationFlows() throws Exception {
        try (RespireServer server = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--requirepass", "pw");
             RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("(error) NOAUTH Authentication required.", c.call("GET", "k"));
            assertEquals("(error) NOAUTH Authentication required.", c.call("CLIENT", "ID"));
            assertEquals("(error) NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
                    + "protocol version at the same time", c.call("HELLO", "3"));
            assertEquals("(error) WRONGPASS invalid username-password pair or user is disabled.", c.call("AUTH", "bad"));
            assertEquals("(error) WRONGPASS invalid username-password pair or user is disabled.", c.call("AUTH", "bob", "pw"));
            assertEquals("(error) ERR syntax error", c.call("AUTH", "a", "b", "c"));
            assertEquals("OK", c.call("AUTH", "pw"));
            assertEquals("(nil)", c.call("GET", "k"));
            assertEquals("RESET", c.call("RESET"));
            assertEquals("(error) NOAUTH Authentication required.", c.call("GET", "k"));
            String hello = c.call("HELLO", "3", "AUTH", "default", "pw", "SETNAME", "me");
            assertTrue(hello.startsWith("[server, redis, version, 7.0.15, proto, (integer) 3, id, "), hello);
            assertEquals("me", c.call("CLIENT", "GETNAME"));
        }
        try (RespireServer server = RespireServer.start("--port", "0", "--bind", "127.0.0.1");
             RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("(error) ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?", c.call("AUTH", "x"));
            assertEquals("OK", c.call("AUTH", "default", "anything")); // nopass: any password
        }
    }

    @Test
    void connectionCommands() throws Exception {
        try (RespireServer server = RespireServer.start("--port", "0", "--bind", "127.0.0.1");
             RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("PONG", c.call("PING"));
            assertEquals("redis", c.call("PING", "redis"));
            assertEquals("(error) ERR wrong number of arguments for 'ping' command", c.call("PING", "a", "b"));
            assertEquals("x y", c.call("ECHO", "x y"));
            assertEquals("(error) ERR value is not an integer or out of range", c.call("SELECT", "abc"));
            assertEquals("(error) ERR DB index is out of range", c.call("SELECT", "16"));
            assertEquals("OK", c.call("SELECT", "15"));
            assertEquals("(error) ERR Protocol version is not an integer or out of range", c.call("HELLO", "x"));
            assertEquals("(error) NOPROTO unsupported protocol version", c.call("HELLO", "4"));
            assertEquals("(error) ERR Syntax error in HELLO option 'bogus'", c.call("HELLO", "3", "bogus"));
            // SETNAME takes effect as it is read, even though a later option fails.
            assertEquals("(error) ERR Syntax error in HELLO option 'bogus'", c.call("HELLO", "2", "SETNAME", "early", "bogus"));
            assertEquals("early", c.call("CLIENT", "GETNAME"));
            assertEquals("(error) ERR Client names cannot contain spaces, newlines or special characters.",
                    c.call("HELLO", "3", "SETNAME", "a b"));
            assertEquals("(integer) 2", c.call("CLIENT", "INFO").contains("resp=2") ? "(integer) 2" : "resp changed");
            String hello = c.call("HELLO");
            assertTrue(hello.matches("\\[server, redis, version, 7\\.0\\.15, proto, \\(integer\\) 2, id, \\(integer\\) \\d+, "
                    + "mode, standalone, role, master, modules, \\[]]"), hello);
            c.call("HELLO", "3");
            assertEquals("RESET", c.call("RESET"));
            assertTrue(c.call("CLIENT", "INFO").matches("(?s).* name= .* db=0 .*resp=2\n"));
        }
    }
}
