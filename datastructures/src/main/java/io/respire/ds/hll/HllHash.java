package io.respire.ds.hll;

/**
 * The hash of HyperLogLog elements, and what a hash means for the registers: Redis's MurmurHash64A
 * with seed 0xadc83b19, made endian-neutral (8-byte blocks read little-endian). The low 14 bits
 * choose the register; the run of zero bits above them, plus one, is the value offered to it.
 * Exactness matters: a value written by Redis and counted by Respire (or the reverse) only agrees
 * if every element lands in the same register with the same run.
 */
public final class HllHash {
    private HllHash() {
    }

    static final long SEED = 0xadc83b19L;
    private static final long M = 0xc6a4a7935bd1e995L;
    private static final int R = 47;

    /** Bits of the hash that choose the register (HLL_P). */
    static final int INDEX_BITS = 14;
    /** Bits left for the run of zeros (HLL_Q). */
    static final int RUN_BITS = 64 - INDEX_BITS;

    /** MurmurHash64A of {@code data[offset, offset + length)} with {@code seed} (as an unsigned 32-bit value). */
    public static long murmurHash64A(byte[] data, int offset, int length, long seed) {
        long h = seed ^ (length * M);
        int blocksEnd = offset + (length & ~7);
        for (int i = offset; i < blocksEnd; i += 8) {
            long k = littleEndianLong(data, i);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h ^= k;
            h *= M;
        }
        int tail = length & 7;
        if (tail != 0) {
            // The 1..7 trailing bytes, the first the lowest, folded in before one more multiply.
            for (int j = tail - 1; j >= 0; j--) {
                h ^= (long) (data[blocksEnd + j] & 0xff) << (8 * j);
            }
            h *= M;
        }
        h ^= h >>> R;
        h *= M;
        h ^= h >>> R;
        return h;
    }

    /** The hash Redis gives an element (hllPatLen's hash). */
    public static long hash(byte[] element) {
        return murmurHash64A(element, 0, element.length, SEED);
    }

    /** The register an element with this hash updates. */
    public static int registerIndex(long hash) {
        return (int) (hash & (HyperLogLog.REGISTERS - 1));
    }

    /**
     * The value offered to the register: 1 + the number of zeros above the index bits, counted
     * from the low end. A guard bit at RUN_BITS bounds it at RUN_BITS + 1 (51).
     */
    public static int runLength(long hash) {
        long rest = (hash >>> INDEX_BITS) | (1L << RUN_BITS);
        return Long.numberOfTrailingZeros(rest) + 1;
    }

    private static long littleEndianLong(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
                | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48
                | (b[i + 7] & 0xffL) << 56;
    }
}
