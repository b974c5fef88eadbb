package io.respire.ds.stream;

import io.respire.ds.listpack.Listpack;

/**
 * Walks the entries of a stream between two IDs (both included), forwards or backwards, as
 * Redis's streamIterator: it seeks the node that may hold the first ID wanted, then goes entry by
 * entry and node by node. Deleted entries are skipped unless the cursor was made to show them.
 * The stream must not be written while a cursor is in use.
 *
 * <pre>
 *   StreamCursor cur = stream.cursor(start, end, false);
 *   while (cur.next()) { ... cur.ms(), cur.seq(), cur.entry() ... }
 * </pre>
 */
public final class StreamCursor {
    private final Stream stream;
    private final StreamId start;
    private final StreamId end;
    private final boolean reverse;
    private final boolean skipDeleted;
    private StreamNode node;
    private int pos = Listpack.NONE;
    private boolean started;
    private boolean done;
    private long ms;
    private long seq;

    StreamCursor(Stream stream, StreamId start, StreamId end, boolean reverse, boolean skipDeleted) {
        this.stream = stream;
        this.start = start;
        this.end = end;
        this.reverse = reverse;
        this.skipDeleted = skipDeleted;
    }

    /** Moves to the next entry in range; false when there is none. */
    public boolean next() {
        while (!done) {
            if (!step()) {
                done = true;
                return false;
            }
            ms = node.ms(pos);
            seq = node.seq(pos);
            if (reverse ? pastStart() : pastEnd()) {
                done = true; // IDs only grow along the stream: nothing further is in range
                return false;
            }
            boolean inRange = reverse ? !pastEnd() : !pastStart();
            if (inRange && !(skipDeleted && node.isDeleted(pos))) {
                return true;
            }
        }
        return false;
    }

    /** Moves to the next entry position, deleted or not, in range or not; false at the end. */
    private boolean step() {
        if (!started) {
            started = true;
            node = reverse ? stream.nodeAtOrBefore(end) : stream.startNode(start);
            if (node == null) {
                return false;
            }
            pos = reverse ? node.lastEntry() : node.firstEntry();
        } else {
            pos = reverse ? node.previousEntry(pos) : node.nextEntry(pos);
        }
        while (pos == Listpack.NONE) {
            node = reverse ? stream.nodeBefore(node) : stream.nodeAfter(node);
            if (node == null) {
                return false;
            }
            pos = reverse ? node.lastEntry() : node.firstEntry();
        }
        return true;
    }

    private boolean pastStart() {
        return StreamId.compare(ms, seq, start.ms(), start.seq()) < 0;
    }

    private boolean pastEnd() {
        return StreamId.compare(ms, seq, end.ms(), end.seq()) > 0;
    }

    public long ms() {
        return ms;
    }

    public long seq() {
        return seq;
    }

    public StreamId id() {
        return new StreamId(ms, seq);
    }

    /** Whether the current entry is a tombstone (only seen by cursors that show them). */
    public boolean deleted() {
        return node.isDeleted(pos);
    }

    /** The current entry, to read its fields now or after the walk (until the stream changes). */
    public StreamEntry entry() {
        return new StreamEntry(node, pos, ms, seq);
    }

    /** The current entry's node and position, for the stream's own writes. */
    StreamNode node() {
        return node;
    }

    int position() {
        return pos;
    }
}
