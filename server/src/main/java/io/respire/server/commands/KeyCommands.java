package io.respire.server.commands;

import io.respire.server.command.CommandTable;

/** Generic key commands (Redis's db.c and expire.c): DEL, EXISTS, EXPIRE, SCAN, RENAME, OBJECT... */
public final class KeyCommands {
    private KeyCommands() {
    }

    static void register(CommandTable table) {
    }
}
