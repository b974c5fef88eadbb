package io.respire.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Writes replies into a connection's output buffer in RESP2 or RESP3, whichever the connection
 * chose with HELLO. Numbers and length headers are written digit by digit, without building
 * strings, since every reply has at least one.
 */
public final class RespReplyWriter implements Reply {
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

    private ByteBuf out;
    private int protocol = 2;
    private java.util.function.Consumer<String> errorListener;

    public RespReplyWriter(ByteBuf out) {
        this.out = out;
    }

    /** Points the writer at another buffer (the connection's next output batch). */
    public void target(ByteBuf buffer) {
        this.out = buffer;
    }

    public ByteBuf target() {
        return out;
    }

    /**
     * Hears every error reply written (the server counts them for INFO errorstats, as Redis's
     * afterErrorReply); null for none.
     */
    public void errorListener(java.util.function.Consumer<String> listener) {
        this.errorListener = listener;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    public void protocol(int version) {
        this.protocol = version;
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
    public void error(String message) {
        out.writeByte('-');
        // Redis replaces newlines in error texts so that the reply stays one line.
        writeUtf8(message.indexOf('\n') < 0 && message.indexOf('\r') < 0
                ? message : message.replace('\r', ' ').replace('\n', ' '));
        out.writeBytes(CRLF);
        if (errorListener != null) {
            errorListener.accept(message);
        }
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
    public void nullBulk() {
        out.writeBytes(protocol == 3 ? NULL3 : NULL_BULK);
    }

    @Override
    public void nullArray() {
        out.writeBytes(protocol == 3 ? NULL3 : NULL_ARRAY);
    }

    @Override
    public void array(int length) {
        header('*', ARRAY_HEADERS, length);
    }

    @Override
    public void map(int pairs) {
        if (protocol == 3) {
            header('%', null, pairs);
        } else {
            header('*', ARRAY_HEADERS, pairs * 2);
        }
    }

    @Override
    public void set(int length) {
        header(protocol == 3 ? '~' : '*', protocol == 3 ? null : ARRAY_HEADERS, length);
    }

    @Override
    public void push(int length) {
        header(protocol == 3 ? '>' : '*', protocol == 3 ? null : ARRAY_HEADERS, length);
    }

    @Override
    public void doubleValue(double value) {
        String text = DoubleFormat.g17(value);
        if (protocol == 3) {
            out.writeByte(',');
            writeAscii(text);
            out.writeBytes(CRLF);
        } else {
            bulk(text.getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Override
    public void bool(boolean value) {
        if (protocol == 3) {
            out.writeBytes(value ? TRUE3 : FALSE3);
        } else {
            integer(value ? 1 : 0);
        }
    }

    @Override
    public void bigNumber(String digits) {
        if (protocol == 3) {
            out.writeByte('(');
            writeAscii(digits);
            out.writeBytes(CRLF);
        } else {
            bulk(digits.getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Override
    public void verbatim(String format, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (protocol == 3) {
            header('=', null, bytes.length + 4);
            writeAscii(format);
            out.writeByte(':');
            out.writeBytes(bytes);
            out.writeBytes(CRLF);
        } else {
            bulk(bytes);
        }
    }

    @Override
    public void raw(byte[] encoded) {
        out.writeBytes(encoded);
    }

    private void header(char type, byte[][] cache, long length) {
        if (cache != null && length >= 0 && length < cache.length) {
            out.writeBytes(cache[(int) length]);
            return;
        }
        out.writeByte(type);
        writeDecimal(length);
        out.writeBytes(CRLF);
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
