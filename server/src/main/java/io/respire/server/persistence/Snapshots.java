package io.respire.server.persistence;

import io.respire.ds.keyspace.Database;
import io.respire.ds.keyspace.Dict;
import io.respire.persistence.EncodingLimits;
import io.respire.persistence.RdbFormatException;
import io.respire.persistence.RdbLoader;
import io.respire.persistence.RdbWriter;
import io.respire.scripting.Functions;
import io.respire.scripting.ScriptException;
import io.respire.server.ServerContext;
import io.respire.server.ServerLog;
import io.respire.server.config.ServerConfig;
import io.respire.server.config.SpecialOptions;
import io.respire.server.keyspace.KeyAccess;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * RDB snapshots of the dataset (Redis's rdb.c seen from the server): SAVE, BGSAVE, the save points
 * run by the cron, the save of SHUTDOWN and FLUSHALL, DEBUG RELOAD, and loading {@code dir}/
 * {@code dbfilename} at start, with Redis's log lines and the INFO persistence figures.
 *
 * <p>Everything that reads or changes the data runs on the executor. A background save serializes
 * the dataset there in one go (a copy of the serialized data, not the copy-before-write walker of
 * docs/design/snapshots.md, which is not built yet) and writes the file on a thread of its own, so
 * that the file system's latency does not stop the server. A file is written to a temporary name
 * and renamed over the target once complete, so a crash never leaves a half-written dump.
 */
public final class Snapshots {
    private final ServerContext server;
    private boolean lastSaveOk = true;
    private long lastSaveAttemptMs;
    private long saves;
    private volatile boolean backgroundSaveRunning;
    /** The thread writing a background save, and whether it was told to give up (killRDBChild). */
    private Thread backgroundWriter;
    private volatile boolean backgroundAborted;
    private long backgroundStartMs;
    private long lastBackgroundSeconds = -1;
    private long dirtyAtBackgroundStart;
    private long lastLoadKeysLoaded;
    private long lastLoadKeysExpired;
    private boolean loading;
    /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: RESTORE and RDB loading do not check CRCs. */
    private boolean skipChecksumValidation;
    private final MigrationLinks migrationLinks = new MigrationLinks();

    public Snapshots(ServerContext server) {
        this.server = server;
    }

    private Path file() {
        return server.config().dir.resolve(server.config().dbfilename.value());
    }

    private ServerLog log() {
        return server.log();
    }

    // ------------------------------------------------------------------------------------------
    // Writing

    /** Writes the whole dataset as an RDB file to {@code out} (rdbSaveRio); on the executor. */
    public void write(OutputStream out) throws IOException {
        write(out, 0);
    }

    /**
     * As {@link #write(OutputStream)}, pausing {@code keyDelayMicros} after each key (the test
     * setting rdb-key-save-delay, which makes a save take long on purpose).
     */
    private void write(OutputStream out, long keyDelayMicros) throws IOException {
        ServerConfig config = server.config();
        RdbWriter w = new RdbWriter(out, config.rdbcompression.value(), config.rdbchecksum.value());
        w.header();
        w.aux("redis-ver", "7.0.15");
        w.aux("redis-bits", "64");
        w.aux("ctime", Long.toString(System.currentTimeMillis() / 1000));
        w.aux("used-mem", Long.toString(server.usedMemory()));
        w.aux("aof-base", "0");
        List<byte[]> codes = new ArrayList<>();
        for (Functions.Library library : server.scripting().functions().libraries()) {
            codes.add(library.code());
        }
        w.functions(codes);
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

    private static void pause(long micros) {
        try {
            Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        try (OutputStream out = new BufferedOutputStream(new FileOutputStream(temp.toFile()), 1 << 16)) {
            write(out, server.config().rdbKeySaveDelay.value());
        } catch (IOException e) {
            log().warning("Failed opening the temp RDB file " + temp.getFileName() + " (in server root dir "
                    + target.getParent() + ") for saving: " + e.getMessage());
            deleteQuietly(temp);
            return false;
        }
        if (!rename(temp, target)) {
            return false;
        }
        log().notice("DB saved on disk");
        saved(server.dirty());
        return true;
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
     * BGSAVE (rdbSaveBackground): serializes the dataset now and writes the file on another
     * thread. False if a background save is running already.
     */
    public boolean backgroundSave() {
        if (backgroundSaveRunning) {
            return false;
        }
        lastSaveAttemptMs = System.currentTimeMillis();
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        try {
            write(image);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e); // a ByteArrayOutputStream does not fail
        }
        backgroundSaveRunning = true;
        backgroundStartMs = System.currentTimeMillis();
        dirtyAtBackgroundStart = server.dirty();
        log().notice("Background saving started by pid " + ProcessHandle.current().pid());
        Path target = file();
        // rdb-key-save-delay slows the writer, not the executor: the server keeps serving meanwhile.
        long delayMicros = Math.max(0, server.config().rdbKeySaveDelay.value()) * keysIn();
        backgroundAborted = false;
        Thread writer = new Thread(() -> {
            pause(delayMicros);
            if (backgroundAborted) {
                server.executor().execute(() -> backgroundSaveDone(false));
                return;
            }
            writeInBackground(image, target);
        }, "respire-bgsave");
        writer.setDaemon(true);
        backgroundWriter = writer;
        writer.start();
        return true;
    }

    /**
     * Redis's killRDBChild (FLUSHALL, SHUTDOWN): the background save in progress gives up without
     * writing the file; like a child killed with SIGUSR1, that is not a failed save.
     */
    public void abortBackgroundSave() {
        if (backgroundSaveRunning && !backgroundAborted) {
            backgroundAborted = true;
            backgroundWriter.interrupt();
        }
    }

    private long keysIn() {
        long keys = 0;
        for (int i = 0; i < server.databaseCount(); i++) {
            keys += server.database(i).size();
        }
        return keys;
    }

    private void writeInBackground(ByteArrayOutputStream image, Path target) {
        Path temp = target.resolveSibling("temp-" + ProcessHandle.current().pid() + "-bg.rdb");
        boolean ok;
        try (OutputStream out = new FileOutputStream(temp.toFile())) {
            image.writeTo(out);
            ok = true;
        } catch (IOException e) {
            log().warning("Write error saving DB on disk: " + e.getMessage());
            deleteQuietly(temp);
            ok = false;
        }
        if (ok && backgroundAborted) {
            deleteQuietly(temp);
        }
        boolean done = ok && !backgroundAborted && rename(temp, target);
        if (done) {
            log().notice("DB saved on disk");
        }
        server.executor().execute(() -> backgroundSaveDone(done));
    }

    /** backgroundSaveDoneHandler, on the executor. */
    private void backgroundSaveDone(boolean ok) {
        backgroundSaveRunning = false;
        backgroundWriter = null;
        lastBackgroundSeconds = (System.currentTimeMillis() - backgroundStartMs) / 1000;
        if (backgroundAborted) {
            log().warning("Background saving terminated by signal 10");
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
        migrationLinks.closeIdle(nowMs);
        if (backgroundSaveRunning) {
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
    // Loading

    /**
     * Loads {@code dir}/{@code dbfilename} into the (empty) databases at start, with Redis's log
     * lines; nothing if there is no such file.
     *
     * @throws RdbFormatException (logged) if the file cannot be loaded: the server must not start
     */
    public void loadAtStart() throws IOException {
        Path path = file();
        if (!Files.exists(path)) {
            return;
        }
        long start = System.nanoTime();
        load(path, true);
        log().notice(String.format(Locale.ROOT, "DB loaded from disk: %.3f seconds", (System.nanoTime() - start) / 1e9));
    }

    /**
     * Reads the file into the databases (rdbLoad): the file is read and checked whole into fresh
     * databases first, which replace the current contents only if it loaded.
     *
     * @param flush whether the databases and functions are emptied first; if not (DEBUG RELOAD
     *              NOFLUSH), the file's keys and libraries replace those of the same name
     */
    public void load(Path path, boolean flush) throws IOException {
        byte[] data = Files.readAllBytes(path);
        loading = true;
        try {
            LoadedData loaded = read(data);
            apply(loaded, flush);
        } finally {
            loading = false;
        }
    }

    /** What a file holds, read apart from the live databases. */
    private record LoadedData(List<List<Object[]>> keys, List<byte[]> functions) {
    }

    private LoadedData read(byte[] data) {
        ServerConfig config = server.config();
        int dbs = server.databaseCount();
        List<List<Object[]>> keys = new ArrayList<>();
        for (int i = 0; i < dbs; i++) {
            keys.add(new ArrayList<>());
        }
        List<byte[]> functions = new ArrayList<>();
        long now = System.currentTimeMillis();
        long[] expired = {0};
        RdbLoader.Result result;
        try {
            boolean verify = config.rdbchecksum.value() && !skipChecksumValidation;
            result = RdbLoader.load(data, limits(server), verify, new RdbLoader.Sink() {
                int db;
                int skippedLogged;

                @Override
                public void aux(String key, String value) {
                    logAux(key, value);
                }

                @Override
                public void function(byte[] code) {
                    functions.add(code);
                }

                @Override
                public void selectDb(long id) {
                    if (id < 0 || id >= dbs) {
                        throw new RdbFormatException("Data file was created with a Redis server configured to handle "
                                + "more than " + dbs + " databases.");
                    }
                    db = (int) id;
                }

                @Override
                public void key(byte[] key, Object value, long expireAtMs, long idle, int freq) {
                    if (expireAtMs != -1 && expireAtMs < now) {
                        expired[0]++;
                        return;
                    }
                    keys.get(db).add(new Object[] {key, value, expireAtMs, idle, freq});
                }

                @Override
                public void emptyKey(byte[] key) {
                    if (skippedLogged++ < 10) {
                        log().warning("rdbLoadObject skipping empty key: " + new String(key,
                                java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            });
        } catch (RdbFormatException e) {
            log().warning(e.getMessage());
            log().warning("Short read or OOM loading DB, or the data is not valid: the RDB integrity check failed.");
            throw e;
        }
        lastLoadKeysExpired = expired[0];
        lastLoadKeysLoaded = result.keysLoaded() - expired[0];
        if (result.emptyKeysSkipped() > 0) {
            log().warning("Done loading RDB, keys loaded: " + lastLoadKeysLoaded + ", keys expired: "
                    + lastLoadKeysExpired + ", empty keys skipped: " + result.emptyKeysSkipped() + ".");
        } else {
            log().notice("Done loading RDB, keys loaded: " + lastLoadKeysLoaded + ", keys expired: "
                    + lastLoadKeysExpired + ".");
        }
        return new LoadedData(keys, functions);
    }

    /** The encoding thresholds that loaded values follow. */
    public static EncodingLimits limits(ServerContext server) {
        ServerConfig config = server.config();
        return new EncodingLimits(config.hashMaxListpackEntries.value(), config.hashMaxListpackValue.value(),
                config.setMaxIntsetEntries.value(), config.zsetMaxListpackEntries.value(),
                config.zsetMaxListpackValue.value(), config.listMaxListpackSize.intValue(),
                config.listCompressDepth.intValue(), server.quicklistPackedThreshold());
    }

    private void logAux(String key, String value) {
        if (key.startsWith("%")) {
            log().notice("RDB '" + key + "': " + value);
        } else if (key.equalsIgnoreCase("redis-ver")) {
            log().notice("Loading RDB produced by version " + value);
        } else if (key.equalsIgnoreCase("ctime")) {
            long age = Math.max(0, System.currentTimeMillis() / 1000 - parseLong(value));
            log().notice("RDB age " + age + " seconds");
        } else if (key.equalsIgnoreCase("used-mem")) {
            log().notice(String.format(Locale.ROOT, "RDB memory usage when created %.2f Mb",
                    parseLong(value) / (1024.0 * 1024)));
        } else if (key.equalsIgnoreCase("aof-base") && parseLong(value) != 0) {
            log().notice("RDB is base AOF");
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Puts what was read into the databases: functions first (a library that fails fails the load). */
    private void apply(LoadedData loaded, boolean flush) {
        Functions functions = server.scripting().functions();
        if (flush) {
            functions.flush();
        }
        for (byte[] code : loaded.functions()) {
            try {
                functions.load(code, !flush, 0, server.scripting());
            } catch (ScriptException e) {
                log().warning("Failed loading library, " + e.getMessage());
                throw new RdbFormatException("Failed loading library, " + e.getMessage());
            }
        }
        long now = server.nowMs();
        for (int i = 0; i < loaded.keys().size(); i++) {
            Database db = server.database(i);
            if (flush && db.size() > 0) {
                server.databaseReplaced(db, null);
                db.clear();
            }
            for (Object[] k : loaded.keys().get(i)) {
                byte[] key = (byte[]) k[0];
                db.put(key, k[1]);
                long expireAt = (Long) k[2];
                if (expireAt != -1) {
                    db.setExpireAt(key, expireAt);
                }
                Dict.Entry e = db.peekEntry(key);
                KeyAccess.restore(server, e, (Long) k[3], (Integer) k[4], now);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // INFO persistence

    public boolean loading() {
        return loading;
    }

    /** MIGRATE's cached connections (closed by the cron when idle). */
    public MigrationLinks migrationLinks() {
        return migrationLinks;
    }

    public boolean skipChecksumValidation() {
        return skipChecksumValidation;
    }

    public void skipChecksumValidation(boolean skip) {
        skipChecksumValidation = skip;
    }

    public boolean lastSaveOk() {
        return lastSaveOk;
    }

    public long saves() {
        return saves;
    }

    public long lastBackgroundSeconds() {
        return lastBackgroundSeconds;
    }

    public long currentBackgroundSeconds() {
        return backgroundSaveRunning ? (System.currentTimeMillis() - backgroundStartMs) / 1000 : -1;
    }

    public long lastLoadKeysLoaded() {
        return lastLoadKeysLoaded;
    }

    public long lastLoadKeysExpired() {
        return lastLoadKeysExpired;
    }
}
