package io.respire.ds.hll;

import io.respire.ds.string.MutableString;

import java.util.Arrays;

/**
 * The sparse encoding: the registers, in order, as a run-length code of three opcodes.
 * <ul>
 * <li>ZERO {@code 00xxxxxx}: 1 to 64 registers at 0;</li>
 * <li>XZERO {@code 01xxxxxx yyyyyyyy}: 1 to 16384 registers at 0 (14-bit length, high bits first);</li>
 * <li>VAL {@code 1vvvvvxx}: 1 to 4 registers at the value 1 to 32.</li>
 * </ul>
 * The code must cover exactly 16384 registers; a value written with SET may not, so every reader
 * checks the total, as Redis does, and reports a corrupted value instead of reading or writing past
 * the registers.
 *
 * <p>Redis's strings always have a zero byte after their end (the sds terminator), and an XZERO as
 * the very last byte reads its second byte from there. So do these readers: the byte at the value's
 * length is read as the array holds it, or as 0 past the array (see {@link #byteAt}). Updates keep
 * that byte as Redis keeps it, so that even a corrupted value evolves as on Redis.
 */
final class SparseRegisters {
    private SparseRegisters() {
    }

    static final int VAL_MAX_VALUE = 32;
    static final int VAL_MAX_LEN = 4;
    static final int ZERO_MAX_LEN = 64;
    static final int XZERO_MAX_LEN = 16384;
    /** The most an update grows the code: an XZERO split into XZERO, VAL, XZERO (2 bytes to 5). */
    private static final int MAX_GROWTH = 3;
    /** How many opcodes after the update's predecessor are looked at for VALs to merge. */
    private static final int MERGE_SCAN = 5;

    private static final int HEADER = HyperLogLog.HEADER_SIZE;

    // ---------------------------------------------------------------- opcodes

    static boolean isZero(int op) {
        return (op & 0xc0) == 0;
    }

    static boolean isXzero(int op) {
        return (op & 0xc0) == 0x40;
    }

    static boolean isVal(int op) {
        return (op & 0x80) != 0;
    }

    static int zeroLength(int op) {
        return (op & 0x3f) + 1;
    }

    static int xzeroLength(int op, int second) {
        return (((op & 0x3f) << 8) | second) + 1;
    }

    static int valValue(int op) {
        return ((op >>> 2) & 0x1f) + 1;
    }

    static int valLength(int op) {
        return (op & 0x3) + 1;
    }

    static byte val(int value, int length) {
        return (byte) (0x80 | (value - 1) << 2 | (length - 1));
    }

    static byte zero(int length) {
        return (byte) (length - 1);
    }

    /** Writes an XZERO of {@code length} at {@code p}; returns the position after it. */
    static int putXzero(byte[] a, int p, int length) {
        a[p] = (byte) (0x40 | (length - 1) >>> 8);
        a[p + 1] = (byte) (length - 1);
        return p + 2;
    }

    /** Writes the shortest zero run opcode for {@code length}; returns the position after it. */
    private static int putZeros(byte[] a, int p, int length) {
        if (length > ZERO_MAX_LEN) {
            return putXzero(a, p, length);
        }
        a[p] = zero(length);
        return p + 1;
    }

    /** The byte at {@code i}, at most the value's length: past the array, Redis's terminator 0. */
    static int byteAt(byte[] a, int i) {
        return i < a.length ? a[i] & 0xff : 0;
    }

    /** Registers covered by the opcode at {@code p}. */
    private static int span(byte[] a, int p, int op) {
        if (isZero(op)) {
            return zeroLength(op);
        }
        return isVal(op) ? valLength(op) : xzeroLength(op, byteAt(a, p + 1));
    }

    private static int opcodeSize(int op) {
        return isXzero(op) ? 2 : 1;
    }

    // ---------------------------------------------------------------- reading

    /**
     * Redis's hllSparseRegHisto: adds each register's value to {@code histogram}. Returns whether
     * the code covers exactly 16384 registers (otherwise the histogram is meaningless).
     */
    static boolean histogram(byte[] a, int end, int[] histogram) {
        long registers = 0;
        for (int p = HEADER; p < end; p += opcodeSize(a[p])) {
            int op = a[p] & 0xff;
            int run = span(a, p, op);
            registers += run;
            if (registers > HyperLogLog.REGISTERS) {
                return false; // corrupted: stop before the counts can overflow
            }
            histogram[isVal(op) ? valValue(op) : 0] += run;
        }
        return registers == HyperLogLog.REGISTERS;
    }

