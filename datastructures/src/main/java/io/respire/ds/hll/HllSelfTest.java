package io.respire.ds.hll;

import io.respire.ds.string.MutableString;

import java.util.Random;

/**
 * PFSELFTEST (Redis's pfselftestCommand): checks the dense register packing against a plain array,
 * then adds ten million distinct elements to a dense and a sparse HyperLogLog side by side,
 * checking at each power of ten that the sparse one stayed sparse while small, that both give the
 * same estimate, and that the error stays within six standard errors.
 */
public final class HllSelfTest {
    private HllSelfTest() {
    }

    private static final int REGISTER_CYCLES = 1000;
    private static final int ELEMENTS = 10_000_000;

    /** Runs the test; null if it passed, else Redis's failure text (an error reply's text, "TESTFAILED ..."). */
    public static String run(long sparseMaxBytes, Random random) {
        String failure = registerAccess(random);
        return failure != null ? failure : approximation(sparseMaxBytes, random);
    }

    /** Test 1: random values written to every register read back unchanged, neighbours untouched. */
    private static String registerAccess(Random random) {
        byte[] dense = new byte[HyperLogLog.DENSE_SIZE];
        int[] expected = new int[HyperLogLog.REGISTERS];
        for (int cycle = 0; cycle < REGISTER_CYCLES; cycle++) {
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                expected[i] = random.nextInt() & DenseRegisters.MAX;
                DenseRegisters.set(dense, HyperLogLog.HEADER_SIZE, i, expected[i]);
            }
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                int value = DenseRegisters.get(dense, HyperLogLog.HEADER_SIZE, i);
                if (value != expected[i]) {
                    return "TESTFAILED Register " + i + " should be " + expected[i] + " but is " + value;
                }
            }
        }
        return null;
    }

    /** Test 2: estimates of dense and sparse HyperLogLogs fed the same distinct elements. */
    private static String approximation(long sparseMaxBytes, Random random) {
        byte[] dense = new byte[HyperLogLog.DENSE_SIZE];
        MutableString sparse = new MutableString(HyperLogLog.create());
        double relativeError = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
        long seed = random.nextLong();
        byte[] element = new byte[8];
        long checkpoint = 1;
        for (long j = 1; j <= ELEMENTS; j++) {
            putLittleEndian(element, j ^ seed);
            long hash = HllHash.hash(element);
            int index = HllHash.registerIndex(hash);
            int run = HllHash.runLength(hash);
            DenseRegisters.raise(dense, HyperLogLog.HEADER_SIZE, index, run);
            HyperLogLog.set(sparse, index, run, sparseMaxBytes);
            if (j == checkpoint) {
                String failure = checkpoint(j, dense, sparse, sparseMaxBytes, relativeError);
                if (failure != null) {
                    return failure;
                }
                checkpoint *= 10;
            }
        }
        return null;
    }

    private static String checkpoint(long j, byte[] dense, MutableString sparse, long sparseMaxBytes,
            double relativeError) {
        if (j < sparseMaxBytes / 2 && HyperLogLog.encoding(sparse.array()) != HyperLogLog.Encoding.SPARSE) {
            return "TESTFAILED sparse encoding not used";
        }
        long denseCount = HyperLogLog.count(dense, dense.length);
        if (denseCount != HyperLogLog.count(sparse.array(), sparse.length())) {
            return "TESTFAILED dense/sparse disagree";
        }
        long maxError = (long) Math.ceil(relativeError * 6 * j);
        if (j == 10) {
            maxError = 1; // as Redis sets it for 10 (which six standard errors round up to anyway)
        }
        long error = Math.abs(j - denseCount);
        if (error > maxError) {
            return "TESTFAILED Too big error. card:" + j + " abserr:" + error;
        }
        return null;
    }

    private static void putLittleEndian(byte[] b, long v) {
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
    }
}
