package io.respire.server.replication;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.respire.persistence.aof.CommandBuffer;
import io.respire.server.Client;
import io.respire.server.CommandDispatcher;
import io.respire.server.CpuAffinity;
import io.respire.server.ServerContext;
import io.respire.server.ServerLog;
import io.respire.server.persistence.DatasetLoader;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The replica side of replication (Redis's replication.c, slave part): REPLICAOF's link to a
 * primary over a Netty client channel, the handshake of syncWithMaster (PING, AUTH, REPLCONF
 * listening-port / ip-address / capa, PSYNC), the RDB payload received to a file and loaded in
 * place of the dataset (or, as repl-diskless-load says, held in memory and loaded without a file), then the primary's stream run through the dispatcher as the master client,
 * whose replies go nowhere. The offset counts the stream's bytes; the same bytes go on to this
 * server's own replicas ({@link ReplicationPrimary#proxy}). A lost link is retried every second
 * from the cron, first with a partial resynchronization (PSYNC replid offset+1), which a primary
 * with a backlog answers +CONTINUE.
 *
 * <p>Everything here runs on the executor: the channel's events are handed over to it. Stale
 * events of a closed channel are told apart by {@link #generation}.
 */
public final class MasterLink {
    /** Redis's repl_state, the handshake's states folded into one. */
    enum State { NONE, CONNECT, CONNECTING, HANDSHAKE, TRANSFER, CONNECTED }

    /** The replies the handshake waits for, in order (Redis's REPL_STATE_RECEIVE_*). */
    private enum Awaiting { PING, AUTH, PORT, IP, CAPA, PSYNC }

    /** Commands read but not run while the master client is blocked, past which reading stops. */
    private static final int HOLD_LIMIT = 1024;

    private final ServerContext server;
    private String host;
    private int port;
    private State state = State.NONE;
    private final ArrayDeque<Awaiting> awaiting = new ArrayDeque<>();
    /** Changes with every channel, so that events of an old one are ignored. */
    private int generation;
    private Channel channel;
    /** Bytes received and not yet consumed. */
    private ByteBuf in = Unpooled.buffer(0);
    private RdbTransfer transfer;
    /** The transfer under way is a diskless load into a temporary dataset (repl-diskless-load swapdb). */
    private boolean swapdb;
    /** Loading the payload: what arrives meanwhile waits in {@link #in}. */
    private boolean loading;
    /** The diskless load under way (from the payload's header until it is applied or given up), or null. */
    private PayloadFeed disklessFeed;
    /** Whether that payload came with the EOF mark (the primary then waits for an ACK to start the stream). */
    private boolean disklessUsedMark;
    /** That payload's length once received whole (its RDB must end there), or -1. */
    private long disklessPayloadLength = -1;
    private StreamParser parser;
    /** Redis's server.master: runs the stream; null unless CONNECTED. */
    private Client master;
    private final ArrayDeque<StreamParser.Command> pending = new ArrayDeque<>();
    /** Commands run inside MULTI, whose bytes count once EXEC ran (Redis's repl_applied). */
    private final List<byte[]> unapplied = new ArrayList<>();
    private boolean readingPaused;
    /** The master client's offsets: processed (reploff) and read (read_reploff). */
    private long reploff;
    private long readReploff;
    /** What PSYNC asks to continue from: the last primary's ID and offset (Redis's cached_master), or null. */
    private String cachedReplId;
    private long cachedOffset;
    /** The database the cached master client had selected: a continued stream does not select it again. */
    private int cachedDb;
    /** The database this server's own stream is in, for PSYNC from its own history (a file's repl-stream-db). */
    private int ownStreamDb;
    /** From +FULLRESYNC. */
    private String masterReplId;
    private long masterInitialOffset;
    /** Last I/O with the primary (master's lastinteraction; repl_transfer_lastio before). */
    private long lastIoMs;
    /** When the link went down (repl_down_since), 0 if never up. */
    private long downSinceMs;

    /** Keys a writable replica's clients gave a TTL: expired here, since the primary never will. */
    private final WritableReplicaKeys writableKeys;

    public MasterLink(ServerContext server) {
        this.server = server;
        this.writableKeys = new WritableReplicaKeys(server, this);
    }

    /** The listener that records keys given a TTL by this replica's own clients. */
    public io.respire.server.keyspace.KeyspaceListener writableKeysListener() {
        return writableKeys;
    }

    /** Redis's expireSlaveKeys, run by the cron in place of the active expiry cycle. */
    public void expireWritableKeys() {
        writableKeys.expire();
    }

    private ServerLog log() {
        return server.log();
    }

    /** The thread that owns the link (and the data). */
    io.netty.util.concurrent.EventExecutor executor() {
        return server.executor();
    }

    // ---- What INFO and ROLE report

    /** Whether this server is a replica (Redis's server.masterhost != NULL). */
    public boolean active() {
        return host != null;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** master_link_status:up */
    public boolean linkUp() {
        return state == State.CONNECTED;
    }

    /** master_sync_in_progress */
    public boolean syncInProgress() {
        return state == State.TRANSFER;
    }

    /** ROLE's state word. */
    public String stateName() {
        return switch (state) {
            case NONE -> "none";
            case CONNECT -> "connect";
            case CONNECTING -> "connecting";
            case HANDSHAKE -> "handshake";
            case TRANSFER -> "sync";
            case CONNECTED -> "connected";
        };
    }

    /** slave_repl_offset (and ROLE's), -1 for ROLE without a master client. */
    public long processedOffset() {
        return master != null ? reploff : cachedReplId != null ? cachedOffset : -1;
    }

    public long readOffset() {
        return master != null ? readReploff : cachedReplId != null ? cachedOffset : -1;
    }

    /** master_last_io_seconds_ago: -1 without a master client. */
    public long lastIoSecondsAgo() {
        return master == null ? -1 : (server.nowMs() - lastIoMs) / 1000;
    }

    /** master_link_down_since_seconds: -1 if the link was never up. */
    public long downSinceSeconds() {
        return downSinceMs == 0 ? -1 : (server.nowMs() - downSinceMs) / 1000;
    }

    /** The transfer's figures for INFO while TRANSFER: total, read, and seconds since the last read. */
    public long[] transferFigures() {
        if (transfer == null) {
            return new long[] {0, 0, 0};
        }
        return new long[] {transfer.size(), transfer.read(), (server.nowMs() - lastIoMs) / 1000};
    }

    /** A file loaded at start recorded the stream in {@code db}: the PSYNC from this history continues there. */
    void ownStreamDb(int db) {
        this.ownStreamDb = db;
    }

    /** The database the primary's stream is in: the master client's, or the cached one's; -1 if neither. */
    int streamDb() {
        return master != null ? master.dbIndex() : cachedReplId != null ? cachedDb : -1;
    }

    /** Whether {@code c} is the master client (Redis's CLIENT_MASTER): it obeys, never refused. */
    public boolean isMaster(Client c) {
        return c != null && c == master;
    }

    // ---- REPLICAOF

    /** Redis's replicationSetMaster: drops the current link and connects to {@code host:port}. */
    public void replicaOf(String newHost, int newPort) {
        boolean wasMaster = host == null;
        host = null;
        if (master != null) {
            cacheMaster(); // Redis's freeClient(server.master) caches it for PSYNC
        }
        dropMaster();
        // Redis's disconnectAllBlockedClients: what they wait for now depends on the primary.
        String unblocked = "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)";
        server.blockingKeys().unblockAll(unblocked);
        server.replication().unblockWaiting(unblocked);
        cancelHandshake();
        if (wasMaster) {
            // Our own history, to continue from with PSYNC (Redis's replicationCacheMasterUsingMyself).
            cachedReplId = server.replId();
            cachedOffset = server.replication().offset();
            cachedDb = ownStreamDb;
            ownStreamDb = 0;
        }
        host = newHost;
        port = newPort;
        server.config().replicaof.follow(host, port);
        server.replication().updateAttachment(); // from now on the stream to pass on is the primary's
        server.oomScore().reapply(); // the replica's score (a failure is logged)
        state = State.CONNECT;
        log().notice("Connecting to MASTER " + host + ":" + port);
        connect();
    }

    /** Redis's replicationUnsetMaster (REPLICAOF NO ONE): a new history, the data kept. */
    public void unset() {
        if (host == null) {
            return;
        }
        host = null;
        server.config().replicaof.follow(null, 0);
        dropMaster();
        cachedReplId = null;
        cancelHandshake();
        server.shiftReplicationId(server.replication().offset());
        server.replication().disconnectReplicas();
        server.replication().continueAt(server.replication().offset(), false); // the next effect selects its database
        server.replication().becamePrimary();
        server.oomScore().reapply();
        state = State.NONE;
        downSinceMs = 0;
    }

    public boolean sameMaster(String otherHost, int otherPort) {
        return host != null && host.equalsIgnoreCase(otherHost) && port == otherPort;
    }

    // ---- Connection and handshake

    /** Redis's connectWithMaster: a non-blocking connect; the handshake starts when it completes. */
    private void connect() {
        connect(sourceAddress());
    }

    /**
     * Connects from {@code source} (bind-source-addr), or from any address when null. Binding to
     * the source is best effort, as Redis's anetTcpNonBlockBestEffortBindConnect: if the address
     * cannot be bound, the link connects again without it.
     */
    private void connect(InetSocketAddress source) {
        int gen = ++generation;
        Bootstrap bootstrap = server.outgoingConnection()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        server.config().replTimeout.value() * 1000))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new MasterLinkHandler(this, gen));
        ChannelFuture future = source == null ? bootstrap.connect(host, port)
                : bootstrap.connect(new InetSocketAddress(host, port), source);
        channel = future.channel();
        state = State.CONNECTING;
        lastIoMs = server.nowMs();
        in.release();
        in = Unpooled.buffer(256);
        future.addListener(f -> server.executor().execute(() -> {
            if (gen != generation) {
                return;
            }
            if (!f.isSuccess() && source != null && isBindFailure(f.cause())) {
                connect(null);
                return;
            }
            if (!f.isSuccess()) {
                log().warning("Error condition on socket for SYNC: " + reason(f.cause()));
                abandon();
            } else {
                startHandshake();
            }
        }));
        log().notice("MASTER <-> REPLICA sync started");
    }

    /** bind-source-addr as a local address to connect from (any port), or null: unset or not an address. */
    private InetSocketAddress sourceAddress() {
        String source = server.config().bindSourceAddr.value();
        if (source == null) {
            return null;
        }
        InetSocketAddress address = new InetSocketAddress(source, 0);
        return address.isUnresolved() ? null : address;
    }

    /** Whether a connect failed in binding its local address (the native transport's error says "bind"). */
    private static boolean isBindFailure(Throwable cause) {
        return cause instanceof BindException
                || (cause != null && cause.getMessage() != null && cause.getMessage().startsWith("bind("));
    }

    /** strerror's text of a failed connect: Netty's message without the address it appends ("...: /127.0.0.1:6379"). */
    private static String reason(Throwable cause) {
        String message = cause == null ? null : cause.getMessage();
        if (message == null) {
            return String.valueOf(cause);
        }
        int address = message.lastIndexOf(": ");
        return address > 0 ? message.substring(0, address) : message;
    }

    private void startHandshake() {
        log().notice("Non blocking connect for SYNC fired the event.");
        state = State.HANDSHAKE;
        awaiting.clear();
        awaiting.add(Awaiting.PING);
        send("PING");
    }

    /** After PONG: AUTH, REPLCONF listening-port, ip-address, capa, all in one write. */
    private void sendHandshake() {
        List<byte[][]> commands = new ArrayList<>();
        var config = server.config();
        if (config.masterauth.isSet()) {
            commands.add(config.masteruser.isSet()
                    ? args("AUTH", config.masteruser.value(), config.masterauth.value())
                    : args("AUTH", config.masterauth.value()));
            awaiting.add(Awaiting.AUTH);
        }
        long announcedPort = config.replicaAnnouncePort.value();
        commands.add(args("REPLCONF", "listening-port", Long.toString(announcedPort != 0 ? announcedPort : server.port())));
        awaiting.add(Awaiting.PORT);
        if (config.replicaAnnounceIp.isSet()) {
            commands.add(args("REPLCONF", "ip-address", config.replicaAnnounceIp.value()));
            awaiting.add(Awaiting.IP);
        }
        commands.add(args("REPLCONF", "capa", "eof", "capa", "psync2"));
        awaiting.add(Awaiting.CAPA);
        write(commands);
    }

    /** Redis's slaveTryPartialResynchronization, the sending half. */
    private void sendPsync() {
        String replId = "?";
        String offset = "-1";
        if (cachedReplId != null) {
            replId = cachedReplId;
            offset = Long.toString(cachedOffset + 1);
            log().notice("Trying a partial resynchronization (request " + replId + ":" + offset + ").");
        } else {
            log().notice("Partial resynchronization not possible (no cached master)");
        }
        if (server.failover().inProgress()) {
            send("PSYNC", replId, offset, "FAILOVER"); // makes the target a primary
        } else {
            send("PSYNC", replId, offset);
        }
        awaiting.add(Awaiting.PSYNC);
    }

    private static byte[][] args(String... words) {
        byte[][] argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            argv[i] = words[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return argv;
    }

    private void send(String... words) {
        write(List.<byte[][]>of(args(words)));
    }

    private void write(List<byte[][]> commands) {
        CommandBuffer out = new CommandBuffer();
        for (byte[][] argv : commands) {
            ReplicationPrimary.encode(out, argv);
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(out.toByteArray()), channel.voidPromise());
    }

    /** One reply line of the handshake (Redis's receiveSynchronousResponse and what follows it). */
    private void handshakeReply(String line) {
        Awaiting what = awaiting.poll();
        if (what == null) {
            return;
        }
        switch (what) {
            case PING -> {
                if (!line.startsWith("+") && !line.startsWith("-NOAUTH") && !line.startsWith("-NOPERM")
                        && !line.startsWith("-ERR operation not permitted")) {
                    log().warning("Error reply to PING from master: '" + line + "'");
                    abandon();
                    return;
                }
                log().notice("Master replied to PING, replication can continue...");
                sendHandshake();
            }
            case AUTH -> {
                if (line.startsWith("-")) {
                    log().warning("Unable to AUTH to MASTER: " + line);
                    abandon();
                }
            }
            case PORT, IP, CAPA -> {
                if (line.startsWith("-")) {
                    String option = what == Awaiting.PORT ? "listening-port" : what == Awaiting.IP ? "ip-address" : "capa";
                    log().notice("(Non critical) Master does not understand REPLCONF " + option + ": " + line);
                }
                if (what == Awaiting.CAPA) {
                    sendPsync();
                }
            }
            case PSYNC -> psyncReply(line);
        }
    }

    /** Redis's slaveTryPartialResynchronization, the reading half. */
    private void psyncReply(String line) {
        if (line.isEmpty()) {
            awaiting.addFirst(Awaiting.PSYNC); // a keepalive newline before the reply
            return;
        }
        if (server.failover().inProgress()) {
            // The failover's PSYNC: done if the target continues or resyncs us, given up otherwise.
            if (line.startsWith("+FULLRESYNC") || line.startsWith("+CONTINUE")) {
                server.failover().accepted();
            } else {
                logPsyncRefusal(line);
                server.failover().abort("Failover target rejected psync request");
                return;
            }
        }
        if (line.startsWith("+FULLRESYNC")) {
            String[] words = line.split(" ");
            if (words.length >= 3 && words[1].length() == 40) {
                masterReplId = words[1];
                masterInitialOffset = parseLong(words[2]);
                log().notice("Full resync from master: " + masterReplId + ":" + masterInitialOffset);
            } else {
                log().warning("Master replied with wrong +FULLRESYNC syntax.");
                masterReplId = "0000000000000000000000000000000000000000";
                masterInitialOffset = -1;
            }
            state = State.TRANSFER; // the cached master stays until the payload has loaded (attachToNewMaster)
            return;
        }
        if (line.startsWith("+CONTINUE")) {
            log().notice("Successful partial resynchronization with master.");
            String newId = line.length() > 10 ? line.substring(10).trim() : "";
            if (newId.length() == 40 && !newId.equals(cachedReplId)) {
                log().warning("Master replication ID changed to " + newId);
                server.shiftReplicationId(server.replication().offset());
                server.adoptReplicationId(newId, false);
                server.replication().disconnectReplicas();
            }
            log().notice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
            attachMaster(cachedOffset, false);
            master.select(cachedDb);
            cachedReplId = null;
            stream();
            return;
        }
        logPsyncRefusal(line);
        abandon();
    }

    private void logPsyncRefusal(String line) {
        if (line.startsWith("-NOMASTERLINK") || line.startsWith("-LOADING")) {
            log().notice("Master is currently unable to PSYNC but should be in the future: " + line);
        } else if (line.startsWith("-ERR")) {
            log().notice("Master does not support PSYNC or is in error state (reply: " + line + ")");
        } else {
            log().warning("Unexpected reply to PSYNC from master: " + line);
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- Input

    /** Bytes from the channel of {@code gen} (MasterLinkHandler). */
    void received(int gen, ByteBuf bytes) {
        if (gen != generation) {
            return;
        }
        in.writeBytes(bytes);
        lastIoMs = server.nowMs();
        if (!loading) {
            drive();
        }
    }

    /** Consumes what arrived, as far as the state allows; a protocol failure drops the link. */
    private void drive() {
        try {
            while (in.isReadable() && !loading) {
                if (state == State.HANDSHAKE) {
                    String line = StreamParser.readLine(in);
                    if (line == null) {
                        break;
                    }
                    handshakeReply(line);
                } else if (state == State.TRANSFER) {
                    int before = in.readerIndex();
                    boolean more = receivePayload();
                    countReplicationInput(before);
                    if (!more) {
                        break;
                    }
                } else if (state == State.CONNECTED) {
                    int before = in.readerIndex();
                    stream();
                    countReplicationInput(before);
                    break;
                } else {
                    in.skipBytes(in.readableBytes()); // nothing is expected now
                }
            }
        } catch (IllegalStateException e) {
            log().warning("Protocol error from master: " + e.getMessage() + ". Closing the link.");
            linkLost();
        }
        in.discardSomeReadBytes();
    }

    /** INFO total_net_repl_input_bytes: the payload and the stream, as Redis counts them (not the handshake). */
    private void countReplicationInput(int readerIndexBefore) {
        server.stats().netReplInputBytes += Math.max(0, in.readerIndex() - readerIndexBefore);
    }

    /** The payload's header, then its bytes; true if something was consumed and the loop may go on. */
    private boolean receivePayload() {
        try {
            if (transfer == null) {
                String line = StreamParser.readLine(in);
                if (line == null) {
                    return false;
                }
                return payloadHeader(line);
            }
            if (!transfer.consume(in)) {
                if (!transfer.keepingUp()) {
                    pauseReading(true); // the loader's turn: reading resumes when it has taken most
                }
                return false;
            }
            if (transfer.diskless()) {
                awaitDisklessLoad();
                return false;
            }
            loadPayload();
            return true;
        } catch (IOException e) {
            log().warning("Failed trying to sync with MASTER: " + e.getMessage());
            cancelHandshake();
            return false;
        }
    }

    private boolean payloadHeader(String line) throws IOException {
        if (line.isEmpty()) {
            return true; // the primary's keepalive newline while it prepares the payload
        }
        if (line.startsWith("-")) {
            log().warning("MASTER aborted replication with an error: " + line.substring(1));
            cancelHandshake();
            return false;
        }
        if (!line.startsWith("$")) {
            log().warning("Bad protocol from MASTER, the first byte is not '$' (we received '" + line
                    + "'), are you sure the host and port are right?");
            cancelHandshake();
            return false;
        }
        boolean diskless = useDisklessLoad();
        Path temp = diskless ? null
                : server.config().dir.resolve("temp-" + server.nowMs() / 1000 + "." + ProcessHandle.current().pid() + ".rdb");
        PayloadFeed feed = diskless ? new PayloadFeed(resumeReadingAfterLoader()) : null;
        try {
            transfer = RdbTransfer.start(line, temp, feed);
        } catch (IllegalArgumentException e) {
            log().warning("Bad protocol from MASTER, the first byte is not '$' (we received '" + line + "')");
            cancelHandshake();
            return false;
        }
        String to = diskless ? "to parser" : "to disk";
        log().notice(transfer.usesMark()
                ? "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF " + to
                : "MASTER <-> REPLICA sync: receiving " + transfer.size() + " bytes from master " + to);
        if (diskless) {
            startDisklessLoad(feed, transfer.usesMark());
        }
        return true;
    }

    /**
     * Redis's replicationAttachToNewMaster, once a full sync's payload is about to replace the
     * data: the cached master goes (a transfer that failed left it, for a PSYNC to the primary it
     * came from), and this server's replicas must resynchronize.
     */
    private void attachToNewMaster() {
        cachedReplId = null; // Redis's replicationDiscardCachedMaster
        server.replication().disconnectReplicas();
    }

    /** Redis's useDisklessLoad: with swapdb always, with on-empty-db when no database holds a key. */
    private boolean useDisklessLoad() {
        String mode = server.config().replDisklessLoad.value();
        if (mode.equals("swapdb")) {
            return true;
        }
        if (!mode.equals("on-empty-db")) {
            return false;
        }
        for (int i = 0; i < server.databaseCount(); i++) {
            if (server.database(i).size() > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A diskless load (Redis's readSyncBulkPayload with use_diskless_load) is under way from the
     * payload's first byte: the server is loading. With swapdb the old data stays until the
     * payload has loaded, and is still served meanwhile when the primary continues the history
     * this replica already has (async loading, same replication ID); otherwise it goes now. As
     * Redis's, the payload is parsed as it arrives, on a thread of its own that reads {@code feed}
     * (Redis blocks its main thread instead): the executor goes on serving clients meanwhile.
     */
    private void startDisklessLoad(PayloadFeed feed, boolean usedMark) {
        swapdb = server.config().replDisklessLoad.value().equals("swapdb");
        if (!swapdb) {
            attachToNewMaster();
            log().notice("MASTER <-> REPLICA sync: Flushing old data");
            countLazyFlush();
            server.snapshots().loader().emptyData();
        }
        log().notice("MASTER <-> REPLICA sync: Loading DB in memory");
        server.snapshots().loader().startLoading(swapdb && masterReplId.equals(server.replId()));
        disklessFeed = feed;
        disklessUsedMark = usedMark;
        disklessPayloadLength = -1;
        int gen = generation;
        Thread loader = new Thread(CpuAffinity.pinned(server.config().serverCpulist.value(), log(), () -> {
            Object outcome;
            try {
                outcome = server.snapshots().loader().readPayload(feed);
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                outcome = e;
            }
            Object result = outcome;
            server.executor().execute(() -> disklessLoadDone(gen, feed, result));
        }), "respire-diskless-load"); // Redis loads on its main thread
        loader.setDaemon(true);
        loader.start();
    }

    /** Told by the feed (on the loader's thread) that it took most of what waited: the socket is read again. */
    private Runnable resumeReadingAfterLoader() {
        int gen = generation;
        return () -> server.executor().execute(() -> {
            if (gen == generation && transfer != null) {
                pauseReading(false);
                drive();
            }
        });
    }

    /** The payload has arrived whole; the loader finishes it while the stream after it waits in {@link #in}. */
    private void awaitDisklessLoad() {
        disklessPayloadLength = transfer.payloadLength();
        transfer = null;
        loading = true;
    }

    /**
     * The loader is done (on the executor): what it read replaces the dataset, or the load failed
     * and changes nothing (with swapdb) or leaves the databases empty. A load whose link was lost
     * meanwhile was already given up ({@link #cancelHandshake}).
     */
    private void disklessLoadDone(int gen, PayloadFeed feed, Object outcome) {
        if (gen != generation || feed != disklessFeed) {
            return;
        }
        disklessFeed = null;
        loading = false;
        pauseReading(false);
        if (outcome instanceof DatasetLoader.Loaded l && (transfer != null || l.length() != disklessPayloadLength)) {
            outcome = new IOException("the payload goes on after its RDB's end"); // a $<length> longer than the RDB
        }
        if (!(outcome instanceof DatasetLoader.Loaded loaded)) {
            Throwable error = (Throwable) outcome;
            abortDisklessLoad(error.getMessage() == null ? error.toString() : error.getMessage());
            if (transfer != null) { // the payload was not the cause: cancelHandshake would report it cut short
                transfer.close();
                transfer = null;
            }
            cancelHandshake();
            return;
        }
        try {
            server.snapshots().loader().applyPayload(loaded, () -> {
                if (swapdb) {
                    attachToNewMaster();
                    log().notice("MASTER <-> REPLICA sync: Swapping active DB with loaded DB");
                }
            });
        } catch (RuntimeException e) {
            abortDisklessLoad(e.getMessage());
            cancelHandshake();
            return;
        }
        if (swapdb) {
            log().notice("MASTER <-> REPLICA sync: Discarding old DB in background");
        }
        server.addDirty(1); // the new data was not saved
        server.snapshots().loader().stopLoading();
        syncCompleted(disklessUsedMark);
        drive(); // the stream that arrived meanwhile
    }

    /**
     * A diskless load that will not complete: the server stops loading; with swapdb the old data
     * stays as it was, otherwise what was loaded goes (Redis's emptyData after a failed load).
     */
    private void abortDisklessLoad(String reason) {
        log().warning("Failed trying to load the MASTER synchronization DB from socket: " + reason);
        server.snapshots().loader().stopLoading();
        if (swapdb) {
            log().notice("MASTER <-> REPLICA sync: Discarding temporary DB in background");
        } else {
            server.snapshots().loader().emptyData();
        }
    }

    /**
     * The payload is complete (Redis's readSyncBulkPayload, its end): the file becomes dbfilename,
     * the dataset is replaced by it, this server's replicas must resynchronize, and the stream
     * starts at the primary's offset.
     */
    private void loadPayload() throws IOException {
        boolean usedMark = transfer.usesMark();
        Path temp = transfer.finish();
        transfer = null;
        Path target = server.config().dir.resolve(server.config().dbfilename.value());
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        attachToNewMaster();
        log().notice("MASTER <-> REPLICA sync: Flushing old data");
        countLazyFlush();
        log().notice("MASTER <-> REPLICA sync: Loading DB in memory");
        loading = true;
        try {
            server.snapshots().loader().load(target, true);
        } catch (IOException | RuntimeException e) {
            log().warning("Failed trying to load the MASTER synchronization DB from disk, check server logs.");
            cancelHandshake();
            return;
        } finally {
            loading = false;
        }
        if (server.config().rdbDelSyncFiles.value() && !server.snapshots().savePointsSet()
                && !server.config().appendonly.value()) {
            // Redis's allPersistenceDisabled: nothing will ever read the file again.
            log().notice("Removing the RDB file obtained from the master. This replica has persistence disabled");
            Files.deleteIfExists(target);
        }
        syncCompleted(usedMark);
    }

    /**
     * replica-lazy-flush: the old data is flushed asynchronously (Redis's EMPTYDB_ASYNC), which
     * INFO counts in lazyfreed_objects, a key each; the JVM frees it either way once unreferenced.
     */
    private void countLazyFlush() {
        if (server.config().replicaLazyFlush.value()) {
            for (int i = 0; i < server.databaseCount(); i++) {
                server.stats().lazyfreedObjects += server.database(i).size();
            }
        }
    }

    /** The dataset is the primary's: its stream follows, from the offset of +FULLRESYNC. */
    private void syncCompleted(boolean usedMark) {
        server.adoptReplicationId(masterReplId, true);
        attachMaster(masterInitialOffset, true);
        int streamDb = server.snapshots().loader().replStreamDb();
        if (streamDb >= 0 && streamDb < server.databaseCount()) {
            master.select(streamDb); // the payload's repl-stream-db: the stream may not select it again
        }
        log().notice("MASTER <-> REPLICA sync: Finished with success");
        if (usedMark) {
            sendAck(); // a diskless primary starts the stream once the replica acknowledges
        }
    }

    /** Redis's replicationCreateMasterClient / replicationResurrectCachedMaster. */
    private void attachMaster(long offset, boolean newHistory) {
        reploff = offset;
        readReploff = offset;
        server.replication().continueAt(offset, newHistory);
        parser = new StreamParser();
        int gen = generation;
        Channel ch = channel;
        master = Client.master(server, ch, () -> server.executor().execute(() -> {
            if (gen == generation) {
                processPending();
            }
        }));
        state = State.CONNECTED;
        lastIoMs = server.nowMs();
    }

    /** The stream: whole commands are read off {@link #in}, then run. */
    private void stream() {
        StreamParser.Command command;
        while (pending.size() < HOLD_LIMIT && (command = parser.next(in)) != null) {
            readReploff += command.raw().length;
            pending.add(command);
        }
        pauseReading(pending.size() >= HOLD_LIMIT);
        processPending();
    }

    /** Back-pressure: a master client held by CLIENT PAUSE stops the reading of its socket. */
    private void pauseReading(boolean pause) {
        if (pause != readingPaused && channel != null) {
            readingPaused = pause;
            channel.config().setAutoRead(!pause);
        }
    }

    /**
     * Runs the commands read, in order, as the master client, until it blocks (a pause). While a
     * script runs long (and serves others meanwhile), the stream waits, as Redis's does.
     */
    private void processPending() {
        if (server.scripting().timedOut()) {
            int gen = generation;
            server.executor().schedule(() -> {
                if (gen == generation) {
                    processPending();
                }
            }, 10, java.util.concurrent.TimeUnit.MILLISECONDS);
            return;
        }
        CommandDispatcher dispatcher = server.dispatcher();
        while (master != null && !master.closed() && !master.blocked() && !pending.isEmpty()) {
            StreamParser.Command command = pending.peekFirst();
            if (dispatcher.process(master, command.argv(), false) == CommandDispatcher.Outcome.WAIT) {
                break; // paused: runs again when the client is unblocked
            }
            pending.pollFirst();
            master.discardOutput();
            applied(command.raw());
        }
        if (readingPaused && pending.size() < HOLD_LIMIT / 2) {
            pauseReading(false);
            if (in.isReadable() && master != null) {
                stream();
            }
        }
    }

    /**
     * A command ran: outside a transaction its bytes (and those of the transaction it ended) count
     * in the offset and go on to this server's replicas (Redis's commandProcessed).
     */
    private void applied(byte[] raw) {
        unapplied.add(raw);
        if (master.multi().active()) {
            return;
        }
        for (byte[] bytes : unapplied) {
            reploff += bytes.length;
            server.replication().proxy(bytes);
        }
        unapplied.clear();
    }

    /** Redis's replicationCacheMaster: what a PSYNC continues from, and the database the stream is in. */
    private void cacheMaster() {
        cachedReplId = server.replId();
        cachedOffset = reploff;
        cachedDb = master.dbIndex();
    }

    /** Redis's replicationSendAck: REPLCONF ACK with the offset processed. */
    public void sendAck() {
        if (master != null && channel != null) {
            send("REPLCONF", "ACK", Long.toString(reploff));
        }
    }

    // ---- Losing the link

    /** The channel of {@code gen} closed (MasterLinkHandler). */
    void closed(int gen) {
        if (gen == generation) {
            linkLost();
        }
    }

    /**
     * Redis's freeClient of the master / cancelReplicationHandshake: a connected link keeps what
     * PSYNC needs to continue and reconnects at once; a link lost earlier is retried by the cron.
     */
    private void linkLost() {
        if (state == State.CONNECTED) {
            log().notice("Connection with master lost.");
            log().notice("Caching the disconnected master state.");
            cacheMaster();
            dropMaster();
            state = State.CONNECT;
            downSinceMs = server.nowMs();
            if (host != null) {
                log().notice("Reconnecting to MASTER " + host + ":" + port);
                connect();
            }
            return;
        }
        abandon();
    }

    /** Closes the link of a failed handshake or transfer: the cron connects again (state CONNECT). */
    private void abandon() {
        cancelHandshake();
    }

    /** Redis's cancelReplicationHandshake without reconnection, and undoConnectWithMaster. */
    private void cancelHandshake() {
        if (transfer != null) {
            if (transfer.diskless()) {
                // The payload ends short, as Redis's loader reading from the socket reports it.
                log().warning("Internal error in RDB reading offset " + transfer.read() + " -> Unexpected EOF reading "
                        + "RDB file. Failure loading rdb format from socket, assuming connection error, resuming operation.");
            }
            transfer.close(); // a diskless load's feed fails its loader's next read
            transfer = null;
        }
        if (disklessFeed != null) { // received or not, the load is given up: its outcome will be ignored
            disklessFeed.abandon("the link to the master was lost");
            disklessFeed = null;
            loading = false;
            abortDisklessLoad("the link to the master was lost");
        }
        if (state != State.CONNECTED) {
            closeChannel();
            awaiting.clear();
            state = host == null ? State.NONE : State.CONNECT;
        }
    }

    /** Frees the master client and its channel (Redis's freeClient(server.master)). */
    private void dropMaster() {
        if (master != null) {
            Client old = master;
            master = null;
            old.close();
        }
        pending.clear();
        unapplied.clear();
        closeChannel();
        if (state == State.CONNECTED) {
            state = host == null ? State.NONE : State.CONNECT;
        }
    }

    private void closeChannel() {
        generation++;
        readingPaused = false;
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    // ---- Cron

    /**
     * Redis's replicationCron, replica part, once a second: timeouts of the handshake, the transfer
     * and the connected link (repl-timeout), a new attempt while disconnected, and the ACK.
     */
    public void cron() {
        if (host == null) {
            return;
        }
        long now = server.nowMs();
        long timeoutMs = server.config().replTimeout.value() * 1000;
        if ((state == State.CONNECTING || state == State.HANDSHAKE) && now - lastIoMs > timeoutMs) {
            log().warning("Timeout connecting to the MASTER...");
            cancelHandshake();
        }
        if (disklessFeed != null && (loading || readingPaused)) {
            lastIoMs = now; // the loader's turn, not the primary's silence (Redis's loader reads as it parses)
        }
        if (state == State.TRANSFER && now - lastIoMs > timeoutMs) {
            log().warning("Timeout receiving bulk data from MASTER... If the problem persists try to set the "
                    + "'repl-timeout' parameter in redis.conf to a larger value.");
            cancelHandshake();
        }
        if (state == State.CONNECTED && now - lastIoMs > timeoutMs) {
            log().warning("MASTER timeout: no data nor PING received...");
            linkLost();
        }
        if (state == State.CONNECT) {
            log().notice("Connecting to MASTER " + host + ":" + port);
            connect();
        }
        sendAck();
    }
}
