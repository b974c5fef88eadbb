package io.respire.server.keyspace;

import io.respire.ds.keyspace.Dict;
import io.respire.server.ServerContext;
import io.respire.server.config.ServerConfig;

/**
 * How reading or writing a key is recorded in its entry's {@code lru} field, for eviction and for
 * OBJECT IDLETIME / OBJECT FREQ (Redis's evict.c). The field holds one of two things, depending on
 * maxmemory-policy: with an LFU policy, the minute of the last decrement in the high 16 bits and a
 * logarithmic access counter in the low 8; otherwise the LRU clock (seconds, 24 bits, wrapping) of
 * the last access. As in Redis, switching policy leaves old values to be reinterpreted.
 */
public final class KeyAccess {
    private KeyAccess() {
    }

    public static final int LRU_CLOCK_MAX = (1 << 24) - 1;
    public static final int LRU_CLOCK_RESOLUTION_MS = 1000;
    /** Counter of a new key under LFU, so that it is not evicted before it had a chance to be used. */
    public static final int LFU_INIT_VAL = 5;

    /** Whether the maxmemory policy is an LFU one (Redis's MAXMEMORY_FLAG_LFU). */
    public static boolean lfu(ServerConfig config) {
        return config.maxmemoryPolicy.value().endsWith("lfu");
    }

    /**
     * Whether values may be Redis's shared integer objects (which OBJECT REFCOUNT reveals): not
     * when a memory limit with an LRU or LFU policy needs access data per key.
     */
    public static boolean sharedIntegers(ServerConfig config) {
        String policy = config.maxmemoryPolicy.value();
        return config.maxmemory.value() == 0 || !(policy.endsWith("lru") || policy.endsWith("lfu"));
    }

    /** Redis's LRU clock: seconds, wrapping at 24 bits. */
    public static int lruClock(long nowMs) {
        return (int) ((nowMs / LRU_CLOCK_RESOLUTION_MS) & LRU_CLOCK_MAX);
    }

    /** The lru field of a key created now (what Redis's createObject stores). */
    public static int initial(ServerContext server, long nowMs) {
        return lfu(server.config()) ? (minutes(nowMs) << 8) | LFU_INIT_VAL : lruClock(nowMs);
    }

    /** Records an access to the entry, as Redis's lookupKey does unless told not to touch. */
    public static void touch(ServerContext server, Dict.Entry e, long nowMs) {
        ServerConfig config = server.config();
        if (lfu(config)) {
            int counter = logIncrement(lfuCounter(config, e.lru(), nowMs), config.lfuLogFactor.value(),
                    server.random().nextDouble());
            e.lru((minutes(nowMs) << 8) | counter);
        } else {
            e.lru(lruClock(nowMs));
        }
    }

    /**
     * Redis's objectSetLRUOrLFU: the access data an RDB file or RESTORE gives a key, as the policy
     * reads it: an LFU counter ({@code freq}, -1 if none) or an idle time in seconds ({@code idle},
     * -1 if none). Returns whether it was set.
     */
    public static boolean restore(ServerContext server, Dict.Entry e, long idleSeconds, int freq, long nowMs) {
        if (lfu(server.config())) {
            if (freq < 0) {
                return false;
            }
            e.lru((minutes(nowMs) << 8) | freq);
            return true;
        }
        if (idleSeconds < 0) {
            return false;
        }
        long abs = lruClock(nowMs) - idleSeconds * 1000 / LRU_CLOCK_RESOLUTION_MS;
        e.lru((int) (abs < 0 ? abs + LRU_CLOCK_MAX : abs) & LRU_CLOCK_MAX);
        return true;
    }

    /** The idle seconds RDB files record for a key under an LRU policy, else -1 (rdbSaveKeyValuePair). */
    public static long savedIdleSeconds(ServerConfig config, int lru, long nowMs) {
        return config.maxmemoryPolicy.value().endsWith("lru") ? idleTimeMs(lru, nowMs) / 1000 : -1;
    }

    /** The LFU counter RDB files record for a key under an LFU policy, else -1. */
    public static int savedFreq(ServerConfig config, int lru, long nowMs) {
        return lfu(config) ? lfuCounter(config, lru, nowMs) : -1;
    }

    /** Redis's estimateObjectIdleTime: milliseconds since the access recorded in an LRU field. */
    public static long idleTimeMs(int lru, long nowMs) {
        long clock = lruClock(nowMs);
        long ticks = clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
        return ticks * LRU_CLOCK_RESOLUTION_MS;
    }

    /**
     * Redis's LFUDecrAndReturn: the access counter of an LFU field, decayed by one per
     * lfu-decay-time minutes since it was last decremented (the stored field is not changed).
     */
    public static int lfuCounter(ServerConfig config, int lru, long nowMs) {
        int lastMinute = lru >>> 8;
        int counter = lru & 255;
        long decayTime = config.lfuDecayTime.value();
        long periods = decayTime == 0 ? 0 : minutesSince(lastMinute, nowMs) / decayTime;
        return periods > counter ? 0 : counter - (int) periods;
    }

    /**
     * Redis's LFULogIncr: increments the counter with probability 1 / ((counter - LFU_INIT_VAL) *
     * logFactor + 1), so that it grows logarithmically with the number of accesses; {@code random}
     * is uniform in [0, 1).
     */
    public static int logIncrement(int counter, long logFactor, double random) {
        if (counter == 255) {
            return 255;
        }
        double base = Math.max(0, counter - LFU_INIT_VAL);
        double p = 1.0 / (base * logFactor + 1);
        return random < p ? counter + 1 : counter;
    }

    /** Redis's LFUGetTimeInMinutes: minutes, wrapping at 16 bits. */
    public static int minutes(long nowMs) {
        return (int) ((nowMs / 1000 / 60) & 65535);
    }

    private static long minutesSince(int lastMinute, long nowMs) {
        int now = minutes(nowMs);
        return now >= lastMinute ? now - lastMinute : 65535 - lastMinute + now;
    }
}
