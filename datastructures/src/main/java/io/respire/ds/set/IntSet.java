package io.respire.ds.set;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Redis's intset: a sorted array of distinct integers searched by bisection, the compact
 * encoding of a set whose members are all integers (up to set-max-intset-entries of them).
 *
 * <p>As in Redis, the array uses the narrowest width that holds every member, 16, 32 or 64 bits,
 * and is upgraded as a whole when a wider value arrives (it is never downgraded). A value that
 * forces an upgrade is smaller or larger than all others, so it goes to one end without a search.
 * Unlike Redis, which reallocates the blob on every insertion, the array grows by half its size;
 * {@link #trimToSize} gives the slack back.
 */
public final class IntSet {
    /** Element widths in bytes, as Redis's INTSET_ENC_INT16/32/64. */
    public static final int INT16 = 2;
    public static final int INT32 = 4;
    public static final int INT64 = 8;

    private static final short[] NO_SHORTS = new short[0];

    /** A short[], int[] or long[] as the width requires; only the first {@code size} are used. */
    private Object values = NO_SHORTS;
    private int width = INT16;
    private int size;

    public IntSet() {
    }

    public int size() {
        return size;
    }

    /** The width in bytes of every element: {@link #INT16}, {@link #INT32} or {@link #INT64}. */
    public int width() {
        return width;
    }

    /** The element at {@code index} in ascending order. */
    public long get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return at(index);
    }

    private long at(int index) {
        return switch (width) {
            case INT16 -> ((short[]) values)[index];
            case INT32 -> ((int[]) values)[index];
            default -> ((long[]) values)[index];
        };
    }

    private void put(int index, long v) {
        switch (width) {
            case INT16 -> ((short[]) values)[index] = (short) v;
            case INT32 -> ((int[]) values)[index] = (int) v;
            default -> ((long[]) values)[index] = v;
        }
    }

    private static int widthOf(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return INT64;
        }
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
            return INT32;
        }
        return INT16;
    }

    /** The index of v, or {@code -(insertion point) - 1} when absent (as Arrays.binarySearch). */
    private int search(long v) {
        return switch (width) {
            case INT16 -> Arrays.binarySearch((short[]) values, 0, size, (short) v);
            case INT32 -> Arrays.binarySearch((int[]) values, 0, size, (int) v);
            default -> Arrays.binarySearch((long[]) values, 0, size, v);
        };
    }

    public boolean contains(long v) {
        // A value wider than the encoding cannot be stored (and must not be truncated to search).
        return widthOf(v) <= width && search(v) >= 0;
    }

    /** Adds v; returns false if it was already there. */
    public boolean add(long v) {
        int needed = widthOf(v);
        if (needed > width) {
            upgradeAndAdd(v, needed);
            return true;
        }
        int pos = search(v);
        if (pos >= 0) {
            return false;
        }
        pos = -pos - 1;
        ensureCapacity(size + 1);
        System.arraycopy(values, pos, values, pos + 1, size - pos);
        put(pos, v);
        size++;
        return true;
    }

    /** Widens every element, then puts v at the front (if negative) or the back. */
    private void upgradeAndAdd(long v, int newWidth) {
        Object wider = allocate(newWidth, grownCapacity(size + 1));
        int offset = v < 0 ? 1 : 0;
        for (int i = 0; i < size; i++) {
            long x = at(i);
            switch (newWidth) {
                case INT32 -> ((int[]) wider)[i + offset] = (int) x;
                default -> ((long[]) wider)[i + offset] = x;
            }
        }
        values = wider;
        width = newWidth;
        put(v < 0 ? 0 : size, v);
        size++;
    }

    /** Removes v; returns false if it was not there. */
    public boolean remove(long v) {
        if (widthOf(v) > width) {
            return false;
        }
        int pos = search(v);
        if (pos < 0) {
            return false;
        }
        System.arraycopy(values, pos + 1, values, pos, size - pos - 1);
        size--;
        return true;
    }

    /** A uniformly random element; the set must not be empty. */
    public long random(RandomGenerator random) {
        return at(random.nextInt(size));
    }

    public long min() {
        return get(0);
    }

    public long max() {
        return get(size - 1);
    }

    /** The elements in ascending order. */
    public long[] toArray() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = at(i);
        }
        return out;
    }

    /** Frees the spare capacity kept for growth. */
    public void trimToSize() {
        if (capacity() > size) {
            Object trimmed = allocate(width, size);
            System.arraycopy(values, 0, trimmed, 0, size);
            values = trimmed;
        }
    }

    /** An estimate of the heap bytes used (object, array header and slots). */
    public long memoryUsage() {
        return 24 + 16 + (long) capacity() * width;
    }

    /** An independent copy with the same width (as Redis's setTypeDup keeps the encoding). */
    public IntSet copy() {
        IntSet c = new IntSet();
        c.width = width;
        c.size = size;
        c.values = allocate(width, size);
        System.arraycopy(values, 0, c.values, 0, size);
        return c;
    }

    /**
     * The Redis blob of this intset (intset.h: 32-bit encoding, 32-bit length, then the
     * elements, all little-endian), as RDB files and DUMP payloads hold it.
     */
    public byte[] toBlob() {
        ByteBuffer b = ByteBuffer.allocate(8 + size * width).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(width).putInt(size);
        for (int i = 0; i < size; i++) {
            switch (width) {
                case INT16 -> b.putShort((short) at(i));
                case INT32 -> b.putInt((int) at(i));
                default -> b.putLong(at(i));
            }
        }
        return b.array();
    }

    /**
     * Reads a Redis intset blob; null if it is malformed (bad width or length, elements not
     * strictly ascending), as Redis's intsetValidateIntegrity rejects it.
     */
    public static IntSet fromBlob(byte[] blob) {
        if (blob.length < 8) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int w = b.getInt();
        long n = b.getInt() & 0xFFFFFFFFL;
        if ((w != INT16 && w != INT32 && w != INT64) || 8 + n * w != blob.length) {
            return null;
        }
        IntSet set = new IntSet();
        set.width = w;
        set.values = allocate(w, (int) n);
        for (int i = 0; i < n; i++) {
            long v = switch (w) {
                case INT16 -> b.getShort();
                case INT32 -> b.getInt();
                default -> b.getLong();
            };
            if (i > 0 && v <= set.at(i - 1)) {
                return null;
            }
            set.put(i, v);
            set.size = i + 1;
        }
        return set;
    }

    private int capacity() {
        return switch (width) {
            case INT16 -> ((short[]) values).length;
            case INT32 -> ((int[]) values).length;
            default -> ((long[]) values).length;
        };
    }

    private void ensureCapacity(int needed) {
        if (needed > capacity()) {
            Object grown = allocate(width, grownCapacity(needed));
            System.arraycopy(values, 0, grown, 0, size);
            values = grown;
        }
    }

    private int grownCapacity(int needed) {
        int c = capacity();
        return Math.max(needed, Math.min(c + (c >> 1) + 1, Integer.MAX_VALUE - 8));
    }

    private static Object allocate(int width, int capacity) {
        return switch (width) {
            case INT16 -> new short[capacity];
            case INT32 -> new int[capacity];
            default -> new long[capacity];
        };
    }
}
