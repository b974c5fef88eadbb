package io.respire.server.commands;

import io.respire.server.command.CommandTable;

/** CLIENT subcommands (Redis's networking.c clientCommand). */
public final class ClientCommands {
    private ClientCommands() {
    }

    static void register(CommandTable table) {
    }
}
