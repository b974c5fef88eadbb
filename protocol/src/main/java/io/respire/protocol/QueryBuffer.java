package io.respire.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * One connection's query buffer, allocated, grown and shrunk as Redis 7.0 keeps a client's
 * {@code querybuf} (networking.c readQueryFromClient and processMultibulkBuffer, server.c
 * clientsCronResizeQueryBuffer):
 * <ul>
 * <li>nothing is allocated before the first read, which gets {@link #IOBUF_LEN} (16 KB) exactly;
 * <li>a read into a buffer of 16 KB or more makes room for 16 KB greedily (the needed size
 *     doubled below 1 MB, plus 1 MB above) and reads as much as the room holds;
 * <li>a big argument ({@link #BIG_ARG} and more) gets room for exactly what remains of it;
 * <li>the bytes decoded are dropped after each read, the rest moved to the front;
 * <li>the cron ({@link #cronResize}) frees the room of a buffer idle for more than 2 s, and trims a
 *     buffer over 32 KB that is more than twice its recent peak.
 * </ul>
 * The socket reads straight into it ({@link #readTarget}), so a read costs no buffer and no copy.
 * Its capacity is Redis's {@code sdsalloc(querybuf)}: what qbuf plus qbuf-free show and what the
 * client's memory counts. Used by the connection's event loop only.
 */
final class QueryBuffer {
    /** Redis's PROTO_IOBUF_LEN: the first allocation, and the room made before each read. */
    static final int IOBUF_LEN = 16 * 1024;
    /** Redis's PROTO_MBULK_BIG_ARG: an argument this long gets room for all of it at once. */
    static final int BIG_ARG = 32 * 1024;
    /** Redis's PROTO_RESIZE_THRESHOLD: a buffer this big or smaller is never trimmed to its peak. */
    static final int RESIZE_THRESHOLD = 32 * 1024;
    /** Redis's SDS_MAX_PREALLOC: greedy growth doubles below this and adds this much above. */
    static final int MAX_PREALLOC = 1024 * 1024;
    /** The cron leaves alone a buffer wasting no more than this (clientsCronResizeQueryBuffer). */
    static final int WASTE_THRESHOLD = 4 * 1024;
    /** Idle for more than this many whole seconds, the room is freed. */
    static final int IDLE_SECONDS = 2;
    /**
     * The most room made for a big argument beyond the bytes held. Redis reserves the whole
     * announced length (up to proto-max-bulk-len); this bound keeps a bare header from reserving
     * hundreds of megabytes of direct memory, and still grows the room geometrically (at least
     * doubling), so that a huge argument is copied O(1) times per byte.
     */
    static final int MAX_ROOM_AHEAD = 16 << 20;

    private final ByteBufAllocator alloc;
    /** The buffer; null before the first read and after the cron freed it. */
    private ByteBuf buf;
    /** {@link #buf} as handed to the socket read: the read loop's release of it does nothing. */
    private ByteBuf readView;
    /** Redis's querybuf_peak: the most bytes held since the cron last looked. */
    private int peak;
    /** Reads so far, and as counted at the cron's last look: a change means the client is not idle. */
    private int reads;
    private int readsSeen;
    private long lastReadMs;
    /** Bytes held when the buffer was readied for a read; what it holds beyond that came with it. */
    private int lengthBeforeRead;
    /** Bytes that came in since {@link #takeReceived} last took them (INFO total_net_input_bytes). */
    private long received;

    QueryBuffer(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /** The buffer, or null when nothing is allocated. Its readable bytes are the ones not yet decoded. */
    ByteBuf buf() {
        return buf;
    }

    /** Bytes held (Redis's sdslen(querybuf)). */
    int length() {
        return buf == null ? 0 : buf.readableBytes();
    }

    /** Bytes allocated (Redis's sdsalloc(querybuf)); 0 when freed. */
    int capacity() {
        return buf == null ? 0 : buf.capacity();
    }

    /** Whether {@code msg} is this buffer as {@link #readTarget} handed it to the socket read. */
    boolean isReadTarget(Object msg) {
        return msg == readView && msg != null;
    }

    /**
     * Readies the buffer for a socket read, as readQueryFromClient does before its read(2), and
     * returns it, wrapped so that the read loop's release leaves it alone: room for 16 KB, made
     * exactly while the buffer is smaller than that, greedily after; or, while a big argument is
     * read ({@code bigArgRemaining} its bytes not yet held, CRLF included; -1 otherwise), room
     * for the rest of it, exactly.
     */
    ByteBuf readTarget(long bigArgRemaining) {
        if (bigArgRemaining > 0) {
            makeRoom(bigArgRoom(bigArgRemaining), false);
        } else {
            makeRoom(IOBUF_LEN, bigArgRemaining < 0 && capacity() >= IOBUF_LEN);
        }
        lengthBeforeRead = buf.readableBytes();
        return readView;
    }

    /** The bytes received since the last call. */
    long takeReceived() {
        long n = received;
        received = 0;
        return n;
    }

    /** Counts a read that brought bytes into the buffer, and raises the peak (readQueryFromClient). */
    void afterRead() {
        reads++;
        int length = buf.readableBytes();
        received += length - lengthBeforeRead;
        lengthBeforeRead = length;
        if (length > peak) {
            peak = length;
        }
    }

    /**
     * Copies {@code in} into the buffer, where the bytes did not come from the socket read (TLS
     * hands on what it decrypted), with the room a read would make, or more if {@code in} holds
     * more. {@code bigArgRemaining} as for {@link #readTarget}.
     */
    void append(ByteBuf in, long bigArgRemaining) {
        readTarget(bigArgRemaining);
        int bytes = in.readableBytes();
        if (bytes > buf.writableBytes()) {
            makeRoom(bytes, bigArgRemaining < 0);
        }
        buf.writeBytes(in);
        afterRead();
    }

    /**
     * After decoding: drops the bytes decoded and moves the rest to the front (Redis's sdsrange
     * after processInputBuffer); while a big argument is read, makes room for the rest of it
     * (processMultibulkBuffer, once its length is known), so that it is held, counted and read in
     * place. {@code bigArgRemaining} as for {@link #readTarget}.
     */
    void afterDecode(long bigArgRemaining) {
        if (buf == null) {
            return;
        }
        if (!buf.isReadable()) {
            buf.clear();
        } else if (buf.readerIndex() > 0) {
            buf.discardReadBytes();
        }
        if (bigArgRemaining > 0) {
            makeRoom(bigArgRoom(bigArgRemaining), false);
        }
    }

    /** Drops every byte held (after a protocol error nothing more is decoded). */
    void discardAll() {
        if (buf != null) {
            buf.clear();
        }
    }

    /**
     * Redis's clientsCronResizeQueryBuffer, run by the cron for each client about once a second:
     * a buffer wasting more than 4 KB is freed down to its bytes when the client has been idle
     * (no read, and no command since {@code lastCommandMs}) for more than 2 s, or, past 32 KB and
     * more than twice the peak since the last look, trimmed to the larger of that peak, its bytes
     * and the big argument being read ({@code bulkLength}, -1 if none). The peak then restarts
     * from what is held now.
     */
    void cronResize(long nowMs, long lastCommandMs, long bulkLength) {
        if (reads != readsSeen) {
            readsSeen = reads;
            lastReadMs = nowMs;
        }
        int length = length();
        int capacity = capacity();
        if (capacity - length > WASTE_THRESHOLD) {
            long lastInteraction = Math.max(lastReadMs, lastCommandMs);
            if (nowMs / 1000 - lastInteraction / 1000 > IDLE_SECONDS) {
                resize(length);
            } else if (capacity > RESIZE_THRESHOLD && capacity / 2 > peak) {
                // Never up: the room of a huge argument is bounded (MAX_ROOM_AHEAD) where Redis's is not.
                resize((int) Math.min(Math.max(Math.max(length, peak), bulkLength), capacity));
            }
        }
        peak = (int) Math.max(length(), bulkLength);
    }

    /** Frees the buffer (disconnect). */
    void release() {
        if (buf != null) {
            buf.release();
            buf = null;
            readView = null;
        }
    }

    private int bigArgRoom(long remaining) {
        return (int) Math.min(remaining, Math.max(MAX_ROOM_AHEAD, length()));
    }

    /**
     * Redis's sdsMakeRoomFor ({@code greedy}) and sdsMakeRoomForNonGreedy: at least {@code bytes}
     * writable; the new size is the bytes held plus {@code bytes}, doubled (greedy) below 1 MB or
     * plus 1 MB above. Exactly that size: Redis takes the allocator's usable size (jemalloc rounds
     * up by at most a quarter), but Netty's pooled blocks may reserve up to twice the size asked
     * for, room that is not the buffer's to report.
     */
    private void makeRoom(int bytes, boolean greedy) {
        if (buf != null && buf.writableBytes() >= bytes) {
            return;
        }
        long needed = (long) (buf == null ? 0 : buf.writerIndex()) + bytes;
        if (greedy) {
            needed = needed < MAX_PREALLOC ? needed * 2 : needed + MAX_PREALLOC;
        }
        int size = (int) Math.min(needed, RespDecoder.MAX_BULK + 2);
        if (buf == null) {
            buf = alloc.directBuffer(size);
            readView = Unpooled.unreleasableBuffer(buf);
        } else {
            buf.capacity(size); // the bytes held move once, as realloc moves them
        }
    }

    /** Redis's sdsResize: a buffer of exactly {@code size} bytes holding the same bytes; none at 0. */
    private void resize(int size) {
        if (size == buf.capacity()) {
            return;
        }
        ByteBuf old = buf;
        buf = null;
        readView = null;
        if (size > 0) {
            // A smaller capacity would not give the memory back (a pooled block keeps its size).
            buf = alloc.directBuffer(size);
            buf.writeBytes(old, old.readerIndex(), old.readableBytes());
            readView = Unpooled.unreleasableBuffer(buf);
        }
        old.release();
    }
}
