package io.respire.server.commands;

import io.respire.server.command.CommandTable;

/** Bitmap commands (Redis's bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO. */
public final class BitmapCommands {
    private BitmapCommands() {
    }

    static void register(CommandTable table) {
    }
}
