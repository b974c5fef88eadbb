package io.respire.ds.util;

import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * The parts of Redis's {@code dict.c} that do not depend on what a bucket holds, written once for
 * the two incrementally rehashed hash tables: {@code keyspace.Dict} (chains of entry objects) and
 * {@code set.MemberTable} (elements inline in the buckets). Each table keeps its own bucket arrays,
 * counters and lookup/insert code, which are the hot paths; it hands its arrays here (as
 * {@code Object[]}) for the resize policy, rehash steps, the SCAN cursor and random sampling,
 * together with a small function for what its bucket layout decides.
 *
 * <p>The model, as in Redis: power-of-two bucket arrays; while resizing there are two, the old
 * {@code t0} whose buckets below the rehash index have all been moved (and are empty) and the new
 * {@code t1}, which is null when not resizing. A null bucket is empty.
 */
public final class BucketTables {
    /** The smallest table (Redis's DICT_HT_INITIAL_SIZE). */
    public static final int INITIAL_SIZE = 4;
    /** The largest power-of-two array length Java allows. */
    public static final int MAX_SIZE = 1 << 30;
    /** Redis's HASHTABLE_MIN_FILL: shrink when fewer than this percentage of buckets are used. */
    public static final int MIN_FILL_PERCENT = 10;
    /** Elements sampled for a fair random pick (Redis's GETFAIR_NUM_ENTRIES). */
    public static final int FAIR_SAMPLE = 15;
    /** Empty buckets a rehash step may skip per bucket it may move (Redis's empty_visits). */
    static final int EMPTY_VISITS_PER_STEP = 10;
    /** Empty buckets in a row after which sampling jumps to a random bucket (as dictGetSomeKeys). */
    static final int SAMPLE_MIN_EMPTY_RUN = 5;

    private BucketTables() {
    }

    // ------------------------------------------------------------------------------------------
    // Resize policy

    /** The number of buckets for {@code n} elements: the power of two at least n, within bounds. */
    public static int tableSizeFor(int n) {
        if (n <= INITIAL_SIZE) {
            return INITIAL_SIZE;
        }
        if (n >= MAX_SIZE) {
            return MAX_SIZE;
        }
        return Integer.highestOneBit(n - 1) << 1;
    }

    /**
     * Redis's _dictExpandIfNeeded: a table not being resized grows once it holds as many elements
     * as buckets (load factor 1), unless it is as large as it can be.
     */
    public static boolean needsGrowth(int used, int buckets) {
        return used >= buckets && buckets < MAX_SIZE;
    }

    /** Redis's htNeedsResize: larger than the minimum and under {@link #MIN_FILL_PERCENT} full. */
    public static boolean needsShrink(int used, int buckets) {
        return buckets > INITIAL_SIZE && (long) used * 100 / buckets < MIN_FILL_PERCENT;
    }

    // ------------------------------------------------------------------------------------------
    // Incremental rehashing

    /** What a table does to move one bucket of its old array into its new one. */
    @FunctionalInterface
    public interface BucketMover<T> {
        /**
         * Moves the elements of the non-empty bucket {@code idx} of the old array of {@code table}
         * into its new array, leaving the bucket empty, and returns how many elements the old
         * array still holds.
         */
        int move(T table, int idx);
    }

    /**
     * Redis's dictRehash loop: from bucket {@code idx} of the old array {@code from}, moves up to
     * {@code steps} non-empty buckets with {@code mover}, skipping at most {@code 10 steps} empty
     * ones, and stops early once the old array is empty ({@code remaining}, then the mover's
     * answer, is how many elements it holds). Returns the new rehash index; the caller finishes
     * the resize when nothing remains.
     */
    public static <T> int rehash(T table, Object[] from, int idx, int steps, int remaining,
                                 BucketMover<? super T> mover) {
        int emptyVisits = steps * EMPTY_VISITS_PER_STEP;
        while (steps-- > 0 && remaining > 0) {
            while (from[idx] == null) {
                idx++;
                if (--emptyVisits == 0) {
                    return idx;
                }
            }
            remaining = mover.move(table, idx);
            idx++;
        }
        return idx;
    }

    // ------------------------------------------------------------------------------------------
    // SCAN

    /**
     * The cursor after {@code cursor} in a table of mask {@code mask}: Redis's reverse-binary
     * increment (set the bits above the mask, reverse, add one, reverse back). Buckets are thus
     * visited in an order that stays valid when the table grows or shrinks between calls.
     */
    public static long nextCursor(long cursor, long mask) {
        return Long.reverse(Long.reverse(cursor | ~mask) + 1);
    }

