package io.respire.ds.stream;

import io.respire.ds.listpack.Listpack;

/**
 * One block of stream entries: a {@link Listpack} laid out exactly as Redis lays out the listpack
 * of a stream's radix tree node (t_stream.c streamAppendItem), keyed by its master ID.
 *
 * <h2>Layout</h2>
 * The listpack starts with the <em>master entry</em>, built from the first entry added:
 * <pre>
 *   live-count | deleted-count | num-fields | field-1 ... field-N | 0
 * </pre>
 * Each entry follows as
 * <pre>
 *   flags | ms-delta | seq-delta | num-fields | field-1 | value-1 ... | field-N | value-N | lp-count
 * </pre>
 * or, when its fields are the master entry's (flag {@link #SAMEFIELDS}), without the field names
 * and their count:
 * <pre>
 *   flags | ms-delta | seq-delta | value-1 ... value-N | lp-count
 * </pre>
 * The deltas are the entry's ID minus the master ID (as two's complement 64-bit integers, like
 * Redis's uint64 arithmetic), so most IDs take a byte or two. lp-count is the number of elements
 * before it in the entry, which lets iteration walk backwards; the master entry's final 0 plays
 * that role for the master entry, and tells a backward walk it has arrived.
 *
 * <p>Deleting an entry only sets its {@link #DELETED} flag and moves one from the live count to
 * the deleted count: positions of other entries do not change, and a node whose live count
 * falls to zero is dropped whole by its stream.
 *
 * <h2>Positions</h2>
 * An entry is addressed by the listpack position of its flags element. Positions stay valid until
 * the node is written; the count updates at the head of the listpack move everything after them
 * when a count crosses an encoding size (127 to 128...), so writers re-derive positions.
 */
public final class StreamNode {
    /** Redis's STREAM_ITEM_FLAG_DELETED: the entry is a tombstone. */
    public static final int DELETED = 1;
    /** Redis's STREAM_ITEM_FLAG_SAMEFIELDS: the entry has the master entry's fields. */
    public static final int SAMEFIELDS = 2;

    /** The ID of the first entry ever added to the node; the key in the stream's index. */
    final StreamId master;
    Listpack lp;

    private StreamNode(StreamId master, Listpack lp) {
        this.master = master;
        this.lp = lp;
    }

    /**
     * A node whose master entry takes its fields from the entry being added, which is then added
     * (with {@link #SAMEFIELDS}). {@code capacity} is the room allocated up front, as Redis's
     * lpNew(prealloc) does to avoid growing at every XADD.
     */
    static StreamNode create(StreamId id, byte[][] args, int from, int numFields, int capacity) {
        Listpack lp = new Listpack(capacity);
        lp.append(1);
        lp.append(0);
        lp.append(numFields);
        for (int i = 0; i < numFields; i++) {
            lp.append(args[from + 2 * i]);
        }
        lp.append(0);
        StreamNode node = new StreamNode(id, lp);
        node.appendEntry(id, args, from, numFields, SAMEFIELDS);
        return node;
    }

    /** A node over an existing listpack in Redis's layout (copies, loading). */
    static StreamNode of(StreamId master, Listpack lp) {
        return new StreamNode(master, lp);
    }

    public StreamId master() {
        return master;
    }

    /** The listpack, in Redis's stream-node layout: read only. */
    public Listpack listpack() {
        return lp;
    }

    // ------------------------------------------------------------------------------------------
    // Master entry

    public int liveCount() {
        return (int) lp.integer(lp.first());
    }

    public int deletedCount() {
        return (int) lp.integer(lp.next(lp.first()));
    }

    /** Entries in the listpack, live and deleted: what stream-node-max-entries limits. */
    int totalCount() {
        int p = lp.first();
        return (int) (lp.integer(p) + lp.integer(lp.next(p)));
    }

    public int masterFieldCount() {
        return (int) lp.integer(masterFieldCountPos());
    }

    private int masterFieldCountPos() {
        return lp.next(lp.next(lp.first()));
    }

    /** Position of the master entry's first field (or of its 0 terminator when it has none). */
    public int masterFieldsStart() {
        return lp.next(masterFieldCountPos());
    }

    /** Bytes of the listpack as Redis counts them (lpBytes: header and end byte included). */
    int redisBytes() {
        return lp.bytes() + Listpack.HEADER_AND_END;
    }

    // ------------------------------------------------------------------------------------------
    // Entries

    /** Position of the first entry, deleted or not, or {@link Listpack#NONE}. */
    public int firstEntry() {
        int p = masterFieldsStart();
        int fields = masterFieldCount();
        for (int i = 0; i < fields; i++) {
            p = lp.next(p);
        }
        return lp.next(p); // past the master entry's 0 terminator
    }

