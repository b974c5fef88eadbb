package io.respire.ds.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The "hashtable" encoding of a large hash: an open-addressing table of field/value pairs, built
 * for memory first. Each pair is a single {@code byte[]}
 * <pre>
 *   field-length (varint, 1 byte below 128) | field bytes | value bytes
 * </pre>
 * so a pair costs one array header (16 bytes) plus its bytes, and each slot costs a reference and
 * a cached 32-bit hash (8 bytes, at a load factor between 3/8 and 3/4). A chained table in the
 * style of the keyspace's {@code Dict} would add a 32-byte entry object and a second array header
 * per pair. The table holds no values that are not byte strings, so the same layout serves any
 * string-to-string map (a set could store members with empty values).
 *
 * <p>Collisions are resolved by linear probing, and deletion shifts later members of the cluster
 * back (no tombstones), which keeps the invariant that a pair lies in the run of occupied slots
 * starting at its home slot ({@code hash & mask}). {@link #scan} relies on it: the SCAN cursor
 * walks home slots in Redis's reverse-binary order, so it keeps its guarantee (every pair present
 * throughout is returned at least once) across any number of resizes between calls.
 *
 * <p>Resizing is done all at once, moving references and cached hashes only (about 10 ms per
 * million pairs), unlike Redis's incremental rehash; the table grows past 3/4 full and shrinks
 * below 1/8 full. Hashes are keyed with a per-process random secret so that clients cannot plan
 * collisions. Not thread-safe.
 */
public final class FieldTable {
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SECRET = new SecureRandom().nextLong() | 1;
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;
    private static final int MIN_CAPACITY = 4;
    private static final int MAX_CAPACITY = 1 << 30;
    /** Heap bytes of this object: header, two array references, two ints (compressed oops). */
    private static final int SHALLOW_SIZE = 24;
    private static final int ARRAY_HEADER = 16;

    private byte[][] pairs;
    private int[] hashes;
    private int size;

    /** An empty table with room for {@code expected} pairs before it grows. */
    public FieldTable(int expected) {
        allocate(capacityFor(expected));
    }

    private FieldTable(byte[][] pairs, int[] hashes, int size) {
        this.pairs = pairs;
        this.hashes = hashes;
        this.size = size;
    }

    /** A copy; cheap because pair arrays are never changed in place, so they can be shared. */
    public FieldTable copy() {
        return new FieldTable(pairs.clone(), hashes.clone(), size);
    }

    public int size() {
        return size;
    }

    /** Number of slots (for tests and diagnostics). */
    public int capacity() {
        return pairs.length;
    }

    /** Heap bytes of the table, its arrays and every pair. */
    public long memoryUsage() {
        long total = SHALLOW_SIZE + align8(ARRAY_HEADER + 4L * pairs.length) * 2;
        for (byte[] p : pairs) {
            if (p != null) {
                total += align8(ARRAY_HEADER + p.length);
            }
        }
        return total;
    }

    // ------------------------------------------------------------------------------------------
    // Reading a slot

    /** The array holding the pair in {@code slot}; the offsets below index into it. */
    public byte[] pair(int slot) {
        return pairs[slot];
    }

    public int fieldOffset(int slot) {
        return varintSize(fieldLengthOf(pairs[slot]));
    }

    public int fieldLength(int slot) {
        return fieldLengthOf(pairs[slot]);
    }

    public int valueOffset(int slot) {
        int len = fieldLengthOf(pairs[slot]);
        return varintSize(len) + len;
    }

    public int valueLength(int slot) {
        byte[] p = pairs[slot];
        return p.length - valueOffset(slot);
    }

    public byte[] field(int slot) {
        int off = fieldOffset(slot);
        return Arrays.copyOfRange(pairs[slot], off, off + fieldLength(slot));
    }

    public byte[] value(int slot) {
        return Arrays.copyOfRange(pairs[slot], valueOffset(slot), pairs[slot].length);
    }

    // ------------------------------------------------------------------------------------------
    // Lookup and update

    /** The slot holding {@code field}, or -1. */
    public int find(byte[] field) {
        return find(field, hash(field));
    }

    /** Sets the value of {@code field}; returns true if the field was added, false if updated. */
    public boolean put(byte[] field, byte[] value) {
        int h = hash(field);
        int slot = find(field, h);
        if (slot >= 0) {
            pairs[slot] = encode(field, value);
            return false;
        }
        if (size + 1 > pairs.length - (pairs.length >> 2)) {
            if (pairs.length == MAX_CAPACITY) {
                throw new IllegalStateException("hash table full");
            }
            rehash(pairs.length * 2);
        }
        insert(encode(field, value), h);
        size++;
        return true;
    }

    /** Replaces the value of the pair in {@code slot}. */
    public void setValue(int slot, byte[] value) {
        byte[] p = pairs[slot];
        int valueOffset = valueOffset(slot);
        byte[] q = Arrays.copyOf(p, valueOffset + value.length);
        System.arraycopy(value, 0, q, valueOffset, value.length);
        pairs[slot] = q;
    }

