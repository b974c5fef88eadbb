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
 * per pair. A new value of the same length is written into its pair's array (see {@link #setValue}),
 * so a copy of the table copies the pairs. The layout suits any map of byte strings (a set could
 * store members with empty values).
 *
 * <p><b>Probing.</b> Collisions are resolved by linear probing, and deletion shifts later members
 * of the cluster back (no tombstones). That keeps the invariant that a pair lies in the run of
 * occupied slots starting at its home slot ({@code hash & mask}), which {@link #scan} relies on:
 * the SCAN cursor walks home slots in Redis's reverse-binary order, so it keeps Redis's guarantee
 * (every pair present throughout is returned at least once) across resizes between calls.
 *
 * <p><b>Resizing</b> is incremental, as Redis's dict: the table grows past 3/4 full and shrinks
 * below 1/8 full by allocating the new slot array and then draining the old one a few pairs per
 * write ({@link #REHASH_PAIRS} pairs, or {@link #REHASH_EMPTY_VISITS} empty slots). Moving a
 * million pairs at once would stall one command for tens of milliseconds (a cache miss per pair
 * and array); this way the only cost left that grows with the size is the JVM zeroing the new
 * arrays (about 1 ms per 8 MB, i.e. per million slots). A resize in progress only advances on
 * writes, so a hash that stops changing keeps its old array until the next write. While a resize
 * is in progress a pair is in exactly one of the two arrays; lookups try the new one first.
 * Draining slot i of the old array removes its pair with the same backward shift as a deletion,
 * so the old array stays a valid table whose slots before the drain point are all empty.
 *
 * <p><b>Slots</b> are plain {@code int}s handed out by {@link #find}, {@link #next},
 * {@link #randomSlot} and {@link #scan}, and read with {@link #pair} and friends; slots of the old
 * array during a resize are numbered after those of the new one. A write may move pairs, so a
 * slot is only good until the next {@link #put} or {@link #remove}.
 *
 * <p>Hashes are keyed with a per-process random secret so that clients cannot plan collisions.
 * Not thread-safe.
 */
public final class FieldTable {
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SECRET = new SecureRandom().nextLong() | 1;
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;
    private static final int MIN_CAPACITY = 4;
    private static final int MAX_CAPACITY = 1 << 30;
    /** Pairs moved from the old slot array per write while resizing. */
    static final int REHASH_PAIRS = 4;
    /** Empty old slots a write may skip while resizing (Redis's empty_visits: 10 per bucket). */
    static final int REHASH_EMPTY_VISITS = 10 * REHASH_PAIRS;
    /** Heap bytes of this object (header, two references, three ints) and of a slot array holder. */
    private static final int SHALLOW_SIZE = 32;
    private static final int SLOTS_SIZE = 24;
    private static final int ARRAY_HEADER = 16;

    /** One slot array with linear probing: pairs and their cached hashes. */
    private static final class Slots {
        final byte[][] pairs;
        final int[] hashes;
        final int mask;

        Slots(int capacity) {
            pairs = new byte[capacity][];
            hashes = new int[capacity];
            mask = capacity - 1;
        }

        /** A deep copy: pairs may be written in place later, so none is shared. */
        Slots(Slots other) {
            pairs = other.pairs.clone();
            for (int i = 0; i < pairs.length; i++) {
                if (pairs[i] != null) {
                    pairs[i] = pairs[i].clone();
                }
            }
            hashes = other.hashes.clone();
            mask = other.mask;
        }

        int length() {
            return pairs.length;
        }

        int find(byte[] field, int h) {
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

        /** Puts a pair known to be absent. */
        void insert(byte[] pair, int h) {
            int i = h & mask;
            while (pairs[i] != null) {
                i = (i + 1) & mask;
            }
            pairs[i] = pair;
            hashes[i] = h;
        }

        /** Empties {@code slot}, shifting back later members of its cluster that may move there. */
        void removeAt(int slot) {
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

        /** Visits the pairs whose home is {@code home}: they all lie in the run starting there. */
        void visitHome(int home, int base, SlotVisitor visitor) {
            for (int i = home; pairs[i] != null; i = (i + 1) & mask) {
                if ((hashes[i] & mask) == home) {
                    visitor.visit(base + i);
                }
            }
        }

        long memoryUsage() {
            long total = SLOTS_SIZE + 2 * align8(ARRAY_HEADER + 4L * pairs.length);
            for (byte[] p : pairs) {
                if (p != null) {
                    total += align8(ARRAY_HEADER + p.length);
                }
            }
            return total;
        }
    }

    /** The slot array new pairs go to. */
    private Slots main;
    /** While resizing, the slot array being drained into {@link #main}; otherwise null. */
    private Slots old;
    /** While resizing, the next slot of {@link #old} to drain; all before it are empty. */
    private int drainIndex;
    /** Pairs still in {@link #old}. */
    private int oldCount;
    private int size;

    /** An empty table with room for {@code expected} pairs before it grows. */
    public FieldTable(int expected) {
        main = new Slots(capacityFor(expected));
    }

    private FieldTable(FieldTable other) {
        main = new Slots(other.main);
        old = other.old == null ? null : new Slots(other.old);
        drainIndex = other.drainIndex;
        oldCount = other.oldCount;
        size = other.size;
    }

    /** A deep copy (COPY): nothing is shared with this table. */
    public FieldTable copy() {
        return new FieldTable(this);
    }

    public int size() {
        return size;
    }

    /** Number of slots new pairs go to (for tests and diagnostics). */
    public int capacity() {
        return main.length();
    }

    public boolean isResizing() {
        return old != null;
    }

    /**
     * The slot arrays described in the terms of Redis's dictGetStats (DEBUG HTSTATS-KEY): while a
     * resize runs, the array being drained is "table 0" and the new one the "rehashing target", as
     * in a dict. Only their sizes and pairs: pairs are probed linearly, there are no chains.
     */
    public String stats() {
        StringBuilder out = new StringBuilder();
        if (old != null) {
            slotStats(out, "Hash table 0 stats (main hash table)", old, oldCount);
            slotStats(out, "Hash table 1 stats (rehashing target)", main, size - oldCount);
        } else {
            slotStats(out, "Hash table 0 stats (main hash table)", main, size);
        }
        return out.toString();
    }

    private static void slotStats(StringBuilder out, String title, Slots slots, int pairs) {
        out.append(title).append(":\n");
        if (pairs == 0) {
            out.append("No stats available for empty dictionaries\n");
            return;
        }
        out.append(" table size: ").append(slots.length()).append('\n')
                .append(" number of elements: ").append(pairs).append('\n')
                .append(" open addressing: pairs are probed linearly, no chains\n");
    }

    /** Heap bytes of the table, its arrays and every pair. */
    public long memoryUsage() {
        return SHALLOW_SIZE + main.memoryUsage() + (old == null ? 0 : old.memoryUsage());
    }

    // ------------------------------------------------------------------------------------------
    // Reading a slot

    /** The array holding the pair in {@code slot} (do not modify it); the offsets index into it. */
    public byte[] pair(int slot) {
        int n = main.length();
        return slot < n ? main.pairs[slot] : old.pairs[slot - n];
    }

    public int fieldOffset(int slot) {
        return varintSize(fieldLengthOf(pair(slot)));
    }

    public int fieldLength(int slot) {
        return fieldLengthOf(pair(slot));
    }

    public int valueOffset(int slot) {
        int len = fieldLengthOf(pair(slot));
        return varintSize(len) + len;
    }

    public int valueLength(int slot) {
        return pair(slot).length - valueOffset(slot);
    }

    public byte[] field(int slot) {
        int off = fieldOffset(slot);
        return Arrays.copyOfRange(pair(slot), off, off + fieldLength(slot));
    }

    public byte[] value(int slot) {
        byte[] p = pair(slot);
        return Arrays.copyOfRange(p, valueOffset(slot), p.length);
    }

    // ------------------------------------------------------------------------------------------
    // Lookup and update

    /** The slot holding {@code field}, or -1. */
    public int find(byte[] field) {
        return find(field, hash(field));
    }

    private int find(byte[] field, int h) {
        int slot = main.find(field, h);
        if (slot < 0 && old != null) {
            int s = old.find(field, h);
            if (s >= 0) {
                slot = main.length() + s;
            }
        }
        return slot;
    }

    /** Sets the value of {@code field}; returns true if the field was added, false if updated. */
    public boolean put(byte[] field, byte[] value) {
        drainStep();
        int h = hash(field);
        int slot = find(field, h);
        if (slot >= 0) {
            setValue(slot, value);
            return false;
        }
        if (size + 1 > main.length() - (main.length() >> 2)) {
            if (main.length() == MAX_CAPACITY) {
                throw new IllegalStateException("hash table full");
            }
            startResize(main.length() * 2);
        }
        main.insert(encode(field, value), h);
        size++;
        return true;
    }

    /**
     * Replaces the value of the pair in {@code slot}. A value of the same length is written into
     * the pair's array: the slot then points at nothing new, so a young collection has no card of
     * the old generation to scan for it and no pair to promote, as the keyspace does for strings
     * ({@code Dict.set}). Another length makes a new pair.
     */
    public void setValue(int slot, byte[] value) {
        byte[] p = pair(slot);
        int valueOffset = valueOffset(slot);
        if (p.length - valueOffset == value.length) {
            System.arraycopy(value, 0, p, valueOffset, value.length);
            return;
        }
        byte[] q = Arrays.copyOf(p, valueOffset + value.length);
        System.arraycopy(value, 0, q, valueOffset, value.length);
        replace(slot, q);
    }

    private void replace(int slot, byte[] pair) {
        int n = main.length();
        if (slot < n) {
            main.pairs[slot] = pair;
        } else {
            old.pairs[slot - n] = pair;
        }
    }

    /** Removes {@code field}; returns whether it was there. */
    public boolean remove(byte[] field) {
        drainStep();
        int slot = find(field);
        if (slot < 0) {
            return false;
        }
        int n = main.length();
        if (slot < n) {
            main.removeAt(slot);
        } else {
            old.removeAt(slot - n);
            oldCount--;
            if (oldCount == 0) {
                old = null;
            }
        }
        size--;
        if (size < main.length() >> 3 && main.length() > MIN_CAPACITY) {
            startResize(capacityFor(size));
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // Resizing

    /** Starts moving every pair into a new slot array of {@code capacity} slots. */
    private void startResize(int capacity) {
        if (old != null) {
            finishResize(); // cannot happen with the drain rate above, but stay correct
        }
        if (size == 0) {
            main = new Slots(capacity);
            return;
        }
        old = main;
        oldCount = size;
        drainIndex = 0;
        main = new Slots(capacity);
    }

    private void finishResize() {
        while (old != null) {
            drainStep();
        }
    }

    /** Moves up to {@link #REHASH_PAIRS} pairs from the old slot array (Redis's _dictRehashStep). */
    private void drainStep() {
        if (old == null) {
            return;
        }
        int moved = 0;
        int emptyVisits = 0;
        while (moved < REHASH_PAIRS && emptyVisits < REHASH_EMPTY_VISITS) {
            byte[] p = old.pairs[drainIndex];
            if (p == null) {
                drainIndex++;
                emptyVisits++;
                continue;
            }
            main.insert(p, old.hashes[drainIndex]);
            old.removeAt(drainIndex); // may pull a later pair into this slot: drained next
            moved++;
            if (--oldCount == 0) {
                old = null;
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Iteration, sampling, scanning

    /**
     * The first occupied slot at or after {@code from}, or -1:
     * {@code for (s = next(0); s >= 0; s = next(s + 1))} visits every pair once.
     */
    public int next(int from) {
        int n = main.length();
        for (int i = from; i < n; i++) {
            if (main.pairs[i] != null) {
                return i;
            }
        }
        if (old != null) {
            for (int i = Math.max(from - n, drainIndex); i < old.length(); i++) {
                if (old.pairs[i] != null) {
                    return n + i;
                }
            }
        }
        return -1;
    }

    /** A uniformly random occupied slot; the table must not be empty. */
    public int randomSlot(RandomGenerator random) {
        if (size == 0) {
            throw new IllegalStateException("empty table");
        }
        int n = main.length();
        int total = old == null ? n : n + old.length();
        while (true) {
            int i = random.nextInt(total);
            if (pair(i) != null) {
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
     * (masked), in both slot arrays while resizing, and returns the next cursor, 0 when the walk
     * is complete. The visitor must not change the table.
     */
    public long scan(long cursor, SlotVisitor visitor) {
        if (old == null) {
            long m = main.mask;
            main.visitHome((int) (cursor & m), 0, visitor);
            return increment(cursor, m);
        }
        // Visit the home slot in the smaller array, then all that expand it in the larger.
        boolean mainSmaller = main.length() < old.length();
        Slots small = mainSmaller ? main : old;
        Slots large = mainSmaller ? old : main;
        int smallBase = mainSmaller ? 0 : main.length();
        int largeBase = mainSmaller ? main.length() : 0;
        long m0 = small.mask;
        long m1 = large.mask;
        small.visitHome((int) (cursor & m0), smallBase, visitor);
        do {
            large.visitHome((int) (cursor & m1), largeBase, visitor);
            cursor = increment(cursor, m1);
        } while ((cursor & (m0 ^ m1)) != 0);
        return cursor;
    }

    /** Increments the bits of the cursor under {@code mask} in reverse order (Redis's rev/++/rev). */
    private static long increment(long cursor, long mask) {
        long v = cursor | ~mask;
        v = Long.reverse(v);
        v++;
        return Long.reverse(v);
    }

    // ------------------------------------------------------------------------------------------
    // Encoding and hashing

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
