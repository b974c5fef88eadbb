package io.respire.server.commands;

import io.respire.server.command.CommandTable;

/** COMMAND and its subcommands, answered from the command table. */
public final class CommandCommands {
    private CommandCommands() {
    }

    static void register(CommandTable table) {
    }
}
