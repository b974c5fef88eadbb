package io.respire.ds.hll;

/**
 * The dense encoding: 16384 registers of 6 bits packed from the least significant bit of each byte
 * upwards, register i in bits [6i, 6i + 6) of a little-endian bit stream (12288 bytes). Three bytes
 * hold exactly four registers, which is how the whole-array operations walk them.
 *
 * <p>Redis's macros read one byte past the register being accessed (the sds terminator after the
 * last one); here a register that fits in one byte never touches the next, so every access stays
 * inside the array.
 */
final class DenseRegisters {
    private DenseRegisters() {
    }

    static final int BITS = 6;
    static final int MAX = (1 << BITS) - 1;
    static final int BYTES = HyperLogLog.REGISTERS * BITS / 8;

    /** Register {@code index} of the registers starting at {@code base}. */
    static int get(byte[] a, int base, int index) {
        int bit = index * BITS;
        int i = base + (bit >>> 3);
        int shift = bit & 7;
        int v = (a[i] & 0xff) >>> shift;
        if (shift > 8 - BITS) {
            v |= (a[i + 1] & 0xff) << (8 - shift); // the register straddles two bytes
        }
        return v & MAX;
    }

    static void set(byte[] a, int base, int index, int value) {
        int bit = index * BITS;
        int i = base + (bit >>> 3);
        int shift = bit & 7;
        a[i] = (byte) ((a[i] & ~(MAX << shift)) | (value << shift));
        if (shift > 8 - BITS) {
            a[i + 1] = (byte) ((a[i + 1] & ~(MAX >>> (8 - shift))) | (value >>> (8 - shift)));
        }
    }

    /** Redis's hllDenseSet: raises the register to {@code count}; whether it changed. */
    static boolean raise(byte[] a, int base, int index, int count) {
        if (count > get(a, base, index)) {
            set(a, base, index, count);
            return true;
        }
        return false;
    }

    /** Adds how many registers hold each value to {@code histogram} (64 entries). */
    static void histogram(byte[] a, int base, int[] histogram) {
        for (int i = base, end = base + BYTES; i < end; i += 3) {
            int w = (a[i] & 0xff) | (a[i + 1] & 0xff) << 8 | (a[i + 2] & 0xff) << 16;
            histogram[w & MAX]++;
            histogram[(w >>> 6) & MAX]++;
            histogram[(w >>> 12) & MAX]++;
            histogram[w >>> 18]++;
        }
    }

    /** Raises each of {@code max} (one byte per register) to the matching register here. */
    static void mergeInto(byte[] max, byte[] a, int base) {
        int r = 0;
        for (int i = base, end = base + BYTES; i < end; i += 3, r += 4) {
            int w = (a[i] & 0xff) | (a[i + 1] & 0xff) << 8 | (a[i + 2] & 0xff) << 16;
            raiseByte(max, r, w & MAX);
            raiseByte(max, r + 1, (w >>> 6) & MAX);
            raiseByte(max, r + 2, (w >>> 12) & MAX);
            raiseByte(max, r + 3, w >>> 18);
        }
    }

    private static void raiseByte(byte[] max, int i, int v) {
        if (v > max[i]) {
            max[i] = (byte) v;
        }
    }
}
