package io.respire.server.commands;

import io.respire.server.command.CommandTable;

/** DEBUG subcommands (Redis's debug.c), behind enable-debug-command. */
public final class DebugCommands {
    private DebugCommands() {
    }

    static void register(CommandTable table) {
    }
}
