package io.respire.server.commands;

import io.respire.server.Client;
import io.respire.server.CommandDispatcher;
import io.respire.server.CommandError;
import io.respire.server.command.CommandTable;
import io.respire.server.multi.MultiState;
import io.respire.server.multi.WatchedKeys;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH (Redis's multi.c). The queueing itself happens in the
 * dispatcher, which sees every command first: between MULTI and EXEC it checks a command as
 * usual (an error then dooms the transaction) and queues it instead of running it. EXEC runs
 * the queue back to back; no other client can interleave, as every command runs on the one
 * executor thread. Clients blocked on keys that the transaction fills are served only after EXEC
 * (see {@link io.respire.server.blocking.BlockingKeys}).
 */
public final class TransactionCommands {
    private TransactionCommands() {
    }

    static void register(CommandTable table) {
        table.register("multi", TransactionCommands::multi);
        table.register("exec", TransactionCommands::exec);
        table.register("discard", TransactionCommands::discard);
        table.register("watch", TransactionCommands::watch);
        table.register("unwatch", TransactionCommands::unwatch);
    }

    static void multi(Client c) {
        if (c.multi().active()) {
            throw new CommandError("ERR MULTI calls can not be nested");
        }
        c.multi().begin();
        c.reply().ok();
    }

    static void discard(Client c) {
        if (!c.multi().active()) {
            throw new CommandError("ERR DISCARD without MULTI");
        }
        c.discardTransaction();
        c.reply().ok();
    }

    /**
     * Runs the queued commands and replies with an array of their replies (errors included), or
     * EXECABORT if queueing failed, or a null array if a watched key changed (or expired).
     * Blocking commands in the queue do not block: they answer as if timed out.
     */
    static void exec(Client c) {
        MultiState multi = c.multi();
        if (!multi.active()) {
            throw new CommandError("ERR EXEC without MULTI");
        }
        WatchedKeys watched = c.server().watchedKeys();
        watched.checkExpired(c);
        if (multi.dirtyExec() || multi.dirtyCas()) {
            if (multi.dirtyExec()) {
                c.reply().error("EXECABORT Transaction discarded because of previous errors.");
            } else {
                c.reply().nullArray();
            }
            c.discardTransaction();
            return;
        }
        watched.unwatchAll(c); // our own writes must not count as changes
        boolean denied = c.denyBlocking();
        c.denyBlocking(true);
        CommandDispatcher dispatcher = c.server().dispatcher();
        try {
            // Replies go straight to the output, so the array's length comes first.
            c.reply().array(multi.size());
            for (MultiState.Queued q : multi.queued()) {
                String refusal = dispatcher.execAclRefusal(c, q.cmd(), q.argv());
                if (refusal != null) {
                    c.reply().error(refusal);
                } else {
                    dispatcher.execute(c, q.argv(), q.cmd());
                }
            }
        } finally {
            c.denyBlocking(denied);
            c.discardTransaction();
        }
    }

    /** WATCH key [key ...]: remembered per database; nothing to do if already doomed. */
    static void watch(Client c) {
        if (c.multi().active()) {
            throw new CommandError("ERR WATCH inside MULTI is not allowed");
        }
        if (!c.multi().dirtyCas()) {
            for (int i = 1; i < c.argc(); i++) {
                c.server().watchedKeys().watch(c, c.arg(i));
            }
        }
        c.reply().ok();
    }

    static void unwatch(Client c) {
        c.server().watchedKeys().unwatch(c);
        c.reply().ok();
    }
}
