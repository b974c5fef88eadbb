package io.respire.server.persistence;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The temporary file a save writes (Redis's rdbSave on a rio file): buffered, fsynced every
 * {@value #AUTOSYNC_BYTES} bytes with rdb-save-incremental-fsync (Redis's REDIS_AUTOSYNC_BYTES,
 * so that the last fsync has little left to write), and fsynced whole by {@link #sync} before it
 * is renamed over the dump. Without that fsync a crash after the rename could leave a dump whose
 * data never reached the disk in place of the good one. An AOF rewrite's base is written the same
 * way, with aof-rewrite-incremental-fsync.
 */
public final class DumpFileOutput extends OutputStream {
    public static final long AUTOSYNC_BYTES = 4L << 20;
    /**
     * The buffer between the encoder and the file: direct, so that a write copies the bytes once.
     * (FileOutputStream copies a write of more than 8 KB into a malloc'ed buffer of its size: a
     * 500 MB string cost a 500 MB allocation, its page faults and a copy.)
     */
    private static final int BUFFER = 1 << 16;

    private final FileChannel file;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    private final boolean incrementalFsync;
    private long unsynced;

    public DumpFileOutput(Path path, boolean incrementalFsync) throws IOException {
        this.file = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.incrementalFsync = incrementalFsync;
    }

    @Override
    public void write(int b) throws IOException {
        if (!buffer.hasRemaining()) {
            drain();
        }
        buffer.put((byte) b);
        written(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (!buffer.hasRemaining()) {
                drain();
            }
            int n = Math.min(len, buffer.remaining());
            if (incrementalFsync) {
                n = (int) Math.min(n, AUTOSYNC_BYTES - unsynced); // up to the mark, as Redis's rioFileWrite
            }
            buffer.put(b, off, n);
            off += n;
            len -= n;
            written(n);
        }
    }

    /** With incremental fsync, everything is written out and fsynced each time {@value #AUTOSYNC_BYTES} more bytes came. */
    private void written(int n) throws IOException {
        unsynced += n;
        if (incrementalFsync && unsynced >= AUTOSYNC_BYTES) {
            sync();
        }
    }

    /** Writes the buffer to the file. */
    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            file.write(buffer);
        }
        buffer.clear();
    }

    /** Everything written so far reaches the disk (fflush and fsync). */
    public void sync() throws IOException {
        drain();
        file.force(true);
        unsynced = 0;
    }

    @Override
    public void flush() throws IOException {
        drain();
    }

    @Override
    public void close() throws IOException {
        try {
            drain();
        } finally {
            file.close();
        }
    }

    /** The directory's entry for a renamed file reaches the disk too (Redis's fsyncFileDir). */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
