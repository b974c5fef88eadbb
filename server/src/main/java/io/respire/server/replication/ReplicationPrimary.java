package io.respire.server.replication;

import io.respire.ds.util.Numbers;
import io.respire.persistence.aof.AofCommandWriter;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.ServerContext;
import io.respire.server.command.Args;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The primary side of replication (Redis's replication.c, master part): SYNC and PSYNC answered
 * with a full resynchronization, the effects stream fed to every replica as RESP arrays with the
 * SELECTs it needs, PINGs every repl-ping-replica-period seconds, REPLCONF, and the replication
 * offset. It consumes {@link Propagation} only while a replica is attached, so that a server
 * without replicas pays nothing for it. There is no backlog yet: PSYNC always resynchronizes fully.
 */
public final class ReplicationPrimary implements EffectsListener {
    private final ServerContext server;
    private final List<Replica> replicas = new ArrayList<>();
    private final DbSelector selector = new DbSelector();
    private SnapshotSource snapshots = new RdbSnapshot();
    /** Bytes fed to the stream so far (Redis's master_repl_offset). */
    private long offset;
    /** Seconds counted by {@link #cron} (Redis's replication_cron_loops). */
    private long cronLoops;
    private boolean streamCreated;
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
    }

    /** Replaces where snapshots come from (tests; a future point-in-time snapshot streamed as it is written). */
    public void snapshots(SnapshotSource source) {
        this.snapshots = source;
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
        if (c.bufferedReplyBytes() > 0) {
            throw new CommandError("ERR SYNC and PSYNC are invalid with pending output");
        }
        Replica replica = stateOf(c, server.nowMs());
        if (replica.excludeData() && !replica.capaEof()) {
            throw new CommandError("ERR Filtered replica requires EOF capability");
        }
        if (psync) {
            parseOffset(c.arg(2));
            if (c.arg(1).length != 1 || c.arg(1)[0] != '?') {
                server.stats().syncPartialErr++;
            }
        }
        byte[] rdb = snapshots.rdb(server, !replica.excludeData(), !replica.excludeFunctions());
        if (rdb == null) {
            throw new CommandError("ERR " + snapshots.unavailable());
        }
        server.log().notice("Replica " + c.address() + " asks for synchronization");
        server.stats().syncFull++;
        if (!streamCreated) {
            // Redis creates the backlog with the first replica, under a new replication ID.
            server.changeReplicationId();
            streamCreated = true;
        }
        replica.prePsync(!psync);
        if (psync) {
            c.writeRaw(("+FULLRESYNC " + server.replId() + " " + offset + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        c.writeRaw(("$" + rdb.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        c.writeRaw(rdb);
        if (replica.rdbOnly()) {
            server.log().notice("RDB transfer completed, rdb only replica (" + c.address() + ") should be disconnected asap");
            c.closeAfterReply();
            return;
        }
        attach(replica);
        server.log().notice("Synchronization with replica " + c.address() + " succeeded");
    }

    private static void parseOffset(byte[] arg) {
        try {
            Numbers.parseLong(arg);
        } catch (NumberFormatException e) {
            throw new CommandError(Errors.NOT_INTEGER);
        }
    }

    private void attach(Replica replica) {
        replica.attached(true);
        if (replicas.isEmpty()) {
            server.propagation().attach(this);
        }
        replicas.add(replica);
        selector.reset(); // the new replica's first effect must select its database
    }

    /** A replica's connection is gone (Redis's freeClient of a slave). */
    public void disconnected(Client c) {
        Replica replica = c.replica();
        if (replica == null || !replica.attached() || !replicas.remove(replica)) {
            return;
        }
        server.log().notice("Connection with replica " + c.address() + " lost.");
        if (replicas.isEmpty()) {
            server.propagation().detach(this);
        }
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
                    stateOf(c, server.nowMs()).capaEof(true); // psync2: nothing changes without a backlog
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
                    serveWaiting();
                }
                return;
            } else if (c.argIs(j, "getack")) {
                return; // only a replica answers GETACK, and this server is never one
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

    /** Replicas whose acknowledged offset reached {@code offset} (Redis's replicationCountAcksByOffset). */
    private int acknowledged(long offset) {
        int n = 0;
        for (Replica r : replicas) {
            if (r.ackOffset() >= offset) {
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
        if (ackRequested || replicas.isEmpty()) {
            return;
        }
        ackRequested = true;
        server.executor().execute(() -> {
            ackRequested = false;
            if (!replicas.isEmpty()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(40);
                encode(out, new byte[][] {Effects.REPLCONF, Effects.GETACK, Effects.ASTERISK});
                feed(out.toByteArray());
            }
        });
    }

    // ---- The stream

    @Override
    public void propagate(int db, byte[][] argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        byte[][] select = selector.selectFor(db);
        if (select != null) {
            encode(out, select);
        }
        encode(out, argv);
        feed(out.toByteArray());
    }

    /**
     * Redis's replicationCron, once a second: PINGs the replicas every repl-ping-replica-period
     * seconds, in the database last selected (so no SELECT).
     */
    public void cron() {
        cronLoops++;
        if (!replicas.isEmpty() && cronLoops % server.config().replPingReplicaPeriod.value() == 0) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(16);
            encode(out, new byte[][] {Effects.PING});
            feed(out.toByteArray());
        }
        if (!waiting.isEmpty()) {
            requestAcks(); // replicas that missed a GETACK are asked again (Redis: every second)
        }
        disconnectTimedOut();
    }

    /**
     * A replica that acknowledges (PSYNC, not SYNC) and has not for more than repl-timeout seconds
     * is disconnected, as Redis's replicationCron does.
     */
    private void disconnectTimedOut() {
        long nowSeconds = server.nowMs() / 1000;
        long timeout = server.config().replTimeout.value();
        for (Replica r : new ArrayList<>(replicas)) {
            if (!r.prePsync() && nowSeconds - r.ackTimeMs() / 1000 > timeout) {
                server.log().warning("Disconnecting timedout replica (streaming sync): " + r.client().address());
                r.client().close();
            }
        }
    }

    private void feed(byte[] bytes) {
        offset += bytes.length;
        for (Replica replica : replicas) {
            replica.client().writeRaw(bytes);
        }
    }

    /** A command as a RESP array of bulk strings, as replicas and the AOF read it. */
    static void encode(ByteArrayOutputStream out, byte[][] argv) {
        AofCommandWriter.append(out, argv);
    }
}
