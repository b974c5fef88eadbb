package io.respire.ds.hll;

import io.respire.ds.string.MutableString;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class HyperLogLogTest {

    @Test
    void createIsRedisEmptyValue() {
        assertEquals("48594c4c0100000000000000000000007fff", HexFormat.of().formatHex(HyperLogLog.create()));
    }

    @Test
    void headerChecks() {
        byte[] sparse = HyperLogLog.create();
        assertTrue(HyperLogLog.isValid(sparse, sparse.length));
        assertTrue(HyperLogLog.isValid(sparse, 16)); // a sparse code is checked when read
        assertFalse(HyperLogLog.isValid(sparse, 15));
        byte[] badMagic = sparse.clone();
        badMagic[1] = 'X';
        assertFalse(HyperLogLog.isValid(badMagic, badMagic.length));
        byte[] badEncoding = sparse.clone();
        badEncoding[4] = 2;
        assertFalse(HyperLogLog.isValid(badEncoding, badEncoding.length));
        byte[] dense = new byte[HyperLogLog.DENSE_SIZE];
        System.arraycopy(sparse, 0, dense, 0, 4);
        assertTrue(HyperLogLog.isValid(dense, dense.length));
        assertFalse(HyperLogLog.isValid(dense, dense.length - 1));
        assertFalse(HyperLogLog.isValid(Arrays.copyOf(dense, dense.length + 1), dense.length + 1));
    }

    @Test
    void cachedCardinality() {
        byte[] v = HyperLogLog.create();
        assertTrue(HyperLogLog.cacheValid(v));
        assertEquals(0, HyperLogLog.cachedCardinality(v));
        HyperLogLog.invalidateCache(v);
        assertFalse(HyperLogLog.cacheValid(v));
        HyperLogLog.storeCardinality(v, 0x0102030405060708L);
        assertTrue(HyperLogLog.cacheValid(v));
        assertEquals("0807060504030201", HexFormat.of().formatHex(v, 8, 16));
        assertEquals(0x0102030405060708L, HyperLogLog.cachedCardinality(v));
        HyperLogLog.storeCardinality(v, Long.MIN_VALUE); // an overflowed estimate leaves the cache stale
        assertFalse(HyperLogLog.cacheValid(v));
    }

    /**
     * Replays sequences.txt (tools/record-hll-vectors.py on redis-server 7.0.15): the exact bytes
     * Redis holds after PFADDs and PFMERGEs under several hll-sparse-max-bytes (sparse layouts,
     * promotion points, dense values), and its PFCOUNT.
     */
    @Test
    void valuesMatchRedisByteForByte() throws IOException {
        int checked = 0;
        for (String line : lines("sequences.txt")) {
            String[] sides = line.split(" -> ");
            String[] what = sides[0].split(" ");
            long maxBytes = Long.parseLong(what[1]);
            MutableString s;
            if (what[0].equals("sequence")) {
                s = sequence(Integer.parseInt(what[2]), Integer.parseInt(what[3]), maxBytes);
            } else {
                MutableString a = sequence(Integer.parseInt(what[2]), Integer.parseInt(what[3]), maxBytes);
                MutableString b = sequence(Integer.parseInt(what[4]), Integer.parseInt(what[5]), maxBytes);
                s = what[6].equals("new") ? merge(null, List.of(a, b), maxBytes) : merge(a, List.of(a, a, b), maxBytes);
            }
            String[] expected = sides[1].split(" ");
            byte[] value = s.toBytes();
            assertEquals(expected[0], HyperLogLog.encoding(value).label(), line);
            assertEquals(Integer.parseInt(expected[1]), value.length, line);
            if (!expected[4].equals("-")) {
                assertEquals(expected[4], HexFormat.of().formatHex(value), line);
            }
            assertEquals(expected[2], sha1(value), line);
            assertEquals(Long.parseLong(expected[3]), HyperLogLog.count(value, value.length), line);
            checked++;
        }
        assertTrue(checked >= 100, "vectors read: " + checked);
    }

    /** PFADD of "e{seed}:{i}" for i below n to a new key, then the cache marked stale as PFADD does. */
    private static MutableString sequence(int seed, int n, long maxBytes) {
        MutableString s = new MutableString(HyperLogLog.create());
        for (int i = 0; i < n; i++) {
            HyperLogLog.add(s, ("e" + seed + ":" + i).getBytes(StandardCharsets.US_ASCII), maxBytes);
        }
        HyperLogLog.invalidateCache(s.array());
        return s;
    }

    /** PFMERGE's steps: the sources' union, the destination made dense if any source is, then written. */
    private static MutableString merge(MutableString dest, List<MutableString> sources, long maxBytes) {
        byte[] max = HyperLogLog.newRawRegisters();
        boolean dense = false;
        for (MutableString source : sources) {
            dense |= HyperLogLog.encoding(source.array()) == HyperLogLog.Encoding.DENSE;
            HyperLogLog.mergeInto(max, source.array(), source.length());
        }
        MutableString target = dest != null ? dest : new MutableString(HyperLogLog.create());
        if (dense) {
            HyperLogLog.toDense(target);
        }
        HyperLogLog.setAll(target, max, maxBytes);
        HyperLogLog.invalidateCache(target.array());
        return target;
    }

    @Test
    void unionCountOfRawRegistersMatchesTheMergedValue() {
        MutableString a = sequence(30, 2500, 3000);
        MutableString b = sequence(31, 700, 3000);
        byte[] max = HyperLogLog.newRawRegisters();
        HyperLogLog.mergeInto(max, a.array(), a.length());
        HyperLogLog.mergeInto(max, b.array(), b.length());
        MutableString merged = merge(null, List.of(a, b), 3000);
        assertEquals(HyperLogLog.count(merged.array(), merged.length()), HyperLogLog.countRaw(max));
    }

    /**
     * Corrupted values (random bytes overwritten, bits flipped, truncated, extended) never fail
     * any other way than with a CorruptHllException, in any operation the commands run on them.
     */
    @Test
    void corruptedValuesOnlyEverRaiseTheCorruptionError() {
        Random random = new Random(4);
        List<byte[]> originals = new ArrayList<>();
        for (int n : new int[] {0, 1, 5, 40, 300, 1500, 3000, 20000}) {
            originals.add(sequence(40 + n, n, 3000).toBytes());
        }
        int corruptions = 0;
        int rejected = 0;
        for (int round = 0; round < 6000; round++) {
            byte[] v = corrupt(originals.get(random.nextInt(originals.size())), random);
            if (!HyperLogLog.isValid(v, v.length)) {
                continue;
            }
            corruptions++;
            try {
                exercise(v, random);
            } catch (CorruptHllException e) {
                rejected++;
            } catch (RuntimeException e) {
                fail("round " + round + ": " + e + " on " + HexFormat.of().formatHex(v), e);
            }
        }
        assertTrue(corruptions > 3000 && rejected > 500, corruptions + " corrupted values, " + rejected + " rejected");
    }

    private static byte[] corrupt(byte[] original, Random random) {
        byte[] v = original.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int i = random.nextInt(5); i >= 0; i--) {
                    v[random.nextInt(v.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> {
                int bit = random.nextInt(v.length * 8);
                v[bit / 8] ^= (byte) (1 << (bit % 8));
            }
            case 2 -> v = Arrays.copyOf(v, 16 + random.nextInt(v.length - 15));
            default -> {
                v = Arrays.copyOf(v, v.length + 1 + random.nextInt(6));
                for (int i = original.length; i < v.length; i++) {
                    v[i] = (byte) random.nextInt(256);
                }
            }
        }
        return v;
    }

    /** What PFCOUNT, PFMERGE, PFADD and PFDEBUG do with a value, each on its own copy. */
    private static void exercise(byte[] v, Random random) {
        for (int step = 0; step < 6; step++) {
            try {
                switch (step) {
                    case 0 -> HyperLogLog.count(v, v.length);
                    case 1 -> HyperLogLog.mergeInto(HyperLogLog.newRawRegisters(), v, v.length);
                    case 2 -> HyperLogLog.toDense(new MutableString(v.clone()));
                    case 3 -> HyperLogLog.decodeSparse(v, v.length);
                    case 4 -> {
                        MutableString s = new MutableString(v.clone());
                        for (int i = 0; i < 50; i++) {
                            HyperLogLog.add(s, ("f" + random.nextInt()).getBytes(StandardCharsets.US_ASCII), 3000);
                        }
                        HyperLogLog.count(s.array(), s.length());
                    }
                    default -> {
                        byte[] max = HyperLogLog.newRawRegisters();
                        for (int i = 0; i < 200; i++) {
                            max[random.nextInt(max.length)] = (byte) (1 + random.nextInt(40));
                        }
                        MutableString s = new MutableString(v.clone());
                        HyperLogLog.setAll(s, max, 3000);
                    }
                }
            } catch (CorruptHllException e) {
                if (step == 5) {
                    throw e;
                }
            }
        }
    }

    private static String sha1(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> lines(String resource) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                HyperLogLogTest.class.getResourceAsStream(resource), StandardCharsets.US_ASCII))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.startsWith("#")) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }
}
