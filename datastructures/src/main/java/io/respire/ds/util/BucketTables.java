package io.respire.ds.util;

import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;
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
    /** Redis's dict_force_resize_ratio: past this many elements per bucket, or this size ratio, resizing goes on. */
    public static final int FORCE_RESIZE_RATIO = 5;
    /** Redis's DICT_STATS_VECTLEN: chains this long or longer are counted together in the stats. */
    private static final int STATS_CHAIN_LENGTHS = 50;
    private static final BooleanSupplier ALWAYS = () -> true;
    /**
     * Redis's dict_can_resize, for the tables the current thread changes: a server sets it on its
     * executor thread (no while a background save or AOF rewrite runs, as Redis's
     * updateDictResizePolicy while a fork child runs); on other threads tables always may resize.
     * Per thread rather than global as in Redis, so that servers embedded in one JVM do not hold
     * off each other's resizes.
     */
    private static final ThreadLocal<BooleanSupplier> RESIZE_ALLOWED = ThreadLocal.withInitial(() -> ALWAYS);

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

    /** Sets who says whether the tables the current thread changes may resize (see {@link #resizeAllowed}). */
    public static void resizePolicy(BooleanSupplier allowed) {
        RESIZE_ALLOWED.set(allowed);
    }

    /** Redis's dict_can_resize == DICT_RESIZE_ENABLE, for the current thread. */
    public static boolean resizeAllowed() {
        return RESIZE_ALLOWED.get().getAsBoolean();
    }

    /**
     * Redis's _dictExpandIfNeeded: {@link #needsGrowth}, and resizing allowed or more than
     * {@value #FORCE_RESIZE_RATIO} elements per bucket.
     */
    public static boolean mayGrow(int used, int buckets) {
        return needsGrowth(used, buckets) && (used / buckets > FORCE_RESIZE_RATIO || resizeAllowed());
    }

    /** Redis's htNeedsResize then dictResize: {@link #needsShrink}, and resizing allowed. */
    public static boolean mayShrink(int used, int buckets) {
        return needsShrink(used, buckets) && resizeAllowed();
    }

    /**
     * Whether a resize from {@code from} buckets to {@code to} may move buckets now (Redis's
     * dictRehash with DICT_RESIZE_AVOID): always when resizing is allowed, otherwise only when
     * one table is at least {@value #FORCE_RESIZE_RATIO} times the other.
     */
    public static boolean mayRehash(int from, int to) {
        return (from > to ? from / to : to / from) >= FORCE_RESIZE_RATIO || resizeAllowed();
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
    // Statistics

    /**
     * The statistics of one bucket array as Redis's dictGetStats words them (DEBUG HTSTATS and
     * HTSTATS-KEY): size, elements, the non-empty buckets and the distribution of chain lengths
     * ({@code chainLength} tells how many elements a non-empty bucket holds).
     */
    public static void stats(StringBuilder out, int index, Object[] table, int used, ToIntFunction<Object> chainLength) {
        out.append("Hash table ").append(index).append(" stats (")
                .append(index == 0 ? "main hash table" : "rehashing target").append("):\n");
        if (used == 0) {
            out.append("No stats available for empty dictionaries\n");
            return;
        }
        long[] lengths = new long[STATS_CHAIN_LENGTHS];
        long slots = 0;
        long longest = 0;
        long total = 0;
        for (Object bucket : table) {
            long length = bucket == null ? 0 : chainLength.applyAsInt(bucket);
            lengths[(int) Math.min(length, STATS_CHAIN_LENGTHS - 1)]++;
            slots += length > 0 ? 1 : 0;
            longest = Math.max(longest, length);
            total += length;
        }
        out.append(" table size: ").append(table.length).append('\n')
                .append(" number of elements: ").append(used).append('\n')
                .append(" different slots: ").append(slots).append('\n')
                .append(" max chain length: ").append(longest).append('\n')
                .append(" avg chain length (counted): ").append(twoDecimals((float) total / slots)).append('\n')
                .append(" avg chain length (computed): ").append(twoDecimals((float) used / slots)).append('\n')
                .append(" Chain length distribution:\n");
        for (int i = 0; i < STATS_CHAIN_LENGTHS - 1; i++) {
            if (lengths[i] != 0) {
                out.append("   ").append(i).append(": ").append(lengths[i]).append(" (")
                        .append(twoDecimals((float) lengths[i] / table.length * 100)).append("%)\n");
            }
        }
    }

    /** C's %.02f. */
    private static String twoDecimals(float f) {
        return String.format(java.util.Locale.ROOT, "%.2f", f);
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
         * Visits every element of the non-empty {@code bucket}, {@code seen} elements having been
         * sampled before it: each goes into {@code out} while fewer than {@code count} are there,
         * and after that replaces a random one of them with probability count/(seen+1) (see
         * {@link #offer}). Returns how many elements have been seen, this bucket's included.
         */
        int drain(Object bucket, Object[] out, int seen, int count, RandomGenerator random);
    }

    /**
     * Reservoir sampling, as Redis's dictGetSomeKeys does along a chain so that the end of a long
     * one can be sampled too: the {@code seen}-th element (from 0) goes into {@code out} if it is
     * among the first {@code count}, else replaces a random slot with probability count/(seen+1).
     */
    public static void offer(Object element, Object[] out, int seen, int count, RandomGenerator random) {
        if (seen < count) {
            out[seen] = element;
        } else {
            long r = random.nextLong(seen + 1L);
            if (r < count) {
                out[(int) r] = element;
            }
        }
    }

    /**
     * Redis's dictGetSomeKeys walk: from a random bucket, samples the elements of consecutive
     * buckets of both arrays into {@code out} until {@code count} are stored ({@code 0 < count <=
     * out.length}; the last bucket's chain is sampled whole, see {@link #offer}), jumping to
     * another random bucket after a run of empty ones, for at most {@code 10 count} buckets.
     * Returns how many were stored. Neither distinct nor uniform.
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
                    stored = drain.drain(bucket, out, stored, count, random);
                    if (stored >= count) {
                        return count;
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
