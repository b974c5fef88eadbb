package io.respire.persistence.aof;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the commands of an AOF file, or of the tail of one after its RDB preamble, as Redis's
 * loadSingleAppendOnlyFile parses them: each is {@code *<argc>} then {@code $<len>} and the bytes
 * of each argument; lines starting with '#' between commands (the {@code #TS:} annotations) are
 * skipped. It only parses; running the commands is the caller's business.
 *
 * <p>A file that ends inside a command throws an {@link AofFormatException} that says so, with
 * the offset after the last complete command; any other deviation is a format error. Lengths are
 * checked against the bytes the file has left, so a corrupt length never allocates more than the
 * file holds.
 */
public final class AofCommandReader {
    /** Redis's AOF_ANNOTATION_LINE_MAX_LEN: lines are read with fgets into a buffer this large. */
    private static final int LINE_MAX = 1024;

    private final InputStream in;
    private final long limit;
    private long position;
    private long lastCommandEnd;
    private final byte[] line = new byte[LINE_MAX];
    private int lineLength;

    /**
     * @param in    the file, positioned at {@code start}
     * @param start the offset of {@code in}'s first byte in the file
     * @param size  the file's size
     */
    public AofCommandReader(InputStream in, long start, long size) {
        this.in = in;
        this.position = start;
        this.lastCommandEnd = start;
        this.limit = size;
    }

    /** The offset after the last command returned (Redis's valid_up_to). */
    public long position() {
        return lastCommandEnd;
    }

    /**
     * The next command, or null at the end of the file.
     *
     * @throws AofFormatException if the file ends inside a command, or is not in the AOF format
     */
    public byte[][] next() throws IOException {
        while (true) {
            if (!readLine()) {
                return null;
            }
            if (line[0] != '#') {
                break;
            }
        }
        if (line[0] != '*') {
            throw formatError();
        }
        if (lineLength == 1) {
            throw truncated(); // "*" and the end of the file
        }
        long argc = atol(1);
        if (argc < 1) {
            throw formatError();
        }
        List<byte[]> argv = new ArrayList<>((int) Math.min(argc, 64));
        for (long j = 0; j < argc; j++) {
            if (!readLine()) {
                throw truncated();
            }
            if (line[0] != '$') {
                throw formatError();
            }
            long len = atol(1);
            if (len < 0 || len > Integer.MAX_VALUE - 8) {
                throw formatError(); // no argument can be this long (Redis's proto-max-bulk-len is 512 MB)
            }
            if (len > limit - position) {
                throw truncated();
            }
            byte[] arg = in.readNBytes((int) len);
            position += arg.length;
            if (arg.length < len) {
                throw truncated();
            }
            argv.add(arg);
            // The two bytes after an argument are skipped, not checked, as Redis does.
            long skipped = in.readNBytes(2).length;
            position += skipped;
            if (skipped < 2) {
                throw truncated();
            }
        }
        lastCommandEnd = position;
        return argv.toArray(new byte[0][]);
    }

    /** C's fgets into a 1024-byte buffer: up to 1023 bytes, through a newline; false at the end. */
    private boolean readLine() throws IOException {
        lineLength = 0;
        while (lineLength < LINE_MAX - 1) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            position++;
            line[lineLength++] = (byte) b;
            if (b == '\n') {
                break;
            }
        }
        return lineLength > 0;
    }

    /** C's atoi/strtol on the line from {@code from}: digits after an optional sign, 0 if none. */
    private long atol(int from) {
        int i = from;
        boolean negative = false;
        if (i < lineLength && (line[i] == '-' || line[i] == '+')) {
            negative = line[i] == '-';
            i++;
        }
        long v = 0;
        for (; i < lineLength && line[i] >= '0' && line[i] <= '9'; i++) {
            if (v > (Long.MAX_VALUE - 9) / 10) {
                return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            v = v * 10 + (line[i] - '0');
        }
        return negative ? -v : v;
    }

    private AofFormatException truncated() {
        return new AofFormatException(true, lastCommandEnd, position);
    }

    private AofFormatException formatError() {
        return new AofFormatException(false, lastCommandEnd, position);
    }
}
