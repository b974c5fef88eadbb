package io.respire.ds.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The shared dict.c arithmetic on a model table whose elements are their own hash codes and whose
 * buckets are lists of them (Dict and MemberTable have their own tests for their layouts).
 */
class BucketTablesTest {
    /** A bucket's elements, for a model bucket (a List of Long) or null. */
    @SuppressWarnings("unchecked")
    private static List<Long> elements(Object bucket) {
        return bucket == null ? List.of() : (List<Long>) bucket;
    }

    private static void emit(Object bucket, Consumer<Long> visitor) {
        elements(bucket).forEach(visitor);
    }

    private static int drain(Object bucket, Object[] out, int seen, int count, RandomGenerator random) {
        for (Long e : elements(bucket)) {
            BucketTables.offer(e, out, seen++, count, random);
        }
        return seen;
    }

    @SuppressWarnings("unchecked")
    private static void put(Object[] t, long e) {
        int i = (int) e & (t.length - 1);
        if (t[i] == null) {
            t[i] = new ArrayList<Long>();
        }
        ((List<Long>) t[i]).add(e);
    }

    /**
     * A model table holding {@code elements}: in t0 alone, or while resizing (size1 > 0) split
     * between t0 from {@code rehashIdx} on and t1, as rehashing and later insertions leave them.
     */
    private static Object[][] layout(Set<Long> elements, int size0, int size1, int rehashIdx, SplittableRandom r) {
        Object[] t0 = new Object[size0];
        Object[] t1 = size1 == 0 ? null : new Object[size1];
        for (long e : elements) {
            boolean moved = t1 != null && (((int) e & (size0 - 1)) < rehashIdx || r.nextInt(4) == 0);
            put(moved ? t1 : t0, e);
        }
        return new Object[][] {t0, t1};
    }

    // ------------------------------------------------------------------------------------------
    // Resize policy

    @Test
    void tableSizeIsThePowerOfTwoAtLeastTheCountWithinBounds() {
        for (int n = -1; n <= 100_000; n++) {
            int expected = BucketTables.INITIAL_SIZE;
            while (expected < n) {
                expected <<= 1;
            }
            assertEquals(expected, BucketTables.tableSizeFor(n), "n=" + n);
        }
        assertEquals(1 << 29, BucketTables.tableSizeFor(1 << 29));
        assertEquals(1 << 30, BucketTables.tableSizeFor((1 << 29) + 1));
        assertEquals(BucketTables.MAX_SIZE, BucketTables.tableSizeFor(BucketTables.MAX_SIZE));
        assertEquals(BucketTables.MAX_SIZE, BucketTables.tableSizeFor(Integer.MAX_VALUE));
    }

    @Test
    void growsAtLoadFactorOneUnlessAtTheMaximum() {
        assertFalse(BucketTables.needsGrowth(3, 4));
        assertTrue(BucketTables.needsGrowth(4, 4));
        assertTrue(BucketTables.needsGrowth(5, 4));
        assertFalse(BucketTables.needsGrowth(1023, 1024));
        assertTrue(BucketTables.needsGrowth(1024, 1024));
        assertFalse(BucketTables.needsGrowth(BucketTables.MAX_SIZE, BucketTables.MAX_SIZE));
        assertFalse(BucketTables.needsGrowth(Integer.MAX_VALUE, BucketTables.MAX_SIZE));
    }

    @Test
    void shrinksUnderTenPercentButNeverBelowTheMinimum() {
        assertFalse(BucketTables.needsShrink(0, 4));
        assertTrue(BucketTables.needsShrink(0, 8));
        assertTrue(BucketTables.needsShrink(6, 64)); // 9.4%
        assertFalse(BucketTables.needsShrink(7, 64)); // 10.9%
        assertFalse(BucketTables.needsShrink(64, 64));
        // 10% of 2^30 does not fit an int once multiplied by 100: the test must not overflow.
        assertTrue(BucketTables.needsShrink(107_374_182, BucketTables.MAX_SIZE));
        assertFalse(BucketTables.needsShrink(107_374_183, BucketTables.MAX_SIZE));
    }

    // ------------------------------------------------------------------------------------------
    // Rehash steps

