package io.respire.server;

import io.respire.server.commands.ServerInfo;
import io.respire.server.config.ConfigFileException;
import io.respire.server.config.ServerConfig;
import sun.misc.Signal;

import java.io.UncheckedIOException;

/**
 * {@code respire-server [config-file] [--name value ...] [-]}, as redis-server: a configuration
 * error stops the start with Redis's "FATAL CONFIG FILE ERROR" report and exit status 1, so does a
 * port that cannot be listened on (after Redis's "Failed listening on port" line); SIGTERM and
 * SIGINT shut the server down as Redis does, with exit status 0.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Netty's buffer allocator emits JFR events when JFR is available; loading their classes
        // and JFR's event machinery made the first connection of every server wait ~150 ms.
        // -Dio.netty.jfr.enabled=true (RESPIRE_JAVA_OPTS) restores them for a recording.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        // Netty's leak detector wraps one buffer in 128 for tracking; that alone made the codec's
        // and the replies' buffer calls slower: SET -P 16 spent 2.25-2.42 us of server CPU per
        // request with it, 2.09-2.25 without (416-445k against 447-480k ops/s, three interleaved
        // rounds). Embedded servers, and so the tests, keep the detector;
        // -Dio.netty.leakDetection.level=simple (RESPIRE_JAVA_OPTS) turns it back on here.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        if (Boolean.getBoolean(CdsTraining.PROPERTY)) {
            CdsTraining.run(); // bin/respire-server's class data sharing archive
            System.exit(0);
        }
        ServerConfig config;
        try {
            ConfigLoader.Invocation invocation = ConfigLoader.parse(args);
            if (invocation.version()) {
                invocation.commandLine().printVersionHelp(System.out);
                System.exit(0);
            }
            if (invocation.help()) {
                invocation.commandLine().usage(System.err);
                System.exit(1);
            }
            config = ConfigLoader.load(invocation, System.in);
        } catch (ConfigFileException e) {
            System.err.println();
            System.err.println("*** FATAL CONFIG FILE ERROR (Respire " + ServerInfo.RESPIRE_VERSION + ") ***");
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        ServerLog log = new ServerLog(config);
        logStart(log, args.length == 0);
        // Installed before the server starts, as Redis's are in initServer: a SIGTERM sent as soon
        // as "Ready to accept connections" is logged must find them.
        ShutdownSignals signals = new ShutdownSignals(log, config);
        signals.install();
        CrashReport.installAbortHandler(log, config);
        config.crashLogEnabled.onChange(o -> CrashReport.installAbortHandler(log, config));
        RespireServer server;
        try {
            server = RespireServer.startProcess(config);
        } catch (StartupException e) {
            System.exit(1); // logged
            return;
        }
        signals.started(server);
        server.awaitTermination();
        System.exit(0);
    }

    /** Redis's first lines; they carry Redis's role letter C, logged before the server exists. */
    static void logStart(ServerLog log, boolean noArguments) {
        // StringBuilder rather than +: the first string concatenations of a JVM cost its start ~50 ms.
        log.log(ServerLog.WARNING, 'C', "oO0OoO0OoO0Oo Respire is starting oO0OoO0OoO0Oo");
        log.log(ServerLog.WARNING, 'C', new StringBuilder("Respire version=").append(ServerInfo.RESPIRE_VERSION)
                .append(", redis_version=").append(ServerInfo.REDIS_VERSION).append(", java=")
                .append(System.getProperty("java.version")).append(", bits=64, pid=")
                .append(ProcessHandle.current().pid()).append(", just started").toString());
        if (noArguments) {
            log.log(ServerLog.WARNING, 'C', "Warning: no config file specified, using the default config. In order to "
                    + "specify a config file use respire-server /path/to/redis.conf");
        } else {
            log.log(ServerLog.WARNING, 'C', "Configuration loaded");
        }
    }

    /**
     * SIGTERM and SIGINT as Redis's sigShutdownHandler and serverCron take them: logged, then a
     * shutdown scheduled for the cron with the shutdown-on-sigterm / shutdown-on-sigint flags (so
     * that DEBUG PAUSE-CRON holds it and SHUTDOWN ABORT cancels it); a signal received while the
     * server starts is acted on once it has started. A SIGINT while a shutdown is pending exits at
     * once with status 1, removing the temporary file of a save under way. If the shutdown cannot
     * be done (its save failed), the server keeps running, as Redis does.
     */
    private static final class ShutdownSignals {
        private final ServerLog log;
        private final ServerConfig config;
        private RespireServer server;
        private String pending;

        ShutdownSignals(ServerLog log, ServerConfig config) {
            this.log = log;
            this.config = config;
        }

        void install() {
            // The log lines are constants: the first run of a string concatenation links its call
            // site, which took the handler 12-44 ms here (0.2 ms without); Redis's tests give 10 ms.
            Signal.handle(new Signal("TERM"), sig -> received("SIGTERM", "Received SIGTERM scheduling shutdown..."));
            Signal.handle(new Signal("INT"), sig -> received("SIGINT", "Received SIGINT scheduling shutdown..."));
        }

        private void received(String signal, String receivedLine) {
            RespireServer target;
            synchronized (this) {
                if (signal.equals("SIGINT") && (pending != null || (server != null
                        && (server.shuttingDown() || server.context().shutdownSequence().scheduled())))) {
                    log.fromSignalHandler(ServerLog.WARNING, "You insist... exiting now.");
                    removeTempFile(); // rdbRemoveTempFile: the save that was under way is abandoned
                    Runtime.getRuntime().halt(1);
                }
                log.fromSignalHandler(ServerLog.WARNING, receivedLine);
                target = server;
                if (target == null) {
                    pending = signal;
                    return;
                }
            }
            shutdown(target, signal);
        }

        private void removeTempFile() {
            try {
                java.nio.file.Files.deleteIfExists(io.respire.server.persistence.Snapshots.tempFile(config));
            } catch (java.io.IOException e) {
                // exiting anyway
            }
        }

        void started(RespireServer started) {
            String signal;
            synchronized (this) {
                server = started;
                signal = pending;
            }
            if (signal != null) {
                shutdown(started, signal);
            }
        }

        private void shutdown(RespireServer target, String signal) {
            if (target.shuttingDown()) {
                return;
            }
            int flags = signal.equals("SIGINT") ? config.shutdownOnSigint.intValue() : config.shutdownOnSigterm.intValue();
            target.context().shutdownSequence().schedule(signal, flags);
        }
    }
}
