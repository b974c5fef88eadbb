package io.respire.ds.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FieldTableTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static void assertSame(Map<ByteBuffer, byte[]> model, FieldTable t) {
        assertEquals(model.size(), t.size());
        int seen = 0;
        for (int s = t.next(0); s >= 0; s = t.next(s + 1)) {
            byte[] expected = model.get(ByteBuffer.wrap(t.field(s)));
            assertArrayEquals(expected, t.value(s));
            seen++;
        }
        assertEquals(model.size(), seen);
        for (Map.Entry<ByteBuffer, byte[]> e : model.entrySet()) {
            int slot = t.find(e.getKey().array());
            assertTrue(slot >= 0);
            assertArrayEquals(e.getValue(), t.value(slot));
        }
    }

    @Test
    void aValueOfTheSameLengthIsWrittenIntoItsPairAndACopySharesNoPair() {
        FieldTable t = new FieldTable(4);
        t.put(b("f"), b("abc"));
        int slot = t.find(b("f"));
        byte[] pair = t.pair(slot);
        FieldTable copy = t.copy();
        assertFalse(t.put(b("f"), b("xyz")));
        org.junit.jupiter.api.Assertions.assertSame(pair, t.pair(t.find(b("f"))), "same length: written in place");
        assertArrayEquals(b("xyz"), t.value(t.find(b("f"))));
        assertArrayEquals(b("abc"), copy.value(copy.find(b("f"))), "the copy has its own pair");
        t.setValue(t.find(b("f")), b("pq"));
        assertArrayEquals(b("pq"), t.value(t.find(b("f"))));
        assertArrayEquals(b("\u0001fxyz"), pair, "another length: a new pair, the old one left alone");
    }

    @Test
    void randomOperationsMatchHashMap() {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            FieldTable t = new FieldTable(0);
            Map<ByteBuffer, byte[]> model = new HashMap<>();
            int keySpace = 50 + r.nextInt(3000);
            for (int step = 0; step < 20_000; step++) {
                byte[] field = (r.nextInt(10) == 0) ? new byte[r.nextInt(200)] : b("f" + r.nextInt(keySpace));
                if (field.length > 0 && field[0] == 0) {
                    r.nextBytes(field);
                }
                int op = r.nextInt(10);
                if (op < 5) {
                    byte[] value = new byte[r.nextInt(300)];
                    r.nextBytes(value);
                    assertEquals(model.put(ByteBuffer.wrap(field), value) == null, t.put(field, value));
                } else if (op < 8) {
                    assertEquals(model.remove(ByteBuffer.wrap(field)) != null, t.remove(field));
                } else if (op == 8) {
                    int slot = t.find(field);
                    assertEquals(model.containsKey(ByteBuffer.wrap(field)), slot >= 0);
                    if (slot >= 0) {
                        byte[] value = b("new" + step);
                        t.setValue(slot, value);
                        model.put(ByteBuffer.wrap(field), value);
                    }
                } else if (step % 500 == 0) {
                    assertSame(model, t);
                    assertSame(model, t.copy());
                }
            }
            assertSame(model, t);
            for (ByteBuffer k : new HashSet<>(model.keySet())) {
                assertTrue(t.remove(k.array()));
            }
            assertEquals(0, t.size());
            assertTrue(t.capacity() <= 8, "shrinks when emptied: " + t.capacity());
        }
    }

    @Test
    void emptyAndLongFieldsAreDistinct() {
        FieldTable t = new FieldTable(4);
        byte[] longField = new byte[300]; // two-byte length prefix
        assertTrue(t.put(new byte[0], b("empty")));
        assertTrue(t.put(longField, new byte[0]));
        assertTrue(t.put(b("a"), b("")));
        assertFalse(t.put(new byte[0], b("again")));
        assertArrayEquals(b("again"), t.value(t.find(new byte[0])));
        assertEquals(0, t.valueLength(t.find(longField)));
        assertEquals(300, t.fieldLength(t.find(longField)));
        assertArrayEquals(longField, t.field(t.find(longField)));
    }

    @Test
    void scanReturnsEveryStableFieldDespiteResizes() {
        FieldTable t = new FieldTable(0);
        for (int i = 0; i < 2000; i++) {
            t.put(b("stable" + i), b("v"));
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        do {
            for (int k = 0; k < 40; k++) {
                cursor = t.scan(cursor, slot -> seen.add(new String(t.field(slot), StandardCharsets.ISO_8859_1)));
                if (cursor == 0) {
                    break;
                }
            }
            // between calls, make the table double and then halve again
            if (calls % 2 == 0) {
                for (int i = 0; i < 3000; i++) {
                    t.put(b("extra" + i), b("x"));
                }
            } else {
                for (int i = 0; i < 3000; i++) {
                    t.remove(b("extra" + i));
                }
            }
            calls++;
        } while (cursor != 0);
        for (int i = 0; i < 2000; i++) {
            assertTrue(seen.contains("stable" + i), "missed stable" + i);
        }
    }

    @Test
    void resizingIsIncrementalAndFinishes() {
        FieldTable t = new FieldTable(0);
        int i = 0;
        while (!(t.isResizing() && t.capacity() >= 1024)) {
            t.put(b("k" + i++), b("v"));
        }
        int capacity = t.capacity();
        int writesWhileResizing = 0;
        while (t.isResizing()) {
            t.put(b("k" + i++), b("v"));
            writesWhileResizing++;
            // every pair stays reachable while it moves
            assertTrue(t.find(b("k0")) >= 0);
        }
        // 384 pairs, at most 4 per write
        assertTrue(writesWhileResizing >= 96, "drained over many writes: " + writesWhileResizing);
        assertEquals(capacity, t.capacity(), "no second resize before the first finished");
        for (int k = 0; k < i; k++) {
            assertArrayEquals(b("v"), t.value(t.find(b("k" + k))));
        }
        // and shrinking: remove most pairs, checking the others as they move
        for (int k = 0; k < i - 3; k++) {
            assertTrue(t.remove(b("k" + k)));
            assertTrue(t.find(b("k" + (i - 1))) >= 0);
        }
        assertEquals(3, t.size());
        int seen = 0;
        for (int s = t.next(0); s >= 0; s = t.next(s + 1)) {
            seen++;
        }
        assertEquals(3, seen);
    }

    @Test
    void randomSlotIsRoughlyUniform() {
        FieldTable t = new FieldTable(0);
        for (int i = 0; i < 10; i++) {
            t.put(b("f" + i), b("v"));
        }
        SplittableRandom r = new SplittableRandom(3);
        Map<String, Integer> hits = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            hits.merge(new String(t.field(t.randomSlot(r)), StandardCharsets.ISO_8859_1), 1, Integer::sum);
        }
        assertEquals(10, hits.size());
        for (int h : hits.values()) {
            assertTrue(h > 800 && h < 1200, "hits " + hits);
        }
    }

    @Test
    void hashSpreadsSimilarFields() {
        Set<Integer> low = new HashSet<>();
        for (int i = 0; i < 4096; i++) {
            low.add(FieldTable.hash(b("field:" + i)) & 4095);
        }
        assertTrue(low.size() > 2400, "distinct low bits: " + low.size());
        assertNotEquals(FieldTable.hash(new byte[8]), FieldTable.hash(new byte[16]));
    }
}
