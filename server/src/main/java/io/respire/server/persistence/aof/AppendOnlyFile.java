package io.respire.server.persistence.aof;

import io.respire.persistence.aof.AofCommandWriter;
import io.respire.persistence.aof.AofManifest;
import io.respire.persistence.aof.AofManifestException;
import io.respire.persistence.aof.CommandBuffer;
import io.respire.server.CpuAffinity;
import io.respire.server.ServerContext;
import io.respire.server.ServerLog;
import io.respire.server.config.ConfigFile;
import io.respire.server.config.ServerConfig;
import io.respire.server.replication.DbSelector;
import io.respire.server.replication.EffectsListener;
import io.respire.server.replication.Propagation;
import io.respire.server.persistence.ChildProcesses;
import io.respire.server.persistence.Snapshots;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The append-only file (Redis 7.0's aof.c, multi-part): a consumer of the effects stream that
 * writes every effect to the current incremental file, fsyncs it as appendfsync says, rewrites
 * the AOF into a new base (BGREWRITEAOF, automatic rewrites, CONFIG SET appendonly yes) and loads
 * it at start. Everything here runs on the executor except the fsyncs ({@link Fsyncer}) and the
 * base file's writing ({@link BaseWriter}).
 *
 * <p>Effects collect in a buffer (aof_buf) and are written before any reply leaves
 * ({@link #holdsReplies}), as Redis writes in beforeSleep. With appendfsync always the replies of
 * a turn are held until the fsync that covers them is done: the executor fdatasyncs at the end
 * of the turn, after the write, as Redis's flushAppendOnlyFile does, so every client served in
 * the turn shares one fsync. Only while the fsync thread is busy (closing a file a rewrite
 * replaced, or retrying a failed fsync) is the fsync left to it, the replies then leaving when it
 * reports. Handing every fsync to that thread cost two thread switches per turn: 0.86-0.95x
 * Redis's throughput at {@code -P 1}, against 0.96-1.04x inline (docs/benchmarks.md).
 */
public final class AppendOnlyFile implements EffectsListener {
    /** Redis's aof_state. */
    public enum State { OFF, ON, WAIT_REWRITE }

    private static final int FSYNC_EVERYSEC = 0;
    private static final int FSYNC_ALWAYS = 1;
    /** Seconds between two logs of the same write error (AOF_WRITE_LOG_ERROR_RATE). */
    private static final long WRITE_ERROR_LOG_SECONDS = 30;

    private final ServerContext server;
    private final AofDirectory files;
    private BaseWriter baseWriter;
    private State state = State.OFF;
    private AofManifest manifest = new AofManifest();
    private final DbSelector selector = new DbSelector();
    private final Buffer buffer = new Buffer();
    /** The incremental file written now (aof_fd), or null. */
    private FileChannel file;
    private Fsyncer fsyncer;
    /** Bytes of the current incremental file (aof_last_incr_size), of the AOF (aof_current_size). */
    private long incrSize;
    private long currentSize;
    /** The size after the last rewrite, what automatic rewrites measure growth against. */
    private long rewriteBaseSize;
    /** Bytes written since the AOF was opened, over every file: the offsets fsyncs are asked for. */
    private long written;
    private long lastTimestamp;
    private long lastFsyncSecond;
    private boolean flushScheduled;
    /** Why the last write failed (aof_last_write_status err, with strerror), or null. */
    private String writeError;
    private long lastWriteErrorLog;
    /** The buffer waits for the running fsync to end (see {@link #flushTurn}). */
    private boolean writeAfterFsync;
    /** Replies waiting for their fsync (appendfsync always), in order, and what is on disk. */
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    /** Replies waiting for the next write of the buffer, in order ({@link #holdsReplies}). */
    private List<Runnable> afterWrite = new ArrayList<>();
    private long released;
    private final Rewrite rewrite = new Rewrite();
    /** DEBUG AOF-FLUSH-SLEEP: microseconds slept before each write (Redis's aof_flush_sleep). */
    private long flushSleepMicros;

    private record Held(long offset, Runnable send) {
    }

    /** The state of background rewrites and their statistics (INFO persistence). */
    private static final class Rewrite {
        boolean running;
        boolean scheduled;
        boolean rdb;
        long startMs = -1;
        long lastSeconds = -1;
        boolean lastOk = true;
        long count;
        long consecutiveFailures;
        long nextAllowedMs;
        long delayMinutes;
        /** The running rewrite's child (see {@link ChildProcesses}). */
        ChildProcesses.Child child;
    }

    /** aof_buf: a byte buffer whose contents can be written without a copy. */
    private static final class Buffer extends CommandBuffer {
        ByteBuffer view() {
            return ByteBuffer.wrap(buf, 0, count);
        }

        void drop(int n) {
            System.arraycopy(buf, n, buf, 0, count - n);
            count -= n;
        }

        /**
         * Empties the buffer. Its room is kept for the next turns up to {@link #KEPT_ROOM}, not
         * beyond: one huge write must not hold its size for good (Redis frees aof_buf over 4 KB;
         * a turn of pipelined writes easily needs more, and reallocating it each turn is churn).
         */
        void clear() {
            reset(KEPT_ROOM);
        }

        /** mem_aof_buffer: the room allocated. */
        int allocated() {
            return buf.length;
        }

        private static final int KEPT_ROOM = 1 << 20;
    }

    public AppendOnlyFile(ServerContext server) {
        this.server = server;
        this.files = new AofDirectory(server);
        this.baseWriter = new SnapshotBaseWriter(server);
    }

    /** Replaces how base files are written (a point-in-time snapshot walker, tests). */
    public void baseWriter(BaseWriter writer) {
        this.baseWriter = writer;
    }

    private ServerLog log() {
        return server.log();
    }

    private ServerConfig config() {
        return server.config();
    }

    /** strerror-like text for an I/O failure. */
    static String reason(IOException e) {
        return ConfigFile.ioReason(e);
    }

    private static long pid() {
        return ProcessHandle.current().pid();
    }

    // ------------------------------------------------------------------------------------------
    // Start and stop

    /**
     * aofLoadManifestFromDisk, at start whatever appendonly says: the manifest if there is one.
     *
     * @throws AofStartupException (logged as Redis logs it) if it cannot be read
     */
    public void loadManifest() {
        state = config().appendonly.value() ? State.ON : State.OFF;
        manifest = readManifest();
    }

    private AofManifest readManifest() {
        if (!Files.isDirectory(files.dir()) || !Files.exists(files.manifestPath())) {
            return new AofManifest();
        }
        byte[] content;
        try {
            content = Files.readAllBytes(files.manifestPath());
        } catch (IOException e) {
            log().warning("Fatal error: can't open the AOF manifest file " + files.manifestPath() + " for reading: " + reason(e));
            throw new AofStartupException();
        }
        try {
            return AofManifest.parse(content);
        } catch (AofManifestException e) {
            log().warning("\n*** FATAL AOF MANIFEST FILE ERROR ***\n");
            if (e.line() != null) {
                log().warning("Reading the manifest file, at line " + e.lineNumber() + "\n");
                log().warning(">>> '" + e.line() + "'\n");
            }
            log().warning(e.getMessage() + "\n");
            throw new AofStartupException();
        }
    }

    /**
     * DEBUG LOADAOF: the dataset emptied and loaded again from the AOF on disk (written first);
     * false (logged) if it did not load, where Redis exits.
     */
    public boolean debugLoad() {
        if (state != State.OFF) {
            flush();
        }
        server.snapshots().loader().emptyData();
        try {
            manifest = readManifest();
        } catch (AofStartupException e) {
            return false;
        }
        deleteHistory();
        AofLoader.Status s = new AofLoader(server, files).loadAll(manifest).status();
        if (s != AofLoader.Status.OK && s != AofLoader.Status.EMPTY) {
            return false;
        }
        server.addDirty(-server.dirty()); // what was loaded is not a change to propagate or save
        log().warning("Append Only File loaded by DEBUG LOADAOF");
        return true;
    }

    /** Whether the data is loaded from the AOF rather than the RDB file at start. */
    public boolean on() {
        return state != State.OFF;
    }

    /**
     * loadDataFromDisk's AOF part, on the executor.
     *
     * @throws AofStartupException (logged) if the AOF cannot be loaded
     */
    public void loadAtStart() {
        long start = System.nanoTime();
        upgradeIfNeeded();
        AofLoader.Result r = new AofLoader(server, files).loadAll(manifest);
        if (r.failed()) {
            throw new AofStartupException();
        }
        if (r.status() != AofLoader.Status.NOT_EXIST) {
            log().notice(String.format(Locale.ROOT, "DB loaded from append only file: %.3f seconds",
                    (System.nanoTime() - start) / 1e9));
        }
        currentSize = r.totalSize();
        rewriteBaseSize = r.baseSize();
    }

    /**
     * aofUpgradePrepare: an AOF from before Redis 7 ({@code dir}/{@code appendfilename}) moves into
     * the AOF directory as the base of a new manifest.
     */
    private void upgradeIfNeeded() {
        java.nio.file.Path old = config().dir.resolve(files.prefix());
        if (!Files.isRegularFile(old)) {
            return;
        }
        boolean dirMissing = !Files.isDirectory(files.dir());
        boolean onlyOldBase = manifest.base() != null && manifest.incrs().isEmpty()
                && manifest.base().name().equals(files.prefix()) && !Files.exists(files.file(files.prefix()));
        if (!dirMissing && !manifest.isEmpty() && !onlyOldBase) {
            return;
        }
        AofManifest upgraded = AofManifest.upgradedFrom(files.prefix());
        if (!files.create() || !files.persist(upgraded)) {
            throw new AofStartupException();
        }
        try {
            Files.move(old, files.file(files.prefix()));
        } catch (IOException e) {
            log().warning("Error trying to move the old AOF file " + files.prefix() + " into dir "
                    + config().appenddirname.value() + ": " + reason(e));
            throw new AofStartupException();
        }
        manifest = upgraded;
        log().notice("Successfully migrated an old-style AOF file (" + files.prefix() + ") into the AOF directory ("
                + config().appenddirname.value() + ").");
    }

    /**
     * aofOpenIfNeededOnServerStart and aofDelHistoryFiles: with the AOF on, a base is made if
     * there is none and no incremental file (an empty start), the last incremental file is opened
     * for appending (or created), and the manifest persisted; then effects flow in.
     *
     * @throws AofStartupException (logged) if the AOF cannot be opened
     */
    public void openAtStart() {
        if (state == State.ON) {
            if (!files.create()) {
                throw new AofStartupException();
            }
            boolean noIncr = manifest.incrs().isEmpty();
            if (manifest.base() == null && noIncr) {
                createBaseAtStart();
            }
            String name = manifest.lastIncr(files.prefix());
            try {
                file = files.open(name, false);
            } catch (IOException e) {
                log().warning("Can't open the append-only file " + name + ": " + reason(e));
                throw new AofStartupException();
            }
            if (!files.persist(manifest)) {
                throw new AofStartupException();
            }
            incrSize = Math.max(0, files.size(name));
            startWriting();
            log().notice((noIncr ? "Creating" : "Opening") + " AOF incr file " + name + " on server start");
        }
        deleteHistory();
    }

    private void createBaseAtStart() {
        boolean rdb = config().aofUseRdbPreamble.value();
        String name = manifest.newBase(files.prefix(), rdb);
        java.nio.file.Path temp = files.dir().resolve("temp-rewriteaof-" + pid() + ".aof");
        if (!baseWriter.writeNow(temp, rdb)) {
            files.delete(temp);
            throw new AofStartupException();
        }
        try {
            Files.move(temp, files.file(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log().warning("Error moving temp append only file on the final destination: " + reason(e));
            throw new AofStartupException();
        }
        log().notice("Creating AOF base file " + name + " on server start");
    }

    /** Effects start to flow into the buffer: the fsync thread and the stream's subscription. */
    private void startWriting() {
        if (fsyncer == null) {
            fsyncer = new Fsyncer(offset -> {
                try {
                    server.executor().execute(() -> release(offset));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // the server stopped: nobody waits for replies any more
                }
            }, CpuAffinity.threads("respire-aof-fsync", server.config().bioCpulist.value(), log()));
        }
        if (file != null) {
            fsyncer.switchTo(file);
        }
        lastFsyncSecond = nowSeconds();
        server.propagation().attach(this);
    }

    /**
     * startAppendOnly (CONFIG SET appendonly yes): a rewrite makes the base, effects wait in a
     * temporary incremental file meanwhile; false (logged) if the rewrite cannot start.
     */
    public boolean start() {
        if (state != State.OFF) {
            return true;
        }
        state = State.WAIT_REWRITE;
        startWriting();
        if (server.snapshots().snapshotRunning()) {
            rewrite.scheduled = true;
            log().warning("AOF was enabled but there is already another background operation. An AOF background "
                    + "was scheduled to start when possible.");
        } else if (server.propagation().nestedCall()) {
            rewrite.scheduled = true; // the transaction's effects come first (Redis's in_exec)
            log().warning("AOF was enabled during a transaction. An AOF background was scheduled to start when "
                    + "possible.");
        } else if (!restartRewrite()) {
            stopWriting();
            state = State.OFF;
            log().warning("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. "
                    + "Check the above logs for more info about the error.");
            return false;
        }
        if (writeError != null) {
            log().warning("AOF reopen, just ignore the last error.");
            writeError = null;
        }
        return true;
    }

    /**
     * Starts the rewrite that turns the AOF on; one running already (a BGREWRITEAOF while the AOF
     * was off) is killed first, since what it writes is not followed by an incremental file.
     */
    private boolean restartRewrite() {
        if (rewrite.running) {
            log().warning("AOF was enabled but there is already an AOF rewriting in background. Stopping background "
                    + "AOF and starting a rewrite now.");
            killRewrite();
        }
        return rewriteInBackground();
    }

    /** stopAppendOnly (CONFIG SET appendonly no): what is buffered is written and fsynced, the file closed. */
    public void stop() {
        if (state == State.OFF) {
            return;
        }
        flush();
        killRewrite();
        stopWriting();
        state = State.OFF;
        rewrite.scheduled = false;
        incrSize = 0;
        buffer.clear();
    }

    private void stopWriting() {
        server.propagation().detach(this);
        if (fsyncer != null) {
            String failure = fsyncer.closeAll();
            if (failure != null) {
                log().warning("Fail to fsync the AOF file: " + failure);
            }
            fsyncer = null;
        }
        file = null;
        selector.reset();
        releaseAll();
    }

    /**
     * The AOF part of prepareForShutdown: a rewrite in progress is killed (unless it makes the
     * first base and {@code force} is not given: false, the server must not exit), then what is
     * buffered is written and fsynced.
     */
    public boolean prepareShutdown(boolean force) {
        if (rewrite.running) {
            if (state == State.WAIT_REWRITE) {
                if (!force) {
                    log().warning("Writing initial AOF, can't exit.");
                    return false;
                }
                log().warning("Writing initial AOF. Exit anyway.");
            }
            log().warning("There is a child rewriting the AOF. Killing it!");
            killRewrite();
        }
        if (state != State.OFF) {
            log().notice("Calling fsync() on the AOF file.");
            flush();
            String failure = syncNow();
            if (failure != null) {
                log().warning("Fail to fsync the AOF file: " + failure + ".");
            }
        }
        return true;
    }

    /** Releases the files when the server stops. */
    public void close() {
        if (fsyncer != null) {
            fsyncer.closeAll();
            fsyncer = null;
        }
        baseWriter.abort();
        file = null;
    }

    private String syncNow() {
        try {
            if (file != null) {
                file.force(false);
            }
            return null;
        } catch (IOException e) {
            return reason(e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Feeding and writing

    @Override
    public int targets() {
        return Propagation.AOF;
    }

    /** feedAppendOnlyFile: the effect goes to the buffer (with a SELECT, a #TS: line if due). */
    @Override
    public void propagate(int db, byte[][] argv) {
        if (state != State.ON && !(state == State.WAIT_REWRITE && rewrite.running)) {
            selector.selectFor(db);
            return;
        }
        if (config().aofTimestampEnabled.value()) {
            long now = nowSeconds();
            if (lastTimestamp < now) {
                lastTimestamp = now;
                AofCommandWriter.timestamp(buffer, now);
            }
        }
        byte[][] select = selector.selectFor(db);
        if (select != null) {
            AofCommandWriter.append(buffer, select);
        }
        AofCommandWriter.append(buffer, argv);
        scheduleFlush(); // effects of work that replies to nobody (expiry, the cron) are written too
    }

    /**
     * Redis's beforeSleep: the buffer is written once after the tasks queued now (every client
     * read in this turn of the event loop), then the replies that waited for it leave.
     */
    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            server.executor().execute(() -> {
                flushScheduled = false;
                flushTurn();
            });
        }
    }

    /**
     * The write at the end of a turn. With appendfsync always, while an fsync runs the buffer
     * waits for it to end ({@link #release} writes it then), so that the file is written and
     * fsynced in turn, as Redis does on its one thread: writes made under a running fdatasync
     * made that fsync longer (median 0.45 ms against Redis's 0.27 ms over the same SET load, so
     * each covered half as many writes).
     */
    private void flushTurn() {
        if (file != null && buffer.size() > 0 && fsyncAlways() && fsyncer != null && fsyncer.running()) {
            writeAfterFsync = true;
            releaseWritten(); // their replies now wait for the fsync that will cover the buffer
            return;
        }
        flush();
    }

    private long nowSeconds() {
        return server.nowMs() / 1000;
    }

    private boolean fsyncAlways() {
        return config().appendfsync.intValue() == FSYNC_ALWAYS;
    }

    /** no-appendfsync-on-rewrite: no fsync while a rewrite or background save runs. */
    private boolean fsyncSuspended() {
        return config().noAppendfsyncOnRewrite.value() && (rewrite.running || server.snapshots().rdbSnapshotRunning());
    }

    /**
     * flushAppendOnlyFile: writes the buffer to the incremental file, then asks for the fsync the
     * policy wants. A failed write keeps the data buffered, to be retried, and refuses writes
     * (MISCONF) until a write succeeds again.
     */
    public void flush() {
        if (file != null && (buffer.size() == 0 || write())) {
            requestFsync();
        }
        releaseWritten();
    }

    private boolean write() {
        if (flushSleepMicros > 0) {
            Snapshots.pause(flushSleepMicros); // DEBUG AOF-FLUSH-SLEEP: a slow disk, for tests
        }
        ByteBuffer data = buffer.view();
        int total = data.remaining();
        long start = server.observability().latencyStart();
        try {
            AofDirectory.writeFully(file, data);
        } catch (IOException e) {
            writeFailed(e, total - data.remaining());
            return false;
        }
        writeLatency(start);
        if (writeError != null) {
            log().warning("AOF write error looks solved, Redis can write again.");
            writeError = null;
        }
        wrote(total);
        buffer.clear();
        return true;
    }

    /**
     * Redis's latency events for a slow write of the buffer: one by what else was going on (an
     * fsync of everysec still running, a background save or rewrite, or nothing), and "aof-write"
     * for all.
     */
    private void writeLatency(long start) {
        if (start == 0) {
            return;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        var observability = server.observability();
        if (config().appendfsync.intValue() == FSYNC_EVERYSEC && fsyncer != null && fsyncer.running()) {
            observability.addLatencySample("aof-write-pending-fsync", ms);
        } else if (rewrite.running || server.snapshots().rdbSnapshotRunning()) {
            observability.addLatencySample("aof-write-active-child", ms);
        } else {
            observability.addLatencySample("aof-write-alone", ms);
        }
        observability.addLatencySample("aof-write", ms);
    }

    private void wrote(long n) {
        incrSize += n;
        currentSize += n;
        written += n;
    }

    private void writeFailed(IOException e, int partial) {
        long now = nowSeconds();
        boolean canLog = now - lastWriteErrorLog > WRITE_ERROR_LOG_SECONDS;
        if (canLog) {
            lastWriteErrorLog = now;
            log().warning("Error writing to the AOF file: " + reason(e));
        }
        writeError = reason(e);
        if (partial > 0) {
            try {
                file.truncate(incrSize); // no half command left in the file
            } catch (IOException te) {
                if (canLog) {
                    log().warning("Could not remove short write from the append-only file.  Redis may refuse to load "
                            + "the AOF the next time it starts.  ftruncate: " + reason(te));
                }
                wrote(partial);
                buffer.drop(partial);
            }
        }
    }

    private void requestFsync() {
        if (fsyncer == null || written <= fsyncer.synced() || fsyncSuspended()) {
            return;
        }
        long now = nowSeconds();
        if (fsyncAlways() && syncInline()) {
            lastFsyncSecond = now;
            release(written);
            return;
        }
        if (fsyncAlways() || (config().appendfsync.intValue() == FSYNC_EVERYSEC && now > lastFsyncSecond)) {
            fsyncer.request(written);
            lastFsyncSecond = now;
        }
    }

    /** appendfsync always's fdatasync on the executor (see the class comment); false if left to the thread. */
    private boolean syncInline() {
        long start = server.observability().latencyStart();
        if (!fsyncer.syncHere(written)) {
            return false;
        }
        server.observability().latencyEnd("aof-fsync-always", start);
        return true;
    }

    /**
     * Before replies leave (the connection's flush): replies that may have seen effects not yet
     * written wait for the next write of the buffer ({@link #scheduleFlush}), shared by every
     * client served meanwhile, as Redis writes the AOF once per event-loop turn before any reply.
     * With appendfsync always they then wait until what was written is on disk. Returns whether
     * {@code send} was held (then it runs later, on the executor, in order).
     */
    public boolean holdsReplies(Runnable send) {
        if (state == State.OFF) {
            return false;
        }
        if (buffer.size() > 0 || !afterWrite.isEmpty()) {
            afterWrite.add(send);
            scheduleFlush();
            return true;
        }
        return holdsUntilSynced(written, send);
    }

    /** With appendfsync always, {@code send} waits until {@code target} bytes are on disk, in order. */
    private boolean holdsUntilSynced(long target, Runnable send) {
        if (!fsyncAlways() || fsyncSuspended() || fsyncer == null || (target <= released && held.isEmpty())) {
            return false;
        }
        held.add(new Held(target, send));
        return true;
    }

    /** After a write of the buffer: the replies that waited for it leave, or wait for its fsync. */
    private void releaseWritten() {
        if (afterWrite.isEmpty()) {
            return;
        }
        List<Runnable> sends = afterWrite;
        afterWrite = new ArrayList<>();
        long target = written + buffer.size(); // a failed write's bytes too: their reply waits
        for (Runnable send : sends) {
            if (!holdsUntilSynced(target, send)) {
                send.run();
            }
        }
    }

    /** What the fsync thread reports as on disk: the replies that waited for it leave. */
    private void release(long offset) {
        released = Math.max(released, offset);
        while (!held.isEmpty() && held.peek().offset() <= released) {
            held.poll().send().run();
        }
        if (writeAfterFsync) {
            writeAfterFsync = false;
            flush();
        }
    }

    private void releaseAll() {
        released = Math.max(released, written);
        while (!held.isEmpty()) {
            held.poll().send().run();
        }
        List<Runnable> sends = afterWrite;
        afterWrite = new ArrayList<>();
        sends.forEach(Runnable::run);
    }

    public void flushSleepMicros(long micros) {
        flushSleepMicros = micros;
    }

    /**
     * Redis's writeCommandsDeniedByDiskError for the AOF: the MISCONF error while the last write
     * or fsync failed, or null.
     */
    public String writesDeniedError() {
        if (state == State.OFF) {
            return null;
        }
        String failure = writeError != null ? writeError : fsyncer == null ? null : fsyncer.error();
        return failure == null ? null : "MISCONF Errors writing to the AOF file: " + failure;
    }

    // ------------------------------------------------------------------------------------------
    // Rewrite

    public boolean rewriteRunning() {
        return rewrite.running;
    }

    /**
     * BGREWRITEAOF: started now, or scheduled while a background save runs or inside a
     * transaction; the reply's text, or null if it could not start.
     */
    public String requestRewrite(boolean inTransaction) {
        if (server.snapshots().snapshotRunning() || inTransaction) {
            rewrite.scheduled = true;
            rewrite.consecutiveFailures = 0; // a manual rewrite is not held back by earlier failures
            return "Background append only file rewriting scheduled";
        }
        return rewriteInBackground() ? "Background append only file rewriting started" : null;
    }

    /**
     * rewriteAppendOnlyFileBackground: effects go to a new incremental file from now on, and the
     * dataset as it is now is written as the new base.
     */
    private boolean rewriteInBackground() {
        if (rewrite.running || server.snapshots().snapshotRunning()) {
            return false;
        }
        if (!files.create()) {
            rewrite.lastOk = false;
            return false;
        }
        selector.reset(); // the new file must select its database
        flush();
        if (!openNewIncr()) {
            rewrite.lastOk = false;
            return false;
        }
        rewrite.count++;
        rewrite.running = true;
        rewrite.scheduled = false;
        rewrite.startMs = System.currentTimeMillis();
        rewrite.rdb = config().aofUseRdbPreamble.value();
        rewrite.child = server.children().start(this::rewriteKilled);
        log().notice("Background append only file rewriting started by pid " + rewrite.child.pid());
        baseWriter.start(tempBase(), rewrite.rdb, this::rewriteDone);
        return true;
    }

    private java.nio.file.Path tempBase() {
        return files.dir().resolve("temp-rewriteaof-bg-" + rewrite.child.pid() + ".aof"); // as Redis's child names it
    }

    /**
     * openNewIncrAofForAppend: with the AOF on, a new incremental file, in the manifest at once;
     * while it waits for its first rewrite, a temporary one that the rewrite's end renames.
     */
    private boolean openNewIncr() {
        if (state == State.OFF) {
            return true;
        }
        AofManifest changed = state == State.WAIT_REWRITE ? null : manifest.copy();
        String name = changed == null ? AofManifest.tempIncrName(files.prefix()) : changed.newIncr(files.prefix());
        FileChannel channel;
        try {
            channel = files.open(name, true);
        } catch (IOException e) {
            log().warning("Can't open the append-only file " + name + ": " + reason(e));
            return false;
        }
        if (changed != null && !files.persist(changed)) {
            Fsyncer.closeQuietly(channel);
            return false;
        }
        log().notice("Creating AOF incr file " + name + " on background rewrite");
        file = channel;
        fsyncer.switchTo(channel);
        incrSize = 0;
        if (changed != null) {
            manifest = changed;
        }
        return true;
    }

    /** backgroundRewriteDoneHandler, on the executor. */
    private void rewriteDone(boolean ok) {
        rewrite.running = false;
        rewrite.child.end();
        if (!ok) {
            rewriteFailed();
            log().warning("Background AOF rewrite terminated with error");
        } else {
            log().notice("Background AOF rewrite terminated with success");
            if (installBase()) {
                rewrite.lastOk = true;
                rewrite.consecutiveFailures = 0;
                log().notice("Background AOF rewrite finished successfully");
                if (state == State.WAIT_REWRITE) {
                    state = State.ON;
                }
            } else {
                rewriteFailed();
            }
        }
        endRewrite();
    }

    /** The rewrite's child died by {@code signal}: the rewrite is abandoned, a failure unless SIGUSR1. */
    private void rewriteKilled(int signal) {
        if (!rewrite.running) {
            return;
        }
        baseWriter.abort();
        rewrite.running = false;
        if (signal != Snapshots.SIGUSR1) {
            rewriteFailed();
        }
        log().warning("Background AOF rewrite terminated by signal " + signal);
        endRewrite();
    }

    private void rewriteFailed() {
        rewrite.lastOk = false;
        rewrite.consecutiveFailures++;
    }

    /**
     * The base is complete: it takes its name, the incremental files it covers become history,
     * and the manifest saying so replaces the old one atomically; then the history is deleted.
     */
    private boolean installBase() {
        AofManifest changed = manifest.copy();
        String baseName = changed.newBase(files.prefix(), rewrite.rdb);
        java.nio.file.Path temp = tempBase();
        if (!rename(temp, baseName, "base")) {
            return false;
        }
        String incrName = null;
        if (state == State.WAIT_REWRITE) {
            incrName = changed.newIncr(files.prefix());
            if (!rename(files.file(AofManifest.tempIncrName(files.prefix())), incrName, "incr")) {
                files.delete(files.file(baseName));
                return false;
            }
        }
        changed.markRewrittenIncrsAsHistory(file != null);
        if (!files.persist(changed)) {
            files.delete(files.file(baseName));
            if (incrName != null) {
                files.delete(files.file(incrName));
            }
            return false;
        }
        manifest = changed;
        if (state != State.OFF) {
            currentSize = Math.max(0, files.size(baseName)) + incrSize;
            rewriteBaseSize = currentSize;
        }
        deleteHistory();
        return true;
    }

    private boolean rename(java.nio.file.Path temp, String name, String kind) {
        try {
            Files.move(temp, files.file(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log().warning("Error trying to rename the temporary AOF " + kind + " file " + temp.getFileName() + " into "
                    + name + ": " + reason(e));
            return false;
        }
        log().notice("Successfully renamed the temporary AOF " + kind + " file " + temp.getFileName() + " into " + name);
        return true;
    }

    /** The cleanup after any end of a rewrite. */
    private void endRewrite() {
        files.delete(tempBase());
        if (state == State.WAIT_REWRITE) {
            // What waited for the first base is dropped with it; the next rewrite starts afresh.
            buffer.clear();
            String tempIncr = AofManifest.tempIncrName(files.prefix());
            log().notice("Removing the temp incr aof file " + tempIncr + " in the background");
            files.delete(files.file(tempIncr));
            rewrite.scheduled = true;
        }
        rewrite.lastSeconds = (System.currentTimeMillis() - rewrite.startMs) / 1000;
        rewrite.startMs = -1;
    }

    /** killAppendOnlyChild: the rewrite in progress is abandoned, without counting as a failure. */
    private void killRewrite() {
        if (!rewrite.running) {
            return;
        }
        log().notice("Killing running AOF rewrite child: " + rewrite.child.pid());
        rewrite.child.end();
        baseWriter.abort();
        files.delete(tempBase());
        rewrite.running = false;
        rewrite.startMs = -1;
    }

    /** CONFIG SET aof-disable-auto-gc (updateAofAutoGCEnabled): turned off, the history kept so far goes. */
    public void autoGcChanged() {
        deleteHistory();
    }

    /** aofDelHistoryFiles: history files are deleted and forgotten, unless aof-disable-auto-gc. */
    private void deleteHistory() {
        if (config().aofDisableAutoGc.value() || manifest.history().isEmpty()) {
            return;
        }
        for (AofManifest.Entry e : manifest.history()) {
            log().notice("Removing the history file " + e.name() + " in the background");
            files.delete(files.file(e.name()));
        }
        manifest.clearHistory();
        files.persist(manifest);
    }

    /**
     * aofRewriteLimited: after three failures in a row, automatic and scheduled rewrites wait 1,
     * 2, 4... up to 60 minutes.
     */
    private boolean rewriteLimited(long nowMs) {
        if (rewrite.consecutiveFailures < 3) {
            rewrite.delayMinutes = 0;
            rewrite.nextAllowedMs = 0;
            return false;
        }
        if (rewrite.nextAllowedMs != 0) {
            if (nowMs < rewrite.nextAllowedMs) {
                return true;
            }
            rewrite.nextAllowedMs = 0;
            return false;
        }
        rewrite.delayMinutes = rewrite.delayMinutes == 0 ? 1 : Math.min(60, rewrite.delayMinutes * 2);
        rewrite.nextAllowedMs = nowMs + rewrite.delayMinutes * 60_000;
        log().warning("Background AOF rewrite has repeatedly failed and triggered the limit, will retry in "
                + rewrite.delayMinutes + " minutes");
        return true;
    }

    /**
     * The AOF's part of serverCron: a scheduled rewrite starts once nothing else runs; an
     * automatic one when the AOF grew by auto-aof-rewrite-percentage past auto-aof-rewrite-min-size;
     * the buffer is written (retrying a failed write) and an idle everysec file fsynced.
     */
    public void cron(long nowMs) {
        // An abandoned rewrite's snapshot counts until its thread stops, as Redis's killed child until reaped.
        boolean busy = rewrite.running || server.snapshots().snapshotRunning();
        if (!busy && rewrite.scheduled && !rewriteLimited(nowMs)) {
            rewriteInBackground();
        } else if (!busy && state == State.ON && autoRewriteDue(nowMs)) {
            rewriteInBackground();
        }
        if (state != State.OFF) {
            flush();
        }
    }

    private boolean autoRewriteDue(long nowMs) {
        long percentage = config().autoAofRewritePercentage.value();
        if (percentage == 0 || currentSize <= config().autoAofRewriteMinSize.value()) {
            return false;
        }
        long base = rewriteBaseSize == 0 ? 1 : rewriteBaseSize;
        long growth = currentSize * 100 / base - 100;
        if (growth < percentage || rewriteLimited(nowMs)) {
            return false;
        }
        log().notice("Starting automatic rewriting of AOF on " + growth + "% growth");
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // INFO persistence

    public State state() {
        return state;
    }

    public boolean rewriteScheduled() {
        return rewrite.scheduled;
    }

    public long lastRewriteSeconds() {
        return rewrite.lastSeconds;
    }

    public long currentRewriteSeconds() {
        return rewrite.running ? (System.currentTimeMillis() - rewrite.startMs) / 1000 : -1;
    }

    public boolean lastRewriteOk() {
        return rewrite.lastOk;
    }

    /** aof_last_cow_size: what the last rewrite's base cost in memory beside the dataset. */
    public long lastRewriteCopiedBytes() {
        return baseWriter.lastCopiedBytes();
    }

    public long rewrites() {
        return rewrite.count;
    }

    public long consecutiveRewriteFailures() {
        return rewrite.consecutiveFailures;
    }

    public boolean lastWriteOk() {
        return writeError == null && (fsyncer == null || fsyncer.error() == null);
    }

    public long currentSize() {
        return currentSize;
    }

    public long baseSize() {
        return rewriteBaseSize;
    }

    public long bufferLength() {
        return buffer.size();
    }

    /** INFO mem_aof_buffer: the memory the buffer holds (Redis's sdsZmallocSize(aof_buf)). */
    public long bufferAllocated() {
        return buffer.allocated();
    }

    public boolean fsyncPending() {
        return fsyncer != null && fsyncer.pending();
    }

    /** Thrown when the AOF stops the start; what went wrong is logged already. */
    public static final class AofStartupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AofStartupException() {
            super("AOF loading failed (see the log)", null, false, false);
        }
    }
}
