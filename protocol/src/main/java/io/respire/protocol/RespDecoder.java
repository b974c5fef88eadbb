package io.respire.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Decodes client requests, multibulk ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) or inline
 * ({@code GET k\r\n}, what telnet sends), into {@code byte[][]} argument vectors, straight from the
 * receive buffer. It follows Redis's processMultibulkBuffer/processInlineBuffer: the same limits and
 * the same error texts. A malformed request becomes a {@link ProtocolError} after which nothing
 * more is decoded; a query buffer past {@code client-query-buffer-limit} becomes a
 * {@link QueryBufferOverflow}, after which nothing more is decoded either.
 *
 * <p>The decoder keeps its place between reads (how many arguments remain, the announced bulk
 * length), so a large argument arriving in many reads is neither re-scanned nor allocated before its
 * bytes are here.
 */
public final class RespDecoder extends ByteToMessageDecoder {
    private static final byte[][] NO_ARGS = new byte[0][];
    /** The longest argument a byte[] can hold. */
    static final long MAX_BULK = Integer.MAX_VALUE - 8;

    private final DecoderLimits limits;
    private final BooleanSupplier authRequired;

    /** Arguments still to read in the current multibulk request; 0 when between requests. */
    private int multibulkRemaining;
    /** Length of the bulk being read, or -1 before its {@code $} line. */
    private long bulkLength = -1;
    /** Whether the buffer was given room for the bulk being read (or it is too small to need it). */
    private boolean roomMade;
    private byte[][] argv = NO_ARGS;
    private int argc;
    private boolean failed;
    /** Bytes of the arguments read so far of the request not yet complete. */
    private long partialBytes;
    /** What {@link #queryBufferBytes} reports; written by the I/O thread, read by the executor. */
    private volatile long queryBufferBytes;
    /** What {@link #queryBufferFree} reports. */
    private volatile long queryBufferFree;

    /**
     * Redis's PROTO_MBULK_BIG_ARG: from this size on, the buffer is made room for the whole
     * argument as soon as its length is announced, as Redis does, rather than grown by doubling
     * (and copied) as its bytes arrive.
     */
    static final int BIG_ARG = 32 * 1024;
    /**
     * The most room made ahead of the bytes received. Redis reserves the whole announced length
     * (up to proto-max-bulk-len); a bound keeps a bare header from reserving hundreds of megabytes
     * of a JVM's direct memory. Past it the buffer grows as the bytes come, as for smaller ones.
     */
    static final int MAX_ROOM_AHEAD = 16 << 20;

    public RespDecoder(DecoderLimits limits, BooleanSupplier authRequired) {
        this.limits = limits;
        this.authRequired = authRequired;
    }

    /**
     * Bytes received but not yet handed on as a request: Redis's query buffer, which used_memory
     * counts (the unread input, and the arguments of the request being read). Any thread.
     */
    public long queryBufferBytes() {
        return queryBufferBytes;
    }

