package io.respire.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.socket.SocketProtocolFamily;
import io.respire.server.config.ServerConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The listening sockets, opened as Redis's initServer opens them: one TCP socket per {@code bind}
 * address on {@code port} (listenToPort), then the {@code unixsocket} if one is configured. A
 * failure is logged with Redis's lines, which Redis's test suite reads ("Failed listening on port"
 * makes it retry on another port), and stops the start with a {@link StartupException}.
 *
 * <p>One difference: {@code port 0} makes Redis listen on no TCP port, and Respire on a free one
 * (what an embedding test wants), which {@link #port()} tells.
 */
final class Listeners {
    private final ServerConfig config;
    private final ServerLog log;
    /** The TCP sockets of {@code bind} and {@code port}, reopened by CONFIG SET of either. */
    private final List<Channel> tcp = new ArrayList<>();
    /** The TLS sockets of {@code bind} and {@code tls-port}, none while it is 0. */
    private final List<Channel> tls = new ArrayList<>();
    /** The HTTP sockets of {@code bind} and {@code metrics-port}, none while it is 0. */
    private final List<Channel> metrics = new ArrayList<>();
    private ServerBootstrap metricsBootstrap;
    /** The unix socket, opened once. */
    private final List<Channel> others = new ArrayList<>();
    /** Linux's SO_MARK (SOL_SOCKET 1, SO_MARK 36), which Netty's epoll transport sets as a generic option. */
    private static final io.netty.channel.unix.IntegerUnixChannelOption SO_MARK =
            new io.netty.channel.unix.IntegerUnixChannelOption("SO_MARK", 1, 36);
    private ServerBootstrap tcpBootstrap;
    private ServerBootstrap tlsBootstrap;
    /** IPV6_V6ONLY, set as Redis's anet sets it on every IPv6 socket, so that "* ::*" is two sockets. */
    private static final IntegerUnixChannelOption V6ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);
    private boolean epoll;
    private int port;
    /** With {@code port 0}, the port chosen at start: kept while "bind" is empty, reused after. */
    private int chosenPort;
    private Path unixSocket;

    Listeners(ServerConfig config, ServerLog log) {
        this.config = config;
        this.log = log;
    }

    /** Why a socket could not be listened on, as anet words it ("bind: Address already in use"). */
    static final class ListenFailure extends RuntimeException {
        ListenFailure(String reason) {
            super(reason);
        }
    }

    /**
     * Opens every socket, or none: on failure those already opened are closed. Listening sockets
     * live on {@code acceptGroup}, so that they can be reopened from the executor (CONFIG SET bind),
     * which may be an event loop of {@code group}, where the connections live.
     *
     * @throws StartupException after logging why
     */
    void open(EventLoopGroup acceptGroup, EventLoopGroup group, boolean epoll, ChannelInitializer<Channel> initializer,
              ChannelInitializer<Channel> tlsInitializer, ChannelInitializer<Channel> metricsInitializer) {
        this.epoll = epoll;
        try {
            // With epoll the channel's family is chosen per address (listenTcp).
            tcpBootstrap = new ServerBootstrap()
                    .group(acceptGroup, group)
                    .option(ChannelOption.SO_BACKLOG, config.tcpBacklog.intValue())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer);
            if (!epoll) {
                tcpBootstrap.channel(NioServerSocketChannel.class);
            } else if (config.socketMarkId.value() != 0) {
                // Redis's anetSetSockMarkId on the listening sockets (setsockopt SOL_SOCKET SO_MARK);
                // the accepted ones inherit the mark.
                tcpBootstrap.option(SO_MARK, (int) config.socketMarkId.value());
            }
            tlsBootstrap = tcpBootstrap.clone().childHandler(tlsInitializer);
            metricsBootstrap = tcpBootstrap.clone().childHandler(metricsInitializer);
            try {
                port = listenTcp(tcpBootstrap, config.port.intValue(), tcp);
                chosenPort = port;
            } catch (ListenFailure e) {
                log.warning("Failed listening on port " + config.port.intValue() + " (TCP), aborting.");
                throw new StartupException(e.getMessage());
            }
            int tlsPort = config.tlsPort.intValue();
            try {
                if (tlsPort != 0) {
                    listenTcp(tlsBootstrap, tlsPort, tls);
                }
            } catch (ListenFailure e) {
                log.warning("Failed listening on port " + tlsPort + " (TLS), aborting.");
                throw new StartupException(e.getMessage());
            }
            try {
                reopenMetrics();
            } catch (ListenFailure e) {
                log.warning("Failed listening on port " + config.metricsPort.intValue() + " (metrics), aborting.");
                throw new StartupException(e.getMessage());
            }
            if (config.unixsocket.isSet()) {
                openUnix(new ServerBootstrap()
                        .group(acceptGroup, group)
                        .channel(epoll ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class)
                        .option(ChannelOption.SO_BACKLOG, config.tcpBacklog.intValue())
                        .childHandler(initializer), epoll);
            }
            if (tcp.isEmpty() && tls.isEmpty() && others.isEmpty()) {
                log.warning("Configured to not listen anywhere, exiting.");
                throw new StartupException("Configured to not listen anywhere");
            }
        } catch (StartupException e) {
            close();
            throw e;
        }
    }

    /**
     * Redis's changeBindAddr and changeListenPort, for CONFIG SET bind or port: the TCP sockets are
     * closed, then those of the new setting opened. On failure none is left open and the caller
     * (CONFIG SET's rollback) reopens the old setting. With {@code port 0} the port chosen at start
     * is kept.
     *
     * @throws ListenFailure with the reason, already logged
     */
    void reopenTcp() {
        closeAll(tcp);
        closeAll(tls);
        int wanted = config.port.intValue() == 0 ? chosenPort : config.port.intValue();
        port = listenTcp(tcpBootstrap, wanted, tcp);
        chosenPort = port == 0 ? chosenPort : port;
        reopenTls();
        reopenMetrics();
    }

    /** The metrics-port's sockets closed, those of its new value opened (none for 0). */
    void reopenMetrics() {
        closeAll(metrics);
        if (config.metricsPort.intValue() != 0) {
            listenTcp(metricsBootstrap, config.metricsPort.intValue(), metrics);
        }
    }

    /** Redis's changeListenPort for tls-port: its sockets closed, those of the new port opened (none for 0). */
    void reopenTls() {
        closeAll(tls);
        if (config.tlsPort.intValue() != 0) {
            listenTcp(tlsBootstrap, config.tlsPort.intValue(), tls);
        }
    }

    /**
     * Redis's listenToPort: each address in turn; an optional one ("-addr") may be unavailable.
     * Returns the port listened on (the chosen one for 0), 0 if no address is configured.
     *
     * @throws ListenFailure when an address cannot be listened on; those opened are closed
     */
    private int listenTcp(ServerBootstrap bootstrap, int wanted, List<Channel> into) {
        int bound = wanted;
        boolean any = false;
        boolean dualStack = false; // an IPv6 wildcard that also takes IPv4 connections is listening
        for (String entry : bindOrder(config.bind.addresses())) {
            boolean optional = entry.startsWith("-");
            String address = optional ? entry.substring(1) : entry;
            if (dualStack && address.equals("*")) {
                continue; // the dual-stack socket already listens on every IPv4 address of this port
            }
            try {
                SocketAddress socketAddress = socketAddress(address, bound);
                // As Redis's anet: an IPv4 socket for an IPv4 address, an IPv6 one with IPV6_V6ONLY for an
                // IPv6 address, so that "* ::*" are two sockets on one port (the JDK's own sockets, used
                // without epoll, cannot set IPV6_V6ONLY: there an IPv6 wildcard is dual-stack).
                // Netty's epoll sockets are IPv6 ones by default, where "0.0.0.0" is every address of both.
                boolean v6 = ((InetSocketAddress) socketAddress).getAddress() instanceof java.net.Inet6Address;
                ServerBootstrap b = !epoll ? bootstrap : v6
                        ? bootstrap.clone().channelFactory(() -> new EpollServerSocketChannel(SocketProtocolFamily.INET6))
                                .option(V6ONLY, 1)
                        : bootstrap.clone().channelFactory(() -> new EpollServerSocketChannel(SocketProtocolFamily.INET));
                Channel channel = b.bind(socketAddress).sync().channel();
                into.add(channel);
                bound = ((InetSocketAddress) channel.localAddress()).getPort(); // port 0: the rest use the chosen one
                any = true;
                dualStack |= !epoll && address.equals("::*");
            } catch (Exception e) {
                String reason = reason(e, "bind");
                log.warning("Warning: Could not create server TCP listening socket " + address + ":" + wanted + ": "
                        + reason);
                boolean skippable = reason.endsWith("Address family not supported by protocol")
                        || reason.endsWith("Protocol not supported")
                        || (optional && reason.endsWith("Cannot assign requested address"));
                if (!skippable) {
                    closeAll(into);
                    throw new ListenFailure("Could not create server TCP listening socket " + address + ":" + wanted
                            + ": " + reason);
                }
            }
        }
        return any ? bound : 0;
    }

    /**
     * The bind entries in the order their sockets are opened: as written with epoll. Without it
     * (the JDK's sockets, which cannot set IPV6_V6ONLY) an IPv6 wildcard is dual-stack and cannot
     * share its port with an IPv4 wildcard opened before it, so Redis's default "* -::*" would fail
     * with "Address already in use": there the IPv6 wildcard is opened first, and "*" is then
     * skipped, IPv4 clients being taken by the dual-stack socket. Where IPv6 is unavailable the
     * IPv6 wildcard fails as unsupported and "*" is opened as usual.
     */
    private List<String> bindOrder(List<String> entries) {
        if (epoll || !entries.contains("*")) {
            return entries;
        }
        List<String> ordered = new ArrayList<>(entries);
        ordered.sort(Comparator.comparing(entry -> !entry.equals("::*") && !entry.equals("-::*"))); // stable
        return ordered;
    }

    /** "*" is every IPv4 address, "::*" every IPv6 one (Redis's anetTcpServer with no address). */
    private static SocketAddress socketAddress(String address, int port) {
        return switch (address) {
            case "*" -> new InetSocketAddress("0.0.0.0", port);
            case "::*" -> new InetSocketAddress("::", port);
            default -> new InetSocketAddress(address, port);
        };
    }

    /** The unix socket: any file in the way is removed first, then unixsocketperm applied. */
    private void openUnix(ServerBootstrap bootstrap, boolean epoll) {
        Path path = config.dir.resolve(config.unixsocket.value());
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // as Redis: "don't care if this fails"; the bind reports what matters
        }
        try {
            SocketAddress address = epoll ? new DomainSocketAddress(path.toString()) : UnixDomainSocketAddress.of(path);
            others.add(bootstrap.bind(address).sync().channel());
            unixSocket = path;
            long perm = config.unixsocketperm.value();
            if (perm != 0) {
                Files.setPosixFilePermissions(path, permissions(perm));
            }
        } catch (Exception e) {
            String reason = reason(e, "bind");
            log.warning("Failed opening Unix socket: " + reason);
            throw new StartupException("Failed opening Unix socket: " + reason);
        }
    }

    private static Set<PosixFilePermission> permissions(long mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1L << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    /**
     * The reason as Redis's anet words it ("bind: Address already in use"): the C library's text,
     * which both Netty's native transport and the JDK carry.
     */
    static String reason(Throwable e, String call) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "Name or service not known"; // getaddrinfo's EAI_NONAME
            }
            String message = t.getMessage();
            if (message != null && !message.isEmpty()) {
                // Netty's native errors read "bind(..) failed with error(-98): Address already in use"
                int failed = message.indexOf(" failed");
                int colon = failed < 0 ? -1 : message.indexOf(": ", failed);
                return call + ": " + (colon >= 0 ? message.substring(colon + 2) : message);
            }
        }
        return call + ": " + e.getClass().getSimpleName();
    }

    /** The TCP port listened on (the chosen one when configured with port 0), 0 if none. */
    int port() {
        return port;
    }

    /** The unix socket's path, or null. */
    Path unixSocket() {
        return unixSocket;
    }

    /**
     * Stops accepting, returning once the listening sockets are closed: no new client is let in
     * while a SHUTDOWN finishes, and the caller's connection, which ends after this, must not end
     * while one still could (Redis has exited by then). The sockets live on the accept loop, which
     * never waits for the executor that calls this; bounded all the same.
     */
    void stopAccepting() {
        List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
        for (List<Channel> channels : List.of(tcp, tls, metrics, others)) {
            channels.forEach(channel -> closing.add(channel.close()));
        }
        closing.forEach(f -> f.awaitUninterruptibly(5, java.util.concurrent.TimeUnit.SECONDS));
    }

    /** Closes every listening socket (accepted connections stay open). */
    void close() {
        closeAll(tcp);
        closeAll(tls);
        closeAll(metrics);
        closeAll(others);
    }

    private static void closeAll(List<Channel> channels) {
        for (Channel channel : channels) {
            channel.close().awaitUninterruptibly(5, java.util.concurrent.TimeUnit.SECONDS); // bounded: a dead loop never completes it
        }
        channels.clear();
    }

    /** Removes the unix socket file, as Redis does at shutdown (logged if {@code logged}). */
    void removeUnixSocket(boolean logged) {
        if (unixSocket == null) {
            return;
        }
        if (logged) {
            log.notice("Removing the unix socket file.");
        }
        try {
            Files.deleteIfExists(unixSocket);
        } catch (IOException e) {
            log.warning("Error removing the unix socket file: " + e.getMessage());
        }
    }
}
