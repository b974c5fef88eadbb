package io.respire.ds.hll;

import io.respire.ds.string.MutableString;

/**
 * Redis's HyperLogLog, held as a plain string value so that values move between Redis and Respire
 * byte for byte (GET from one, SET into the other). The layout:
 * <pre>
 *   "HYLL" | encoding (0 dense, 1 sparse) | 3 unused bytes | cached cardinality (8 bytes, little-endian) | registers
 * </pre>
 * The top bit of the cached cardinality's last byte marks it stale. The 16384 registers are either
 * dense ({@link DenseRegisters}, 12288 bytes) or sparse ({@link SparseRegisters}, a run-length code
 * that grows with the registers set, and is promoted to dense beyond {@code hll-sparse-max-bytes}
 * or when a register needs a value above 32).
 *
 * <p>Reads take a value as an array and a length (a stored {@code byte[]}, or a {@link MutableString}'s
 * array and length); updates take the {@link MutableString} they change in place. Nothing here knows
 * about keys or commands.
 */
public final class HyperLogLog {
    private HyperLogLog() {
    }

    public static final int REGISTERS = 1 << HllHash.INDEX_BITS;
    public static final int HEADER_SIZE = 16;
    public static final int DENSE_SIZE = HEADER_SIZE + DenseRegisters.BYTES;

    static final int ENCODING_OFFSET = 4;
    private static final int CARDINALITY_OFFSET = 8;
    static final byte DENSE = 0;
    static final byte SPARSE = 1;
    private static final byte[] MAGIC = {'H', 'Y', 'L', 'L'};

    /** The two encodings, as PFDEBUG ENCODING names them. */
    public enum Encoding {
        DENSE("dense"), SPARSE("sparse");

        private final String label;

        Encoding(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * Redis's createHLLObject: an empty sparse HyperLogLog, one XZERO of 16384 registers, its cached
     * cardinality 0 and valid.
     */
    public static byte[] create() {
        byte[] v = new byte[HEADER_SIZE + 2];
        System.arraycopy(MAGIC, 0, v, 0, MAGIC.length);
        v[ENCODING_OFFSET] = SPARSE;
        SparseRegisters.putXzero(v, HEADER_SIZE, SparseRegisters.XZERO_MAX_LEN);
        return v;
    }

    /**
     * The checks of Redis's isHLLObjectOrReply on a string: a whole header, the magic, a known
     * encoding, and for dense the exact size. A sparse code is only checked as it is read.
     */
    public static boolean isValid(byte[] a, int length) {
        if (length < HEADER_SIZE) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (a[i] != MAGIC[i]) {
                return false;
            }
        }
        int encoding = a[ENCODING_OFFSET] & 0xff;
        return encoding == SPARSE || encoding == DENSE && length == DENSE_SIZE;
    }

    /** The encoding of a {@link #isValid valid} value. */
    public static Encoding encoding(byte[] a) {
        return a[ENCODING_OFFSET] == DENSE ? Encoding.DENSE : Encoding.SPARSE;
    }

    /**
     * Redis's hllAdd: offers {@code element} to its register. Returns whether the register changed
     * (the caller then marks the cached cardinality stale, once per command). A sparse value may be
     * promoted to dense ({@code sparseMaxBytes} is hll-sparse-max-bytes).
     *
     * @throws CorruptHllException if the value's sparse code is corrupted
     */
    public static boolean add(MutableString s, byte[] element, long sparseMaxBytes) {
        long hash = HllHash.hash(element);
        return set(s, HllHash.registerIndex(hash), HllHash.runLength(hash), sparseMaxBytes);
    }

    /** Raises register {@code index} to {@code count} if lower; whether it changed. */
    static boolean set(MutableString s, int index, int count, long sparseMaxBytes) {
        byte[] a = s.array();
        if (a[ENCODING_OFFSET] == DENSE) {
            return DenseRegisters.raise(a, HEADER_SIZE, index, count);
        }
        return SparseRegisters.set(s, index, count, sparseMaxBytes);
    }

