package io.respire.ds.hash;

import io.respire.ds.util.Accounted;
import io.respire.ds.listpack.Listpack;
import io.respire.ds.listpack.ValueSink;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A hash value (field to value, both byte strings) in one of Redis's two encodings. It starts as a
 * {@link Listpack} of alternating fields and values, the cheapest form for the many small hashes
 * an application typically stores, and turns for good into a {@link FieldTable} once it has more
 * than {@code maxListpackEntries} fields or is given a field or value longer than
 * {@code maxListpackValue} bytes (hash-max-listpack-entries and hash-max-listpack-value, which
 * the caller passes in on every write, as Redis reads them from its config at that moment).
 * Like Redis, it never converts back.
 *
 * <p>Elements are read through a {@link ValueSink} (in place, no copies) or as fresh arrays.
 * Not thread-safe.
 */
public final class HashValue extends Accounted {
    /** Redis refuses to grow a listpack past 1 GB (lpSafeToAdd); beyond that a table is used. */
    private static final int LISTPACK_SAFETY_LIMIT = 1 << 30;
    /** Random picks from a listpack are made in batches that share one walk (as Redis). */
    private static final int RANDOM_BATCH = 1000;
    /** Below this ratio of hash size to sample size, sampling walks the whole table instead. */
    private static final int SUB_STRATEGY_MUL = 3;
    private static final int SHALLOW_SIZE = 40; // with the accounting fields (Accounted)

    /** A {@link Listpack} (field, value, field, value...) or a {@link FieldTable}. */
    private Object data;

    public HashValue() {
        data = new Listpack();
    }

    private HashValue(Object data) {
        this.data = data;
    }

    /** A hash over a listpack of field/value pairs (read from an RDB file or DUMP payload). */
    public static HashValue ofListpack(Listpack pairs) {
        return new HashValue(pairs);
    }

    /** The listpack of field/value pairs, or null in the hashtable encoding (RDB serialization). */
    public Listpack listpackEncoding() {
        return data instanceof Listpack lp ? lp : null;
    }

    /** Redis's encoding name: "listpack" or "hashtable". */
    public String encoding() {
        return data instanceof Listpack ? "listpack" : "hashtable";
    }

    /** The table's statistics (DEBUG HTSTATS-KEY; see {@link FieldTable#stats}), or null for a listpack. */
    public String tableStats() {
        return data instanceof FieldTable t ? t.stats() : null;
    }

    public boolean isListpack() {
        return data instanceof Listpack;
    }

