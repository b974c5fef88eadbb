package io.respire.ds.zset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * ScoreTree against a TreeMap model, at sizes that give it three levels of pages, under the
 * insertion orders that stress splits (ascending, descending, random, all scores equal) and the
 * removals that stress borrowing and merging.
 */
class ScoreTreeTest {
    record Key(double score, String member) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            if (score != o.score) {
                return score < o.score ? -1 : 1;
            }
            return java.util.Arrays.compareUnsigned(b(member), b(o.member));
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The tree, the model, and the nodes by member, kept in step. */
    static final class Fixture {
        final ScoreTree tree = new ScoreTree();
        final TreeMap<Key, Boolean> model = new TreeMap<>();
        final Map<String, ScoreTree.Node> nodes = new HashMap<>();

        void insert(double score, String member) {
            nodes.put(member, tree.insert(score, b(member)));
            model.put(new Key(score, member), true);
        }

        void delete(String member) {
            ScoreTree.Node x = nodes.remove(member);
            model.remove(new Key(x.score, member));
            assertTrue(tree.delete(x));
        }

        void update(String member, double score) {
            ScoreTree.Node x = nodes.get(member);
            model.remove(new Key(x.score, member));
            tree.updateScore(x, score);
            model.put(new Key(score, member), true);
        }

        List<Key> keys() {
            return new ArrayList<>(model.keySet());
        }

        void check() {
            tree.verify();
            assertEquals(model.size(), tree.length());
            List<Key> walked = new ArrayList<>();
            for (ScoreTree.Cursor c = tree.first(); c.valid(); c.next()) {
                walked.add(new Key(c.node().score, s(c.node().member)));
            }
            assertEquals(keys(), walked);
            List<Key> back = new ArrayList<>();
            for (ScoreTree.Cursor c = tree.last(); c.valid(); c.prev()) {
                back.add(0, new Key(c.node().score, s(c.node().member)));
            }
            assertEquals(walked, back);
        }

        /** Ranks and rank lookups at a sample of positions. */
        void checkRanks(SplittableRandom random) {
            List<Key> keys = keys();
            for (int k = 0; k < 50 && !keys.isEmpty(); k++) {
                int i = random.nextInt(keys.size());
                Key key = keys.get(i);
                assertEquals(i + 1, tree.rank(nodes.get(key.member)));
                ScoreTree.Cursor c = tree.byRank(i + 1);
                assertEquals(key.member, s(c.node().member));
            }
            assertFalse(tree.byRank(0).valid());
            assertFalse(tree.byRank(keys.size() + 1L).valid());
        }
    }

    @Test
    void ascendingInsertsFillLeavesAndStayOrdered() {
        Fixture f = new Fixture();
        for (int i = 0; i < 20_000; i++) {
            f.insert(i, "m" + i);
        }
        f.check();
        f.checkRanks(new SplittableRandom(1));
        // Appends fill whole leaves: the pages cost little more than full ones would.
        long full = (20_000 / ScoreTree.CAPACITY + 1) * (32 + 16 + 4L * ScoreTree.CAPACITY + 16 + 8L * ScoreTree.CAPACITY);
        assertTrue(f.tree.pageBytes() < full * 11 / 10, "pages " + f.tree.pageBytes() + " vs full " + full);
    }

