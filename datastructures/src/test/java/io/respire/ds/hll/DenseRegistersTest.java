package io.respire.ds.hll;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenseRegistersTest {
    private static final int BASE = HyperLogLog.HEADER_SIZE;

    /** The layout Redis documents: register 0 in the low 6 bits of byte 0, register 1 across bytes 0 and 1. */
    @Test
    void packingIsLeastSignificantBitFirst() {
        byte[] a = new byte[HyperLogLog.DENSE_SIZE];
        DenseRegisters.set(a, BASE, 0, 0x3f);
        assertEquals(0x3f, a[BASE] & 0xff);
        DenseRegisters.set(a, BASE, 1, 0x3f);
        assertEquals(0xff, a[BASE] & 0xff);
        assertEquals(0x0f, a[BASE + 1] & 0xff);
        DenseRegisters.set(a, BASE, 3, 0x21);
        assertEquals(0x21 << 2, a[BASE + 2] & 0xff);
        DenseRegisters.set(a, BASE, HyperLogLog.REGISTERS - 1, 0x3f);
        assertEquals(0xfc, a[HyperLogLog.DENSE_SIZE - 1] & 0xff); // the last register ends the array
        assertEquals(0x3f, DenseRegisters.get(a, BASE, HyperLogLog.REGISTERS - 1));
        assertEquals(0x21, DenseRegisters.get(a, BASE, 3));
    }

    @Test
    void setLeavesNeighboursAloneAndReadsBack() {
        Random random = new Random(1);
        byte[] a = new byte[HyperLogLog.DENSE_SIZE];
        int[] expected = new int[HyperLogLog.REGISTERS];
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                expected[i] = random.nextInt(64);
                DenseRegisters.set(a, BASE, i, expected[i]);
            }
            for (int n = 0; n < 2000; n++) {
                int i = random.nextInt(HyperLogLog.REGISTERS);
                expected[i] = random.nextInt(64);
                DenseRegisters.set(a, BASE, i, expected[i]);
            }
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                assertEquals(expected[i], DenseRegisters.get(a, BASE, i), "register " + i);
            }
        }
    }

    @Test
    void raiseOnlyRaises() {
        byte[] a = new byte[HyperLogLog.DENSE_SIZE];
        assertTrue(DenseRegisters.raise(a, BASE, 7, 5));
        assertFalse(DenseRegisters.raise(a, BASE, 7, 5));
        assertFalse(DenseRegisters.raise(a, BASE, 7, 3));
        assertTrue(DenseRegisters.raise(a, BASE, 7, 6));
        assertEquals(6, DenseRegisters.get(a, BASE, 7));
    }

    @Test
    void histogramAndMergeAgreeWithRegisterByRegister() {
        Random random = new Random(2);
        byte[] a = new byte[HyperLogLog.DENSE_SIZE];
        byte[] max = new byte[HyperLogLog.REGISTERS];
        int[] expectedHistogram = new int[64];
        byte[] expectedMax = new byte[HyperLogLog.REGISTERS];
        for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
            int v = random.nextInt(64);
            DenseRegisters.set(a, BASE, i, v);
            expectedHistogram[v]++;
            max[i] = (byte) random.nextInt(64);
            expectedMax[i] = (byte) Math.max(v, max[i]);
        }
        int[] histogram = new int[64];
        DenseRegisters.histogram(a, BASE, histogram);
        assertArrayEquals(expectedHistogram, histogram);
        DenseRegisters.mergeInto(max, a, BASE);
        assertArrayEquals(expectedMax, max);
    }
}
