package io.respire.server.commands;

import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.RespireServer;
import io.respire.server.ShutdownSequence;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Server introspection and control: INFO, TIME, ROLE, MONITOR, SHUTDOWN (Redis's
 * server.c, db.c and replication.c), and LOLWUT (lolwut.c, its pictures in {@link Lolwut}).
 * DBSIZE, FLUSHDB, FLUSHALL and SWAPDB live with the keyspace commands, CONFIG and COMMAND in
 * their own families.
 */
public final class ServerCommands {
    private ServerCommands() {
    }

    static void register(CommandTable table) {
        table.register("info", ServerCommands::info);
        table.register("time", ServerCommands::time);
        table.register("role", ServerCommands::role);
        table.register("monitor", ServerCommands::monitor);
        table.register("shutdown", ServerCommands::shutdown);
        table.register("lolwut", ServerCommands::lolwut);
    }

    /** INFO [section ...]: a verbatim text reply, as Redis 7 sends it. */
    static void info(Client c) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < c.argc(); i++) {
            sections.add(c.argString(i));
        }
        c.reply().verbatim("txt", InfoReport.generate(c.server(), sections));
    }

    static void time(Client c) {
        Instant now = c.server().clock().instant();
        c.reply().array(2);
        c.reply().bulkLong(now.getEpochSecond());
        c.reply().bulkLong(now.getNano() / 1000);
    }

    /**
     * Redis's roleCommand: "master", its offset and its online replicas (address, port, offset
     * acknowledged); or "slave", the primary's address and port, the link's state and the offset.
     */
    static void role(Client c) {
        Reply r = c.reply();
        io.respire.server.replication.MasterLink link = c.server().masterLink();
        if (link.active()) {
            r.array(5);
            r.bulk("slave");
            r.bulk(link.host());
            r.integer(link.port());
            r.bulk(link.stateName());
            r.integer(link.processedOffset());
            return;
        }
        var replicas = c.server().replication().replicas().stream()
                .filter(io.respire.server.replication.Replica::online).toList();
        r.array(3);
        r.bulk("master");
        r.integer(c.server().replication().offset());
        r.array(replicas.size());
        for (io.respire.server.replication.Replica replica : replicas) {
            r.array(3);
            r.bulk(replica.address());
            r.bulk(Long.toString(replica.listeningPort()));
            r.bulk(Long.toString(replica.ackOffset()));
        }
    }

    /** MONITOR: from now on the client receives every command run; a second MONITOR is ignored. */
    static void monitor(Client c) {
        if (c.denyBlocking()) {
            // Inside EXEC or a script the caller expects one reply per command.
            throw new CommandError("ERR MONITOR isn't allowed for DENY BLOCKING client");
        }
        if (c.monitor()) {
            return;
        }
        c.server().addMonitor(c);
        c.reply().ok();
    }

    /**
     * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: stops the server; the caller gets no reply,
     * only the closed connection. With lagging replicas (and shutdown-timeout, without NOW) the
     * caller waits, blocked, until they catch up or the timeout passes; if the server then keeps
     * running (ABORT, a failed final save) it gets an error. SAVE asks for a snapshot Respire
     * cannot write: as Redis when the final save fails, the server then keeps running, unless FORCE.
     */
    static void shutdown(Client c) {
        int flags = 0;
        boolean abort = false;
        for (int i = 1; i < c.argc(); i++) {
            if (c.argIs(i, "NOSAVE")) {
                flags |= RespireServer.SHUTDOWN_NOSAVE;
            } else if (c.argIs(i, "SAVE")) {
                flags |= RespireServer.SHUTDOWN_SAVE;
            } else if (c.argIs(i, "NOW")) {
                flags |= RespireServer.SHUTDOWN_NOW;
            } else if (c.argIs(i, "FORCE")) {
                flags |= RespireServer.SHUTDOWN_FORCE;
            } else if (c.argIs(i, "ABORT")) {
                abort = true;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        int saveFlags = RespireServer.SHUTDOWN_SAVE | RespireServer.SHUTDOWN_NOSAVE;
        if ((abort && flags != 0) || (flags & saveFlags) == saveFlags) {
            throw new CommandError(Errors.SYNTAX);
        }
        ShutdownSequence sequence = c.server().shutdownSequence();
        if (abort) {
            if (!sequence.abort()) {
                throw new CommandError("ERR No shutdown in progress.");
            }
            c.reply().ok();
            return;
        }
        if ((flags & RespireServer.SHUTDOWN_NOW) == 0 && c.denyBlocking()) {
            throw new CommandError("ERR SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client");
        }
        if (c.server().scripting().timedOut()) {
            // A script running too long: only SHUTDOWN NOSAVE may stop the server, and it stops the script.
            if ((flags & RespireServer.SHUTDOWN_NOSAVE) == 0) {
                throw new CommandError(c.server().scripting().busyErrorOfRunning());
            }
            c.server().scripting().abortForShutdown();
        }
        switch (sequence.begin(flags)) {
            case EXITING -> c.closeAfterReply();
            case WAITING -> sequence.block(c);
            case FAILED -> throw new CommandError("ERR Errors trying to SHUTDOWN. Check logs.");
        }
    }

    /**
     * LOLWUT [VERSION v] [size ...]: the picture of Redis version v (this one's by default, which
     * has none: only the version line), sized by the arguments that version reads, in order:
     * columns, squares across and down for 5; columns and rows for 6. Further arguments are
     * ignored, as Redis ignores them. Sizes are clamped, as Redis's, so the work stays bounded.
     */
    static void lolwut(Client c) {
        String version = ServerInfo.REDIS_VERSION;
        int first = 1;
        if (c.argc() >= 3 && c.argIs(1, "VERSION")) {
            // Redis prints the number as a C unsigned int: VERSION 4294967301 is version 5.
            version = Integer.toUnsignedString((int) Args.longArg(c, 2)) + ".0.0";
            first = 3;
        }
        String text = switch (Lolwut.edition(version)) {
            case 5 -> Lolwut.schotter(lolwutSize(c, first, 66, 1000), lolwutSize(c, first + 1, 8, 200),
                    lolwutSize(c, first + 2, 12, 200), c.server().random());
            case 6 -> Lolwut.skyline(lolwutSize(c, first, 80, 1000), lolwutSize(c, first + 1, 20, 1000),
                    c.server().random());
            default -> Lolwut.versionLine();
        };
        c.reply().verbatim("txt", text);
    }

    /** LOLWUT's size argument i, clamped to 1..max; {@code absent} when not given. */
    private static int lolwutSize(Client c, int i, int absent, int max) {
        return i < c.argc() ? (int) Math.max(1, Math.min(max, Args.longArg(c, i))) : absent;
    }
}
