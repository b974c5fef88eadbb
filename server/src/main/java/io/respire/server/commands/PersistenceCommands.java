package io.respire.server.commands;

import io.respire.ds.keyspace.Database;
import io.respire.persistence.DumpPayload;
import io.respire.persistence.RdbFormatException;
import io.respire.persistence.RdbValueReader;
import io.respire.persistence.RdbValueWriter;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.Stats;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.keyspace.KeyAccess;
import io.respire.server.keyspace.Keys;
import io.respire.server.persistence.DatasetLoader;
import io.respire.server.persistence.MigrationLinks;
import io.respire.server.persistence.Snapshots;
import io.respire.server.replication.Effects;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Data in RDB form: snapshots on disk (Redis's rdb.c commands SAVE, BGSAVE, LASTSAVE; the work is
 * the {@link Snapshots}', which DEBUG RELOAD and SHUTDOWN use too) and single values (cluster.c's
 * DUMP, RESTORE and MIGRATE).
 */
public final class PersistenceCommands {
    static final String BGSAVE_IN_PROGRESS = "ERR Background save already in progress";

    private PersistenceCommands() {
    }

    static void register(CommandTable table) {
        table.register("save", PersistenceCommands::save);
        table.register("bgsave", PersistenceCommands::bgsave);
        table.register("lastsave", PersistenceCommands::lastsave);
        table.register("bgrewriteaof", PersistenceCommands::bgrewriteaof);
        table.register("dump", PersistenceCommands::dump);
        table.register("restore", PersistenceCommands::restore);
        // Outside a cluster RESTORE-ASKING is RESTORE (one restoreCommand in Redis); it keeps its name when propagated.
        table.register("restore-asking", PersistenceCommands::restore);
        table.register("migrate", PersistenceCommands::migrate);
    }

    /** SAVE: the dataset written before the reply; a bare ERR if it could not be (the log says why). */
    static void save(Client c) {
        Snapshots snapshots = c.server().snapshots();
        if (snapshots.backgroundSaveRunning()) {
            throw new CommandError(BGSAVE_IN_PROGRESS);
        }
        if (!snapshots.save()) {
            throw new CommandError("ERR");
        }
        c.reply().ok();
    }

