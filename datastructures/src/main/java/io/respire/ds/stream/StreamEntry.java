package io.respire.ds.stream;

import io.respire.ds.listpack.Listpack;
import io.respire.ds.listpack.ValueSink;

/**
 * One entry of a stream as found by a {@link StreamCursor}: its ID and where its fields and
 * values lie in its node's listpack. Valid until the stream is next written; reading it copies
 * nothing (fields and values go to a {@link ValueSink} in place).
 */
public final class StreamEntry {
    private final StreamNode node;
    private final int pos;
    private final long ms;
    private final long seq;

    StreamEntry(StreamNode node, int pos, long ms, long seq) {
        this.node = node;
        this.pos = pos;
        this.ms = ms;
        this.seq = seq;
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

    /** Number of field/value pairs. */
    public int fieldCount() {
        return node.fieldCount(pos);
    }

    /** Hands each field and then its value to {@code sink}, in order, without copies. */
    public void forEachFieldAndValue(ValueSink sink) {
        Listpack lp = node.lp;
        int n = node.fieldCount(pos);
        int p = lp.next(lp.next(lp.next(pos))); // past flags and the two ID deltas
        if ((node.flags(pos) & StreamNode.SAMEFIELDS) != 0) {
            int field = node.masterFieldsStart();
            for (int i = 0; i < n; i++) {
                lp.read(field, sink);
                lp.read(p, sink);
                field = lp.next(field);
                p = lp.next(p);
            }
        } else {
            p = lp.next(p); // past num-fields
            for (int i = 0; i < 2 * n; i++) {
                lp.read(p, sink);
                p = lp.next(p);
            }
        }
    }
}
