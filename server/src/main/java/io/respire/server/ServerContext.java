package io.respire.server;

import io.netty.util.concurrent.EventExecutor;
import io.respire.ds.keyspace.Database;
import io.respire.ds.list.PackedThreshold;
import io.respire.protocol.DecoderLimits;
import io.respire.server.acl.Acl;
import io.respire.server.blocking.BlockingKeys;
import io.respire.server.command.CommandTable;
import io.respire.server.config.ServerConfig;
import io.respire.server.keyspace.KeyEvent;
import io.respire.server.keyspace.KeyspaceListener;
import io.respire.server.keyspace.KeyspaceListeners;
import io.respire.server.multi.WatchedKeys;
import io.respire.server.pubsub.KeyspaceNotifications;
import io.respire.server.pubsub.PubSub;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The state of one server instance, Redis's {@code struct redisServer}: configuration, databases,
 * connected clients, statistics and the command table. One executor thread owns it; commands reach
 * it through {@link Client#server()}. There is no static mutable state, so several servers can run
 * in one JVM.
 */
public final class ServerContext {
    private static final KeyEvent EXPIRED = KeyEvent.of("expired");
    private static final KeyEvent NEW = KeyEvent.of("new");
    private final ServerConfig config;
    private final ServerLog log;
    private final CommandTable commands;
    private final Database[] databases;
    private final Map<Long, Client> clients = new LinkedHashMap<>();
    private final Stats stats = new Stats();
    private final DecoderLimits decoderLimits = new DecoderLimits();
    private final Clock clock = Clock.systemUTC();
    private final SplittableRandom random = new SplittableRandom();
    private final long startMs = System.currentTimeMillis();
    private final String runId;
    private EventExecutor executor;
    private long nextClientId = 1;
    private int boundPort;
    private java.util.function.IntPredicate shutdownHook = flags -> false;
    private boolean activeExpireEnabled = true;
    private boolean cronPaused;
    private final PackedThreshold quicklistPackedThreshold = new PackedThreshold();
    private long dirty;
    /**
     * The server's own structures in used_memory, before any data or client: a fixed allowance the
     * size of Redis 7.0's used_memory_startup, since what the JVM holds for the server itself is not
     * Redis's to compare and is not what maxmemory is meant to bound.
     */
    public static final long STARTUP_MEMORY = 876_000;
    /** The clients' buffers as last sampled (see {@link #sampleClientsMemory}). */
    private long clientsMemory;
    private long lastSaveMs = startMs;
    private String replId = randomHex();
    private String replId2 = NO_REPL_ID;
    /** The offset up to which replId2 is valid (Redis's second_replid_offset), -1 without one. */
    private long secondReplOffset = -1;
    private static final String NO_REPL_ID = "0000000000000000000000000000000000000000";
    private int blockedClients;
    /** MONITOR clients, fed every command run (Redis's server.monitors). */
    private final List<Client> monitors = new ArrayList<>();
    /** CLIENT PAUSE: the kind in force and until when (Redis's client_pause_type / end_time). */
    private PauseType pauseType = PauseType.OFF;
    private long pauseEndMs;
    /** Writes held beside CLIENT PAUSE's, for as long as a shutdown or a failover needs (Redis's pause purposes). */
    private final java.util.EnumSet<WritePause> writePauses = java.util.EnumSet.noneOf(WritePause.class);
    private final ShutdownSequence shutdownSequence = new ShutdownSequence(this);
    /** Clients whose command waits for the pause to end (Redis's postponed_clients). */
    private final Set<Client> postponed = new LinkedHashSet<>();
    /** WATCHed keys, told of every change to a key. */
    private final WatchedKeys watchedKeys = new WatchedKeys(this);
    /** Connections with replies to write at the end of the turn (Redis's clients_pending_write). */
    private final PendingWrites pendingWrites = new PendingWrites(this);
    /** Clients blocked on keys (BLPOP...), and the keys signalled ready for them. */
    private final BlockingKeys blockingKeys = new BlockingKeys(this);
    /** The write gate's listeners, told of every change in this order (WATCH first, as Redis's signalModifiedKey). */
    private final KeyspaceListeners keyspaceListeners = new KeyspaceListeners();
    /** Pub/sub channels, patterns and shard channels with their subscribers. */
    private final PubSub pubSub = new PubSub();
    /** Client-side caching: the keys clients may cache, and their invalidation. */
    private final io.respire.server.tracking.Tracking tracking = new io.respire.server.tracking.Tracking(this);
    /** The client whose command runs now (Redis's server.current_client), null between commands. */
    private Client currentClient;
    private CommandDispatcher dispatcher;
    /** The stream of write effects the AOF and replicas consume. */
    private final io.respire.server.replication.Propagation propagation = new io.respire.server.replication.Propagation();
    /** The replicas attached with SYNC/PSYNC, fed from {@link #propagation}. */
    private final io.respire.server.replication.ReplicationPrimary replication = new io.respire.server.replication.ReplicationPrimary(this);
    /** The replica side: the link to the primary REPLICAOF names (inactive on a primary). */
    private final io.respire.server.replication.MasterLink masterLink = new io.respire.server.replication.MasterLink(this);
    /** FAILOVER's coordination (Redis's failover_state). */
    private final io.respire.server.replication.Failover failover = new io.respire.server.replication.Failover(this);
    /** Makes outgoing connections on the I/O threads (the replica's link to its primary). */
    private java.util.function.Supplier<io.netty.bootstrap.Bootstrap> outgoing;
    /** The stand-ins of fork children that background saves and rewrites run with. */
    private final io.respire.server.persistence.ChildProcesses children = new io.respire.server.persistence.ChildProcesses(this);
    /** RDB snapshots: SAVE, BGSAVE, save points, loading. */
    private final io.respire.server.persistence.Snapshots snapshots = new io.respire.server.persistence.Snapshots(this);
    /** The append-only file: a consumer of {@link #propagation} while appendonly is on. */
    private final io.respire.server.persistence.aof.AppendOnlyFile aof = new io.respire.server.persistence.aof.AppendOnlyFile(this);
    private final io.respire.server.persistence.MigrationLinks migrationLinks = new io.respire.server.persistence.MigrationLinks();
    /** The slow log, the latency monitor and the per-command latency histograms. */
    private final io.respire.server.observability.Observability observability;
    /** maxmemory: evicts keys as the policy says when the data grows past it. */
    private final io.respire.server.keyspace.Eviction eviction = new io.respire.server.keyspace.Eviction(this);
    /** Lua scripts and functions: their engines, and the script running now. */
    private final io.respire.server.scripting.Scripting scripting;
    /** While a script runs, the time it started at: Redis's scripts see the time stand still. */
    private long frozenNowMs = -1;
    /** The time the running top-level command started, or -1 between commands (see {@link #commandStarted}). */
    private long commandTimeMs = -1;
    /** Serves the network while a long script runs (Redis's processEventsWhileBlocked); may be null. */
    private Runnable eventPump;
    /** Whether {@link #eventPump} is serving the network now (depth, should a pump ever nest). */
    private int pumping;
    /**
     * Connections that closed while the pump served them. Netty tells a handler of a close only
     * from a task of the loop (channelInactive), and a loop blocked in a load or a long script runs
     * none, so the pump frees these clients itself, as Redis's processEventsWhileBlocked does.
     */
    private final java.util.ArrayDeque<ConnectionHandler> closedWhilePumping = new java.util.ArrayDeque<>();
    /** ACL users, their permissions, and the log of denials. */
    private final Acl acl;
    private final OomScore oomScore = new OomScore(this);
    private final Watchdog watchdog = new Watchdog(this);
    /** The cron's frequency now: hz, raised with many clients under dynamic-hz (Redis's server.hz). */
    private int hz;

    /** What CLIENT PAUSE holds back: nothing, commands that write (or may replicate), or all. */
    public enum PauseType { OFF, WRITE, ALL }

    ServerContext(ServerConfig config, CommandTable commands) {
        this.config = config;
        config.hz.onChange(o -> updateHz()); // Redis's updateHZ: at once, not at the next tick
        this.log = new ServerLog(config);
        this.commands = commands;
        this.databases = new Database[config.databases.intValue()];
        for (int i = 0; i < databases.length; i++) {
            databases[i] = new Database(i);
            databases[i].expiryListener((db, key) -> {
                stats.expiredKeys++;
                notifyOnly(db, key, EXPIRED); // before signalling, as Redis's deleteExpiredKeyAndPropagate
                propagateDeletion(db, key, config.lazyfreeLazyExpire.value());
                watchedKeys.touch(db, key);
                blockingKeys.signal(db, key); // an XREADGROUP blocked on an expired stream is told (dbGenericDelete)
            });
            databases[i].additionListener((db, key) -> notifyOnly(db, key, NEW));
            databases[i].expandPolicy(bytes -> !overMaxmemoryAfter(bytes));
        }
        this.runId = randomHex();
        decoderLimits.protoMaxBulkLen(config.protoMaxBulkLen.value());
        decoderLimits.clientQueryBufferLimit(config.clientQueryBufferLimit.value());
        config.protoMaxBulkLen.onChange(o -> decoderLimits.protoMaxBulkLen(config.protoMaxBulkLen.value()));
        config.clientQueryBufferLimit.onChange(o -> decoderLimits.clientQueryBufferLimit(config.clientQueryBufferLimit.value()));
        this.acl = new Acl(commands, config.aclPubsubDefault::intValue);
        acl.defaultPassword(config.requirepass.value());
        config.requirepass.onChange(o -> acl.defaultPassword(config.requirepass.value()));
        config.aclUsers(() -> acl.users().stream().map(acl::describe).toList());
        acl.onChannelsRevoked(this::closeDeniedSubscribers);
        this.scripting = new io.respire.server.scripting.Scripting(this);
        this.observability = new io.respire.server.observability.Observability(this);
        keyspaceListeners.add(watchedKeys);
        keyspaceListeners.add(blockingKeys);
        keyspaceListeners.add(new KeyspaceNotifications(config.notifyKeyspaceEvents, pubSub));
        keyspaceListeners.add(tracking);
        config.maxmemoryPolicy.onChange(o -> updateAccessClock());
        keyspaceListeners.add(masterLink.writableKeysListener());
    }

    public Acl acl() {
        return acl;
    }

    /**
     * Redis's ACLLoadUsersAtStartup: the config file's "user" lines, or the aclfile's users (not
     * both). Returns the log lines of a failure, or null.
     */
    String loadUsersAtStartup() {
        if (aclFile() != null && !config.userLines().isEmpty()) {
            return "Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is "
                    + "invalid. This setup is very likely to lead to configuration errors and security holes, please "
                    + "define either an ACL file or declare users directly in your redis.conf, but not both.";
        }
        String error = loadConfiguredUsers();
        if (error != null) {
            return error + "\nCritical error while loading ACLs. Exiting.";
        }
        if (aclFile() != null) {
            Acl.Loaded loaded = loadAclFile(null);
            if (loaded.errors() != null) {
                return "Aborting Redis startup because of ACL errors: " + loaded.errors();
            }
        }
        return null;
    }

    /** The aclfile setting, resolved against dir as Redis's chdir would; null if not set. */
    public java.nio.file.Path aclFile() {
        String file = config.aclfile.value();
        return file.isEmpty() ? null : config.dir.resolve(file);
    }

    /**
     * ACL LOAD: the aclfile's users replace all users, or nothing changes; the connections of the
     * replaced users are closed, {@code current}'s after its reply.
     */
    public Acl.Loaded loadAclFile(Client current) {
        java.nio.file.Path file = aclFile();
        List<String> lines;
        try {
            lines = List.of(new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .split("\n", -1));
        } catch (java.io.IOException e) {
            return new Acl.Loaded("Error loading ACLs, opening file '" + config.aclfile.value() + "': "
                    + ioReason(e), List.of());
        }
        Acl.Loaded loaded = acl.load(lines, config.aclfile.value());
        for (io.respire.server.acl.User gone : loaded.replaced()) {
            killClientsOf(gone, current);
        }
        return loaded;
    }

    /** strerror's wording for the usual failures to open a file. */
    private static String ioReason(java.io.IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return String.valueOf(e.getMessage());
    }

    /**
     * Creates the users of the config file's "user" lines (Redis's ACLLoadConfiguredUsers): a
     * "user default" line starts the default user afresh. Returns why a line fails, or null.
     */
    private String loadConfiguredUsers() {
        for (List<String> line : config.userLines()) {
            String name = line.get(0);
            List<String> rules = line.subList(1, line.size());
            if (name.equals(Acl.DEFAULT_USER)) {
                acl.setUser(name, List.of("reset"));
            }
            String error = acl.setUser(name, rules);
            if (error != null) {
                return "Error loading ACL rules for the user named '" + name + "': " + error;
            }
            if (!acl.user(name).enabled()) {
                log.notice("The user '" + name + "' is disabled (there is no 'on' modifier in the user "
                        + "description). Make sure this is not a configuration error.");
            }
        }
        return null;
    }

    /**
     * Records a denial in the ACL log (Redis's addACLLogEntry): {@code object} is the command, key,
     * channel or the AUTH command's name; a script's denial shows its caller's client.
     */
    public void aclDenied(Client c, Acl.Reason reason, String context, String object, String username) {
        Client real = c.detached() && scripting.caller() != null ? scripting.caller() : c;
        acl.log().add(reason.logName(), context, object, username, clock.millis(),
                io.respire.server.commands.ClientInfo.line(real, real), config.acllogMaxLen.value());
    }

    /**
     * Closes the connections authenticated as {@code user} (a deleted user's): they fall back to
     * the unauthenticated default user first, and the current one closes after its reply.
     */
    public int killClientsOf(io.respire.server.acl.User user, Client current) {
        int killed = 0;
        for (Client other : new ArrayList<>(clients.values())) {
            if (other.user() != user) {
                continue;
            }
            other.deauthenticate();
            if (other == current) {
                other.closeAfterReply();
            } else {
                other.close();
            }
            killed++;
        }
        return killed;
    }

    /**
     * Redis's ACLKillPubsubClientsIfNeeded: once ACL SETUSER takes channels away from {@code user},
     * its subscribers to a channel or pattern it may no longer use are closed (the client running
     * the command after its reply).
     */
    private void closeDeniedSubscribers(io.respire.server.acl.User user) {
        for (Client other : new ArrayList<>(clients.values())) {
            if (other.user() != user || !other.hasSubscriptions() || !other.subscriptions().anyDeniedTo(user)) {
                continue;
            }
            if (other == currentClient) {
                other.closeAfterReply();
            } else {
                other.close();
            }
        }
    }

    /**
     * Like Redis's cached server.lruclock: what keys created from now on record as their last
     * access (the cron refreshes it; a change of maxmemory-policy at once, since LRU and LFU read
     * the field differently).
     */
    public void updateAccessClock() {
        int lru = io.respire.server.keyspace.KeyAccess.initial(this, nowMs());
        for (Database db : databases) {
            db.newKeyLru(lru);
        }
    }

    public io.respire.server.keyspace.Eviction eviction() {
        return eviction;
    }

    public io.respire.server.observability.Observability observability() {
        return observability;
    }

    public ServerLog log() {
        return log;
    }

    /**
     * Whether a background save or AOF rewrite runs (Redis's hasActiveChildProcess): the key
     * tables then hold off resizing, which would allocate a second table while the job holds
     * memory of its own.
     */
    public boolean backgroundJobRunning() {
        return snapshots.backgroundSaveRunning() || aof.rewriteRunning();
    }

    public io.respire.server.persistence.ChildProcesses children() {
        return children;
    }

    public io.respire.server.persistence.Snapshots snapshots() {
        return snapshots;
    }

    /** MIGRATE's cached connections to other servers. */
    public io.respire.server.persistence.aof.AppendOnlyFile aof() {
        return aof;
    }

    public io.respire.server.persistence.MigrationLinks migrationLinks() {
        return migrationLinks;
    }

    public ServerConfig config() {
        return config;
    }

    public CommandTable commands() {
        return commands;
    }

    public Database database(int index) {
        return databases[index];
    }

    public int databaseCount() {
        return databases.length;
    }

    public Stats stats() {
        return stats;
    }

    public DecoderLimits decoderLimits() {
        return decoderLimits;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Milliseconds since the epoch: the time expiry compares against. While a script runs it is
     * the time the script started (Redis's scriptTimeSnapshot), so a key cannot expire halfway
     * through a script; while a command runs, the time it started (see {@link #commandStarted}).
     */
    public long nowMs() {
        if (frozenNowMs >= 0) {
            return frozenNowMs;
        }
        return commandTimeMs >= 0 ? commandTimeMs : clock.millis();
    }

    /**
     * A top-level command starts: {@link #nowMs} stays at this time until {@link #commandEnded},
     * as Redis's call() caches server.mstime for the command (fixed_time_expire), so that a key
     * does not expire halfway through it, and the clock is read once rather than at each lookup.
     * Returns false, changing nothing, when a command is already running.
     */
    public boolean commandStarted() {
        if (commandTimeMs >= 0) {
            return false;
        }
        commandTimeMs = clock.millis();
        return true;
    }

    public void commandEnded() {
        commandTimeMs = -1;
    }

    /** Makes {@link #nowMs} stand still at the current time, until {@link #unfreezeTime}. */
    public void freezeTime() {
        frozenNowMs = clock.millis();
    }

    public void unfreezeTime() {
        frozenNowMs = -1;
    }

    public io.respire.server.scripting.Scripting scripting() {
        return scripting;
    }

    /**
     * Reads and answers the other clients once, without running queued tasks but writing the
     * pending replies (Redis's processEventsWhileBlocked, whose beforeSleep writes them): called
     * by a script that runs past busy-reply-threshold and by the loading of the dataset, on the
     * executor thread. Then frees the clients whose connections
     * closed meanwhile, as Redis's beforeSleep does while blocked (freeClientsInAsyncFreeQueue),
     * once no handler runs. Does nothing where no pump is installed.
     */
    public void processEventsWhileBlocked() {
        if (eventPump == null) {
            return;
        }
        pumping++;
        long outerCommandTime = commandTimeMs; // what the pump serves keeps its own time
        commandTimeMs = -1;
        try {
            pendingWrites.writeAll(); // the replies made before the block, then the pumped clients'
            eventPump.run();
            pendingWrites.writeAll();
        } finally {
            pumping--;
            commandTimeMs = outerCommandTime;
        }
        for (ConnectionHandler closed = closedWhilePumping.poll(); closed != null; closed = closedWhilePumping.poll()) {
            closed.freeUnlessProtected();
        }
    }

    /**
     * A connection whose requests run on the executor's own loop closed (on the executor thread):
     * while the pump serves it, its client is freed when the pump is done; otherwise Netty's
     * channelInactive comes soon enough.
     */
    void connectionClosed(ConnectionHandler connection) {
        if (pumping > 0) {
            closedWhilePumping.add(connection);
        }
    }

    void eventPump(Runnable pump) {
        this.eventPump = pump;
    }

    public SplittableRandom random() {
        return random;
    }

    public long startMs() {
        return startMs;
    }

    public String runId() {
        return runId;
    }

    public int port() {
        return boundPort;
    }

    void port(int port) {
        this.boundPort = port;
    }

    /** The single thread that runs commands and owns the data. */
    public EventExecutor executor() {
        return executor;
    }

    void executor(EventExecutor executor) {
        this.executor = executor;
        // Redis's updateDictResizePolicy: every table this executor changes holds off resizing
        // while a background job runs (see BucketTables#resizeAllowed).
        executor.execute(() -> io.respire.ds.util.BucketTables.resizePolicy(() -> !backgroundJobRunning()));
    }

    Client connect(io.netty.channel.Channel channel, Client.Connection connection) {
        Client c = new Client(this, channel, connection, nextClientId++);
        clients.put(c.id(), c);
        stats.totalConnectionsReceived++;
        return c;
    }

    /**
     * Forgets a client that is gone (Redis's freeClient bookkeeping); safe to call twice. A feature
     * that tracks clients (subscriptions, blocking keys, tracking) must let go of it here.
     */
    void disconnect(Client c) {
        if (c.closed()) {
            return;
        }
        c.markClosed();
        clients.remove(c.id());
        clientsMemory -= c.swapAccountedBytes(0); // its buffers are freed now, not at the next sample
        c.cancelBlock();
        c.discardTransaction();
        pubSub.forget(c);
        tracking.disable(c);
        if (c.monitor()) {
            removeMonitor(c);
        }
        replication.disconnected(c);
        scripting.disconnected(c);
    }

    public Collection<Client> clients() {
        return clients.values();
    }

    public Client client(long id) {
        return clients.get(id);
    }

    private static final byte[] IPV6_LOOPBACK = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    /**
     * Whether a peer is on this host (Redis's connIsLocal): a loopback TCP address, or a unix socket
     * peer, which the epoll transport may leave without an address.
     */
    public static boolean isLoopback(java.net.SocketAddress address) {
        if (address == null || address instanceof io.netty.channel.unix.DomainSocketAddress
                || address instanceof java.net.UnixDomainSocketAddress) {
            return true;
        }
        // Redis's islocalClient compares the peer's text with "127.0.0.1" and "::1": 127.0.0.2 is not local.
        if (!(address instanceof java.net.InetSocketAddress inet) || inet.getAddress() == null) {
            return false;
        }
        byte[] ip = inet.getAddress().getAddress();
        return ip.length == 4 ? ip[0] == 127 && ip[1] == 0 && ip[2] == 0 && ip[3] == 1
                : java.util.Arrays.equals(ip, IPV6_LOOPBACK);
    }

    /** Clients whose requests wait (Redis's blocked_clients: paused commands, BLPOP...). */
    public int blockedClients() {
        return blockedClients;
    }

    void blockedClients(int delta) {
        blockedClients += delta;
    }

    // ---- MONITOR

    /** Makes {@code c} a monitor (MONITOR); it then receives every command run. */
    public void addMonitor(Client c) {
        if (!c.monitor()) {
            c.monitor(true);
            monitors.add(c);
        }
    }

    public void removeMonitor(Client c) {
        c.monitor(false);
        monitors.remove(c);
    }

    List<Client> monitors() {
        return monitors;
    }

    // ---- CLIENT PAUSE

    /**
     * Holds back commands until {@code endMs} (Redis's pauseClients): all of them, or only those
     * that write or may replicate. A pause in force is extended, never shortened, and its kind
     * only becomes stricter. When it ends, the held clients run.
     */
    public void pauseClients(long endMs, PauseType type) {
        if (pauseType == PauseType.OFF) {
            pauseType = type;
            pauseEndMs = endMs;
        } else {
            pauseType = type.compareTo(pauseType) > 0 ? type : pauseType;
            pauseEndMs = Math.max(pauseEndMs, endMs);
        }
        long delay = pauseEndMs - nowMs();
        if (delay < 0) {
            unpauseClients();
        } else {
            executor.schedule(() -> {
                clientsPaused(); // ends the pause if its time has come
            }, delay + 1, TimeUnit.MILLISECONDS);
        }
    }

    /** CLIENT UNPAUSE: ends the pause; held clients run again (and may be held again). */
    public void unpauseClients() {
        pauseType = PauseType.OFF;
        pauseEndMs = 0;
        releasePostponed();
    }

    /** Why writes are held other than by CLIENT PAUSE (Redis's PAUSE_DURING_SHUTDOWN and PAUSE_DURING_FAILOVER). */
    public enum WritePause { SHUTDOWN, FAILOVER }

    /** A pause of writes for {@code purpose}, on or off; CLIENT UNPAUSE leaves it. */
    public void pauseWrites(WritePause purpose, boolean on) {
        if (on) {
            writePauses.add(purpose);
        } else if (writePauses.remove(purpose)) {
            releasePostponed();
        }
    }

    /** Held clients run again (and are held again by a pause still in force). */
    private void releasePostponed() {
        List<Client> waiting = new ArrayList<>(postponed);
        postponed.clear();
        for (Client c : waiting) {
            c.unblock();
        }
    }

    /**
     * Whether a pause is in force, ending it first if its time has come (Redis's
     * checkClientPauseTimeoutAndReturnIfPaused). Expiry is also held back while paused.
     */
    public boolean clientsPaused() {
        if (pauseType != PauseType.OFF && pauseEndMs < nowMs()) {
            unpauseClients();
        }
        return pauseType != PauseType.OFF || !writePauses.isEmpty();
    }

    /** Whether the pause holds back a command with these traits (Redis's processCommand check). */
    boolean pauseHolds(boolean writesOrMayReplicate) {
        return clientsPaused() && (pauseType == PauseType.ALL || writesOrMayReplicate);
    }

    /** Blocks {@code c} until the pause ends (Redis's blockClient(BLOCKED_POSTPONE)). */
    void postpone(Client c) {
        postponed.add(c);
        c.block(() -> postponed.remove(c));
    }

    /**
     * Every write ends here (Redis's signalModifiedKey + notifyKeyspaceEvent + server.dirty++):
     * one call, so that what hangs off writes (WATCH, keyspace events, blocked clients, persistence)
     * is never forgotten by a command. A null {@code event} means no keyspace notification (DEBUG
     * POPULATE, like Redis's, only signals the key).
     */
    public void keyModified(Database db, byte[] key, String event) {
        keyModified(db, key, event, 1);
    }

    /**
     * As {@link #keyModified(Database, byte[], String)}, counting {@code changes} towards
     * {@link #dirty()} instead of one, where Redis counts otherwise: per element (pushes, pops,
     * SORT STORE), or nothing for a key that is part of a change already counted (the "del" of a
     * collection a pop emptied, RENAME's destination, LMOVE's source).
     */
    public void keyModified(Database db, byte[] key, String event, long changes) {
        db.reaccount(key); // the value may have changed in place: the memory total follows
        signal(db, key, event, changes);
    }

    /**
     * As {@link #keyModified(Database, byte[], String)}, for a value just stored whole by
     * {@link Database#put} or {@link Database#replace}, which accounted its memory already: saves
     * the second lookup of the key that re-measuring would cost every SET.
     */
    public void keyStored(Database db, byte[] key, String event) {
        signal(db, key, event, 1);
    }

    /**
     * As {@link #keyModified(Database, byte[], String, long)}, for a key just removed: nothing is
     * left to re-measure (that would look the key up once more, on every eviction at the limit).
     */
    public void keyRemoved(Database db, byte[] key, KeyEvent event, long changes) {
        signal(db, key, event, changes);
    }

    private void signal(Database db, byte[] key, String event, long changes) {
        signal(db, key, KeyEvent.of(event), changes);
    }

    private void signal(Database db, byte[] key, KeyEvent event, long changes) {
        dirty += changes;
        keyspaceListeners.keyModified(db, key, event);
    }

    /**
     * A change Redis counts in server.dirty (and notifies as a keyspace event) without calling
     * signalModifiedKey: WATCH and blocked clients are not told. The consumer-group bookkeeping of
     * streams (XACK, XCLAIM, XREADGROUP, XGROUP SETID...) changes keys this way.
     */
    public void keyNotified(Database db, byte[] key, String event, long changes) {
        dirty += changes;
        db.reaccount(key);
        KeyEvent e = KeyEvent.of(event);
        if (e != null) {
            keyspaceListeners.keyNotified(db, key, e);
        }
    }

    /**
     * The contents of {@code db} are about to be replaced all at once: emptied by FLUSHDB/FLUSHALL
     * ({@code with} null) or exchanged with those of {@code with} by SWAPDB. Call it before the
     * change (Redis's signalFlushedDb / touchAllWatchedKeysInDb): there are no per-key events, but
     * whatever watches keys must treat those that exist in either as modified. Does not count
     * towards {@link #dirty()}; see {@link #addDirty}.
     */
    public void databaseReplaced(Database db, Database with) {
        keyspaceListeners.databaseReplaced(db, with);
    }

    /**
     * An event Redis notifies without counting a change or signalling the key: "expired" (the
     * signal follows separately), "new" (the command's own event follows), "keymiss".
     */
    public void notifyOnly(Database db, byte[] key, KeyEvent event) {
        keyspaceListeners.keyNotified(db, key, event);
    }

    /** Adds a listener of the write gate (notifications, tracking, snapshots, propagation). */
    public void addKeyspaceListener(KeyspaceListener listener) {
        keyspaceListeners.add(listener);
    }

    public PubSub pubSub() {
        return pubSub;
    }

    public io.respire.server.tracking.Tracking tracking() {
        return tracking;
    }

    /** The client whose command is running, from the top (a script's caller, EXEC's client), or null. */
    public Client currentClient() {
        return currentClient;
    }

    /** Makes {@code c} (or null) the client whose command runs; returns the one it replaces. */
    public Client currentClient(Client c) {
        Client before = currentClient;
        this.currentClient = c;
        return before;
    }

    /** The primary side of replication: replicas, their stream and the replication offset. */
    public io.respire.server.replication.ReplicationPrimary replication() {
        return replication;
    }

    /** The stream of write effects (Redis's also_propagate and its consumers). */
    public io.respire.server.replication.Propagation propagation() {
        return propagation;
    }

    /**
     * Redis's propagateDeletion: a key removed by the server itself (expired, evicted) is
     * propagated as DEL, or UNLINK when {@code lazy}, so that consumers remove it too. It is
     * emitted with the command that found it, or by whoever removed it outside a command.
     */
    public void propagateDeletion(Database db, byte[] key, boolean lazy) {
        if (propagation.active()) {
            propagation.alsoPropagate(db.id(), io.respire.server.replication.Propagation.ALL, io.respire.server.replication.Effects.delete(lazy), key);
        }
    }

    /** The connections whose replies leave at the end of the turn. */
    PendingWrites pendingWrites() {
        return pendingWrites;
    }

    public WatchedKeys watchedKeys() {
        return watchedKeys;
    }

    public BlockingKeys blockingKeys() {
        return blockingKeys;
    }

    /** The dispatcher, for commands that run other commands (EXEC, scripts). */
    public CommandDispatcher dispatcher() {
        return dispatcher;
    }

    void dispatcher(CommandDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Counts changes that do not go through {@link #keyModified} (flushed keys, SWAPDB). */
    public void addDirty(long changes) {
        dirty += changes;
    }

    /** When the dataset was last saved, or the start time before any save (LASTSAVE). */
    public long lastSaveMs() {
        return lastSaveMs;
    }

    public void lastSaveMs(long ms) {
        this.lastSaveMs = ms;
    }

    /** The replication ID (INFO master_replid) and the previous one (master_replid2). */
    public String replId() {
        return replId;
    }

    public String replId2() {
        return replId2;
    }

    /** Redis's changeReplicationId + clearReplicationId2 (DEBUG CHANGE-REPL-ID). */
    public void changeReplicationId() {
        adoptReplicationId(randomHex(), true);
    }

    /**
     * Redis's shiftReplicationId: the current ID becomes the second one, valid up to
     * {@code offset} + 1, and a new history starts (a replica promoted by REPLICAOF NO ONE).
     */
    public void shiftReplicationId(long offset) {
        replId2 = replId;
        secondReplOffset = offset + 1;
        replId = randomHex();
    }

    /** Makes {@code id} the previous replication ID, valid up to {@code offset} + 1 (a restarted primary's history). */
    public void previousReplicationId(String id, long offset) {
        replId2 = id;
        secondReplOffset = offset + 1;
    }

    /** Takes {@code id} (a primary's) as the replication ID; {@code clearSecond}: Redis's clearReplicationId2. */
    public void adoptReplicationId(String id, boolean clearSecond) {
        replId = id;
        if (clearSecond) {
            replId2 = NO_REPL_ID;
            secondReplOffset = -1;
        }
    }

    /** INFO second_repl_offset. */
    public long secondReplOffset() {
        return secondReplOffset;
    }

    /** The replica side of replication (REPLICAOF). */
    /** How many times a second the cron runs now (INFO hz): see {@link #updateHz}. */
    public int hz() {
        return hz != 0 ? hz : config.hz.intValue();
    }

    /**
     * Redis's serverCron start: hz, doubled while there are more than 200 clients per tick
     * (dynamic-hz), up to 500, so that the clients' cron keeps up with many clients.
     */
    void updateHz() {
        int next = config.hz.intValue();
        if (config.dynamicHz.value()) {
            while (clients.size() / next > MAX_CLIENTS_PER_CLOCK_TICK) {
                next *= 2;
                if (next > MAX_HZ) {
                    next = MAX_HZ;
                    break;
                }
            }
        }
        hz = next;
    }

    /** Redis's MAX_CLIENTS_PER_CLOCK_TICK and CONFIG_MAX_HZ. */
    private static final int MAX_CLIENTS_PER_CLOCK_TICK = 200;
    private static final int MAX_HZ = 500;

    /** watchdog-period's timer, armed by the cron. */
    Watchdog watchdog() {
        return watchdog;
    }

    /** oom-score-adj, applied to this process when the server owns it. */
    public OomScore oomScore() {
        return oomScore;
    }

    public io.respire.server.replication.Failover failover() {
        return failover;
    }

    public io.respire.server.replication.MasterLink masterLink() {
        return masterLink;
    }

    /** A new outgoing connection's bootstrap, on this server's I/O threads; the caller adds its handler. */
    public io.netty.bootstrap.Bootstrap outgoingConnection() {
        return outgoing.get();
    }

    void outgoingConnections(java.util.function.Supplier<io.netty.bootstrap.Bootstrap> factory) {
        this.outgoing = factory;
    }

    /**
     * CONFIG RESETSTAT: the INFO stats counters, command statistics (with their latency
     * histograms) and error statistics start again from zero (Redis's resetServerStats +
     * resetCommandTableStats + resetErrorTableStats); the slow log and latency events stay.
     */
    public void resetStats() {
        stats.reset();
        eviction.resetStats();
        for (io.respire.server.command.CommandSpec cmd : commands.commands()) {
            cmd.stats().reset();
            for (io.respire.server.command.CommandSpec sub : cmd.subcommands().values()) {
                sub.stats().reset();
            }
        }
    }

    /** 40 random hex characters (Redis's getRandomHexChars: run IDs, replication IDs, EOF marks). */
    public static String randomHex() {
        byte[] id = new byte[20];
        new java.security.SecureRandom().nextBytes(id);
        return java.util.HexFormat.of().formatHex(id);
    }

    /** Changes since the last save (INFO persistence rdb_changes_since_last_save). */
    public long dirty() {
        return dirty;
    }

    /** Whether the cron removes expired keys (DEBUG SET-ACTIVE-EXPIRE turns it off for tests). */
    public boolean activeExpireEnabled() {
        return activeExpireEnabled;
    }

    public void activeExpireEnabled(boolean enabled) {
        this.activeExpireEnabled = enabled;
    }

    /**
     * The element size from which a list element is kept in a node of its own (Redis's quicklist
     * packed_threshold, 1GB by default), shared by every list of this server; DEBUG
     * QUICKLIST-PACKED-THRESHOLD changes it.
     */
    public PackedThreshold quicklistPackedThreshold() {
        return quicklistPackedThreshold;
    }

    /** DEBUG PAUSE-CRON: whether the periodic tasks (expiry, timeouts, sampling) are suspended. */
    public boolean cronPaused() {
        return cronPaused;
    }

    public void cronPaused(boolean paused) {
        this.cronPaused = paused;
    }

    /**
     * Redis's used_memory, which maxmemory limits: the server's fixed allowance
     * ({@link #startupMemory}), the data (each database's running total, see
     * {@link Database#memory}), the clients' buffers (as last sampled, see
     * {@link #sampleClientsMemory}) and the cached scripts. It is an accounting of what these hold
     * on the heap, kept up to date as they change; not a reading of the JVM's heap, which also
     * holds garbage and is shared by every server embedded in the JVM.
     */
    public long usedMemory() {
        return STARTUP_MEMORY + datasetMemory() + clientsMemory + scriptsMemory() + replication.backlogAllocated();
    }

    /**
     * What maxmemory leaves out of used_memory (INFO mem_not_counted_for_evict): the replicas'
     * unsent stream and the backlog beyond repl-backlog-size, so that a slow replica does not make
     * the primary evict keys (Redis's freeMemoryGetNotCountedMemory).
     */
    public long notCountedForEvict() {
        return replicaClientsMemory() + replication.backlogBeyondSize();
    }

    /**
     * A value deleted lazily (UNLINK, lazyfree-lazy-* deletions): Redis hands one that costs more
     * than 64 allocations to its lazyfree thread and counts it in lazyfreed_objects. Here the
     * garbage collector frees everything in the background, so nothing is pending; the count says
     * what Redis would have freed that way.
     */
    public void freedLazily(Object value) {
        if (io.respire.ds.keyspace.ValueTypes.measureCost(value) > LAZYFREE_THRESHOLD) {
            stats.lazyfreedObjects++;
        }
    }

    /** Redis's LAZYFREE_THRESHOLD: values costing more allocations than this are freed lazily. */
    private static final int LAZYFREE_THRESHOLD = 64;

    /** Redis's overMaxmemoryAfterAlloc: whether allocating {@code bytes} more would pass maxmemory. */
    public boolean overMaxmemoryAfter(long bytes) {
        long max = config.maxmemory.value();
        return max != 0 && usedMemory() + bytes > max;
    }

    /** The bytes of every database's keys, values, TTLs and tables. */
    public long datasetMemory() {
        long bytes = 0;
        for (Database db : databases) {
            bytes += db.memory();
        }
        return bytes;
    }

    /** What cached scripts and function libraries hold (Redis counts them in used_memory). */
    public long scriptsMemory() {
        return scripting.eval().scriptsMemory() + scripting.functions().overheadMemory();
    }

    /**
     * Sums the clients' buffers (query buffer, pending output, the reply being built) again, for
     * {@link #usedMemory}: O(clients), so the cron does it every tick and INFO when asked, rather
     * than each command. Between samples {@link #accountClient} keeps each client's share current
     * as its connection reads and writes, and a disconnect takes the share out. Returns the sum.
     */
    public long sampleClientsMemory() {
        long sum = 0;
        for (Client c : clients.values()) {
            long bytes = c.buffersBytes();
            c.swapAccountedBytes(bytes);
            sum += bytes;
        }
        clientsMemory = sum;
        return sum;
    }

    /**
     * Brings one client's share of the clients' memory up to date, O(1): after its connection read
     * requests or handed replies to the socket, or the socket drained. Eviction then sees buffers
     * grow and shrink as Redis's allocator would, not up to a cron tick late.
     */
    void accountClient(Client c) {
        if (!c.closed()) {
            long bytes = c.buffersBytes();
            clientsMemory += bytes - c.swapAccountedBytes(bytes);
            ClientEviction.evictIfOver(this);
        }
    }

    /**
     * Redis's processCommand evicts clients just before a command runs, counting the client about to
     * run it with its arguments: a request whose arguments alone take its client past
     * maxmemory-clients closes the client instead of running. Returns whether {@code c} is still
     * open. O(1) unless the clients are over the limit; nothing at all while eviction is off.
     */
    boolean evictBeforeCommand(Client c) {
        if (ClientEviction.limit(this) == 0 || clients.get(c.id()) != c) {
            return true; // off, or a client without a connection (AOF loading): not in the sum
        }
        long bytes = c.buffersBytes() + c.argumentsBytes();
        clientsMemory += bytes - c.swapAccountedBytes(bytes);
        ClientEviction.evictIfOver(this);
        return !c.closed();
    }

    /** Every client's buffers as last accounted, replicas' included. */
    public long clientsMemory() {
        return clientsMemory;
    }

    /**
     * The replicas' part of {@link #clientsMemory} (INFO mem_clients_slaves): mostly the
     * replication stream not yet sent to them. Redis leaves the replication buffers out of what
     * maxmemory bounds (mem_not_counted_for_evict), so that a slow replica does not make the
     * primary evict keys, which would only add DELs to that same stream. O(replicas).
     */
    public long replicaClientsMemory() {
        List<io.respire.server.replication.Replica> replicas = replication.replicas();
        long bytes = 0;
        for (int i = 0; i < replicas.size(); i++) { // indexed: maxmemory asks before every command
            bytes += replicas.get(i).client().accountedBytes();
        }
        return bytes;
    }

    /**
     * Records {@code used} (a reading of {@link #usedMemory}) in the peak that INFO and MEMORY
     * STATS report, and returns the peak.
     */
    public long notePeakMemory(long used) {
        stats.peakMemory = Math.max(stats.peakMemory, used);
        return stats.peakMemory;
    }

    /** INFO used_memory_startup (see {@link #STARTUP_MEMORY}). */
    public long startupMemory() {
        return STARTUP_MEMORY;
    }

    /**
     * Asks the server to stop (SHUTDOWN, with RespireServer's SHUTDOWN_* flags); it stops after the
     * current command's reply is sent. False if it cannot stop as asked (the reason is logged).
     */
    public boolean requestShutdown(int flags) {
        return shutdownHook.test(flags);
    }

    /** SHUTDOWN and the signals' shutdowns, which may wait for lagging replicas. */
    public ShutdownSequence shutdownSequence() {
        return shutdownSequence;
    }

    void onShutdownRequest(java.util.function.IntPredicate hook) {
        this.shutdownHook = hook;
    }
}
