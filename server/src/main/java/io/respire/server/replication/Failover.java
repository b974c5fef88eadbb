package io.respire.server.replication;

import io.respire.server.CommandError;
import io.respire.server.ServerContext;
import io.respire.server.ServerContext.WritePause;

import java.util.concurrent.TimeUnit;

/**
 * Redis's coordinated failover (FAILOVER, replication.c): the primary holds writes back, waits for
 * a replica to acknowledge its whole stream, then becomes that replica's replica with
 * {@code PSYNC <replid> <offset> FAILOVER}, which makes the target a primary. The primary's data
 * and history carry on at the target, so every node continues with a partial resynchronization.
 *
 * <p>States as Redis's failover_state: none, waiting for a replica to catch up (writes paused,
 * checked after each acknowledgement and every 100 ms), and in progress (a replica of the
 * target, waiting for its answer to the PSYNC). A timeout gives up the wait, or with FORCE fails
 * over regardless; FAILOVER ABORT, a rejected PSYNC or an unsendable one end it, turning this
 * server back into a primary if it had become a replica.
 */
public final class Failover {
    /** Redis's failover_state, with the names INFO shows. */
    public enum State {
        NONE("no-failover"), WAITING_FOR_SYNC("waiting-for-sync"), IN_PROGRESS("failover-in-progress");

        private final String info;

        State(String info) {
            this.info = info;
        }

        /** INFO replication's master_failover_state. */
        public String info() {
            return info;
        }
    }

    /** How often the wait for a replica is checked (Redis runs replicationCron every 100 ms then). */
    private static final long CHECK_MS = 100;

    private final ServerContext server;
    private State state = State.NONE;
    /** The replica to fail over to; null until one has caught up when any may be chosen. */
    private String targetHost;
    private int targetPort;
    /** When the wait ends (0: never), and whether it then fails over anyway. */
    private long endMs;
    private boolean force;
    /** Tells a scheduled check of an earlier failover from the current one's. */
    private int generation;

    public Failover(ServerContext server) {
        this.server = server;
    }

    public State state() {
        return state;
    }

    /** Whether a failover is under way: REPLICAOF and SYNC are refused meanwhile. */
    public boolean active() {
        return state != State.NONE;
    }

    /** Whether the PSYNC this server sends is the failover's (Redis sends "PSYNC ... FAILOVER" then). */
    public boolean inProgress() {
        return state == State.IN_PROGRESS;
    }

    /**
     * Whether replicas get no PING: while a failover with a deadline holds writes (a PING would
     * move the offset the replicas must reach).
     */
    boolean holdsPings() {
        return endMs != 0 && server.clientsPaused();
    }

    /**
     * FAILOVER [TO host port [FORCE]] [TIMEOUT ms], checked as Redis's failoverCommand: starts the
     * wait for a replica to catch up, writes paused.
     */
    public void start(String host, int port, boolean forceFlag, long timeoutMs) {
        if (active()) {
            throw new CommandError("ERR FAILOVER already in progress.");
        }
        if (server.masterLink().active()) {
            throw new CommandError("ERR FAILOVER is not valid when server is a replica.");
        }
        if (server.replication().replicas().isEmpty()) {
            throw new CommandError("ERR FAILOVER requires connected replicas.");
        }
        if (forceFlag && (timeoutMs == 0 || host == null)) {
            throw new CommandError("ERR FAILOVER with force option requires both a timeout and target HOST and IP.");
        }
        if (host != null) {
            Replica replica = findReplica(host, port);
            if (replica == null) {
                throw new CommandError("ERR FAILOVER target HOST and PORT is not a replica.");
            }
            if (!replica.online()) {
                throw new CommandError("ERR FAILOVER target replica is not online.");
            }
            targetHost = host;
            targetPort = port;
            server.log().notice("FAILOVER requested to " + host + ":" + port + ".");
        } else {
            server.log().notice("FAILOVER requested to any replica.");
        }
        endMs = timeoutMs == 0 ? 0 : server.nowMs() + timeoutMs;
        force = forceFlag;
        state = State.WAITING_FOR_SYNC;
        server.pauseWrites(WritePause.FAILOVER, true);
        scheduleCheck(++generation);
    }

    /** FAILOVER ABORT. */
    public void abortByUser() {
        if (!active()) {
            throw new CommandError("ERR No failover in progress.");
        }
        abort("Failover manually aborted");
    }

    /** Redis's abortFailover: logged; a server that had become the target's replica is a primary again. */
    public void abort(String reason) {
        if (!active()) {
            return;
        }
        if (targetHost != null) {
            server.log().notice("FAILOVER to " + targetHost + ":" + targetPort + " aborted: " + reason);
        } else {
            server.log().notice("FAILOVER to any replica aborted: " + reason);
        }
        if (state == State.IN_PROGRESS) {
            server.masterLink().unset();
        }
        clear();
    }

    /** The target answered the failover's PSYNC with +CONTINUE or +FULLRESYNC: done (Redis's clearFailoverState). */
    void accepted() {
        clear();
    }

    private void clear() {
        state = State.NONE;
        targetHost = null;
        targetPort = 0;
        endMs = 0;
        force = false;
        generation++;
        server.pauseWrites(WritePause.FAILOVER, false);
    }

    /** A replica acknowledged its offset: check now, once the command that brought the ACK is over. */
    void acked() {
        if (state == State.WAITING_FOR_SYNC) {
            server.executor().execute(this::update);
        }
    }

    private void scheduleCheck(int gen) {
        server.executor().schedule(() -> {
            if (gen == generation && state == State.WAITING_FOR_SYNC) {
                update();
                scheduleCheck(gen);
            }
        }, CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** Redis's updateFailoverStatus: the deadline, then whether the target (or any replica) has caught up. */
    void update() {
        if (state != State.WAITING_FOR_SYNC) {
            return;
        }
        if (endMs != 0 && endMs <= server.nowMs()) {
            if (force) {
                server.log().notice("FAILOVER to " + targetHost + ":" + targetPort + " time out exceeded, failing over.");
                failOver();
            } else {
                abort("Replica never caught up before timeout");
            }
            return;
        }
        long offset = server.replication().offset();
        Replica replica = null;
        if (targetHost != null) {
            replica = findReplica(targetHost, targetPort);
        } else {
            for (Replica r : server.replication().replicas()) {
                if (r.ackOffset() == offset) {
                    replica = r;
                    targetHost = r.address();
                    targetPort = (int) r.listeningPort();
                    break;
                }
            }
        }
        if (replica != null && replica.ackOffset() == offset) {
            server.log().notice("Failover target " + targetHost + ":" + targetPort + " is synced, failing over.");
            failOver();
        }
    }

    /** This server becomes the target's replica; its PSYNC carries FAILOVER. */
    private void failOver() {
        state = State.IN_PROGRESS;
        server.masterLink().replicaOf(targetHost, targetPort);
    }

    /** Redis's findReplica: by the address the replica announced (or connects from) and its listening port. */
    private Replica findReplica(String host, int port) {
        for (Replica r : server.replication().replicas()) {
            if (r.address().equalsIgnoreCase(host) && r.listeningPort() == port) {
                return r;
            }
        }
        return null;
    }
}
