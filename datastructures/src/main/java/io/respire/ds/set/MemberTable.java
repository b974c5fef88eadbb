package io.respire.ds.set;

import io.respire.ds.keyspace.Dict;
import io.respire.ds.util.BucketTables;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A hash table of elements identified by a binary-safe {@code byte[]} member: the "hashtable"
 * encoding of sets (elements are the members themselves) and the member index of sorted sets
 * (elements are skiplist nodes). It keeps the behaviour of Redis's dict that clients can observe,
 * and spends as little memory per element as the JVM allows.
 *
 * <p><b>Behaviour.</b> Power-of-two bucket arrays that grow when the table holds as many elements
 * as buckets and shrink below 10% fill (never under 4 buckets), as Redis's dict with the set and
 * zset call sites' {@code htNeedsResize}, under the resize policy of every table
 * ({@link BucketTables#resizeAllowed}: none while a background save runs, unless the table is
 * five times too small or large). Resizing is incremental: while a second table exists, every
 * insertion, removal and random draw moves one bucket (visiting at most ten empty ones), so that
 * no command stalls on a table of millions. {@link #scan} is Redis's reverse-binary cursor
 * (dictScan), with the same guarantee across resizes; {@link #fairRandom} is
 * dictGetFairRandomKey. Lookups and iteration never move buckets, so a table may be read
 * (including from within {@link #forEach}) while it is iterated; random draws may.
 *
 * <p><b>Memory.</b> There is no entry object: a bucket holds its single element directly, or an
 * exact-length {@code Object[]} when several elements collide (about a quarter of buckets at the
 * full load factor). That is 4 bytes of bucket plus about 6 bytes of collision arrays per
 * element, against Redis's 8-byte bucket and 24-byte dictEntry. Elements must therefore never be
 * {@code Object[]} themselves. Hash codes are not cached; they are recomputed when a bucket moves.
 *
 * <p>The hash is {@link Dict#hash}, with one secret per process. The resize policy, rehash loop,
 * SCAN cursor and sampling walk are Dict's too, in {@link BucketTables}. Not thread-safe.
 */
public abstract class MemberTable<E> {
    /** Shared only for its seeded hash function: it is never written to. */
    private static final Dict HASHER = new Dict();

    /** The main table, null while empty; while resizing, buckets move from here to t1. */
    private Object[] t0;
    private Object[] t1;
    private int size;
    /** While resizing, how many elements are still in t0. */
    private int inOld;
    /** The next bucket of t0 to move, or -1 when not resizing. */
    private int rehashIdx = -1;

    protected MemberTable() {
    }

    /** The member that identifies an element. */
    protected abstract byte[] memberOf(E element);

    private static long hash(byte[] member) {
        return HASHER.hash(member);
    }

    public final int size() {
        return size;
    }

    public final boolean isEmpty() {
        return size == 0;
    }

    /** Number of buckets of the main table (for tests and memory estimates). */
    public final int buckets() {
        return t0 == null ? 0 : t0.length;
    }

    public final boolean isRehashing() {
        return rehashIdx != -1;
    }

    // ------------------------------------------------------------------------------------------
    // Lookup, insertion, removal

    /** The element with this member, or null. */
    public final E find(byte[] member) {
        if (size == 0) {
            return null;
        }
        long h = hash(member);
        E e = findIn(t0, h, member);
        if (e == null && t1 != null) {
            e = findIn(t1, h, member);
        }
        return e;
    }

    public final boolean contains(byte[] member) {
        return find(member) != null;
    }

    @SuppressWarnings("unchecked")
    private E findIn(Object[] t, long h, byte[] member) {
        Object slot = t[(int) h & (t.length - 1)];
        if (slot instanceof Object[] chain) {
            for (Object o : chain) {
                if (Arrays.equals(memberOf((E) o), member)) {
                    return (E) o;
                }
            }
            return null;
        }
        return slot != null && Arrays.equals(memberOf((E) slot), member) ? (E) slot : null;
    }

    /**
     * Inserts {@code element} unless an element with the same member is present; returns that
     * element (leaving the table unchanged), or null once inserted.
     */
    public final E putIfAbsent(E element) {
        byte[] member = memberOf(element);
        long h = hash(member);
        if (size > 0) {
            if (rehashIdx != -1) {
                rehash(1);
            }
            E existing = findIn(t0, h, member);
            if (existing == null && t1 != null) {
                existing = findIn(t1, h, member);
            }
            if (existing != null) {
                return existing;
            }
        }
        expandIfNeeded();
        Object[] t = t1 != null ? t1 : t0;
        link(t, (int) h & (t.length - 1), element);
        size++;
        return null;
    }

    /** Inserts an element known to be absent (a faster {@link #putIfAbsent} for bulk copies). */
    public final void addNew(E element) {
        if (rehashIdx != -1) {
            rehash(1);
        }
        expandIfNeeded();
        Object[] t = t1 != null ? t1 : t0;
        link(t, (int) hash(memberOf(element)) & (t.length - 1), element);
        size++;
    }

    /** Removes and returns the element with this member, or returns null. */
    public final E remove(byte[] member) {
        if (size == 0) {
            return null;
        }
        if (rehashIdx != -1) {
            rehash(1);
        }
        long h = hash(member);
        E removed = unlink(t0, (int) h & (t0.length - 1), member);
        if (removed != null && t1 != null) {
            inOld--;
        } else if (removed == null && t1 != null) {
            removed = unlink(t1, (int) h & (t1.length - 1), member);
        }
        if (removed != null) {
            size--;
            shrinkIfNeeded();
        }
        return removed;
    }

    /** Removes everything and frees the buckets. */
    public final void clear() {
        t0 = null;
        t1 = null;
        size = 0;
        inOld = 0;
        rehashIdx = -1;
    }

    /**
     * Makes room for {@code n} elements in one step (Redis's dictExpand), so that a bulk load
     * does not resize along the way. Ignored while resizing or when already large enough.
     */
    public final void expand(int n) {
        if (rehashIdx != -1 || n <= buckets()) {
            return;
        }
        if (t0 == null) {
            t0 = new Object[BucketTables.tableSizeFor(n)];
        } else {
            resize(BucketTables.tableSizeFor(n));
        }
    }

    private static void link(Object[] t, int idx, Object element) {
        Object slot = t[idx];
        if (slot == null) {
            t[idx] = element;
        } else if (slot instanceof Object[] chain) {
            Object[] longer = Arrays.copyOf(chain, chain.length + 1);
            longer[chain.length] = element;
            t[idx] = longer;
        } else {
            t[idx] = new Object[] {slot, element};
        }
    }

    @SuppressWarnings("unchecked")
    private E unlink(Object[] t, int idx, byte[] member) {
        Object slot = t[idx];
        if (slot instanceof Object[] chain) {
            for (int i = 0; i < chain.length; i++) {
                if (Arrays.equals(memberOf((E) chain[i]), member)) {
                    if (chain.length == 2) {
                        t[idx] = chain[1 - i];
                    } else {
                        Object[] shorter = new Object[chain.length - 1];
                        System.arraycopy(chain, 0, shorter, 0, i);
                        System.arraycopy(chain, i + 1, shorter, i, chain.length - i - 1);
                        t[idx] = shorter;
                    }
                    return (E) chain[i];
                }
            }
            return null;
        }
        if (slot != null && Arrays.equals(memberOf((E) slot), member)) {
            t[idx] = null;
            return (E) slot;
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------
    // Resizing

    private void expandIfNeeded() {
        if (rehashIdx != -1) {
            return;
        }
        if (t0 == null) {
            t0 = new Object[BucketTables.INITIAL_SIZE];
        } else if (BucketTables.mayGrow(size, t0.length)) {
            resize(BucketTables.tableSizeFor(size + 1));
        }
    }

    private void shrinkIfNeeded() {
        if (size == 0 && rehashIdx == -1) {
            t0 = null; // an empty table is about to be dropped with its key: keep nothing
            return;
        }
        if (rehashIdx == -1 && BucketTables.mayShrink(size, t0.length)) {
            resize(BucketTables.tableSizeFor(size));
        }
    }

    private void resize(int newSize) {
        if (newSize == t0.length) {
            return;
        }
        t1 = new Object[newSize];
        rehashIdx = 0;
        inOld = size;
    }

    /**
     * Moves up to {@code n} non-empty buckets of t0 to t1, visiting at most 10*n empty ones (as
     * Redis's dictRehash); returns false once resizing is complete, or while the resize policy
     * holds it off ({@link BucketTables#mayRehash}).
     */
    public final boolean rehash(int n) {
        if (rehashIdx == -1 || inOld != 0 && !BucketTables.mayRehash(t0.length, t1.length)) {
            return false;
        }
        rehashIdx = BucketTables.rehash(this, t0, rehashIdx, n, inOld, MemberTable::moveBucket);
        if (inOld > 0) {
            return true;
        }
        t0 = t1;
        t1 = null;
        rehashIdx = -1;
        return false;
    }

    /** Moves bucket {@code idx} of t0 into t1; returns how many elements t0 still holds. */
    private int moveBucket(int idx) {
        Object[] to = t1;
        int mask = to.length - 1;
        Object slot = t0[idx];
        t0[idx] = null;
        if (slot instanceof Object[] chain) {
            for (Object o : chain) {
                moveTo(to, mask, o);
            }
            inOld -= chain.length;
        } else {
            moveTo(to, mask, slot);
            inOld--;
        }
        return inOld;
    }

    @SuppressWarnings("unchecked")
    private void moveTo(Object[] to, int mask, Object element) {
        link(to, (int) hash(memberOf((E) element)) & mask, element);
    }

    // ------------------------------------------------------------------------------------------
    // Iteration

    /** Calls {@code action} for every element; the table must not be modified meanwhile. */
    public final void forEach(Consumer<? super E> action) {
        forEachWhile(e -> {
            action.accept(e);
            return true;
        });
    }

    /**
     * Calls {@code action} for the elements until it returns false; returns false if it was
     * stopped. The table must not be modified meanwhile (reading it is fine).
     */
    @SuppressWarnings("unchecked")
    public final boolean forEachWhile(Predicate<? super E> action) {
        for (Object[] t = t0; t != null; t = t == t0 ? t1 : null) {
            for (Object slot : t) {
                if (slot instanceof Object[] chain) {
                    for (Object o : chain) {
                        if (!action.test((E) o)) {
                            return false;
                        }
                    }
                } else if (slot != null && !action.test((E) slot)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** An iterator over the elements; the table must not be modified while it is in use. */
    public final Iterator<E> iterator() {
        return new Iterator<>() {
            private Object[] table = t0;
            private int bucket = -1;
            private Object[] chain;
            private int inChain;
            private Object next = advance();

            private Object advance() {
                if (chain != null && inChain < chain.length) {
                    return chain[inChain++];
                }
                chain = null;
                while (table != null) {
                    while (++bucket < table.length) {
                        Object slot = table[bucket];
                        if (slot instanceof Object[] c) {
                            chain = c;
                            inChain = 1;
                            return c[0];
                        }
                        if (slot != null) {
                            return slot;
                        }
                    }
                    table = table == t0 ? t1 : null;
                    bucket = -1;
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            @SuppressWarnings("unchecked")
            public E next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Object e = next;
                next = advance();
                return (E) e;
            }
        };
    }

    /**
     * One step of Redis's dictScan: calls {@code visitor} with the elements of the bucket the
     * cursor designates (while resizing, also of its expansions in the larger table) and returns
     * the next cursor, 0 at the end. Every element present for the whole iteration is visited at
     * least once whatever the resizes between calls; some may be visited twice. The visitor must
     * not modify the table.
     */
    public final long scan(long cursor, Consumer<? super E> visitor) {
        if (size == 0) {
            return 0;
        }
        return BucketTables.scan(t0, t1, cursor, MemberTable::emit, visitor);
    }

    @SuppressWarnings("unchecked")
    private static <E> void emit(Object slot, Consumer<? super E> visitor) {
        if (slot instanceof Object[] chain) {
            for (Object o : chain) {
                visitor.accept((E) o);
            }
        } else if (slot != null) {
            visitor.accept((E) slot);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Random elements

    /**
     * Redis's dictGetRandomKey: a random non-empty bucket, then a random element of it; null
     * when empty. Elements sharing a bucket are a little less likely (see {@link #fairRandom}).
     */
    @SuppressWarnings("unchecked")
    public final E random(RandomGenerator random) {
        if (size == 0) {
            return null;
        }
        if (rehashIdx != -1) {
            rehash(1);
        }
        Object slot = BucketTables.randomBucket(t0, t1, rehashIdx, random);
        if (slot instanceof Object[] chain) {
            return (E) chain[random.nextInt(chain.length)];
        }
        return (E) slot;
    }

    /**
     * Redis's dictGetSomeKeys: up to {@code count} elements found by walking the buckets from a
     * random one (jumping elsewhere after long empty runs), stored into {@code out}; returns how
     * many. Neither distinct nor uniform: a sampling device.
     */
    public final int sample(Object[] out, int count, RandomGenerator random) {
        count = Math.min(Math.min(count, size), out.length);
        if (count <= 0) {
            return 0;
        }
        for (int j = 0; j < count && rehashIdx != -1; j++) {
            rehash(1); // as dictGetSomeKeys: a step per element wanted
        }
        return BucketTables.sample(t0, t1, rehashIdx, out, count, random, MemberTable::drain);
    }

    /** Offers the elements of a bucket to a sample (see {@link BucketTables#sample}). */
    private static int drain(Object slot, Object[] out, int seen, int count, RandomGenerator random) {
        if (!(slot instanceof Object[] chain)) {
            BucketTables.offer(slot, out, seen, count, random);
            return seen + 1;
        }
        for (Object element : chain) {
            BucketTables.offer(element, out, seen++, count, random);
        }
        return seen;
    }

    /**
     * Redis's dictGetFairRandomKey: a random element of a sample of up to 15 taken by
     * {@link #sample}, which evens out the bias of {@link #random} against shared buckets; null
     * when empty.
     */
    @SuppressWarnings("unchecked")
    public final E fairRandom(RandomGenerator random) {
        if (size == 0) {
            return null;
        }
        Object[] sample = new Object[BucketTables.FAIR_SAMPLE];
        int n = sample(sample, sample.length, random);
        return n == 0 ? random(random) : (E) sample[BucketTables.pick(n, random)];
    }

    // ------------------------------------------------------------------------------------------
    // Statistics

    /**
     * The tables' statistics as Redis's dictGetStats words them (DEBUG HTSTATS-KEY): the main
     * table, and the rehashing target while a resize runs.
     */
    public final String stats() {
        StringBuilder out = new StringBuilder();
        BucketTables.stats(out, 0, t0, rehashIdx != -1 ? inOld : size, MemberTable::chainLength);
        if (rehashIdx != -1) {
            BucketTables.stats(out, 1, t1, size - inOld, MemberTable::chainLength);
        }
        return out.toString();
    }

    /** How many elements the non-empty bucket {@code slot} holds. */
    private static int chainLength(Object slot) {
        return slot instanceof Object[] chain ? chain.length : 1;
    }

    // ------------------------------------------------------------------------------------------
    // Memory

    /**
     * An estimate of the heap bytes of the table itself (this object, bucket arrays and collision
     * arrays), not of the elements, assuming compressed references.
     */
    public final long memoryUsage() {
        long bytes = 32;
        for (Object[] t = t0; t != null; t = t == t0 ? t1 : null) {
            bytes += align(16 + 4L * t.length);
            for (Object slot : t) {
                if (slot instanceof Object[] chain) {
                    bytes += align(16 + 4L * chain.length);
                }
            }
        }
        return bytes;
    }

    static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
