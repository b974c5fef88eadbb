package io.respire.ds.listpack;

/**
 * Receives one stored element without a copy: either bytes in place (valid only during the call)
 * or an integer, which stands for its decimal text. Collections hand elements to a sink so that a
 * command can write them straight into a reply (for instance {@code reply::bulk} and
 * {@code reply::bulkLong}).
 */
public interface ValueSink {
    void bytes(byte[] array, int offset, int length);

    void integer(long value);
}
