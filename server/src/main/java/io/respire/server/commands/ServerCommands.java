package io.respire.server.commands;

import io.respire.server.command.CommandTable;

/** Server commands: INFO, TIME, DBSIZE, FLUSHDB, FLUSHALL, SHUTDOWN, LASTSAVE... */
public final class ServerCommands {
    private ServerCommands() {
    }

    static void register(CommandTable table) {
    }
}