    /** A mover over {@code from} that records the buckets it moves and counts what is left. */
    private static final class Recorder {
        final Object[] from;
        final List<Integer> moved = new ArrayList<>();
        int remaining;

        Recorder(Object[] from, int remaining) {
            this.from = from;
            this.remaining = remaining;
        }

        int move(int idx) {
            assertTrue(from[idx] != null, "moved an empty bucket");
            from[idx] = null;
            moved.add(idx);
            return --remaining;
        }
    }

    @Test
    void rehashMovesUpToStepsNonEmptyBuckets() {
        Object[] from = new Object[16];
        for (int i : new int[] {2, 3, 7, 8, 15}) {
            from[i] = "x";
        }
        Recorder rec = new Recorder(from, 5);
        assertEquals(3, BucketTables.rehash(rec, from, 0, 1, rec.remaining, Recorder::move));
        assertEquals(List.of(2), rec.moved);
        assertEquals(9, BucketTables.rehash(rec, from, 3, 3, rec.remaining, Recorder::move));
        assertEquals(List.of(2, 3, 7, 8), rec.moved);
        // Nothing to do with no steps, or when the old table is already empty.
        assertEquals(9, BucketTables.rehash(rec, from, 9, 0, rec.remaining, Recorder::move));
        assertEquals(9, BucketTables.rehash(rec, from, 9, 5, 0, Recorder::move));
        assertEquals(16, BucketTables.rehash(rec, from, 9, 5, rec.remaining, Recorder::move));
        assertEquals(List.of(2, 3, 7, 8, 15), rec.moved);
        assertEquals(0, rec.remaining);
    }

    @Test
    void rehashStopsOnceTheOldTableIsEmpty() {
        Object[] from = {"a", "b", "c", "d"};
        Recorder rec = new Recorder(from, 2); // c and d are not counted: they must not move
        assertEquals(2, BucketTables.rehash(rec, from, 0, 10, rec.remaining, Recorder::move));
        assertEquals(List.of(0, 1), rec.moved);
    }

    @Test
    void rehashSkipsAtMostTenEmptyBucketsPerStep() {
        Object[] from = new Object[64];
        from[25] = "x";
        from[42] = "y";
        Recorder rec = new Recorder(from, 2);
        assertEquals(10, BucketTables.rehash(rec, from, 0, 1, rec.remaining, Recorder::move));
        assertEquals(List.of(), rec.moved);
        assertEquals(20, BucketTables.rehash(rec, from, 10, 1, rec.remaining, Recorder::move));
        // Two steps may skip 20 empty buckets in all, wherever they are: 5 before x, then 15 of
        // the 16 before y.
        assertEquals(41, BucketTables.rehash(rec, from, 20, 2, rec.remaining, Recorder::move));
        assertEquals(List.of(25), rec.moved);
        assertEquals(43, BucketTables.rehash(rec, from, 41, 1, rec.remaining, Recorder::move));
        assertEquals(List.of(25, 42), rec.moved);
    }

    // ------------------------------------------------------------------------------------------
    // SCAN

    @Test
    void cursorVisitsEveryBucketOnceInReverseBinaryOrder() {
        List<Long> order = new ArrayList<>();
        long c = 0;
        do {
            order.add(c);
            c = BucketTables.nextCursor(c, 7);
        } while (c != 0);
        assertEquals(List.of(0L, 4L, 2L, 6L, 1L, 5L, 3L, 7L), order);
        for (int bits = 0; bits <= 12; bits++) {
            long mask = (1L << bits) - 1;
            Set<Long> seen = new HashSet<>();
            c = 0;
            do {
                assertTrue(seen.add(c), "bucket " + c + " twice");
                c = BucketTables.nextCursor(c, mask);
            } while (c != 0);
            assertEquals(mask + 1, seen.size());
        }
    }

