package io.respire.server.replication;

import io.respire.ds.util.Numbers;
import io.respire.persistence.aof.AofCommandWriter;
import io.respire.persistence.aof.CommandBuffer;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.ServerContext;
import io.respire.server.command.Args;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The primary side of replication (Redis's replication.c, master part): SYNC and PSYNC answered
 * with a full resynchronization, or with +CONTINUE and the missing bytes when the backlog still
 * holds the replica's offset; the effects stream fed to every replica and to the backlog as RESP
 * arrays with the SELECTs it needs, PINGs every repl-ping-replica-period seconds, REPLCONF, and
 * the replication offset. It consumes {@link Propagation} from the first replica on, while the
 * backlog exists (freed after repl-backlog-ttl seconds without replicas, as Redis frees it), so
 * that a server that never had replicas pays nothing for it.
 */
public final class ReplicationPrimary implements EffectsListener {
    private static final byte[] NEWLINE = {'\n'};

    private final ServerContext server;
    private final List<Replica> replicas = new ArrayList<>();
    private final DbSelector selector = new DbSelector();
    /** Where each command of the stream is encoded before it is fed (reused: one per write otherwise). */
    private final CommandBuffer scratch = new CommandBuffer();
    /** The scratch's room kept between commands: a huge write's size is not held for good. */
    private static final int SCRATCH_KEPT_ROOM = 64 * 1024;
    private SnapshotSource snapshots = new RdbSnapshot();
    /** The full resynchronization whose snapshot is being written, or null. */
    private SyncGroup syncing;
    /** Full resynchronizations from a point-in-time snapshot (off: the RDB is made at once, see {@link #snapshots}). */
    private boolean streamedSyncs = true;
    /** Bytes fed to the stream so far (Redis's master_repl_offset). */
    private long offset;
    /** Seconds counted by {@link #cron} (Redis's replication_cron_loops). */
    private long cronLoops;
    /** The stream's last bytes for partial resynchronizations (Redis's repl_backlog), or null. */
    private ReplicationBacklog backlog;
    /** When the last replica left (Redis's repl_no_slaves_since), for repl-backlog-ttl. */
    private long noReplicasSinceMs;
    private boolean attachedToPropagation;
    /** Clients blocked in WAIT (Redis's clients_waiting_acks), and whether a GETACK is on its way. */
    private final List<Waiting> waiting = new ArrayList<>();
    private boolean ackRequested;

    /** A WAIT: for {@code replicas} acknowledgements of {@code offset}, until its timer fires. */
    private static final class Waiting {
        final Client client;
        final long offset;
        final long replicas;
        ScheduledFuture<?> timer;

        Waiting(Client client, long offset, long replicas) {
            this.client = client;
            this.offset = offset;
            this.replicas = replicas;
        }
    }

    public ReplicationPrimary(ServerContext server) {
        this.server = server;
        this.noReplicasSinceMs = System.currentTimeMillis(); // Redis's repl_no_slaves_since = time(NULL) at start
    }

    /**
     * This server has just become a primary (REPLICAOF NO ONE): the backlog's time to live without
     * replicas counts from now, else it would be freed, and the history changed, before the
     * replicas of a failover reconnect (Redis's replicationUnsetMaster).
     */
    public void becamePrimary() {
        noReplicasSinceMs = server.nowMs();
    }

    /**
     * Replaces where snapshots come from (tests): every full resynchronization then takes its RDB
     * from {@code source} at once, instead of from a point-in-time snapshot written in slices.
     */
    public void snapshots(SnapshotSource source) {
        this.snapshots = source;
        this.streamedSyncs = false;
    }

    public long offset() {
        return offset;
    }

    public List<Replica> replicas() {
        return replicas;
    }

    @Override
    public int targets() {
        return Propagation.REPL;
    }

    /** The replica state of {@code c}, created by its first REPLCONF or SYNC. */
    private static Replica stateOf(Client c, long nowMs) {
        if (c.replica() == null) {
            c.replica(new Replica(c, nowMs));
        }
        return c.replica();
    }

    // ---- SYNC / PSYNC

    /**
     * Redis's syncCommand: the client becomes a replica, gets the snapshot, then every effect.
     * PSYNC is answered +FULLRESYNC with the replication ID and offset the stream continues from.
     */
    public void sync(Client c, boolean psync) {
        if (c.replica() != null && c.replica().attached()) {
            return; // already a replica: ignored, no reply (as Redis)
        }
        if (psync && c.argc() > 3 && c.argIs(3, "failover")) {
            takeOverFrom(c);
        }
        if (server.failover().active()) {
            throw new CommandError("NOMASTERLINK Can't SYNC while failing over");
        }
        if (c.bufferedReplyBytes() > 0) {
            throw new CommandError("ERR SYNC and PSYNC are invalid with pending output");
        }
        if (server.masterLink().active() && !server.masterLink().linkUp()) {
            throw new CommandError("NOMASTERLINK Can't SYNC while not connected with my master");
        }
        Replica replica = stateOf(c, server.nowMs());
        if (replica.excludeData() && !replica.capaEof()) {
            throw new CommandError("ERR Filtered replica requires EOF capability");
        }
        long psyncOffset = 0;
        if (psync) {
            try {
                psyncOffset = Numbers.parseLong(c.arg(2));
            } catch (NumberFormatException e) {
                server.log().warning("Replica " + replica.name() + " asks for synchronization but with a wrong offset");
                throw new CommandError(Errors.NOT_INTEGER); // and it stays an ordinary client
            }
        }
        replica.linked(true);
        if (psync) {
            if (continueStream(replica, c.argString(1), psyncOffset)) {
                return;
            }
            if (c.arg(1).length != 1 || c.arg(1)[0] != '?') {
                server.stats().syncPartialErr++;
            }
        }
        replica.prePsync(!psync);
        if (server.config().replDisableTcpNodelay.value() && c.channel() != null) {
            // Fewer, larger packets to the replica at the price of latency (Redis does it at a full sync).
            c.channel().config().setOption(io.netty.channel.ChannelOption.TCP_NODELAY, false);
        }
        long delay = server.config().replDisklessSyncDelay.value();
        if (server.config().replDisklessSync.value() && delay > 0 && !replica.excludeData()) {
            // Redis's SLAVE_STATE_WAIT_BGSAVE_START: a diskless sync waits for more replicas to share it.
            server.log().notice("Replica " + replica.name() + " asks for synchronization");
            server.log().notice("Delay next BGSAVE for diskless SYNC");
            replica.waitForSync(server.nowMs());
            replicas.add(replica);
            updateAttachment();
            return;
        }
        fullSync(replica);
    }

    /**
     * PSYNC replid offset FAILOVER, from a primary handing its role over (Redis's syncCommand): this
     * replica becomes a primary if it follows that primary's history, and the PSYNC then continues
     * it as from any replica.
     */
    private void takeOverFrom(Client c) {
        server.log().warning("Failover request received for replid " + c.argString(1) + ".");
        if (!server.masterLink().active()) {
            throw new CommandError("ERR PSYNC FAILOVER can't be sent to a master.");
        }
        if (!c.argString(1).equalsIgnoreCase(server.replId())) {
            throw new CommandError("ERR PSYNC FAILOVER replid must match my replid.");
        }
        server.masterLink().unset();
        server.log().notice("MASTER MODE enabled (failover request from '"
                + io.respire.server.commands.ClientInfo.line(c, c) + "')");
    }

    /**
     * The full resynchronization: +FULLRESYNC (for PSYNC), the snapshot, then the stream. The
     * snapshot is a point-in-time one written while commands run ({@link SyncGroup}); when another
     * snapshot (BGSAVE, an AOF rewrite) is running, the replica waits for it to end; made at once
     * for a replica that wants no keys.
     */
    private void fullSync(Replica replica) {
        Client c = replica.client();
        boolean streamed = streamedSyncs && !replica.excludeData() && !replica.excludeFunctions();
        if (streamed && syncing == null && server.snapshots().running() != null) {
            // Redis's syncCommand while another child runs (a BGSAVE to disk, an AOF rewrite): the
            // sync starts from the cron once it is over, rather than made at once on the executor.
            server.log().notice("No BGSAVE in progress, but another BG operation is active. "
                    + "BGSAVE for replication delayed");
            replica.waitForSync(server.nowMs());
            if (!replicas.contains(replica)) {
                replicas.add(replica);
            }
            updateAttachment();
            return;
        }
        byte[] rdb = null;
        if (!streamed) {
            rdb = snapshots.rdb(server, !replica.excludeData(), !replica.excludeFunctions());
            if (rdb == null) {
                throw new CommandError("ERR " + snapshots.unavailable());
            }
        }
        server.log().notice("Replica " + replica.name() + " asks for synchronization");
        server.stats().syncFull++;
        if (backlog == null) {
            // Redis creates the backlog with the first replica, under a new replication ID.
            server.changeReplicationId();
            backlog = new ReplicationBacklog(offset);
            updateAttachment(); // the stream from now on is needed
        }
        if (rdb == null) {
            boolean stream = server.config().replDisklessSync.value() && replica.capaEof();
            if (syncing != null && syncing.streamed() && (syncing.started || !stream)) {
                // Redis: the RDB goes to the replicas' sockets already; the replica waits for the next one.
                server.log().notice("Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC");
                replica.waitForSync(server.nowMs());
                if (!replicas.contains(replica)) {
                    replicas.add(replica);
                }
                updateAttachment();
                return;
            }
            SyncGroup group = syncing != null ? syncing : startSyncGroup(stream);
            if (!replica.prePsync()) {
                c.writeRaw(("+FULLRESYNC " + server.replId() + " " + group.offset + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            server.log().notice(group.members.isEmpty() ? "Starting BGSAVE for SYNC with target: replicas sockets"
                    : "Waiting for end of BGSAVE for SYNC");
            if (group.streamed()) {
                c.writeRaw(("$EOF:" + new String(group.mark, StandardCharsets.US_ASCII) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                replica.receivingStream(true);
            }
            group.members.add(replica);
            replica.waitForSnapshot();
            if (!replicas.contains(replica)) { // a delayed diskless sync is listed already
                replicas.add(replica);
            }
            updateAttachment();
            return;
        }
        if (!replica.prePsync()) {
            c.writeRaw(("+FULLRESYNC " + server.replId() + " " + offset + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        selector.reset(); // the new replica's first effect must select its database
        sendSnapshot(replica, rdb, -1);
    }

    /** The RDB of a full resynchronization, then the stream since its instant; then online. */
    private void sendSnapshot(Replica replica, byte[] rdb, long since) {
        Client c = replica.client();
        c.writeRaw(("$" + rdb.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        c.writeRaw(rdb);
        payloadSent(replica, since);
    }

    /**
     * The RDB has gone out whole: the stream from offset {@code since} on (the backlog kept it;
     * -1 when nothing went by) follows; then online.
     */
    private void payloadSent(Replica replica, long since) {
        Client c = replica.client();
        if (replica.rdbOnly()) {
            server.log().notice("RDB transfer completed, rdb only replica (" + c.address() + ") should be disconnected asap");
            replicas.remove(replica);
            c.closeAfterReply();
            return;
        }
        if (since >= 0 && since <= offset) {
            if (backlog == null || !backlog.holds(since)) {
                // The history changed under the sync (a new replication ID): it cannot continue.
                server.log().warning("Replica " + replica.name() + " lost the stream of its sync: closing it");
                c.close();
                return;
            }
            backlog.copyFrom(since, c::writeRaw);
        }
        attach(replica);
        server.log().notice("Synchronization with replica " + c.address() + " succeeded");
    }

    /**
     * Starts the point-in-time snapshot of a full resynchronization; the stream from this instant
     * on is kept for its replicas ({@link #feed}) until it is done ({@link #syncSnapshotDone}).
     */
    private SyncGroup startSyncGroup(boolean streamed) {
        SyncGroup group = new SyncGroup(offset, streamed ? ServerContext.randomHex().getBytes(StandardCharsets.US_ASCII) : null);
        if (streamed) {
            group.pipe = new PayloadPipe(server.executor(), (chunk, held) -> forward(group, chunk, held));
        }
        group.snapshot = server.snapshots().stream(streamed ? group.pipe : group.image);
        selector.reset(); // the stream after the instant starts with a SELECT
        syncing = group;
        updatePin();
        group.snapshot.done().whenComplete((bytes, failure) ->
                server.executor().execute(() -> syncSnapshotDone(group, failure == null)));
        return group;
    }

    /**
     * On the executor: a block of a streamed RDB goes to the members still connected (Redis's
     * rdbPipeReadHandler). When none is left the snapshot is given up, as Redis kills its child.
     */
    private void forward(SyncGroup group, byte[] chunk, int held) {
        group.inFlight += held;
        if (group.abandoned) {
            return;
        }
        group.started = true;
        int up = 0;
        for (Replica r : group.members) {
            if (replicas.contains(r)) {
                r.client().writeRaw(chunk);
                up++;
            }
        }
        if (up == 0) {
            abandon(group);
            return;
        }
        releaseDrained(group);
    }

    /** What a member's connection may hold of a streamed RDB before the snapshot waits for it. */
    private static final long DRAIN_LOW = 1 << 20;

    /**
     * Gives the pipe back the room of what the members' sockets took, once every member holds
     * less than {@link #DRAIN_LOW} bytes not yet sent; else looks again in 10 ms. A member that
     * sent nothing for repl-timeout seconds meanwhile is disconnected, as Redis's replicationCron
     * disconnects a replica whose socket took no part of the RDB for that long.
     */
    private void releaseDrained(SyncGroup group) {
        if (group.inFlight == 0 || group.drainCheckScheduled) {
            return;
        }
        long now = server.nowMs();
        long timeoutMs = server.config().replTimeout.value() * 1000;
        boolean drained = true;
        for (Replica r : new ArrayList<>(group.members)) {
            if (!replicas.contains(r)) {
                continue;
            }
            long pending = r.client().pendingOutputBytes() + r.client().bufferedReplyBytes();
            if (pending < DRAIN_LOW) {
                r.drained();
                continue;
            }
            if (!r.progressed(pending, now) && now - r.stalledSinceMs() > timeoutMs) {
                server.log().warning("Disconnecting timedout replica (full sync): " + r.name());
                r.client().close();
                continue;
            }
            drained = false;
        }
        if (drained) {
            group.pipe.release(group.inFlight);
            group.inFlight = 0;
            return;
        }
        group.drainCheckScheduled = true;
        server.executor().schedule(() -> {
            group.drainCheckScheduled = false;
            releaseDrained(group);
        }, 10, TimeUnit.MILLISECONDS);
    }

    /**
     * The sync's last member is gone: its snapshot is given up (a streamed one as Redis kills its
     * child), and the stream kept for it is let go.
     */
    private void abandon(SyncGroup group) {
        if (group.streamed()) {
            server.log().warning("Diskless rdb transfer, last replica dropped, killing fork child.");
        }
        group.abandoned = true;
        group.snapshot.abort();
        if (syncing == group) {
            syncing = null;
        }
        updatePin();
    }

    /** Whether a member of {@code group} is still connected. */
    private boolean anyMemberUp(SyncGroup group) {
        for (Replica r : group.members) {
            if (replicas.contains(r)) {
                return true;
            }
        }
        return false;
    }

    /** On the executor: the snapshot's RDB goes to every member still connected, or they are dropped. */
    private void syncSnapshotDone(SyncGroup group, boolean ok) {
        if (syncing == group) {
            syncing = null;
        }
        byte[] rdb = ok && !group.streamed() ? group.image.toByteArray() : null;
        long since = group.offset + 1; // the stream from the instant on, which the backlog kept
        ok &= backlog != null && backlog.holds(since);
        List<Replica> up = new ArrayList<>();
        for (Replica r : group.members) {
            if (replicas.contains(r)) {
                up.add(r); // the others went meanwhile
            }
        }
        if (ok && group.streamed()) {
            server.log().notice("Diskless rdb transfer, done reading from pipe, " + up.size() + " replicas still up.");
        }
        for (Replica r : up) {
            if (!ok) {
                server.log().warning("Background transfer error: closing the connection of replica " + r.client().address());
                r.client().close();
            } else if (group.streamed()) {
                r.client().writeRaw(group.mark);
                if (r.rdbOnly()) {
                    payloadSent(r, -1);
                    continue;
                }
                server.log().notice("Streamed RDB transfer with replica " + r.client().address()
                        + " succeeded (socket). Waiting for REPLCONF ACK from replica to enable streaming");
                r.awaitAck(since);
            } else {
                sendSnapshot(r, rdb, since);
            }
        }
        updatePin();
    }

    /**
     * Tells the backlog the first offset a waiting replica needs, the instant of the running sync's
     * snapshot or the stream held for an ACK: it keeps everything from there on.
     */
    private void updatePin() {
        if (backlog == null) {
            return;
        }
        long from = syncing != null ? syncing.offset + 1 : Long.MAX_VALUE;
        for (Replica r : replicas) {
            if (r.awaitingAck()) {
                from = Math.min(from, r.heldFrom());
            }
        }
        backlog.pin(from);
        backlog.trim(server.config().replBacklogSize.value());
    }

    /**
     * Redis's masterTryPartialResynchronization: if the replica's history is ours (the current
     * replication ID, or the previous one up to where it ended) and the backlog holds its offset,
     * it gets +CONTINUE and the bytes it missed, and the stream goes on; false for a full sync.
     */
    private boolean continueStream(Replica replica, String replId, long psyncOffset) {
        String address = replica.client().address();
        boolean ours = replId.equals(server.replId())
                || (replId.equals(server.replId2()) && psyncOffset <= server.secondReplOffset());
        if (!ours) {
            if (!replId.equals("?")) {
                server.log().notice("Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '"
                        + replId + "', my replication IDs are '" + server.replId() + "' and '" + server.replId2() + "')");
            } else {
                server.log().notice("Full resync requested by replica " + address);
            }
            return false;
        }
        if (backlog == null || !backlog.holds(psyncOffset)) {
            server.log().notice("Unable to partial resync with replica " + address + " for lack of backlog (Replica "
                    + "request was: " + psyncOffset + ").");
            if (psyncOffset > offset) {
                server.log().warning("Warning: replica " + address + " tried to PSYNC with an offset that is greater "
                        + "than the master replication offset.");
            }
            return false;
        }
        Client c = replica.client();
        c.writeRaw((replica.capaPsync2() ? "+CONTINUE " + server.replId() + "\r\n" : "+CONTINUE\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        long missed = backlog.copyFrom(psyncOffset, c::writeRaw);
        attach(replica);
        server.stats().syncPartialOk++;
        server.log().notice("Partial resynchronization request from " + address + " accepted. Sending "
                + missed + " bytes of backlog starting from offset " + psyncOffset + ".");
        return true;
    }

    private void attach(Replica replica) {
        replica.attached(true);
        replica.online(true);
        if (!replicas.contains(replica)) {
            replicas.add(replica);
        }
        updateAttachment();
    }

    /**
     * Redis's replicationStartPendingFork, from the cron: the replicas waiting for a diskless sync
     * get a keepalive newline, and their sync once the oldest has waited repl-diskless-sync-delay
     * seconds or repl-diskless-sync-max-replicas are waiting.
     */
    private void startDelayedSyncs() {
        List<Replica> delayed = new ArrayList<>();
        long oldest = Long.MAX_VALUE;
        for (Replica r : replicas) {
            if (!r.online() && !r.receivingStream()) {
                r.client().writeRaw(NEWLINE); // keeps the link alive while it waits (replicationCron)
            }
            if (!r.online() && !r.snapshotPending()) {
                delayed.add(r);
                oldest = Math.min(oldest, r.syncRequestedMs());
            }
        }
        if (delayed.isEmpty() || (syncing == null && server.snapshots().running() != null)) {
            return; // none waits, or another snapshot is running: they wait for it to end
        }
        long max = server.config().replDisklessSyncMaxReplicas.value();
        if ((server.nowMs() - oldest) / 1000 >= server.config().replDisklessSyncDelay.value()
                || (max > 0 && delayed.size() >= max)) {
            for (Replica r : delayed) {
                fullSync(r);
            }
        }
    }

    /**
     * Consumes the effects while they go somewhere: replicas, or a backlog to continue from. A
     * replica's own stream is its primary's, passed on by {@link #proxy}, so it consumes none.
     */
    void updateAttachment() {
        boolean wanted = (backlog != null || !replicas.isEmpty()) && !server.masterLink().active();
        if (wanted != attachedToPropagation) {
            attachedToPropagation = wanted;
            if (wanted) {
                server.propagation().attach(this);
            } else {
                server.propagation().detach(this);
            }
        }
    }

    /** A replica's connection is gone (Redis's freeClient of a slave). */
    public void disconnected(Client c) {
        Replica replica = c.replica();
        if (replica == null || !replica.attached() || !replicas.remove(replica)) {
            return;
        }
        server.log().notice("Connection with replica " + c.address() + " lost.");
        if (replicas.isEmpty()) {
            noReplicasSinceMs = server.nowMs();
        }
        if (syncing != null && !syncing.abandoned && !anyMemberUp(syncing) && !syncing.members.isEmpty()) {
            abandon(syncing);
        }
        updatePin();
        updateAttachment();
    }

    // ---- REPLCONF

    /** Redis's replconfCommand: option/value pairs; ACK and GETACK get no reply. */
    public void replconf(Client c) {
        if (c.argc() % 2 == 0) {
            throw new CommandError(Errors.SYNTAX);
        }
        for (int j = 1; j < c.argc(); j += 2) {
            if (c.argIs(j, "listening-port")) {
                long port = longArg(c.arg(j + 1));
                stateOf(c, server.nowMs()).listeningPort(port);
            } else if (c.argIs(j, "ip-address")) {
                String ip = c.argString(j + 1);
                if (ip.length() >= 46) {
                    throw new CommandError("ERR REPLCONF ip-address provided by replica instance is too long: "
                            + ip.length() + " bytes");
                }
                stateOf(c, server.nowMs()).announcedIp(ip);
            } else if (c.argIs(j, "capa")) {
                if (c.argIs(j + 1, "eof")) {
                    stateOf(c, server.nowMs()).capaEof(true);
                } else if (c.argIs(j + 1, "psync2")) {
                    stateOf(c, server.nowMs()).capaPsync2(true);
                }
            } else if (c.argIs(j, "rdb-only")) {
                long on = longArg(c.arg(j + 1));
                if (on < 0 || on > 1) {
                    throw new CommandError("ERR value is out of range, value must between 0 and 1");
                }
                stateOf(c, server.nowMs()).rdbOnly(on == 1);
            } else if (c.argIs(j, "rdb-filter-only")) {
                stateOf(c, server.nowMs()).filter(filtersFunctions(c.argString(j + 1)));
            } else if (c.argIs(j, "ack")) {
                Replica replica = c.replica();
                if (replica != null && replica.attached()) {
                    try {
                        replica.ack(Numbers.parseLong(c.arg(j + 1)), server.nowMs());
                    } catch (NumberFormatException e) {
                        return; // Redis ignores a malformed ACK
                    }
                    if (replica.awaitingAck()) {
                        // Redis's replicaStartCommandStream, once this command is over: the stream is
                        // not a reply to the ACK (which a replication link must not get).
                        server.executor().execute(() -> {
                            if (replicas.contains(replica) && replica.awaitingAck()) {
                                long held = replica.heldFrom();
                                replica.released();
                                payloadSent(replica, held);
                                updatePin();
                            }
                        });
                    }
                    serveWaiting();
                    server.failover().acked();
                }
                return;
            } else if (c.argIs(j, "getack")) {
                if (server.masterLink().isMaster(c)) {
                    server.masterLink().sendAck();
                }
                return;
            } else {
                throw new CommandError("ERR Unrecognized REPLCONF option: " + c.argString(j));
            }
        }
        c.reply().ok();
    }

    /** rdb-filter-only's space-separated filters: "functions" keeps them, anything else is refused. */
    private static boolean filtersFunctions(String filters) {
        boolean functions = false;
        for (String filter : filters.trim().split("\\s+")) {
            if (filter.equalsIgnoreCase("functions")) {
                functions = true;
            } else if (!filter.isEmpty()) {
                throw new CommandError("ERR Unsupported rdb-filter-only option: " + filter);
            }
        }
        return functions;
    }

    private static long longArg(byte[] arg) {
        try {
            return Numbers.parseLong(arg);
        } catch (NumberFormatException e) {
            throw new CommandError(Errors.NOT_INTEGER);
        }
    }

    // ---- WAIT

    /**
     * Redis's waitCommand: the number of replicas that acknowledged the client's last write, at
     * once if enough have (or inside MULTI or a script, which cannot block), else when enough have
     * or the timeout (milliseconds, 0 for none) expires. The replicas are asked to acknowledge.
     */
    public void waitFor(Client c) {
        if (server.masterLink().active()) {
            throw new CommandError("ERR WAIT cannot be used with replica instances. Please also note that since Redis "
                    + "4.0 if a replica is configured to be writable (which is not the default) writes to replicas are "
                    + "just local and are not propagated.");
        }
        long replicas = longArg(c.arg(1));
        long timeout = Args.longArg(c, 2, "ERR timeout is not an integer or out of range");
        if (timeout < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        long offset = c.writeOffset();
        int acked = acknowledged(offset);
        if (acked >= replicas || c.denyBlocking()) {
            c.reply().integer(acked);
            return;
        }
        Waiting w = new Waiting(c, offset, replicas);
        waiting.add(w);
        c.block(() -> forget(w));
        if (timeout > 0) {
            w.timer = server.executor().schedule(() -> release(w, acknowledged(w.offset)), timeout, TimeUnit.MILLISECONDS);
        }
        requestAcks();
    }

    /**
     * Redis's checkGoodReplicasStatus: whether writes are allowed under min-replicas-to-write, i.e.
     * enough online replicas acknowledged within min-replicas-max-lag seconds (always on a replica,
     * or with either setting 0).
     */
    public boolean enoughGoodReplicas() {
        long needed = server.config().minReplicasToWrite.value();
        return server.masterLink().active() || needed == 0 || server.config().minReplicasMaxLag.value() == 0
                || goodReplicas() >= needed;
    }

    /** Online replicas whose last ACK is at most min-replicas-max-lag seconds old (INFO min_slaves_good_slaves). */
    public int goodReplicas() {
        long nowSeconds = server.nowMs() / 1000;
        long maxLag = server.config().minReplicasMaxLag.value();
        int good = 0;
        for (Replica r : replicas) {
            if (r.online() && nowSeconds - r.ackTimeMs() / 1000 <= maxLag) {
                good++;
            }
        }
        return good;
    }

    /** Clients blocked in WAIT get {@code error} and are closed after it (Redis's disconnectAllBlockedClients). */
    void unblockWaiting(String error) {
        for (Waiting w : new ArrayList<>(waiting)) {
            forget(w);
            w.client.reply().error(error);
            w.client.closeAfterReply();
            w.client.unblock();
        }
    }

    /** Replicas whose acknowledged offset reached {@code offset} (Redis's replicationCountAcksByOffset). */
    private int acknowledged(long offset) {
        int n = 0;
        for (Replica r : replicas) {
            if (r.online() && r.ackOffset() >= offset) {
                n++;
            }
        }
        return n;
    }

    /** Redis's processClientsWaitingReplicas: answers the WAITs that enough replicas acknowledged. */
    private void serveWaiting() {
        for (Waiting w : new ArrayList<>(waiting)) {
            int acked = acknowledged(w.offset);
            if (acked >= w.replicas) {
                release(w, acked);
            }
        }
    }

    private void release(Waiting w, int acked) {
        if (!waiting.contains(w)) {
            return;
        }
        forget(w);
        w.client.reply().integer(acked);
        w.client.unblock();
    }

    private void forget(Waiting w) {
        waiting.remove(w);
        if (w.timer != null) {
            w.timer.cancel(false);
        }
    }

    /**
     * Redis's replicationRequestAckFromSlaves: REPLCONF GETACK * goes to every replica once the
     * current batch of commands is done (Redis sends it in beforeSleep), in the stream.
     */
    private void requestAcks() {
        if (ackRequested || replicas.isEmpty() || server.masterLink().active()) {
            return;
        }
        ackRequested = true;
        server.executor().execute(() -> {
            ackRequested = false;
            // Not while clients are paused (Redis's beforeSleep): the GETACK would move the offset
            // that a FAILOVER or CLIENT PAUSE expects to stay put; the cron asks again meanwhile.
            if (!replicas.isEmpty() && !server.clientsPaused()) {
                askForAcks();
            }
        });
    }

    /** REPLCONF GETACK * to the replicas now, in the stream (Redis's sendGetackToReplicas, used by SHUTDOWN). */
    public void askForAcks() {
        feedCommand(new byte[][] {Effects.REPLCONF, Effects.GETACK, Effects.ASTERISK});
    }

    // ---- The stream

    /** DEBUG REPLICATE: {@code argv} goes to the replicas, in the database last selected, though it never ran here. */
    public void feedUnexecuted(byte[][] argv) {
        if (backlog != null || !replicas.isEmpty()) {
            propagate(Math.max(0, selector.selected()), argv);
        }
    }

    @Override
    public void propagate(int db, byte[][] argv) {
        if (server.masterLink().active()) {
            return; // a replica's replicas get its primary's stream instead (proxy), as Redis's replicationFeedSlaves
        }
        scratch.reset(SCRATCH_KEPT_ROOM);
        byte[][] select = selector.selectFor(db);
        if (select != null) {
            encode(scratch, select);
        }
        encode(scratch, argv);
        feed(scratch.array(), 0, scratch.size());
    }

    /** One command into the stream as it is (no SELECT before it). */
    private void feedCommand(byte[][] argv) {
        scratch.reset(SCRATCH_KEPT_ROOM);
        encode(scratch, argv);
        feed(scratch.array(), 0, scratch.size());
    }

    /**
     * Redis's replicationCron, once a second: PINGs the replicas every repl-ping-replica-period
     * seconds, in the database last selected (so no SELECT).
     */
    public void cron() {
        cronLoops++;
        boolean primary = !server.masterLink().active(); // a replica's stream is its primary's: no PINGs of its own
        if (primary && !replicas.isEmpty() && cronLoops % server.config().replPingReplicaPeriod.value() == 0
                && !server.failover().holdsPings()) {
            feedCommand(new byte[][] {Effects.PING});
        }
        if (!waiting.isEmpty()) {
            requestAcks(); // replicas that missed a GETACK are asked again (Redis: every second)
        }
        disconnectTimedOut();
        startDelayedSyncs();
        freeIdleBacklog(primary);
    }

    /**
     * Redis's replicationCron: a primary without replicas for repl-backlog-ttl seconds frees its
     * backlog and starts a new history (no replica could continue the old one anyway).
     */
    private void freeIdleBacklog(boolean primary) {
        long ttl = server.config().replBacklogTtl.value();
        if (!primary || backlog == null || !replicas.isEmpty() || ttl == 0) {
            return;
        }
        long idleSeconds = (server.nowMs() - noReplicasSinceMs) / 1000;
        if (idleSeconds > ttl) {
            server.changeReplicationId();
            backlog = null;
            updateAttachment();
            server.log().notice("Replication backlog freed after " + ttl + " seconds without connected replicas.");
        }
    }

    /**
     * The database the stream is in, which an RDB records as "repl-stream-db" with the replication
     * ID and offset (Redis's rdbPopulateSaveInfo), or -1 when Redis records none: a replica loading
     * it as its primary's snapshot runs the stream that follows from there.
     */
    public int streamDbForSave() {
        MasterLink link = server.masterLink();
        if (!link.active()) {
            return backlog == null ? -1 : Math.max(0, selector.selected());
        }
        return link.streamDb();
    }

    /**
     * Redis's loadDataFromDisk, its replication part: a file that recorded its replication ID and
     * offset lets the stream continue. A primary keeps them as its previous history (replid2 and
     * second_repl_offset) with a backlog starting there, so that its replicas continue with PSYNC
     * after a restart; a server started as a replica takes them as its own, to ask its primary to
     * continue from them.
     */
    public void restoreAfterLoad(String replId, long replOffset, int streamDb, boolean replica) {
        if (replId == null || replOffset == -1 || streamDb == -1) {
            if (!replica && replicas.isEmpty()) {
                backlog = null; // no history to continue: the load's backlog goes (its DELs stay counted)
                updateAttachment();
            }
            return;
        }
        if (replica) {
            server.adoptReplicationId(replId, false);
            offset = replOffset;
            server.masterLink().ownStreamDb(streamDb);
            return;
        }
        server.previousReplicationId(replId, replOffset);
        // The DELs of the keys found expired while loading follow the file's offset (Redis's
        // rebaseReplicationBuffer).
        offset += replOffset;
        if (backlog == null) {
            backlog = new ReplicationBacklog(offset);
        } else {
            backlog.rebase(replOffset);
        }
        noReplicasSinceMs = server.nowMs();
        updateAttachment();
    }

    /**
     * Redis's loadDataFromDisk on a primary: a backlog exists while the RDB loads, so that the
     * keys found expired in it are deleted in the stream too ({@link #expiredAtLoad}); replicas
     * that continue after the restart get those DELs. {@link #restoreAfterLoad} keeps it if the
     * file recorded a history to continue, and drops it otherwise.
     */
    public void backlogForLoad() {
        if (backlog == null) {
            backlog = new ReplicationBacklog(offset);
        }
    }

    /** A key found expired in the RDB loaded at start (Redis's rdbLoad with RDBFLAGS_FEED_REPL). */
    public void expiredAtLoad(int db, byte[] key) {
        if (backlog != null) {
            propagate(db, new byte[][] {server.config().lazyfreeLazyExpire.value() ? Effects.UNLINK : Effects.DEL, key});
        }
    }

    /**
     * The replication buffer's bytes (Redis's repl_buffer_mem, INFO mem_total_replication_buffers).
     * Redis 7.0 keeps one buffer that the backlog and the replicas share, so it spans from the
     * oldest byte either still needs to the stream's end: the larger of the backlog and what a
     * replica has not been sent yet, plus the stream a sync's snapshot holds back.
     */
    public long bufferMemory() {
        long shared = backlog == null ? 0 : backlog.allocated();
        for (Replica r : replicas) {
            if (r.online()) {
                shared = Math.max(shared, r.client().pendingOutputBytes() + r.client().bufferedReplyBytes());
            }
        }
        return shared;
    }

    /**
     * INFO mem_replication_backlog: the buffer counts as the backlog's up to repl-backlog-size while
     * replicas are connected, the rest as theirs (mem_clients_slaves), as Redis's getMemoryOverheadData.
     */
    public long backlogMemory() {
        long total = bufferMemory();
        long size = Math.max(ReplicationBacklog.MIN_SIZE, server.config().replBacklogSize.value());
        return !replicas.isEmpty() && total > size ? size : total;
    }

    /** The backlog's blocks, which used_memory counts as Redis counts its replication buffer. */
    public long backlogAllocated() {
        return backlog == null ? 0 : backlog.allocated();
    }

    /**
     * What of the backlog maxmemory leaves out (Redis's freeMemoryGetNotCountedMemory): the part
     * beyond repl-backlog-size, which waiting replicas pin (it is theirs, not the backlog's).
     */
    public long backlogBeyondSize() {
        long size = Math.max(ReplicationBacklog.MIN_SIZE, server.config().replBacklogSize.value());
        return Math.max(0, backlogAllocated() - size);
    }

    /** INFO's repl_backlog_active, repl_backlog_first_byte_offset and repl_backlog_histlen. */
    public boolean backlogActive() {
        return backlog != null;
    }

    public long backlogFirstByteOffset() {
        return backlog == null ? 0 : backlog.firstByteOffset();
    }

    public long backlogHistlen() {
        return backlog == null ? 0 : backlog.histlen();
    }

    /**
     * A replica that acknowledges (PSYNC, not SYNC) and has not for more than repl-timeout seconds
     * is disconnected, as Redis's replicationCron does.
     */
    private void disconnectTimedOut() {
        long nowSeconds = server.nowMs() / 1000;
        long timeout = server.config().replTimeout.value();
        for (Replica r : new ArrayList<>(replicas)) {
            if (r.online() && !r.prePsync() && nowSeconds - r.ackTimeMs() / 1000 > timeout) {
                server.log().warning("Disconnecting timedout replica (streaming sync): " + r.client().address());
                r.client().close();
            }
        }
    }

    /**
     * A replica's share of its primary's stream, once run (Redis's
     * replicationFeedStreamFromMasterStream): counted in the offset and passed on as it came.
     */
    public void proxy(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /**
     * The stream continues from {@code offset}, a primary's (a replica after its full or partial
     * resynchronization): the history is the primary's, so no new replication ID for the next replica.
     */
    public void continueAt(long offset, boolean newHistory) {
        this.offset = offset;
        if (newHistory || backlog == null) {
            backlog = new ReplicationBacklog(offset);
        }
        selector.reset();
        updateAttachment();
    }

    /** Closes every replica's connection (Redis's disconnectSlaves): they resynchronize. */
    public void disconnectReplicas() {
        for (Replica r : new ArrayList<>(replicas)) {
            r.client().close();
        }
    }

    private void feed(byte[] bytes, int off, int len) {
        offset += len;
        if (backlog != null) {
            backlog.append(bytes, off, len, server.config().replBacklogSize.value());
        }
        if (syncing != null) {
            holdForSync(syncing);
        }
        for (Replica replica : replicas) {
            if (replica.online()) { // one waiting for its sync gets the stream after its snapshot
                replica.client().writeRaw(bytes, off, len);
            } else if (replica.awaitingAck()) {
                if (overReplicaHardLimit(offset + 1 - replica.heldFrom())) {
                    server.log().warning("Client " + replica.client().address() + " scheduled to be closed ASAP "
                            + "for overcoming of output buffer limits.");
                    replica.client().close();
                }
            }
        }
    }

    /** A command as a RESP array of bulk strings, as replicas and the AOF read it. */
    static void encode(CommandBuffer out, byte[][] argv) {
        AofCommandWriter.append(out, argv);
    }

    /**
     * The stream while a sync's snapshot is written waits for it, within the replica class's hard
     * output buffer limit (Redis's replicas in WAIT_BGSAVE_END accumulate it in their output
     * buffers): past it, the sync is given up and its replicas disconnected.
     */
    /**
     * Whether {@code bytes} of stream held for a replica pass the replica class's hard output buffer
     * limit, which is never below repl-backlog-size (Redis's checkClientOutputBufferLimits: the
     * replicas share the backlog's memory, and a partial resync must not close its replica).
     */
    private boolean overReplicaHardLimit(long bytes) {
        long hard = server.config().clientOutputBufferLimit.limit("replica").hardBytes();
        return hard != 0 && bytes >= Math.max(hard, server.config().replBacklogSize.value());
    }

    private void holdForSync(SyncGroup group) {
        if (overReplicaHardLimit(offset - group.offset)) {
            server.log().warning("Client for a replica waiting for its snapshot scheduled to be closed ASAP "
                    + "for overcoming of output buffer limits.");
            syncing = null;
            group.snapshot.abort(); // its completion closes the members
            updatePin();
        }
    }
}
