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
    private final List<Channel> channels = new ArrayList<>();
    private int port;
    private Path unixSocket;

    Listeners(ServerConfig config, ServerLog log) {
        this.config = config;
        this.log = log;
    }

    /**
     * Opens every socket, or none: on failure those already opened are closed.
     *
     * @throws StartupException after logging why
     */
    void open(EventLoopGroup group, boolean epoll, ChannelInitializer<Channel> initializer) {
        try {
            openTcp(new ServerBootstrap()
                    .group(group)
                    .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, config.tcpBacklog.intValue())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, config.tcpKeepalive.value() > 0)
                    .childHandler(initializer));
            if (config.unixsocket.isSet()) {
                openUnix(new ServerBootstrap()
                        .group(group)
                        .channel(epoll ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class)
                        .option(ChannelOption.SO_BACKLOG, config.tcpBacklog.intValue())
                        .childHandler(initializer), epoll);
            }
            if (channels.isEmpty()) {
                log.warning("Configured to not listen anywhere, exiting.");
                throw new StartupException("Configured to not listen anywhere");
            }
        } catch (StartupException e) {
            close();
            throw e;
        }
    }

    /** Redis's listenToPort: each address in turn; an optional one ("-addr") may be unavailable. */
    private void openTcp(ServerBootstrap bootstrap) {
        int wanted = config.port.intValue();
        int bound = wanted;
        boolean any = false;
        for (String entry : config.bind.addresses()) {
            boolean optional = entry.startsWith("-");
            String address = optional ? entry.substring(1) : entry;
            try {
                Channel channel = bootstrap.bind(socketAddress(address, bound)).sync().channel();
                channels.add(channel);
                bound = ((InetSocketAddress) channel.localAddress()).getPort(); // port 0: the rest use the chosen one
                any = true;
            } catch (Exception e) {
                String reason = reason(e, "bind");
                log.warning("Warning: Could not create server TCP listening socket " + address + ":" + wanted + ": "
                        + reason);
                boolean skippable = reason.endsWith("Address family not supported by protocol")
                        || reason.endsWith("Protocol not supported")
                        || (optional && reason.endsWith("Cannot assign requested address"));
                if (!skippable) {
                    log.warning("Failed listening on port " + wanted + " (TCP), aborting.");
                    throw new StartupException("Could not create server TCP listening socket " + address + ":" + wanted
                            + ": " + reason);
                }
            }
        }
        port = any ? bound : 0;
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
            channels.add(bootstrap.bind(address).sync().channel());
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
     * Stops accepting at once, without waiting: from the event loop (a SHUTDOWN run there), the
     * loop's own listening sockets close right away, so no new client is let in meanwhile.
     */
    void stopAccepting() {
        for (Channel channel : channels) {
            channel.close();
        }
    }

    /** Closes every listening socket (accepted connections stay open). */
    void close() {
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
