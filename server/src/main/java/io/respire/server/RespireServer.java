package io.respire.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import io.respire.protocol.RespDecoder;
import io.respire.server.command.CommandTable;
import io.respire.server.commands.CommandFamilies;
import io.respire.server.config.ServerConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running Respire server, and the embedding API: {@code RespireServer.start("--port", "0")} in a
 * JVM test starts one on a free port; {@link #port()} tells which; {@link #close()} stops it.
 * Instances are independent: several can run in one JVM.
 *
 * <p>Starting follows Redis's main and initServer: listen (a failure is logged and ends the start),
 * write the {@code pidfile}, log the logo (or the running mode), "Server initialized" and "Ready to
 * accept connections" (these three only for the server of a process: {@link #startProcess}).
 * {@link #shutdown(int)} is Redis's prepareForShutdown/finishShutdown, logged as Redis logs it;
 * {@link #close()} stops silently.
 */
public final class RespireServer implements AutoCloseable {
    /** SHUTDOWN's flags, with the values of Redis's SHUTDOWN_* (and of shutdown-on-sigterm). */
    public static final int SHUTDOWN_SAVE = 1;
    public static final int SHUTDOWN_NOSAVE = 2;
    public static final int SHUTDOWN_NOW = 4;
    public static final int SHUTDOWN_FORCE = 8;

    private final ServerContext context;
    private final EventLoopGroup ioGroup;
    private final EventExecutor executor;
    private final Listeners listeners;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Path pidFile;
    private volatile boolean shuttingDown;

    private RespireServer(ServerConfig config, boolean announce) {
        CommandTable table = CommandTable.load();
        CommandFamilies.registerAll(table);
        this.context = new ServerContext(config, table);
        ServerLog log = context.log();
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
        context.onShutdownRequest(this::shutdownRequested);
        CommandDispatcher dispatcher = new CommandDispatcher(context);
        this.listeners = new Listeners(config, log);
        // What Respire cannot do stops the start before any client is accepted (a server that
        // answered PING and then went away would leave Redis's test suite waiting on a dead
        // socket), but after the logo with the PID, which the suite waits for.
        List<String> refused = new java.util.ArrayList<>(MissingFeatures.refused(config));
        String userError = refused.isEmpty() ? context.loadUsersAtStartup() : null;
        if (userError != null) {
            refused.addAll(List.of(userError.split("\n")));
        }
        if (!refused.isEmpty()) {
            context.port(config.port.intValue());
            if (announce) {
                logStartup(config, log);
            }
            refused.forEach(log::warning);
            stopThreads();
            throw new StartupException(refused.get(0));
        }
        try {
            listeners.open(ioGroup, epoll, new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ConnectionHandler handler = new ConnectionHandler(context, dispatcher);
                    ch.pipeline().addLast("resp-decoder", new RespDecoder(context.decoderLimits(), handler::authRequired));
                    ch.pipeline().addLast("connection", handler);
                }
            });
        } catch (StartupException e) {
            stopThreads();
            throw e;
        }
        context.port(listeners.port());
        // The listening sockets are opened once, here: CONFIG SET of another port or bind address
        // is refused (and rolled back) with Redis's apply errors rather than pretending to move.
        config.port.onChange(o -> {
            throw new IllegalArgumentException("Unable to listen on this port. Check server logs.");
        });
        config.bind.onChange(o -> {
            throw new IllegalArgumentException("Failed to bind to specified addresses.");
        });
        writePidFile(config);
        if (announce) {
            logStartup(config, log);
        }
        // CONFIG SET appendonly yes fails as in Redis when the AOF cannot be opened.
        config.appendonly.onChange(o -> {
            if (config.appendonly.value()) {
                log.warning("Can't open the append-only file: " + MissingFeatures.AOF_MISSING + ".");
                throw new IllegalArgumentException(MissingFeatures.AOF_REFUSED);
            }
        });
        config.maxmemory.onChange(o -> {
            if (config.maxmemory.value() != 0) {
                throw new IllegalArgumentException(MissingFeatures.MAXMEMORY_REFUSED);
            }
        });
        loadDataFromDisk(log);
        long periodMs = Math.max(1, 1000 / config.hz.intValue());
        executor.scheduleAtFixedRate(new ServerCron(context), periodMs, periodMs, TimeUnit.MILLISECONDS);
        if (announce) {
            log.notice("Ready to accept connections");
        }
        if (announce && listeners.unixSocket() != null) {
            log.notice("The server is now ready to accept connections at ".concat(listeners.unixSocket().toString()));
        }
    }

    /** Redis's createPidFile: best effort, silent when the file cannot be written. */
    private void writePidFile(ServerConfig config) {
        if (!config.pidfile.isSet()) {
            return;
        }
        pidFile = config.dir.resolve(config.pidfile.value());
        try {
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // as Redis: the pid file is a convenience
        }
    }

    private void removePidFile() {
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // as Redis: best effort
            }
        }
    }

    /**
     * The logo (with always-show-logo, or when logging to a terminal) or Redis's one-line summary,
     * then "Server initialized"; and, as Redis's warnings about settings the system will not honour,
     * what the configuration asks that Respire does not do.
     */
    private void logStartup(ServerConfig config, ServerLog log) {
        boolean tty = System.console() != null && config.logfile.value().isEmpty() && !config.syslogEnabled.value();
        if (config.alwaysShowLogo.value() || tty) {
            log.raw(ServerLog.NOTICE, AsciiLogo.render("standalone", port(), ProcessHandle.current().pid()));
        } else {
            log.notice(new StringBuilder("Running mode=standalone, port=").append(port()).append('.').toString());
        }
        log.warning("Server initialized");
    }

    /**
     * Redis's loadDataFromDisk, on the executor (which owns the data; clients that connected meanwhile
     * wait behind it). A file that does not load stops the start, as Redis exits.
     */
    private void loadDataFromDisk(ServerLog log) {
        try {
            executor.submit(() -> {
                context.snapshots().loader().loadAtStart();
                return null;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while loading the RDB file");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            String reason = cause instanceof java.io.IOException
                    ? "Fatal error loading the DB: " + cause.getMessage() + ". Exiting."
                    : "Terminating server after rdb file reading failure.";
            log.warning(reason);
            listeners.close();
            stopThreads();
            throw new StartupException(reason);
        }
    }

    /** Starts a server configured as the command line {@code args} says (see {@link Main}). */
    public static RespireServer start(String... args) {
        return start(ConfigLoader.fromArgs(args));
    }

    /**
     * Starts a server.
     *
     * @throws IllegalStateException if it cannot listen or cannot do what the configuration asks
     *         (the reason is logged, as Redis logs it)
     */
    public static RespireServer start(ServerConfig config) {
        return new RespireServer(config, false);
    }

    /**
     * Starts the server of a respire-server process ({@link Main}): as {@link #start(ServerConfig)},
     * and logging what Redis logs as it starts (the logo, "Server initialized", "Ready to accept
     * connections"), which an embedded server leaves out of its host's output.
     */
    static RespireServer startProcess(ServerConfig config) {
        return new RespireServer(config, true);
    }

    /** The TCP port the server listens on (the chosen one when configured with port 0). */
    public int port() {
        return context.port();
    }

    /** The unix socket the server listens on, or null. */
    public Path unixSocket() {
        return listeners.unixSocket();
    }

    public ServerContext context() {
        return context;
    }

    /** Blocks until the server stops (SHUTDOWN or {@link #close()}). */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /** Whether a shutdown has begun (SHUTDOWN, a signal or {@link #close()}). */
    public boolean shuttingDown() {
        return shuttingDown;
    }

    /** SHUTDOWN from a client: prepared on the executor, the stop itself on a thread of its own. */
    private boolean shutdownRequested(int flags) {
        if (!prepareShutdown(flags)) {
            return false;
        }
        // Redis exits within the command; here the rest happens on another thread, but no client
        // may connect in between (one arriving while a killed script unwinds would get BUSY).
        listeners.stopAccepting();
        new Thread(this::finishShutdown, "respire-shutdown").start();
        return true;
    }

    /**
     * Stops the server as Redis's prepareForShutdown and finishShutdown do, with their log lines:
     * used for SHUTDOWN and for SIGTERM/SIGINT. The final snapshot is saved with SAVE, or when save
     * points are set and NOSAVE is not given; if that save fails the server keeps running unless
     * FORCE. There are no replicas to wait for, so NOW changes nothing.
     */
    public boolean shutdown(int flags) {
        if (!prepareShutdown(flags)) {
            return false;
        }
        finishShutdown();
        return true;
    }

    private synchronized boolean prepareShutdown(int flags) {
        if (shuttingDown) {
            return false;
        }
        ServerLog log = context.log();
        if (context.snapshots().loader().loading()) {
            // A save now would write the databases as they were before the load: never over the file.
            flags = (flags & ~SHUTDOWN_SAVE) | SHUTDOWN_NOSAVE;
        }
        log.warning("User requested shutdown...");
        boolean nosave = (flags & SHUTDOWN_NOSAVE) != 0;
        if (context.snapshots().backgroundSaveRunning()) {
            log.warning("There is a child saving an .rdb. Killing it!");
            context.snapshots().abortBackgroundSave();
        }
        if ((flags & SHUTDOWN_SAVE) != 0 || (!nosave && context.snapshots().savePointsSet())) {
            log.notice("Saving the final RDB snapshot before exiting.");
            if (!saveOnExecutor()) {
                if ((flags & SHUTDOWN_FORCE) == 0) {
                    log.warning("Error trying to save the DB, can't exit.");
                    log.warning("Errors trying to shut down the server. Check the logs for more information.");
                    return false;
                }
                log.warning("Error trying to save the DB. Exit anyway.");
            }
        }
        shuttingDown = true;
        return true;
    }

    /** SAVE run by the executor, which owns the data, whichever thread asks (a signal's). */
    private boolean saveOnExecutor() {
        if (executor.inEventLoop()) {
            return context.snapshots().save();
        }
        try {
            return executor.submit(() -> context.snapshots().save()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            context.log().warning("Error saving the final RDB snapshot: " + e.getCause());
            return false;
        }
    }

    private void finishShutdown() {
        ServerLog log = context.log();
        if (pidFile != null) {
            log.notice("Removing the pid file.");
            removePidFile();
        }
        listeners.close();
        listeners.removeUnixSocket(true);
        log.warning("Respire is now ready to exit, bye bye...");
        close();
    }

    /** Stops the server without the shutdown's log lines (an embedding test's end). */
    @Override
    public void close() {
        synchronized (this) {
            if (stopped.getCount() == 0) {
                return;
            }
            shuttingDown = true;
        }
        listeners.close();
        context.snapshots().abortRunning(); // its writing thread would otherwise wait forever
        stopThreads();
        stopped.countDown();
    }

    private void stopThreads() {
        if (executor != ioGroup.next() && executor != null) {
            executor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        // Bounded: an event loop that died never completes its termination future.
        ioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
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