    /**
     * One call of Redis's dictScan: passes the bucket the cursor designates to {@code emit} (and,
     * while resizing, that bucket of the smaller array and all its expansions in the larger one)
     * and returns the next cursor, 0 when the iteration is over. Every element present for the
     * whole iteration is emitted at least once, whatever the resizes between calls.
     */
    public static <V> long scan(Object[] t0, Object[] t1, long cursor, BiConsumer<Object, V> emit, V visitor) {
        if (t1 == null) {
            long mask = t0.length - 1;
            emit.accept(t0[(int) (cursor & mask)], visitor);
            return nextCursor(cursor, mask);
        }
        Object[] small = t0;
        Object[] large = t1;
        if (small.length > large.length) {
            small = t1;
            large = t0;
        }
        long m0 = small.length - 1;
        long m1 = large.length - 1;
        long v = cursor;
        emit.accept(small[(int) (v & m0)], visitor);
        do {
            emit.accept(large[(int) (v & m1)], visitor);
            v = nextCursor(v, m1);
        } while ((v & (m0 ^ m1)) != 0); // until the bits only the larger table has wrap around
        return v;
    }

    // ------------------------------------------------------------------------------------------
    // Random sampling

    /**
     * The first half of Redis's dictGetRandomKey: a random non-empty bucket, each equally likely.
     * While resizing it draws among the buckets of t0 from {@code rehashIdx} on and all of t1 (the
     * others are empty). The table must not be empty.
     */
    public static Object randomBucket(Object[] t0, Object[] t1, int rehashIdx, RandomGenerator random) {
        Object bucket;
        if (t1 != null) {
            int s0 = t0.length;
            long span = (long) s0 + t1.length - rehashIdx;
            do {
                long h = rehashIdx + random.nextLong(span);
                bucket = h >= s0 ? t1[(int) (h - s0)] : t0[(int) h];
            } while (bucket == null);
        } else {
            int mask = t0.length - 1;
            do {
                bucket = t0[random.nextInt() & mask];
            } while (bucket == null);
        }
        return bucket;
    }

    /** How a table copies the elements of one bucket into a sample. */
    @FunctionalInterface
    public interface BucketDrain {
        /**
         * Stores the elements of the non-empty {@code bucket} into {@code out} from index
         * {@code stored}, stopping at {@code count}; returns the new number stored.
         */
        int drain(Object bucket, Object[] out, int stored, int count);
    }

    /**
     * Redis's dictGetSomeKeys walk: from a random bucket, takes the elements of consecutive buckets
     * of both arrays into {@code out} until {@code count} are stored ({@code 0 < count <=
     * out.length}), jumping to another random bucket after a run of empty ones, for at most
     * {@code 10 count} buckets. Returns how many were stored. Neither distinct nor uniform.
     */
    public static int sample(Object[] t0, Object[] t1, int rehashIdx, Object[] out, int count,
                             RandomGenerator random, BucketDrain drain) {
        long maxSteps = count * 10L;
        int tables = t1 != null ? 2 : 1;
        int maxMask = t0.length - 1;
        if (tables > 1 && maxMask < t1.length - 1) {
            maxMask = t1.length - 1;
        }
        int i = random.nextInt() & maxMask;
        int emptyLen = 0;
        int stored = 0;
        while (stored < count && maxSteps-- > 0) {
            for (int j = 0; j < tables; j++) {
                Object[] t = j == 0 ? t0 : t1;
                if (tables == 2 && j == 0 && i < rehashIdx) {
                    // Buckets of t0 below rehashIdx are empty; if i is beyond t1 too, nothing
                    // lies anywhere before rehashIdx: jump there.
                    if (i >= t1.length) {
                        i = rehashIdx;
                    } else {
                        continue;
                    }
                }
                if (i >= t.length) {
                    continue;
                }
                Object bucket = t[i];
                if (bucket == null) {
                    emptyLen++;
                    if (emptyLen >= SAMPLE_MIN_EMPTY_RUN && emptyLen > count) {
                        i = random.nextInt() & maxMask;
                        emptyLen = 0;
                    }
                } else {
                    emptyLen = 0;
                    stored = drain.drain(bucket, out, stored, count);
                    if (stored == count) {
                        return stored;
                    }
                }
            }
            i = (i + 1) & maxMask;
        }
        return stored;
    }

    /** A random index below {@code n > 0} (drawing nothing when there is one choice). */
    public static int pick(int n, RandomGenerator random) {
        return n == 1 ? 0 : random.nextInt(n);
    }
}