    /** Number of fields. */
    public int size() {
        return data instanceof Listpack lp ? lp.size() / 2 : ((FieldTable) data).size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** Heap bytes of the value (MEMORY USAGE). */
    public long memoryUsage() {
        return SHALLOW_SIZE + (data instanceof Listpack lp ? lp.memoryUsage() : ((FieldTable) data).memoryUsage());
    }

    /** A deep copy in the same encoding (COPY). */
    public HashValue copy() {
        return new HashValue(data instanceof Listpack lp ? lp.copy() : ((FieldTable) data).copy());
    }

    // ------------------------------------------------------------------------------------------
    // Reading

    public boolean contains(byte[] field) {
        return data instanceof Listpack lp ? findField(lp, field) != Listpack.NONE : ((FieldTable) data).find(field) >= 0;
    }

    /** Hands the value of {@code field} to {@code sink}; returns false (sink untouched) if absent. */
    public boolean get(byte[] field, ValueSink sink) {
        if (data instanceof Listpack lp) {
            int p = findField(lp, field);
            if (p == Listpack.NONE) {
                return false;
            }
            lp.read(lp.next(p), sink);
        } else {
            FieldTable t = (FieldTable) data;
            int slot = t.find(field);
            if (slot < 0) {
                return false;
            }
            sink.bytes(t.pair(slot), t.valueOffset(slot), t.valueLength(slot));
        }
        return true;
    }

    /** The value of {@code field} (a copy), or null. */
    public byte[] get(byte[] field) {
        if (data instanceof Listpack lp) {
            int p = findField(lp, field);
            return p == Listpack.NONE ? null : lp.get(lp.next(p));
        }
        FieldTable t = (FieldTable) data;
        int slot = t.find(field);
        return slot < 0 ? null : t.value(slot);
    }

    /** Length of the value of {@code field}, 0 if absent (HSTRLEN). */
    public int valueLength(byte[] field) {
        if (data instanceof Listpack lp) {
            int p = findField(lp, field);
            return p == Listpack.NONE ? 0 : lp.valueLength(lp.next(p));
        }
        FieldTable t = (FieldTable) data;
        int slot = t.find(field);
        return slot < 0 ? 0 : t.valueLength(slot);
    }

    // ------------------------------------------------------------------------------------------
    // Writing

    /**
     * Sets {@code field} to {@code value}, converting to a table first if either is longer than
     * {@code maxListpackValue}, and afterwards if there are more than {@code maxListpackEntries}
     * fields (Redis's hashTypeSet). Returns true if the field was added, false if updated.
     */
    public boolean set(byte[] field, byte[] value, long maxListpackEntries, long maxListpackValue) {
        if (data instanceof Listpack lp) {
            if (field.length > maxListpackValue || value.length > maxListpackValue
                    || (long) lp.bytes() + field.length + value.length + 32 > LISTPACK_SAFETY_LIMIT) {
                convertToTable();
            }
        }
        if (data instanceof Listpack lp) {
            int p = findField(lp, field);
            if (p != Listpack.NONE) {
                lp.replace(lp.next(p), value);
                return false;
            }
            lp.append(field);
            lp.append(value);
            if (lp.size() / 2 > maxListpackEntries) {
                convertToTable();
            }
            return true;
        }
        return ((FieldTable) data).put(field, value);
    }

    /** Removes {@code field}; returns whether it was there. */
    public boolean delete(byte[] field) {
        if (data instanceof Listpack lp) {
            int p = findField(lp, field);
            if (p == Listpack.NONE) {
                return false;
            }
            lp.delete(p, 2);
            return true;
        }
        return ((FieldTable) data).remove(field);
    }

    /** Switches to the hashtable encoding (Redis's hashTypeConvert), a no-op if already there. */
    public void convertToTable() {
        if (data instanceof Listpack lp) {
            FieldTable t = new FieldTable(lp.size() / 2);
            for (int p = lp.first(); p != Listpack.NONE; p = lp.next(lp.next(p))) {
                t.put(lp.get(p), lp.get(lp.next(p)));
            }
            data = t;
        }
    }

    private static int findField(Listpack lp, byte[] field) {
        return lp.isEmpty() ? Listpack.NONE : lp.find(lp.first(), field, 1);
    }

    // ------------------------------------------------------------------------------------------
    // Iteration, sampling and scanning

    /** A cursor before the first pair; any write to the hash invalidates it. */
    public Cursor cursor() {
        return new Cursor();
    }

    /**
     * A position on one field/value pair. {@link #next} moves through all pairs (in listpack order
     * or table order); the sampling methods hand their visitor a cursor placed on each pick.
     */
    public final class Cursor {
        private static final int BEFORE_FIRST = -2;
        private final Object on = data;
        /** Listpack position of the field, or table slot. */
        private int pos = BEFORE_FIRST;

        private Cursor() {
        }

        public boolean next() {
            if (on instanceof Listpack lp) {
                pos = pos == BEFORE_FIRST ? lp.first() : lp.next(lp.next(pos));
                return pos != Listpack.NONE;
            }
            pos = ((FieldTable) on).next(pos == BEFORE_FIRST ? 0 : pos + 1);
            return pos >= 0;
        }

        public void field(ValueSink sink) {
            if (on instanceof Listpack lp) {
                lp.read(pos, sink);
            } else {
                FieldTable t = (FieldTable) on;
                sink.bytes(t.pair(pos), t.fieldOffset(pos), t.fieldLength(pos));
            }
        }

        public void value(ValueSink sink) {
            if (on instanceof Listpack lp) {
                lp.read(lp.next(pos), sink);
            } else {
                FieldTable t = (FieldTable) on;
                sink.bytes(t.pair(pos), t.valueOffset(pos), t.valueLength(pos));
            }
        }

        public byte[] field() {
            return on instanceof Listpack lp ? lp.get(pos) : ((FieldTable) on).field(pos);
        }

        public byte[] value() {
            return on instanceof Listpack lp ? lp.get(lp.next(pos)) : ((FieldTable) on).value(pos);
        }
    }

    /**
     * Picks {@code count} pairs uniformly at random with repetition, in random order, and hands
     * each to {@code visitor} (HRANDFIELD with a negative count). The hash must not be empty.
     */
    public void randomPairs(long count, RandomGenerator random, Consumer<Cursor> visitor) {
        Cursor c = new Cursor();
        if (data instanceof FieldTable t) {
            for (long i = 0; i < count; i++) {
                c.pos = t.randomSlot(random);
                visitor.accept(c);
            }
            return;
        }
        Listpack lp = (Listpack) data;
        int n = lp.size() / 2;
        while (count > 0) {
            // Sort the picks by index so that one walk finds them all, then visit in pick order.
            int batch = (int) Math.min(count, RANDOM_BATCH);
            long[] picks = new long[batch];
            for (int i = 0; i < batch; i++) {
                picks[i] = ((long) random.nextInt(n) << 32) | i;
            }
            Arrays.sort(picks);
            int[] positions = new int[batch];
            int p = lp.first();
            int index = 0;
            for (long pick : picks) {
                for (int wanted = (int) (pick >>> 32); index < wanted; index++) {
                    p = lp.next(lp.next(p));
                }
                positions[(int) pick] = p;
            }
            for (int position : positions) {
                c.pos = position;
                visitor.accept(c);
            }
            count -= batch;
        }
    }

    /**
     * Picks {@code count} distinct pairs uniformly at random ({@code count} below the size) and
     * hands each to {@code visitor} once (HRANDFIELD with a positive count).
     */
    public void distinctRandomPairs(int count, RandomGenerator random, Consumer<Cursor> visitor) {
        int n = size();
        if (data instanceof FieldTable t && (long) count * SUB_STRATEGY_MUL <= n) {
            // Few picks from many: random slots, skipping repeats.
            Set<Integer> seen = new HashSet<>(count * 2);
            Cursor c = new Cursor();
            while (seen.size() < count) {
                int slot = t.randomSlot(random);
                if (seen.add(slot)) {
                    c.pos = slot;
                    visitor.accept(c);
                }
            }
            return;
        }
        // Selection sampling in one pass: keep each pair with probability needed / remaining.
        Cursor c = new Cursor();
        int needed = count;
        for (int remaining = n; needed > 0 && c.next(); remaining--) {
            if (random.nextInt(remaining) < needed) {
                visitor.accept(c);
                needed--;
            }
        }
    }

    /**
     * One step of HSCAN (the walk of Redis's scanGenericCommand for a hash): hands some fields and
     * their values to {@code visitor} and returns the next cursor, 0 when done. A listpack is
     * visited whole in one step, with cursor 0 (so any cursor restarts it); a table visits one home
     * slot per step, with Redis's reverse-binary cursor (see {@link FieldTable#scan}). The visitor
     * gets copies and may keep them, but must not change the hash.
     */
    public long scan(long cursor, BiConsumer<byte[], byte[]> visitor) {
        if (data instanceof Listpack lp) {
            for (int p = lp.first(); p != Listpack.NONE; p = lp.next(lp.next(p))) {
                visitor.accept(lp.get(p), lp.get(lp.next(p)));
            }
            return 0;
        }
        FieldTable t = (FieldTable) data;
        return t.scan(cursor, slot -> visitor.accept(t.field(slot), t.value(slot)));
    }
}