    /** BGSAVE [SCHEDULE]: with no other child process than a save, SCHEDULE changes nothing. */
    static void bgsave(Client c) {
        if (c.argc() > 2 || (c.argc() == 2 && !c.argIs(1, "SCHEDULE"))) {
            throw new CommandError(Errors.SYNTAX);
        }
        Snapshots snapshots = c.server().snapshots();
        if (snapshots.backgroundSaveRunning()) {
            throw new CommandError(BGSAVE_IN_PROGRESS);
        }
        // Inside EXEC the snapshot would hold half of the transaction: the cron starts it after.
        boolean inExec = c.server().propagation().nestedCall();
        if (snapshots.running() != null || c.server().aof().rewriteRunning() || inExec) {
            if (c.argc() == 1 && !inExec) {
                throw new CommandError("ERR Another child process is active (AOF?): can't BGSAVE right now. "
                        + "Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
            }
            snapshots.scheduleBackgroundSave();
            c.reply().simple("Background saving scheduled");
            return;
        }
        snapshots.backgroundSave();
        c.reply().simple("Background saving started");
    }

    /**
     * BGREWRITEAOF (bgrewriteaofCommand): a rewrite of the AOF into a new base, started now, or
     * scheduled while a background save runs or inside a transaction.
     */
    static void bgrewriteaof(Client c) {
        io.respire.server.persistence.aof.AppendOnlyFile aof = c.server().aof();
        if (aof.rewriteRunning()) {
            throw new CommandError("ERR Background append only file rewriting already in progress");
        }
        String started = aof.requestRewrite(c.multi().active());
        if (started == null) {
            throw new CommandError("ERR Can't execute an AOF background rewriting. "
                    + "Please check the server logs for more information.");
        }
        c.reply().simple(started);
    }

    /** LASTSAVE: when the dataset was last saved; the start time until there is a save. */
    static void lastsave(Client c) {
        c.reply().integer(c.server().lastSaveMs() / 1000);
    }

    /** DUMP key: the value's RDB encoding, RDB version and CRC-64; nil for a missing key. */
    static void dump(Client c) {
        Object value = Keys.lookupRead(c, c.arg(1));
        if (value == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().bulk(RdbValueWriter.dump(value, c.server().config().rdbcompression.value()));
    }

    /** RESTORE's options after the payload. */
    private record RestoreOptions(boolean replace, boolean absTtl, long idleSeconds, int freq) {
    }

    private static RestoreOptions restoreOptions(Client c) {
        boolean replace = false;
        boolean absTtl = false;
        long idle = -1;
        long freq = -1;
        for (int j = 4; j < c.argc(); j++) {
            boolean more = j + 1 < c.argc();
            if (c.argIs(j, "REPLACE")) {
                replace = true;
            } else if (c.argIs(j, "ABSTTL")) {
                absTtl = true;
            } else if (c.argIs(j, "IDLETIME") && more && freq == -1) {
                idle = Args.longArg(c, ++j);
                if (idle < 0) {
                    throw new CommandError("ERR Invalid IDLETIME value, must be >= 0");
                }
            } else if (c.argIs(j, "FREQ") && more && idle == -1) {
                freq = Args.longArg(c, ++j);
                if (freq < 0 || freq > 255) {
                    throw new CommandError("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        return new RestoreOptions(replace, absTtl, idle, (int) freq);
    }

    /** RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f], checked in Redis's order. */
    static void restore(Client c) {
        RestoreOptions o = restoreOptions(c);
        byte[] key = c.arg(1);
        Database db = c.db();
        if (!o.replace() && Keys.lookupWrite(c, key) != null) {
            throw new CommandError("BUSYKEY Target key name already exists.");
        }
        long ttl = Args.longArg(c, 2);
        if (ttl < 0) {
            throw new CommandError("ERR Invalid TTL value, must be >= 0");
        }
        byte[] payload = c.arg(3);
        Snapshots snapshots = c.server().snapshots();
        if (DumpPayload.verify(payload, snapshots.loader().skipChecksumValidation()) < 0) {
            throw new CommandError("ERR DUMP payload version or checksum are wrong");
        }
        Object value;
        try {
            Stats stats = c.server().stats();
            value = RdbValueReader.restore(payload, DatasetLoader.limits(c.server()),
                    sanitizesDeeply(c) ? () -> stats.dumpPayloadSanitizations++ : null);
        } catch (RdbFormatException e) {
            c.server().log().verbose("Internal error in RDB reading offset 0 -> " + e.getMessage());
            throw new CommandError("ERR Bad data format");
        }
        boolean deleted = o.replace() && db.remove(key);
        long now = c.server().nowMs();
        long expireAt = ttl == 0 ? -1 : o.absTtl() ? ttl : ttl + now;
        if (expireAt != -1 && Keys.alreadyExpired(c.server(), expireAt, now)) {
            if (deleted) {
                c.server().keyModified(db, key, "del");
                c.propagateAs(Effects.DEL, key);
            }
            c.reply().ok();
            return;
        }
        db.put(key, value);
        if (expireAt != -1) {
            db.setExpireAt(key, expireAt);
            if (!o.absTtl()) {
                propagateWithAbsoluteTtl(c, expireAt);
            }
        }
        KeyAccess.restore(c.server(), db.peekEntry(key), o.idleSeconds(), o.freq(), now);
        c.server().keyModified(db, key, "restore");
        c.reply().ok();
    }

    /** RESTORE as Redis propagates a relative TTL: the absolute time, and ABSTTL added at the end. */
    private static void propagateWithAbsoluteTtl(Client c, long expireAt) {
        if (c.propagating()) {
            byte[][] argv = java.util.Arrays.copyOf(c.argv(), c.argc() + 1);
            argv[2] = Effects.number(expireAt);
            argv[c.argc()] = Effects.ABSTTL;
            c.propagateAs(argv);
        }
    }

    /** MIGRATE's options after the timeout. */
    private record MigrateOptions(boolean copy, boolean replace, byte[] user, byte[] password, int firstKey) {
    }

    private static MigrateOptions migrateOptions(Client c) {
        boolean copy = false;
        boolean replace = false;
        byte[] user = null;
        byte[] password = null;
        int firstKey = 3;
        for (int j = 6; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (c.argIs(j, "COPY")) {
                copy = true;
            } else if (c.argIs(j, "REPLACE")) {
                replace = true;
            } else if (c.argIs(j, "AUTH") && more >= 1) {
                password = c.arg(++j);
            } else if (c.argIs(j, "AUTH2") && more >= 2) {
                user = c.arg(++j);
                password = c.arg(++j);
            } else if (c.argIs(j, "KEYS")) {
                if (c.arg(3).length != 0) {
                    throw new CommandError("ERR When using MIGRATE KEYS option, the key argument must be set to the "
                            + "empty string");
                }
                firstKey = j + 1;
                break;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        return new MigrateOptions(copy, replace, user, password, firstKey);
    }

    /**
     * MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS key...]:
     * RESTOREs the keys on the target over a cached connection, then deletes them here (unless
     * COPY); a connection that fails before any reply is reopened once, as Redis retries.
     */
    static void migrate(Client c) {
        MigrateOptions o = migrateOptions(c);
        long timeout = Args.longArg(c, 5);
        long dbid = Args.longArg(c, 4);
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout <= 0 ? 1000 : timeout);
        List<byte[]> keys = new ArrayList<>();
        for (int j = o.firstKey(); j < (o.firstKey() == 3 ? 4 : c.argc()); j++) {
            if (Keys.lookupRead(c, c.arg(j)) != null) {
                keys.add(c.arg(j));
            }
        }
        if (keys.isEmpty()) {
            c.reply().simple("NOKEY");
            return;
        }
        String host = c.argString(1);
        int port = targetPort(c);
        MigrationLinks links = c.server().migrationLinks();
        for (int attempt = 0; ; attempt++) {
            MigrationLinks.Link link;
            try {
                link = links.get(host, port, timeoutMs);
            } catch (IOException e) {
                throw new CommandError("IOERR error or timeout connecting to the client");
            }
            String failure = migrateOver(c, o, link, keys, dbid, timeoutMs, attempt == 0);
            if (failure == null) {
                return;
            }
            links.close(host, port);
            if (!failure.equals(RETRY)) {
                throw new CommandError(failure);
            }
        }
    }

    private static final String RETRY = "";

    /**
     * One attempt of MIGRATE over {@code link}: null when it has replied, {@link #RETRY} to reconnect
     * and try again, or the IOERR to reply.
     */
    private static String migrateOver(Client c, MigrateOptions o, MigrationLinks.Link link, List<byte[]> keys,
            long dbid, int timeoutMs, boolean mayRetry) {
        List<byte[][]> commands = new ArrayList<>();
        if (o.password() != null) {
            commands.add(o.user() != null ? new byte[][] {ascii("AUTH"), o.user(), o.password()}
                    : new byte[][] {ascii("AUTH"), o.password()});
        }
        boolean select = link.lastDb != dbid;
        if (select) {
            commands.add(new byte[][] {ascii("SELECT"), ascii(Long.toString(dbid))});
        }
        Database db = c.db();
        long now = c.server().nowMs();
        List<byte[]> sent = new ArrayList<>();
        boolean compress = c.server().config().rdbcompression.value();
        for (byte[] key : keys) {
            long expireAt = db.expireAt(key);
            long ttl = 0;
            if (expireAt != -1) {
                ttl = expireAt - now;
                if (ttl < 0) {
                    continue;
                }
                ttl = Math.max(ttl, 1);
            }
            byte[] payload = RdbValueWriter.dump(db.peek(key), compress);
            commands.add(o.replace() ? new byte[][] {ascii("RESTORE"), key, ascii(Long.toString(ttl)), payload,
                    ascii("REPLACE")} : new byte[][] {ascii("RESTORE"), key, ascii(Long.toString(ttl)), payload});
            sent.add(key);
        }
        String authReply = null;
        String selectReply = null;
        try {
            link.send(commands, timeoutMs);
        } catch (IOException e) {
            return mayRetry && !MigrationLinks.isTimeout(e) ? RETRY : "IOERR error or timeout writing to target instance";
        }
        try {
            authReply = o.password() != null ? link.readLine(timeoutMs) : null;
            selectReply = select ? link.readLine(timeoutMs) : null;
        } catch (IOException e) {
            return mayRetry && !MigrationLinks.isTimeout(e) ? RETRY : "IOERR error or timeout reading to target instance";
        }
        String targetError = null;
        List<byte[]> deleted = new ArrayList<>();
        int j = 0;
        for (; j < sent.size(); j++) {
            String reply;
            try {
                reply = link.readLine(timeoutMs);
            } catch (IOException e) {
                if (targetError == null && j == 0 && mayRetry && !MigrationLinks.isTimeout(e)) {
                    return RETRY;
                }
                break;
            }
            String error = authReply != null && authReply.startsWith("-") ? authReply
                    : selectReply != null && selectReply.startsWith("-") ? selectReply
                    : reply.startsWith("-") ? reply : null;
            if (error != null) {
                if (targetError == null) {
                    link.lastDb = -1;
                    targetError = "ERR Target instance replied with error: " + error.substring(1);
                }
            } else if (!o.copy() && db.remove(sent.get(j))) {
                c.server().keyModified(db, sent.get(j), "del");
                deleted.add(sent.get(j));
            }
        }
        if (!deleted.isEmpty()) {
            // What the AOF and replicas get: the DEL of the keys the target acknowledged, as Redis
            // rewrites MIGRATE (the target has its own RESTOREs), even when a later key failed.
            deleted.add(0, Effects.DEL);
            c.propagateAs(deleted.toArray(new byte[0][]));
        }
        if (targetError != null) {
            if (j < sent.size()) {
                c.server().migrationLinks().close(c.argString(1), targetPort(c));
            }
            throw new CommandError(targetError);
        }
        if (j < sent.size()) {
            return "IOERR error or timeout reading to target instance";
        }
        link.lastDb = dbid;
        c.reply().ok();
        return null;
    }

    /** The port argument as Redis's atoi reads it: its leading digits, 0 if none. */
    private static int targetPort(Client c) {
        String s = c.argString(2).trim();
        int end = 0;
        while (end < s.length() && end < 9 && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(s.substring(0, end));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Redis's deep_integrity_validation for a RESTORE: sanitize-dump-payload yes, or clients for a
     * client that is neither its primary's link nor logged in as a user with skip-sanitize-payload.
     * Respire validates every payload in depth whatever the setting; the setting says what INFO's
     * dump_payload_sanitizations counts, as Redis counts the sanitizations it was asked for.
     */
    private static boolean sanitizesDeeply(Client c) {
        var setting = c.server().config().sanitizeDumpPayload;
        if (setting.is("yes")) {
            return true;
        }
        return setting.is("clients") && !c.server().masterLink().isMaster(c)
                && (c.user() == null || !c.user().skipsPayloadSanitization());
    }
}