    /** Scans a table that does not change: every element exactly once. */
    @Test
    void scanOfAnUnchangedTableEmitsEachElementOnce() {
        SplittableRandom r = new SplittableRandom(1);
        int[][] shapes = {{4, 0, 0}, {64, 0, 0}, {16, 64, 5}, {64, 16, 40}, {8, 1024, 3}, {1024, 8, 1000}};
        for (int[] shape : shapes) {
            Set<Long> elements = new HashSet<>();
            while (elements.size() < 500) {
                elements.add(r.nextLong());
            }
            Object[][] t = layout(elements, shape[0], shape[1], shape[2], r);
            Map<Long, Integer> seen = new HashMap<>();
            long c = 0;
            do {
                c = BucketTables.scan(t[0], t[1], c, BucketTablesTest::emit, e -> seen.merge(e, 1, Integer::sum));
            } while (c != 0);
            assertEquals(elements, seen.keySet());
            seen.values().forEach(n -> assertEquals(1, n));
        }
    }

    /**
     * The SCAN guarantee against any sequence of resizes: between calls the table takes a random
     * size, possibly in the middle of a resize to another random size, and transient elements
     * come and go. Every element present throughout is emitted, and the scan ends.
     */
    @Test
    void scanEmitsStableElementsWhateverTheResizesBetweenCalls() {
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Set<Long> stable = new HashSet<>();
            while (stable.size() < 200) {
                stable.add(r.nextLong());
            }
            Set<Long> present = new HashSet<>(stable);
            Set<Long> seen = new HashSet<>();
            long c = 0;
            int calls = 0;
            do {
                int size0 = 4 << r.nextInt(9);
                int size1 = r.nextBoolean() ? 4 << r.nextInt(9) : 0;
                int rehashIdx = size1 == 0 ? 0 : r.nextInt(size0);
                Object[][] t = layout(present, size0, size1 == size0 ? 0 : size1, rehashIdx, r);
                c = BucketTables.scan(t[0], t[1], c, BucketTablesTest::emit, seen::add);
                for (int k = 0; k < 5; k++) {
                    present.add(r.nextLong());
                }
                present.removeIf(e -> !stable.contains(e) && r.nextInt(3) == 0);
                assertTrue(++calls <= 1024 * 2, "the cursor must progress");
            } while (c != 0);
            for (long e : stable) {
                assertTrue(seen.contains(e), "seed " + seed + ": stable element not emitted");
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Random buckets and samples

    /** Stands in t0 below the rehash index, which is empty in a real table, to catch draws there. */
    private static final List<Long> BELOW_REHASH_INDEX = List.of(-1L);

    /**
     * A model table of {@code shape} {t0 size, t1 size or 0 when not resizing, rehash index}: every
     * {@code every0}-th bucket of t0 and {@code every1}-th of t1 holds one element (those buckets
     * are added to {@code filled}), but t0's below the rehash index hold {@link
     * #BELOW_REHASH_INDEX}.
     */
    private static Object[][] tables(int[] shape, int every0, int every1, List<Object> filled) {
        Object[] t0 = new Object[shape[0]];
        Object[] t1 = shape[1] == 0 ? null : new Object[shape[1]];
        for (int i = 0; i < t0.length; i += every0) {
            t0[i] = i < shape[2] ? BELOW_REHASH_INDEX : List.of((long) i);
        }
        for (int i = 0; t1 != null && i < t1.length; i += every1) {
            t1[i] = List.of((long) i + (1L << 32));
        }
        for (Object[] t : new Object[][] {t0, t1}) {
            for (int i = 0; t != null && i < t.length; i++) {
                if (t[i] != null && t[i] != BELOW_REHASH_INDEX) {
                    filled.add(t[i]);
                }
            }
        }
        return new Object[][] {t0, t1};
    }

    @Test
    void randomBucketIsUniformOverNonEmptyBuckets() {
        SplittableRandom r = new SplittableRandom(2);
        // Not resizing; then growing and shrinking, where t0 below rehashIdx must never be drawn
        // (it is empty in a real table: a marker stands there to catch a draw).
        int[][] shapes = {{64, 0, 0}, {32, 128, 20}, {128, 32, 100}};
        for (int[] shape : shapes) {
            List<Object> filled = new ArrayList<>();
            Object[][] t = tables(shape, 3, 5, filled);
            Map<Object, Integer> hits = new HashMap<>();
            int draws = 200 * filled.size();
            for (int k = 0; k < draws; k++) {
                Object b = BucketTables.randomBucket(t[0], t[1], shape[2], r);
                assertNotSame(BELOW_REHASH_INDEX, b);
                hits.merge(b, 1, Integer::sum);
            }
            assertEquals(filled.size(), hits.size());
            hits.values().forEach(n -> assertTrue(n > 120 && n < 280, "bucket drawn " + n + " times of 200"));
        }
    }

    @Test
    void sampleWalksConsecutiveBucketsFromARandomOne() {
        Object[] t0 = new Object[64];
        for (int i = 0; i < 64; i++) {
            t0[i] = List.of((long) i);
        }
        SplittableRandom r = new SplittableRandom(3);
        Object[] out = new Object[10];
        for (int k = 0; k < 100; k++) {
            assertEquals(10, BucketTables.sample(t0, null, 0, out, 10, r, BucketTablesTest::drain));
            for (int j = 1; j < 10; j++) {
                assertEquals(((Long) out[j - 1] + 1) & 63, (long) (Long) out[j]);
            }
        }
    }

    @Test
    void aChainLongerThanTheSampleIsSampledWholeAsRedisDoes() {
        // Reservoir sampling (Redis's dictGetSomeKeys since 7.0.15): the end of a long chain is
        // as likely as its start, each element in count/length of the samples.
        Object[] chains = new Object[4];
        chains[1] = List.of(1L, 5L, 9L, 13L, 17L);
        SplittableRandom r = new SplittableRandom(6);
        Object[] out = new Object[3];
        Map<Object, Integer> hits = new HashMap<>();
        for (int k = 0; k < 10_000; k++) {
            assertEquals(3, BucketTables.sample(chains, null, 0, out, 3, r, BucketTablesTest::drain));
            assertEquals(3, Set.of(out).size(), "distinct elements of one chain");
            for (Object e : out) {
                hits.merge(e, 1, Integer::sum);
            }
        }
        assertEquals(5, hits.size());
        hits.values().forEach(n -> assertTrue(n > 5_700 && n < 6_300, "sampled " + n + " times of 10000, 6000 expected"));
    }

    @Test
    void sampleGivesUpAfterTenStepsPerElementWanted() {
        Object[] sparse = new Object[1 << 16];
        sparse[12345] = List.of(12345L);
        SplittableRandom r = new SplittableRandom(4);
        Object[] out = new Object[2];
        int found = 0;
        for (int k = 0; k < 1000; k++) {
            int n = BucketTables.sample(sparse, null, 0, out, 2, r, BucketTablesTest::drain);
            assertTrue(n <= 1);
            found += n;
        }
        assertTrue(found < 50, "a lone element in 65536 buckets found " + found + " times in 1000");
    }

    @Test
    void sampleReachesEveryElementOfBothTablesWhileResizing() {
        SplittableRandom r = new SplittableRandom(5);
        // Growing (t1 larger) and shrinking (t1 smaller, so that a walk below rehashIdx but beyond
        // t1 must jump to rehashIdx).
        int[][] shapes = {{32, 128, 20}, {256, 16, 200}, {256, 16, 10}};
        for (int[] shape : shapes) {
            List<Object> filled = new ArrayList<>();
            Object[][] t = tables(shape, 2, 3, filled);
            Set<Object> all = new HashSet<>();
            filled.forEach(b -> all.addAll(elements(b)));
            Set<Object> seen = new HashSet<>();
            Object[] out = new Object[5];
            for (int k = 0; k < 20_000; k++) {
                int n = BucketTables.sample(t[0], t[1], shape[2], out, 5, r, BucketTablesTest::drain);
                assertEquals(5, n);
                for (int j = 0; j < n; j++) {
                    assertTrue(all.contains(out[j]), "sampled " + out[j]);
                    seen.add(out[j]);
                }
            }
            assertEquals(all, seen);
        }
    }

    @Test
    void pickDrawsNothingForASingleChoice() {
        RandomGenerator none = () -> {
            throw new AssertionError("drew a random number");
        };
        assertEquals(0, BucketTables.pick(1, none));
        SplittableRandom r = new SplittableRandom(6);
        int[] hits = new int[7];
        for (int k = 0; k < 7000; k++) {
            hits[BucketTables.pick(7, r)]++;
        }
        for (int h : hits) {
            assertTrue(h > 800 && h < 1200, "pick drawn " + h + " times of 1000");
        }
    }
}
