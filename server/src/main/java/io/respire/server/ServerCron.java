package io.respire.server;

import io.respire.ds.keyspace.Database;

/**
 * Redis's serverCron, run {@code hz} times a second on the executor: the active expiry cycle, so
 * that expired keys disappear even when nobody touches them.
 */
final class ServerCron implements Runnable {
    /** Keys sampled per database per round, as Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP. */
    private static final int KEYS_PER_LOOP = 20;

    private final ServerContext server;

    ServerCron(ServerContext server) {
        this.server = server;
    }

    @Override
    public void run() {
        activeExpireCycle();
    }

    /**
     * Samples keys with a TTL in every database and removes the expired ones, repeating while more
     * than a quarter of a sample was expired, within a quarter of the cron period (Redis's slow cycle).
     */
    private void activeExpireCycle() {
        if (!server.activeExpireEnabled()) {
            return;
        }
        int effort = server.config().activeExpireEffort.intValue() - 1;
        int perLoop = KEYS_PER_LOOP + KEYS_PER_LOOP / 4 * effort;
        long budgetNanos = 1_000_000_000L / server.config().hz.intValue() / 4;
        long deadline = System.nanoTime() + budgetNanos;
        for (int i = 0; i < server.databaseCount(); i++) {
            Database db = server.database(i);
            while (db.expiresSize() > 0) {
                int removed = db.activeExpireCycle(server.nowMs(), perLoop);
                if (removed * 4 <= perLoop || System.nanoTime() > deadline) {
                    break;
                }
            }
        }
    }
}
