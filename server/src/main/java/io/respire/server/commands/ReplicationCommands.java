package io.respire.server.commands;

import io.respire.server.Client;
import io.respire.server.command.CommandTable;

/**
 * SYNC, PSYNC and REPLCONF: the commands a replica sends its primary; and WAIT. The work is in
 * {@link io.respire.server.replication.ReplicationPrimary}; this server is always a primary.
 */
public final class ReplicationCommands {
    private ReplicationCommands() {
    }

    static void register(CommandTable table) {
        table.register("sync", c -> sync(c, false));
        table.register("psync", c -> sync(c, true));
        table.register("replconf", ReplicationCommands::replconf);
        table.register("wait", c -> c.server().replication().waitFor(c));
    }

    private static void sync(Client c, boolean psync) {
        c.server().replication().sync(c, psync);
    }

    static void replconf(Client c) {
        c.server().replication().replconf(c);
    }
}
