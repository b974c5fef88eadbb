package io.respire.server.commands;

import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.command.CommandTable;

/**
 * CLUSTER and every subcommand, READONLY, READWRITE and ASKING, as a Redis 7.0 without cluster
 * mode answers them: Respire has no cluster mode, and a standalone Redis refuses all of these with
 * the same error (clusterCommand, readonlyCommand, askingCommand check cluster_enabled first, before
 * CLUSTER HELP). Clients that probe for a cluster (CLUSTER INFO, CLUSTER SLOTS) read this error
 * as "standalone"; COMMAND lists the commands as Redis does.
 */
public final class ClusterCommands {
    private static final String DISABLED = "ERR This instance has cluster support disabled";

    private ClusterCommands() {
    }

    static void register(CommandTable table) {
        for (String sub : table.spec("cluster").subcommands().keySet()) {
            table.register("cluster|" + sub, ClusterCommands::disabled);
        }
        table.register("readonly", ClusterCommands::disabled);
        table.register("readwrite", ClusterCommands::disabled);
        table.register("asking", ClusterCommands::disabled);
    }

    private static void disabled(Client c) {
        throw new CommandError(DISABLED);
    }
}
