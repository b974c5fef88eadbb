package io.respire.server.persistence.aof;

import io.respire.server.CpuAffinity;
import io.respire.server.ServerContext;
import io.respire.server.persistence.DumpFileOutput;
import io.respire.server.persistence.PointInTimeSnapshot;
import io.respire.server.persistence.Snapshots;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * The base file of a rewrite: an RDB (aof-use-rdb-preamble yes, the default) or the commands that
 * rebuild the dataset ({@link CommandBase}), either one a point-in-time snapshot
 * ({@link Snapshots#stream}) walked in slices while commands keep running, as BGSAVE's: memory
 * grows only by the keys written before the walk reaches them, not by a copy of the dataset. Only
 * when another snapshot runs (a replica's full sync) is the base serialized on the executor in
 * one go and written on a thread of its own. Either way the file is fsynced before the rewrite
 * may use it, and rdb-key-save-delay slows the writing, not the executor (Redis's tests use it to
 * keep a rewrite running).
 */
final class SnapshotBaseWriter implements BaseWriter {
    private final ServerContext server;
    /**
     * The write in progress, a {@link PointInTimeSnapshot} or a writing thread; null when none. A
     * write reports only while it is still the current one (not after an abort, even once another
     * rewrite has started).
     */
    private volatile Object current;
    private volatile boolean aborted;
    private long lastCopiedBytes; // on the executor

    SnapshotBaseWriter(ServerContext server) {
        this.server = server;
    }

    @Override
    public void start(Path temp, boolean rdb, Consumer<Boolean> done) {
        aborted = false;
        if (startSnapshot(temp, rdb, done)) {
            return;
        }
        startSerialized(temp, rdb, done);
    }

    /** The base (an RDB or the commands) as a point-in-time snapshot; false if none can start (another one runs). */
    private boolean startSnapshot(Path temp, boolean rdb, Consumer<Boolean> done) {
        DumpFileOutput out;
        try {
            out = new DumpFileOutput(temp, incrementalFsync());
        } catch (IOException e) {
            writeFailed(e);
            server.executor().execute(() -> done.accept(false));
            return true;
        }
        PointInTimeSnapshot s = rdb ? server.snapshots().stream(out, true)
                : server.snapshots().streamAofCommands(out, input -> new CommandBase(server, input));
        if (s == null) {
            closeQuietly(out);
            return false;
        }
        current = s;
        // Flushing, fsyncing and closing are file system calls: on the writing thread.
        s.done().whenComplete((bytes, failure) -> {
            boolean ok = failure == null && sync(out);
            if (failure != null) {
                closeQuietly(out);
                if (!(failure instanceof CancellationException) && !aborted) {
                    writeFailed(failure);
                }
            }
            finish(s, ok, s.copiedBytes(), temp, done);
        });
        return true;
    }

    private void startSerialized(Path temp, boolean rdb, Consumer<Boolean> done) {
        Image image = new Image();
        try {
            writeBase(rdb, image);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e); // an Image does not fail
        }
        long delayMicros = Math.max(0, server.config().rdbKeySaveDelay.value()) * server.snapshots().keysIn();
        Thread[] self = {null};
        Thread t = new Thread(CpuAffinity.pinned(server.config().aofRewriteCpulist.value(), server.log(), () -> {
            Snapshots.pause(delayMicros);
            boolean ok = current == self[0] && writeFile(temp, image); // not once aborted
            finish(self[0], ok, image.size(), temp, done);
        }), "respire-aof-rewrite");
        self[0] = t;
        t.setDaemon(true);
        current = t;
        t.start();
    }

    /** On the writing thread: logs a complete base, then reports to the rewrite on the executor. */
    private void finish(Object write, boolean ok, long copiedBytes, Path temp, Consumer<Boolean> done) {
        if (ok) {
            server.log().notice("Successfully created the temporary AOF base file " + temp.getFileName());
        }
        server.executor().execute(() -> {
            if (current == write) {
                current = null;
                lastCopiedBytes = copiedBytes;
                done.accept(ok);
            }
        });
    }

    /** The base written straight to the file (the start's, as Redis's synchronous rewrite), never whole in memory. */
    @Override
    public boolean writeNow(Path temp, boolean rdb) {
        try (DumpFileOutput out = new DumpFileOutput(temp, incrementalFsync())) {
            writeBase(rdb, out);
            out.sync();
            return true;
        } catch (IOException e) {
            writeFailed(e);
            return false;
        }
    }

    @Override
    public void abort() {
        aborted = true;
        if (current instanceof PointInTimeSnapshot s) {
            s.abort();
        } else if (current instanceof Thread t) {
            t.interrupt();
        }
        current = null;
    }

    @Override
    public long lastCopiedBytes() {
        return lastCopiedBytes;
    }

    /**
     * The base as of now into {@code out}: an RDB (aof-use-rdb-preamble) or the commands that
     * rebuild the dataset, passed on every 64 KB rather than gathered whole.
     */
    private void writeBase(boolean rdb, OutputStream out) throws IOException {
        if (rdb) {
            server.snapshots().writeAofBase(out);
        } else {
            CommandBase.write(server, out);
        }
    }

    /** rewriteAppendOnlyFile's file part: written, fsynced, closed; false, logged, on failure. */
    private boolean writeFile(Path temp, Image image) {
        try (DumpFileOutput out = new DumpFileOutput(temp, incrementalFsync())) { // fsyncs as it goes
            image.writeTo(out);
            out.sync();
            return true;
        } catch (IOException e) {
            writeFailed(e);
            return false;
        }
    }

    /**
     * A base held in memory for a writing thread: blocks of at most a few MB in a list, not one
     * array (which cannot hold more than 2 GB, and was copied once more when complete).
     */
    private static final class Image extends OutputStream {
        private static final int BLOCK = 4 << 20;
        private final List<byte[]> blocks = new ArrayList<>();
        /** Bytes used in the last block. */
        private int used = BLOCK;
        private long size;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            size += len;
            while (len > 0) {
                if (used == BLOCK) {
                    blocks.add(new byte[BLOCK]);
                    used = 0;
                }
                int n = Math.min(len, BLOCK - used);
                System.arraycopy(b, off, blocks.get(blocks.size() - 1), used, n);
                used += n;
                off += n;
                len -= n;
            }
        }

        /** Writes the image to {@code out}. */
        void writeTo(OutputStream out) throws IOException {
            for (int i = 0; i < blocks.size(); i++) {
                out.write(blocks.get(i), 0, i == blocks.size() - 1 ? used : BLOCK);
            }
        }

        long size() {
            return size;
        }
    }

    /** aof-rewrite-incremental-fsync: an fsync every 4 MB written, so that the last one has little left. */
    private boolean incrementalFsync() {
        return server.config().aofRewriteIncrementalFsync.value();
    }

    /** The snapshot's end: flushed, fsynced and closed; false, logged, on failure. */
    private boolean sync(DumpFileOutput out) {
        try (out) {
            out.sync();
            return true;
        } catch (IOException e) {
            writeFailed(e);
            return false;
        }
    }

    private void writeFailed(Throwable e) {
        String reason = e instanceof IOException io ? AppendOnlyFile.reason(io) : String.valueOf(e.getMessage());
        server.log().warning("Write error writing append only file on disk: " + reason);
    }

    private static void closeQuietly(DumpFileOutput out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing was written that anyone will read
        }
    }
}
