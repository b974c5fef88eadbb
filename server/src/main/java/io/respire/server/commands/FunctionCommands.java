package io.respire.server.commands;

import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.command.CommandTable;

/**
 * FUNCTION subcommands (Redis's functions.c). Respire has no function engine yet, so the library
 * set is always empty: FUNCTION FLUSH, which empties it, is truthfully a no-op (clients and Redis's
 * test harness call it between tests). LOAD, CALL and the rest stay unimplemented, and so answer as
 * unknown subcommands.
 */
public final class FunctionCommands {
    private FunctionCommands() {
    }

    static void register(CommandTable table) {
        table.register("function|flush", FunctionCommands::flush);
    }

    /** FUNCTION FLUSH [ASYNC | SYNC] */
    static void flush(Client c) {
        if (c.argc() > 3) {
            throw new CommandError("ERR unknown subcommand or wrong number of arguments for '"
                    + c.argString(1) + "'. Try FUNCTION HELP.");
        }
        if (c.argc() == 3 && !c.argIs(2, "SYNC") && !c.argIs(2, "ASYNC")) {
            throw new CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        c.server().addDirty(1);
        c.reply().ok();
    }
}
