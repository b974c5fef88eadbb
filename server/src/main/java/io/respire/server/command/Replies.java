package io.respire.server.command;

import io.respire.ds.listpack.ValueSink;
import io.respire.protocol.Reply;

/** Reply helpers shared by command families. */
public final class Replies {
    private Replies() {
    }

    /**
     * A sink writing each element as a bulk string (integers in their decimal form), so that
     * collections reply without copying their elements.
     */
    public static ValueSink bulkSink(Reply r) {
        return new ValueSink() {
            @Override
            public void bytes(byte[] array, int offset, int length) {
                r.bulk(array, offset, length);
            }

            @Override
            public void integer(long value) {
                r.bulkLong(value);
            }
        };
    }
}
