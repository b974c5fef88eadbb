package io.respire.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Writes replies into a connection's output buffer in RESP2 or RESP3, whichever the connection
 * chose with HELLO. Numbers and length headers are written digit by digit, without building
 * strings, since every reply has at least one.
 */
public final class RespReplyWriter extends VersionedReply {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE3 = "#t\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE3 = "#f\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int CACHED_INTEGERS = 10_000;
    private static final byte[][] INTEGER_REPLIES = new byte[CACHED_INTEGERS][];
    private static final byte[][] BULK_HEADERS = new byte[1024][];
    private static final byte[][] ARRAY_HEADERS = new byte[1024][];

    static {
        for (int i = 0; i < CACHED_INTEGERS; i++) {
            INTEGER_REPLIES[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        for (int i = 0; i < BULK_HEADERS.length; i++) {
            BULK_HEADERS[i] = ("$" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            ARRAY_HEADERS[i] = ("*" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * A reply encoded once, as {@code protocol} frames it, for copying as bytes to many clients
     * (a published message, a tracking invalidation); {@code sizeHint} sizes the first buffer.
     */
    public static byte[] encode(int protocol, int sizeHint, java.util.function.Consumer<? super RespReplyWriter> reply) {
        ByteBuf buf = io.netty.buffer.Unpooled.buffer(sizeHint);
        RespReplyWriter r = new RespReplyWriter(buf);
        r.protocol(protocol);
        reply.accept(r);
        return io.netty.buffer.ByteBufUtil.getBytes(buf);
    }

    private ByteBuf out;
    /** Past this writer index {@link #growth} runs (the output buffer limit check); then one step further. */
    private int checkAt = Integer.MAX_VALUE;
    private int checkStep = Integer.MAX_VALUE;
    private Runnable growth;

    public RespReplyWriter(ByteBuf out) {
        this.out = out;
    }

    /** Points the writer at another buffer (the connection's next output batch). */
    public void target(ByteBuf buffer) {
        this.out = buffer;
        this.checkAt = checkStep;
    }

    /**
     * Runs {@code hook} each time the output grows by {@code stepBytes} more, counted from the start
     * of the buffer: a reply that keeps growing (a huge LRANGE, a long pipeline) is checked against
     * the connection's limits while it is written, not only once it is complete. The hook may
     * {@link #target} another buffer.
     */
    public void onGrowth(int stepBytes, Runnable hook) {
        this.checkStep = stepBytes;
        this.checkAt = stepBytes;
        this.growth = hook;
    }

    /** Called after each write that can make a reply large: elements and headers. */
    private void grew() {
        if (out.writerIndex() >= checkAt) {
            checkAt = out.writerIndex() + checkStep;
            growth.run();
        }
    }

    public ByteBuf target() {
        return out;
    }

    /** Where the reply being written starts: {@link #rollback} drops what follows (CLIENT REPLY). */
    public int mark() {
        return out.writerIndex();
    }

    /**
     * Writes bytes as they are, outside any reply (a replication stream, an RDB payload): the
     * caller is responsible for their format.
     */
    public void raw(byte[] bytes) {
        raw(bytes, 0, bytes.length);
    }

    /** {@link #raw(byte[])} of {@code len} bytes of {@code bytes} from {@code off}. */
    public void raw(byte[] bytes, int off, int len) {
        out.writeBytes(bytes, off, len);
        grew();
    }

    /** Drops what was written since {@code mark} (nothing if the output was discarded meanwhile). */
    public void rollback(int mark) {
        if (mark <= out.writerIndex()) {
            out.writerIndex(mark);
        }
    }

    @Override
    public void simple(String status) {
        out.writeByte('+');
        writeAscii(status);
        out.writeBytes(CRLF);
    }

    @Override
    public void ok() {
        out.writeBytes(OK);
    }

    @Override
    public void errorNotCounted(String message) {
        out.writeByte('-');
        // Redis replaces newlines in error texts so that the reply stays one line.
        writeUtf8(message.indexOf('\n') < 0 && message.indexOf('\r') < 0
                ? message : message.replace('\r', ' ').replace('\n', ' '));
        out.writeBytes(CRLF);
    }

    @Override
    public void integer(long value) {
        if (value >= 0 && value < CACHED_INTEGERS) {
            out.writeBytes(INTEGER_REPLIES[(int) value]);
            return;
        }
        out.writeByte(':');
        writeDecimal(value);
        out.writeBytes(CRLF);
    }

    @Override
    public void bulk(byte[] value) {
        bulk(value, 0, value.length);
    }

    @Override
    public void bulk(byte[] value, int offset, int length) {
        header('$', BULK_HEADERS, length);
        out.writeBytes(value, offset, length);
        out.writeBytes(CRLF);
        grew();
    }

    @Override
    public void bulk(String value) {
        bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void bulkLong(long value) {
        if (value >= 0 && value < 10) {
            out.writeBytes(BULK_HEADERS[1]);
            out.writeByte('0' + (int) value);
            out.writeBytes(CRLF);
            return;
        }
        bulk(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    protected void nullBulk2() {
        out.writeBytes(NULL_BULK);
    }

    @Override
    protected void nullArray2() {
        out.writeBytes(NULL_ARRAY);
    }

    @Override
    protected void null3() {
        out.writeBytes(NULL3);
    }

    @Override
    public void array(int length) {
        header('*', ARRAY_HEADERS, length);
    }

    @Override
    protected void mapHeader(int pairs) {
        header('%', null, pairs);
    }

    @Override
    protected void setHeader(int length) {
        header('~', null, length);
    }

    @Override
    protected void pushHeader(int length) {
        header('>', null, length);
    }

    @Override
    public void attribute(int pairs) {
        header('|', null, pairs);
    }

    @Override
    protected void double3(double value) {
        out.writeByte(',');
        writeAscii(DoubleFormat.g17(value));
        out.writeBytes(CRLF);
        grew();
    }

    @Override
    protected void double3(double value, String text) {
        out.writeByte(',');
        writeAscii(text);
        out.writeBytes(CRLF);
    }

    @Override
    protected void bool3(boolean value) {
        out.writeBytes(value ? TRUE3 : FALSE3);
    }

    @Override
    protected void bigNumber3(String digits) {
        out.writeByte('(');
        writeAscii(digits);
        out.writeBytes(CRLF);
    }

    @Override
    protected void verbatim3(String format, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        header('=', null, bytes.length + 4);
        writeAscii(format);
        out.writeByte(':');
        out.writeBytes(bytes);
        out.writeBytes(CRLF);
    }

    private void header(char type, byte[][] cache, long length) {
        if (cache != null && length >= 0 && length < cache.length) {
            out.writeBytes(cache[(int) length]);
        } else {
            out.writeByte(type);
            writeDecimal(length);
            out.writeBytes(CRLF);
        }
        grew();
    }

    private void writeDecimal(long value) {
        if (value == Long.MIN_VALUE) {
            writeAscii("-9223372036854775808");
            return;
        }
        if (value < 0) {
            out.writeByte('-');
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        out.ensureWritable(digits);
        int end = out.writerIndex() + digits;
        for (int i = end - 1; i >= out.writerIndex(); i--) {
            out.setByte(i, (int) ('0' + value % 10));
            value /= 10;
        }
        out.writerIndex(end);
    }

    private void writeAscii(String s) {
        out.writeCharSequence(s, StandardCharsets.ISO_8859_1);
    }

    private void writeUtf8(String s) {
        out.writeCharSequence(s, StandardCharsets.UTF_8);
    }
}
