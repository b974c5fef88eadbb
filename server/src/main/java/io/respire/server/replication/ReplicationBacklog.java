package io.respire.server.replication;

import java.util.ArrayDeque;

/**
 * The last bytes of the replication stream (Redis's repl_backlog), kept so that a replica that
 * lost its link can continue from its offset (PSYNC answered +CONTINUE) instead of a full
 * resynchronization. Held as the chunks the stream was fed in, trimmed from the oldest once
 * dropping one still leaves at least {@code repl-backlog-size} bytes, as Redis 7.0 trims whole
 * blocks of its shared replication buffer: memory follows what was written, never the setting.
 */
final class ReplicationBacklog {
    /** Redis's CONFIG_REPL_BACKLOG_MIN_SIZE. */
    static final long MIN_SIZE = 16 * 1024;

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    /** The stream offset of the first byte kept (Redis's repl_backlog->offset). */
    private long firstOffset;
    private long histlen;

    /** A backlog of a stream whose next byte has offset {@code streamOffset} + 1. */
    ReplicationBacklog(long streamOffset) {
        this.firstOffset = streamOffset + 1;
    }

    long firstByteOffset() {
        return firstOffset;
    }

    long histlen() {
        return histlen;
    }

    /** Adds the stream's next bytes, then trims down to about {@code size} bytes. */
    void append(byte[] bytes, long size) {
        chunks.addLast(bytes);
        histlen += bytes.length;
        long keep = Math.max(MIN_SIZE, size);
        while (!chunks.isEmpty() && histlen - chunks.peekFirst().length >= keep) {
            byte[] dropped = chunks.pollFirst();
            histlen -= dropped.length;
            firstOffset += dropped.length;
        }
    }

    /** Whether the stream from {@code offset} on is all here (Redis's check in masterTryPartialResynchronization). */
    boolean holds(long offset) {
        return offset >= firstOffset && offset <= firstOffset + histlen;
    }

    /** The stream's bytes from {@code offset} (which {@link #holds}) to its end. */
    byte[] from(long offset) {
        int skip = (int) (offset - firstOffset);
        byte[] out = new byte[(int) (histlen - skip)];
        int at = 0;
        for (byte[] chunk : chunks) {
            if (skip >= chunk.length) {
                skip -= chunk.length;
                continue;
            }
            System.arraycopy(chunk, skip, out, at, chunk.length - skip);
            at += chunk.length - skip;
            skip = 0;
        }
        return out;
    }
}
