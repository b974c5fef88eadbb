package io.respire.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listening sockets: Redis's listenToPort and unix socket, with its log lines on failure. */
class ListenersTest {
    @TempDir
    Path dir;

    private List<String> log() throws IOException {
        return Files.readAllLines(dir.resolve("server.log"), StandardCharsets.UTF_8);
    }

    private RespireServer start(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(new String[] {"--dir", dir.toString(), "--logfile", "server.log"}, 0, all, 0, 4);
        System.arraycopy(args, 0, all, 4, args.length);
        return RespireServer.start(all);
    }

    @Test
    void aTakenPortIsLoggedAsRedisDoesAndStopsTheStart() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            StartupException e = assertThrows(StartupException.class,
                    () -> start("--port", Integer.toString(port), "--bind", "127.0.0.1"));
            List<String> log = log();
            assertEquals(2, log.size(), log.toString());
            assertTrue(log.get(0).endsWith(" # Warning: Could not create server TCP listening socket 127.0.0.1:" + port
                    + ": bind: Address already in use"), log.get(0));
            assertTrue(log.get(1).endsWith(" # Failed listening on port " + port + " (TCP), aborting."), log.get(1));
            assertTrue(e.getMessage().endsWith("bind: Address already in use"), e.getMessage());
        }
    }

    @Test
    void anOptionalAddressMayBeUnavailableButNotTaken() throws Exception {
        // 192.0.2.1 (TEST-NET-1) is on no interface: "Cannot assign requested address"
        try (RespireServer server = start("--port", "0", "--bind", "127.0.0.1 -192.0.2.1");
             RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("PONG", c.call("PING"));
            assertTrue(log().get(0).endsWith("Warning: Could not create server TCP listening socket 192.0.2.1:0: "
                    + "bind: Cannot assign requested address"), log().get(0));
        }
        assertThrows(StartupException.class, () -> start("--port", "0", "--bind", "127.0.0.1 192.0.2.1"));
        assertTrue(log().get(log().size() - 1).endsWith("# Failed listening on port 0 (TCP), aborting."));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String port = Integer.toString(taken.getLocalPort());
            assertThrows(StartupException.class, () -> start("--port", port, "--bind", "-127.0.0.1"));
        }
    }

    /**
     * SHUTDOWN's stopAccepting returns once the listening sockets are closed, though they live on
     * another loop: the caller's connection ends after it, and a client connecting then must be
     * refused (Redis has exited by then). It used to return at once, and while the accept loop was
     * late a new client got in and was served (unit/scripting's "SHUTDOWN NOSAVE can kill a timedout
     * script anyway" failed so). Here the accept loop is held busy for 300 ms. With the epoll
     * transport, as the server uses on Linux: NIO releases a listening socket registered with a
     * selector only at the loop's next select, after the close has completed.
     */
    @Test
    void stopAcceptingReturnsOnceNoClientCanConnect() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable());
        io.netty.channel.EventLoopGroup accept = loop(true);
        io.netty.channel.EventLoopGroup connections = loop(true);
        Listeners listeners = listeners("127.0.0.1");
        try {
            listeners.open(accept, connections, true, NO_HANDLERS, NO_HANDLERS, NO_HANDLERS);
            java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
            accept.execute(() -> {
                busy.countDown();
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            busy.await();
            listeners.stopAccepting();
            assertThrows(java.net.ConnectException.class,
                    () -> new java.net.Socket("127.0.0.1", listeners.port()).close());
        } finally {
            listeners.close();
            accept.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
            connections.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    /**
     * Redis's default "* -::*" without epoll (the JDK's sockets, as on a machine where Netty's
     * native transport is unavailable): the IPv6 wildcard there is dual-stack, and opened after
     * the IPv4 one it failed with "Address already in use", so the server did not start. Now it is
     * opened first and takes the IPv4 clients too.
     */
    @Test
    void theDefaultWildcardsListenWithoutEpoll() throws Exception {
        io.netty.channel.EventLoopGroup accept = loop(false);
        io.netty.channel.EventLoopGroup connections = loop(false);
        Listeners listeners = listeners("* -::*");
        try {
            listeners.open(accept, connections, false, NO_HANDLERS, NO_HANDLERS, NO_HANDLERS);
            new java.net.Socket("127.0.0.1", listeners.port()).close();
            if (ipv6Loopback()) {
                new java.net.Socket("::1", listeners.port()).close();
            }
            assertFalse(Files.exists(dir.resolve("server.log")) && String.join("\n", log()).contains("Could not create"),
                    () -> String.join("\n", uncheckedLog()));
        } finally {
            listeners.close();
            accept.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
            connections.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    /** Connections' pipelines left empty: these tests only open, connect and close. */
    private static final io.netty.channel.ChannelInitializer<io.netty.channel.Channel> NO_HANDLERS =
            new io.netty.channel.ChannelInitializer<>() {
                @Override
                protected void initChannel(io.netty.channel.Channel ch) {
                }
            };

    /** A one-thread event loop group of the epoll or the JDK's (NIO) transport. */
    private static io.netty.channel.EventLoopGroup loop(boolean epoll) {
        return new io.netty.channel.MultiThreadIoEventLoopGroup(1, epoll
                ? io.netty.channel.epoll.EpollIoHandler.newFactory() : io.netty.channel.nio.NioIoHandler.newFactory());
    }

    /** The listeners of a server on port 0 with this {@code bind}, not opened yet. */
    private Listeners listeners(String bind) {
        io.respire.server.config.ServerConfig config = ConfigLoader.fromArgs("--port", "0", "--bind", bind,
                "--dir", dir.toString(), "--logfile", "server.log");
        return new Listeners(config, new ServerLog(config));
    }

    private List<String> uncheckedLog() {
        try {
            return log();
        } catch (IOException e) {
            return List.of(e.toString());
        }
    }

    /** Whether this machine can listen on ::1 (containers often have no IPv6). */
    private static boolean ipv6Loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void reasonsAreWordedAsAnetWordsThem() {
        assertEquals("bind: Address already in use",
                Listeners.reason(new IOException("bind(..) failed with error(-98): Address already in use"), "bind"));
        assertEquals("bind: Address already in use", Listeners.reason(new BindException("Address already in use"), "bind"));
        assertEquals("Name or service not known",
                Listeners.reason(new java.nio.channels.UnresolvedAddressException(), "bind"));
    }

    @Test
    void theUnixSocketIsListenedOnWithItsPermissionsAndRemovedAtShutdown() throws Exception {
        Path socket = dir.resolve("socket");
        Files.writeString(socket, "left over"); // removed before listening, as Redis does
        RespireServer server = start("--port", "0", "--unixsocket", socket.toString(), "--unixsocketperm", "700");
        assertEquals(socket, server.unixSocket());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            // protected mode (on by default, no password) lets unix socket peers in: they are local
            channel.write(ByteBuffer.wrap("PING\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(16);
            channel.read(reply);
            assertEquals("+PONG\r\n", new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII));
        }
        assertTrue(server.shutdown(RespireServer.SHUTDOWN_NOSAVE));
        assertFalse(Files.exists(socket));
        List<String> log = log();
        assertTrue(log.get(log.size() - 2).endsWith(" * Removing the unix socket file."), log.toString());
    }

    @Test
    void aUnixSocketThatCannotBeOpenedStopsTheStart() throws IOException {
        Path socket = dir.resolve("no-such-dir").resolve("socket");
        assertThrows(StartupException.class, () -> start("--port", "0", "--unixsocket", socket.toString()));
        assertTrue(log().get(0).endsWith(" # Failed opening Unix socket: bind: No such file or directory"),
                log().get(0));
    }

    @Test
    void noUnixSocketUnlessConfigured() {
        try (RespireServer server = start("--port", "0")) {
            assertNull(server.unixSocket());
        }
    }

    /** socket-mark-id marks the listening sockets (shown by ss as fwmark; skipped where ss is missing). */
    @Test
    void socketMarkIdMarksTheListeningSocket() throws Exception {
        try (RespireServer server = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--socket-mark-id", "7")) {
            Process ss;
            try {
                ss = new ProcessBuilder("ss", "-tlne", "sport = :" + server.port()).redirectErrorStream(true).start();
            } catch (IOException e) {
                org.junit.jupiter.api.Assumptions.abort("no ss on this machine");
                return;
            }
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ss.waitFor();
            assertTrue(out.contains("fwmark:0x7"), out);
        }
    }
}
