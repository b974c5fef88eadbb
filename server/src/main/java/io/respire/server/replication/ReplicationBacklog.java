package io.respire.server.replication;

import java.util.ArrayDeque;

/**
 * The last bytes of the replication stream (Redis's repl_backlog), kept so that a replica that
 * lost its link can continue from its offset (PSYNC answered +CONTINUE) instead of a full
 * resynchronization. Held in blocks of {@value #BLOCK_SIZE} bytes (up to a sixteenth of the size
 * for a larger write) that the stream fills in turn, trimmed from the oldest once dropping one still leaves more than
 * {@code repl-backlog-size} bytes, as Redis 7.0 trims the blocks of its shared replication
 * buffer: memory follows what was written, never the setting, and a write is one copy into the
 * last block rather than an object of its own.
 *
 * <p>It is also the one copy of the stream that replicas not yet streaming wait for (a full sync's
 * snapshot being written, a streamed RDB's first ACK): nothing from the {@link #pin pinned}
 * offset on is trimmed, so the backlog outgrows its size while they wait, as Redis's shared
 * buffer does while a replica references its blocks, and a replica that reconnects meanwhile can
 * continue from any of it.
 */
final class ReplicationBacklog {
    /** Redis's CONFIG_REPL_BACKLOG_MIN_SIZE. */
    static final long MIN_SIZE = 16 * 1024;
    /** Redis's PROTO_REPLY_CHUNK_BYTES, the size of its replication buffer blocks. */
    static final int BLOCK_SIZE = 16 * 1024;

    /** A block and how many of its bytes are used. */
    private static final class Block {
        final byte[] bytes;
        int used;

        Block(int size) {
            bytes = new byte[size];
        }

        /** A block's object, its array's header and its bytes (compressed references). */
        static long memory(int size) {
            return 16 + 16 + size;
        }
    }

    private final ArrayDeque<Block> blocks = new ArrayDeque<>();
    /** The last block trimmed, reused for the next one: the stream's bytes are copied, not allocated anew. */
    private Block spare;
    /** The stream offset of the first byte kept (Redis's repl_backlog->offset). */
    private long firstOffset;
    private long histlen;
    /** The blocks' memory, arrays included (Redis's repl_buffer_mem counts whole blocks too). */
    private long allocated;
    /** The first offset a waiting replica still needs: kept whatever the size (Long.MAX_VALUE: none). */
    private long pinnedFrom = Long.MAX_VALUE;

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

    long allocated() {
        return allocated;
    }

    /** Adds the stream's next bytes, then trims down to about {@code size} bytes. */
    void append(byte[] bytes, int off, int len, long size) {
        histlen += len;
        Block tail = blocks.peekLast();
        if (tail != null) {
            int n = Math.min(len, tail.bytes.length - tail.used);
            System.arraycopy(bytes, off, tail.bytes, tail.used, n);
            tail.used += n;
            off += n;
            len -= n;
        }
        // A large write takes several blocks of at most a sixteenth of the size (Redis's
        // feedReplicationBuffer): one huge block could not be trimmed while any of it is needed,
        // and a replica would be offered more than its output buffer limit over and over.
        int largest = (int) Math.min(Integer.MAX_VALUE - 64, Math.max(BLOCK_SIZE, size / 16));
        while (len > 0) {
            int blockSize = Math.min(Math.max(len, BLOCK_SIZE), largest);
            Block block = spare != null && blockSize == BLOCK_SIZE ? spare : new Block(blockSize);
            if (block == spare) {
                spare = null;
            }
            int n = Math.min(len, block.bytes.length);
            allocated += Block.memory(block.bytes.length);
            System.arraycopy(bytes, off, block.bytes, 0, n);
            block.used = n;
            blocks.addLast(block);
            off += n;
            len -= n;
        }
        trim(size);
    }

    /** Keeps the bytes from {@code offset} on until unpinned (see the class comment). */
    void pin(long offset) {
        pinnedFrom = offset;
    }

    /** Drops the oldest blocks that neither the size nor the pin keeps. */
    void trim(long size) {
        long keep = Math.max(MIN_SIZE, size);
        while (blocks.size() > 1 && histlen - blocks.peekFirst().used > keep
                && firstOffset + blocks.peekFirst().used <= pinnedFrom) {
            Block dropped = blocks.pollFirst();
            histlen -= dropped.used;
            firstOffset += dropped.used;
            allocated -= Block.memory(dropped.bytes.length);
            if (dropped.bytes.length == BLOCK_SIZE) {
                dropped.used = 0;
                spare = dropped;
            }
        }
    }

    /** The same bytes, at offsets {@code by} further on (the stream continues a history restored after them). */
    void rebase(long by) {
        firstOffset += by;
    }

    /** Whether the stream from {@code offset} on is all here (Redis's check in masterTryPartialResynchronization). */
    boolean holds(long offset) {
        return offset >= firstOffset && offset <= firstOffset + histlen;
    }

    /** A consumer of the stream's bytes, block by block. */
    interface Sink {
        void write(byte[] bytes, int off, int len);
    }

    /**
     * Hands the stream's bytes from {@code offset} (which {@link #holds}) to its end to {@code sink},
     * straight from the blocks; returns how many.
     */
    long copyFrom(long offset, Sink sink) {
        long skip = offset - firstOffset;
        long copied = 0;
        for (Block block : blocks) {
            if (skip >= block.used) {
                skip -= block.used;
                continue;
            }
            int n = block.used - (int) skip;
            sink.write(block.bytes, (int) skip, n);
            copied += n;
            skip = 0;
        }
        return copied;
    }
}
