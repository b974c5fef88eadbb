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
        return switch (r.nextInt(7)) {
            case 5 -> b(("abc" + r.nextInt(4)).repeat(r.nextInt(1, 80)));
            case 6 -> b("x".repeat(r.nextInt(200, 400)));
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
            randomOperations(100 + f, new QuickList(fills[f]));
        }
    }

    /** The same workload on compressed lists (depth 1 to 3) with plain nodes for elements of 250 bytes and more. */
    @Test
    void randomOperationsMatchArrayListCompressedWithPlainNodes() {
        int[][] settings = {{-2, 1, 250}, {4, 1, 250}, {3, 2, 100}, {1, 3, 250}, {16, 2, 5000}, {-1, 1, 1}};
        for (int i = 0; i < settings.length; i++) {
            PackedThreshold threshold = new PackedThreshold();
            threshold.set(settings[i][2]);
            QuickList ql = new QuickList(settings[i][0], settings[i][1], threshold);
            String seen = randomOperations(200 + i, ql);
            assertTrue(seen.contains("z") && seen.contains("P"), "compressed and plain nodes occur: " + seen);
        }
    }

    /** 2500 random operations checked against a java.util list; returns the node kinds seen ("z", "P"). */
    private static String randomOperations(long seed, QuickList ql) {
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> model = new ArrayList<>();
        StringBuilder seen = new StringBuilder();
        for (int step = 0; step < 2500; step++) {
            ql.verify();
            String layout = ql.layout();
            for (String kind : new String[] {"z", "P"}) {
                if (layout.contains(kind) && seen.indexOf(kind) < 0) {
                    seen.append(kind);
                }
            }
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
                int removed = 0;
                try (QuickList.Iter it = ql.iterator(forward)) {
                    while (it.next()) {
                        if (it.valueEquals(v)) {
                            it.remove();
                            removed++;
                            if (n != 0 && removed == n) {
                                break;
                            }
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
                int k = i;
                int steps = r.nextInt(1, 50);
                try (QuickList.Iter it = ql.iterator(i, forward)) {
                    while (steps-- > 0 && it.next()) {
                        assertArrayEquals(model.get(k), it.value());
                        k += forward ? 1 : -1;
                    }
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
        return seen.toString();
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

    // ------------------------------------------------------------------------------------------
    // Node layouts as Redis 7.0.15 makes them. The expected layouts were read from real Redis:
    // the same commands, then DEBUG QUICKLIST (printed on its standard output), one word per node:
    // entry count, P for a plain node, z when LZF-compressed. The helpers below do what the list
    // commands do with a QuickList (see the server's ListCommands).

    private static QuickList list(int fill, int depth, long plainFrom) {
        PackedThreshold threshold = new PackedThreshold();
        threshold.set(plainFrom);
        return new QuickList(fill, depth, threshold);
    }

    private static void rpush(QuickList ql, String... values) {
        for (String v : values) {
            ql.pushTail(b(v));
        }
    }

    private static List<String> lrange(QuickList ql, long start, long end) {
        List<String> out = new ArrayList<>();
        try (QuickList.Iter it = ql.iterator(start, true)) {
            for (long i = start; i <= end && it.next(); i++) {
                out.add(new String(it.value(), StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    /** LPOP/RPOP with a count: the range is read (and its iterator released), then deleted. */
    private static void popCount(QuickList ql, boolean head, int n) {
        try (QuickList.Iter it = ql.iterator(head ? 0 : -1, head)) {
            for (int i = 0; i < n && it.next(); i++) {
                it.value();
            }
        }
        ql.deleteRange(head ? 0 : -n, n);
    }

    private static boolean linsert(QuickList ql, boolean after, String pivot, String value) {
        try (QuickList.Iter it = ql.iterator(true)) {
            while (it.next()) {
                if (it.valueEquals(b(pivot))) {
                    if (after) {
                        it.insertAfter(b(value));
                    } else {
                        it.insertBefore(b(value));
                    }
                    return true;
                }
            }
        }
        return false;
    }

    private static void lremAll(QuickList ql, String value) {
        try (QuickList.Iter it = ql.iterator(true)) {
            while (it.next()) {
                if (it.valueEquals(b(value))) {
                    it.remove();
                }
            }
        }
    }

    private static String element(int i) {
        return String.format("element-%02d-abcabcabcabc", i);
    }

    /** A list of n compressible 23-byte elements, element(0) to element(n - 1). */
    private static QuickList elements(int fill, int depth, long plainFrom, int n) {
        QuickList ql = list(fill, depth, plainFrom);
        for (int i = 0; i < n; i++) {
            ql.pushTail(b(element(i)));
        }
        return ql;
    }

    @Test
    void depthOneKeepsTheEndNodesRaw() {
        QuickList ql = elements(4, 1, 0, 20);
        assertEquals("4 4z 4z 4z 4", ql.layout());
        assertEquals(535, ql.uncompressedSize());
        assertEquals(20, lrange(ql, 0, -1 + 20).size());
        assertEquals("4 4z 4z 4z 4", ql.layout(), "reading recompresses what it decompressed");
        popCount(ql, true, 5);
        assertEquals("3 4z 4z 4", ql.layout());
        assertEquals(403, ql.uncompressedSize());
        assertEquals(element(12), new String(ql.get(7), StandardCharsets.ISO_8859_1));
        assertEquals("3 4z 4z 4", ql.layout());
        assertTrue(linsert(ql, true, element(9), "new-one-abcabcabcabc"));
        assertEquals("3 2z 3z 4z 4", ql.layout());
        ql.deleteRange(-2, 2); // LTRIM l 0 -3
        assertEquals("3 2z 3z 4z 2", ql.layout());
        lremAll(ql, element(12));
        assertEquals("3 2z 3z 3z 2", ql.layout());
        assertTrue(ql.set(5, b("replaced")));
        assertEquals("3 2z 3z 3z 2", ql.layout());
        popCount(ql, false, 6);
        assertEquals("3 2z 2", ql.layout());
        assertEquals(181, ql.uncompressedSize());
        ql.verify();
    }

    @Test
    void depthTwoKeepsTwoNodesRawAtEachEnd() {
        QuickList ql = elements(4, 2, 0, 28);
        assertEquals("4 4 4z 4z 4z 4 4", ql.layout());
        assertTrue(linsert(ql, false, element(13), "x".repeat(30)));
        assertEquals("4 4 4z 2z 3z 4z 4 4", ql.layout());
        lrange(ql, 3, 20);
        assertEquals("4 4 4z 2z 3z 4z 4 4", ql.layout());
        for (String h : new String[] {"h1", "h2", "h3", "h4", "h5"}) {
            ql.pushHead(b(h));
        }
        assertEquals("1 4 4z 4z 4z 2z 3z 4z 4 4", ql.layout());
        assertEquals(822, ql.uncompressedSize());
    }

    @Test
    void nodesUnder48BytesAreNotCompressed() {
        QuickList ql = list(4, 1, 0);
        for (int i = 0; i < 20; i++) {
            ql.pushTail(b(String.valueOf((char) ('a' + i))));
        }
        assertEquals("4 4 4 4 4", ql.layout());
        assertEquals(95, ql.uncompressedSize());
    }

    @Test
    void largeElementsGetPlainNodes() {
        QuickList ql = list(4, 0, 10);
        rpush(ql, "a", "b", "c", "x".repeat(20), "d");
        assertEquals("3 P 1", ql.layout());
        assertEquals(46, ql.uncompressedSize());
        ql.pushHead(b("y".repeat(20)));
        assertEquals("P 3 P 1", ql.layout());
        assertTrue(linsert(ql, false, "d", "zz")); // d's node has room
        assertEquals("P 3 P 2", ql.layout());
        assertTrue(ql.set(4, b("small"))); // a plain node replaced by a small element
        assertEquals("P 3 3", ql.layout());
        assertTrue(ql.set(2, b("w".repeat(15)))); // a large element into a packed node: split around it
        assertEquals("P 1 P 1 3", ql.layout());
        assertTrue(linsert(ql, true, "a", "v".repeat(12)));
        assertEquals("P 1 P P 1 3", ql.layout());
        assertTrue(linsert(ql, false, "y".repeat(20), "q"));
        assertEquals("1 P 1 P P 1 3", ql.layout());
        lremAll(ql, "v".repeat(12));
        assertEquals("1 P 1 P 1 3", ql.layout());
        popCount(ql, false, 2);
        assertEquals("1 P 1 P 1 1", ql.layout());
        assertArrayEquals(b("q"), ql.popHead());
        assertEquals("P 1 P 1 1", ql.layout());
        assertEquals(69, ql.uncompressedSize());
        assertEquals(List.of("y".repeat(20), "a", "w".repeat(15), "c", "small"), lrange(ql, 0, 4));
        assertArrayEquals(b("y".repeat(20)), ql.popHead());
        ql.verify();
    }

    @Test
    void plainNodesAreCompressedToo() {
        QuickList ql = list(3, 1, 30);
        rpush(ql, "a", "b", "c", "p".repeat(60), "d", "e", "f", "g", "h", "q".repeat(60), "i", "j");
        assertEquals("3 Pz 3 2 Pz 2", ql.layout());
        assertEquals(178, ql.uncompressedSize());
        assertTrue(ql.set(3, b("tiny")));
        assertEquals("3 1 3 2 Pz 2", ql.layout());
        assertTrue(ql.set(5, b("r".repeat(80))));
        assertEquals("3 1 1 Pz 1 2 Pz 2", ql.layout());
        assertTrue(linsert(ql, true, "f", "s".repeat(70)));
        assertEquals("3 1 1 Pz 1 Pz 2 Pz 2", ql.layout());
        assertEquals(285, ql.uncompressedSize());
        assertEquals(List.of("a", "b", "c", "tiny", "d", "r".repeat(80), "f", "s".repeat(70), "g", "h",
                "q".repeat(60), "i", "j"), lrange(ql, 0, 12));
        assertEquals("3 1 1 Pz 1 Pz 2 Pz 2", ql.layout());
    }

    @Test
    void anIteratorLeavesItsNodeDecompressedUntilClosed() {
        QuickList ql = elements(4, 1, 0, 20);
        QuickList.Iter it = ql.iterator(9, true);
        assertTrue(it.next());
        assertEquals("4 4z 4 4z 4", ql.layout());
        it.close();
        assertEquals("4 4z 4z 4z 4", ql.layout());
    }

    @Test
    void copiesKeepSettingsAndCompression() {
        QuickList ql = elements(4, 1, 30, 20);
        ql.pushTail(b("p".repeat(100)));
        ql.pushTail(b("end"));
        QuickList copy = ql.copy();
        assertEquals(ql.layout(), copy.layout());
        assertEquals("4 4z 4z 4z 4z Pz 1", copy.layout());
        assertEquals(1, copy.compressDepth());
        copy.verify();
        assertEquals(lrange(ql, 0, 100), lrange(copy, 0, 100));
    }

    @Test
    void compressionShrinksMemoryButNotTheUncompressedSize() {
        QuickList plain = list(-2, 0, 0);
        QuickList compressed = list(-2, 1, 0);
        for (int i = 0; i < 5000; i++) {
            plain.pushTail(b(element(i % 100)));
            compressed.pushTail(b(element(i % 100)));
        }
        assertEquals(plain.uncompressedSize(), compressed.uncompressedSize());
        assertEquals(plain.nodeCount(), compressed.nodeCount());
        assertTrue(compressed.memoryUsage() * 3 < plain.memoryUsage(),
                compressed.memoryUsage() + " vs " + plain.memoryUsage());
    }

    @Test
    void depthIsClamped() {
        assertEquals(0, new QuickList(-2, -5, new PackedThreshold()).compressDepth());
        assertEquals(65535, new QuickList(-2, Integer.MAX_VALUE, new PackedThreshold()).compressDepth());
    }

    @Test
    void reprPrintsRedisQuicklistRepr() {
        QuickList ql = elements(4, 1, 0, 12);
        String repr = ql.repr(false);
        assertTrue(repr.startsWith("{count : 12}\n{len : 3}\n{fill : 4}\n{compress : 1}\n{bookmark_count : 0}\n"), repr);
        assertTrue(repr.contains("{quicklist node(1)\n{container : PACKED, encoding: LZF, size: 107, count: 4, "
                + "recompress: 0, attempted_compress: 0}\n"), repr);
        ql.repr(true); // prints entries; as Redis, leaves the nodes decompressed
        assertEquals("4 4 4", ql.layout());
    }
}
