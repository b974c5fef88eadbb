package io.respire.server.commands;

import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.CommandTable;
import io.respire.server.persistence.Snapshots;

/**
 * Snapshots on disk (Redis's rdb.c commands): SAVE, BGSAVE and LASTSAVE. The work is the
 * {@link Snapshots}' ; DEBUG RELOAD and SHUTDOWN's save use it too.
 */
public final class PersistenceCommands {
    static final String BGSAVE_IN_PROGRESS = "ERR Background save already in progress";

    private PersistenceCommands() {
    }

    static void register(CommandTable table) {
        table.register("save", PersistenceCommands::save);
        table.register("bgsave", PersistenceCommands::bgsave);
        table.register("lastsave", PersistenceCommands::lastsave);
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
}
