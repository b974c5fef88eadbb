package io.respire.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import io.respire.protocol.RespDecoder;
import io.respire.server.command.CommandTable;
import io.respire.server.commands.CommandFamilies;
import io.respire.server.config.ServerConfig;
import io.respire.server.tls.TlsConfigException;
import io.respire.server.tls.TlsContext;
import io.respire.server.metrics.MetricsEndpoint;
import io.respire.server.commands.InfoReport;

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
    /** The thread of the listening sockets (accepts), apart so that the executor can reopen them. */
    private final EventLoopGroup acceptGroup;
    private final EventExecutor executor;
    private final Listeners listeners;
    /** The TLS context of new connections on tls-port; null until TLS is configured. */
    private volatile TlsContext tls;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Path pidFile;
    private volatile boolean shuttingDown;

    private RespireServer(ServerConfig config, boolean announce) {
        CommandTable table = CommandTable.load();
        CommandFamilies.registerAll(table);
        String renameError = renameCommands(table, config);
        this.context = new ServerContext(config, table);
        ServerLog log = context.log();
        int ioThreads = config.ioThreads.intValue();
        boolean epoll = Epoll.isAvailable();
        EventPump pump = new EventPump(epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        IoGroup io = new IoGroup(ioThreads, new NamedThreads("respire-io", config.serverCpulist.value(), log), pump);
        this.ioGroup = io;
        this.acceptGroup = new ClosingIoEventLoopGroup(1, new NamedThreads("respire-accept", config.serverCpulist.value(), log),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        // With one I/O thread that thread is also the executor, as Redis's main thread; with more, a
        // dedicated thread runs commands, fed in batches.
        if (ioThreads == 1) {
            this.executor = ioGroup.next();
            // The executor reads the sockets itself: a long script serves them from its hook.
            EventExecutor loop = executor;
            context.eventPump(() -> {
                io.registerPending(); // clients that connected meanwhile are accepted, as Redis does
                pump.pump(loop);
            });
        } else {
            ExecutorLoop loop = new ExecutorLoop(new NamedThreads("respire-exec", config.serverCpulist.value(), log));
            this.executor = loop;
            // The I/O threads hand requests over as tasks: a long script runs those from its hook.
            context.eventPump(loop::runQueuedTasks);
        }
        context.executor(executor);
        context.outgoingConnections(() -> new io.netty.bootstrap.Bootstrap().group(ioGroup)
                .channel(epoll ? io.netty.channel.epoll.EpollSocketChannel.class : io.netty.channel.socket.nio.NioSocketChannel.class));
        context.onShutdownRequest(this::shutdownRequested);
        CommandDispatcher dispatcher = new CommandDispatcher(context);
        this.listeners = new Listeners(config, log);
        // What Respire cannot do stops the start before any client is accepted (a server that
        // answered PING and then went away would leave Redis's test suite waiting on a dead
        // socket), but after the logo with the PID, which the suite waits for.
        List<String> refused = new java.util.ArrayList<>(MissingFeatures.refused(config));
        if (renameError != null) {
            refused.add(0, renameError);
        }
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
            FileLimits.adjustAtStart(config, log);
            if (config.tlsPort.intValue() != 0) {
                tls = buildTls(); // Redis's tlsConfigure at start: a failure ends the start
            }
            // Loading from now until the data is in (Redis accepts no command before its load):
            // a client that connects first is answered LOADING, never from the empty dataset.
            executor.submit(() -> context.snapshots().loader().loading(true)).syncUninterruptibly();
            listeners.open(acceptGroup, ioGroup, epoll, connections(dispatcher, false), connections(dispatcher, true),
                    metricsConnections());
        } catch (StartupException e) {
            stopThreads();
            throw e;
        }
        context.port(listeners.port());
        // CONFIG SET port or bind reopens the TCP sockets; on failure CONFIG SET puts the old value
        // back and this runs again with it. The errors are Redis's (updatePort, applyBind).
        config.port.onChange(o -> reopenTcp("Unable to listen on this port. Check server logs.", false));
        config.bind.onChange(o -> reopenTcp("Failed to bind to specified addresses.", true));
        if (announce) {
            ProcessTitle.update(config, context.port(), log);
            config.procTitleTemplate.onChange(o -> ProcessTitle.update(config, context.port(), log));
        } else {
            config.set("set-proc-title", "no"); // the host process's title is not the server's
        }
        watchTlsSettings(config);
        config.maxclients.onChange(o -> FileLimits.checkConfigSet(config));
        if (announce) {
            context.oomScore().ownProcess();
        }
        context.oomScore().reapply();
        config.watchdogPeriod.onChange(o -> context.watchdog().periodChanged());
        config.oomScoreAdj.onChange(o -> context.oomScore().apply());
        config.oomScoreAdjValues.onChange(o -> context.oomScore().apply());
        config.metricsPort.onChange(o -> {
            try {
                listeners.reopenMetrics();
            } catch (Listeners.ListenFailure e) {
                throw new IllegalArgumentException("Unable to listen on this port. Check server logs.");
            }
        });
        writePidFile(config);
        if (announce) {
            logStartup(config, log);
        }
        // CONFIG SET appendonly: Redis's updateAppendonly (a rewrite makes the base, or the AOF stops).
        config.appendonly.onChange(o -> {
            if (!config.appendonly.value()) {
                context.aof().stop();
            } else if (!context.aof().start()) {
                throw new IllegalArgumentException("Unable to turn on AOF. Check server logs.");
            }
        });
        config.aofDisableAutoGc.onChange(o -> context.aof().autoGcChanged());
        config.maxmemory.onChange(o -> maxmemoryChanged(context, log));
        loadDataFromDisk(log);
        if (config.replicaof.host() != null) {
            // Redis's initServer: a configured replicaof connects from the first cron on.
            executor.execute(() -> context.masterLink().replicaOf(config.replicaof.host(), config.replicaof.port()));
        }
        new ServerCron(context).scheduleOn(executor);
        if (announce) {
            log.notice("Ready to accept connections");
        }
        if (announce && listeners.unixSocket() != null) {
            log.notice("The server is now ready to accept connections at ".concat(listeners.unixSocket().toString()));
        }
    }

    /** The pipeline of an accepted connection: TLS first on the TLS port, then RESP. */
    private ChannelInitializer<Channel> connections(CommandDispatcher dispatcher, boolean overTls) {
        ServerConfig config = context.config();
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                SocketOptions.keepAlive(ch, config.tcpKeepalive.intValue());
                if (overTls) {
                    ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                }
                ConnectionHandler handler = new ConnectionHandler(context, dispatcher);
                RespDecoder decoder = new RespDecoder(context.decoderLimits(), handler::authRequired);
                ch.pipeline().addLast("resp-decoder", decoder);
                ch.pipeline().addLast("connection", handler);
                if (!overTls) {
                    // The socket reads into the client's query buffer (TLS reads into its own buffers).
                    int reads = ((MaxMessagesRecvByteBufAllocator) ch.config().getRecvByteBufAllocator())
                            .maxMessagesPerRead();
                    ch.config().setRecvByteBufAllocator(decoder.socketReads(reads));
                }
            }
        };
    }

    /** The pipeline of a metrics-port connection: HTTP, requests of at most 16 KB, closed after 30 s idle. */
    private ChannelInitializer<Channel> metricsConnections() {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new io.netty.handler.timeout.ReadTimeoutHandler(30));
                ch.pipeline().addLast(new io.netty.handler.codec.http.HttpServerCodec());
                ch.pipeline().addLast(new io.netty.handler.codec.http.HttpObjectAggregator(MetricsEndpoint.MAX_REQUEST_BYTES));
                ch.pipeline().addLast(new MetricsEndpoint(context, s -> InfoReport.generate(s, List.of("everything"))));
            }
        };
    }

    /** Redis's tlsConfigure, its reason logged; at start, its "Failed to configure TLS" ends the start. */
    private TlsContext buildTls() {
        try {
            return TlsContext.build(context.config());
        } catch (TlsConfigException e) {
            context.log().warning(e.getMessage());
            context.log().warning("Failed to configure TLS. Check logs for more info.");
            throw new StartupException("Failed to configure TLS: " + e.getMessage());
        }
    }

    /**
     * CONFIG SET of a TLS setting rebuilds the context while TLS is on (Redis's applyTlsCfg); of
     * tls-port, builds it if needed and reopens the TLS sockets (applyTLSPort). New connections use
     * the new context; open ones keep theirs.
     */
    private void watchTlsSettings(ServerConfig config) {
        String tlsError = "Unable to update TLS configuration. Check server logs.";
        for (io.respire.server.config.ConfigOption option : List.of(config.tlsCertFile, config.tlsKeyFile,
                config.tlsKeyFilePass, config.tlsCaCertFile, config.tlsCaCertDir, config.tlsProtocols, config.tlsCiphers,
                config.tlsCiphersuites, config.tlsSessionCacheSize, config.tlsSessionCacheTimeout)) {
            option.onChange(o -> {
                if (config.tlsPort.intValue() != 0 || tls != null) {
                    tls = rebuildTls(tlsError);
                }
            });
        }
        config.tlsPort.onChange(o -> {
            if (config.tlsPort.intValue() != 0 && tls == null) {
                tls = rebuildTls(tlsError);
            }
            try {
                listeners.reopenTls();
            } catch (Listeners.ListenFailure e) {
                throw new IllegalArgumentException("Unable to listen on this port. Check server logs.");
            }
        });
    }

    private TlsContext rebuildTls(String error) {
        try {
            return TlsContext.build(context.config());
        } catch (TlsConfigException e) {
            context.log().warning(e.getMessage());
            throw new IllegalArgumentException(error);
        }
    }

    private void reopenTcp(String error, boolean bind) {
        try {
            listeners.reopenTcp();
        } catch (Listeners.ListenFailure e) {
            if (bind) {
                context.log().warning("Failed to bind"); // changeBindAddr's line
            }
            throw new IllegalArgumentException(error);
        } finally {
            context.port(listeners.port());
            ProcessTitle.update(context.config(), context.port(), context.log());
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
     * The config file's rename-command lines, applied in order (Redis applies each as it reads
     * it); the first that fails ends the start, with Redis's reason: its error, or null.
     */
    private static String renameCommands(CommandTable table, ServerConfig config) {
        for (List<String> rename : config.commandRenames()) {
            try {
                table.rename(rename.get(0), rename.get(1));
            } catch (IllegalArgumentException e) {
                return "Fatal config file error at 'rename-command " + rename.get(0) + " " + rename.get(1) + "': "
                        + e.getMessage();
            }
        }
        return null;
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
        long maxmemory = config.maxmemory.value();
        if (maxmemory > 0 && maxmemory < 1024 * 1024) {
            log.warning("WARNING: You specified a maxmemory value that is less than 1MB (current value is "
                    + maxmemory + " bytes). Are you sure this is what you really want?");
        }
    }

    /** Redis's updateMaxmemory: CONFIG SET maxmemory starts evicting down to a lower limit, right after the command. */
    private static void maxmemoryChanged(ServerContext context, ServerLog log) {
        long maxmemory = context.config().maxmemory.value();
        if (maxmemory == 0) {
            return;
        }
        long used = context.usedMemory();
        if (maxmemory < used) {
            log.warning("WARNING: the new maxmemory value set via CONFIG SET (" + maxmemory + ") is smaller than "
                    + "the current memory usage (" + used + "). This will result in key eviction and/or the "
                    + "inability to accept new write commands depending on the maxmemory-policy.");
        }
        context.eviction().startProc();
    }

    /**
     * Redis's loadDataFromDisk, on the executor (which owns the data; clients that connected meanwhile
     * wait behind it). A file that does not load stops the start, as Redis exits.
     */
    private void loadDataFromDisk(ServerLog log) {
        try {
            executor.submit(() -> {
                var aof = context.aof();
                aof.loadManifest();
                if (aof.on()) {
                    aof.loadAtStart();
                } else {
                    var loader = context.snapshots().loader();
                    boolean primary = context.config().replicaof.host() == null;
                    if (primary) {
                        context.replication().backlogForLoad(); // for the DELs of keys expired in the file
                    }
                    loader.loadAtStart(primary);
                    context.replication().restoreAfterLoad(loader.replId(), loader.replOffset(), loader.replStreamDb(),
                            !primary);
                }
                aof.openAtStart();
                context.snapshots().loader().loading(false);
                return null;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while loading the RDB file");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof io.respire.server.persistence.aof.AppendOnlyFile.AofStartupException) {
                listeners.close(); // the AOF logged why, as Redis before its exit(1)
                stopThreads();
                throw new StartupException(cause.getMessage());
            }
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

    /**
     * The shutdown's final steps (Redis's finishShutdown, from {@link ShutdownSequence} on the
     * executor): AOF and final save here, the stop itself on a thread of its own.
     */
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
     * Stops the server as SHUTDOWN NOW with these flags does, with Redis's log lines, and returns
     * once it has stopped (when called off the executor). The final snapshot is saved with SAVE, or
     * when save points are set and NOSAVE is not given; if that save fails the server keeps running
     * unless FORCE. It does not wait for replicas (as NOW): SHUTDOWN and the signals do.
     */
    public boolean shutdown(int flags) {
        boolean exiting = onExecutor(
                () -> context.shutdownSequence().begin(flags | SHUTDOWN_NOW) == ShutdownSequence.Outcome.EXITING);
        if (exiting && !executor.inEventLoop()) {
            try {
                awaitTermination();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return exiting;
    }

    private synchronized boolean prepareShutdown(int flags) {
        if (shuttingDown) {
            return false;
        }
        ServerLog log = context.log();
        boolean nosave = (flags & SHUTDOWN_NOSAVE) != 0;
        if (context.snapshots().backgroundSaveRunning()) {
            log.warning("There is a child saving an .rdb. Killing it!");
            context.snapshots().abortBackgroundSave();
        }
        boolean force = (flags & SHUTDOWN_FORCE) != 0;
        if (!onExecutor(() -> context.aof().prepareShutdown(force))) {
            log.warning("Errors trying to shut down the server. Check the logs for more information.");
            return false;
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
        return onExecutor(() -> context.snapshots().save());
    }

    /** Runs {@code task} on the executor, which owns the data, whichever thread asks; false if it failed. */
    private boolean onExecutor(java.util.concurrent.Callable<Boolean> task) {
        try {
            return executor.inEventLoop() ? task.call() : executor.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            context.log().warning("Error while shutting down: " + (e.getCause() != null ? e.getCause() : e));
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
        context.aof().close();
        context.children().endAll();
        stopped.countDown();
    }

    private void stopThreads() {
        if (executor != ioGroup.next() && executor != null) {
            executor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        acceptGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        // Bounded: an event loop that died never completes its termination future.
        ioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /**
     * The I/O threads. Registering a channel (an accepted connection, an outgoing link) is a task of
     * its loop; with one I/O thread that loop also runs commands, and while a long script or the
     * loading of the dataset holds it, only {@link EventPump} serves its sockets. So registrations
     * also wait in a queue that the pump drains: a client that connects meanwhile is accepted and
     * answered (LOADING, BUSY), as Redis's processEventsWhileBlocked accepts clients.
     */
    private static final class IoGroup extends ClosingIoEventLoopGroup {
        private final boolean single;
        private final java.util.Queue<io.netty.channel.ChannelPromise> registrations =
                new java.util.concurrent.ConcurrentLinkedQueue<>();

        IoGroup(int threads, java.util.concurrent.ThreadFactory factory, IoHandlerFactory handlers) {
            super(threads, factory, handlers);
            this.single = threads == 1;
        }

        @Override
        public io.netty.channel.ChannelFuture register(Channel channel) {
            if (!single) {
                return super.register(channel);
            }
            io.netty.channel.EventLoop loop = next();
            io.netty.channel.ChannelPromise promise = new io.netty.channel.DefaultChannelPromise(channel, loop);
            registrations.add(promise);
            loop.execute(this::registerPending);
            return promise;
        }

        /** Registers the channels waiting for it, on the loop's own thread (so at once). */
        void registerPending() {
            for (io.netty.channel.ChannelPromise p = registrations.poll(); p != null; p = registrations.poll()) {
                next().register(p);
            }
        }
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

    /**
     * Daemon-free named threads, so thread dumps say what each one is, pinned to server_cpulist
     * as Redis pins its main and I/O threads.
     */
    private static final class NamedThreads implements java.util.concurrent.ThreadFactory {
        private static final long STACK_BYTES = 64L * 1024 * 1024;

        private final String prefix;
        private final String cpulist;
        private final ServerLog log;
        private int count;

        NamedThreads(String prefix, String cpulist, ServerLog log) {
            this.prefix = prefix;
            this.cpulist = cpulist;
            this.log = log;
        }

        @Override
        public synchronized Thread newThread(Runnable r) {
            // A deep stack: Lua scripts run on these threads, and LuaJ recurses on the Java stack
            // (Lua 5.1 allows 20,000 nested calls).
            return new io.netty.util.concurrent.FastThreadLocalThread(null, CpuAffinity.pinned(cpulist, log, r),
                    prefix + "-" + count++, STACK_BYTES);
        }
    }
}
