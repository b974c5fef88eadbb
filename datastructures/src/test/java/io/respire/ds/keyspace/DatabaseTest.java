package io.respire.ds.keyspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DatabaseTest {
    /** Stored values must be value types the keyspace knows: each test value stands for one byte[]. */
    private final java.util.Map<Object, byte[]> values = new java.util.HashMap<>();

    private byte[] v(Object value) {
        return values.computeIfAbsent(value, o -> String.valueOf(o).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Short strings are copied as they are stored (Dict.set): the stored value is equal, not the same array. */
    private static void assertValue(byte[] expected, Object actual, String... message) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, (byte[]) actual, String.join(" ", message));
    }

    static byte[] key(int i) {
        return DictTest.key(i);
    }

    static ByteBuffer wrap(byte[] b) {
        return ByteBuffer.wrap(b);
    }

    /** Records every expiry notification. */
    static final class Recorder implements Database.KeyListener {
        final List<ByteBuffer> keys = new ArrayList<>();
        final List<Database> dbs = new ArrayList<>();

        @Override
        public void key(Database db, byte[] key) {
            assertNull(db.peek(key), "listener is called after the key is gone");
            keys.add(wrap(key.clone()));
            dbs.add(db);
        }
    }

    @Test
    void additionListenerHearsOfAddedKeysOnlyNotOverwrites() {
        Database db = new Database(0, 42);
        List<String> added = new ArrayList<>();
        db.additionListener((d, k) -> added.add(new String(k)));
        db.put(key(1), v("a"));
        db.put(key(1), v("b")); // overwritten: no addition
        db.replace(key(1), v("c"));
        db.replace(key(2), v("d")); // absent: added
        db.remove(key(1));
        db.put(key(1), v("e"));
        assertEquals(List.of(new String(key(1)), new String(key(2)), new String(key(1))), added);
    }

    @Test
    void putGetRemoveBinaryKeys() {
        Database db = new Database(0, 1);
        List<byte[]> keys = DictTest.binaryKeys();
        for (int i = 0; i < keys.size(); i++) {
            db.put(keys.get(i), v(i));
        }
        assertEquals(keys.size(), db.size());
        for (int i = 0; i < keys.size(); i++) {
            assertValue(v(i), db.lookup(keys.get(i).clone(), 0));
            assertValue(v(i), db.peek(keys.get(i).clone()));
        }
        db.put(new byte[0], v("empty"));
        db.put(new byte[] {0}, v("zero"));
        assertValue(v("empty"), db.lookup(new byte[0], 0));
        assertValue(v("zero"), db.lookup(new byte[] {0}, 0));
        assertEquals(keys.size(), db.size());
        assertTrue(db.remove(new byte[0]));
        assertFalse(db.remove(new byte[0]));
        assertNull(db.lookup(new byte[0], 0));
        assertValue(v("zero"), db.lookup(new byte[] {0}, 0));
        assertEquals(keys.size() - 1, db.size());
    }

    @Test
    void overwriteKeepsOneKey() {
        Database db = new Database(0, 2);
        db.put(key(1), v("a"));
        db.put(key(1), v("b"));
        assertEquals(1, db.size());
        assertValue(v("b"), db.lookup(key(1), 0));
        db.replace(key(1), v("c"));
        assertEquals(1, db.size());
        assertValue(v("c"), db.peek(key(1)));
    }

    @Test
    void lookupOfExpiredKeyRemovesItAndNotifiesOnce() {
        Database db = new Database(3, 3);
        Recorder rec = new Recorder();
        db.expiryListener(rec);
        db.put(key(1), v("v"));
        db.put(key(2), v("w"));
        db.setExpireAt(key(1), 1000);
        assertEquals(1000, db.expireAt(key(1)));
        assertEquals(1, db.expiresSize());
        assertValue(v("v"), db.lookup(key(1), 999));
        assertEquals(2, db.size());
        assertTrue(rec.keys.isEmpty());
        assertValue(v("v"), db.peek(key(1)), "peek ignores expiry");

        assertNull(db.lookup(key(1), 1000), "expired at exactly its expiry time");
        assertEquals(List.of(wrap(key(1))), rec.keys);
        assertSame(db, rec.dbs.get(0));
        assertEquals(1, db.size());
        assertEquals(0, db.expiresSize());
        assertNull(db.lookup(key(1), 1000));
        assertNull(db.lookupEntry(key(1), 5000));
        assertEquals(1, rec.keys.size(), "notified exactly once");
        assertEquals(-1, db.expireAt(key(1)));
        assertValue(v("w"), db.lookup(key(2), Long.MAX_VALUE), "keys without TTL never expire");
    }

    @Test
    void peekHasNoSideEffects() {
        Database db = new Database(0, 4);
        Recorder rec = new Recorder();
        db.expiryListener(rec);
        db.put(key(1), v("v"));
        db.setExpireAt(key(1), 10);
        assertValue(v("v"), db.peek(key(1)));
        assertEquals(10, db.peekEntry(key(1)).expireAt());
        assertNull(db.peekEntry(key(2)));
        assertEquals(1, db.size());
        assertTrue(rec.keys.isEmpty());
    }

    @Test
    void activeExpireCycleRemovesOnlyExpiredKeys() {
        Database db = new Database(0, 5);
        Recorder rec = new Recorder();
        db.expiryListener(rec);
        long now = 1_000_000;
        for (int i = 0; i < 3000; i++) {
            db.put(key(i), v(i));
            if (i % 3 == 0) {
                db.setExpireAt(key(i), now - i); // expired
            } else if (i % 3 == 1) {
                db.setExpireAt(key(i), now + 1 + i); // live
            }
        }
        assertEquals(2000, db.expiresSize());
        int removed = 0;
        int calls = 0;
        while (db.expiresSize() > 1000) {
            int r = db.activeExpireCycle(now, 20);
            assertTrue(r >= 0 && r <= 20);
            removed += r;
            assertTrue(++calls < 100_000);
        }
        assertEquals(1000, removed);
        assertEquals(1000, rec.keys.size());
        assertEquals(1000, new HashSet<>(rec.keys).size(), "each key notified once");
        assertEquals(2000, db.size());
        assertEquals(0, db.activeExpireCycle(now, 1000), "nothing more to expire");
        for (int i = 0; i < 3000; i++) {
            if (i % 3 == 0) {
                assertNull(db.peek(key(i)));
                assertTrue(rec.keys.contains(wrap(key(i))));
            } else {
                assertValue(v(i), db.peek(key(i)));
                assertEquals(i % 3 == 1 ? now + 1 + i : -1, db.expireAt(key(i)));
            }
        }
        // Budget 0 and an empty expiry index are fine.
        assertEquals(0, db.activeExpireCycle(Long.MAX_VALUE, 0));
        assertEquals(1000, db.activeExpireCycle(Long.MAX_VALUE, 1_000_000));
        assertEquals(0, db.expiresSize());
        assertEquals(0, db.activeExpireCycle(Long.MAX_VALUE, 10));
        assertEquals(1000, db.size());
        db.dict().checkInvariants();
    }

    @Test
    void setExpireAtPersistAndExpireAt() {
        Database db = new Database(0, 6);
        db.setExpireAt(key(1), 100); // absent: no effect
        assertEquals(0, db.size());
        assertEquals(0, db.expiresSize());
        assertEquals(-1, db.expireAt(key(1)));
        assertFalse(db.persist(key(1)));

        db.put(key(1), v("v"));
        assertEquals(-1, db.expireAt(key(1)));
        assertFalse(db.persist(key(1)));
        db.setExpireAt(key(1), 100);
        assertEquals(100, db.expireAt(key(1)));
        db.setExpireAt(key(1), 200);
        assertEquals(200, db.expireAt(key(1)));
        assertEquals(1, db.expiresSize());
        assertTrue(db.persist(key(1)));
        assertFalse(db.persist(key(1)));
        assertEquals(-1, db.expireAt(key(1)));
        assertEquals(0, db.expiresSize());
        assertValue(v("v"), db.lookup(key(1), Long.MAX_VALUE));

        db.setExpireAt(key(1), 300);
        assertTrue(db.remove(key(1)));
        assertEquals(0, db.expiresSize());
        db.put(key(1), v("again"));
        assertEquals(-1, db.expireAt(key(1)), "a new key does not inherit the old TTL");
    }

    @Test
    void replaceKeepsTtlAndPutClearsIt() {
        Database db = new Database(0, 7);
        db.put(key(1), v("a"));
        db.setExpireAt(key(1), 500);
        Dict.Entry e = db.lookupEntry(key(1), 0);
        e.lru(77);
        db.replace(key(1), v("b"));
        assertValue(v("b"), db.peek(key(1)));
        assertEquals(500, db.expireAt(key(1)));
        assertEquals(1, db.expiresSize());
        db.put(key(1), v("c"));
        assertValue(v("c"), db.peek(key(1)));
        assertEquals(-1, db.expireAt(key(1)));
        assertEquals(0, db.expiresSize());
        assertEquals(77, db.lookupEntry(key(1), 0).lru(), "LRU info survives entry replacement");
        db.replace(key(2), v("new")); // absent: added without TTL
        assertValue(v("new"), db.peek(key(2)));
        assertEquals(-1, db.expireAt(key(2)));
        assertEquals(2, db.size());
    }

    @Test
    void swapWithExchangesContentsInConstantTime() {
        Database a = new Database(0, 8);
        Database b = new Database(1, 9);
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        a.expiryListener(ra);
        b.expiryListener(rb);
        for (int i = 0; i < 100; i++) {
            a.put(key(i), v("a" + i));
        }
        a.setExpireAt(key(0), 10);
        b.put(key(1000), v("b"));
        Dict da = a.dict();
        a.swapWith(b);
        assertSame(da, b.dict(), "references swapped, nothing copied");
        assertEquals(0, a.id());
        assertEquals(1, b.id());
        assertEquals(1, a.size());
        assertEquals(100, b.size());
        assertValue(v("b"), a.peek(key(1000)));
        assertNull(a.peek(key(1)));
        assertValue(v("a1"), b.peek(key(1)));
        assertEquals(10, b.expireAt(key(0)));
        assertEquals(1, b.expiresSize());
        assertEquals(0, a.expiresSize());
        // Each database keeps its own listener.
        assertNull(b.lookup(key(0), 10));
        assertEquals(List.of(wrap(key(0))), rb.keys);
        assertSame(b, rb.dbs.get(0));
        assertTrue(ra.keys.isEmpty());
        a.swapWith(b);
        assertEquals(99, a.size());
        assertEquals(1, b.size());
    }

    @Test
    void clearEmptiesEverything() {
        Database db = new Database(0, 10);
        for (int i = 0; i < 1000; i++) {
            db.put(key(i), v(i));
            db.setExpireAt(key(i), i);
        }
        db.clear();
        assertEquals(0, db.size());
        assertEquals(0, db.expiresSize());
        assertNull(db.randomKey(new SplittableRandom(1)));
        assertEquals(0, db.scan(0, 10, (k, v) -> { throw new AssertionError(); }));
        db.put(key(1), v(1));
        assertValue(v(1), db.lookup(key(1), 0));
    }

    @Test
    void randomKeyIsRoughlyUniform() {
        Database db = new Database(0, 11);
        SplittableRandom r = new SplittableRandom(11);
        assertNull(db.randomKey(r));
        db.put(key(7), v(7));
        assertArrayEquals(key(7), db.randomKey(r));
        int n = 50;
        for (int i = 0; i < n; i++) {
            db.put(key(i), v(i));
        }
        Map<ByteBuffer, Integer> counts = new HashMap<>();
        int samples = 100_000;
        for (int s = 0; s < samples; s++) {
            counts.merge(wrap(db.randomKey(r)), 1, Integer::sum);
        }
        assertEquals(n, counts.size());
        double expected = (double) samples / n;
        for (int c : counts.values()) {
            assertTrue(c > expected * 0.4 && c < expected * 2.5, "drawn " + c);
        }
        assertNotNull(db.randomEntry(r).key());
    }

    @Test
    void randomEntryDrawsOneBucketAsRedisEvictionDoes() {
        // The random eviction policies use dictGetRandomKey: one random bucket, one entry of its
        // chain. A 15-entry fair sample per eviction cost as many cache misses (issue 13's cell).
        Database db = new Database(0, 16);
        for (int i = 0; i < 1000; i++) {
            db.put(key(i), v(i));
        }
        SplittableRandom viaDatabase = new SplittableRandom(16);
        SplittableRandom viaDict = new SplittableRandom(16);
        for (int s = 0; s < 100; s++) {
            assertSame(db.dict().randomEntry(viaDict), db.randomEntry(viaDatabase));
        }
    }

    @Test
    void scanReturnsEveryKeyWithCountHint() {
        Database db = new Database(0, 12);
        for (int i = 0; i < 5000; i++) {
            db.put(key(i), v(i));
        }
        Set<ByteBuffer> seen = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        do {
            int[] got = {0};
            cursor = db.scan(cursor, 10, (k, v) -> {
                assertValue((byte[]) v, db.peek(k));
                seen.add(wrap(k));
                got[0]++;
            });
            calls++;
            if (cursor != 0) {
                assertTrue(got[0] >= 10, "a SCAN call with COUNT 10 returns at least 10 keys");
            }
        } while (cursor != 0);
        assertEquals(5000, seen.size());
        assertTrue(calls < 5000 / 10 + 10, "calls " + calls);
    }

    @Test
    void scanVisitsAtMostCountTimesElevenBucketsPerCall() {
        Database db = new Database(0, 13);
        for (int i = 0; i < 1000; i++) {
            db.put(key(i), v(i));
        }
        for (int i = 110; i < 1000; i++) {
            db.remove(key(i)); // 110 keys in 1024 buckets: sparse, but not sparse enough to shrink
        }
        while (db.dict().rehashStep(1000)) {
            // settle
        }
        assertEquals(1024, db.dict().buckets());
        int calls = 0;
        long cursor = 0;
        Set<ByteBuffer> seen = new HashSet<>();
        do {
            cursor = db.scan(cursor, 1, (k, v) -> seen.add(wrap(k)));
            calls++;
        } while (cursor != 0);
        assertEquals(110, seen.size());
        // Each call walks one bucket plus at most count * 10 more.
        assertTrue(calls >= 1024 / 11, "calls " + calls);
        assertTrue(calls <= 1024 / 2, "calls " + calls);
    }

    @Test
    void scanGuaranteeUnderGrowthAndShrinkThroughDatabase() {
        for (long seed = 1; seed <= 5; seed++) {
            Database db = new Database(0, seed);
            Set<ByteBuffer> stable = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                db.put(key(i), v(i));
                stable.add(wrap(key(i)));
            }
            List<byte[]> extra = new ArrayList<>();
            int next = 1_000_000;
            Set<ByteBuffer> seen = new HashSet<>();
            Set<Integer> sizes = new HashSet<>();
            long cursor = 0;
            int calls = 0;
            do {
                cursor = db.scan(cursor, 5, (k, v) -> seen.add(wrap(k)));
                sizes.add(db.dict().buckets());
                calls++;
                if (calls < 100) {
                    for (int j = 0; j < 200; j++) { // grow
                        byte[] k = key(next++);
                        db.put(k, v(j));
                        extra.add(k);
                    }
                } else {
                    for (int j = 0; j < 400 && !extra.isEmpty(); j++) { // then shrink
                        db.remove(extra.remove(extra.size() - 1));
                    }
                }
                // The visitor may expire keys: the walk is over when it is called.
                db.lookup(key(next - 1), 0);
            } while (cursor != 0);
            assertTrue(seen.containsAll(stable), "seed " + seed);
            assertTrue(sizes.size() >= 4, "sizes " + sizes);
        }
    }

    @Test
    void scanVisitorMayExpireKeys() {
        Database db = new Database(0, 14);
        Recorder rec = new Recorder();
        db.expiryListener(rec);
        for (int i = 0; i < 1000; i++) {
            db.put(key(i), v(i));
            if (i % 2 == 0) {
                db.setExpireAt(key(i), 5);
            }
        }
        Set<ByteBuffer> live = new HashSet<>();
        long cursor = 0;
        do {
            cursor = db.scan(cursor, 20, (k, v) -> {
                if (db.lookup(k, 10) != null) {
                    live.add(wrap(k));
                }
            });
        } while (cursor != 0);
        assertEquals(500, live.size());
        assertEquals(500, rec.keys.size());
        assertEquals(500, db.size());
        db.dict().checkInvariants();
    }

    @Test
    void forEachVisitsAllAndRejectsModification() {
        Database db = new Database(0, 15);
        for (int i = 0; i < 1000; i++) {
            db.put(key(i), v(i));
        }
        Map<ByteBuffer, Object> all = new HashMap<>();
        db.forEach((k, v) -> all.put(wrap(k), v));
        assertEquals(1000, all.size());
        assertValue(v(5), all.get(wrap(key(5))));
        assertThrows(ConcurrentModificationException.class,
                () -> db.forEach((k, v) -> db.put(key(5000), v(0))));
    }

    @Test
    void growAndShrinkLargeDatabase() {
        Database db = new Database(0, 16);
        int n = 200_000;
        boolean sawRehash = false;
        for (int i = 0; i < n; i++) {
            db.put(key(i), v(i));
            if (i % 3 == 0) {
                db.setExpireAt(key(i), 1_000 + i);
            }
            if (db.dict().isRehashing() && i % 997 == 0) {
                sawRehash = true;
                assertValue(v(i / 2), db.lookup(key(i / 2), 0));
                assertEquals((i / 2) % 3 == 0 ? 1_000 + i / 2 : -1, db.expireAt(key(i / 2)));
            }
        }
        assertTrue(sawRehash);
        assertEquals(n, db.size());
        assertEquals((n + 2) / 3, db.expiresSize());
        db.dict().checkInvariants();
        // Expire the first half through active expiry, delete the rest by hand.
        int removed = 0;
        while (db.expiresSize() > 0 && removed < n) {
            removed += db.activeExpireCycle(1_000 + n / 2, 1000);
            if (db.dict().isRehashing()) {
                db.rehashMilliseconds(1);
            }
            if (removed >= (n / 2 + 2) / 3) {
                break;
            }
        }
        assertEquals((n / 2 + 2) / 3, removed);
        for (int i = 0; i < n; i++) {
            db.remove(key(i));
        }
        assertEquals(0, db.size());
        assertEquals(0, db.expiresSize());
        assertFalse(db.resizeIfNeeded());
        assertEquals(Dict.INITIAL_SIZE, db.dict().buckets());
        db.dict().checkInvariants();
    }

    @Test
    void aStagingDatabaseLoadsApartAndIsAdoptedWhole() {
        Database live = new Database(3);
        live.newKeyLru(42);
        List<byte[]> added = new ArrayList<>();
        live.additionListener((db, key) -> added.add(key));
        Database staged = live.staging();
        assertEquals(3, staged.id());
        staged.put("k".getBytes(), "v".getBytes());
        staged.setExpireAt("k".getBytes(), 10_000);
        assertEquals(42, staged.peekEntry("k".getBytes()).lru(), "new keys take the live database's LRU");
        assertEquals(0, live.size());
        live.adopt(staged);
        assertEquals(1, live.size());
        assertEquals(10_000, live.expireAt("k".getBytes()));
        assertTrue(live.memory() > 0);
        assertTrue(added.isEmpty(), "a load adds keys without \"new\" events (Redis's dbAddRDBLoad)");
        live.put("other".getBytes(), "x".getBytes());
        assertEquals(1, added.size(), "the live database keeps its listeners");
        assertThrows(IllegalStateException.class, () -> live.adopt(live.staging()));
    }
}
