package io.respire.server.keyspace;

import io.respire.ds.keyspace.Database;
import io.respire.ds.keyspace.Dict;
import io.respire.server.ServerContext;
import io.respire.server.config.ServerConfig;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Redis's evict.c: keeps {@link ServerContext#usedMemory} under maxmemory by removing keys as
 * maxmemory-policy says, before each command that may grow the data (the dispatcher calls
 * {@link #perform}).
 *
 * <p>The LRU, LFU and TTL policies approximate the best key as Redis does: each round samples
 * maxmemory-samples keys of every database into a pool of {@value #POOL_SIZE} candidates kept
 * sorted by "idle" score (time since last access, 255 minus the decayed LFU counter, or how soon
 * the TTL ends), which survives between rounds, then removes the best candidate that still
 * exists. The random policies take a random key from the next database in turn. An evicted key
 * goes through the write gate ("evicted" event, WATCH, tracking invalidation) and is propagated
 * as DEL, or UNLINK with lazyfree-lazy-eviction. A round is bounded in time by
 * maxmemory-eviction-tenacity; what is left is carried on by a task on the executor, as Redis's
 * eviction timer.
 */
public final class Eviction {
    /** What an attempt to get under maxmemory came to (Redis's EVICT_OK, EVICT_RUNNING, EVICT_FAIL). */
    public enum Result { OK, RUNNING, FAIL }

    /** Redis's EVPOOL_SIZE. */
    static final int POOL_SIZE = 16;
    private static final KeyEvent EVICTED = KeyEvent.of("evicted");

    private final ServerContext server;
    /** Candidates, best last; the first {@link #poolSize} slots are used (Redis's EvictionPoolLRU). */
    private final long[] poolIdle = new long[POOL_SIZE];
    private final byte[][] poolKey = new byte[POOL_SIZE][];
    private final int[] poolDb = new int[POOL_SIZE];
    /** The entries one populate samples, reused. */
    private Dict.Entry[] sample = new Dict.Entry[5];
    private int poolSize;
    /** maxmemory-policy's value and its parsed form. */
    private String policyName;
    private Policy policy;
    /** The database the random policies look at next (Redis's static next_db). */
    private int nextDb;
    /** Whether a task carries on evicting after a round ran out of time (Redis's isEvictionProcRunning). */
    private boolean procRunning;
    /** Inside {@link #perform}: tracking tells the running client at once, not after its reply. */
    private boolean evicting;
    /** When the memory went over the limit and could not be brought back yet, in ns; 0 if under. */
    private long exceededSinceNanos;
    private long totalExceededMicros;

    public Eviction(ServerContext server) {
        this.server = server;
    }

    /** The parsed maxmemory-policy, kept until the setting's value changes. */
    private Policy policy(String name) {
        if (name != policyName) { // a new value is a new String
            policy = Policy.of(name);
            policyName = name;
        }
        return policy;
    }

    /** maxmemory-policy, parsed once rather than tested as text for each sampled key. */
    private enum Policy {
        NOEVICTION, VOLATILE_LRU, ALLKEYS_LRU, VOLATILE_LFU, ALLKEYS_LFU, VOLATILE_RANDOM, ALLKEYS_RANDOM, VOLATILE_TTL;

        final boolean allKeys = name().startsWith("ALLKEYS");
        final boolean random = name().endsWith("RANDOM");

        static Policy of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * Redis's isSafeToPerformEvictions: not while loading, while a script runs long, or while
     * paused; and not on a replica with replica-ignore-maxmemory (the default), which stays an
     * exact copy of its primary and leaves evicting to it.
     */
    private boolean safe() {
        return !server.snapshots().loader().loading() && !server.scripting().timedOut() && !server.clientsPaused()
                && !(server.masterLink().active() && server.config().replicaIgnoreMaxmemory.value());
    }

    /**
     * How much is over maxmemory now, 0 if nothing (Redis's getMaxmemoryState): used_memory less
     * what is not counted for eviction (the replicas' buffers, the backlog beyond its size).
     */
    public long overLimit() {
        long max = server.config().maxmemory.value();
        if (max == 0) {
            return 0;
        }
        long used = server.usedMemory() - server.notCountedForEvict();
        return used > max ? used - max : 0;
    }

    /** Whether keys are being evicted now (before a command runs, or from the cron's follow-up). */
    public boolean evicting() {
        return evicting;
    }

    /** Redis's performEvictions: evicts until under maxmemory, out of time or out of candidates. */
    public Result perform() {
        if (!safe()) {
            return Result.OK;
        }
        evicting = true;
        Result result;
        try {
            result = evict();
        } finally {
            evicting = false;
        }
        if (result == Result.OK) {
            if (exceededSinceNanos != 0) {
                totalExceededMicros += (System.nanoTime() - exceededSinceNanos) / 1000;
                exceededSinceNanos = 0;
            }
        } else if (exceededSinceNanos == 0) {
            exceededSinceNanos = System.nanoTime();
        }
        return result;
    }

    private Result evict() {
        long toFree = overLimit();
        if (toFree == 0) {
            return Result.OK;
        }
        ServerConfig config = server.config();
        Policy policy = policy(config.maxmemoryPolicy.value());
        if (policy == Policy.NOEVICTION) {
            return Result.FAIL;
        }
        long limitNanos = timeLimitMicros(config.maxmemoryEvictionTenacity.intValue()) * 1000;
        long start = System.nanoTime();
        long latencyStart = server.observability().latencyStart();
        long freed = 0;
        int keysFreed = 0;
        boolean allKeys = policy.allKeys;
        while (freed < toFree) {
            Database db;
            byte[] key;
            if (policy.random) {
                db = randomDb(allKeys);
                key = db == null ? null : randomKey(db, allKeys);
            } else {
                int best = bestFromPool(policy, allKeys);
                db = best < 0 ? null : server.database(best);
                key = best < 0 ? null : pickedKey;
            }
            if (key == null) {
                propagateDeletions();
                return Result.FAIL; // nothing left that the policy may evict
            }
            freed += evictKey(db, key, config.lazyfreeLazyEviction.value());
            keysFreed++;
            if (keysFreed % 16 == 0 && System.nanoTime() - start > limitNanos) {
                startProc();
                break;
            }
        }
        propagateDeletions();
        server.observability().latencyEnd("eviction-cycle", latencyStart);
        return procRunning ? Result.RUNNING : Result.OK;
    }

    /**
     * Emits the evicted keys' DELs at once, each alone (Redis's performEvictions sets
     * propagate_no_multi): they are independent, and precede the command about to run.
     */
    private void propagateDeletions() {
        if (!server.propagation().inCall()) {
            server.propagation().flush(true);
        }
    }

    /** Removes one key as evicted; returns the bytes this freed. */
    private long evictKey(Database db, byte[] key, boolean lazy) {
        long before = db.memory();
        long start = server.observability().latencyStart();
        if (lazy) {
            server.freedLazily(db.peek(key));
        }
        db.remove(key);
        server.observability().latencyEnd("eviction-del", start);
        long freed = before - db.memory();
        server.stats().evictedKeys++;
        server.keyRemoved(db, key, EVICTED, 0); // signalModifiedKey + "evicted" event; not dirty
        server.propagateDeletion(db, key, lazy);
        return freed;
    }

    /**
     * Redis's evictionTimeLimitUs: 50 us per tenacity step up to 10, then 15% more per step, and
     * no limit at 100.
     */
    static long timeLimitMicros(int tenacity) {
        if (tenacity <= 10) {
            return 50L * tenacity;
        }
        if (tenacity < 100) {
            return (long) (500.0 * Math.pow(1.15, tenacity - 10.0));
        }
        return Long.MAX_VALUE / 1000;
    }

    /**
     * Redis's startEvictionTimeProc: the executor carries on evicting until under the limit or
     * stuck, soon but not inside the current command (CONFIG SET maxmemory starts it this way).
     */
    public void startProc() {
        if (procRunning) {
            return;
        }
        procRunning = true;
        server.executor().schedule(this::procTick, 0, TimeUnit.MILLISECONDS);
    }

    private void procTick() {
        procRunning = false; // a round that runs out of time again sets it back
        Result r = perform();
        if (r == Result.RUNNING && !procRunning) {
            startProc();
        }
    }

    // ---- random policies

    /** The next non-empty database (with keys that have a TTL, for volatile-random), or null. */
    private Database randomDb(boolean allKeys) {
        int n = server.databaseCount();
        for (int i = 0; i < n; i++) {
            nextDb = (nextDb + 1) % n;
            Database db = server.database(nextDb);
            if ((allKeys ? db.size() : db.expiresSize()) > 0) {
                return db;
            }
        }
        return null;
    }

    private byte[] randomKey(Database db, boolean allKeys) {
        Dict.Entry e = allKeys ? db.randomEntry(server.random()) : db.randomVolatileEntry(server.random());
        return e == null ? null : e.key();
    }

    // ---- the pool (LRU, LFU, TTL)

    /** The key {@link #bestFromPool} picked. */
    private byte[] pickedKey;

    /**
     * Fills the pool from every database and takes its best candidate that still exists (Redis's
     * loop around evictionPoolPopulate): sets {@link #pickedKey} and returns its database, or -1
     * when there is no key to evict.
     */
    private int bestFromPool(Policy policy, boolean allKeys) {
        while (true) {
            long keys = 0;
            for (int i = 0; i < server.databaseCount(); i++) {
                Database db = server.database(i);
                int size = allKeys ? db.size() : db.expiresSize();
                if (size > 0) {
                    populate(i, db, policy, allKeys);
                    keys += size;
                }
            }
            if (keys == 0) {
                return -1;
            }
            while (poolSize > 0) {
                int k = --poolSize;
                byte[] key = poolKey[k];
                int dbId = poolDb[k];
                poolKey[k] = null;
                Dict.Entry e = server.database(dbId).peekEntry(key);
                if (e != null && (allKeys || e.expireAt() != -1)) {
                    pickedKey = e.key();
                    return dbId;
                }
                // A ghost: the key went since it was sampled. Try the next best.
            }
        }
    }

    /**
     * Redis's evictionPoolPopulate: samples maxmemory-samples keys of {@code db} into the pool, as
     * Redis does with one dictGetSomeKeys (a run of buckets from a random place) over all keys, and
     * uniformly among the keys with a TTL.
     */
    private void populate(int dbId, Database db, Policy policy, boolean allKeys) {
        int samples = server.config().maxmemorySamples.intValue();
        long now = server.nowMs();
        if (allKeys) {
            if (sample.length < samples) {
                sample = new Dict.Entry[samples];
            }
            int n = db.sampleEntries(sample, samples, server.random());
            for (int j = 0; j < n; j++) {
                insert(idle(sample[j], policy, now), sample[j].key(), dbId);
                sample[j] = null;
            }
            return;
        }
        for (int j = 0; j < samples; j++) {
            Dict.Entry e = db.randomVolatileEntry(server.random());
            if (e == null) {
                return;
            }
            insert(idle(e, policy, now), e.key(), dbId);
        }
    }

    /** The higher the better to evict: idle ms, 255 minus the LFU counter, or the nearness of the TTL's end. */
    private long idle(Dict.Entry e, Policy policy, long now) {
        return switch (policy) {
            case ALLKEYS_LRU, VOLATILE_LRU -> KeyAccess.idleTimeMs(e.lru(), now);
            case ALLKEYS_LFU, VOLATILE_LFU -> 255 - KeyAccess.lfuCounter(server.config(), e.lru(), now);
            default -> Long.MAX_VALUE - e.expireAt(); // volatile-ttl: the sooner it expires, the better
        };
    }

    /** Inserts a candidate, keeping the pool sorted by idle ascending (Redis's insertion rules). */
    private void insert(long idle, byte[] key, int dbId) {
        int k = 0;
        while (k < poolSize && poolIdle[k] < idle) {
            k++;
        }
        if (k == 0 && poolSize == POOL_SIZE) {
            return; // worse than every candidate of a full pool
        }
        if (poolSize < POOL_SIZE) {
            System.arraycopy(poolIdle, k, poolIdle, k + 1, poolSize - k);
            System.arraycopy(poolKey, k, poolKey, k + 1, poolSize - k);
            System.arraycopy(poolDb, k, poolDb, k + 1, poolSize - k);
            poolSize++;
        } else {
            k--; // full: drop the worst (first) candidate, shifting those before k left
            System.arraycopy(poolIdle, 1, poolIdle, 0, k);
            System.arraycopy(poolKey, 1, poolKey, 0, k);
            System.arraycopy(poolDb, 1, poolDb, 0, k);
        }
        poolIdle[k] = idle;
        poolKey[k] = key;
        poolDb[k] = dbId;
    }

    // ---- INFO

    /** INFO stats total_eviction_exceeded_time, in ms. */
    public long totalExceededMs() {
        return (totalExceededMicros + currentExceededMicros()) / 1000;
    }

    /** INFO stats current_eviction_exceeded_time, in ms. */
    public long currentExceededMs() {
        return currentExceededMicros() / 1000;
    }

    private long currentExceededMicros() {
        return exceededSinceNanos == 0 ? 0 : (System.nanoTime() - exceededSinceNanos) / 1000;
    }

    /** CONFIG RESETSTAT (Redis's resetServerStats zeroes both figures). */
    public void resetStats() {
        totalExceededMicros = 0;
        exceededSinceNanos = 0;
    }
}