    @Test
    void descendingAndEqualScoreInserts() {
        Fixture down = new Fixture();
        for (int i = 20_000; i > 0; i--) {
            down.insert(i, "m" + i);
        }
        down.check();
        down.checkRanks(new SplittableRandom(2));

        Fixture lex = new Fixture();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            lex.insert(0, "m" + random.nextInt(1_000_000) + ":" + i);
        }
        lex.check();
        lex.checkRanks(random);
        // Removing by identity among thousands of equal scores finds the right node.
        for (String member : new ArrayList<>(lex.nodes.keySet()).subList(0, 5_000)) {
            lex.delete(member);
        }
        lex.check();
        lex.checkRanks(random);
    }

    @Test
    void randomOperationsAgainstModel() {
        for (long seed = 10; seed < 14; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Fixture f = new Fixture();
            int scoreSpace = seed % 2 == 0 ? 1_000 : 1_000_000; // many ties, or few
            for (int step = 0; step < 60_000; step++) {
                String member = "m" + random.nextInt(15_000);
                boolean present = f.nodes.containsKey(member);
                int op = random.nextInt(10);
                double score = random.nextInt(scoreSpace) - scoreSpace / 2;
                if (!present) {
                    f.insert(score, member);
                } else if (op < 4) {
                    f.delete(member);
                } else if (op < 8) {
                    f.update(member, score);
                } else {
                    // A small change, which often stays in place.
                    f.update(member, f.nodes.get(member).score + (random.nextBoolean() ? 0.5 : -0.5));
                }
                if (step % 5_000 == 0) {
                    f.check();
                    f.checkRanks(random);
                }
            }
            f.check();
            f.checkRanks(random);
            // Empty it again, in random order: merges down to a single leaf.
            List<String> members = new ArrayList<>(f.nodes.keySet());
            java.util.Collections.shuffle(members, new java.util.Random(seed));
            for (String m : members) {
                f.delete(m);
            }
            f.check();
            assertNull(f.tree.firstNode());
            assertFalse(f.tree.first().valid());
        }
    }

    @Test
    void scoreRangesMatchModel() {
        SplittableRandom random = new SplittableRandom(20);
        Fixture f = new Fixture();
        for (int i = 0; i < 10_000; i++) {
            f.insert(random.nextInt(5_000), "m" + i);
        }
        for (int k = 0; k < 300; k++) {
            double a = random.nextInt(5_200) - 100;
            double c = a + random.nextInt(400) - 50;
            ScoreRange range = new ScoreRange(a, random.nextBoolean(), c, random.nextBoolean());
            List<Key> expected = f.model.keySet().stream()
                    .filter(key -> range.aboveMin(key.score) && range.belowMax(key.score)).toList();
            ScoreTree.Cursor first = f.tree.firstInRange(range);
            ScoreTree.Cursor last = f.tree.lastInRange(range);
            if (expected.isEmpty()) {
                assertFalse(first.valid());
                assertFalse(last.valid());
                continue;
            }
            assertEquals(expected.get(0).member, s(first.node().member));
            assertEquals(expected.get(expected.size() - 1).member, s(last.node().member));
        }
        // Range deletion, by score then by rank.
        ScoreRange middle = new ScoreRange(1_000, false, 3_000, true);
        List<String> removed = new ArrayList<>();
        long n = f.tree.deleteRange(middle, x -> removed.add(s(x.member)));
        for (String m : removed) {
            Key key = new Key(f.nodes.remove(m).score, m);
            assertTrue(middle.aboveMin(key.score) && middle.belowMax(key.score));
            f.model.remove(key);
        }
        assertEquals(n, removed.size());
        assertFalse(f.tree.firstInRange(middle).valid());
        f.check();
        List<Key> keys = f.keys();
        removed.clear();
        assertEquals(2_001, f.tree.deleteRangeByRank(100, 2_100, x -> removed.add(s(x.member))));
        List<String> expectedRemoved = keys.subList(99, 2_100).stream().map(Key::member).toList();
        assertEquals(expectedRemoved, removed);
        for (String m : removed) {
            f.model.remove(new Key(f.nodes.remove(m).score, m));
        }
        f.check();
        f.checkRanks(random);
    }

    /**
     * Removing runs of thousands of neighbours empties whole leaves and inner pages at once, so
     * inner pages take children from both their left and right siblings and merge.
     */
    @Test
    void chunkRemovalsRebalanceInnerPages() {
        SplittableRandom random = new SplittableRandom(30);
        Fixture f = new Fixture();
        for (int i = 0; i < 150_000; i++) {
            f.insert(random.nextInt(1_000_000_000), "m" + i);
        }
        f.check();
        while (f.tree.length() > 1_000) {
            int length = f.tree.length();
            long start = 1 + random.nextInt(length);
            long end = Math.min(length, start + random.nextInt(Math.max(1, length / 20)));
            List<String> removed = new ArrayList<>();
            f.tree.deleteRangeByRank(start, end, x -> removed.add(s(x.member)));
            for (String m : removed) {
                f.model.remove(new Key(f.nodes.remove(m).score, m));
            }
            // Refill a little elsewhere, so that siblings differ in size.
            for (int k = 0; k < removed.size() / 3; k++) {
                f.insert(random.nextInt(1_000_000_000), "r" + random.nextInt() + ":" + k);
            }
            f.check();
        }
        f.checkRanks(random);
    }

    @Test
    void cursorSkipsAcrossLeaves() {
        Fixture f = new Fixture();
        for (int i = 0; i < 1_000; i++) {
            f.insert(i, "m" + i);
        }
        ScoreTree.Cursor c = f.tree.byRank(10);
        c.skip(500, false);
        assertEquals(509.0, c.node().score);
        c.skip(300, true);
        assertEquals(209.0, c.node().score);
        c.skip(5_000, false);
        assertFalse(c.valid());
    }
}
