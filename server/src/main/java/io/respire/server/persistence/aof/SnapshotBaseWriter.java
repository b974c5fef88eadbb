package io.respire.server.persistence.aof;

import io.respire.persistence.aof.CommandBuffer;
import io.respire.server.ServerContext;
import io.respire.server.persistence.DumpFileOutput;
import io.respire.server.persistence.PointInTimeSnapshot;
import io.respire.server.persistence.Snapshots;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * The base file of a rewrite. An RDB base (aof-use-rdb-preamble yes, the default) is a
 * point-in-time snapshot ({@link Snapshots#stream}) walked in slices while commands keep running,
 * as BGSAVE's: memory grows only by the keys written before the walk reaches them, not by a copy
 * of the dataset. A command base (aof-use-rdb-preamble no) is serialized on the executor in one go
 * and written on a thread of its own. Either way the file is fsynced before the rewrite may use
 * it, and rdb-key-save-delay slows the writing, not the executor (Redis's tests use it to keep a
 * rewrite running).
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
        if (rdb && startSnapshot(temp, done)) {
            return;
        }
        startSerialized(temp, rdb, done);
    }

    /** The RDB base as a point-in-time snapshot; false if none can start (another one runs). */
    private boolean startSnapshot(Path temp, Consumer<Boolean> done) {
        DumpFileOutput out;
        try {
            out = new DumpFileOutput(temp, incrementalFsync());
        } catch (IOException e) {
            writeFailed(e);
            server.executor().execute(() -> done.accept(false));
            return true;
        }
        PointInTimeSnapshot s = server.snapshots().stream(out, true);
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
        byte[] image = serialize(rdb);
        long delayMicros = Math.max(0, server.config().rdbKeySaveDelay.value()) * server.snapshots().keysIn();
        Thread[] self = {null};
        Thread t = new Thread(() -> {
            Snapshots.pause(delayMicros);
            boolean ok = current == self[0] && writeFile(temp, image); // not once aborted
            finish(self[0], ok, image.length, temp, done);
        }, "respire-aof-rewrite");
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

    @Override
    public boolean writeNow(Path temp, boolean rdb) {
        return writeFile(temp, serialize(rdb));
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

    private byte[] serialize(boolean rdb) {
        CommandBuffer image = new CommandBuffer(1 << 16);
        try {
            if (rdb) {
                server.snapshots().writeAofBase(image);
            } else {
                CommandBase.write(server, image);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e); // a CommandBuffer does not fail
        }
        return image.toByteArray();
    }

    /** rewriteAppendOnlyFile's file part: written, fsynced, closed; false, logged, on failure. */
    private boolean writeFile(Path temp, byte[] image) {
        try (DumpFileOutput out = new DumpFileOutput(temp, incrementalFsync())) {
            for (int off = 0; off < image.length; off += (int) DumpFileOutput.AUTOSYNC_BYTES) { // fsyncs as it goes
                out.write(image, off, (int) Math.min(DumpFileOutput.AUTOSYNC_BYTES, image.length - off));
            }
            out.sync();
            return true;
        } catch (IOException e) {
            writeFailed(e);
            return false;
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
