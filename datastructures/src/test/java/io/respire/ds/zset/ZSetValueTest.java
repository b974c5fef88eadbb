package io.respire.ds.zset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** ZSetValue in both encodings against a model made of a TreeMap and a HashMap. */
class ZSetValueTest {
    static final ZSetValue.Limits DEFAULT = new ZSetValue.Limits(128, 64);

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A (score, member) pair ordered as Redis orders them. */
    record Entry(double score, String member) {
        static final Comparator<Entry> ORDER = Comparator.comparingDouble(Entry::score)
                .thenComparing((a, c) -> Arrays.compareUnsigned(b(a.member), b(c.member)));
    }

    static final class Model {
        final TreeMap<Entry, Boolean> order = new TreeMap<>(Entry.ORDER);
        final Map<String, Double> scores = new HashMap<>();

        void put(String m, double score) {
            Double old = scores.put(m, score);
            if (old != null) {
                order.remove(new Entry(old, m));
            }
            order.put(new Entry(score, m), true);
        }

        boolean remove(String m) {
            Double old = scores.remove(m);
            if (old != null) {
                order.remove(new Entry(old, m));
            }
            return old != null;
        }

        List<Entry> list() {
            return new ArrayList<>(order.keySet());
        }
    }

    static List<Entry> all(ZSetValue z) {
        List<Entry> out = new ArrayList<>();
        z.forEach((m, sc) -> out.add(new Entry(sc, s(m))));
        return out;
    }

    static void check(Model model, ZSetValue z) {
        assertEquals(model.scores.size(), z.size());
        assertEquals(model.list(), all(z));
        z.verify();
    }

    @Test
    void encodingThresholds() {
        ZSetValue z = ZSetValue.createFor(b("a"), DEFAULT);
        assertEquals("listpack", z.encoding());
        for (int i = 0; i < 128; i++) {
            z.add(i, b("m" + i), 0, null, DEFAULT);
        }
        assertEquals("listpack", z.encoding());
        z.add(1000, b("m" + 1000), 0, null, DEFAULT);
        assertEquals("skiplist", z.encoding());
        z.remove(b("m1000"));
        assertEquals("skiplist", z.encoding()); // removals never convert back
        z.convertToListpackIfFits(DEFAULT);
        assertEquals("listpack", z.encoding());

        ZSetValue v = ZSetValue.createFor(b("x".repeat(64)), DEFAULT);
        assertEquals("listpack", v.encoding());
        v.add(1, b("x".repeat(64)), 0, null, DEFAULT);
        assertEquals("listpack", v.encoding());
        v.add(1, b("y".repeat(65)), 0, null, DEFAULT);
        assertEquals("skiplist", v.encoding());
        v.convertToListpackIfFits(DEFAULT);
        assertEquals("skiplist", v.encoding()); // a member is still too long

        assertEquals("skiplist", ZSetValue.createFor(b("x".repeat(65)), DEFAULT).encoding());
        assertEquals("skiplist", ZSetValue.createFor(b("a"), new ZSetValue.Limits(0, 64)).encoding());
    }

