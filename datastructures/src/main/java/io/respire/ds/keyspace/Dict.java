package io.respire.ds.keyspace;

import io.respire.ds.util.BucketTables;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A hash table from binary-safe {@code byte[]} keys to non-null {@code Object} values, modelled on
 * Redis's {@code dict.c}. It is shaped by two concerns:
 *
 * <p><b>Latency.</b> A table that rehashes everything at once stalls the server for hundreds of
 * milliseconds once it holds millions of keys. Like Redis, this table keeps two bucket arrays
 * while it resizes and moves at most one non-empty bucket (visiting at most ten empty ones) per
 * lookup, insert or delete, plus whatever the server cron asks for through {@link #rehashStep}
 * and {@link #rehashMilliseconds}. Sizes are powers of two; it grows when it holds as many keys
 * as buckets and shrinks when under 10% full (never below 4 buckets), as Redis's
 * {@code _dictExpandIfNeeded} and {@code htNeedsResize}. SCAN uses Redis's reverse-binary cursor
 * ({@link #scan}), which stays valid across any number of resizes. (One cost remains
 * proportional to the size: the JVM zeroes a new bucket array when it is allocated, about 1 ms
 * per 8 MB, i.e. per 2M buckets.) The resize policy, rehash loop, SCAN cursor and sampling walk
 * are shared with the sets' {@code MemberTable} in {@link BucketTables}.
 *
 * <p><b>Memory.</b> Everything per key is kept as small as a 64-bit JVM with compressed oops
 * allows: separate chaining through {@link Entry} objects of 32 bytes (12-byte header, key, value,
 * next, and an {@code int} for LRU/LFU information) and 4 bytes per bucket. The hash code is not
 * cached in the entry (that would cost 8 more bytes per key after alignment); it is recomputed
 * when a bucket moves during growth, and not at all when shrinking (the new index is the old one
 * masked). Keys with a time to live use the subclass {@link ExpiringEntry} (40 bytes) which also
 * carries its position in an array-backed <em>expiry index</em>, so that active expiry can sample
 * keys with a TTL in O(1) each for 4 bytes per such key, instead of a second hash table as Redis's
 * {@code expires} dict. Setting or removing a TTL therefore replaces the entry object in its chain
 * (see {@link #setExpireAt} and {@link #persist}): do not hold on to an {@link Entry} across such
 * calls.
 *
 * <p>The hash is a seeded folded-multiply hash in the style of wyhash over 8-byte little-endian
 * words, with a random secret per instance so that clients cannot plan collisions. It is not a
 * cryptographic PRF like Redis's SipHash, but the secrets blind every input word, and it costs a
 * few nanoseconds for typical keys.
 *
 * <p>Keys are taken over, not copied: callers must not change a key array after passing it in.
 * Not thread-safe and deliberately without any synchronization: one thread (the server's
 * executor) owns all the data.
 */
public final class Dict {
    /**
     * An entry of the table: a key, its value and the LRU/LFU information. The {@code lru} field
     * also holds, in its top 8 bits, the epoch of the last snapshot that recorded the entry (see
     * {@link SnapshotGate}): LRU clocks and LFU fields are 24 bits wide, so the epoch costs no
     * memory (an extra field would grow every entry with a TTL by 8 bytes).
     */
    public static class Entry {
        final byte[] key;
        Object value;
        Entry next;
        int lru;

        Entry(byte[] key, Object value) {
            this.key = key;
            this.value = value;
        }

        /** The key; do not modify it. */
        public final byte[] key() {
            return key;
        }

        public final Object value() {
            return value;
        }

        /** The LRU clock or LFU counter (24 bits), for eviction and OBJECT IDLETIME / OBJECT FREQ. */
        public final int lru() {
            return lru & LRU_MASK;
        }

        /** Sets the LRU clock or LFU counter; only its low 24 bits are kept. */
        public final void lru(int lru) {
            this.lru = (this.lru & ~LRU_MASK) | (lru & LRU_MASK);
        }

        final int epoch() {
            return lru >>> EPOCH_SHIFT;
        }

        final void epoch(int epoch) {
            lru = (lru & LRU_MASK) | (epoch << EPOCH_SHIFT);
        }

        /** The absolute expiry time in ms, or -1 when the key has none. */
        public long expireAt() {
            return -1;
        }
    }

    /** An entry whose key has an expiry time; it knows its slot in the expiry index. */
    public static final class ExpiringEntry extends Entry {
        long expireAt;
        int expiryIndex;

        ExpiringEntry(byte[] key, Object value, int lru, long expireAt) {
            super(key, value);
            this.lru = lru;
            this.expireAt = expireAt;
        }

        @Override
        public long expireAt() {
            return expireAt;
        }
    }

    /**
     * What a point-in-time snapshot hangs on the table while it runs: told of an entry that is
     * about to change (its value replaced or changed in place, its expiry set or removed, the
     * entry deleted) while the snapshot has not recorded it yet, so that it can record the entry
     * as it still is. It must only read the entry, never change the table.
     */
    public interface SnapshotGate {
        void beforeChange(Entry e);
    }

    private static final int EPOCH_SHIFT = 24;
    private static final int LRU_MASK = (1 << EPOCH_SHIFT) - 1;
    /** Epochs are 1..255 (8 bits); 0 is never used, so an entry made before any snapshot is pending. */
    private static final int MAX_EPOCH = 255;

    /** The smallest table (for tests; the policy is in {@link BucketTables}). */
    static final int INITIAL_SIZE = BucketTables.INITIAL_SIZE;

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ExpiringEntry[] NO_EXPIRING = new ExpiringEntry[0];
    private static final long SEED_BASE = new SecureRandom().nextLong();
    private static final AtomicLong SEED_COUNTER = new AtomicLong();

    /** The main table; null while empty. While rehashing, entries move from here to t1. */
    private Entry[] t0;
    /** The table being rehashed into, or null. */
    private Entry[] t1;
    private int used0;
    private int used1;
    /** The next bucket of t0 to move, or -1 when not rehashing. */
    private int rehashIdx = -1;
    /** While positive, lookups do not move buckets (during scan and forEach). */
    private int pauseRehash;
    /** Counts structural changes, to detect modification during {@link #forEach}. */
    private int modCount;
    private final long k0;
    private final long k1;
    private ExpiringEntry[] expiring = NO_EXPIRING;
    private int expiringCount;
    /** Redis's HASHTABLE_MAX_LOAD_FACTOR: past it the table grows even when the policy refuses. */
    static final double MAX_LOAD_FACTOR = 1.618;
    /** Whether a growth that costs the given bytes may happen (see {@link #expandPolicy}). */
    private java.util.function.LongPredicate expandAllowed = bytes -> true;
    /** The LRU/LFU value new entries start with (see {@link #newEntryLru}). */
    private int newEntryLru;
    /** The epoch of the running snapshot, or of the last one: new entries are stamped with it. */
    private int epoch;
    /** The epoch of the last snapshot that recorded every entry (all entries carry it or a later one). */
    private int completedEpoch;
    /** The running snapshot's gate, or null. */
    private SnapshotGate gate;

    /** A table with a fresh random hash secret. */
    public Dict() {
        this(mix64(SEED_BASE + SEED_COUNTER.incrementAndGet() * 0x9E3779B97F4A7C15L));
    }

    /** A table with the hash secret derived from {@code seed} (for reproducible tests). */
    public Dict(long seed) {
        this.k0 = mix64(seed) | 1;
        this.k1 = mix64(seed + 0x9E3779B97F4A7C15L) | 1;
    }

    // ------------------------------------------------------------------------------------------
    // Hashing

    /** The 64-bit seeded hash of the key bytes; the bucket is its low bits. */
    public long hash(byte[] k) {
        final int n = k.length;
        long s = k0;
        long a;
        long b;
        if (n <= 16) {
            if (n >= 8) {
                a = (long) LONG_LE.get(k, 0);
                b = (long) LONG_LE.get(k, n - 8);
            } else if (n >= 4) {
                a = (int) INT_LE.get(k, 0) & 0xFFFFFFFFL;
                b = (int) INT_LE.get(k, n - 4) & 0xFFFFFFFFL;
            } else if (n > 0) {
                a = ((k[0] & 0xFFL) << 16) | ((k[n >> 1] & 0xFFL) << 8) | (k[n - 1] & 0xFFL);
                b = 0;
            } else {
                a = 0;
                b = 0;
            }
        } else {
            int i = 0;
            do {
                s = fold((long) LONG_LE.get(k, i) ^ k1, (long) LONG_LE.get(k, i + 8) ^ s);
                i += 16;
            } while (n - i > 16);
            a = (long) LONG_LE.get(k, n - 16);
            b = (long) LONG_LE.get(k, n - 8);
        }
        a ^= k1;
        b ^= s;
        long lo = a * b;
        long hi = Math.multiplyHigh(a, b);
        return fold(lo ^ k0 ^ n, hi ^ k1);
    }

    /** Folded multiply: the xor of the two halves of the 128-bit product. */
    private static long fold(long a, long b) {
        return a * b ^ Math.multiplyHigh(a, b);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ------------------------------------------------------------------------------------------
    // Size and state

    public int size() {
        return used0 + used1;
    }

    public boolean isEmpty() {
        return used0 + used1 == 0;
    }

    public boolean isRehashing() {
        return rehashIdx != -1;
    }

    /** Number of buckets of the main table (0 when never used or cleared). */
    public int buckets() {
        return t0 == null ? 0 : t0.length;
    }

    /** Number of buckets of the table being rehashed into, 0 when not rehashing. */
    public int rehashTargetBuckets() {
        return t1 == null ? 0 : t1.length;
    }

    /** The next bucket of the main table that rehashing will move, -1 when not rehashing. */
    public int rehashIndex() {
        return rehashIdx;
    }

    /** Number of keys that have an expiry time. */
    public int expiresSize() {
        return expiringCount;
    }

    /**
     * Removes everything in O(1) (the garbage collector reclaims the tables). While a snapshot
     * runs, the entries it has not recorded yet are handed to its gate first, which takes time in
     * proportion to them: {@link Database#clear} avoids that by leaving this table to the snapshot.
     */
    public void clear() {
        if (gate != null) {
            forEach(this::beforeChange);
        }
        t0 = null;
        t1 = null;
        used0 = 0;
        used1 = 0;
        rehashIdx = -1;
        expiring = NO_EXPIRING;
        expiringCount = 0;
        modCount++;
    }

    // ------------------------------------------------------------------------------------------
    // Lookup

    /** The entry of the key or null; performs a rehash step as Redis's dictFind. */
    public Entry find(byte[] key) {
        if (used0 + used1 == 0) {
            return null;
        }
        if (rehashIdx != -1 && pauseRehash == 0) {
            rehash(1);
        }
        return find(key, hash(key));
    }

    /** The entry of the key or null, without any side effect (not even a rehash step). */
    public Entry peek(byte[] key) {
        if (used0 + used1 == 0) {
            return null;
        }
        return find(key, hash(key));
    }

    /** The value of the key, or null. */
    public Object get(byte[] key) {
        Entry e = find(key);
        return e == null ? null : e.value;
    }

    public boolean containsKey(byte[] key) {
        return find(key) != null;
    }

    private Entry find(byte[] key, long h) {
        Entry[] t = t0;
        int i = (int) h & (t.length - 1);
        if (i >= rehashIdx) { // buckets of t0 below rehashIdx are empty: save a cache miss
            for (Entry e = t[i]; e != null; e = e.next) {
                if (e.key == key || Arrays.equals(e.key, key)) {
                    return e;
                }
            }
        }
        t = t1;
        if (t != null) {
            for (Entry e = t[(int) h & (t.length - 1)]; e != null; e = e.next) {
                if (e.key == key || Arrays.equals(e.key, key)) {
                    return e;
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------
    // Insert, overwrite, delete

    /**
     * Strings ({@code byte[]} values) of at most this many bytes are copied when stored, never kept
     * as given, so that the table owns their arrays and may write a later value of the same length
     * into one (see {@link #set}). Larger ones are kept as given and never written into: copying
     * each would cost more than the collector's work it saves.
     */
    public static final int OWNED_STRING_LIMIT = 1024;

    /**
     * Sets the value of the key, adding it if absent. An existing key keeps its expiry time when
     * {@code keepExpiry}, and loses it otherwise (as Redis's setKey with and without KEEPTTL).
     * Returns the previous value, or null if the key was added.
     *
     * <p>A string of at most {@link #OWNED_STRING_LIMIT} bytes is copied, not kept: when the key
     * already holds a string of the same length (and keeps its expiry, or has none), its bytes are
     * written into that array, which is then also what this returns. The entry then points at no
     * new object, so a young collection has no card of the old generation to scan for it and no
     * value to promote: under SET load over a million keys, G1's young pauses (JDK 17) went from
     * 60-170 ms to 3-5 ms once the keys existed. A stored array must therefore never be shared:
     * a command that reads one copies what it keeps beyond its own run.
     */
    public Object set(byte[] key, Object value, boolean keepExpiry) {
        Objects.requireNonNull(value, "value");
        if (rehashIdx != -1 && pauseRehash == 0) {
            rehash(1);
        }
        long h = hash(key);
        Entry e = t0 == null ? null : find(key, h);
        if (e == null) {
            insert(key, owned(value), h);
            return null;
        }
        beforeChange(e);
        Object old = e.value;
        if (value instanceof byte[] bytes && old instanceof byte[] current && current.length == bytes.length
                && bytes.length <= OWNED_STRING_LIMIT && (keepExpiry || !(e instanceof ExpiringEntry))) {
            System.arraycopy(bytes, 0, current, 0, bytes.length);
            return old;
        }
        value = owned(value);
        if (!keepExpiry && e instanceof ExpiringEntry x) {
            Entry plain = new Entry(x.key, value);
            plain.lru = x.lru;
            replaceInChain(x, plain, h);
            unindex(x);
        } else {
            e.value = value;
        }
        return old;
    }

    /** The value to store: a copy of a string short enough to be written into later (see {@link #set}). */
    private static Object owned(Object value) {
        return value instanceof byte[] bytes && bytes.length <= OWNED_STRING_LIMIT ? bytes.clone() : value;
    }

    /** Sets the value of the key keeping any expiry time; returns the previous value or null. */
    public Object put(byte[] key, Object value) {
        return set(key, value, true);
    }

    /** Adds the key only if absent (Redis's dictAdd); returns whether it was added. */
    public boolean add(byte[] key, Object value) {
        Objects.requireNonNull(value, "value");
        if (rehashIdx != -1 && pauseRehash == 0) {
            rehash(1);
        }
        long h = hash(key);
        if (t0 != null && find(key, h) != null) {
            return false;
        }
        insert(key, owned(value), h);
        return true;
    }

    /**
     * Sets the LRU/LFU value that entries added from now on start with: the owner's current LRU
     * clock, or its initial LFU counter, as Redis's createObject stamps a new object.
     */
    public void newEntryLru(int lru) {
        this.newEntryLru = lru & LRU_MASK;
    }

    private void insert(byte[] key, Object value, long h) {
        expandIfNeeded();
        Entry e = new Entry(key, value);
        e.lru = newEntryLru | (epoch << EPOCH_SHIFT); // a key made after a snapshot's instant is not in it
        if (t1 != null) {
            Entry[] t = t1;
            int i = (int) h & (t.length - 1);
            e.next = t[i];
            t[i] = e;
            used1++;
        } else {
            Entry[] t = t0;
            int i = (int) h & (t.length - 1);
            e.next = t[i];
            t[i] = e;
            used0++;
        }
        modCount++;
    }

    /** Removes the key; returns its entry (with value and expiry), or null if absent. */
    public Entry remove(byte[] key) {
        if (used0 + used1 == 0) {
            return null;
        }
        if (rehashIdx != -1 && pauseRehash == 0) {
            rehash(1);
        }
        long h = hash(key);
        Entry e = unlink(key, null, h);
        if (e != null) {
            beforeChange(e); // unlinked but intact: the gate reads it as it was
            afterRemove(e);
        }
        return e;
    }

    /** Removes this very entry (for instance one sampled from the expiry index). */
    public boolean removeEntry(Entry entry) {
        if (used0 + used1 == 0) {
            return false;
        }
        Entry e = unlink(entry.key, entry, hash(entry.key));
        if (e != null) {
            beforeChange(e);
            afterRemove(e);
            return true;
        }
        return false;
    }

    private void afterRemove(Entry e) {
        if (e instanceof ExpiringEntry x) {
            unindex(x);
        }
        modCount++;
        if (rehashIdx != -1) {
            if (used0 == 0 && pauseRehash == 0) {
                rehash(0); // deletions emptied the old table: the resize is complete
            }
        } else {
            shrinkIfNeeded();
        }
    }

    /** Unlinks the entry equal to {@code key} (or, if {@code which} is given, identical to it). */
    private Entry unlink(byte[] key, Entry which, long h) {
        for (int table = 0; table <= 1; table++) {
            Entry[] t = table == 0 ? t0 : t1;
            if (t == null) {
                break;
            }
            int i = (int) h & (t.length - 1);
            Entry prev = null;
            for (Entry e = t[i]; e != null; prev = e, e = e.next) {
                if (which != null ? e == which : e.key == key || Arrays.equals(e.key, key)) {
                    if (prev == null) {
                        t[i] = e.next;
                    } else {
                        prev.next = e.next;
                    }
                    e.next = null;
                    if (table == 0) {
                        used0--;
                    } else {
                        used1--;
                    }
                    return e;
                }
            }
        }
        return null;
    }

    /** Puts {@code replacement} where {@code old} is in its chain. */
    private void replaceInChain(Entry old, Entry replacement, long h) {
        for (int table = 0; table <= 1; table++) {
            Entry[] t = table == 0 ? t0 : t1;
            if (t == null) {
                break;
            }
            int i = (int) h & (t.length - 1);
            Entry prev = null;
            for (Entry e = t[i]; e != null; prev = e, e = e.next) {
                if (e == old) {
                    replacement.next = old.next;
                    if (prev == null) {
                        t[i] = replacement;
                    } else {
                        prev.next = replacement;
                    }
                    old.next = null;
                    modCount++;
                    return;
                }
            }
        }
        throw new IllegalStateException("entry not in its chain");
    }

    // ------------------------------------------------------------------------------------------
    // Point-in-time snapshots

    /**
     * Starts a snapshot of the table as it is now: from here on, {@code gate} hears of every
     * entry present now before it first changes, and entries added from now on are not part of
     * the snapshot. The snapshot's walker visits the entries with {@link #scan} and records those
     * that are {@link #snapshotPending}. One snapshot at a time.
     */
    public void startSnapshot(SnapshotGate gate) {
        if (this.gate != null) {
            throw new IllegalStateException("a snapshot is already running on this table");
        }
        int next = epoch == MAX_EPOCH ? 1 : epoch + 1;
        if (next == completedEpoch) {
            // 254 snapshots in a row gave up before the end: some entries may still carry this
            // epoch from the last complete one. Rare enough to restart the count the slow way.
            forEach(e -> e.epoch(0));
            completedEpoch = 0;
            next = 1;
        }
        epoch = next;
        this.gate = gate;
    }

    /** Ends the running snapshot; {@code complete} if it recorded every entry (then all carry its epoch). */
    public void endSnapshot(boolean complete) {
        gate = null;
        if (complete) {
            completedEpoch = epoch;
        }
    }

    /** Whether a snapshot is running on this table. */
    public boolean snapshotRunning() {
        return gate != null;
    }

    /** Whether the running snapshot has still to record {@code e}. */
    public boolean snapshotPending(Entry e) {
        return gate != null && e.epoch() != epoch;
    }

    /** Notes that the running snapshot has recorded {@code e}: neither its walker nor its gate will again. */
    public void snapshotRecorded(Entry e) {
        e.epoch(epoch);
    }

    /**
     * The write gate for a change the table cannot see: the value of {@code e} is about to be
     * changed in place (a collection after a lookup for writing).
     */
    public void beforeChange(Entry e) {
        if (gate != null && e.epoch() != epoch) {
            e.epoch(epoch);
            gate.beforeChange(e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Expiry

    /** The absolute expiry time in ms of the key, or -1 when it has none or does not exist. */
    public long expireAt(byte[] key) {
        Entry e = find(key);
        return e instanceof ExpiringEntry x ? x.expireAt : -1;
    }

    /** Sets the absolute expiry time of an existing key; returns false if the key is absent. */
    public boolean setExpireAt(byte[] key, long whenMs) {
        if (used0 + used1 == 0) {
            return false;
        }
        if (rehashIdx != -1 && pauseRehash == 0) {
            rehash(1);
        }
        long h = hash(key);
        Entry e = find(key, h);
        if (e == null) {
            return false;
        }
        beforeChange(e);
        if (e instanceof ExpiringEntry x) {
            x.expireAt = whenMs;
        } else {
            ExpiringEntry x = new ExpiringEntry(e.key, e.value, e.lru, whenMs);
            replaceInChain(e, x, h);
            index(x);
        }
        return true;
    }

    /** Removes the expiry time of the key; returns whether it had one. */
    public boolean persist(byte[] key) {
        if (expiringCount == 0) {
            return false;
        }
        if (rehashIdx != -1 && pauseRehash == 0) {
            rehash(1);
        }
        long h = hash(key);
        Entry e = find(key, h);
        if (!(e instanceof ExpiringEntry x)) {
            return false;
        }
        beforeChange(x);
        Entry plain = new Entry(x.key, x.value);
        plain.lru = x.lru;
        replaceInChain(x, plain, h);
        unindex(x);
        return true;
    }

    /** A uniformly random entry among those with an expiry time, or null if there are none. */
    public ExpiringEntry randomExpiring(RandomGenerator random) {
        int n = expiringCount;
        return n == 0 ? null : expiring[n == 1 ? 0 : random.nextInt(n)];
    }

    private void index(ExpiringEntry x) {
        if (expiringCount == expiring.length) {
            int cap = expiring.length;
            expiring = Arrays.copyOf(expiring, Math.max(8, cap + (cap >> 1)));
        }
        x.expiryIndex = expiringCount;
        expiring[expiringCount++] = x;
    }

    private void unindex(ExpiringEntry x) {
        int i = x.expiryIndex;
        int last = --expiringCount;
        ExpiringEntry moved = expiring[last];
        expiring[i] = moved;
        moved.expiryIndex = i;
        expiring[last] = null;
        x.expiryIndex = -1;
        if (expiring.length > 64 && expiringCount < expiring.length >> 2) {
            expiring = Arrays.copyOf(expiring, expiring.length >> 1);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Resizing and incremental rehashing

    /** Redis's _dictExpandIfNeeded: grow at load factor 1, unless already rehashing. */
    private void expandIfNeeded() {
        if (t0 == null) {
            t0 = new Entry[INITIAL_SIZE];
            return;
        }
        if (rehashIdx != -1) {
            return;
        }
        if (BucketTables.mayGrow(used0, t0.length)
                && (used0 > t0.length * MAX_LOAD_FACTOR || expandAllowed.test(2L * t0.length * 4))) {
            resize(used0 + 1);
        }
    }

    /**
     * Sets who may refuse a growth of the table that costs the given bytes (Redis's
     * dictExpandAllowed: not past maxmemory). A refused table keeps filling its buckets, and
     * grows anyway beyond {@value #MAX_LOAD_FACTOR} keys per bucket.
     */
    public void expandPolicy(java.util.function.LongPredicate allowed) {
        this.expandAllowed = allowed;
    }

    /**
     * Starts shrinking the table if it is under 10% full and not already rehashing (Redis's
     * tryResizeHashTables, for the server cron; deletions check this too). Returns whether it did.
     */
    public boolean shrinkIfNeeded() {
        if (rehashIdx != -1 || t0 == null || !BucketTables.mayShrink(used0, t0.length)) {
            return false;
        }
        resize(used0);
        return true;
    }

    /**
     * The tables' statistics as Redis's dictGetStats words them (DEBUG HTSTATS): size, elements,
     * chain lengths; the rehashing target's too while a rehash runs.
     */
    public String stats() {
        StringBuilder out = new StringBuilder();
        BucketTables.stats(out, 0, t0, used0, Dict::chainLength);
        if (rehashIdx != -1) {
            BucketTables.stats(out, 1, t1, used1, Dict::chainLength);
        }
        return out.toString();
    }

    /** How many entries the non-empty bucket {@code head} chains. */
    private static int chainLength(Object head) {
        int length = 0;
        for (Entry e = (Entry) head; e != null; e = e.next) {
            length++;
        }
        return length;
    }

    /**
     * Redis's dictExpand: room for {@code size} keys at once, before a bulk insertion (a load)
     * that would otherwise rehash its way up through every power of two. Nothing while a rehash
     * runs, or if the table is already that large.
     */
    public void expand(int size) {
        if (rehashIdx != -1 || size < used0) {
            return;
        }
        if (t0 == null) {
            t0 = new Entry[BucketTables.tableSizeFor(size)];
        } else if (BucketTables.tableSizeFor(size) > t0.length) {
            resize(size);
        }
    }

    /** Starts rehashing into a table of the power of two at least {@code size} (min 4). */
    private void resize(int size) {
        int n = BucketTables.tableSizeFor(size);
        if (n == t0.length) {
            return;
        }
        if (used0 == 0) {
            t0 = new Entry[n];
            modCount++;
            return;
        }
        t1 = new Entry[n];
        used1 = 0;
        rehashIdx = 0;
    }

    /**
     * Redis's dictRehash: moves up to {@code n} non-empty buckets from the old table to the new,
     * visiting at most {@code 10 n} empty buckets. Returns true if there is more to move; false
     * also when the resize policy holds the rehash off for now ({@link BucketTables#mayRehash}).
     */
    private boolean rehash(int n) {
        if (rehashIdx == -1 || used0 != 0 && !BucketTables.mayRehash(t0.length, t1.length)) {
            return false;
        }
        rehashIdx = BucketTables.rehash(this, t0, rehashIdx, n, used0, Dict::moveBucket);
        modCount++;
        if (used0 != 0) {
            return true;
        }
        t0 = t1;
        used0 = used1;
        t1 = null;
        used1 = 0;
        rehashIdx = -1;
        shrinkIfNeeded();
        return rehashIdx != -1;
    }

    /** Moves the chain of bucket {@code idx} of t0 into t1; returns how many entries t0 still has. */
    private int moveBucket(int idx) {
        final Entry[] to = t1;
        final int mask = to.length - 1;
        final boolean shrinking = to.length < t0.length; // then the new index is the old one masked
        Entry e = t0[idx];
        t0[idx] = null;
        int moved = 0;
        while (e != null) {
            Entry next = e.next;
            int j = shrinking ? idx & mask : (int) hash(e.key) & mask;
            e.next = to[j];
            to[j] = e;
            moved++;
            e = next;
        }
        used0 -= moved;
        used1 += moved;
        return used0;
    }

    /**
     * Performs {@code n} rehash steps (each moving one non-empty bucket), unless rehashing is
     * paused. Returns true if there is more to move.
     */
    public boolean rehashStep(int n) {
        if (pauseRehash > 0) {
            return rehashIdx != -1;
        }
        return rehash(Math.max(1, n));
    }

    /**
     * Rehashes in batches of 100 buckets for about {@code ms} milliseconds (Redis's
     * dictRehashMilliseconds, for the server cron). Returns the number of buckets moved, roughly.
     */
    public int rehashMilliseconds(long ms) {
        if (pauseRehash > 0 || rehashIdx == -1) {
            return 0;
        }
        long deadline = System.nanoTime() + ms * 1_000_000L;
        int rehashes = 0;
        while (rehash(100)) {
            rehashes += 100;
            if (System.nanoTime() - deadline > 0) {
                break;
            }
        }
        return rehashes;
    }

    // ------------------------------------------------------------------------------------------
    // Iteration

    /**
     * One call of Redis's dictScan: calls {@code visitor} with the entries of the bucket the
     * cursor designates (and, while rehashing, of all its expansions in the larger table) and
     * returns the next cursor, 0 when the iteration is over. Start with cursor 0. Every key
     * present for the whole iteration is visited at least once, however the table grows or
     * shrinks between calls; some may be visited more than once. The visitor must not modify
     * the table (collect the entries and act on them afterwards, as Redis's SCAN does).
     */
    public long scan(long cursor, Consumer<? super Entry> visitor) {
        if (used0 + used1 == 0) {
            return 0;
        }
        pauseRehash++;
        try {
            return BucketTables.scan(t0, t1, cursor, Dict::emit, visitor);
        } finally {
            pauseRehash--;
        }
    }

    private static void emit(Object bucket, Consumer<? super Entry> visitor) {
        Entry e = (Entry) bucket;
        while (e != null) {
            Entry next = e.next;
            visitor.accept(e);
            e = next;
        }
    }

    /**
     * Calls {@code visitor} for every entry. The visitor must not modify the table (no insert,
     * delete, expiry change, nor lookups that expire keys): this is checked on a best-effort
     * basis and throws {@link ConcurrentModificationException}. Rehashing is paused meanwhile, so
     * plain lookups are allowed.
     */
    public void forEach(Consumer<? super Entry> visitor) {
        if (used0 + used1 == 0) {
            return;
        }
        pauseRehash++;
        try {
            int expected = modCount;
            for (int table = 0; table <= 1; table++) {
                Entry[] t = table == 0 ? t0 : t1;
                if (t == null) {
                    break;
                }
                for (int i = table == 0 && rehashIdx > 0 ? rehashIdx : 0; i < t.length; i++) {
                    for (Entry e = t[i]; e != null; e = e.next) {
                        visitor.accept(e);
                        if (modCount != expected) {
                            throw new ConcurrentModificationException("Dict modified in forEach");
                        }
                    }
                }
            }
        } finally {
            pauseRehash--;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Random sampling

    /**
     * Redis's dictGetRandomKey: a random non-empty bucket, then a random entry of its chain; null
     * when empty. Entries in longer chains are slightly less likely; see {@link #fairRandomEntry}.
     */
    public Entry randomEntry(RandomGenerator random) {
        if (used0 + used1 == 0) {
            return null;
        }
        if (rehashIdx != -1 && pauseRehash == 0) {
            rehash(1);
        }
        Entry he = (Entry) BucketTables.randomBucket(t0, t1, rehashIdx, random);
        int len = 0;
        for (Entry e = he; e != null; e = e.next) {
            len++;
        }
        for (int k = BucketTables.pick(len, random); k > 0; k--) {
            he = he.next;
        }
        return he;
    }

    /**
     * Redis's dictGetSomeKeys: stores up to {@code count} entries found from a random position
     * (walking consecutive buckets, jumping elsewhere after long empty runs) into {@code out} and
     * returns how many. Not guaranteed distinct or uniformly distributed; for eviction sampling.
     */
    public int sampleEntries(Entry[] out, int count, RandomGenerator random) {
        count = Math.min(Math.min(count, used0 + used1), out.length);
        if (count <= 0) {
            return 0;
        }
        for (int j = 0; j < count && rehashIdx != -1 && pauseRehash == 0; j++) {
            rehash(1);
        }
        return BucketTables.sample(t0, t1, rehashIdx, out, count, random, Dict::drain);
    }

    /** Offers the entries of a chain to a sample (see {@link BucketTables#sample}). */
    private static int drain(Object bucket, Object[] out, int seen, int count, RandomGenerator random) {
        for (Entry e = (Entry) bucket; e != null; e = e.next) {
            BucketTables.offer(e, out, seen++, count, random);
        }
        return seen;
    }

    /**
     * Redis's dictGetFairRandomKey: a random entry of a sample of up to 15 taken by
     * {@link #sampleEntries}, which offsets the bias against long chains of
     * {@link #randomEntry}; null when empty.
     */
    public Entry fairRandomEntry(RandomGenerator random) {
        if (used0 + used1 == 0) {
            return null;
        }
        Entry[] sample = new Entry[BucketTables.FAIR_SAMPLE];
        int n = sampleEntries(sample, sample.length, random);
        return n == 0 ? randomEntry(random) : sample[BucketTables.pick(n, random)];
    }

    // ------------------------------------------------------------------------------------------
    // Diagnostics (tests, DEBUG HTSTATS)

    /** Length of the longest chain in either table. */
    int longestChain() {
        int max = 0;
        for (Entry[] t : new Entry[][] {t0, t1}) {
            if (t == null) {
                continue;
            }
            for (Entry head : t) {
                int len = 0;
                for (Entry e = head; e != null; e = e.next) {
                    len++;
                }
                max = Math.max(max, len);
            }
        }
        return max;
    }

    /** Checks the internal invariants (counts, chains, expiry index); for tests. */
    void checkInvariants() {
        int c0 = 0;
        int c1 = 0;
        int withTtl = 0;
        if (t0 != null) {
            for (int i = 0; i < t0.length; i++) {
                for (Entry e = t0[i]; e != null; e = e.next) {
                    if (rehashIdx != -1 && i < rehashIdx) {
                        throw new AssertionError("entry below rehashIdx");
                    }
                    if (((int) hash(e.key) & (t0.length - 1)) != i) {
                        throw new AssertionError("entry in wrong bucket of t0");
                    }
                    c0++;
                    withTtl += checkIndexed(e);
                }
            }
        }
        if (t1 != null) {
            for (int i = 0; i < t1.length; i++) {
                for (Entry e = t1[i]; e != null; e = e.next) {
                    if (((int) hash(e.key) & (t1.length - 1)) != i) {
                        throw new AssertionError("entry in wrong bucket of t1");
                    }
                    c1++;
                    withTtl += checkIndexed(e);
                }
            }
        }
        if (c0 != used0 || c1 != used1) {
            throw new AssertionError("counts " + c0 + "/" + used0 + " " + c1 + "/" + used1);
        }
        if (withTtl != expiringCount) {
            throw new AssertionError("expiry index " + withTtl + " != " + expiringCount);
        }
        if ((rehashIdx == -1) != (t1 == null)) {
            throw new AssertionError("rehash state");
        }
    }

    private int checkIndexed(Entry e) {
        if (e instanceof ExpiringEntry x) {
            if (x.expiryIndex < 0 || x.expiryIndex >= expiringCount || expiring[x.expiryIndex] != x) {
                throw new AssertionError("expiry index broken");
            }
            return 1;
        }
        return 0;
    }
}
