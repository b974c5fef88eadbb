package io.respire.persistence.aof;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Commands as the AOF (and the replication stream) hold them: RESP arrays of bulk strings
 * (Redis's catAppendOnlyGenericCommand), and the {@code #TS:} annotation lines that
 * aof-timestamp-enabled adds.
 */
public final class AofCommandWriter {
    private static final byte[] CRLF = {'\r', '\n'};

    private AofCommandWriter() {
    }

    /** Appends {@code argv} as a RESP array of bulk strings. */
    public static void append(ByteArrayOutputStream out, byte[][] argv) {
        header(out, '*', argv.length);
        for (byte[] arg : argv) {
            header(out, '$', arg.length);
            out.writeBytes(arg);
            out.writeBytes(CRLF);
        }
    }

    /** {@code argv} as a RESP array of bulk strings. */
    public static byte[] encode(byte[][] argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        append(out, argv);
        return out.toByteArray();
    }

    /** The annotation line {@code #TS:<unix seconds>} (Redis's genAofTimestampAnnotationIfNeeded). */
    public static void timestamp(ByteArrayOutputStream out, long unixSeconds) {
        out.writeBytes(("#TS:" + unixSeconds + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void header(ByteArrayOutputStream out, char type, long n) {
        out.write(type);
        out.writeBytes(Long.toString(n).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(CRLF);
    }
}
