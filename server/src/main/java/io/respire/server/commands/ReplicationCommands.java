package io.respire.server.commands;

import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.replication.Failover;
import io.respire.server.replication.MasterLink;

/**
 * SYNC, PSYNC and REPLCONF: the commands a replica sends its primary; WAIT; REPLICAOF (SLAVEOF),
 * which makes this server a replica; and FAILOVER, which hands the primary's role to a replica.
 * The work is in {@link io.respire.server.replication.ReplicationPrimary}, {@link MasterLink} and
 * {@link io.respire.server.replication.Failover}.
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
        table.register("failover", ReplicationCommands::failover);
    }

    /** Redis's failoverCommand: FAILOVER [TO host port [FORCE]] [TIMEOUT ms], or FAILOVER ABORT. */
    static void failover(Client c) {
        if (c.server().config().clusterEnabled.value()) {
            throw new CommandError("ERR FAILOVER not allowed in cluster mode. Use CLUSTER FAILOVER command instead.");
        }
        Failover failover = c.server().failover();
        if (c.argc() == 2 && c.argIs(1, "abort")) {
            failover.abortByUser();
            c.reply().ok();
            return;
        }
        long timeoutMs = 0;
        boolean force = false;
        String host = null;
        int port = 0;
        for (int j = 1; j < c.argc(); j++) {
            if (c.argIs(j, "timeout") && j + 1 < c.argc() && timeoutMs == 0) {
                timeoutMs = Args.longArg(c, j + 1);
                if (timeoutMs <= 0) {
                    throw new CommandError("ERR FAILOVER timeout must be greater than 0");
                }
                j++;
            } else if (c.argIs(j, "to") && j + 2 < c.argc() && host == null) {
                port = (int) Args.longArg(c, j + 2); // Redis takes a long and compares it with the replicas' ports
                host = c.argString(j + 1);
                j += 2;
            } else if (c.argIs(j, "force") && !force) {
                force = true;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        failover.start(host, port, force, timeoutMs);
        c.reply().ok();
    }

    /** Redis's replicaofCommand: REPLICAOF host port, or REPLICAOF NO ONE to become a primary again. */
    static void replicaof(Client c) {
        MasterLink link = c.server().masterLink();
        if (c.server().config().clusterEnabled.value()) {
            throw new CommandError("ERR REPLICAOF not allowed in cluster mode.");
        }
        if (c.server().failover().active()) {
            throw new CommandError("ERR REPLICAOF not allowed while failing over.");
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
