package io.respire.server;

import io.netty.util.concurrent.EventExecutor;
import io.respire.ds.keyspace.Database;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Redis's serverCron, run {@code hz} times a second on the executor: the active expiry cycle, so
 * that expired keys disappear even when nobody touches them; the sampling of instantaneous rates
 * and peak memory; the end of a CLIENT PAUSE; and closing clients idle for longer than
 * {@code timeout} (Redis's clientsCron).
 */
final class ServerCron implements Runnable {
    /** Keys sampled per database per round, as Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP. */
    private static final int KEYS_PER_LOOP = 20;
    /** Redis's ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE and _SLOW_TIME_PERC, before active-expire-effort. */
    private static final int ACCEPTABLE_STALE_PERCENT = 10;
    private static final int SLOW_TIME_PERCENT = 25;

    /** How often the instantaneous rates are sampled (Redis's run_with_period(100)). */
    private static final long SAMPLE_PERIOD_MS = 100;

    /** Redis's CLIENTS_CRON_MIN_ITERATIONS: the fewest clients {@link #clientsCron} looks at per run. */
    private static final int CLIENTS_CRON_MIN_ITERATIONS = 5;

    private final ServerContext server;
    private long lastSampleMs;
    private long lastReplicationCronMs;
    /** Where the next run of {@link #clientsCron} starts in the list of clients. */
    private int clientsCronNext;

    ServerCron(ServerContext server) {
        this.server = server;
        server.updateAccessClock();
    }

    /**
     * Runs the cron on {@code executor} every 1000/hz ms, hz read again after each run: CONFIG SET
     * hz takes effect at once, as Redis's serverCron returns the delay to its next run.
     */
    void scheduleOn(EventExecutor executor) {
        if (executor.isShuttingDown()) {
            return;
        }
        try {
            executor.schedule(() -> {
                try {
                    run();
                } finally {
                    scheduleOn(executor);
                }
            }, Math.max(1, 1000 / server.hz()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the server is stopping: no more runs
        }
    }

    @Override
    public void run() {
        server.watchdog().arm(); // Redis's serverCron re-arms the watchdog's timer first
        server.updateAccessClock();
        server.updateHz();
        // Nothing periodic runs inside a script that runs long and lets others in (Redis's
        // processEventsWhileBlocked runs no timers): keys must not expire under it.
        if (server.cronPaused() || server.scripting().timedOut()) {
            return;
        }
        server.shutdownSequence().cron();
        long now = server.nowMs();
        if (now - lastSampleMs >= SAMPLE_PERIOD_MS) {
            lastSampleMs = now;
            server.stats().sampleRates(now);
        }
        clientsCron(now);
        server.sampleClientsMemory();
        ClientEviction.evictIfOver(server); // Redis's clientsCron and beforeSleep evict too
        server.notePeakMemory(server.usedMemory());
        if (now - lastReplicationCronMs >= 1000) {
            lastReplicationCronMs = now;
            server.replication().cron(); // Redis's replicationCron, once a second
            server.masterLink().cron();
        }
        closeIdleClients(now);
        closeClientsOverOutputLimits();
        if (server.tracking().trackingClients() > 0) {
            server.tracking().limitTable(); // tracking-table-max-keys, lowered by CONFIG SET for instance
        }
        // A pause also holds back expiry: keys must not vanish while writes are held.
        if (!server.clientsPaused()) {
            activeExpireCycle();
        }
        databasesCron();
        server.snapshots().cron(now);
        server.aof().cron(now);
        server.migrationLinks().closeIdle(now);
    }

    /**
     * Redis's databasesCron: shrink tables that deletions left mostly empty, and (activerehashing)
     * give a rehash in progress a millisecond per database, so that a table nobody touches still
     * finishes its rehash instead of holding two tables.
     */
    private void databasesCron() {
        if (server.backgroundJobRunning()) {
            return; // as Redis with a child: no resize while a save or rewrite runs
        }
        boolean rehash = server.config().activerehashing.value();
        for (int i = 0; i < server.databaseCount(); i++) {
            Database db = server.database(i);
            db.resizeIfNeeded();
            if (rehash) {
                db.rehashMilliseconds(1);
            }
        }
    }

    /**
     * Redis's clientsCron, the part done a few clients at a time: each one's query buffer resized
     * (clientsCronResizeQueryBuffer) and its input and output sizes recorded for INFO's
     * client_recent_max_* (clientsCronTrackExpansiveClients). As Redis, clients/hz of them per
     * run (at least 5), taken in turn, so that each is seen about once a second.
     */
    private void clientsCron(long nowMs) {
        long nowSeconds = nowMs / 1000;
        server.stats().clientsPeakNextSecond(nowSeconds);
        int count = server.clients().size();
        if (count == 0) {
            return;
        }
        int iterations = Math.max(count / server.hz(), Math.min(count, CLIENTS_CRON_MIN_ITERATIONS));
        int start = clientsCronNext % count;
        int i = 0;
        for (Client c : server.clients()) {
            if (Math.floorMod(i++ - start, count) < iterations) {
                c.resizeQueryBuffer(nowMs);
                server.stats().clientPeak(nowSeconds, c.queryBufferCapacity() + c.partialArgumentBytes(),
                        c.pendingOutputBytes());
            }
        }
        clientsCronNext = start + iterations;
    }

    /**
     * Output buffer limits are checked as replies are flushed; this catches a client that stays
     * over its soft limit without receiving more (Redis's clientsCron does the same).
     */
    private void closeClientsOverOutputLimits() {
        List<Client> over = new ArrayList<>();
        for (Client c : server.clients()) {
            long pending = c.pendingOutputBytes();
            if (pending > 0 && c.outputBufferLimitReached(pending)) {
                over.add(c);
            }
        }
        for (Client c : over) {
            ConnectionHandler.closeForOutputLimit(c, false);
        }
    }

    /**
     * Redis's clientsCronHandleTimeout: closes clients idle for more than {@code timeout} seconds,
     * except blocked, subscribed and MONITOR clients.
     */
    private void closeIdleClients(long nowMs) {
        long timeout = server.config().timeout.value();
        if (timeout == 0) {
            return;
        }
        long nowSeconds = nowMs / 1000;
        List<Client> idle = new ArrayList<>();
        for (Client c : server.clients()) {
            if (!c.blocked() && !c.monitor() && c.type().equals("normal")
                    && nowSeconds - c.lastInteractionMs() / 1000 > timeout) {
                idle.add(c);
            }
        }
        for (Client c : idle) {
            c.close();
        }
    }

    /**
     * Samples keys with a TTL in every database and removes the expired ones, repeating while more
     * than a quarter of a sample was expired, within a quarter of the cron period (Redis's slow cycle).
     */
    private void activeExpireCycle() {
        if (!server.activeExpireEnabled()) {
            return;
        }
        if (server.masterLink().active()) {
            // A replica's keys expire by its primary's DELs, except those its own clients gave a TTL.
            server.masterLink().expireWritableKeys();
            return;
        }
        int effort = server.config().activeExpireEffort.intValue() - 1;
        int perLoop = KEYS_PER_LOOP + KEYS_PER_LOOP / 4 * effort;
        int acceptableStalePercent = ACCEPTABLE_STALE_PERCENT - effort;
        long budgetNanos = 1_000_000_000L / 100 * (SLOW_TIME_PERCENT + 2L * effort) / server.hz();
        long start = System.nanoTime();
        long deadline = start + budgetNanos;
        long sampledTotal = 0;
        long expiredTotal = 0;
        Stats stats = server.stats();
        databases:
        for (int i = 0; i < server.databaseCount(); i++) {
            Database db = server.database(i);
            if (db.expiresSize() == 0) {
                db.clearAvgTtl();
                continue;
            }
            // Again while more than the acceptable share of a sample had expired (Redis 7's 10%).
            while (db.expiresSize() > 0) {
                int sampled = Math.min(perLoop, db.expiresSize());
                int removed = db.activeExpireCycle(server.nowMs(), sampled);
                sampledTotal += sampled;
                expiredTotal += removed;
                if (System.nanoTime() > deadline) {
                    stats.expiredTimeCapReachedCount++;
                    break databases;
                }
                if (removed * 100L <= (long) sampled * acceptableStalePercent) {
                    break;
                }
            }
        }
        long elapsedMicros = (System.nanoTime() - start) / 1000;
        stats.expireCycleMicros += elapsedMicros;
        double stale = sampledTotal == 0 ? 0 : (double) expiredTotal / sampledTotal;
        stats.expiredStaleRatio = stale * 0.05 + stats.expiredStaleRatio * 0.95; // Redis's running estimate
        server.observability().addLatencySample("expire-cycle", elapsedMicros / 1000);
        server.propagation().flush(true); // the DELs, each on its own (Redis's propagate_no_multi)
        server.blockingKeys().serveReady(); // readers blocked on keys that expired (as Redis's beforeSleep)
    }
}