    /** Removes {@code field}; returns whether it was there. */
    public boolean remove(byte[] field) {
        int slot = find(field);
        if (slot < 0) {
            return false;
        }
        removeSlot(slot);
        size--;
        if (size < pairs.length >> 3 && pairs.length > MIN_CAPACITY) {
            rehash(capacityFor(size));
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // Iteration, sampling, scanning

    /** The first occupied slot at or after {@code from}, or -1: {@code for (s = next(0); s >= 0; s = next(s + 1))}. */
    public int next(int from) {
        for (int i = from; i < pairs.length; i++) {
            if (pairs[i] != null) {
                return i;
            }
        }
        return -1;
    }

    /** A uniformly random occupied slot; the table must not be empty. */
    public int randomSlot(RandomGenerator random) {
        if (size == 0) {
            throw new IllegalStateException("empty table");
        }
        int mask = pairs.length - 1;
        while (true) {
            int i = random.nextInt() & mask;
            if (pairs[i] != null) {
                return i;
            }
        }
    }

    /** Receives the slots visited by {@link #scan}. */
    public interface SlotVisitor {
        void visit(int slot);
    }

    /**
     * One step of SCAN (Redis's dictScan): visits the pairs whose home slot is {@code cursor}
     * (masked) and returns the next cursor, 0 when the walk is complete. The visitor must not
     * change the table.
     */
    public long scan(long cursor, SlotVisitor visitor) {
        int mask = pairs.length - 1;
        int home = (int) (cursor & mask);
        for (int i = home; pairs[i] != null; i = (i + 1) & mask) {
            if ((hashes[i] & mask) == home) {
                visitor.visit(i);
            }
        }
        // Increment the reversed cursor, so that a walk survives the table doubling or halving.
        long v = cursor | ~(long) mask;
        v = Long.reverse(v);
        v++;
        return Long.reverse(v);
    }

    // ------------------------------------------------------------------------------------------
    // Internals

    private int find(byte[] field, int h) {
        int mask = pairs.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            byte[] p = pairs[i];
            if (p == null) {
                return -1;
            }
            if (hashes[i] == h && fieldEquals(p, field)) {
                return i;
            }
        }
    }

    private void insert(byte[] pair, int h) {
        int mask = pairs.length - 1;
        int i = h & mask;
        while (pairs[i] != null) {
            i = (i + 1) & mask;
        }
        pairs[i] = pair;
        hashes[i] = h;
    }

    /** Empties {@code slot}, shifting back later members of its cluster that may move there. */
    private void removeSlot(int slot) {
        int mask = pairs.length - 1;
        int hole = slot;
        for (int j = (hole + 1) & mask; pairs[j] != null; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            // The pair at j may fill the hole unless its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!stays) {
                pairs[hole] = pairs[j];
                hashes[hole] = hashes[j];
                hole = j;
            }
        }
        pairs[hole] = null;
        hashes[hole] = 0;
    }

    private void rehash(int capacity) {
        byte[][] oldPairs = pairs;
        int[] oldHashes = hashes;
        allocate(capacity);
        for (int i = 0; i < oldPairs.length; i++) {
            if (oldPairs[i] != null) {
                insert(oldPairs[i], oldHashes[i]);
            }
        }
    }

    private void allocate(int capacity) {
        pairs = new byte[capacity][];
        hashes = new int[capacity];
    }

    /** The smallest power of two that holds {@code n} pairs at most half full. */
    private static int capacityFor(int n) {
        int c = MIN_CAPACITY;
        while (c < MAX_CAPACITY && c < 2L * n) {
            c <<= 1;
        }
        return c;
    }

    private static byte[] encode(byte[] field, byte[] value) {
        int header = varintSize(field.length);
        byte[] p = new byte[header + field.length + value.length];
        int len = field.length;
        int i = 0;
        while (len >= 0x80) {
            p[i++] = (byte) (len | 0x80);
            len >>>= 7;
        }
        p[i] = (byte) len;
        System.arraycopy(field, 0, p, header, field.length);
        System.arraycopy(value, 0, p, header + field.length, value.length);
        return p;
    }

    private static int fieldLengthOf(byte[] p) {
        int len = 0;
        int shift = 0;
        int i = 0;
        int b;
        do {
            b = p[i++];
            len |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return len;
    }

    private static int varintSize(int len) {
        int n = 1;
        while (len >= 0x80) {
            len >>>= 7;
            n++;
        }
        return n;
    }

    private static boolean fieldEquals(byte[] pair, byte[] field) {
        int len = fieldLengthOf(pair);
        if (len != field.length) {
            return false;
        }
        int off = varintSize(len);
        return Arrays.equals(pair, off, off + len, field, 0, len);
    }

    /**
     * A keyed hash of the field: 8-byte words folded through 128-bit multiplications with the
     * secret, so that equal inputs collide only by chance for an attacker who does not know it.
     */
    static int hash(byte[] k) {
        int n = k.length;
        long h = SECRET ^ (n * MULTIPLIER);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            h = fold((long) LONG_LE.get(k, i) ^ SECRET, h ^ MULTIPLIER);
        }
        long tail = 0;
        for (int shift = 0; i < n; i++, shift += 8) {
            tail |= (k[i] & 0xFFL) << shift;
        }
        h = fold(tail ^ SECRET, h ^ MULTIPLIER);
        h = fold(h, SECRET ^ MULTIPLIER);
        return (int) (h ^ (h >>> 32));
    }

    private static long fold(long a, long b) {
        return a * b ^ Math.multiplyHigh(a, b);
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }
}
