package io.respire.ds.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respire.ds.listpack.ValueSink;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HashValueTest {
    static final int ENTRIES = 128;
    static final int VALUE = 64;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Collects what a sink receives as text. */
    static final class Collector implements ValueSink {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public void bytes(byte[] array, int offset, int length) {
            out.write(array, offset, length);
        }

        @Override
        public void integer(long value) {
            out.writeBytes(b(Long.toString(value)));
        }

        byte[] take() {
            byte[] r = out.toByteArray();
            out.reset();
            return r;
        }
    }

    static void assertSame(Map<ByteBuffer, byte[]> model, HashValue h) {
        assertEquals(model.size(), h.size());
        HashValue.Cursor c = h.cursor();
        Collector sink = new Collector();
        int n = 0;
        while (c.next()) {
            c.field(sink);
            byte[] f = sink.take();
            assertArrayEquals(f, c.field());
            c.value(sink);
            assertArrayEquals(model.get(ByteBuffer.wrap(f)), sink.take());
            assertArrayEquals(model.get(ByteBuffer.wrap(f)), c.value());
            n++;
        }
        assertEquals(model.size(), n);
        for (Map.Entry<ByteBuffer, byte[]> e : model.entrySet()) {
            byte[] f = e.getKey().array();
            assertTrue(h.contains(f));
            assertArrayEquals(e.getValue(), h.get(f));
            assertTrue(h.get(f, sink));
            assertArrayEquals(e.getValue(), sink.take());
            assertEquals(e.getValue().length, h.valueLength(f));
        }
    }

    @Test
    void convertsWhenEntriesExceedTheLimit() {
        HashValue h = new HashValue();
        for (int i = 1; i <= ENTRIES; i++) {
            assertTrue(h.set(b("f" + i), b("v" + i), ENTRIES, VALUE));
        }
        assertEquals("listpack", h.encoding());
        assertFalse(h.set(b("f1"), b("updated"), ENTRIES, VALUE));
        assertEquals("listpack", h.encoding());
        assertTrue(h.set(b("f" + (ENTRIES + 1)), b("x"), ENTRIES, VALUE));
        assertEquals("hashtable", h.encoding());
        assertArrayEquals(b("updated"), h.get(b("f1")));
        assertEquals(ENTRIES + 1, h.size());
        for (int i = 1; i <= ENTRIES; i++) {
            h.delete(b("f" + i));
        }
        assertEquals("hashtable", h.encoding(), "never converts back");
    }

    @Test
    void convertsOnLongFieldOrValue() {
        HashValue h = new HashValue();
        h.set(b("a"), new byte[VALUE], ENTRIES, VALUE);
        assertEquals("listpack", h.encoding());
        h.set(b("b"), new byte[VALUE + 1], ENTRIES, VALUE);
        assertEquals("hashtable", h.encoding());

        HashValue k = new HashValue();
        k.set(new byte[VALUE + 1], b("v"), ENTRIES, VALUE);
        assertEquals("hashtable", k.encoding());

        HashValue zero = new HashValue();
        zero.set(b("a"), b("1"), 0, VALUE);
        assertEquals("hashtable", zero.encoding(), "hash-max-listpack-entries 0");
    }

    @Test
    void randomOperationsMatchHashMapInBothEncodings() {
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int maxEntries = (int) (seed * 40);
            HashValue h = new HashValue();
            Map<ByteBuffer, byte[]> model = new HashMap<>();
            for (int step = 0; step < 4000; step++) {
                byte[] field = r.nextInt(3) == 0 ? b(Integer.toString(r.nextInt(300))) : b("f" + r.nextInt(300));
                int op = r.nextInt(10);
                if (op < 6) {
                    byte[] value = r.nextInt(60) == 0 ? new byte[100] : b(r.nextBoolean() ? "v" + step : Integer.toString(step - 2000));
                    assertEquals(model.put(ByteBuffer.wrap(field), value) == null, h.set(field, value, maxEntries, VALUE));
                } else if (op < 9) {
                    assertEquals(model.remove(ByteBuffer.wrap(field)) != null, h.delete(field));
                } else {
                    assertEquals(model.containsKey(ByteBuffer.wrap(field)), h.contains(field));
                    if (!model.containsKey(ByteBuffer.wrap(field))) {
                        assertNull(h.get(field));
                        assertEquals(0, h.valueLength(field));
                    }
                }
                if (step % 400 == 0) {
                    assertSame(model, h);
                    assertSame(model, h.copy());
                }
            }
            assertSame(model, h);
        }
    }

    static HashValue sample(int n, boolean table) {
        HashValue h = new HashValue();
        for (int i = 0; i < n; i++) {
            h.set(b("f" + i), b("v" + i), table ? 0 : 10_000, VALUE);
        }
        return h;
    }

    @Test
    void randomPairsAreUniformInBothEncodings() {
        for (boolean table : new boolean[] {false, true}) {
            HashValue h = sample(10, table);
            Map<String, Integer> hits = new HashMap<>();
            h.randomPairs(20_000, new SplittableRandom(1), c -> {
                String f = s(c.field());
                assertEquals("v" + f.substring(1), s(c.value()));
                hits.merge(f, 1, Integer::sum);
            });
            assertEquals(10, hits.size());
            for (int v : hits.values()) {
                assertTrue(v > 1600 && v < 2400, table + " " + hits);
            }
        }
    }

    @Test
    void distinctRandomPairsAreDistinctAndUniform() {
        for (boolean table : new boolean[] {false, true}) {
            for (int count : new int[] {1, 3, 5, 9}) {
                HashValue h = sample(10, table);
                Map<String, Integer> hits = new HashMap<>();
                SplittableRandom r = new SplittableRandom(count);
                for (int round = 0; round < 2000; round++) {
                    Set<String> got = new HashSet<>();
                    h.distinctRandomPairs(count, r, c -> got.add(s(c.field())));
                    assertEquals(count, got.size());
                    got.forEach(f -> hits.merge(f, 1, Integer::sum));
                }
                double expected = 2000.0 * count / 10;
                for (int v : hits.values()) {
                    assertTrue(Math.abs(v - expected) < expected * 0.2 + 30, table + " " + count + " " + hits);
                }
            }
        }
    }

    @Test
    void scanOfListpackIsWholeAndOfTableCoversEverything() {
        HashValue small = sample(20, false);
        List<String> out = new ArrayList<>();
        assertEquals(0, small.scan(12345, (f, v) -> out.add(s(f) + "=" + s(v))));
        assertEquals(20, out.size());
        assertEquals("f0=v0", out.get(0));

        HashValue big = sample(1000, true);
        Set<String> fields = new HashSet<>();
        long cursor = 0;
        int steps = 0;
        do {
            cursor = big.scan(cursor, (f, v) -> {
                assertEquals("v" + s(f).substring(1), s(v));
                fields.add(s(f));
            });
            steps++;
        } while (cursor != 0);
        assertEquals(1000, fields.size());
        assertTrue(steps >= 1024, "one home slot per step: " + steps);
    }
}
