package io.respire.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;

import java.util.function.BooleanSupplier;

/**
 * Decodes client requests, multibulk ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) or inline
 * ({@code GET k\r\n}, what telnet sends), into {@code byte[][]} argument vectors handed on one by
 * one, from the connection's {@link QueryBuffer}. It follows Redis's processMultibulkBuffer and
 * processInlineBuffer: the same limits and the same error texts. A malformed request becomes a
 * {@link ProtocolError} after which nothing more is decoded; a query buffer past
 * {@code client-query-buffer-limit} becomes a {@link QueryBufferOverflow}, after which nothing more
 * is decoded either.
 *
 * <p>With {@link #socketReads} as the channel's RecvByteBufAllocator the socket reads straight into
 * the query buffer; other input (what TLS decrypted, a test's buffers) is copied into it. The
 * decoder keeps its place between reads (how many arguments remain, the announced bulk length), so
 * a large argument arriving in many reads is neither re-scanned nor allocated before its bytes are
 * here.
 */
public final class RespDecoder extends ChannelInboundHandlerAdapter {
    private static final byte[][] NO_ARGS = new byte[0][];
    /** How many command names {@link #recentNames} keeps; a power of two. */
    private static final int RECENT_NAMES = 4;
    /** Names longer than this are not kept (Redis's longest command name has 20 bytes). */
    private static final int MAX_RECENT_NAME = 24;
    /** The longest argument a byte[] can hold. */
    static final long MAX_BULK = Integer.MAX_VALUE - 8;

    private final DecoderLimits limits;
    private final BooleanSupplier authRequired;

    /** The query buffer; null until the handler is added and after it is removed. */
    private QueryBuffer query;
    private ChannelHandlerContext ctx;
    /** Arguments still to read in the current multibulk request; 0 when between requests. */
    private int multibulkRemaining;
    /** Length of the bulk being read, or -1 before its {@code $} line. */
    private long bulkLength = -1;
    private byte[][] argv = NO_ARGS;
    private int argc;
    /**
     * The command names this connection sent last, reused as argv[0] when the next request names
     * one of them again (arrays are never changed in place once decoded): a client mostly repeats
     * a few commands, and each request then allocates one array fewer.
     */
    private final byte[][] recentNames = new byte[RECENT_NAMES][];
    private int nextRecentName;
    private boolean failed;
    /** Bytes of the arguments read so far of the request not yet complete (Redis's argv_len_sum). */
    private long partialBytes;
    /** Whether requests are being decoded and run now: a read nested in one leaves them to it. */
    private boolean decoding;
    private boolean releaseAfterDecoding;
    /** Since the last read complete: whether bytes came, and whether a request was handed on. */
    private boolean readSinceComplete;
    private boolean requestSinceComplete;

    // What the other threads see (CLIENT LIST, client eviction from the executor): the plain fields
    // are written before the volatile one and read after it.
    private int shownCapacity;
    private long shownArgumentBytes;
    private volatile int shownLength;

    public RespDecoder(DecoderLimits limits, BooleanSupplier authRequired) {
        this.limits = limits;
        this.authRequired = authRequired;
    }

    /**
     * Bytes in the query buffer (Redis's qbuf): received and not decoded yet, and, while this
     * connection's requests run on its event loop, the requests of the read, as Redis's buffer holds
     * them until its processInputBuffer ends. Any thread.
     */
    public long queryBufferBytes() {
        return shownLength;
    }

    /**
     * The bytes received since the last call (Redis's stat_net_input_bytes counts them per read).
     * On the connection's event loop.
     */
    public long takeBytesReceived() {
        return query == null ? 0 : query.takeReceived();
    }

    /** The query buffer's room beyond {@link #queryBufferBytes} (qbuf-free). Any thread. */
    public long queryBufferFree() {
        int length = shownLength;
        return shownCapacity - length;
    }

    /** What the query buffer holds allocated (Redis's sdsalloc(querybuf)); 0 while it is freed. Any thread. */
    public long queryBufferCapacity() {
        int ignored = shownLength; // the volatile read that makes shownCapacity current
        return shownCapacity;
    }

    /**
     * Bytes of the arguments already read of a request not complete yet (Redis's argv_len_sum of a
     * client whose request is still arriving). Any thread.
     */
    public long partialArgumentBytes() {
        int ignored = shownLength;
        return shownArgumentBytes;
    }

    /**
     * The channel's RecvByteBufAllocator for a connection read as it is (not through TLS): each read
     * goes into this decoder's query buffer, with the room Redis's readQueryFromClient makes, rather
     * than into a buffer of its own. Up to {@code maxMessagesPerRead} reads per readiness, as with
     * Netty's default.
     */
    public RecvByteBufAllocator socketReads(int maxMessagesPerRead) {
        return new DefaultMaxMessagesRecvByteBufAllocator(maxMessagesPerRead) {
            @Override
            public Handle newHandle() {
                return new MaxMessageHandle() {
                    @Override
                    public ByteBuf allocate(ByteBufAllocator alloc) {
                        if (query == null) {
                            return alloc.ioBuffer(guess()); // the decoder is gone: a buffer of its own, as by default
                        }
                        return query.readTarget(bigArgumentRemaining());
                    }

                    @Override
                    public int guess() {
                        return QueryBuffer.IOBUF_LEN;
                    }
                };
            }
        };
    }

