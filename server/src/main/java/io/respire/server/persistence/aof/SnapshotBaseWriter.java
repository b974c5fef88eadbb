package io.respire.server.persistence.aof;

import io.respire.server.CpuAffinity;
import io.respire.server.ServerContext;
import io.respire.server.persistence.DumpFileOutput;
import io.respire.server.persistence.PointInTimeSnapshot;
import io.respire.server.persistence.Snapshots;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * The base file of a rewrite: an RDB (aof-use-rdb-preamble yes, the default) or the commands that
 * rebuild the dataset ({@link CommandBase}), either one a point-in-time snapshot
 * ({@link Snapshots#stream}) walked in slices while commands keep running, as BGSAVE's: memory
 * grows only by the keys written before the walk reaches them, not by a copy of the dataset. A
 * rewrite starts only while no other snapshot runs (AppendOnlyFile schedules it otherwise, as Redis
 * does beside a child). The file is fsynced before the rewrite may use it, and rdb-key-save-delay
 * slows the walk, not the executor (Redis's tests use it to keep a rewrite running).
 */
final class SnapshotBaseWriter implements BaseWriter {
    private final ServerContext server;
    /**
     * The snapshot in progress; null when none. It reports only while it is still the current one
     * (not after an abort, even once another rewrite has started).
     */
    private volatile PointInTimeSnapshot current;
    private volatile boolean aborted;
    private long lastCopiedBytes; // on the executor

    SnapshotBaseWriter(ServerContext server) {
        this.server = server;
    }

    @Override
    public void start(Path temp, boolean rdb, Consumer<Boolean> done) {
        aborted = false;
        if (!startSnapshot(temp, rdb, done)) {
            // Not expected: AppendOnlyFile starts a rewrite only while no other snapshot runs.
            server.log().warning("Background AOF rewrite could not start: another snapshot is running");
            server.executor().execute(() -> done.accept(false));
        }
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

    /** On the writing thread: logs a complete base, then reports to the rewrite on the executor. */
    private void finish(PointInTimeSnapshot write, boolean ok, long copiedBytes, Path temp, Consumer<Boolean> done) {
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
        PointInTimeSnapshot s = current;
        if (s != null) {
            s.abort();
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