    @Test
    void addFlagsFollowZsetAdd() {
        for (ZSetValue z : new ZSetValue[] {ZSetValue.listpack(), ZSetValue.skiplist()}) {
            double[] out = new double[1];
            assertEquals(ZSetValue.ADDED, z.add(1, b("a"), 0, out, DEFAULT));
            assertEquals(0, z.add(1, b("a"), 0, out, DEFAULT)); // same score: no flag
            assertEquals(ZSetValue.NOP, z.add(5, b("a"), ZSetValue.NX, out, DEFAULT));
            assertEquals(ZSetValue.NOP, z.add(5, b("b"), ZSetValue.XX, out, DEFAULT));
            assertEquals(ZSetValue.NOP, z.add(0, b("a"), ZSetValue.GT, out, DEFAULT));
            assertEquals(ZSetValue.UPDATED, z.add(3, b("a"), ZSetValue.GT, out, DEFAULT));
            assertEquals(ZSetValue.NOP, z.add(4, b("a"), ZSetValue.LT, out, DEFAULT));
            assertEquals(ZSetValue.UPDATED, z.add(2, b("a"), ZSetValue.INCR, out, DEFAULT));
            assertEquals(5.0, out[0]);
            assertEquals(ZSetValue.ADDED, z.add(Double.POSITIVE_INFINITY, b("c"), 0, out, DEFAULT));
            assertEquals(ZSetValue.NAN, z.add(Double.NEGATIVE_INFINITY, b("c"), ZSetValue.INCR, out, DEFAULT));
            assertEquals(ZSetValue.NAN, z.add(Double.NaN, b("d"), 0, out, DEFAULT));
            assertEquals(Double.POSITIVE_INFINITY, z.score(b("c")));
            assertTrue(Double.isNaN(z.score(b("zz"))));
            assertEquals(2, z.size());
            // As in Redis 7.0, a listpack stores -0 as the integer 0; a skiplist keeps -0.
            z.add(-0.0, b("neg"), 0, out, DEFAULT);
            double expected = z.isListpack() ? 0.0 : -0.0;
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(z.score(b("neg"))));
        }
    }

    @Test
    void randomOperationsMatchModel() {
        SplittableRandom r = new SplittableRandom(2024);
        for (int round = 0; round < 8; round++) {
            // Small limits make sets cross the listpack threshold often.
            ZSetValue.Limits limits = round % 3 == 0 ? new ZSetValue.Limits(16, 8) : DEFAULT;
            ZSetValue z = round % 2 == 0 ? ZSetValue.listpack() : ZSetValue.skiplist();
            Model model = new Model();
            int space = round < 4 ? 40 : 300;
            for (int i = 0; i < 3000; i++) {
                String m = "m" + r.nextInt(space) + (r.nextInt(20) == 0 ? "-long-member-name" : "");
                double score = r.nextInt(4) == 0 ? r.nextInt(5) : r.nextInt(1000) / 4.0 - 100;
                int op = r.nextInt(14);
                switch (op) {
                    case 0, 1, 2, 3 -> {
                        boolean present = model.scores.containsKey(m);
                        int flags = z.add(score, b(m), 0, null, limits);
                        assertEquals(present ? (model.scores.get(m) == score ? 0 : ZSetValue.UPDATED) : ZSetValue.ADDED, flags);
                        model.put(m, score);
                    }
                    case 4 -> {
                        double[] out = new double[1];
                        z.add(score, b(m), ZSetValue.INCR, out, limits);
                        double expected = model.scores.getOrDefault(m, 0.0) + score;
                        assertEquals(expected, out[0]);
                        model.put(m, expected);
                    }
                    case 5, 6 -> assertEquals(model.remove(m), z.remove(b(m)));
                    case 7 -> checkRanks(model, z, m);
                    case 8 -> checkScoreRange(model, z, r);
                    case 9 -> {
                        if (r.nextInt(4) == 0) {
                            checkLexRange(model, z, r);
                        }
                    }
                    case 10 -> checkRankRange(model, z, r);
                    case 11 -> {
                        if (r.nextInt(10) == 0) {
                            removeScoreRange(model, z, r);
                        }
                    }
                    case 12 -> {
                        if (r.nextInt(10) == 0) {
                            removeRankRange(model, z, r);
                        }
                    }
                    default -> {
                        if (r.nextInt(5) == 0) {
                            List<Entry> l = model.list();
                            boolean max = r.nextBoolean();
                            Entry[] got = new Entry[1];
                            boolean popped = z.pop(max, (mm, sc) -> got[0] = new Entry(sc, s(mm)));
                            assertEquals(!l.isEmpty(), popped);
                            if (popped) {
                                Entry e = max ? l.get(l.size() - 1) : l.get(0);
                                assertEquals(e, got[0]);
                                model.remove(e.member);
                            }
                        }
                    }
                }
                if (i % 100 == 0) {
                    check(model, z);
                    assertEquals(z.size(), z.copy().size());
                    assertEquals(all(z), all(z.copy()));
                }
            }
            check(model, z);
        }
    }

    private static void checkRanks(Model model, ZSetValue z, String m) {
        List<Entry> l = model.list();
        int idx = -1;
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i).member.equals(m)) {
                idx = i;
            }
        }
        assertEquals(idx, z.rank(b(m), false));
        assertEquals(idx < 0 ? -1 : l.size() - 1 - idx, z.rank(b(m), true));
        Double sc = model.scores.get(m);
        if (sc == null) {
            assertTrue(Double.isNaN(z.score(b(m))));
        } else {
            assertEquals(sc, z.score(b(m)));
        }
    }

    private static ScoreRange randomScoreRange(SplittableRandom r) {
        double a = r.nextInt(12) == 0 ? Double.NEGATIVE_INFINITY : r.nextInt(1000) / 4.0 - 100;
        double c = r.nextInt(12) == 0 ? Double.POSITIVE_INFINITY : a + r.nextInt(200) / 4.0 - 5;
        return new ScoreRange(a, r.nextBoolean(), c, r.nextBoolean());
    }

    private static void checkScoreRange(Model model, ZSetValue z, SplittableRandom r) {
        ScoreRange range = randomScoreRange(r);
        boolean reverse = r.nextBoolean();
        long offset = r.nextInt(6) == 0 ? r.nextInt(5) : 0;
        long limit = r.nextInt(3) == 0 ? r.nextInt(6) : -1;
        List<Entry> expected = new ArrayList<>();
        for (Entry e : model.list()) {
            if (range.contains(e.score)) {
                expected.add(e);
            }
        }
        assertEquals(expected.size(), z.count(range));
        if (reverse) {
            java.util.Collections.reverse(expected);
        }
        List<Entry> window = window(expected, offset, limit, model.scores.size());
        List<Entry> got = new ArrayList<>();
        long n = z.rangeByScore(range, offset, limit, reverse, (m, sc) -> got.add(new Entry(sc, s(m))));
        assertEquals(window, got);
        assertEquals(window.size(), n);
    }

    /** The offset/limit window of Redis: an offset at or past the set's size gives nothing. */
    private static List<Entry> window(List<Entry> l, long offset, long limit, int setSize) {
        if (offset > 0 && offset >= setSize) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        for (int i = (int) offset; i < l.size() && (limit < 0 || out.size() < limit); i++) {
            out.add(l.get(i));
        }
        return out;
    }

    private static void checkLexRange(Model model, ZSetValue z, SplittableRandom r) {
        // Lex ranges are meaningful when all scores are equal: check on a same-score copy.
        ZSetValue same = r.nextBoolean() ? ZSetValue.listpack() : ZSetValue.skiplist();
        List<String> members = new ArrayList<>(model.scores.keySet());
        ZSetValue.Limits big = new ZSetValue.Limits(1000, 1000);
        for (String m : members) {
            same.add(0, b(m), 0, null, big);
        }
        members.sort((x, y) -> Arrays.compareUnsigned(b(x), b(y)));
        String[] bounds = {"-", "+", "[m1", "(m1", "[m3", "(m25", "[m", "(m9", "[a", "[z", "(m1-long-member-name"};
        LexRange range = LexRange.parse(b(bounds[r.nextInt(bounds.length)]), b(bounds[r.nextInt(bounds.length)]));
        boolean reverse = r.nextBoolean();
        List<Entry> expected = new ArrayList<>();
        for (String m : members) {
            if (range.contains(b(m))) {
                expected.add(new Entry(0, m));
            }
        }
        assertEquals(expected.size(), same.lexCount(range));
        if (reverse) {
            java.util.Collections.reverse(expected);
        }
        List<Entry> got = new ArrayList<>();
        same.rangeByLex(range, 0, -1, reverse, (m, sc) -> got.add(new Entry(sc, s(m))));
        assertEquals(expected, got);
        if (r.nextBoolean()) {
            assertEquals(expected.size(), same.removeRangeByLex(range));
            assertEquals(members.size() - expected.size(), same.size());
            for (Entry e : expected) {
                assertFalse(same.contains(b(e.member)));
            }
            same.verify();
        }
    }

    private static void checkRankRange(Model model, ZSetValue z, SplittableRandom r) {
        List<Entry> l = model.list();
        if (l.isEmpty()) {
            return;
        }
        int start = r.nextInt(l.size());
        int end = start + r.nextInt(l.size() - start);
        boolean reverse = r.nextBoolean();
        List<Entry> src = new ArrayList<>(l);
        if (reverse) {
            java.util.Collections.reverse(src);
        }
        List<Entry> got = new ArrayList<>();
        z.rangeByRank(start, end, reverse, (m, sc) -> got.add(new Entry(sc, s(m))));
        assertEquals(src.subList(start, end + 1), got);
    }

    private static void removeScoreRange(Model model, ZSetValue z, SplittableRandom r) {
        ScoreRange range = randomScoreRange(r);
        List<Entry> gone = new ArrayList<>();
        for (Entry e : model.list()) {
            if (range.contains(e.score)) {
                gone.add(e);
            }
        }
        assertEquals(gone.size(), z.removeRangeByScore(range));
        gone.forEach(e -> model.remove(e.member));
    }

    private static void removeRankRange(Model model, ZSetValue z, SplittableRandom r) {
        List<Entry> l = model.list();
        if (l.isEmpty()) {
            return;
        }
        int start = r.nextInt(l.size());
        int end = start + r.nextInt(Math.min(5, l.size() - start));
        assertEquals(end - start + 1, z.removeRangeByRank(start, end));
        l.subList(start, end + 1).forEach(e -> model.remove(e.member));
    }

    @Test
    void largeSkiplistRanksAndScan() {
        ZSetValue z = ZSetValue.skiplist();
        SplittableRandom r = new SplittableRandom(9);
        Model model = new Model();
        for (int i = 0; i < 10_000; i++) {
            String m = "k" + r.nextInt(8_000);
            double sc = r.nextInt(2000);
            z.add(sc, b(m), 0, null, DEFAULT);
            model.put(m, sc);
        }
        check(model, z);
        List<Entry> l = model.list();
        for (int i = 0; i < 2000; i++) {
            int idx = r.nextInt(l.size());
            assertEquals(idx, z.rank(b(l.get(idx).member), false));
            List<Entry> got = new ArrayList<>();
            z.rangeByRank(idx, idx, false, (m, sc) -> got.add(new Entry(sc, s(m))));
            assertEquals(l.get(idx), got.get(0));
        }
        Set<ByteBuffer> seen = new HashSet<>();
        long c = 0;
        do {
            c = z.scan(c, (m, sc) -> seen.add(ByteBuffer.wrap(m)));
        } while (c != 0);
        assertEquals(model.scores.size(), seen.size());
        assertNull(LexRange.parse(b("a"), b("+")));
        assertNull(LexRange.parse(b("+x"), b("+")));
        assertNull(ScoreRange.parse(b("x"), b("1")));
    }
}