    /**
     * The room the receive buffer holds beyond {@link #queryBufferBytes} (Redis's qbuf-free): for a
     * big argument, the rest of it (see {@link #BIG_ARG}); 0 once the buffer is released, which
     * happens as soon as every byte received has been decoded. Any thread.
     */
    public long queryBufferFree() {
        return queryBufferFree;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            decodeAll(ctx, in, out);
        } finally {
            queryBufferBytes = in.readableBytes() + partialBytes;
            queryBufferFree = in.isReadable() ? in.capacity() - in.readableBytes() : 0;
        }
    }

    private void decodeAll(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() > limits.clientQueryBufferLimit()) {
            // Redis closes such a client without a reply, after a log line the connection writes.
            byte[] initial = new byte[Math.min(in.readableBytes(), QueryBufferOverflow.SHOWN_BYTES)];
            in.getBytes(in.readerIndex(), initial);
            in.skipBytes(in.readableBytes());
            failed = true;
            out.add(new QueryBufferOverflow(initial));
            return;
        }
        while (in.isReadable()) {
            Object request;
            if (multibulkRemaining > 0 || in.getByte(in.readerIndex()) == '*') {
                request = decodeMultibulk(in);
            } else {
                request = decodeInline(in);
            }
            if (request == null) {
                return; // need more bytes
            }
            if (request == NO_ARGS) {
                continue; // empty line or empty multibulk: nothing to run
            }
            out.add(request);
            if (request instanceof ProtocolError) {
                failed = true;
                in.skipBytes(in.readableBytes());
                return;
            }
        }
    }

    /**
     * Redis's sdsMakeRoomForNonGreedy for a big argument: the buffer gets exactly the room the rest
     * of the argument needs, up to {@link #MAX_ROOM_AHEAD} (not rounded up to a power of two), and
     * the reads that follow fill it in place instead of growing and copying it as they come. The
     * bytes already consumed are dropped first, so that the room is for the argument alone.
     */
    private void makeRoomForArgument(ByteBuf in) {
        long needed = Math.min(bulkLength + 2 - in.readableBytes(), MAX_ROOM_AHEAD);
        if (needed > in.writableBytes() && !in.isReadOnly()) {
            in.discardReadBytes();
            in.capacity((int) Math.min(in.writerIndex() + needed, in.maxCapacity()));
        }
    }

    private Object decodeInline(ByteBuf in) {
        int start = in.readerIndex();
        int newline = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (newline < 0) {
            if (in.readableBytes() > DecoderLimits.INLINE_MAX_SIZE) {
                return new ProtocolError("Protocol error: too big inline request");
            }
            return null;
        }
        int end = newline;
        if (end > start && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(newline + 1);
        byte[][] args = InlineSplitter.split(line);
        if (args == null) {
            return new ProtocolError("Protocol error: unbalanced quotes in request");
        }
        return args.length == 0 ? NO_ARGS : args;
    }

    private Object decodeMultibulk(ByteBuf in) {
        if (multibulkRemaining == 0) {
            int start = in.readerIndex();
            int cr = in.indexOf(start, in.writerIndex(), (byte) '\r');
            if (cr < 0) {
                if (in.readableBytes() > DecoderLimits.INLINE_MAX_SIZE) {
                    return new ProtocolError("Protocol error: too big mbulk count string");
                }
                return null;
            }
            if (cr + 1 >= in.writerIndex()) {
                return null; // the \n is not here yet
            }
            long count = parseLength(in, start + 1, cr);
            if (count == Long.MIN_VALUE || count > Integer.MAX_VALUE) {
                return new ProtocolError("Protocol error: invalid multibulk length");
            }
            if (count > DecoderLimits.UNAUTHENTICATED_MAX_ARGS && authRequired.getAsBoolean()) {
                return new ProtocolError("Protocol error: unauthenticated multibulk length");
            }
            in.readerIndex(cr + 2);
            if (count <= 0) {
                return NO_ARGS;
            }
            multibulkRemaining = (int) count;
            // Grow as arguments arrive: a huge announced count must not allocate up front.
            argv = new byte[(int) Math.min(count, 1024)][];
            argc = 0;
        }
        while (multibulkRemaining > 0) {
            if (bulkLength < 0) {
                int start = in.readerIndex();
                int cr = in.indexOf(start, in.writerIndex(), (byte) '\r');
                if (cr < 0) {
                    if (in.readableBytes() > DecoderLimits.INLINE_MAX_SIZE) {
                        return new ProtocolError("Protocol error: too big bulk count string");
                    }
                    return null;
                }
                if (cr + 1 >= in.writerIndex()) {
                    return null;
                }
                byte marker = in.getByte(start);
                if (marker != '$') {
                    return new ProtocolError("Protocol error: expected '$', got '" + (char) (marker & 0xff) + "'");
                }
                long length = parseLength(in, start + 1, cr);
                // Past what a Java array holds the bulk could not be stored (proto-max-bulk-len may be set higher).
                if (length == Long.MIN_VALUE || length < 0 || length > limits.protoMaxBulkLen() || length > MAX_BULK) {
                    return new ProtocolError("Protocol error: invalid bulk length");
                }
                if (length > DecoderLimits.UNAUTHENTICATED_MAX_BULK && authRequired.getAsBoolean()) {
                    return new ProtocolError("Protocol error: unauthenticated bulk length");
                }
                in.readerIndex(cr + 2);
                bulkLength = length;
                roomMade = length < BIG_ARG;
            }
            if (in.readableBytes() < bulkLength + 2) {
                // Once per argument, and on a buffer that holds some of it: an empty one is released.
                if (!roomMade && in.isReadable()) {
                    makeRoomForArgument(in);
                    roomMade = true;
                }
                return null;
            }
            byte[] arg = new byte[(int) bulkLength];
            in.readBytes(arg);
            in.skipBytes(2); // the trailing CRLF, not checked (as in Redis)
            if (argc == argv.length) {
                argv = java.util.Arrays.copyOf(argv, (int) Math.min((long) argv.length * 2, argc + multibulkRemaining));
            }
            argv[argc++] = arg;
            partialBytes += arg.length;
            bulkLength = -1;
            multibulkRemaining--;
        }
        byte[][] request = argc == argv.length ? argv : java.util.Arrays.copyOf(argv, argc);
        argv = NO_ARGS;
        argc = 0;
        partialBytes = 0;
        return request;
    }

    /**
     * Redis's string2ll over the bytes [from, to): an optional minus sign, no leading zeros, no
     * spaces, no overflow. Returns Long.MIN_VALUE when the text is not such a number.
     */
    static long parseLength(ByteBuf in, int from, int to) {
        int length = to - from;
        if (length <= 0 || length > 20) {
            return Long.MIN_VALUE;
        }
        int i = from;
        boolean negative = false;
        if (in.getByte(i) == '-') {
            negative = true;
            if (++i == to) {
                return Long.MIN_VALUE;
            }
        }
        byte first = in.getByte(i);
        if (length == 1 && first == '0') {
            return 0;
        }
        if (first < '1' || first > '9') {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (; i < to; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                return Long.MIN_VALUE;
            }
            if (value > (Long.MAX_VALUE - (b - '0')) / 10) {
                return Long.MIN_VALUE;
            }
            value = value * 10 + (b - '0');
        }
        return negative ? -value : value;
    }
}