    /** Whether the cached cardinality may be used (its top bit clear). */
    public static boolean cacheValid(byte[] a) {
        return (a[CARDINALITY_OFFSET + 7] & 0x80) == 0;
    }

    /** Marks the cached cardinality stale (HLL_INVALIDATE_CACHE). */
    public static void invalidateCache(byte[] a) {
        a[CARDINALITY_OFFSET + 7] |= (byte) 0x80;
    }

    /** The cached cardinality, as the unsigned 64-bit number Redis stores (a long's bits). */
    public static long cachedCardinality(byte[] a) {
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = card << 8 | (a[CARDINALITY_OFFSET + i] & 0xffL);
        }
        return card;
    }

    /** Stores {@code card} as the cached cardinality (which makes it valid unless its top bit is set). */
    public static void storeCardinality(byte[] a, long card) {
        for (int i = 0; i < 8; i++) {
            a[CARDINALITY_OFFSET + i] = (byte) (card >>> (8 * i));
        }
    }

    /**
     * Redis's hllCount on a valid value: the estimate from the registers, ignoring the cache.
     *
     * @throws CorruptHllException if the sparse code does not cover exactly 16384 registers
     */
    public static long count(byte[] a, int length) {
        int[] histogram = new int[64];
        if (a[ENCODING_OFFSET] == DENSE) {
            DenseRegisters.histogram(a, HEADER_SIZE, histogram);
        } else if (!SparseRegisters.histogram(a, length, histogram)) {
            throw CorruptHllException.INSTANCE;
        }
        return HllEstimator.estimate(histogram);
    }

    /** A register set for unions: one byte per register, all 0 (Redis's HLL_RAW registers). */
    public static byte[] newRawRegisters() {
        return new byte[REGISTERS];
    }

    /**
     * Redis's hllMerge: raises each of the raw registers {@code max} to the value's register.
     *
     * @throws CorruptHllException if the sparse code is corrupted ({@code max} is then partly merged)
     */
    public static void mergeInto(byte[] max, byte[] a, int length) {
        if (a[ENCODING_OFFSET] == DENSE) {
            DenseRegisters.mergeInto(max, a, HEADER_SIZE);
        } else if (!SparseRegisters.mergeInto(max, a, length)) {
            throw CorruptHllException.INSTANCE;
        }
    }

    /** Redis's hllCount on raw registers (PFCOUNT of several keys). */
    public static long countRaw(byte[] max) {
        int[] histogram = new int[64];
        for (byte r : max) {
            histogram[r]++;
        }
        return HllEstimator.estimate(histogram);
    }

    /**
     * Writes the raw registers {@code max} into the value, raising each non-zero register as PFADD
     * would (so a sparse value takes the same code as on Redis, and may be promoted on the way).
     * The caller marks the cache stale.
     */
    public static void setAll(MutableString s, byte[] max, long sparseMaxBytes) {
        for (int i = 0; i < REGISTERS; i++) {
            if (max[i] != 0) {
                set(s, i, max[i], sparseMaxBytes);
            }
        }
    }

    /**
     * Redis's hllSparseToDense: converts a sparse value to dense in place. Returns whether it was
     * sparse (false: already dense, nothing done).
     *
     * @throws CorruptHllException if the sparse code is corrupted (the value is left as it was)
     */
    public static boolean toDense(MutableString s) {
        if (s.array()[ENCODING_OFFSET] == DENSE) {
            return false;
        }
        byte[] dense = SparseRegisters.toDense(s.array(), s.length());
        if (dense == null) {
            throw CorruptHllException.INSTANCE;
        }
        s.replace(dense);
        return true;
    }

    /** The 16384 registers of a dense value (PFDEBUG GETREG). */
    public static int[] registers(byte[] a) {
        int[] registers = new int[REGISTERS];
        for (int i = 0; i < REGISTERS; i++) {
            registers[i] = DenseRegisters.get(a, HEADER_SIZE, i);
        }
        return registers;
    }

    /** PFDEBUG DECODE's text for a sparse value: its opcodes, read without validation. */
    public static String decodeSparse(byte[] a, int length) {
        return SparseRegisters.decode(a, length);
    }
}
