package io.respire.ds.list;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QuickListTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] randomValue(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> b(Long.toString(r.nextLong(-1000, 1000)));
            case 1 -> b("v" + r.nextInt(8));
            case 2 -> {
                byte[] s = new byte[r.nextInt(0, 300)];
                r.nextBytes(s);
                yield s;
            }
            case 3 -> {
                byte[] s = new byte[r.nextInt(3000, 10000)];
                r.nextBytes(s);
                yield s;
            }
            default -> b(Long.toString(r.nextLong()));
        };
    }

    static void assertSame(List<byte[]> model, QuickList ql) {
        ql.verify();
        assertEquals(model.size(), ql.size());
        QuickList.Iter it = ql.iterator(true);
        int i = 0;
        while (it.next()) {
            assertArrayEquals(model.get(i++), it.value());
        }
        assertEquals(model.size(), i);
        it = ql.iterator(false);
        while (it.next()) {
            assertArrayEquals(model.get(--i), it.value());
        }
        assertEquals(0, i);
    }

    @Test
    void fillLimitsNodesByCountOrBytes() {
        QuickList byCount = new QuickList(4);
        for (int i = 0; i < 10; i++) {
            byCount.pushTail(b("x" + i));
        }
        assertEquals(3, byCount.nodeCount());

        QuickList bySize = new QuickList(-1); // 4 KB nodes
        byte[] hundred = new byte[100];
        for (int i = 0; i < 100; i++) {
            bySize.pushHead(hundred);
        }
        // 102 bytes per entry; at most (4096 - 7 - 108) / 102 + 1 = 40 per node
        assertEquals(3, bySize.nodeCount());

        QuickList big = new QuickList(-2);
        big.pushTail(new byte[100_000]);
        big.pushTail(b("a"));
        big.pushHead(b("b"));
        assertEquals(3, big.nodeCount(), "a huge element sits alone");

        assertEquals(-5, new QuickList(-100).fill());
        assertEquals(32767, new QuickList(Integer.MAX_VALUE).fill());
        QuickList zero = new QuickList(0);
        zero.pushTail(b("a"));
        zero.pushTail(b("b"));
        assertEquals(2, zero.nodeCount());
    }

    @Test
    void countLimitStillCapsNodeBytes() {
        QuickList ql = new QuickList(1000);
        byte[] v = new byte[1000];
        for (int i = 0; i < 20; i++) {
            ql.pushTail(v);
        }
        assertTrue(ql.nodeCount() >= 3, "8 KB safety limit: " + ql.nodeCount());
    }

    @Test
    void randomOperationsMatchArrayList() {
        int[] fills = {-2, -1, 1, 2, 3, 5, 16, 128, -5, 0};
        for (int f = 0; f < fills.length; f++) {
            SplittableRandom r = new SplittableRandom(100 + f);
            QuickList ql = new QuickList(fills[f]);
            List<byte[]> model = new ArrayList<>();
            for (int step = 0; step < 2500; step++) {
                int op = r.nextInt(14);
                if (op <= 3 || model.isEmpty()) {
                    byte[] v = randomValue(r);
                    boolean head = r.nextBoolean();
                    ql.push(v, head);
                    model.add(head ? 0 : model.size(), v);
                } else if (op == 4) {
                    boolean head = r.nextBoolean();
                    byte[] expected = model.remove(head ? 0 : model.size() - 1);
                    assertArrayEquals(expected, ql.pop(head));
                } else if (op == 5) {
                    int i = r.nextInt(model.size());
                    long index = r.nextBoolean() ? i : i - model.size();
                    assertArrayEquals(model.get(i), ql.get(index));
                    assertNull(ql.get(model.size()));
                    assertNull(ql.get(-model.size() - 1));
                } else if (op == 6) {
                    int i = r.nextInt(model.size());
                    byte[] v = randomValue(r);
                    assertTrue(ql.set(i, v));
                    model.set(i, v);
                } else if (op == 7 || op == 8) {
                    // LINSERT at a random pivot
                    int i = r.nextInt(model.size());
                    byte[] v = randomValue(r);
                    QuickList.Iter it = ql.iterator(i, true);
                    assertTrue(it.next());
                    if (op == 7) {
                        it.insertBefore(v);
                        model.add(i, v);
                    } else {
                        it.insertAfter(v);
                        model.add(i + 1, v);
                    }
                    assertFalse(it.next());
                } else if (op == 9) {
                    // LREM: remove up to n matches in one direction
                    byte[] v = model.get(r.nextInt(model.size()));
                    int n = r.nextInt(3);
                    boolean forward = r.nextBoolean();
                    QuickList.Iter it = ql.iterator(forward);
                    int removed = 0;
                    while (it.next()) {
                        if (it.valueEquals(v)) {
                            it.remove();
                            removed++;
                            if (n != 0 && removed == n) {
                                break;
                            }
                        }
                    }
                    int modelRemoved = 0;
                    if (forward) {
                        for (int k = 0; k < model.size() && (n == 0 || modelRemoved < n); k++) {
                            if (Arrays.equals(model.get(k), v)) {
                                model.remove(k--);
                                modelRemoved++;
                            }
                        }
                    } else {
                        for (int k = model.size() - 1; k >= 0 && (n == 0 || modelRemoved < n); k--) {
                            if (Arrays.equals(model.get(k), v)) {
                                model.remove(k);
                                modelRemoved++;
                            }
                        }
                    }
                    assertEquals(modelRemoved, removed);
                } else if (op == 10) {
                    long start = r.nextInt(-model.size() - 2, model.size() + 2);
                    long n = r.nextInt(-1, 40);
                    long s = start < 0 ? model.size() + start : start;
                    long expected = (n <= 0 || s < 0 || s >= model.size()) ? 0 : Math.min(n, model.size() - s);
                    assertEquals(expected, ql.deleteRange(start, n));
                    if (expected > 0) {
                        model.subList((int) s, (int) (s + expected)).clear();
                    }
                } else if (op == 11) {
                    // LRANGE-like iteration from an index, both directions
                    int i = r.nextInt(model.size());
                    boolean forward = r.nextBoolean();
                    QuickList.Iter it = ql.iterator(i, forward);
                    int k = i;
                    int steps = r.nextInt(1, 50);
                    while (steps-- > 0 && it.next()) {
                        assertArrayEquals(model.get(k), it.value());
                        k += forward ? 1 : -1;
                    }
                } else if (op == 12) {
                    QuickList c = ql.copy();
                    assertSame(model, c);
                    c.pushTail(b("only in the copy"));
                } else {
                    assertSame(model, ql);
                }
            }
            assertSame(model, ql);
            while (!model.isEmpty()) {
                assertArrayEquals(model.remove(0), ql.popHead());
            }
            assertNull(ql.popTail());
            assertEquals(0, ql.nodeCount());
        }
    }

    @Test
    void insertsIntoFullNodesSplitThem() {
        QuickList ql = new QuickList(4);
        List<byte[]> model = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ql.pushTail(b("e" + i));
            model.add(b("e" + i));
        }
        for (int i = 0; i < 30; i++) {
            int at = (i * 7) % model.size();
            QuickList.Iter it = ql.iterator(at, true);
            it.next();
            it.insertAfter(b("n" + i));
            model.add(at + 1, b("n" + i));
            assertSame(model, ql);
        }
        assertTrue(ql.nodeCount() >= model.size() / 4);
    }

    @Test
    void memoryPerShortElementIsSmall() {
        QuickList ql = new QuickList(-2);
        for (int i = 0; i < 100_000; i++) {
            ql.pushTail(b("element:" + i));
        }
        double perElement = (double) ql.memoryUsage() / ql.size();
        assertTrue(perElement < 17, "bytes per element " + perElement);
    }
}