    /**
     * Redis's clientsCronResizeQueryBuffer for this connection (see {@link QueryBuffer#cronResize}),
     * on its event loop: now when called there, else queued to it. {@code lastCommandMs}: when the
     * client's last command ran.
     */
    public void cronResize(long nowMs, long lastCommandMs) {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            return;
        }
        if (c.executor().inEventLoop()) {
            resizeNow(nowMs, lastCommandMs);
        } else {
            c.executor().execute(() -> resizeNow(nowMs, lastCommandMs));
        }
    }

    private void resizeNow(long nowMs, long lastCommandMs) {
        if (query != null && !decoding) {
            query.cronResize(nowMs, lastCommandMs, multibulkRemaining > 0 ? bulkLength : -1);
            publish();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.query = new QueryBuffer(ctx.alloc());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release(); // the connection is gone: its buffer goes now, as Redis's freeClient frees it
        ctx.fireChannelInactive();
    }

    private void release() {
        if (decoding) {
            releaseAfterDecoding = true; // a request closed the connection: the buffer goes once the loop ends
        } else if (query != null) {
            query.release();
            query = null;
            publish();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (query == null) {
            in.release();
            return;
        }
        readSinceComplete = true;
        if (query.isReadTarget(in)) {
            query.afterRead();
        } else {
            try {
                query.append(in, bigArgumentRemaining());
            } finally {
                in.release();
            }
        }
        if (decoding) {
            return; // read while a request of this connection runs: the loop running it decodes these bytes next
        }
        decoding = true;
        try {
            publish();
            decodeAll(ctx, query.buf());
        } finally {
            decoding = false;
            if (failed) {
                query.discardAll();
            }
            query.afterDecode(bigArgumentRemaining());
            publish();
            if (releaseAfterDecoding) {
                release();
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // With auto-read off (back-pressure), a read that completed no request asks for the next
        // one, or the request would never complete (as ByteToMessageDecoder does).
        if (readSinceComplete && !requestSinceComplete && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
        readSinceComplete = false;
        requestSinceComplete = false;
        ctx.fireChannelReadComplete();
    }

    /** While a big argument is read: its bytes (and CRLF) not in the buffer yet; otherwise -1. */
    private long bigArgumentRemaining() {
        if (multibulkRemaining == 0 || bulkLength < QueryBuffer.BIG_ARG) {
            return -1;
        }
        return Math.max(0, bulkLength + 2 - query.length());
    }

    private void publish() {
        QueryBuffer q = query;
        shownCapacity = q == null ? 0 : q.capacity();
        shownArgumentBytes = partialBytes;
        shownLength = q == null ? 0 : q.length();
    }

    private void emit(ChannelHandlerContext ctx, Object request) {
        requestSinceComplete = true;
        ctx.fireChannelRead(request);
    }

    private void decodeAll(ChannelHandlerContext ctx, ByteBuf in) {
        if (failed) {
            return;
        }
        if (in.readableBytes() > limits.clientQueryBufferLimit()) {
            // Redis closes such a client without a reply, after a log line the connection writes.
            byte[] initial = new byte[Math.min(in.readableBytes(), QueryBufferOverflow.SHOWN_BYTES)];
            in.getBytes(in.readerIndex(), initial);
            failed = true;
            emit(ctx, new QueryBufferOverflow(initial));
            return;
        }
        while (in.isReadable() && !ctx.isRemoved()) {
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
            if (request instanceof ProtocolError) {
                failed = true;
                emit(ctx, request);
                return;
            }
            emit(ctx, request);
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

    private static byte[] readBulk(ByteBuf in, int length) {
        byte[] arg = new byte[length];
        in.readBytes(arg);
        return arg;
    }

    /** The first argument: one of {@link #recentNames} if it is the same bytes, else a new array kept there. */
    private byte[] commandName(ByteBuf in, int length) {
        if (length > MAX_RECENT_NAME) {
            return readBulk(in, length);
        }
        int at = in.readerIndex();
        for (byte[] name : recentNames) {
            if (name != null && name.length == length && sameBytes(in, at, name)) {
                in.skipBytes(length);
                return name;
            }
        }
        byte[] name = readBulk(in, length);
        recentNames[nextRecentName++ & (RECENT_NAMES - 1)] = name;
        return name;
    }

    private static boolean sameBytes(ByteBuf in, int at, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (in.getByte(at + i) != bytes[i]) {
                return false;
            }
        }
        return true;
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
            }
            if (in.readableBytes() < bulkLength + 2) {
                return null; // a big argument gets its room once this read is decoded (QueryBuffer.afterDecode)
            }
            byte[] arg = argc == 0 ? commandName(in, (int) bulkLength) : readBulk(in, (int) bulkLength);
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
