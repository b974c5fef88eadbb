package io.respire.persistence.aof;

import java.nio.charset.StandardCharsets;

/**
 * Commands as the AOF (and the replication stream) hold them: RESP arrays of bulk strings
 * (Redis's catAppendOnlyGenericCommand), and the {@code #TS:} annotation lines that
 * aof-timestamp-enabled adds.
 */
public final class AofCommandWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] TS = "#TS:".getBytes(StandardCharsets.US_ASCII);

    private AofCommandWriter() {
    }

    /** Appends {@code argv} as a RESP array of bulk strings. */
    public static void append(CommandBuffer out, byte[][] argv) {
        header(out, '*', argv.length);
        for (byte[] arg : argv) {
            header(out, '$', arg.length);
            out.write(arg);
            out.write(CRLF);
        }
    }

    /** {@code argv} as a RESP array of bulk strings. */
    public static byte[] encode(byte[][] argv) {
        CommandBuffer out = new CommandBuffer(64);
        append(out, argv);
        return out.toByteArray();
    }

    /** The annotation line {@code #TS:<unix seconds>} (Redis's genAofTimestampAnnotationIfNeeded). */
    public static void timestamp(CommandBuffer out, long unixSeconds) {
        out.write(TS);
        out.writeDecimal(unixSeconds);
        out.write(CRLF);
    }

    private static void header(CommandBuffer out, char type, long n) {
        out.write(type);
        out.writeDecimal(n);
        out.write(CRLF);
    }
}
