package io.respire.ds.string;

/**
 * Bit-level reading and writing of strings as Redis's bitops.c sees them: bit 0 is the most
 * significant bit of the first byte, and bytes past the end of a string read as zero. Backs
 * GETBIT/SETBIT, BITCOUNT, BITPOS and BITFIELD; positions are bit offsets (longs, since a string
 * may hold more than 2^31 bits).
 */
public final class Bits {
    private Bits() {
    }

    /** What BITFIELD does when a SET or INCRBY does not fit its field. */
    public enum Overflow { WRAP, SAT, FAIL }

    /**
     * The outcome of storing a value into a field: {@code overflowed} tells whether it did not fit,
     * and {@code value} is what to store (wrapped or saturated; meaningless after a FAIL overflow).
     */
    public record FieldResult(boolean overflowed, long value) {
    }

    public static boolean getBit(byte[] s, int length, long bitOffset) {
        long index = bitOffset >>> 3;
        return index < length && (s[(int) index] & (0x80 >>> (bitOffset & 7))) != 0;
    }

    public static void setBit(byte[] s, long bitOffset, boolean on) {
        int index = (int) (bitOffset >>> 3);
        int mask = 0x80 >>> (bitOffset & 7);
        s[index] = (byte) (on ? s[index] | mask : s[index] & ~mask);
    }

    /** The number of set bits in bit positions [from, to] (inclusive) of s[0, length). */
    public static long count(byte[] s, int length, long from, long to) {
        if (from > to) {
            return 0;
        }
        long total = 0;
        int first = (int) (from >>> 3);
        int last = (int) (to >>> 3);
        for (int i = first; i <= last && i < length; i++) {
            total += Integer.bitCount(s[i] & 0xff);
        }
        // Take off the bits of the edge bytes that lie outside the range.
        if (first < length) {
            total -= Integer.bitCount(s[first] & 0xff & ~(0xff >>> (from & 7)));
        }
        if (last < length) {
            total -= Integer.bitCount(s[last] & (0xff >>> ((to & 7) + 1)));
        }
        return total;
    }

    /**
     * The position of the first bit equal to {@code bit} among bit positions [from, to]
     * (inclusive) of s[0, length), or -1 if there is none. Bytes past the end read as zero.
     */
    public static long position(byte[] s, int length, long from, long to, boolean bit) {
        long pos = from;
        // Leading bits up to a byte boundary.
        while (pos <= to && (pos & 7) != 0) {
            if (getBit(s, length, pos) == bit) {
                return pos;
            }
            pos++;
        }
        // Whole bytes: skip those that cannot hold the bit.
        int skip = bit ? 0 : 0xff;
        while (pos + 7 <= to) {
            int index = (int) (pos >>> 3);
            int b = index < length ? s[index] & 0xff : 0;
            if (b != skip) {
                int lead = bit ? Integer.numberOfLeadingZeros(b) - 24 : Integer.numberOfLeadingZeros(~b & 0xff) - 24;
                return pos + lead;
            }
            pos += 8;
        }
        for (; pos <= to; pos++) {
            if (getBit(s, length, pos) == bit) {
                return pos;
            }
        }
        return -1;
    }

    /** The unsigned integer in {@code bits} bits (1..64) at bitOffset, big-endian. */
    public static long getUnsigned(byte[] s, int length, long bitOffset, int bits) {
        long value = 0;
        for (int j = 0; j < bits; j++) {
            value = (value << 1) | (getBit(s, length, bitOffset + j) ? 1 : 0);
        }
        return value;
    }

    /** As {@link #getUnsigned}, sign-extending the field's top bit. */
    public static long getSigned(byte[] s, int length, long bitOffset, int bits) {
        long value = getUnsigned(s, length, bitOffset, bits);
        if (bits < 64 && (value & (1L << (bits - 1))) != 0) {
            value |= -1L << bits;
        }
        return value;
    }

    /** Writes the low {@code bits} bits of value at bitOffset; s must be long enough. */
    public static void setField(byte[] s, long bitOffset, int bits, long value) {
        for (int j = 0; j < bits; j++) {
            setBit(s, bitOffset + j, (value & (1L << (bits - 1 - j))) != 0);
        }
    }

    /**
     * value + incr stored in an unsigned field of {@code bits} bits (Redis's
     * checkUnsignedBitfieldOverflow). value is read as unsigned: a SET of a negative number
     * (incr 0) overflows.
     */
    public static FieldResult addUnsigned(long value, long incr, int bits, Overflow overflow) {
        long max = bits == 64 ? -1L : (1L << bits) - 1;
        long maxIncr = max - value;
        long minIncr = -value;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxIncr)) {
            return new FieldResult(true, overflow == Overflow.SAT ? max : wrapUnsigned(value + incr, bits));
        } else if (incr < 0 && incr < minIncr) {
            return new FieldResult(true, overflow == Overflow.SAT ? 0 : wrapUnsigned(value + incr, bits));
        }
        return new FieldResult(false, value + incr);
    }

    private static long wrapUnsigned(long v, int bits) {
        return bits == 64 ? v : v & ~(-1L << bits);
    }

    /** value + incr stored in a signed field of {@code bits} bits (checkSignedBitfieldOverflow). */
    public static FieldResult addSigned(long value, long incr, int bits, Overflow overflow) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        // Both may wrap around; they are only looked at once value is known to be in range.
        long maxIncr = max - value;
        long minIncr = min - value;
        if (value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr)) {
            return new FieldResult(true, overflow == Overflow.SAT ? max : wrapSigned(value + incr, bits));
        } else if (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr)) {
            return new FieldResult(true, overflow == Overflow.SAT ? min : wrapSigned(value + incr, bits));
        }
        return new FieldResult(false, value + incr);
    }

    /** Two's complement truncation to {@code bits} bits, sign-extended back to 64. */
    private static long wrapSigned(long v, int bits) {
        if (bits == 64) {
            return v;
        }
        long mask = -1L << bits;
        return (v & (1L << (bits - 1))) != 0 ? v | mask : v & ~mask;
    }
}
