package io.respire.ds.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.respire.ds.util.BucketTables;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DictTest {
    /** "key:" followed by the decimal digits of {@code i >= 0}. */
    static byte[] key(int i) {
        int digits = i < 10 ? 1 : (int) Math.log10(i) + 1;
        byte[] k = new byte[4 + digits];
        k[0] = 'k';
        k[1] = 'e';
        k[2] = 'y';
        k[3] = ':';
        for (int p = k.length - 1; p >= 4; p--, i /= 10) {
            k[p] = (byte) ('0' + i % 10);
        }
        return k;
    }

    static ByteBuffer wrap(byte[] b) {
        return ByteBuffer.wrap(b);
    }

    /** Binary-safe keys: empty, all-zero keys of every length, 0xFF bytes, shared prefixes. */
    static List<byte[]> binaryKeys() {
        List<byte[]> keys = new ArrayList<>();
        for (int n = 0; n <= 40; n++) {
            keys.add(new byte[n]);
        }
        for (int n = 1; n <= 40; n++) {
            byte[] k = new byte[n];
            java.util.Arrays.fill(k, (byte) 0xFF);
            keys.add(k);
            byte[] z = new byte[n];
            z[n - 1] = 1;
            keys.add(z);
            byte[] f = new byte[n];
            f[0] = 1;
            keys.add(f);
        }
        keys.add(new byte[] {'a', 0, 'b'});
        keys.add(new byte[] {'a', 0, 'b', 0});
        keys.add(new byte[1000]);
        byte[] big = new byte[1000];
        big[999] = 7;
        keys.add(big);
        // Duplicates by content must not occur in this list.
        Set<ByteBuffer> seen = new HashSet<>();
        keys.removeIf(k -> !seen.add(wrap(k)));
        return keys;
    }

    @Test
    void putGetRemoveBinaryKeys() {
        Dict d = new Dict(1);
        List<byte[]> keys = binaryKeys();
        for (int i = 0; i < keys.size(); i++) {
            assertNull(d.put(keys.get(i), i));
        }
        assertEquals(keys.size(), d.size());
        for (int i = 0; i < keys.size(); i++) {
            byte[] copy = keys.get(i).clone();
            assertEquals(i, d.get(copy), "key " + i);
            assertTrue(d.containsKey(copy));
        }
        assertNull(d.get(new byte[41]));
        assertNull(d.get(new byte[] {'a', 0}));
        // overwrite
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(i, d.put(keys.get(i).clone(), "v" + i));
        }
        assertEquals(keys.size(), d.size());
        assertEquals("v0", d.get(new byte[0]));
        // the first key array is kept on overwrite
        assertSame(keys.get(3), d.find(keys.get(3).clone()).key());
        d.checkInvariants();
        // remove every other key
        for (int i = 0; i < keys.size(); i += 2) {
            Dict.Entry e = d.remove(keys.get(i).clone());
            assertNotNull(e);
            assertEquals("v" + i, e.value());
            assertNull(d.remove(keys.get(i)));
        }
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(i % 2 == 0 ? null : "v" + i, d.get(keys.get(i)));
        }
        assertEquals(keys.size() / 2, d.size());
        d.checkInvariants();
    }

    @Test
    void keyHelperFormatsDecimal() {
        for (int i : new int[] {0, 9, 10, 99, 100, 999, 1000, 123456, 999_999, 1_000_000}) {
            assertEquals("key:" + i, new String(key(i), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void addOnlyWhenAbsentAndNullValuesRejected() {
        Dict d = new Dict(2);
        assertTrue(d.add(key(1), "a"));
        assertFalse(d.add(key(1), "b"));
        assertEquals("a", d.get(key(1)));
        assertThrows(NullPointerException.class, () -> d.put(key(2), null));
        assertEquals(1, d.size());
    }

    @Test
    void emptyDictOperations() {
        Dict d = new Dict(3);
        assertNull(d.get(key(1)));
        assertNull(d.peek(key(1)));
        assertNull(d.remove(key(1)));
        assertFalse(d.setExpireAt(key(1), 5));
        assertFalse(d.persist(key(1)));
        assertEquals(-1, d.expireAt(key(1)));
        assertNull(d.randomEntry(new SplittableRandom(1)));
        assertNull(d.fairRandomEntry(new SplittableRandom(1)));
        assertNull(d.randomExpiring(new SplittableRandom(1)));
        assertEquals(0, d.scan(0, e -> { throw new AssertionError(); }));
        d.forEach(e -> { throw new AssertionError(); });
        assertEquals(0, d.buckets());
    }

    @Test
    void hashIsSeededAndDistinguishesLengths() {
        Dict a = new Dict(42);
        Dict b = new Dict(42);
        Dict c = new Dict(43);
        byte[] k = key(12345);
        assertEquals(a.hash(k), b.hash(k));
        assertNotEquals(a.hash(k), c.hash(k));
        Set<Long> hashes = new HashSet<>();
        for (int n = 0; n <= 64; n++) {
            assertTrue(hashes.add(a.hash(new byte[n])), "zero key of length " + n);
        }
        // Two default-constructed dicts get different secrets.
        assertNotEquals(new Dict().hash(k), new Dict().hash(k));
    }

    @Test
    void hashSpreadsCommonKeyShapes() {
        int n = 100_000;
        Dict text = new Dict(5);
        Dict binary = new Dict(5);
        Dict longKeys = new Dict(5);
        for (int i = 0; i < n; i++) {
            text.put(key(i), i);
            binary.put(ByteBuffer.allocate(4).putInt(0, i).array(), i);
            byte[] lk = new byte[100];
            ByteBuffer.wrap(lk).putInt(50, i);
            longKeys.put(lk, i);
        }
        for (Dict d : List.of(text, binary, longKeys)) {
            assertEquals(n, d.size());
            // With a good hash and load factor <= 1 the longest chain is about 8-9.
            assertTrue(d.longestChain() <= 14, "longest chain " + d.longestChain());
        }
        // Low bits well mixed: buckets of 2^10 for 2^16 sequential keys are close to uniform.
        int[] counts = new int[1024];
        for (int i = 0; i < 1 << 16; i++) {
            counts[(int) text.hash(key(i)) & 1023]++;
        }
        for (int count : counts) {
            assertTrue(count > 20 && count < 110, "bucket count " + count);
        }
    }

    /** Asserts that an operation moved at most 1 non-empty + 10 empty buckets. */
    private static void checkBoundedStep(Dict d, int idxBefore, int targetBefore) {
        if (idxBefore != -1 && d.isRehashing() && d.rehashTargetBuckets() == targetBefore) {
            int advance = d.rehashIndex() - idxBefore;
            assertTrue(advance >= 0 && advance <= 11, "rehash advanced " + advance);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aShortStringIsCopiedAndALaterOneOfTheSameLengthWrittenIntoTheCopy() {
        Dict d = new Dict(5);
        byte[] given = ascii("abc");
        assertNull(d.set(key(1), given, false));
        byte[] stored = (byte[]) d.get(key(1));
        assertNotSame(given, stored, "the caller's array stays the caller's");
        given[0] = 'z';
        org.junit.jupiter.api.Assertions.assertArrayEquals(ascii("abc"), stored);

        assertSame(stored, d.set(key(1), ascii("xyz"), false));
        assertSame(stored, d.get(key(1)), "same length: the bytes go into the stored array");
        org.junit.jupiter.api.Assertions.assertArrayEquals(ascii("xyz"), stored);

        d.set(key(1), ascii("wxyz"), false);
        assertNotSame(stored, d.get(key(1)), "another length: a new copy");
        org.junit.jupiter.api.Assertions.assertArrayEquals(ascii("wxyz"), (byte[]) d.get(key(1)));
        org.junit.jupiter.api.Assertions.assertArrayEquals(ascii("xyz"), stored, "the old array is left alone");
    }

    @Test
    void aStringOverTheLimitIsKeptAsGivenAndNeverWrittenInto() {
        Dict d = new Dict(6);
        byte[] big = new byte[Dict.OWNED_STRING_LIMIT + 1];
        d.set(key(1), big, false);
        assertSame(big, d.get(key(1)));
        byte[] other = new byte[big.length];
        other[0] = 1;
        d.set(key(1), other, false);
        assertSame(other, d.get(key(1)));
        assertEquals(0, big[0]);
    }

    @Test
    void aStringWrittenInPlaceKeepsOrLosesTheExpiryAsASetDoes() {
        Dict d = new Dict(7);
        d.set(key(1), ascii("abc"), false);
        d.setExpireAt(key(1), 5000);
        byte[] stored = (byte[]) d.get(key(1));
        d.set(key(1), ascii("def"), true);
        assertSame(stored, d.get(key(1)));
        assertEquals(5000, d.expireAt(key(1)));
        d.set(key(1), ascii("ghi"), false); // the entry is replaced by one without expiry, with a copy
        assertEquals(-1, d.expireAt(key(1)));
        org.junit.jupiter.api.Assertions.assertArrayEquals(ascii("ghi"), (byte[]) d.get(key(1)));
        org.junit.jupiter.api.Assertions.assertArrayEquals(ascii("def"), stored);
    }

    @Test
    void anotherKindOfValueIsNeverWrittenInto() {
        Dict d = new Dict(8);
        d.set(key(1), ascii("abc"), false);
        byte[] stored = (byte[]) d.get(key(1));
        d.set(key(1), "not a string", false);
        d.set(key(1), ascii("def"), false);
        org.junit.jupiter.api.Assertions.assertArrayEquals(ascii("abc"), stored);
        org.junit.jupiter.api.Assertions.assertArrayEquals(ascii("def"), (byte[]) d.get(key(1)));
    }

    @Test
    void growToMillionAndShrinkBackWithIncrementalRehash() {
        final int n = 1_000_000;
        Dict d = new Dict(7);
        byte[][] keys = new byte[n][];
        int episodes = 0;
        int checkedEpisodes = 0;
        int lastTarget = 0;
        boolean checkedThisEpisode = false;
        int rehashingOps = 0;
        for (int i = 0; i < n; i++) {
            keys[i] = key(i);
            int idx = d.rehashIndex();
            int target = d.rehashTargetBuckets();
            assertNull(d.put(keys[i], keys[i]));
            checkBoundedStep(d, idx, target);
            if (d.isRehashing()) {
                rehashingOps++;
                if (d.rehashTargetBuckets() != lastTarget) {
                    episodes++;
                    lastTarget = d.rehashTargetBuckets();
                    checkedThisEpisode = false;
                    assertEquals(2 * d.buckets(), d.rehashTargetBuckets(), "grows by doubling");
                }
                if (!checkedThisEpisode && d.rehashIndex() > d.buckets() / 2) {
                    // Mid-rehash: keys are spread over both tables, all must still be found
                    // (a sample of them for the larger tables, to keep the test quick).
                    checkedThisEpisode = true;
                    checkedEpisodes++;
                    int stride = i < 100_000 ? 1 : 7;
                    for (int j = 0; j <= i; j += stride) {
                        Dict.Entry e = d.peek(keys[j]);
                        if (e == null || !java.util.Arrays.equals((byte[]) e.value(), keys[j])) {
                            fail("key " + j + " not found during rehash");
                        }
                    }
                    assertTrue(d.isRehashing());
                    org.junit.jupiter.api.Assertions.assertArrayEquals(keys[i / 2], (byte[]) d.get(key(i / 2)));
                }
            }
        }
        assertEquals(n, d.size());
        assertTrue(episodes >= 17, "episodes " + episodes); // 4 -> 2^20 buckets
        assertTrue(checkedEpisodes >= 10, "checked " + checkedEpisodes);
        // The last growth (2^19 -> 2^20 buckets) was spread over many operations.
        assertTrue(rehashingOps > 100_000, "ops while rehashing " + rehashingOps);
        while (d.rehashStep(100)) {
            // finish
        }
        assertEquals(1 << 20, d.buckets());
        d.checkInvariants();

        int shrinkEpisodes = 0;
        lastTarget = 0;
        for (int i = 0; i < n; i++) {
            int idx = d.rehashIndex();
            int target = d.rehashTargetBuckets();
            assertNotNull(d.remove(keys[i]));
            checkBoundedStep(d, idx, target);
            if (d.isRehashing() && d.rehashTargetBuckets() != lastTarget) {
                shrinkEpisodes++;
                lastTarget = d.rehashTargetBuckets();
                assertTrue(d.rehashTargetBuckets() < d.buckets(), "shrinks");
                int remaining = n - i - 1;
                assertTrue((long) remaining * 10 < d.buckets(), "under 10% full");
                if (remaining > 1000 && remaining < 200_000) {
                    // Spot check remaining keys while the shrink is in progress.
                    for (int j = i + 1; j < n; j += 3) {
                        Dict.Entry e = d.peek(keys[j]);
                        if (e == null || !java.util.Arrays.equals((byte[]) e.value(), keys[j])) {
                            fail("key " + j + " not found during shrink");
                        }
                    }
                    assertTrue(d.isRehashing());
                }
            }
        }
        assertEquals(0, d.size());
        // 2^20 -> 2^17 -> 2^13, then the last keys go before that rehash ends, which ends it at
        // once with a 4-bucket table (deletions go on while a shrink proceeds, so each one
        // finishes with the table already far under 10% full).
        assertTrue(shrinkEpisodes >= 2, "shrink episodes " + shrinkEpisodes);
        assertEquals(Dict.INITIAL_SIZE, d.buckets());
        d.checkInvariants();
    }

    @Test
    void aResizePolicyRefusingHoldsTheTableUntilFiveKeysPerBucket() {
        Dict d = new Dict(7);
        boolean[] allowed = {true};
        BucketTables.resizePolicy(() -> allowed[0]);
        try {
            for (int i = 0; i < 16; i++) {
                d.put(key(i), i);
            }
            d.rehashStep(1000);
            assertEquals(16, d.buckets());
            allowed[0] = false; // as Redis's dict_can_resize while a fork child runs
            for (int i = 16; i < 6 * 16; i++) {
                d.put(key(i), i);
            }
            assertEquals(16, d.buckets(), "no growth up to 5 keys per bucket");
            assertFalse(d.isRehashing());
            d.put(key(1000), 1000); // 96 keys: more than 5 per bucket, grows anyway
            assertTrue(d.isRehashing());
            d.rehashStep(1000);
            assertEquals(128, d.buckets());
            for (int i = 0; i < 6 * 16; i++) {
                d.remove(key(i));
            }
            assertFalse(d.shrinkIfNeeded(), "no shrink either");
            allowed[0] = true;
            assertTrue(d.shrinkIfNeeded());
        } finally {
            BucketTables.resizePolicy(() -> true);
        }
    }

    @Test
    void aResizePolicyRefusingHoldsARehashOfLessThanFiveTimesTheSize() {
        Dict d = new Dict(7);
        boolean[] allowed = {true};
        BucketTables.resizePolicy(() -> allowed[0]);
        try {
            for (int i = 0; i <= 16; i++) {
                d.put(key(i), i); // the 17th starts growing 16 -> 32
            }
            assertTrue(d.isRehashing());
            allowed[0] = false; // Redis's DICT_RESIZE_AVOID: a 2x rehash waits
            assertFalse(d.rehashStep(1000));
            assertTrue(d.isRehashing());
            assertEquals(17, d.size());
            for (int i = 0; i <= 16; i++) {
                assertEquals(i, d.get(key(i)));
            }
            allowed[0] = true;
            d.rehashStep(1000);
            assertFalse(d.isRehashing());
            assertEquals(32, d.buckets());
            d.checkInvariants();
        } finally {
            BucketTables.resizePolicy(() -> true);
        }
    }

    @Test
    void statsCountChainsAsRedisWordsThem() {
        Dict d = new Dict(7);
        assertEquals("Hash table 0 stats (main hash table):\nNo stats available for empty dictionaries\n", d.stats());
        for (int i = 0; i < 4; i++) {
            d.put(key(i), i);
        }
        String stats = d.stats();
        assertTrue(stats.startsWith("Hash table 0 stats (main hash table):\n table size: 4\n number of elements: 4\n"),
                stats);
        long slots = Long.parseLong(stats.replaceAll("(?s).*different slots: (\\d+).*", "$1"));
        long chains = stats.lines().filter(l -> l.matches("   [1-9]\\d*: .*")).mapToLong(
                l -> Long.parseLong(l.trim().split(" ")[1])).sum();
        assertEquals(slots, chains, stats); // the distribution's non-empty buckets are the slots
        d.put(key(4), 4); // grows: both tables are described while the rehash runs
        assertTrue(d.isRehashing());
        assertTrue(d.stats().contains("Hash table 1 stats (rehashing target):\n table size: 8\n"), d.stats());
    }

    @Test
    void rehashStepAndMillisecondsFinishAResize() {
        Dict d = new Dict(8);
        int i = 0;
        while (!(d.isRehashing() && d.rehashTargetBuckets() == 1 << 16)) {
            d.put(key(i), i);
            i++;
        }
        assertTrue(d.rehashStep(1));
        int steps = 1;
        while (d.rehashStep(1)) {
            steps++;
        }
        assertTrue(steps > 1000, "steps " + steps);
        assertFalse(d.isRehashing());
        assertEquals(1 << 16, d.buckets());
        for (int j = 0; j < i; j++) {
            assertEquals(j, d.get(key(j)));
        }
        while (!(d.isRehashing() && d.rehashTargetBuckets() == 1 << 17)) {
            d.put(key(i), i);
            i++;
        }
        assertTrue(d.rehashMilliseconds(10_000) > 0);
        assertFalse(d.isRehashing());
        assertEquals(0, d.rehashMilliseconds(1));
        d.checkInvariants();
    }

    @Test
    void expiryReplacesEntryAndKeepsIndex() {
        Dict d = new Dict(9);
        d.put(key(1), "one");
        d.put(key(2), "two");
        Dict.Entry plain = d.find(key(1));
        plain.lru(1234);
        assertEquals(-1, plain.expireAt());
        assertTrue(d.setExpireAt(key(1), 500));
        Dict.Entry exp = d.find(key(1));
        assertNotSame(plain, exp);
        assertTrue(exp instanceof Dict.ExpiringEntry);
        assertEquals(1234, exp.lru());
        assertEquals(500, exp.expireAt());
        assertEquals(1, d.expiresSize());
        assertTrue(d.setExpireAt(key(1), 600)); // updated in place
        assertSame(exp, d.find(key(1)));
        assertEquals(600, d.expireAt(key(1)));
        assertEquals(1, d.expiresSize());
        assertSame(exp, d.randomExpiring(new SplittableRandom(1)));
        // put keeping expiry vs clearing it
        assertEquals("one", d.set(key(1), "uno", true));
        assertEquals(600, d.expireAt(key(1)));
        assertEquals("uno", d.set(key(1), "eins", false));
        assertEquals(-1, d.expireAt(key(1)));
        assertEquals(0, d.expiresSize());
        assertEquals(1234, d.find(key(1)).lru());
        assertEquals("eins", d.get(key(1)));
        // persist
        assertTrue(d.setExpireAt(key(2), 7));
        assertTrue(d.persist(key(2)));
        assertFalse(d.persist(key(2)));
        assertFalse(d.persist(key(3)));
        assertEquals(-1, d.expireAt(key(2)));
        assertEquals("two", d.get(key(2)));
        // removal of an expiring key leaves the index consistent
        assertTrue(d.setExpireAt(key(2), 8));
        assertTrue(d.setExpireAt(key(1), 9));
        assertEquals(8, d.remove(key(2)).expireAt());
        assertEquals(1, d.expiresSize());
        assertEquals(9, d.randomExpiring(new SplittableRandom(2)).expireAt());
        d.checkInvariants();
    }

    /** Random operations checked against a HashMap model, across many resizes. */
    @Test
    void randomOperationsMatchModel() {
        for (long seed = 1; seed <= 2; seed++) {
            Dict d = new Dict(seed);
            Map<ByteBuffer, Object> values = new HashMap<>();
            Map<ByteBuffer, Long> expires = new HashMap<>();
            SplittableRandom r = new SplittableRandom(seed);
            int range = 1;
            for (int op = 0; op < 100_000; op++) {
                if (op % 10_000 == 0) {
                    range = 1 + r.nextInt(20_000); // vary the key range to grow and shrink
                }
                byte[] k = key(r.nextInt(range));
                ByteBuffer bk = wrap(k);
                switch (r.nextInt(7)) {
                    case 0, 1 -> {
                        boolean keep = r.nextBoolean();
                        assertEquals(values.put(bk, op), d.set(k, op, keep));
                        if (!keep) {
                            expires.remove(bk);
                        }
                    }
                    case 2, 3 -> {
                        Dict.Entry e = d.remove(k);
                        Object v = values.remove(bk);
                        Long when = expires.remove(bk);
                        assertEquals(v, e == null ? null : e.value());
                        assertEquals(when == null ? -1 : when, e == null ? -1 : e.expireAt());
                    }
                    case 4 -> {
                        long when = r.nextInt(1000);
                        boolean present = values.containsKey(bk);
                        assertEquals(present, d.setExpireAt(k, when));
                        if (present) {
                            expires.put(bk, when);
                        }
                    }
                    case 5 -> assertEquals(expires.remove(bk) != null, d.persist(k));
                    default -> {
                        assertEquals(values.get(bk), d.get(k));
                        Long when = expires.get(bk);
                        assertEquals(when == null ? -1 : when, d.expireAt(k));
                    }
                }
                if (op % 10_000 == 0) {
                    d.checkInvariants();
                }
            }
            assertEquals(values.size(), d.size());
            assertEquals(expires.size(), d.expiresSize());
            d.checkInvariants();
            Map<ByteBuffer, Object> seen = new HashMap<>();
            d.forEach(e -> assertNull(seen.put(wrap(e.key()), e.value())));
            assertEquals(values, seen);
        }
    }

    @Test
    void forEachDetectsModification() {
        Dict d = new Dict(10);
        for (int i = 0; i < 100; i++) {
            d.put(key(i), i);
        }
        int[] n = {0};
        d.forEach(e -> {
            n[0]++;
            assertNotNull(d.get(e.key())); // lookups are fine
        });
        assertEquals(100, n[0]);
        assertThrows(ConcurrentModificationException.class, () -> d.forEach(e -> d.remove(e.key())));
    }

    @Test
    void clearIsImmediateAndDictReusable() {
        Dict d = new Dict(11);
        for (int i = 0; i < 10_000; i++) {
            d.put(key(i), i);
            d.setExpireAt(key(i), i);
        }
        d.clear();
        assertEquals(0, d.size());
        assertEquals(0, d.expiresSize());
        assertFalse(d.isRehashing());
        assertNull(d.get(key(1)));
        d.put(key(1), "x");
        assertEquals("x", d.get(key(1)));
        d.checkInvariants();
    }

    // ------------------------------------------------------------------------------------------
    // SCAN

    /** Scans the whole dict with no changes in between: each key exactly once. */
    @Test
    void scanWithoutChangesReturnsEachKeyOnce() {
        Dict d = new Dict(12);
        for (int i = 0; i < 10_000; i++) {
            d.put(key(i), i);
        }
        for (boolean rehashing : new boolean[] {false, true}) {
            if (rehashing) {
                int i = 10_000;
                while (!d.isRehashing()) {
                    d.put(key(i), i);
                    i++;
                }
                d.rehashStep(100);
                assertTrue(d.isRehashing());
            } else {
                while (d.rehashStep(100)) {
                    // finish
                }
            }
            Map<ByteBuffer, Integer> seen = new HashMap<>();
            long cursor = 0;
            do {
                cursor = d.scan(cursor, e -> seen.merge(wrap(e.key()), 1, Integer::sum));
            } while (cursor != 0);
            assertEquals(d.size(), seen.size());
            assertTrue(seen.values().stream().allMatch(c -> c == 1));
        }
    }

    /**
     * Runs a SCAN over {@code d} calling {@code between} after every call; checks that every
     * stable key (present throughout) was returned. Returns the set of sizes seen.
     */
    static Set<Integer> scanChecking(Dict d, Set<ByteBuffer> stable, Runnable between,
            boolean[] sawRehashing) {
        Set<ByteBuffer> seen = new HashSet<>();
        Set<Integer> sizes = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        do {
            if (d.isRehashing()) {
                sawRehashing[0] = true;
            }
            sizes.add(d.buckets());
            cursor = d.scan(cursor, e -> seen.add(wrap(e.key())));
            between.run();
            calls++;
            assertTrue(calls < 1_000_000, "SCAN does not end");
        } while (cursor != 0);
        for (ByteBuffer k : stable) {
            assertTrue(seen.contains(k), "stable key not returned by SCAN");
        }
        return sizes;
    }

    @Test
    void scanReturnsStableKeysWhileGrowing() {
        for (long seed = 1; seed <= 10; seed++) {
            Dict d = new Dict(seed);
            Set<ByteBuffer> stable = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                d.put(key(i), i);
                stable.add(wrap(key(i)));
            }
            int[] next = {1_000_000};
            SplittableRandom r = new SplittableRandom(seed);
            List<byte[]> transient_ = new ArrayList<>();
            boolean[] sawRehashing = {false};
            int before = d.buckets();
            Set<Integer> sizes = scanChecking(d, stable, () -> {
                // Net growth of 3 keys per call: the table grows several times over before
                // the cursor wraps (much faster growth would outrun the cursor for a long time).
                for (int j = 0; j < 4; j++) {
                    byte[] k = key(next[0]++);
                    d.put(k, j);
                    transient_.add(k);
                }
                int at = r.nextInt(transient_.size());
                d.remove(transient_.get(at));
                transient_.set(at, transient_.get(transient_.size() - 1));
                transient_.remove(transient_.size() - 1);
            }, sawRehashing);
            assertTrue(d.buckets() >= 8 * before, "grew from " + before + " to " + d.buckets());
            assertTrue(sizes.size() >= 4);
            assertTrue(sawRehashing[0]);
            d.checkInvariants();
        }
    }

    @Test
    void scanReturnsStableKeysWhileShrinking() {
        for (long seed = 1; seed <= 5; seed++) {
            Dict d = new Dict(seed);
            Set<ByteBuffer> stable = new HashSet<>();
            List<byte[]> doomed = new ArrayList<>();
            for (int i = 0; i < 30_000; i++) {
                d.put(key(i), i);
                if (i % 200 == 0) {
                    stable.add(wrap(key(i)));
                } else {
                    doomed.add(key(i));
                }
            }
            while (d.rehashStep(100)) {
                // start from a settled table
            }
            SplittableRandom r = new SplittableRandom(seed);
            int[] next = {1_000_000};
            boolean[] sawRehashing = {false};
            int before = d.buckets();
            scanChecking(d, stable, () -> {
                for (int j = 0; j < 300 && !doomed.isEmpty(); j++) {
                    int at = r.nextInt(doomed.size());
                    byte[] k = doomed.get(at);
                    doomed.set(at, doomed.get(doomed.size() - 1));
                    doomed.remove(doomed.size() - 1);
                    assertNotNull(d.remove(k));
                }
                if (r.nextInt(4) == 0) { // a few short-lived keys too
                    byte[] k = key(next[0]++);
                    d.put(k, 0);
                    doomed.add(k);
                }
            }, sawRehashing);
            assertTrue(d.buckets() * 8 <= before, "shrank from " + before + " to " + d.buckets());
            assertTrue(sawRehashing[0]);
            d.checkInvariants();
        }
    }

    @Test
    void scanReturnsStableKeysWhileGrowingThenShrinking() {
        for (long seed = 1; seed <= 10; seed++) {
            Dict d = new Dict(seed);
            Set<ByteBuffer> stable = new HashSet<>();
            for (int i = 0; i < 300; i++) {
                d.put(key(i), i);
                stable.add(wrap(key(i)));
            }
            List<byte[]> extra = new ArrayList<>();
            int[] calls = {0};
            int[] next = {1_000_000};
            boolean[] sawRehashing = {false};
            Set<Integer> sizes = scanChecking(d, stable, () -> {
                calls[0]++;
                if (calls[0] < 60) {
                    for (int j = 0; j < 300; j++) {
                        byte[] k = key(next[0]++);
                        d.put(k, j);
                        extra.add(k);
                    }
                } else {
                    for (int j = 0; j < 300 && !extra.isEmpty(); j++) {
                        d.remove(extra.remove(extra.size() - 1));
                    }
                }
            }, sawRehashing);
            assertTrue(sizes.size() >= 5, "sizes " + sizes);
            d.checkInvariants();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Random keys

    @Test
    void randomEntriesAreRoughlyUniform() {
        Dict d = new Dict(13);
        int n = 100;
        for (int i = 0; i < n; i++) {
            d.put(key(i), i);
        }
        SplittableRandom r = new SplittableRandom(13);
        int samples = 200_000;
        int[] fair = new int[n];
        int[] plain = new int[n];
        for (int s = 0; s < samples; s++) {
            fair[(Integer) d.fairRandomEntry(r).value()]++;
            plain[(Integer) d.randomEntry(r).value()]++;
        }
        double expected = (double) samples / n;
        for (int i = 0; i < n; i++) {
            assertTrue(fair[i] > expected * 0.4 && fair[i] < expected * 2.5,
                    "fair key " + i + " drawn " + fair[i]);
            assertTrue(plain[i] > expected * 0.3 && plain[i] < expected * 2.5,
                    "key " + i + " drawn " + plain[i]);
        }
        Dict one = new Dict(14);
        one.put(key(5), 5);
        assertEquals(5, one.fairRandomEntry(r).value());
        assertEquals(5, one.randomEntry(r).value());
    }

    @Test
    void randomEntriesReachBothTablesWhileRehashing() {
        Dict d = new Dict(15);
        int i = 0;
        while (!(d.isRehashing() && d.rehashTargetBuckets() >= 1024)) {
            d.put(key(i), i);
            i++;
        }
        int n = i;
        SplittableRandom r = new SplittableRandom(15);
        Set<Object> seenFair = new HashSet<>();
        Set<Object> seenPlain = new HashSet<>();
        for (int s = 0; s < 200_000 && (seenFair.size() < n || seenPlain.size() < n); s++) {
            seenFair.add(d.fairRandomEntry(r).value());
            seenPlain.add(d.randomEntry(r).value());
        }
        assertEquals(n, seenFair.size());
        assertEquals(n, seenPlain.size());
        Dict.Entry[] out = new Dict.Entry[20];
        assertEquals(20, d.sampleEntries(out, 20, r));
        for (Dict.Entry e : out) {
            assertSame(e, d.peek(e.key()));
        }
    }

    @Test
    void randomEntriesReachBothTablesWhileShrinking() {
        Dict d = new Dict(18);
        for (int i = 0; i < 5000; i++) {
            d.put(key(i), i);
        }
        while (d.rehashStep(100)) {
            // start from a settled table
        }
        Set<Object> present = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            present.add(i);
        }
        int i = 4999;
        while (!d.isRehashing()) {
            d.remove(key(i));
            present.remove(i--);
        }
        // Move part of it: the new table is smaller than the rehash index, so that sampling walks
        // that start below the index must jump to it.
        d.rehashStep(300);
        assertTrue(d.isRehashing() && d.rehashIndex() > d.rehashTargetBuckets());
        SplittableRandom r = new SplittableRandom(18);
        Set<Object> seenFair = new HashSet<>();
        Set<Object> seenPlain = new HashSet<>();
        Set<Object> seenSampled = new HashSet<>();
        Dict.Entry[] out = new Dict.Entry[20];
        // Draw from within forEach, which pauses rehashing (draws would otherwise finish it).
        boolean[] drawn = {false};
        d.forEach(e -> {
            if (drawn[0]) {
                return;
            }
            drawn[0] = true;
            int walks = 0;
            int fruitless = 0;
            for (; walks < 2000 || walks < 200_000 && (seenFair.size() < present.size()
                    || seenPlain.size() < present.size() || seenSampled.size() < present.size()); walks++) {
                seenFair.add(d.fairRandomEntry(r).value());
                seenPlain.add(d.randomEntry(r).value());
                int n = d.sampleEntries(out, out.length, r);
                fruitless += n == 0 ? 1 : 0;
                for (int j = 0; j < n; j++) {
                    seenSampled.add(out[j].value());
                }
            }
            // A walk may find fewer entries than asked, even none, but rarely: about once in
            // 20,000 here, against a quarter of walks if those below the index did not jump to it.
            assertTrue(fruitless * 100 < walks, fruitless + " of " + walks + " sampling walks found nothing");
            assertTrue(d.isRehashing());
        });
        assertEquals(present, seenFair);
        assertEquals(present, seenPlain);
        assertEquals(present, seenSampled);
        d.checkInvariants();
    }

    @Test
    void randomExpiringIsUniformOverKeysWithTtl() {
        Dict d = new Dict(16);
        for (int i = 0; i < 1000; i++) {
            d.put(key(i), i);
            if (i % 10 == 0) {
                d.setExpireAt(key(i), i);
            }
        }
        SplittableRandom r = new SplittableRandom(16);
        Map<Object, Integer> counts = new HashMap<>();
        for (int s = 0; s < 100_000; s++) {
            Dict.ExpiringEntry x = d.randomExpiring(r);
            assertEquals(0, (Integer) x.value() % 10);
            counts.merge(x.value(), 1, Integer::sum);
        }
        assertEquals(100, counts.size());
        counts.values().forEach(c -> assertTrue(c > 700 && c < 1300, "count " + c));
    }

    @Test
    void lookupsWorkInEveryTableStateAndPeekHasNoSideEffects() {
        Dict d = new Dict(17);
        int i = 0;
        while (!(d.isRehashing() && d.rehashTargetBuckets() == 256)) {
            d.put(key(i), i);
            i++;
        }
        int idx = d.rehashIndex();
        for (int j = 0; j < i; j++) {
            assertEquals(j, d.peek(key(j)).value());
        }
        assertEquals(idx, d.rehashIndex(), "peek must not rehash");
        d.get(key(0));
        assertTrue(d.rehashIndex() > idx || !d.isRehashing(), "get performs a rehash step");
    }


    @Test
    void expandMakesRoomAtOnceSoThatABulkInsertNeverRehashes() {
        Dict d = new Dict();
        d.expand(100_000);
        assertEquals(131_072, d.buckets());
        for (int i = 0; i < 100_000; i++) {
            d.set(key(i), i, false);
            assertFalse(d.isRehashing());
        }
        assertEquals(131_072, d.buckets());
        d.expand(10); // fewer than it holds: nothing
        assertEquals(131_072, d.buckets());
        d.expand(200_000); // more, on a full table: a rehash into the larger one, as Redis's dictExpand
        assertTrue(d.isRehashing());
        assertEquals(262_144, d.rehashTargetBuckets());
        for (int i = 0; i < 100_000; i++) {
            assertEquals(i, d.get(key(i)));
        }
    }
}
