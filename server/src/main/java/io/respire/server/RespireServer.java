package io.respire.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.respire.protocol.RespDecoder;
import io.respire.server.command.CommandTable;
import io.respire.server.commands.CommandFamilies;
import io.respire.server.config.ServerConfig;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running Respire server, and the embedding API: {@code RespireServer.start("--port", "0")} in a
 * JVM test starts one on a free port; {@link #port()} tells which; {@link #close()} stops it.
 * Instances are independent: several can run in one JVM.
 */
public final class RespireServer implements AutoCloseable {
    private final ServerContext context;
    private final EventLoopGroup ioGroup;
    private final EventExecutor executor;
    private final List<Channel> listeners = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private RespireServer(ServerConfig config) throws InterruptedException {
        CommandTable table = CommandTable.load();
        CommandFamilies.registerAll(table);
        this.context = new ServerContext(config, table);
        int ioThreads = config.ioThreads.intValue();
        boolean epoll = Epoll.isAvailable();
        EventPump pump = new EventPump(epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.ioGroup = new MultiThreadIoEventLoopGroup(ioThreads, new NamedThreads("respire-io"), pump);
        // With one I/O thread that thread is also the executor, as Redis's main thread; with more, a
        // dedicated thread runs commands, fed in batches.
        if (ioThreads == 1) {
            this.executor = ioGroup.next();
            // The executor reads the sockets itself: a long script serves them from its hook.
            EventExecutor loop = executor;
            context.eventPump(() -> pump.pump(loop));
        } else {
            ExecutorLoop loop = new ExecutorLoop(new NamedThreads("respire-exec"));
            this.executor = loop;
            // The I/O threads hand requests over as tasks: a long script runs those from its hook.
            context.eventPump(loop::runQueuedTasks);
        }
        context.executor(executor);
        context.onShutdownRequest(() -> new Thread(this::close, "respire-shutdown").start());
        CommandDispatcher dispatcher = new CommandDispatcher(context);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(ioGroup)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, config.tcpBacklog.intValue())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, config.tcpKeepalive.value() > 0)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ConnectionHandler handler = new ConnectionHandler(context, dispatcher);
                        ch.pipeline().addLast("resp-decoder", new RespDecoder(context.decoderLimits(), handler::authRequired));
                        ch.pipeline().addLast("connection", handler);
                    }
                });
        bind(bootstrap, config);
        // The listening sockets are opened once, here: CONFIG SET of another port or bind address
        // is refused (and rolled back) with Redis's apply errors rather than pretending to move.
        config.port.onChange(o -> {
            throw new IllegalArgumentException("Unable to listen on this port. Check server logs.");
        });
        config.bind.onChange(o -> {
            throw new IllegalArgumentException("Failed to bind to specified addresses.");
        });
        long periodMs = Math.max(1, 1000 / config.hz.intValue());
        executor.scheduleAtFixedRate(new ServerCron(context), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void bind(ServerBootstrap bootstrap, ServerConfig config) throws InterruptedException {
        int port = config.port.intValue();
        String[] addresses = config.bind.value().trim().split("\\s+");
        Exception firstFailure = null;
        for (String address : addresses) {
            boolean optional = address.startsWith("-");
            String host = optional ? address.substring(1) : address;
            if (host.equals("*")) {
                host = "0.0.0.0";
            }
            try {
                Channel channel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
                listeners.add(channel);
                port = ((InetSocketAddress) channel.localAddress()).getPort(); // port 0: the rest use the chosen one
            } catch (Exception e) {
                if (!optional && firstFailure == null) {
                    firstFailure = e;
                }
            }
        }
        if (listeners.isEmpty() || firstFailure != null) {
            close();
            throw new IllegalStateException("Could not create server TCP listening socket " + config.bind.value()
                    + ":" + config.port.value() + ": " + (firstFailure == null ? "no address" : firstFailure.getMessage()),
                    firstFailure);
        }
        context.port(port);
    }

    /** Starts a server configured as the command line {@code args} says (see {@link Main}). */
    public static RespireServer start(String... args) {
        return start(ConfigLoader.fromArgs(args));
    }

    public static RespireServer start(ServerConfig config) {
        try {
            return new RespireServer(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    /** The TCP port the server listens on (the chosen one when configured with port 0). */
    public int port() {
        return context.port();
    }

    public ServerContext context() {
        return context;
    }

    /** Blocks until the server stops (SHUTDOWN or {@link #close()}). */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        for (Channel channel : listeners) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS); // bounded: a dead loop never completes it
        }
        if (executor != ioGroup.next() && executor != null) {
            executor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        ioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        stopped.countDown();
    }

    /** The executor with io-threads > 1: a plain task loop that a long script can drain from inside. */
    private static final class ExecutorLoop extends DefaultEventLoop {
        ExecutorLoop(java.util.concurrent.ThreadFactory threads) {
            super(threads);
        }

        void runQueuedTasks() {
            if (inEventLoop()) {
                runAllTasks();
            }
        }
    }

    /** Daemon-free named threads, so thread dumps say what each one is. */
    private static final class NamedThreads implements java.util.concurrent.ThreadFactory {
        private static final long STACK_BYTES = 64L * 1024 * 1024;

        private final String prefix;
        private int count;

        NamedThreads(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public synchronized Thread newThread(Runnable r) {
            // A deep stack: Lua scripts run on these threads, and LuaJ recurses on the Java stack
            // (Lua 5.1 allows 20,000 nested calls).
            return new io.netty.util.concurrent.FastThreadLocalThread(null, r, prefix + "-" + count++, STACK_BYTES);
        }
    }
}
