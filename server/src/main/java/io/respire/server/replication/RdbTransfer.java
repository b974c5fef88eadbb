package io.respire.server.replication;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The RDB payload a replica receives after +FULLRESYNC, passed on as it arrives: written to a
 * temporary file (Redis's readSyncBulkPayload with repl-diskless-load disabled), or fed to a
 * loader that parses it meanwhile (diskless load: no file is written), so that memory stays
 * bounded whatever the size of the dataset. The payload comes as {@code $<length>} then the
 * bytes, or, from a diskless primary, as {@code $EOF:<40-byte mark>} then the bytes and the mark:
 * the last 40 bytes received are held back from the loader until more come, as they may be the
 * mark.
 */
final class RdbTransfer implements AutoCloseable {
    static final int MARK_LENGTH = 40;

    /** The file written, or null when the payload is held in memory. */
    private final Path file;
    private final FileChannel out;
    /** The loader's feed (a diskless load), or null. */
    private final PayloadFeed feed;
    /** Bytes announced, or -1 for the EOF-mark form. */
    private final long size;
    private final byte[] mark;
    /** The last bytes received, to find the mark at the end (the EOF-mark form). */
    private byte[] tail = new byte[0];
    private long read;
    /** What the feed said of the last block offered: false while the loader is behind. */
    private boolean feedKeepingUp = true;

    private RdbTransfer(Path file, PayloadFeed feed, long size, byte[] mark) throws IOException {
        this.file = file;
        this.feed = feed;
        this.size = size;
        this.mark = mark;
        this.out = file == null ? null : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * Starts a transfer from its header line ("$1234" or "$EOF:mark"), into {@code file}, or into
     * {@code feed} when {@code file} is null.
     *
     * @throws IllegalArgumentException if the line is neither form
     */
    static RdbTransfer start(String header, Path file, PayloadFeed feed) throws IOException {
        if (header.startsWith("$EOF:") && header.length() >= 5 + MARK_LENGTH) {
            byte[] mark = header.substring(5, 5 + MARK_LENGTH).getBytes(StandardCharsets.ISO_8859_1);
            return new RdbTransfer(file, feed, -1, mark);
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
        return new RdbTransfer(file, feed, size, null);
    }

    boolean usesMark() {
        return size < 0;
    }

    /** Whether the payload goes to a loader rather than to a file (a diskless load). */
    boolean diskless() {
        return feed != null;
    }

    /** Bytes announced (0 for the EOF-mark form, as Redis reports it) and received so far. */
    long size() {
        return Math.max(0, size);
    }

    long read() {
        return read;
    }

    /**
     * Passes on what {@code in} holds of the payload (no more than announced); true once the
     * payload is complete, the mark removed (a diskless load's feed is then ended).
     */
    boolean consume(ByteBuf in) throws IOException {
        int n = size < 0 ? in.readableBytes() : (int) Math.min(in.readableBytes(), size - read);
        if (n > 0) {
            byte[] chunk = new byte[n];
            in.readBytes(chunk);
            read += n;
            if (size >= 0) {
                pass(chunk, chunk.length);
            } else if (chunk.length >= MARK_LENGTH) {
                // The mark may be in the last 40 bytes: what was held back is not, the rest of
                // the chunk goes on as it is, its last 40 bytes are held back in turn.
                pass(tail, tail.length);
                byte[] last = Arrays.copyOfRange(chunk, chunk.length - MARK_LENGTH, chunk.length);
                pass(chunk, chunk.length - MARK_LENGTH);
                tail = last;
            } else {
                byte[] joined = join(tail, chunk);
                int keep = Math.min(MARK_LENGTH, joined.length);
                pass(joined, joined.length - keep);
                tail = Arrays.copyOfRange(joined, joined.length - keep, joined.length);
            }
        }
        boolean complete = size >= 0 ? read == size : Arrays.equals(tail, mark);
        if (complete && feed != null) {
            feed.end();
        }
        return complete;
    }

    /** Whether the loader keeps up with what was passed on (false: stop reading the socket for now). */
    boolean keepingUp() {
        return feedKeepingUp;
    }

    /** The first {@code n} bytes of {@code block} to the file or the loader ({@code block} not changed after). */
    private void pass(byte[] block, int n) throws IOException {
        if (n == 0) {
            return;
        }
        if (feed != null) {
            feedKeepingUp = feed.offer(block, n);
        } else {
            ByteBuffer bb = ByteBuffer.wrap(block, 0, n);
            while (bb.hasRemaining()) {
                out.write(bb);
            }
        }
    }

    private static byte[] join(byte[] a, byte[] b) {
        if (a.length == 0) {
            return b;
        }
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    /** Completes the file on disk (Redis fsyncs it before the rename). */
    Path finish() throws IOException {
        out.force(true);
        out.close();
        return file;
    }

    /** The payload's length without the mark, once complete. */
    long payloadLength() {
        return size < 0 ? read - MARK_LENGTH : read;
    }

    /** Stops a transfer that will not complete: the file is removed, or the loader told. */
    @Override
    public void close() {
        if (feed != null) {
            feed.abandon("the link to the master was lost");
        }
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
