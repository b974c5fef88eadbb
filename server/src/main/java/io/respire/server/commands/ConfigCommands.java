package io.respire.server.commands;

import io.respire.server.command.CommandTable;

/** CONFIG GET, SET, RESETSTAT, REWRITE (Redis's config.c). */
public final class ConfigCommands {
    private ConfigCommands() {
    }

    static void register(CommandTable table) {
    }
}
