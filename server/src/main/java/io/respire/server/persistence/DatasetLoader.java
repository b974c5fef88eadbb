package io.respire.server.persistence;

import io.respire.ds.keyspace.Database;
import io.respire.persistence.EncodingLimits;
import io.respire.persistence.RdbFormatException;
import io.respire.persistence.RdbLoader;
import io.respire.scripting.Functions;
import io.respire.scripting.ScriptException;
import io.respire.server.ServerContext;
import io.respire.server.ServerLog;
import io.respire.server.config.ServerConfig;
import io.respire.server.keyspace.KeyAccess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads RDB files into the databases (Redis's rdbLoad and loadDataFromDisk): {@code dir}/
 * {@code dbfilename} at start and for DEBUG RELOAD, with Redis's log lines, serving clients with
 * LOADING errors while a large file loads. A file is read and checked whole before the databases
 * change, so a bad file leaves them as they were.
 */
public final class DatasetLoader {
    private final ServerContext server;
    private long lastLoadKeysLoaded;
    private long lastLoadKeysExpired;
    /** The load at start of a primary: keys found expired are deleted in the replication stream too. */
    private boolean feedExpired;
    private boolean loading;
    /** Loading a primary's payload while clients are still served from the old data (Redis's async_loading). */
    private boolean asyncLoading;
    /** The last file's "repl-stream-db", "repl-id" and "repl-offset" aux fields: -1, null, -1 without them. */
    private int replStreamDb = -1;
    private String replId;
    private long replOffset = -1;
    /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: RESTORE and RDB loading do not check CRCs. */
    private boolean skipChecksumValidation;

    DatasetLoader(ServerContext server) {
        this.server = server;
    }

    private ServerLog log() {
        return server.log();
    }

    private Path file() {
        return server.config().dir.resolve(server.config().dbfilename.value());
    }

    /**
     * Loads {@code dir}/{@code dbfilename} into the (empty) databases at start, with Redis's log
     * lines; nothing if there is no such file.
     *
     * @param feedExpired a primary's start: the keys found expired go to the replication backlog
     *                    as DELs (Redis's RDBFLAGS_FEED_REPL)
     * @throws RdbFormatException (logged) if the file cannot be loaded: the server must not start
     */
    public void loadAtStart(boolean feedExpired) throws IOException {
        Path path = file();
        if (!Files.exists(path)) {
            return;
        }
        long start = System.nanoTime();
        this.feedExpired = feedExpired;
        try {
            load(path, true);
        } finally {
            this.feedExpired = false;
        }
        log().notice(String.format(Locale.ROOT, "DB loaded from disk: %.3f seconds", (System.nanoTime() - start) / 1e9));
    }

    /**
     * Reads the file into the databases (rdbLoad): the file is read and checked whole into fresh
     * databases first, which replace the current contents only if it loaded.
     *
     * @param flush whether the databases and functions are emptied first (not with DEBUG RELOAD
     *              NOFLUSH)
     */
    public void load(Path path, boolean flush) throws IOException {
        load(path, flush, false);
    }

    /**
     * As {@link #load(Path, boolean)}; with {@code merge} (DEBUG RELOAD MERGE, Redis's
     * RDBFLAGS_ALLOW_DUP) the file's keys and libraries replace those of the same name, without it
     * a name already there fails the load (Redis panics on a duplicated key; here the load is
     * refused before any key is applied).
     */
    public void load(Path path, boolean flush, boolean merge) throws IOException {
        loading = true;
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = file.size();
            Loaded loaded = read((limits, verify, sink) -> RdbLoader.load(file, size, limits, verify, sink));
            if (!flush && !merge) {
                refuseDuplicateKeys(loaded);
            }
            apply(loaded, flush, merge);
        } finally {
            loading = false;
        }
    }

    private void refuseDuplicateKeys(Loaded loaded) {
        for (int i = 0; i < loaded.databases().length; i++) {
            Database db = server.database(i);
            int id = i;
            if (loaded.databases()[i] != null) {
                loaded.databases()[i].forEachEntry(e -> {
                    if (db.peekEntry(e.key()) != null) {
                        String key = new String(e.key(), java.nio.charset.StandardCharsets.ISO_8859_1);
                        log().warning("RDB has duplicated key '" + key + "' in DB " + id);
                        throw new RdbFormatException("Duplicated key found in RDB file");
                    }
                });
            }
        }
    }

    /**
     * Loads the RDB at {@code file}'s position (an AOF's RDB base or preamble, the file {@code
     * size} bytes long) into the databases, keys and libraries replacing those of the same name;
     * returns where the RDB ends.
     */
    public long loadRdbPrefix(FileChannel file, long size) throws IOException {
        Loaded loaded = read((limits, verify, sink) -> RdbLoader.load(file, size, limits, verify, sink));
        apply(loaded, false, true);
        return loaded.length();
    }

    /** Marks the server as loading (INFO loading, LOADING errors) while an AOF loads. */
    public void loading(boolean on) {
        loading = on;
    }

    /**
     * Redis's startLoading for a replica's diskless load: loading from now until {@link
     * #stopLoading}, through the whole transfer. {@code async}: clients go on being served from
     * the old data meanwhile, except the commands flagged no-async-loading.
     */
    public void startLoading(boolean async) {
        loading = true;
        asyncLoading = async;
    }

    public void stopLoading() {
        loading = false;
        asyncLoading = false;
    }

    /**
     * Reads a primary's payload as it arrives (a diskless load), on a thread of its own while the
     * executor goes on serving: into fresh databases, which {@link #applyPayload} then puts in
     * place on the executor. Touches nothing of the server's state.
     *
     * @throws IOException if the feed fails (the link was lost)
     * @throws RdbFormatException if the payload is not valid
     */
    public Loaded readPayload(ReadableByteChannel feed) throws IOException {
        return read((limits, verify, sink) -> RdbLoader.load(feed, -1, limits, verify, sink), true, true);
    }

    /**
     * Replaces the databases and functions by a payload {@link #readPayload} read, after {@code
     * beforeApply}, on the executor; throws as {@link #apply} if a library does not load.
     */
    public void applyPayload(Loaded loaded, Runnable beforeApply) {
        recordLoad(loaded);
        beforeApply.run();
        apply(loaded, true, false);
    }

    /**
     * What an RDB holds, read apart from the live databases (a {@link Database#staging} database
     * for each one it has keys in, null for the others), where it ended, and what the load found.
     */
    public record Loaded(Database[] databases, List<byte[]> functions, long length, long keysLoaded,
            long keysExpired, long sanitizations, int replStreamDb, String replId, long replOffset) {
    }

    /** One of {@link RdbLoader}'s loads, of a file or a stream. */
    private interface RdbRead {
        RdbLoader.Result load(EncodingLimits limits, boolean verifyChecksum, RdbLoader.Sink sink);
    }

    /** Reads an RDB into staging databases on the executor, and records what it found. */
    private Loaded read(RdbRead rdb) throws IOException {
        Loaded loaded = read(rdb, false, server.masterLink().active());
        recordLoad(loaded);
        return loaded;
    }

    /** The figures of a load for INFO and the replication (the aux fields), on the executor. */
    private void recordLoad(Loaded loaded) {
        lastLoadKeysLoaded = loaded.keysLoaded();
        lastLoadKeysExpired = loaded.keysExpired();
        replStreamDb = loaded.replStreamDb();
        replId = loaded.replId();
        replOffset = loaded.replOffset();
        server.stats().dumpPayloadSanitizations += loaded.sanitizations();
    }

    /** The aux fields of a load that matter after it: the replication's. */
    private static final class ReplAux {
        int streamDb = -1;
        String id;
        long offset = -1;
    }

    /**
     * Reads an RDB into staging databases; a channel's read error is thrown as an IOException.
     *
     * @param apart       on a thread of its own: clients are not served from it (the executor is free)
     * @param keepExpired keys already expired are kept (a replica: its primary's DELs remove them,
     *                    Redis's iAmMaster() check)
     */
    private Loaded read(RdbRead rdb, boolean apart, boolean keepExpired) throws IOException {
        ServerConfig config = server.config();
        int dbs = server.databaseCount();
        Database[] staged = new Database[dbs];
        List<byte[]> functions = new ArrayList<>();
        ReplAux aux = new ReplAux();
        long now = System.currentTimeMillis();
        long[] expired = {0};
        long[] sanitizations = {0};
        boolean sanitize = config.sanitizeDumpPayload.is("yes");
        RdbLoader.Result result;
        try {
            boolean verify = config.rdbchecksum.value() && !skipChecksumValidation;
            result = rdb.load(limits(server), verify, new RdbLoader.Sink() {
                int db;
                int skippedLogged;

                @Override
                public void aux(String key, String value) {
                    logAux(key, value, aux);
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
                public void resizeDb(long size, long expires) {
                    staged(db).expand((int) Math.min(size, Integer.MAX_VALUE)); // Redis's dictExpand
                }

                private Database staged(int id) {
                    if (staged[id] == null) {
                        staged[id] = server.database(id).staging();
                    }
                    return staged[id];
                }

                @Override
                public void key(byte[] key, Object value, long expireAtMs, long idle, int freq) {
                    if (expireAtMs != -1 && expireAtMs < now && !keepExpired) {
                        expired[0]++;
                        if (feedExpired) {
                            server.replication().expiredAtLoad(db, key);
                        }
                        return;
                    }
                    Database target = staged(db);
                    target.put(key, value);
                    if (expireAtMs != -1) {
                        target.setExpireAt(key, expireAtMs);
                    }
                    if (idle >= 0 || freq >= 0) {
                        KeyAccess.restore(server, target.peekEntry(key), idle, freq, now);
                    }
                }

                long pumpedAt;

                /**
                 * Redis's rdbLoadProgressCallback: clients are served (with LOADING errors for most
                 * commands) every loading-process-events-interval-bytes, and key-load-delay slows
                 * the load down for tests.
                 */
                @Override
                public void progress(long bytesRead) {
                    long delay = config.keyLoadDelay.value();
                    if (delay > 0) {
                        Snapshots.pause(delay);
                    }
                    if (!apart && bytesRead - pumpedAt >= config.loadingProcessEventsIntervalBytes.value()) {
                        pumpedAt = bytesRead;
                        server.processEventsWhileBlocked();
                    }
                }

                /** Redis sanitizes (and counts) a loaded file's blobs too with sanitize-dump-payload yes. */
                @Override
                public void blobValidated() {
                    if (sanitize) {
                        sanitizations[0]++;
                    }
                }

                @Override
                public void emptyKey(byte[] key) {
                    if (skippedLogged++ < 10) {
                        log().warning("rdbLoadObject skipping empty key: " + new String(key, StandardCharsets.UTF_8));
                    }
                }
            });
        } catch (RdbFormatException e) {
            log().warning(e.getMessage());
            log().warning("Short read or OOM loading DB, or the data is not valid: the RDB integrity check failed.");
            throw e;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        long keysLoaded = result.keysLoaded() - expired[0];
        if (result.emptyKeysSkipped() > 0) {
            log().warning("Done loading RDB, keys loaded: " + keysLoaded + ", keys expired: "
                    + expired[0] + ", empty keys skipped: " + result.emptyKeysSkipped() + ".");
        } else {
            log().notice("Done loading RDB, keys loaded: " + keysLoaded + ", keys expired: " + expired[0] + ".");
        }
        return new Loaded(staged, functions, result.length(), keysLoaded, expired[0], sanitizations[0],
                aux.streamDb, aux.id, aux.offset);
    }

    /** The encoding thresholds that loaded values follow. */
    public static EncodingLimits limits(ServerContext server) {
        ServerConfig config = server.config();
        return new EncodingLimits(config.hashMaxListpackEntries.value(), config.hashMaxListpackValue.value(),
                config.setMaxIntsetEntries.value(), config.zsetMaxListpackEntries.value(),
                config.zsetMaxListpackValue.value(), config.listMaxListpackSize.intValue(),
                config.listCompressDepth.intValue(), server.quicklistPackedThreshold());
    }

    private void logAux(String key, String value, ReplAux aux) {
        if (key.equalsIgnoreCase("repl-stream-db")) {
            aux.streamDb = (int) Math.max(-1, Math.min(Integer.MAX_VALUE, parseLong(value)));
        } else if (key.equalsIgnoreCase("repl-id")) {
            aux.id = value.length() == 40 ? value : null;
        } else if (key.equalsIgnoreCase("repl-offset")) {
            aux.offset = parseLong(value);
        } else if (key.startsWith("%")) {
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
    private void apply(Loaded loaded, boolean flush, boolean merge) {
        Functions functions = server.scripting().functions();
        if (flush) {
            emptyData();
        }
        for (byte[] code : loaded.functions()) {
            try {
                functions.load(code, merge, 0, server.scripting());
            } catch (ScriptException e) {
                log().warning("Failed loading library, " + e.getMessage());
                throw new RdbFormatException("Failed loading library, " + e.getMessage());
            }
        }
        for (int i = 0; i < loaded.databases().length; i++) {
            Database staged = loaded.databases()[i];
            if (staged == null) {
                continue;
            }
            Database db = server.database(i);
            if (db.size() == 0) {
                db.adopt(staged); // a start, a reload: the loaded table becomes the database's
                continue;
            }
            db.expand((int) Math.min(Integer.MAX_VALUE, (long) db.size() + staged.size())); // Redis's RESIZEDB
            staged.forEachEntry(e -> {
                db.put(e.key(), e.value());
                if (e.expireAt() != -1) {
                    db.setExpireAt(e.key(), e.expireAt());
                }
                db.peekEntry(e.key()).lru(e.lru()); // the file's idle time or frequency
            });
        }
    }

    /** Redis's emptyData: every database and the function libraries emptied, before a reload. */
    public void emptyData() {
        server.scripting().functions().flush();
        for (int i = 0; i < server.databaseCount(); i++) {
            Database db = server.database(i);
            if (db.size() > 0) {
                server.databaseReplaced(db, null);
                db.clear();
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // State for INFO and DEBUG

    /** A dataset is being loaded now (a file, an AOF, a primary's payload), async loading included. */
    public boolean loading() {
        return loading;
    }

    /** INFO async_loading: a primary's payload is loading while clients are served the old data. */
    public boolean asyncLoading() {
        return asyncLoading;
    }

    public boolean skipChecksumValidation() {
        return skipChecksumValidation;
    }

    public void skipChecksumValidation(boolean skip) {
        skipChecksumValidation = skip;
    }

    /** The database the stream continues in, as the last file loaded recorded it (repl-stream-db), or -1. */
    public int replStreamDb() {
        return replStreamDb;
    }

    /** The replication ID the last file recorded (repl-id), or null. */
    public String replId() {
        return replId;
    }

    /** The replication offset the last file recorded (repl-offset), or -1. */
    public long replOffset() {
        return replOffset;
    }

    public long lastLoadKeysLoaded() {
        return lastLoadKeysLoaded;
    }

    public long lastLoadKeysExpired() {
        return lastLoadKeysExpired;
    }
}
