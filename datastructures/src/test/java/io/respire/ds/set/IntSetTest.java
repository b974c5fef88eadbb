package io.respire.ds.set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IntSetTest {
    @Test
    void upgradesWidthAndKeepsOrder() {
        IntSet s = new IntSet();
        assertTrue(s.add(5));
        assertTrue(s.add(-3));
        assertFalse(s.add(5));
        assertEquals(IntSet.INT16, s.width());
        assertTrue(s.add(70000));
        assertEquals(IntSet.INT32, s.width());
        assertTrue(s.add(-5_000_000_000L));
        assertEquals(IntSet.INT64, s.width());
        assertArrayEquals(new long[] {-5_000_000_000L, -3, 5, 70000}, s.toArray());
        assertTrue(s.remove(70000));
        assertEquals(IntSet.INT64, s.width()); // never downgraded
        assertFalse(s.contains(70000));
        assertTrue(s.contains(-5_000_000_000L));
    }

    @Test
    void wideValuesAreNotFoundInNarrowSets() {
        IntSet s = new IntSet();
        s.add(0);
        assertFalse(s.contains(65536)); // would truncate to 0 in 16 bits
        assertFalse(s.remove(65536));
        assertFalse(s.contains(1L << 32));
    }

    @Test
    void randomOperationsMatchTreeSet() {
        SplittableRandom r = new SplittableRandom(42);
        for (int round = 0; round < 20; round++) {
            IntSet s = new IntSet();
            TreeSet<Long> model = new TreeSet<>();
            long bound = switch (round % 3) {
                case 0 -> 100;
                case 1 -> 100_000;
                default -> Long.MAX_VALUE;
            };
            for (int i = 0; i < 3000; i++) {
                long v = bound == Long.MAX_VALUE ? r.nextLong() : r.nextLong(-bound, bound);
                switch (r.nextInt(3)) {
                    case 0, 1 -> assertEquals(model.add(v), s.add(v));
                    default -> assertEquals(model.remove(v), s.remove(v));
                }
                assertEquals(model.size(), s.size());
                assertEquals(model.contains(v), s.contains(v));
            }
            assertArrayEquals(model.stream().mapToLong(Long::longValue).toArray(), s.toArray());
            s.trimToSize();
            assertArrayEquals(model.stream().mapToLong(Long::longValue).toArray(), s.toArray());
        }
    }

    @Test
    void blobRoundTripsInRedisFormat() {
        IntSet s = new IntSet();
        s.add(1);
        s.add(2);
        // encoding 2, length 2, then 1 and 2 as little-endian int16 (as Redis's DEBUG/RDB show).
        assertArrayEquals(new byte[] {2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 2, 0}, s.toBlob());
        s.add(1L << 40);
        IntSet back = IntSet.fromBlob(s.toBlob());
        assertArrayEquals(s.toArray(), back.toArray());
        assertEquals(IntSet.INT64, back.width());
        assertNull(IntSet.fromBlob(new byte[] {2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 0})); // not ascending
        assertNull(IntSet.fromBlob(new byte[] {3, 0, 0, 0, 0, 0, 0, 0}));
    }
}
