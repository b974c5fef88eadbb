package io.respire.ds.hll;

import io.respire.ds.string.MutableString;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparseRegistersTest {
    private static final long NO_LIMIT = Long.MAX_VALUE;

    private static MutableString empty() {
        return new MutableString(HyperLogLog.create());
    }

    private static String decode(MutableString s) {
        return SparseRegisters.decode(s.array(), s.length());
    }

    /** Redis's own example: registers 1000, 1020 and 1021 set to 2, 3 and 3. */
    @Test
    void updatesSplitRunsAndMergeEqualNeighbours() {
        MutableString s = empty();
        assertEquals("Z:16384", decode(s));
        assertTrue(SparseRegisters.set(s, 1000, 2, NO_LIMIT));
        assertEquals("Z:1000 v:2,1 Z:15383", decode(s));
        assertTrue(SparseRegisters.set(s, 1020, 3, NO_LIMIT));
        assertEquals("Z:1000 v:2,1 z:19 v:3,1 Z:15363", decode(s));
        assertTrue(SparseRegisters.set(s, 1021, 3, NO_LIMIT));
        assertEquals("Z:1000 v:2,1 z:19 v:3,2 Z:15362", decode(s));
        assertFalse(SparseRegisters.set(s, 1021, 2, NO_LIMIT));
        assertTrue(SparseRegisters.set(s, 1021, 5, NO_LIMIT)); // splits the VAL run
        assertEquals("Z:1000 v:2,1 z:19 v:3,1 v:5,1 Z:15362", decode(s));
        assertTrue(SparseRegisters.set(s, 0, 1, NO_LIMIT));
        assertTrue(SparseRegisters.set(s, 16383, 32, NO_LIMIT));
        assertEquals("v:1,1 Z:999 v:2,1 z:19 v:3,1 v:5,1 Z:15361 v:32,1", decode(s));
        assertEquals(HyperLogLog.Encoding.SPARSE, HyperLogLog.encoding(s.array()));
    }

    @Test
    void aValueAbove32PromotesToDense() {
        MutableString s = empty();
        SparseRegisters.set(s, 5, 3, NO_LIMIT);
        assertTrue(SparseRegisters.set(s, 9, 33, NO_LIMIT));
        assertEquals(HyperLogLog.DENSE_SIZE, s.length());
        assertEquals(HyperLogLog.Encoding.DENSE, HyperLogLog.encoding(s.array()));
        int[] registers = HyperLogLog.registers(s.array());
        assertEquals(3, registers[5]);
        assertEquals(33, registers[9]);
        assertEquals(2, Arrays.stream(registers).filter(r -> r != 0).count());
    }

    /** A split that would take the value past the limit promotes it instead; the limit includes the header. */
    @Test
    void growthPastTheLimitPromotes() {
        MutableString s = empty(); // 18 bytes
        assertTrue(SparseRegisters.set(s, 100, 1, 21)); // XZERO -> XZERO VAL XZERO: 21 bytes
        assertEquals(HyperLogLog.Encoding.SPARSE, HyperLogLog.encoding(s.array()));
        assertEquals(21, s.length());
        assertFalse(SparseRegisters.set(s, 100, 1, 21));
        assertTrue(SparseRegisters.set(s, 100, 2, 21)); // in place: no growth, no promotion
        assertEquals(21, s.length());
        assertTrue(SparseRegisters.set(s, 5000, 1, 21));
        assertEquals(HyperLogLog.Encoding.DENSE, HyperLogLog.encoding(s.array()));
        assertEquals(2, HyperLogLog.registers(s.array())[100]);
    }

    @Test
    void sparseAndDenseAgree() {
        Random random = new Random(3);
        for (int round = 0; round < 40; round++) {
            MutableString sparse = empty();
            byte[] dense = new byte[HyperLogLog.DENSE_SIZE];
            int elements = random.nextInt(round < 20 ? 300 : 6000);
            for (int i = 0; i < elements; i++) {
                byte[] element = ("r" + round + ":" + random.nextInt()).getBytes(StandardCharsets.US_ASCII);
                long hash = HllHash.hash(element);
                int index = HllHash.registerIndex(hash);
                int run = HllHash.runLength(hash);
                boolean denseChanged = DenseRegisters.raise(dense, HyperLogLog.HEADER_SIZE, index, run);
                assertEquals(denseChanged, HyperLogLog.set(sparse, index, run, NO_LIMIT));
            }
            if (HyperLogLog.encoding(sparse.array()) == HyperLogLog.Encoding.DENSE) {
                continue; // a run above 32 promoted it: nothing sparse left to compare
            }
            assertEquals(HyperLogLog.count(dense, dense.length), HyperLogLog.count(sparse.array(), sparse.length()));
            byte[] fromSparse = SparseRegisters.toDense(sparse.array(), sparse.length());
            assertArrayEquals(Arrays.copyOfRange(dense, 16, dense.length),
                    Arrays.copyOfRange(fromSparse, 16, fromSparse.length));
            byte[] maxSparse = new byte[HyperLogLog.REGISTERS];
            byte[] maxDense = new byte[HyperLogLog.REGISTERS];
            HyperLogLog.mergeInto(maxSparse, sparse.array(), sparse.length());
            HyperLogLog.mergeInto(maxDense, dense, dense.length);
            assertArrayEquals(maxDense, maxSparse);
        }
    }

    @Test
    void codesNotCoveringExactlyAllRegistersAreRejected() {
        byte[] header = Arrays.copyOf(HyperLogLog.create(), HyperLogLog.HEADER_SIZE);
        for (byte[] code : new byte[][] {
                {}, // no registers at all
                {0x7f, (byte) 0xfe}, // 16383
                {0x7f, (byte) 0xff, 0x00}, // 16385
                {0x7f, (byte) 0xff, (byte) 0x80}, // a VAL past the end
                {0x7f}, // an XZERO cut short: its second byte reads as 0, 16129 registers
        }) {
            byte[] v = concat(header, code);
            int[] histogram = new int[64];
            assertFalse(SparseRegisters.histogram(v, v.length, histogram));
            assertFalse(SparseRegisters.mergeInto(new byte[HyperLogLog.REGISTERS], v, v.length));
            assertNull(SparseRegisters.toDense(v, v.length));
            assertThrows(CorruptHllException.class, () -> HyperLogLog.count(v, v.length));
        }
        MutableString headerOnly = new MutableString(header);
        assertThrows(CorruptHllException.class, () -> SparseRegisters.set(headerOnly, 3, 1, NO_LIMIT));
    }

    /** XZERO 255, then an XZERO whose second byte is past the end: read as 0, it covers the other 16129. */
    @Test
    void anXzeroCutShortReadsTheTerminatorAsZero() {
        byte[] v = concat(Arrays.copyOf(HyperLogLog.create(), HyperLogLog.HEADER_SIZE), new byte[] {0x40, (byte) 0xfe, 0x7f});
        assertEquals(0, HyperLogLog.count(v, v.length));
        assertEquals("Z:255 Z:16129", SparseRegisters.decode(v, v.length));
        // Updating inside it splits it as Redis does: the new sequence is written from the cut
        // XZERO on, and its last byte lands past the value's new end, where the next read finds
        // it (checked on redis-server 7.0.15: STRLEN 21, DECODE as below, PFCOUNT 1).
        MutableString s = new MutableString(v.clone());
        assertTrue(SparseRegisters.set(s, 300, 2, NO_LIMIT));
        assertEquals(21, s.length());
        assertEquals("Z:255 z:45 v:2,1 Z:16083", SparseRegisters.decode(s.array(), s.length())); // as on Redis
        assertEquals(1, HyperLogLog.count(s.array(), s.length()));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