    /**
     * Redis's hllMerge for a sparse value: raises each of {@code max} to the matching register.
     * Returns whether the code was valid; a VAL beyond the last register stops it unwritten.
     */
    static boolean mergeInto(byte[] max, byte[] a, int end) {
        long index = 0;
        for (int p = HEADER; p < end; p += opcodeSize(a[p])) {
            int op = a[p] & 0xff;
            int run = span(a, p, op);
            if (isVal(op)) {
                if (index + run > HyperLogLog.REGISTERS) {
                    return false;
                }
                int value = valValue(op);
                for (int i = (int) index; i < index + run; i++) {
                    if (value > max[i]) {
                        max[i] = (byte) value;
                    }
                }
            }
            index += run;
        }
        return index == HyperLogLog.REGISTERS;
    }

    /**
     * Redis's hllSparseToDense: the dense value of the same registers, header copied (cached
     * cardinality and unused bytes included), or null if the code is corrupted.
     */
    static byte[] toDense(byte[] a, int end) {
        byte[] dense = new byte[HyperLogLog.DENSE_SIZE];
        System.arraycopy(a, 0, dense, 0, HEADER);
        dense[HyperLogLog.ENCODING_OFFSET] = HyperLogLog.DENSE;
        long index = 0;
        for (int p = HEADER; p < end; p += opcodeSize(a[p])) {
            int op = a[p] & 0xff;
            int run = span(a, p, op);
            if (isVal(op)) {
                if (index + run > HyperLogLog.REGISTERS) {
                    return null;
                }
                for (int i = 0; i < run; i++) {
                    DenseRegisters.set(dense, HEADER, (int) index + i, valValue(op));
                }
            }
            index += run;
        }
        return index == HyperLogLog.REGISTERS ? dense : null;
    }

