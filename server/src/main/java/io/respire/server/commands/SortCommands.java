package io.respire.server.commands;

import io.respire.server.command.CommandTable;

/** SORT and SORT_RO (Redis's sort.c) over lists, sets and sorted sets. */
public final class SortCommands {
    private SortCommands() {
    }

    static void register(CommandTable table) {
    }
}
