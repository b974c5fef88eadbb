package io.respire.server.replication;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Reads a primary's replication stream: RESP arrays of bulk strings, as Redis's primaries and
 * Respire's write them, each taken whole with its exact bytes, since a replica counts its offset
 * in bytes of the stream (Redis's reploff) and passes the same bytes on to its own replicas. Also
 * the lines of the handshake's replies. Knows nothing of what the commands mean.
 */
final class StreamParser {
    /** Longest line accepted (a reply line, an array or bulk header), as Redis's PROTO_INLINE_MAX_SIZE. */
    static final int MAX_LINE = 64 * 1024;
    /**
     * Most arguments in one command (Redis's INT_MAX for any client) and the longest argument: what
     * a Java array holds. A primary's stream is not held to proto-max-bulk-len (Redis checks it for
     * other clients only): what the primary accepted, its replica takes.
     */
    private static final long MAX_ARGS = Integer.MAX_VALUE;
    private static final long MAX_BULK = Integer.MAX_VALUE - 8;

    /** A command of the stream: its arguments and the bytes it took. */
    record Command(byte[][] argv, byte[] raw) {
    }

    /**
     * One line without its CR LF (a lone LF also ends it, as Redis's keepalive newlines), or null
     * if the buffer holds no whole line yet; consumed from {@code in}.
     *
     * @throws IllegalStateException if the line is longer than {@link #MAX_LINE}
     */
    static String readLine(ByteBuf in) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > MAX_LINE) {
                throw new IllegalStateException("line too long");
            }
            return null;
        }
        int end = lf > in.readerIndex() && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        String line = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.ISO_8859_1);
        in.readerIndex(lf + 1);
        return line;
    }

    /**
     * The next whole command, consumed from {@code in}, or null (nothing consumed) if it has not
     * all arrived.
     *
     * @throws IllegalStateException if the bytes are not a command (Redis closes the link then)
     */
    Command next(ByteBuf in) {
        int start = in.readerIndex();
        long count = header(in, '*', MAX_ARGS);
        if (count < 0) {
            in.readerIndex(start);
            return null;
        }
        // Grown as arguments arrive: a count is not trusted with memory before its arguments come.
        byte[][] argv = new byte[(int) Math.min(count, 1024)][];
        for (int i = 0; i < count; i++) {
            long len = header(in, '$', MAX_BULK);
            if (len < 0 || in.readableBytes() < len + 2) {
                in.readerIndex(start);
                return null;
            }
            if (i == argv.length) {
                argv = java.util.Arrays.copyOf(argv, (int) Math.min(count, 2L * argv.length));
            }
            argv[i] = new byte[(int) len];
            in.readBytes(argv[i]);
            if (in.readByte() != '\r' || in.readByte() != '\n') {
                throw new IllegalStateException("bulk not ended by CRLF");
            }
        }
        if (count == 0) {
            throw new IllegalStateException("empty command");
        }
        byte[] raw = new byte[in.readerIndex() - start];
        in.getBytes(start, raw);
        return new Command(argv, raw);
    }

    /** A "*N" or "$N" line's N, or -1 if the line has not arrived. */
    private static long header(ByteBuf in, char type, long max) {
        if (!in.isReadable()) {
            return -1;
        }
        if (in.getByte(in.readerIndex()) != type) {
            throw new IllegalStateException("expected '" + type + "'");
        }
        String line = readLine(in);
        if (line == null) {
            return -1;
        }
        long n;
        try {
            n = Long.parseLong(line.substring(1));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("invalid length");
        }
        if (n < 0 || n > max || n > Integer.MAX_VALUE - 2) {
            throw new IllegalStateException("invalid length " + n);
        }
        return n;
    }
}
