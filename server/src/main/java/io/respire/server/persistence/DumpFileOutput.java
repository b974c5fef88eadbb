package io.respire.server.persistence;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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

    private final FileOutputStream file;
    private final BufferedOutputStream out;
    private final boolean incrementalFsync;
    private long unsynced;

    public DumpFileOutput(Path path, boolean incrementalFsync) throws IOException {
        this.file = new FileOutputStream(path.toFile());
        this.out = new BufferedOutputStream(file, 1 << 16);
        this.incrementalFsync = incrementalFsync;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        written(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        written(len);
    }

    private void written(long n) throws IOException {
        unsynced += n;
        if (incrementalFsync && unsynced >= AUTOSYNC_BYTES) {
            sync();
        }
    }

    /** Everything written so far reaches the disk (fflush and fsync). */
    public void sync() throws IOException {
        out.flush();
        file.getFD().sync();
        unsynced = 0;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** The directory's entry for a renamed file reaches the disk too (Redis's fsyncFileDir). */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
