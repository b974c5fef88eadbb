package io.respire.server.commands;

import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.replication.MasterLink;

/**
 * SYNC, PSYNC and REPLCONF: the commands a replica sends its primary; WAIT; and REPLICAOF (SLAVEOF),
 * which makes this server a replica. The work is in
 * {@link io.respire.server.replication.ReplicationPrimary} and {@link MasterLink}.
 */
public final class ReplicationCommands {
    private ReplicationCommands() {
    }

    static void register(CommandTable table) {
        table.register("sync", c -> sync(c, false));
        table.register("psync", c -> sync(c, true));
        table.register("replconf", ReplicationCommands::replconf);
        table.register("wait", c -> c.server().replication().waitFor(c));
        table.register("replicaof", ReplicationCommands::replicaof);
        table.register("slaveof", ReplicationCommands::replicaof);
    }

    /** Redis's replicaofCommand: REPLICAOF host port, or REPLICAOF NO ONE to become a primary again. */
    static void replicaof(Client c) {
        MasterLink link = c.server().masterLink();
        if (c.server().config().clusterEnabled.value()) {
            throw new CommandError("ERR REPLICAOF not allowed in cluster mode.");
        }
        if (c.argIs(1, "no") && c.argIs(2, "one")) {
            if (link.active()) {
                link.unset();
                c.server().log().notice("MASTER MODE enabled (user request from '" + ClientInfo.line(c, c) + "')");
            }
            c.reply().ok();
            return;
        }
        if (c.type().equals("slave")) {
            throw new CommandError("ERR Command is not valid when client is a replica.");
        }
        int port = (int) Args.rangeLongArg(c, 2, 0, 65535, "ERR Invalid master port");
        String host = c.argString(1);
        if (link.sameMaster(host, port)) {
            c.server().log().notice("REPLICAOF would result into synchronization with the master we are already "
                    + "connected with. No operation performed.");
            c.reply().simple("OK Already connected to specified master");
            return;
        }
        link.replicaOf(host, port);
        c.server().log().notice("REPLICAOF " + host + ":" + port + " enabled (user request from '"
                + ClientInfo.line(c, c) + "')");
        c.reply().ok();
    }

    private static void sync(Client c, boolean psync) {
        c.server().replication().sync(c, psync);
    }

    static void replconf(Client c) {
        c.server().replication().replconf(c);
    }
}
