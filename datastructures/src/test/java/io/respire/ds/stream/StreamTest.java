package io.respire.ds.stream;

import io.respire.ds.listpack.Listpack;
import io.respire.ds.listpack.ValueSink;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream against a TreeMap model of its live entries under seeded random appends (fields
 * repeated from the master entry or not, integers and strings), deletions, exact and approximate
 * trims and ranges in both directions, with small and default node limits; plus the node layout
 * byte for byte, the counters, consumer groups and the lag arithmetic.
 */
class StreamTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[][] args(String... s) {
        byte[][] a = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            a[i] = b(s[i]);
        }
        return a;
    }

    static Stream.AppendResult add(Stream s, StreamId id, String... fieldsAndValues) {
        return s.append(id, args(fieldsAndValues), 0, fieldsAndValues.length / 2, 4096, 100);
    }

    /** The fields and values of an entry as text: "f=v,g=w". */
    static String text(StreamEntry e) {
        List<String> parts = new ArrayList<>();
        e.forEachFieldAndValue(new ValueSink() {
            @Override
            public void bytes(byte[] array, int offset, int length) {
                parts.add(new String(array, offset, length, StandardCharsets.UTF_8));
            }

            @Override
            public void integer(long value) {
                parts.add(Long.toString(value));
            }
        });
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.size(); i += 2) {
            sb.append(i == 0 ? "" : ",").append(parts.get(i)).append('=').append(parts.get(i + 1));
        }
        return sb.toString();
    }

    static List<String> range(Stream s, StreamId start, StreamId end, boolean reverse) {
        List<String> out = new ArrayList<>();
        StreamCursor cur = s.cursor(start, end, reverse);
        while (cur.next()) {
            out.add(cur.id() + " " + text(cur.entry()));
        }
        return out;
    }

    static List<String> modelRange(NavigableMap<StreamId, String> m, StreamId start, StreamId end, boolean reverse) {
        List<String> out = new ArrayList<>();
        if (start.compareTo(end) > 0) {
            return out;
        }
        NavigableMap<StreamId, String> sub = m.subMap(start, true, end, true);
        for (Map.Entry<StreamId, String> e : (reverse ? sub.descendingMap() : sub).entrySet()) {
            out.add(e.getKey() + " " + e.getValue());
        }
        return out;
    }

    @Test
    void nodeLayoutIsRedisListpackLayout() {
        Stream s = new Stream();
        add(s, new StreamId(1000, 5), "f", "v", "n", "12");
        add(s, new StreamId(1002, 0), "f", "w", "n", "13");
        add(s, new StreamId(1002, 1), "other", "x");
        StreamNode node = s.nodes().iterator().next();
        // master: count 3, deleted 0, 2 fields f n, terminator 0;
        // entry 1: SAMEFIELDS, deltas 0 0, values, lp-count 3+2;
        // entry 2: SAMEFIELDS, deltas 2 -5, values, lp-count 5;
        // entry 3: flags 0, deltas 2 -4, 1 field, other x, lp-count 4+2.
        assertEquals("[3, 0, 2, f, n, 0, 2, 0, 0, v, 12, 5, 2, 2, -5, w, 13, 5, 0, 2, -4, 1, other, x, 6]",
                node.listpack().toString());
        assertTrue(s.delete(new StreamId(1002, 0)));
        assertEquals("[2, 1, 2, f, n, 0, 2, 0, 0, v, 12, 5, 3, 2, -5, w, 13, 5, 0, 2, -4, 1, other, x, 6]",
                node.listpack().toString());
        assertEquals(List.of("1000-5 f=v,n=12", "1002-1 other=x"), range(s, StreamId.MIN, StreamId.MAX, false));
        assertEquals(List.of("1002-1 other=x", "1000-5 f=v,n=12"), range(s, StreamId.MIN, StreamId.MAX, true));
    }

    @Test
    void countersFollowAppendsDeletesAndTrims() {
        Stream s = new Stream();
        assertEquals(Stream.AppendResult.ADDED, add(s, new StreamId(1, 1), "a", "1"));
        assertEquals(Stream.AppendResult.ID_TOO_SMALL, add(s, new StreamId(1, 1), "a", "1"));
        assertEquals(Stream.AppendResult.ID_TOO_SMALL, add(s, new StreamId(0, 5), "a", "1"));
        add(s, new StreamId(2, 0), "a", "2");
        add(s, new StreamId(3, 0), "a", "3");
        assertEquals(3, s.length());
        assertEquals(3, s.entriesAdded());
        assertEquals(new StreamId(1, 1), s.firstId());
        assertEquals(new StreamId(3, 0), s.lastId());
        assertTrue(s.delete(new StreamId(1, 1)));
        assertFalse(s.delete(new StreamId(1, 1)));
        assertEquals(new StreamId(2, 0), s.firstId());
        assertEquals(new StreamId(1, 1), s.maxDeletedId());
        assertTrue(s.delete(new StreamId(3, 0)));
        assertEquals(new StreamId(3, 0), s.maxDeletedId());
        assertEquals(new StreamId(2, 0), s.lastValidId());
        assertEquals(new StreamId(3, 0), s.lastId());
        assertEquals(1, s.trim(Stream.Trim.maxLen(0, false, 0)));
        assertEquals(0, s.length());
        assertEquals(StreamId.MIN, s.firstId());
        assertEquals(new StreamId(3, 0), s.maxDeletedId()); // trimming is not XDEL
        assertNull(s.lastValidId());
        assertEquals(3, s.entriesAdded());
    }

    @Test
    void autoIdsNeverGoBackwards() {
        Stream s = new Stream();
        assertEquals(new StreamId(100, 0), s.nextAutoId(100));
        add(s, new StreamId(100, 0), "a", "1");
        assertEquals(new StreamId(100, 1), s.nextAutoId(100));
        assertEquals(new StreamId(100, 1), s.nextAutoId(50)); // the clock went back
        assertEquals(new StreamId(101, 0), s.nextAutoId(101));
        assertEquals(new StreamId(100, 1), s.nextIdInMs(100));
        assertEquals(new StreamId(7, 0), s.nextIdInMs(7));
        add(s, new StreamId(100, -1L), "a", "1");
        assertNull(s.nextIdInMs(100));
        assertEquals(new StreamId(101, 0), s.nextAutoId(3));
        s.lastId(StreamId.MAX);
        assertNull(s.nextAutoId(3));
    }

    @Test
    void nodesCloseAtTheConfiguredLimits() {
        Stream byEntries = new Stream();
        for (int i = 1; i <= 25; i++) {
            byEntries.append(new StreamId(i, 0), args("f", "v"), 0, 1, 4096, 10);
        }
        assertEquals(3, byEntries.nodeCount());
        // Deleted entries still count towards the entries limit.
        byEntries.delete(new StreamId(21, 0));
        for (int i = 26; i <= 30; i++) {
            byEntries.append(new StreamId(i, 0), args("f", "v"), 0, 1, 4096, 10);
        }
        assertEquals(3, byEntries.nodeCount());
        byEntries.append(new StreamId(31, 0), args("f", "v"), 0, 1, 4096, 10);
        assertEquals(4, byEntries.nodeCount());

        Stream byBytes = new Stream();
        String value = "x".repeat(50);
        for (int i = 1; i <= 10; i++) {
            byBytes.append(new StreamId(i, 0), args("f", value), 0, 1, 200, 0);
        }
        for (StreamNode n : byBytes.nodes()) {
            assertTrue(n.redisBytes() < 200 + 60, "node of " + n.redisBytes() + " bytes");
        }
        assertTrue(byBytes.nodeCount() >= 4);
    }

    @Test
    void randomWorkloadMatchesModel() {
        for (long seed = 1; seed <= 6; seed++) {
            runRandom(seed, seed % 2 == 0 ? 100 : 5, seed % 3 == 0 ? 300 : 4096);
        }
    }

    private void runRandom(long seed, int maxEntries, int maxBytes) {
        Random rnd = new Random(seed);
        Stream s = new Stream();
        TreeMap<StreamId, String> model = new TreeMap<>();
        long ms = rnd.nextInt(1000);
        long seq = 0;
        long added = 0;
        StreamId maxDeleted = StreamId.MIN;
        String[][] fieldSets = {{"f", "g"}, {"f", "g"}, {"f"}, {"a", "b", "c"}, {"10", "g"}};
        for (int step = 0; step < 3000; step++) {
            int op = rnd.nextInt(100);
            String where = "seed " + seed + " step " + step;
            if (op < 55) {
                if (rnd.nextBoolean()) {
                    ms += 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 100_000);
                    seq = 0;
                } else {
                    seq += 1 + rnd.nextInt(3);
                }
                String[] fields = fieldSets[rnd.nextInt(fieldSets.length)];
                String[] fv = new String[fields.length * 2];
                for (int i = 0; i < fields.length; i++) {
                    fv[2 * i] = fields[i];
                    fv[2 * i + 1] = switch (rnd.nextInt(4)) {
                        case 0 -> Integer.toString(rnd.nextInt(100_000) - 50_000);
                        case 1 -> "v" + rnd.nextInt(10);
                        case 2 -> "";
                        default -> "long".repeat(rnd.nextInt(40));
                    };
                }
                StreamId id = new StreamId(ms, seq);
                assertEquals(Stream.AppendResult.ADDED, s.append(id, args(fv), 0, fields.length, maxBytes, maxEntries), where);
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < fv.length; i += 2) {
                    text.append(i == 0 ? "" : ",").append(fv[i]).append('=').append(fv[i + 1]);
                }
                model.put(id, text.toString());
                added++;
            } else if (op < 70) {
                StreamId id = pick(rnd, model, ms);
                boolean existed = model.remove(id) != null;
                assertEquals(existed, s.delete(id), where);
                if (existed && id.compareTo(maxDeleted) > 0) {
                    maxDeleted = id;
                }
            } else if (op < 78) {
                trimStep(rnd, s, model, where);
            } else {
                StreamId a = pick(rnd, model, ms);
                StreamId z = rnd.nextInt(5) == 0 ? StreamId.MAX : pick(rnd, model, ms);
                boolean reverse = rnd.nextBoolean();
                assertEquals(modelRange(model, a, z, reverse), range(s, a, z, reverse), where);
            }
            assertEquals(model.size(), s.length(), where);
            assertEquals(added, s.entriesAdded(), where);
            assertEquals(maxDeleted, s.maxDeletedId(), where);
            assertEquals(model.isEmpty() ? StreamId.MIN : model.firstKey(), s.firstId(), where);
            checkNodes(s, maxEntries, where);
        }
        assertEquals(modelRange(model, StreamId.MIN, StreamId.MAX, false), range(s, StreamId.MIN, StreamId.MAX, false));
        Stream copy = s.copy();
        s.trim(Stream.Trim.maxLen(0, false, 0));
        assertEquals(modelRange(model, StreamId.MIN, StreamId.MAX, true), range(copy, StreamId.MIN, StreamId.MAX, true));
    }

    /** An ID of the model, or one near them, or a bound. */
    private static StreamId pick(Random rnd, TreeMap<StreamId, String> model, long ms) {
        int k = rnd.nextInt(10);
        if (k == 0 || model.isEmpty()) {
            return new StreamId(rnd.nextInt((int) Math.min(ms + 2, Integer.MAX_VALUE)), rnd.nextInt(3));
        }
        if (k == 1) {
            return StreamId.MIN;
        }
        List<StreamId> ids = new ArrayList<>(model.keySet());
        StreamId id = ids.get(rnd.nextInt(ids.size()));
        return k == 2 ? id.next() : k == 3 ? id.previous() : id;
    }

    private static void trimStep(Random rnd, Stream s, TreeMap<StreamId, String> model, String where) {
        boolean approx = rnd.nextInt(3) == 0;
        long limit = approx && rnd.nextBoolean() ? rnd.nextInt(300) : 0;
        List<StreamId> before = new ArrayList<>(model.keySet());
        long removed;
        int keep;
        if (rnd.nextBoolean()) {
            long maxLen = rnd.nextInt(model.size() + 3);
            removed = s.trim(Stream.Trim.maxLen(maxLen, approx, limit));
            keep = model.size() - (int) removed;
            if (!approx) {
                assertEquals(Math.max(0, model.size() - maxLen), removed, where);
            } else {
                assertTrue(keep >= Math.min(maxLen, model.size()), where);
            }
        } else {
            StreamId minId = pick(rnd, model, before.isEmpty() ? 0 : before.get(before.size() - 1).ms());
            removed = s.trim(Stream.Trim.minId(minId, approx, limit));
            keep = model.size() - (int) removed;
            long below = model.headMap(minId, false).size();
            if (!approx) {
                assertEquals(below, removed, where);
            } else {
                assertTrue(removed <= below, where);
            }
        }
        if (limit != 0) {
            assertTrue(removed <= limit, where);
        }
        // Trimming always removes a prefix of the live entries.
        for (int i = 0; i < before.size() - keep; i++) {
            model.remove(before.get(i));
        }
    }

    private static void checkNodes(Stream s, int maxEntries, String where) {
        long live = 0;
        StreamId previous = null;
        for (StreamNode n : s.nodes()) {
            live += n.liveCount();
            int total = 0;
            int deleted = 0;
            for (int p = n.firstEntry(); p != Listpack.NONE; p = n.nextEntry(p)) {
                total++;
                deleted += n.isDeleted(p) ? 1 : 0;
                StreamId id = n.id(p);
                assertTrue(previous == null || id.compareTo(previous) > 0, where);
                previous = id;
            }
            assertEquals(n.deletedCount(), deleted, where);
            assertEquals(n.liveCount() + n.deletedCount(), total, where);
            assertTrue(total <= maxEntries, where);
        }
        assertEquals(s.length(), live, where);
    }

    @Test
    void radixTreeNodesAsRedisCounts() {
        Stream s = new Stream();
        assertEquals(1, s.radixTreeNodes());
        s.append(new StreamId(1, 0), args("f", "v"), 0, 1, 4096, 1);
        assertEquals(2, s.radixTreeNodes());
        s.append(new StreamId(2, 0), args("f", "v"), 0, 1, 4096, 1);
        // Figures read from redis-server's XINFO STREAM with stream-node-max-entries 1.
        assertEquals(6, s.radixTreeNodes());
        s.append(new StreamId(1L << 40, 0), args("f", "v"), 0, 1, 4096, 1);
        assertEquals(10, s.radixTreeNodes());
    }

    @Test
    void consumerGroupsKeepBothPendingLists() {
        Stream s = new Stream();
        for (int i = 1; i <= 5; i++) {
            add(s, new StreamId(i, 0), "f", "v");
        }
        ConsumerGroup g = s.createGroup(b("g"), StreamId.MIN, 0);
        assertNull(s.createGroup(b("g"), StreamId.MIN, 0));
        s.createGroup(b("a"), StreamId.MIN, 0);
        s.createGroup(b("g2"), StreamId.MIN, 0);
        s.createGroup(b("\u00e9"), StreamId.MIN, 0);
        List<String> names = new ArrayList<>();
        s.groups().keySet().forEach(n -> names.add(new String(n, StandardCharsets.UTF_8)));
        assertEquals(List.of("a", "g", "g2", "\u00e9"), names);

        Consumer alice = g.createConsumer(b("alice"), 10);
        Consumer bob = g.createConsumer(b("bob"), 11);
        assertNull(g.createConsumer(b("bob"), 12));
        for (int i = 1; i <= 3; i++) {
            StreamId id = new StreamId(i, 0);
            s.markDelivered(g, id);
            g.deliver(id, alice, 100);
        }
        assertEquals(new StreamId(3, 0), g.lastId());
        assertEquals(3, g.entriesRead());
        assertEquals(3, alice.pendingCount());
        // Delivering again (after SETID) moves the entry and restarts its count.
        g.pendingEntry(new StreamId(2, 0)).deliveryCount(7);
        g.deliver(new StreamId(2, 0), bob, 200);
        assertEquals(2, alice.pendingCount());
        assertEquals(1, bob.pendingCount());
        assertEquals(1, g.pendingEntry(new StreamId(2, 0)).deliveryCount());
        assertTrue(g.acknowledge(new StreamId(1, 0)));
        assertFalse(g.acknowledge(new StreamId(1, 0)));
        assertEquals(2, g.pendingCount());
        PendingEntry forced = g.createUnowned(new StreamId(5, 0), 300);
        g.transfer(new StreamId(5, 0), forced, bob);
        assertEquals(2, bob.pendingCount());
        g.transfer(new StreamId(3, 0), g.pendingEntry(new StreamId(3, 0)), bob);
        assertEquals(0, alice.pendingCount());
        assertEquals(3, bob.pendingCount());
        Stream copy = s.copy();
        g.deleteConsumer(bob);
        assertEquals(0, g.pendingCount());
        assertNull(g.consumer(b("bob")));
        ConsumerGroup copied = copy.group(b("g"));
        assertEquals(3, copied.pendingCount());
        assertEquals(3, copied.consumer(b("bob")).pendingCount());
        assertEquals(b("bob")[0], copied.pendingEntry(new StreamId(5, 0)).consumer().name()[0]);
        assertTrue(s.destroyGroup(b("g")));
        assertFalse(s.destroyGroup(b("g")));
        assertEquals(3, s.groupCount());
    }

    /** The cases of Redis's "Consumer group lag with XDELs" and "read counter" tests. */
    @Test
    void lagAndEntriesRead() {
        Stream s = new Stream();
        ConsumerGroup empty = s.createGroup(b("e"), StreamId.MIN, ConsumerGroup.INVALID_ENTRIES_READ);
        assertEquals(0L, s.lag(empty));
        for (int i = 1; i <= 5; i++) {
            add(s, new StreamId(i, 0), "f", "v");
        }
        ConsumerGroup g = s.createGroup(b("g"), StreamId.MIN, ConsumerGroup.INVALID_ENTRIES_READ);
        assertEquals(5L, s.lag(g)); // 0-0 is before the first entry, nothing deleted
        ConsumerGroup clean = s.createGroup(b("c"), StreamId.MIN, ConsumerGroup.INVALID_ENTRIES_READ);
        s.markDelivered(clean, new StreamId(1, 0));
        assertEquals(1, clean.entriesRead()); // estimated exactly: the first entry, nothing deleted
        s.markDelivered(clean, new StreamId(2, 0));
        assertEquals(2, clean.entriesRead()); // counted on
        s.markDelivered(clean, new StreamId(2, 0));
        assertEquals(2, clean.entriesRead()); // not past the last delivered ID: no change
        s.delete(new StreamId(3, 0));
        assertNull(s.lag(g)); // a deletion ahead of the group
        s.markDelivered(g, new StreamId(1, 0));
        // A deletion after the first entry: not even the first entry's counter is knowable.
        assertEquals(ConsumerGroup.INVALID_ENTRIES_READ, g.entriesRead());
        s.markDelivered(g, new StreamId(2, 0));
        assertEquals(ConsumerGroup.INVALID_ENTRIES_READ, g.entriesRead()); // tombstone ahead: not knowable
        s.markDelivered(g, new StreamId(4, 0));
        s.markDelivered(g, new StreamId(5, 0));
        assertEquals(5, g.entriesRead()); // the last ID: exactly entries-added
        assertEquals(0L, s.lag(g));
        add(s, new StreamId(6, 0), "f", "v");
        assertEquals(1L, s.lag(g));
        assertEquals(ConsumerGroup.INVALID_ENTRIES_READ, s.estimateDistanceFromFirstEverEntry(new StreamId(5, 0)));
        assertEquals(ConsumerGroup.INVALID_ENTRIES_READ, s.estimateDistanceFromFirstEverEntry(new StreamId(7, 0)));
        assertEquals(6, s.estimateDistanceFromFirstEverEntry(new StreamId(6, 0)));
        assertTrue(s.rangeHasTombstones(StreamId.MIN, null));
        assertFalse(s.rangeHasTombstones(new StreamId(4, 0), null));
    }

    /** The memory as a walk over every node finds it: what the cached sum of closed nodes must equal. */
    private static long walkedMemory(Stream s) {
        long bytes = 120;
        for (StreamNode n : s.nodes()) {
            bytes += ConsumerGroup.TREE_ENTRY + ConsumerGroup.ID + 24 + n.lp.memoryUsage();
        }
        return bytes;
    }

    @Test
    void memoryUsageFollowsAppendsDeletesAndTrimsWithoutWalkingEveryNode() {
        Stream s = new Stream();
        assertEquals(walkedMemory(s), s.memoryUsage());
        for (int i = 1; i <= 1000; i++) { // 100 entries a node: ten nodes, nine closed
            add(s, new StreamId(i, 0), "field", "value" + i);
            if (i % 97 == 0) {
                assertEquals(walkedMemory(s), s.memoryUsage(), "after " + i + " appends");
            }
        }
        assertEquals(walkedMemory(s), s.memoryUsage());
        assertTrue(s.delete(new StreamId(150, 0)));
        assertEquals(walkedMemory(s), s.memoryUsage(), "after a delete");
        s.trim(Stream.Trim.maxLen(750, true, 0));
        assertEquals(walkedMemory(s), s.memoryUsage(), "after an approximate trim");
        s.trim(Stream.Trim.maxLen(640, false, 0));
        assertEquals(walkedMemory(s), s.memoryUsage(), "after an exact trim");
        add(s, new StreamId(2000, 0), "field", "value");
        assertEquals(walkedMemory(s), s.memoryUsage(), "after an append once recomputed");
    }
}
