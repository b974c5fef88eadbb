package io.respire.server.replication;

import io.netty.buffer.ByteBuf;
import io.respire.persistence.aof.CommandBuffer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The RDB payload a replica receives after +FULLRESYNC, kept as it arrives: written to a temporary
 * file (Redis's readSyncBulkPayload with repl-diskless-load disabled), so that memory stays
 * bounded by one read whatever the size of the dataset, or held in memory for the parser
 * (diskless load: no file is written). The payload comes as {@code $<length>} then the bytes, or,
 * from a diskless primary, as {@code $EOF:<40-byte mark>} then the bytes and the mark.
 */
final class RdbTransfer implements AutoCloseable {
    static final int MARK_LENGTH = 40;

    /** The file written, or null when the payload is held in memory. */
    private final Path file;
    private final FileChannel out;
    /** The payload held in memory (a diskless load), or null. */
    private final CommandBuffer memory;
    /** Bytes announced, or -1 for the EOF-mark form. */
    private final long size;
    private final byte[] mark;
    /** The last bytes received, to find the mark at the end (the EOF-mark form). */
    private byte[] tail = new byte[0];
    private long read;

    private RdbTransfer(Path file, long size, byte[] mark) throws IOException {
        this.file = file;
        this.size = size;
        this.mark = mark;
        if (file != null) {
            this.out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            this.memory = null;
        } else {
            this.out = null;
            this.memory = new CommandBuffer(size > 0 ? (int) Math.min(size, 1 << 20) : 1 << 16);
        }
    }

    /**
     * Starts a transfer from its header line ("$1234" or "$EOF:mark"), into {@code file}, or into
     * memory when {@code file} is null.
     *
     * @throws IllegalArgumentException if the line is neither form
     */
    static RdbTransfer start(String header, Path file) throws IOException {
        if (header.startsWith("$EOF:") && header.length() >= 5 + MARK_LENGTH) {
            byte[] mark = header.substring(5, 5 + MARK_LENGTH).getBytes(StandardCharsets.ISO_8859_1);
            return new RdbTransfer(file, -1, mark);
        }
        long size;
        try {
            size = Long.parseLong(header.substring(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(header);
        }
        if (size < 0) {
            throw new IllegalArgumentException(header);
        }
        return new RdbTransfer(file, size, null);
    }

    boolean usesMark() {
        return size < 0;
    }

    /** Whether the payload is held in memory for the parser (a diskless load). */
    boolean inMemory() {
        return memory != null;
    }

    /** Bytes announced (0 for the EOF-mark form, as Redis reports it) and received so far. */
    long size() {
        return Math.max(0, size);
    }

    long read() {
        return read;
    }

    /**
     * Keeps what {@code in} holds of the payload (no more than announced); true once the payload
     * is complete, the mark removed.
     */
    boolean consume(ByteBuf in) throws IOException {
        int n = size < 0 ? in.readableBytes() : (int) Math.min(in.readableBytes(), size - read);
        if (n > 0) {
            byte[] chunk = new byte[n];
            in.readBytes(chunk);
            if (memory != null) {
                try {
                    memory.write(chunk, 0, n);
                } catch (OutOfMemoryError e) { // past what one array holds (2 GB)
                    throw new IOException("the payload is too large to be loaded without a file");
                }
            } else {
                out.write(java.nio.ByteBuffer.wrap(chunk));
            }
            read += n;
            if (size < 0) {
                tail = lastBytes(tail, chunk);
            }
        }
        if (size >= 0) {
            return read == size;
        }
        if (Arrays.equals(tail, mark)) {
            if (out != null) {
                out.truncate(read - MARK_LENGTH);
            }
            return true;
        }
        return false;
    }

    /** The last MARK_LENGTH bytes of {@code before} followed by {@code chunk}. */
    private static byte[] lastBytes(byte[] before, byte[] chunk) {
        byte[] joined = new byte[before.length + chunk.length];
        System.arraycopy(before, 0, joined, 0, before.length);
        System.arraycopy(chunk, 0, joined, before.length, chunk.length);
        return Arrays.copyOfRange(joined, Math.max(0, joined.length - MARK_LENGTH), joined.length);
    }

    /** The array holding the complete payload in memory: its first {@link #payloadLength} bytes (not copied). */
    byte[] payload() {
        return memory.array();
    }

    /** The payload's length, without the mark. */
    int payloadLength() {
        return (int) (size < 0 ? read - MARK_LENGTH : read);
    }

    /** Completes the file on disk (Redis fsyncs it before the rename). */
    Path finish() throws IOException {
        out.force(true);
        out.close();
        return file;
    }

    /** Stops a transfer that will not complete: the file is removed, the memory let go. */
    @Override
    public void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort, as Redis's unlink of the temp file
        }
    }
}
