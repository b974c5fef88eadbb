package io.respire.ds.set;

import io.respire.ds.util.Accounted;
import io.respire.ds.util.Numbers;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A set value of the keyspace (Redis's t_set.c setType* layer): binary-safe members held as an
 * {@link IntSet} while they are all integers (canonical decimal text, as Redis's string2ll reads
 * them) and there are at most set-max-intset-entries of them, and in a {@link MemberTable} of
 * {@code byte[]} otherwise. Conversion is one way, as in Redis: a set never goes back to an intset.
 *
 * <p>The intset limit is passed by the caller on every insertion because it is a runtime setting
 * (CONFIG SET set-max-intset-entries). Members given to this class are kept as they are, so
 * callers must not modify them afterwards; members handed out must not be modified either.
 */
public final class SetValue extends Accounted {
    /** Redis limits intsets to 2^30 entries whatever the configured maximum. */
    private static final long INTSET_HARD_LIMIT = 1 << 30;
    /** This object: header, the accounting fields (Accounted) and two references. */
    private static final int SHALLOW_SIZE = 48;

    /** Members in the hashtable encoding: the elements are the member arrays themselves. */
    static final class Members extends MemberTable<byte[]> {
        @Override
        protected byte[] memberOf(byte[] element) {
            return element;
        }
    }

    private IntSet ints;
    private Members table;

    private SetValue(IntSet ints, Members table) {
        this.ints = ints;
        this.table = table;
    }

    /**
     * An empty set in the encoding Redis's setTypeCreate picks for its first member: an intset if
     * that member is an integer, else a hashtable.
     */
    public static SetValue createFor(byte[] firstMember) {
        return Numbers.isLong(firstMember) ? new SetValue(new IntSet(), null) : new SetValue(null, new Members());
    }

    /** An empty intset-encoded set (the start of Redis's SINTERSTORE/SUNIONSTORE results). */
    public static SetValue create() {
        return new SetValue(new IntSet(), null);
    }

    /**
     * An empty set in the hashtable encoding sized for {@code expected} members (Redis's RDB
     * loader starts with one when a set has more members than set-max-intset-entries).
     */
    public static SetValue hashtable(int expected) {
        Members t = new Members();
        t.expand(expected);
        return new SetValue(null, t);
    }

    /** "intset" or "hashtable", as OBJECT ENCODING reports. */
    public String encoding() {
        return ints != null ? "intset" : "hashtable";
    }

    /** The hash table's statistics in Redis's words (DEBUG HTSTATS-KEY), or null for an intset. */
    public String tableStats() {
        return table == null ? null : table.stats();
    }

    public boolean isIntset() {
        return ints != null;
    }

    public int size() {
        return ints != null ? ints.size() : table.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * Adds a member (Redis's setTypeAdd); returns false if it was already there. Converts to a
     * hashtable when the member is not an integer or the intset would exceed
     * {@code maxIntsetEntries}. The set keeps the array: do not modify it afterwards.
     */
    public boolean add(byte[] member, long maxIntsetEntries) {
        if (ints != null) {
            long[] v = new long[1];
            if (Numbers.parseLong(member, 0, member.length, v)) {
                if (!ints.add(v[0])) {
                    return false;
                }
                if (ints.size() > Math.min(maxIntsetEntries, INTSET_HARD_LIMIT)) {
                    convertToHashtable();
                }
                return true;
            }
            convertToHashtable();
            table.addNew(member);
            return true;
        }
        return table.putIfAbsent(member) == null;
    }

    /** Removes a member; returns false if it was not there. */
    public boolean remove(byte[] member) {
        if (ints != null) {
            long[] v = new long[1];
            return Numbers.parseLong(member, 0, member.length, v) && ints.remove(v[0]);
        }
        return table.remove(member) != null;
    }

    public boolean contains(byte[] member) {
        if (ints != null) {
            long[] v = new long[1];
            return Numbers.parseLong(member, 0, member.length, v) && ints.contains(v[0]);
        }
        return table.contains(member);
    }

    /**
     * Redis's setTypeConvert: moves the integers into a hashtable sized for them (also after an
     * RDB load whose intset is over set-max-intset-entries).
     */
    public void convertToHashtable() {
        if (ints == null) {
            return;
        }
        Members t = new Members();
        t.expand(ints.size());
        for (int i = 0; i < ints.size(); i++) {
            t.addNew(Numbers.toBytes(ints.get(i)));
        }
        table = t;
        ints = null;
    }

    /**
     * A random member (Redis's setTypeRandomElement: uniform over an intset, dict's fair random
     * key over a hashtable); the set must not be empty.
     */
    public byte[] random(RandomGenerator random) {
        if (ints != null) {
            return Numbers.toBytes(ints.random(random));
        }
        return table.fairRandom(random);
    }

    /** Calls {@code action} for every member; the set must not be modified meanwhile. */
    public void forEach(Consumer<byte[]> action) {
        forEachWhile(m -> {
            action.accept(m);
            return true;
        });
    }

    /**
     * Calls {@code action} for the members (ascending for an intset) until it returns false;
     * returns false if it was stopped. The set must not be modified meanwhile.
     */
    public boolean forEachWhile(Predicate<byte[]> action) {
        if (ints != null) {
            for (int i = 0; i < ints.size(); i++) {
                if (!action.test(Numbers.toBytes(ints.get(i)))) {
                    return false;
                }
            }
            return true;
        }
        return table.forEachWhile(action);
    }

    /**
     * One step of SSCAN: a hashtable is scanned with Redis's cursor (returning the next one, 0 at
     * the end); an intset is small and returned whole, with cursor 0.
     */
    public long scan(long cursor, Consumer<byte[]> visitor) {
        if (ints != null) {
            forEach(visitor);
            return 0;
        }
        return table.scan(cursor, visitor);
    }

    /** An independent copy in the same encoding (COPY, Redis's setTypeDup). */
    public SetValue copy() {
        if (ints != null) {
            return new SetValue(ints.copy(), null);
        }
        Members t = new Members();
        t.expand(table.size());
        table.forEach(t::addNew);
        return new SetValue(null, t);
    }

    /** The intset, or null in the hashtable encoding (for RDB serialization). */
    public IntSet intset() {
        return ints;
    }

    /** Wraps an intset read from a dump (see {@link IntSet#fromBlob}). */
    public static SetValue ofIntset(IntSet ints) {
        return new SetValue(ints, null);
    }

    /**
     * An estimate of the heap bytes held by this set: this object, the intset or the table, and
     * the member arrays (compressed references assumed).
     */
    public long memoryUsage() {
        if (ints != null) {
            return SHALLOW_SIZE + ints.memoryUsage();
        }
        long[] bytes = {SHALLOW_SIZE + table.memoryUsage()};
        table.forEach(m -> bytes[0] += MemberTable.align(16 + m.length));
        return bytes[0];
    }
}
