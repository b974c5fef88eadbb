package io.respire.server.commands;

import io.respire.ds.keyspace.Database;
import io.respire.persistence.DumpPayload;
import io.respire.persistence.RdbFormatException;
import io.respire.persistence.RdbValueReader;
import io.respire.persistence.RdbValueWriter;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.keyspace.KeyAccess;
import io.respire.server.keyspace.Keys;
import io.respire.server.persistence.Snapshots;

/**
 * Data in RDB form: snapshots on disk (Redis's rdb.c commands SAVE, BGSAVE, LASTSAVE; the work is
 * the {@link Snapshots}', which DEBUG RELOAD and SHUTDOWN use too) and single values (cluster.c's
 * DUMP and RESTORE).
 */
public final class PersistenceCommands {
    static final String BGSAVE_IN_PROGRESS = "ERR Background save already in progress";

    private PersistenceCommands() {
    }

    static void register(CommandTable table) {
        table.register("save", PersistenceCommands::save);
        table.register("bgsave", PersistenceCommands::bgsave);
        table.register("lastsave", PersistenceCommands::lastsave);
        table.register("dump", PersistenceCommands::dump);
        table.register("restore", PersistenceCommands::restore);
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
        if (!c.server().snapshots().backgroundSave()) {
            throw new CommandError(BGSAVE_IN_PROGRESS);
        }
        c.reply().simple("Background saving started");
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
        if (DumpPayload.verify(payload, snapshots.skipChecksumValidation()) < 0) {
            throw new CommandError("ERR DUMP payload version or checksum are wrong");
        }
        Object value;
        try {
            value = RdbValueReader.restore(payload, Snapshots.limits(c.server()));
        } catch (RdbFormatException e) {
            c.server().log().verbose("Internal error in RDB reading offset 0 -> " + e.getMessage());
            throw new CommandError("ERR Bad data format");
        }
        boolean deleted = o.replace() && db.remove(key);
        long now = c.server().nowMs();
        long expireAt = ttl == 0 ? -1 : o.absTtl() ? ttl : ttl + now;
        if (expireAt != -1 && expireAt <= now) {
            if (deleted) {
                c.server().keyModified(db, key, "del");
            }
            c.reply().ok();
            return;
        }
        db.put(key, value);
        if (expireAt != -1) {
            db.setExpireAt(key, expireAt);
        }
        KeyAccess.restore(c.server(), db.peekEntry(key), o.idleSeconds(), o.freq(), now);
        c.server().keyModified(db, key, "restore");
        c.reply().ok();
    }
}
