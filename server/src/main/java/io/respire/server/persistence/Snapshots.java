package io.respire.server.persistence;

import io.respire.ds.keyspace.Database;
import io.respire.persistence.RdbStreamWriter;
import io.respire.persistence.RdbWriter;
import io.respire.scripting.Functions;
import io.respire.server.CpuAffinity;
import io.respire.server.ServerContext;
import io.respire.server.ServerLog;
import io.respire.server.config.ServerConfig;
import io.respire.server.config.SpecialOptions;
import io.respire.server.keyspace.KeyAccess;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * RDB snapshots of the dataset (Redis's rdb.c seen from the server): SAVE, BGSAVE, the save points
 * run by the cron and the saves of SHUTDOWN, FLUSHALL and DEBUG RELOAD, with Redis's log lines and
 * the INFO persistence figures. Loading is the {@link DatasetLoader}'s.
 *
 * <p>Everything that reads or changes the data runs on the executor. A background save is a
 * {@link PointInTimeSnapshot} (the {@link SnapshotWalker} of docs/design/snapshots.md): the
 * dataset as it was when BGSAVE ran, serialized in short slices while clients keep being served,
 * and written to the file by a thread of its own. A file is written to a temporary name and
 * renamed over the target once complete, so a crash never leaves a half-written dump.
 */
public final class Snapshots {
    private final ServerContext server;
    private final DatasetLoader loader;
    /** The signal Redis stops its own children with, which does not count as a failure. */
    public static final int SIGUSR1 = 10;
    private boolean lastSaveOk = true;
    private long lastSaveAttemptMs;
    private long saves;
    /** The running point-in-time snapshot (a background save's or another consumer's), or null. */
    private volatile PointInTimeSnapshot running;
    /** Whether {@link #running} is an RDB (a BGSAVE's or a full sync's), not an AOF base; when it started. */
    private boolean runningIsRdb;
    private long runningStartMs;
    private volatile boolean backgroundSaveRunning;
    /**
     * The signal that ended the background save's child, 0 while none did: SIGUSR1 (10) when the
     * server gives it up (killRDBChild), any when someone kills the child.
     */
    private volatile int backgroundKilledBy;
    /** The background save's child (see {@link ChildProcesses}), and the file it writes. */
    private ChildProcesses.Child backgroundChild;
    private volatile Path backgroundTemp;
    private SnapshotWalker.Pacing pacing;
    private long backgroundStartMs;
    private long lastCopiedBytes;
    private boolean backgroundSaveScheduled;
    private long lastBackgroundSeconds = -1;
    private long dirtyAtBackgroundStart;

    public Snapshots(ServerContext server) {
        this.server = server;
        this.loader = new DatasetLoader(server);
    }

    /** Loading RDB files into the databases (at start, DEBUG RELOAD) and RESTORE's settings. */
    public DatasetLoader loader() {
        return loader;
    }

    Path file() {
        return server.config().dir.resolve(server.config().dbfilename.value());
    }

    private ServerLog log() {
        return server.log();
    }

    // ------------------------------------------------------------------------------------------
    // Writing

    /** Writes the whole dataset as an RDB file to {@code out} (rdbSaveRio); on the executor. */
    public void write(OutputStream out) throws IOException {
        write(out, 0, false);
    }

    /**
     * An RDB with the function libraries and no keys (rdbSaveRio for a replica that asked for
     * REPLCONF rdb-filter-only functions): header, aux fields, libraries, EOF.
     */
    public void writeFunctionsOnly(OutputStream out) throws IOException {
        ServerConfig config = server.config();
        RdbWriter w = new RdbWriter(out, config.rdbcompression.value(), config.rdbchecksum.value());
        preamble(server, w, false);
        w.finish();
    }

    /**
     * The dataset as the RDB base file of an AOF (rdbSaveRio with RDBFLAGS_AOF_PREAMBLE: the
     * aof-base aux field says so); on the executor.
     */
    public void writeAofBase(OutputStream out) throws IOException {
        write(out, 0, true);
    }

    /**
     * As {@link #write(OutputStream)}, pausing {@code keyDelayMicros} after each key (the test
     * setting rdb-key-save-delay, which makes a save take long on purpose).
     */
    private void write(OutputStream out, long keyDelayMicros, boolean aofBase) throws IOException {
        ServerConfig config = server.config();
        RdbWriter w = new RdbWriter(out, config.rdbcompression.value(), config.rdbchecksum.value());
        preamble(server, w, aofBase);
        long now = server.nowMs();
        for (int i = 0; i < server.databaseCount(); i++) {
            Database db = server.database(i);
            if (db.size() == 0) {
                continue;
            }
            w.selectDb(i, db.size(), db.expiresSize());
            IOException[] failure = {null};
            db.forEachEntry(e -> {
                if (failure[0] == null) {
                    try {
                        w.key(e.key(), e.value(), e.expireAt(), KeyAccess.savedIdleSeconds(config, e.lru(), now),
                                KeyAccess.savedFreq(config, e.lru(), now));
                        if (keyDelayMicros > 0) {
                            out.flush(); // the temporary file grows as the keys go, as Redis's does
                            pause(keyDelayMicros);
                        }
                    } catch (IOException ex) {
                        failure[0] = ex;
                    }
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
        }
        w.finish();
    }

    /** What comes before the keys: header, aux fields, function libraries (rdbSaveInfoAuxFields, rdbSaveFunctions). */
    static void preamble(ServerContext server, RdbWriter w, boolean aofBase) throws IOException {
        w.header();
        w.aux("redis-ver", "7.0.15");
        w.aux("redis-bits", "64");
        w.aux("ctime", Long.toString(System.currentTimeMillis() / 1000));
        w.aux("used-mem", Long.toString(server.usedMemory()));
        int streamDb = aofBase ? -1 : server.replication().streamDbForSave(); // an AOF base has no replication info
        if (streamDb >= 0) {
            w.aux("repl-stream-db", Integer.toString(streamDb));
            w.aux("repl-id", server.replId());
            w.aux("repl-offset", Long.toString(server.replication().offset()));
        }
        w.aux("aof-base", aofBase ? "1" : "0");
        List<byte[]> codes = new ArrayList<>();
        for (Functions.Library library : server.scripting().functions().libraries()) {
            codes.add(library.code());
        }
        w.functions(codes);
    }

    /** Sleeps {@code micros} (rdb-key-save-delay, key-load-delay); an interrupt ends it early. */
    public static void pause(long micros) {
        // parkNanos, not Thread.sleep, which rounds anything under a millisecond up to one: Redis's
        // tests set delays of tens of microseconds per key.
        long end = System.nanoTime() + micros * 1000;
        for (long left = micros * 1000; left > 0 && !Thread.currentThread().isInterrupted();
                left = end - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }

    /** The temporary file a foreground save writes (Redis's temp-&lt;pid&gt;.rdb), to delete on a forced exit. */
    public static Path tempFile(ServerConfig config) {
        return config.dir.resolve("temp-" + ProcessHandle.current().pid() + ".rdb");
    }

    /** SAVE (rdbSave): the dataset to {@code dir}/{@code dbfilename}; false, logged, on failure. */
    public boolean save() {
        Path target = file();
        Path temp = tempFile(server.config());
        DumpFileOutput out;
        try {
            out = new DumpFileOutput(temp, server.config().rdbSaveIncrementalFsync.value());
        } catch (IOException e) {
            log().warning("Failed opening the temp RDB file " + temp.getFileName() + " (in server root dir "
                    + target.getParent() + ") for saving: " + e.getMessage());
            return false;
        }
        try (out) {
            write(out, server.config().rdbKeySaveDelay.value(), false);
            out.sync();
        } catch (IOException e) {
            log().warning("Write error saving DB on disk: " + e.getMessage());
            deleteQuietly(temp);
            return false;
        }
        if (!rename(temp, target) || !fsyncDirectoryOf(target)) {
            return false;
        }
        log().notice("DB saved on disk");
        saved(server.dirty());
        return true;
    }

    /** Redis's fsyncFileDir after the rename: false, logged, if the directory could not be fsynced. */
    private boolean fsyncDirectoryOf(Path target) {
        try {
            DumpFileOutput.fsyncDirectory(target.toAbsolutePath().getParent());
            return true;
        } catch (IOException e) {
            log().warning("Write error saving DB on disk(fsyncFileDir): " + e.getMessage());
            return false;
        }
    }

    private boolean rename(Path temp, Path target) {
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            log().warning("Error moving temp DB file " + temp.getFileName() + " on the final destination "
                    + target.getFileName() + " (in server root dir " + target.getParent() + "): " + e.getMessage());
            deleteQuietly(temp);
            return false;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // nothing more to do
        }
    }

    private void saved(long dirtyCovered) {
        server.addDirty(-dirtyCovered);
        server.lastSaveMs(System.currentTimeMillis());
        lastSaveOk = true;
        saves++;
    }

    private void saveFailed() {
        lastSaveOk = false;
        lastSaveAttemptMs = System.currentTimeMillis();
    }

    /**
     * Starts a point-in-time snapshot of the dataset streamed as an RDB to {@code out} (which the
     * caller closes once {@link PointInTimeSnapshot#done()} completes); on the executor. Null if
     * one is running already: one at a time, as Redis has one child.
     */
    public PointInTimeSnapshot stream(OutputStream out) {
        return stream(out, false);
    }

    /**
     * As {@link #stream(OutputStream)}; with {@code aofBase} the RDB is the base file of an AOF
     * rewrite (rdbSaveRio with RDBFLAGS_AOF_PREAMBLE).
     */
    public PointInTimeSnapshot stream(OutputStream out, boolean aofBase) {
        ServerConfig config = server.config();
        return start(out, config.rdbchecksum.value() ? RdbStreamWriter.Trailer.CRC64 : RdbStreamWriter.Trailer.ZEROS,
                input -> new SnapshotWalker.Rdb(server, input, aofBase), !aofBase);
    }

    /**
     * A point-in-time snapshot of the dataset streamed to {@code out} as {@code format} makes it
     * (an AOF rewrite's command base: no RDB trailer); as {@link #stream(OutputStream)} otherwise.
     */
    public PointInTimeSnapshot streamAofCommands(OutputStream out, Function<OutputStream, SnapshotFormat> format) {
        return start(out, RdbStreamWriter.Trailer.NONE, format, false);
    }

    private PointInTimeSnapshot start(OutputStream out, RdbStreamWriter.Trailer trailer,
                                      Function<OutputStream, SnapshotFormat> format, boolean rdb) {
        if (running != null) {
            return null;
        }
        ServerConfig config = server.config();
        long keyDelay = config.rdbKeySaveDelay.value();
        SnapshotWalker.Pacing p = pacing != null ? pacing
                : keyDelay > 0 ? SnapshotWalker.Pacing.keyDelay(keyDelay) : SnapshotWalker.Pacing.DEFAULT;
        // The writing thread stands for Redis's child: bgsave_cpulist for an RDB, aof_rewrite_cpulist for a rewrite.
        RdbStreamWriter writer = new RdbStreamWriter(out, trailer, rdb
                ? CpuAffinity.threads("respire-bgsave", config.bgsaveCpulist.value(), server.log())
                : CpuAffinity.threads("respire-aof-rewrite", config.aofRewriteCpulist.value(), server.log()));
        PointInTimeSnapshot snapshot = new SnapshotWalker(server, writer, format, p);
        running = snapshot;
        runningIsRdb = rdb;
        runningStartMs = System.currentTimeMillis();
        snapshot.done().whenComplete((bytes, failure) -> server.executor().execute(() -> {
            if (running == snapshot) {
                running = null;
            }
        }));
        return snapshot;
    }

    /**
     * Whether an RDB snapshot is being written in the background: a BGSAVE, or the snapshot of a
     * replica's full sync (Redis's RDB child serves both; INFO rdb_bgsave_in_progress). An AOF
     * rewrite's base is not one.
     */
    public boolean rdbSnapshotRunning() {
        return backgroundSaveRunning || (running != null && runningIsRdb);
    }

    /**
     * Whether any point-in-time snapshot still runs (Redis's hasActiveChildProcess): an RDB one, an
     * AOF rewrite's base, or one abandoned (its rewrite's child killed) whose thread has not
     * stopped yet, as a killed child counts until Redis reaps it. Another cannot start meanwhile.
     */
    public boolean snapshotRunning() {
        return backgroundSaveRunning || running != null;
    }

    /** BGSAVE SCHEDULE, or BGSAVE inside EXEC (rdb_bgsave_scheduled): the cron starts it when it can. */
    public void scheduleBackgroundSave() {
        backgroundSaveScheduled = true;
    }

    /** Sets how snapshots share the executor (tests: small slices, to have writers run in between). */
    void pacing(SnapshotWalker.Pacing pacing) {
        this.pacing = pacing;
    }

    /**
     * BGSAVE (rdbSaveBackground): starts a point-in-time snapshot written to a temporary file,
     * renamed over the dump when complete. False if a snapshot is running already.
     */
    public boolean backgroundSave() {
        if (running != null) {
            return false;
        }
        lastSaveAttemptMs = System.currentTimeMillis();
        Path target = file();
        ChildProcesses.Child child = server.children().start(this::killBackgroundSave);
        // Named after the child as Redis's child names it (its getpid()), which tests and tools look for.
        Path temp = target.resolveSibling("temp-" + child.pid() + ".rdb");
        DumpFileOutput out;
        try {
            out = new DumpFileOutput(temp, server.config().rdbSaveIncrementalFsync.value());
        } catch (IOException e) {
            child.end();
            log().warning("Failed opening the temp RDB file " + temp.getFileName() + " (in server root dir "
                    + target.getParent() + ") for saving: " + e.getMessage());
            saveFailed();
            return true; // Redis's child fails the same way after the fork: BGSAVE itself succeeded
        }
        backgroundKilledBy = 0;
        backgroundSaveRunning = true;
        backgroundStartMs = System.currentTimeMillis();
        dirtyAtBackgroundStart = server.dirty();
        PointInTimeSnapshot snapshot = stream(out);
        backgroundChild = child;
        backgroundTemp = temp;
        log().notice("Background saving started by pid " + backgroundChild.pid());
        // Closing and renaming are file system calls: on the writing thread, not the executor.
        snapshot.done().whenComplete((bytes, failure) -> {
            boolean ok = closeAndRename(out, failure, temp, target);
            server.executor().execute(() -> backgroundSaveDone(ok, snapshot.copiedBytes()));
        });
        return true;
    }

    private boolean closeAndRename(DumpFileOutput out, Throwable failure, Path temp, Path target) {
        try (out) {
            if (failure == null) {
                out.sync();
            }
        } catch (IOException e) {
            failure = failure != null ? failure : e;
        }
        if (failure != null) {
            if (backgroundKilledBy == 0) {
                log().warning("Write error saving DB on disk: " + failure.getMessage());
            }
            deleteQuietly(temp);
            return false;
        }
        if (!rename(temp, target) || !fsyncDirectoryOf(target)) {
            return false;
        }
        log().notice("DB saved on disk");
        return true;
    }

    /**
     * Redis's killRDBChild (FLUSHALL, SHUTDOWN): the background save in progress gives up without
     * writing the file; like a child killed with SIGUSR1, that is not a failed save. From any thread.
     */
    public void abortBackgroundSave() {
        Path temp = backgroundTemp;
        if (killBackgroundSave(SIGUSR1)) {
            deleteQuietly(temp); // at once, as Redis's rdbRemoveTempFile: the server may be about to exit
        }
    }

    /** The background save's child died by {@code signal}: the save gives up. Whether one ran. */
    private boolean killBackgroundSave(int signal) {
        PointInTimeSnapshot snapshot = running;
        if (backgroundSaveRunning && backgroundKilledBy == 0 && snapshot != null) {
            backgroundKilledBy = signal;
            snapshot.abort();
            return true;
        }
        return false;
    }

    public long keysIn() {
        long keys = 0;
        for (int i = 0; i < server.databaseCount(); i++) {
            keys += server.database(i).size();
        }
        return keys;
    }

    /** Stops whatever snapshot runs, without writing its end (the server is closing). From any thread. */
    public void abortRunning() {
        abortBackgroundSave();
        PointInTimeSnapshot snapshot = running;
        if (snapshot != null) {
            snapshot.abort();
        }
    }

    /** backgroundSaveDoneHandler, on the executor. */
    private void backgroundSaveDone(boolean ok, long copiedBytes) {
        backgroundSaveRunning = false;
        backgroundChild.end();
        lastBackgroundSeconds = (System.currentTimeMillis() - backgroundStartMs) / 1000;
        lastCopiedBytes = copiedBytes;
        if (backgroundKilledBy != 0) {
            log().warning("Background saving terminated by signal " + backgroundKilledBy);
            if (backgroundKilledBy != SIGUSR1) {
                saveFailed(); // SIGUSR1 is how Redis stops its own child without an error
            }
        } else if (ok) {
            log().notice("Background saving terminated with success");
            saved(dirtyAtBackgroundStart);
        } else {
            log().warning("Background saving error");
            saveFailed();
        }
    }

    public boolean backgroundSaveRunning() {
        return backgroundSaveRunning;
    }

    /**
     * The save points (serverCron): a background save when one of them has been reached, retried
     * after a failure only once 5 seconds have passed (CONFIG_BGSAVE_RETRY_DELAY).
     */
    public void cron(long nowMs) {
        if (running != null || server.aof().rewriteRunning()) { // one "child" at a time, as Redis
            return;
        }
        if (backgroundSaveScheduled && (lastSaveOk || nowMs - lastSaveAttemptMs > 5000)) {
            backgroundSaveScheduled = false;
            backgroundSave();
            return;
        }
        long sinceSave = (nowMs - server.lastSaveMs()) / 1000;
        boolean retryAllowed = lastSaveOk || nowMs - lastSaveAttemptMs > 5000;
        for (SpecialOptions.SaveRule rule : server.config().save.values()) {
            if (server.dirty() >= rule.changes() && sinceSave > rule.seconds() && retryAllowed) {
                log().notice(rule.changes() + " changes in " + rule.seconds() + " seconds. Saving...");
                backgroundSave();
                return;
            }
        }
    }

    /**
     * Redis's writeCommandsDeniedByDiskError for RDB: the last background save failed, save points
     * are set and stop-writes-on-bgsave-error is on.
     */
    public boolean writesDenied() {
        return !lastSaveOk && savePointsSet() && server.config().stopWritesOnBgsaveError.value();
    }

    /** Whether save points are configured (SHUTDOWN and FLUSHALL save then). */
    public boolean savePointsSet() {
        return !server.config().save.values().isEmpty();
    }

    // ------------------------------------------------------------------------------------------
    // INFO persistence

    public boolean lastSaveOk() {
        return lastSaveOk;
    }

    public long saves() {
        return saves;
    }

    public long lastBackgroundSeconds() {
        return lastBackgroundSeconds;
    }

    /** rdb_last_cow_size: bytes the last background save serialized because a write reached a key first. */
    public long lastCopiedBytes() {
        return lastCopiedBytes;
    }

    /** The running snapshot, for INFO's current_save_keys_* (null when none runs). */
    public PointInTimeSnapshot running() {
        return running;
    }

    public long currentBackgroundSeconds() {
        if (backgroundSaveRunning) {
            return (System.currentTimeMillis() - backgroundStartMs) / 1000;
        }
        return rdbSnapshotRunning() ? (System.currentTimeMillis() - runningStartMs) / 1000 : -1;
    }

}
