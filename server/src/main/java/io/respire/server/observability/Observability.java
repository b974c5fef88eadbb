package io.respire.server.observability;

import io.respire.server.Client;
import io.respire.server.ServerContext;
import io.respire.server.command.CommandFlag;
import io.respire.server.command.CommandSpec;
import io.respire.server.command.CommandStats;
import io.respire.server.config.ServerConfig;

/**
 * What the server records about the time commands take: the slow log, the latency monitor's
 * events and the per-command latency histograms. The dispatcher tells it of every call
 * ({@link #called}), the blocking machinery of every blocked command served ({@link #unblocked}).
 * The settings are copied into plain fields when they change, so that a call costs a few
 * comparisons and, with latency-tracking on, one histogram increment.
 */
public final class Observability {
    private final ServerContext server;
    private final Slowlog slowlog = new Slowlog();
    private final LatencyMonitor latency = new LatencyMonitor();
    private long slowlogSlowerThan;
    private long slowlogMaxLen;
    private long latencyThresholdMs;
    private boolean tracking;

    public Observability(ServerContext server) {
        this.server = server;
        ServerConfig config = server.config();
        readSettings();
        config.slowlogLogSlowerThan.onChange(o -> readSettings());
        config.slowlogMaxLen.onChange(o -> readSettings());
        config.latencyMonitorThreshold.onChange(o -> readSettings());
        config.latencyTracking.onChange(o -> readSettings());
    }

    private void readSettings() {
        ServerConfig config = server.config();
        slowlogSlowerThan = config.slowlogLogSlowerThan.value();
        slowlogMaxLen = config.slowlogMaxLen.value();
        latencyThresholdMs = config.latencyMonitorThreshold.value();
        tracking = config.latencyTracking.value();
    }

    public Slowlog slowlog() {
        return slowlog;
    }

    public LatencyMonitor latency() {
        return latency;
    }

    public boolean latencyTracking() {
        return tracking;
    }

    /**
     * Accounts for one call of {@code cmd} by {@code c} with the arguments it was called with
     * (before any rewriting), which ran for {@code nanos} (the slow log, latency and histogram part
     * of Redis's call()). A command that blocked its client is logged when it is unblocked.
     */
    public void called(Client c, CommandSpec cmd, byte[][] argv, long nanos) {
        long micros = nanos / 1000;
        addLatencySample(cmd.has(CommandFlag.FAST) ? "fast-command" : "command", micros / 1000);
        if (c.blocked()) {
            c.callMicros(micros);
            return;
        }
        if (tracking) {
            LatencyHistograms.record(cmd.stats(), micros * 1000); // Redis's clock counts microseconds
        }
        logIfSlow(c, cmd, argv, micros);
    }

    /**
     * Accounts for a blocked command once served or unblocked (Redis's updateStatsOnUnblock): its
     * time is what it ran when called plus {@code replyNanos} to serve it. {@code argv} is what the
     * slow log shows (CLIENT UNBLOCK's target has none left in Redis).
     */
    public void unblocked(Client c, byte[][] argv, long replyNanos, boolean failed) {
        CommandSpec cmd = c.lastCommand();
        if (cmd == null) {
            return;
        }
        long replyMicros = replyNanos / 1000;
        long total = c.callMicros() + replyMicros;
        CommandStats stats = cmd.stats();
        stats.microseconds += total;
        if (failed) {
            stats.failedCalls++;
        }
        if (tracking) {
            LatencyHistograms.record(stats, total * 1000);
        }
        logIfSlow(c, cmd, argv, total);
        addLatencySample("command-unblocking", replyMicros / 1000);
    }

    /**
     * Redis's latencyStartMonitor: the clock's reading when the latency monitor is on, else 0, so
     * that a path timed only for LATENCY pays no clock read while it is off (the default).
     */
    public long latencyStart() {
        return latencyThresholdMs != 0 ? System.nanoTime() : 0;
    }

    /** Redis's latencyEndMonitor and latencyAddSampleIfNeeded, for a start from {@link #latencyStart}. */
    public void latencyEnd(String event, long start) {
        if (start != 0 && latencyThresholdMs != 0) {
            addLatencySample(event, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Redis's latencyAddSampleIfNeeded: only when the monitor is on and the threshold reached. */
    public void addLatencySample(String event, long ms) {
        if (latencyThresholdMs != 0 && ms >= latencyThresholdMs) {
            latency.add(event, ms, server.clock().millis() / 1000);
        }
    }

    /**
     * Redis's slowlogPushCurrentCommand: commands flagged skip-slowlog (EXEC) are never logged; the
     * log is trimmed to slowlog-max-len whenever a command could have been logged, as Redis does.
     */
    private void logIfSlow(Client c, CommandSpec cmd, byte[][] argv, long micros) {
        if (slowlogSlowerThan < 0 || cmd.has(CommandFlag.SKIP_SLOWLOG)) {
            return;
        }
        if (micros < slowlogSlowerThan) {
            slowlog.trimTo(slowlogMaxLen);
            return;
        }
        String peer = c.detached() ? "?:0" : c.address();
        String name = c.name() == null ? "" : c.name();
        slowlog.push(slowlogMaxLen, Redaction.redact(server.config(), cmd, argv), micros,
                server.clock().millis() / 1000, peer, name);
    }

    /** The slow log's settings as LATENCY DOCTOR weighs them. */
    public LatencyReport.Settings reportSettings() {
        return new LatencyReport.Settings(latencyThresholdMs, slowlogSlowerThan, server.config().hz.value());
    }
}
