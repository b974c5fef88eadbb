package io.respire.server;

import io.respire.server.replication.Replica;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * SHUTDOWN and SIGTERM/SIGINT as Redis 7.0 carries them out (prepareForShutdown, isReadyToShutdown,
 * finishShutdown, abortShutdown, cancelShutdown and serverCron's part): with replicas connected,
 * shutdown-timeout above 0 and no NOW, writes are paused, the replicas are asked for REPLCONF
 * GETACK, and the final steps wait until every replica has acknowledged the stream's offset or
 * the timeout has passed. Meanwhile the SHUTDOWN callers are blocked without a reply, SHUTDOWN
 * ABORT cancels, and INFO counts down shutdown_in_milliseconds. The final steps themselves (AOF,
 * final save, stopping the server) are {@link ServerContext#requestShutdown}'s. Runs on the
 * executor, except {@link #schedule}, which a signal's thread calls.
 */
public final class ShutdownSequence {
    /** What {@link #begin} came to. */
    public enum Outcome {
        /** The final steps succeeded: the server is stopping. */
        EXITING,
        /** Waiting for lagging replicas (or a shutdown already waits): the caller is to block. */
        WAITING,
        /** The final steps failed (logged): the server keeps running. */
        FAILED
    }

    private static final String BLOCKED_ERROR = "ERR Errors trying to SHUTDOWN. Check logs.";

    private final ServerContext server;
    /** When a waiting shutdown stops waiting (Redis's shutdown_mstime); 0 when none waits. */
    private long deadlineMs;
    private int flags;
    /** The final steps succeeded: the server is going away, nothing more is started. */
    private boolean exiting;
    /** SHUTDOWN callers without a reply until the wait ends (Redis's BLOCKED_SHUTDOWN clients). */
    private final Set<Client> callers = new LinkedHashSet<>();
    /** A signal's shutdown for the cron (Redis's shutdown_asap): its flags, or -1. */
    private volatile int signalFlags = -1;
    private volatile String signal;

    ShutdownSequence(ServerContext server) {
        this.server = server;
    }

    /**
     * Redis's prepareForShutdown: waits for lagging replicas if it should, else runs the final
     * steps at once. A shutdown that already waits makes the new caller wait along with it.
     */
    public Outcome begin(int requested) {
        if (exiting) {
            return Outcome.EXITING;
        }
        if (waiting()) {
            return Outcome.WAITING;
        }
        // A save while loading would write the dataset half read: never over the file.
        flags = server.snapshots().loader().loading()
                ? (requested & ~RespireServer.SHUTDOWN_SAVE) | RespireServer.SHUTDOWN_NOSAVE : requested;
        server.log().warning("User requested shutdown...");
        long timeoutSeconds = server.config().shutdownTimeout.value();
        if ((flags & RespireServer.SHUTDOWN_NOW) == 0 && timeoutSeconds != 0 && !replicasInSync()) {
            deadlineMs = server.nowMs() + timeoutSeconds * 1000;
            if (!server.clientsPaused()) {
                server.replication().askForAcks();
            }
            server.pauseWrites(ServerContext.WritePause.SHUTDOWN, true);
            server.log().notice("Waiting for replicas before shutting down.");
            return Outcome.WAITING;
        }
        return finish();
    }

    /** Blocks a SHUTDOWN caller until the waiting shutdown ends: no reply if it exits, an error if not. */
    public void block(Client c) {
        callers.add(c);
        c.block(() -> callers.remove(c));
    }

    /** Whether a shutdown waits for replicas (Redis's isShutdownInitiated). */
    public boolean waiting() {
        return deadlineMs != 0;
    }

    /** INFO shutdown_in_milliseconds: the time left to wait (Redis's shutdown_mstime - mstime). */
    public long remainingMs() {
        return deadlineMs - server.nowMs();
    }

    /** SIGTERM/SIGINT: the cron shuts down with these flags (unless DEBUG PAUSE-CRON or SHUTDOWN ABORT). */
    public void schedule(String signalName, int signalShutdownFlags) {
        signal = signalName;
        signalFlags = signalShutdownFlags;
    }

    /** Whether a signal asked for a shutdown not yet cancelled (a second SIGINT then exits at once). */
    public boolean scheduled() {
        return signalFlags >= 0;
    }

    /** The cron's part (serverCron): starts a signal's shutdown, or ends a wait that is over. */
    void cron() {
        int requested = signalFlags;
        if (exiting) {
            return;
        }
        if (requested >= 0 && !waiting()) {
            boolean loading = server.snapshots().loader().loading();
            if (begin(requested) == Outcome.FAILED && loading) {
                server.log().warning(signal + " received but errors trying to shut down the server, check the "
                        + "logs for more information");
            }
        } else if (waiting() && (server.nowMs() >= deadlineMs || replicasInSync())) {
            finish();
        }
    }

    /** SHUTDOWN ABORT (Redis's abortShutdown): false if no shutdown waits and no signal asked for one. */
    public boolean abort() {
        if (waiting()) {
            cancel();
        } else if (signalFlags >= 0 && !exiting) {
            signalFlags = -1;
        } else {
            return false;
        }
        server.log().notice("Shutdown manually aborted.");
        return true;
    }

    /** Redis's isReadyToShutdown: every replica acknowledged the whole stream. */
    private boolean replicasInSync() {
        long offset = server.replication().offset();
        for (Replica r : server.replication().replicas()) {
            if (r.ackOffset() != offset) {
                return false;
            }
        }
        return true;
    }

    /** Redis's finishShutdown: reports the replicas, then the final steps; on failure, carries on running. */
    private Outcome finish() {
        logReplicas();
        if (server.requestShutdown(flags)) {
            exiting = true; // writes stay paused: nothing may change after the final save
            deadlineMs = 0;
            return Outcome.EXITING;
        }
        cancel();
        return Outcome.FAILED;
    }

    /** One warning per lagging replica, then how many are in sync, as Redis's finishShutdown. */
    private void logReplicas() {
        List<Replica> replicas = server.replication().replicas();
        long offset = server.replication().offset();
        long nowSeconds = server.nowMs() / 1000;
        int lagging = 0;
        for (Replica r : replicas) {
            if (r.ackOffset() == offset) {
                continue;
            }
            lagging++;
            long lag = r.online() ? nowSeconds - r.ackTimeMs() / 1000 : 0;
            server.log().warning("Lagging replica " + r.name() + " reported offset " + (offset - r.ackOffset())
                    + " behind master, lag=" + lag + ", state=" + (r.online() ? "online" : "wait_bgsave") + ".");
        }
        if (!replicas.isEmpty()) {
            server.log().notice((replicas.size() - lagging) + " of " + replicas.size()
                    + " replicas are in sync when shutting down.");
        }
    }

    /** Redis's cancelShutdown: forgets the shutdown, answers its callers with an error, lets writes run. */
    private void cancel() {
        signalFlags = -1;
        flags = 0;
        deadlineMs = 0;
        for (Client c : new ArrayList<>(callers)) {
            callers.remove(c);
            c.reply().error(BLOCKED_ERROR);
            c.unblock();
        }
        server.pauseWrites(ServerContext.WritePause.SHUTDOWN, false);
    }
}