    /** PFDEBUG DECODE's text: "z:N", "Z:N" and "v:value,N" opcodes separated by spaces. */
    static String decode(byte[] a, int end) {
        StringBuilder out = new StringBuilder();
        for (int p = HEADER; p < end; p += opcodeSize(a[p])) {
            int op = a[p] & 0xff;
            if (out.length() > 0) {
                out.append(' ');
            }
            if (isZero(op)) {
                out.append("z:").append(zeroLength(op));
            } else if (isXzero(op)) {
                out.append("Z:").append(xzeroLength(op, byteAt(a, p + 1)));
            } else {
                out.append("v:").append(valValue(op)).append(',').append(valLength(op));
            }
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- updating

    /** The opcode covering a register: where it is, where its predecessor is (-1: none), its first register. */
    private record Located(int position, int previous, long first, int span) {
    }

    /**
     * Redis's hllSparseSet: raises register {@code index} to {@code count}, in place when the code
     * allows, else promoting the value to dense (a count above 32, or a code that would grow past
     * {@code maxBytes}). Returns whether the register changed.
     *
     * @throws CorruptHllException if the code does not reach the register, or cannot be converted
     */
    static boolean set(MutableString s, int index, int count, long maxBytes) {
        if (count > VAL_MAX_VALUE) {
            return promoteAndSet(s, index, count);
        }
        // Room for the growth, and for the terminator byte after it that a split may write.
        s.reserve(MAX_GROWTH + 1);
        byte[] a = s.array();
        Located at = locate(a, s.length(), index);
        int op = a[at.position()] & 0xff;
        if (isVal(op) && valValue(op) >= count) {
            return false;
        }
        if (isVal(op) && valLength(op) == 1 || isZero(op) && zeroLength(op) == 1) {
            a[at.position()] = val(count, 1); // a run of one register: its opcode just changes
            return mergeAndInvalidate(s, at.previous());
        }
        byte[] sequence = split(op, at, index, count);
        int growth = sequence.length - opcodeSize(op);
        if (growth > 0 && (long) s.length() + growth > maxBytes) {
            return promoteAndSet(s, index, count);
        }
        replaceOpcode(s, at.position(), opcodeSize(op), sequence);
        return mergeAndInvalidate(s, at.previous());
    }

    /** Finds the opcode covering register {@code index}, or throws for a code that ends before it. */
    private static Located locate(byte[] a, int end, int index) {
        int p = HEADER;
        int previous = -1;
        long first = 0;
        int span = 0;
        while (p < end) {
            int op = a[p] & 0xff;
            span = span(a, p, op);
            if (index <= first + span - 1) {
                break;
            }
            previous = p;
            p += opcodeSize(op);
            first += span;
        }
        if (span == 0 || p >= end) {
            throw CorruptHllException.INSTANCE;
        }
        return new Located(p, previous, first, span);
    }

    /**
     * The opcodes that replace the one covering {@code index} once that register holds
     * {@code count}: the run before it, a VAL of one, the run after it (1 to 5 bytes).
     */
    private static byte[] split(int op, Located at, int index, int count) {
        byte[] out = new byte[5];
        int n = 0;
        long before = index - at.first();
        long after = at.first() + at.span() - 1 - index;
        boolean zeros = !isVal(op);
        if (before > 0) {
            n = zeros ? putZeros(out, n, (int) before) : putVal(out, n, valValue(op), (int) before);
        }
        out[n++] = val(count, 1);
        if (after > 0) {
            n = zeros ? putZeros(out, n, (int) after) : putVal(out, n, valValue(op), (int) after);
        }
        return Arrays.copyOf(out, n);
    }

    private static int putVal(byte[] a, int p, int value, int length) {
        a[p] = val(value, length);
        return p + 1;
    }

    /**
     * Puts {@code sequence} in place of the {@code oldSize}-byte opcode at {@code p}, moving what
     * follows. As Redis does, the new length is set (terminator zeroed) before the sequence is
     * copied, so that a sequence replacing an XZERO cut short by the end of the value overwrites
     * the terminator, exactly as it does there.
     */
    private static void replaceOpcode(MutableString s, int p, int oldSize, byte[] sequence) {
        byte[] a = s.array();
        int end = s.length();
        int growth = sequence.length - oldSize;
        int next = p + oldSize;
        if (growth != 0 && next < end) {
            System.arraycopy(a, next, a, next + growth, end - next);
        }
        resize(s, end + growth);
        System.arraycopy(sequence, 0, a, p, sequence.length);
    }

    /** Redis's sdsIncrLen: the new length, and a zero terminator after it. */
    private static void resize(MutableString s, int length) {
        s.setLength(length);
        s.array()[length] = 0;
    }

    /**
     * After an update, merges adjacent VALs of one value into one opcode (up to 4 registers),
     * scanning {@link #MERGE_SCAN} opcodes from the updated one's predecessor; then marks the
     * cached cardinality stale. Returns true (the register changed).
     */
    private static boolean mergeAndInvalidate(MutableString s, int previous) {
        byte[] a = s.array();
        int end = s.length();
        int p = previous >= 0 ? previous : HEADER;
        int scan = MERGE_SCAN;
        while (p < end && scan-- > 0) {
            int op = a[p] & 0xff;
            if (!isVal(op)) {
                p += opcodeSize(op);
                continue;
            }
            if (p + 1 < end && isVal(a[p + 1]) && mergeable(op, a[p + 1] & 0xff)) {
                a[p + 1] = val(valValue(op), valLength(op) + valLength(a[p + 1] & 0xff));
                // Shift left over the merged opcode, terminator included; then look at the
                // merged opcode again, which may merge with the next one.
                System.arraycopy(a, p + 1, a, p, end - p);
                resize(s, --end);
                continue;
            }
            p++;
        }
        HyperLogLog.invalidateCache(a);
        return true;
    }

    private static boolean mergeable(int op, int nextOp) {
        return valValue(op) == valValue(nextOp) && valLength(op) + valLength(nextOp) <= VAL_MAX_LEN;
    }

    /** Converts the value to dense, then sets the register there (Redis's promote label). */
    private static boolean promoteAndSet(MutableString s, int index, int count) {
        byte[] dense = toDense(s.array(), s.length());
        if (dense == null) {
            throw CorruptHllException.INSTANCE;
        }
        s.replace(dense);
        return DenseRegisters.raise(dense, HEADER, index, count);
    }
}
