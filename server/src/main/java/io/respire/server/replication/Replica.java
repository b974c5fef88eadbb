package io.respire.server.replication;

import io.respire.server.Client;

/**
 * What the primary knows of a connection that sent SYNC or PSYNC (Redis's slave fields of the
 * client): the port it says it listens on (REPLCONF listening-port), its address override
 * (ip-address), its capabilities, and the last offset it acknowledged (REPLCONF ACK).
 */
public final class Replica {
    private final Client client;
    private long listeningPort;
    private String announcedIp;
    private long ackOffset;
    private long ackTimeMs;
    /** Sent SYNC rather than PSYNC (Redis's CLIENT_PRE_PSYNC): it never acknowledges. */
    private boolean prePsync;
    /** Made a replica by SYNC/PSYNC (Redis's CLIENT_SLAVE); before that only REPLCONF was seen. */
    private boolean attached;
    /**
     * Sent a SYNC or PSYNC that was accepted: from then on the connection carries the stream and
     * never a reply (a command of its that writes one costs the connection, as in Redis).
     */
    private boolean linked;
    /** Receiving the stream (Redis's SLAVE_STATE_ONLINE); false while its sync is delayed or its snapshot written. */
    private boolean online;
    /** Its full sync's snapshot is being written (Redis's SLAVE_STATE_WAIT_BGSAVE_END). */
    private boolean snapshotPending;
    private boolean receivingStream;
    /** While a streamed RDB waits for its socket: since when, and how much its connection held then. */
    private long stalledSinceMs;
    private long stalledPending;
    /** The first stream offset held (in the backlog) until the first ACK after a streamed RDB, or -1. */
    private long heldFrom = -1;
    private long syncRequestedMs;
    /** REPLCONF capa eof; rdb-only (the snapshot alone, then the link ends); rdb-filter-only. */
    private boolean capaEof;
    /** REPLCONF capa psync2: understands +CONTINUE with the primary's replication ID. */
    private boolean capaPsync2;
    private boolean rdbOnly;
    private boolean excludeData;
    private boolean excludeFunctions;

    Replica(Client client, long ackTimeMs) {
        this.client = client;
        this.ackTimeMs = ackTimeMs;
    }

    public Client client() {
        return client;
    }

    public long listeningPort() {
        return listeningPort;
    }

    public String announcedIp() {
        return announcedIp;
    }

    /** The address INFO and ROLE show: the announced one, else the peer's (IPv6 without brackets). */
    public String address() {
        if (announcedIp != null) {
            return announcedIp;
        }
        String address = client.address();
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** The name Redis's log lines give a replica (replicationGetSlaveName): its address and listening port. */
    public String name() {
        String host = address().indexOf(':') >= 0 ? "[" + address() + "]" : address(); // anetFormatAddr
        return host + ":" + (listeningPort != 0 ? Long.toString(listeningPort) : "<unknown-replica-port>");
    }

    public long ackOffset() {
        return ackOffset;
    }

    public long ackTimeMs() {
        return ackTimeMs;
    }

    public boolean prePsync() {
        return prePsync;
    }

    void prePsync(boolean on) {
        this.prePsync = on;
    }

    public boolean attached() {
        return attached;
    }

    public boolean linked() {
        return linked;
    }

    void linked(boolean on) {
        this.linked = on;
    }

    void attached(boolean on) {
        this.attached = on;
    }

    public boolean online() {
        return online;
    }

    void online(boolean on) {
        this.online = on;
        if (on) {
            snapshotPending = false;
            receivingStream = false;
        }
    }

    /**
     * A streamed RDB went out whole: the stream from {@code offset} on is held (the backlog keeps
     * it) until its first REPLCONF ACK (Redis's repl_start_cmd_stream_on_ack), since a replica
     * reading to the EOF mark may read past it.
     */
    void awaitAck(long offset) {
        heldFrom = offset;
    }

    boolean awaitingAck() {
        return heldFrom >= 0;
    }

    /** The first offset held for it (see {@link #awaitAck}). */
    long heldFrom() {
        return heldFrom;
    }

    /** It holds nothing any more: the held stream is sent. */
    void released() {
        heldFrom = -1;
    }

    /**
     * While a streamed RDB waits for its socket: whether its socket took some of it since the last
     * look ({@code pending} bytes held at {@code nowMs}, fewer than then); {@link #stalledSinceMs}
     * says since when it has taken nothing.
     */
    boolean progressed(long pending, long nowMs) {
        if (stalledSinceMs == 0 || pending < stalledPending) {
            stalledSinceMs = nowMs;
            stalledPending = pending;
            return true;
        }
        return false;
    }

    long stalledSinceMs() {
        return stalledSinceMs;
    }

    /** Its socket took the streamed RDB held for it. */
    void drained() {
        stalledSinceMs = 0;
    }

    /** A streamed RDB is being sent to it: nothing else (no keepalive newline) may go in between. */
    void receivingStream(boolean on) {
        receivingStream = on;
    }

    boolean receivingStream() {
        return receivingStream;
    }

    /** Its full sync's snapshot is being written: a replica already, online once the RDB is sent. */
    void waitForSnapshot() {
        attached = true;
        online = false;
        snapshotPending = true;
    }

    boolean snapshotPending() {
        return snapshotPending;
    }

    /** Its sync waits (repl-diskless-sync-delay) since {@code nowMs}: a replica already, not online yet. */
    void waitForSync(long nowMs) {
        attached = true;
        online = false;
        syncRequestedMs = nowMs;
    }

    long syncRequestedMs() {
        return syncRequestedMs;
    }

    boolean capaEof() {
        return capaEof;
    }

    void capaEof(boolean on) {
        this.capaEof = on;
    }

    boolean capaPsync2() {
        return capaPsync2;
    }

    void capaPsync2(boolean on) {
        this.capaPsync2 = on;
    }

    boolean rdbOnly() {
        return rdbOnly;
    }

    void rdbOnly(boolean on) {
        this.rdbOnly = on;
    }

    /** Whether rdb-filter-only asked for a snapshot without keys, and without functions. */
    boolean excludeData() {
        return excludeData;
    }

    boolean excludeFunctions() {
        return excludeFunctions;
    }

    /** REPLCONF rdb-filter-only: no keys; functions only if named among the filters. */
    void filter(boolean withFunctions) {
        this.excludeData = true;
        this.excludeFunctions = !withFunctions;
    }

    /** REPLCONF listening-port, which comes before SYNC. */
    void listeningPort(long port) {
        this.listeningPort = port;
    }

    /** REPLCONF ip-address. */
    void announcedIp(String ip) {
        this.announcedIp = ip;
    }

    /** REPLCONF ACK: the offset only moves forward. */
    void ack(long offset, long nowMs) {
        ackOffset = Math.max(ackOffset, offset);
        ackTimeMs = nowMs;
    }
}