    /** Position of the last entry, deleted or not, or {@link Listpack#NONE}. */
    public int lastEntry() {
        return entryEndingAt(lp.last());
    }

    /** The entry after the one at {@code p}, or {@link Listpack#NONE}. */
    public int nextEntry(int p) {
        int q = p;
        for (int n = elementCount(p); n > 0; n--) {
            q = lp.next(q);
        }
        return lp.next(q); // past lp-count
    }

    /** The entry before the one at {@code p}, or {@link Listpack#NONE}. */
    public int previousEntry(int p) {
        return entryEndingAt(lp.prev(p));
    }

    /** The entry whose lp-count element is at {@code countPos}; NONE at the master's terminator. */
    private int entryEndingAt(int countPos) {
        long elements = lp.integer(countPos);
        int q = countPos;
        for (long n = elements; n > 0; n--) {
            q = lp.prev(q);
        }
        return elements == 0 ? Listpack.NONE : q;
    }

    /** Elements of the entry at {@code p} before its lp-count (what lp-count holds). */
    private int elementCount(int p) {
        int flags = flags(p);
        int afterId = lp.next(lp.next(lp.next(p)));
        if ((flags & SAMEFIELDS) != 0) {
            return 3 + masterFieldCount();
        }
        return 4 + 2 * (int) lp.integer(afterId);
    }

    public int flags(int p) {
        return (int) lp.integer(p);
    }

    public boolean isDeleted(int p) {
        return (flags(p) & DELETED) != 0;
    }

    public long ms(int p) {
        return master.ms() + lp.integer(lp.next(p));
    }

    public long seq(int p) {
        return master.seq() + lp.integer(lp.next(lp.next(p)));
    }

    public StreamId id(int p) {
        int msPos = lp.next(p);
        return new StreamId(master.ms() + lp.integer(msPos), master.seq() + lp.integer(lp.next(msPos)));
    }

    /** Number of field/value pairs of the entry at {@code p}. */
    public int fieldCount(int p) {
        if ((flags(p) & SAMEFIELDS) != 0) {
            return masterFieldCount();
        }
        return (int) lp.integer(lp.next(lp.next(lp.next(p))));
    }

    /** The ID of the last entry, deleted or not (Redis's lpGetEdgeStreamID for the end). */
    StreamId lastId() {
        return id(lastEntry());
    }

    // ------------------------------------------------------------------------------------------
    // Writes

    /**
     * Adds an entry at the end, with its fields compressed away if they are the master entry's,
     * and counts it live.
     */
    void append(StreamId id, byte[][] args, int from, int numFields) {
        int countPos = lp.first();
        lp.replace(countPos, lp.integer(countPos) + 1);
        appendEntry(id, args, from, numFields, sameFieldsAsMaster(args, from, numFields) ? SAMEFIELDS : 0);
    }

    private boolean sameFieldsAsMaster(byte[][] args, int from, int numFields) {
        if (numFields != masterFieldCount()) {
            return false;
        }
        int p = masterFieldsStart();
        for (int i = 0; i < numFields; i++) {
            if (!lp.valueEquals(p, args[from + 2 * i])) {
                return false;
            }
            p = lp.next(p);
        }
        return true;
    }

    private void appendEntry(StreamId id, byte[][] args, int from, int numFields, int flags) {
        boolean same = (flags & SAMEFIELDS) != 0;
        lp.append(flags);
        lp.append(id.ms() - master.ms());
        lp.append(id.seq() - master.seq());
        if (!same) {
            lp.append(numFields);
        }
        for (int i = 0; i < numFields; i++) {
            if (!same) {
                lp.append(args[from + 2 * i]);
            }
            lp.append(args[from + 2 * i + 1]);
        }
        lp.append(same ? 3 + numFields : 4 + 2L * numFields);
    }

    /**
     * Flags the entry at {@code p} deleted and moves it from the live to the deleted count;
     * returns the live count left. The entry's position stays valid (flags fit one byte), later
     * ones may move.
     */
    int markDeleted(int p) {
        lp.replace(p, flags(p) | DELETED);
        return addToCounts(-1, 1);
    }

    /** Adds to the live and deleted counts of the master entry; returns the new live count. */
    int addToCounts(int live, int deleted) {
        int p = lp.first();
        int newLive = (int) lp.integer(p) + live;
        lp.replace(p, newLive);
        p = lp.next(lp.first());
        lp.replace(p, lp.integer(p) + deleted);
        return newLive;
    }

    /** Releases the listpack's spare room, once no more entries will be appended (lpShrinkToFit). */
    void shrinkToFit() {
        lp.trimToSize();
    }

    StreamNode copy() {
        return new StreamNode(master, lp.copy());
    }
}
