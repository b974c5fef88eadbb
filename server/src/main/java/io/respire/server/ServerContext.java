package io.respire.server;

import io.netty.util.concurrent.EventExecutor;
import io.respire.ds.keyspace.Database;
import io.respire.protocol.DecoderLimits;
import io.respire.server.command.CommandTable;
import io.respire.server.config.ServerConfig;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The state of one server instance, Redis's {@code struct redisServer}: configuration, databases,
 * connected clients, statistics and the command table. One executor thread owns it; commands reach
 * it through {@link Client#server()}. There is no static mutable state, so several servers can run
 * in one JVM.
 */
public final class ServerContext {
    private final ServerConfig config;
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
    private Runnable shutdownHook = () -> { };
    private boolean activeExpireEnabled = true;
    private long dirty;

    ServerContext(ServerConfig config, CommandTable commands) {
        this.config = config;
        this.commands = commands;
        this.databases = new Database[config.databases.intValue()];
        for (int i = 0; i < databases.length; i++) {
            databases[i] = new Database(i);
            databases[i].expiryListener((db, key) -> stats.expiredKeys++);
        }
        byte[] id = new byte[20];
        new java.security.SecureRandom().nextBytes(id);
        this.runId = java.util.HexFormat.of().formatHex(id);
        decoderLimits.protoMaxBulkLen(config.protoMaxBulkLen.value());
        decoderLimits.clientQueryBufferLimit(config.clientQueryBufferLimit.value());
        config.protoMaxBulkLen.onChange(o -> decoderLimits.protoMaxBulkLen(config.protoMaxBulkLen.value()));
        config.clientQueryBufferLimit.onChange(o -> decoderLimits.clientQueryBufferLimit(config.clientQueryBufferLimit.value()));
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

    /** Milliseconds since the epoch: the time expiry compares against. */
    public long nowMs() {
        return clock.millis();
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
    }

    Client connect(io.netty.channel.Channel channel) {
        Client c = new Client(this, channel, nextClientId++);
        clients.put(c.id(), c);
        stats.totalConnectionsReceived++;
        return c;
    }

    void disconnect(Client c) {
        clients.remove(c.id());
    }

    public Collection<Client> clients() {
        return clients.values();
    }

    public Client client(long id) {
        return clients.get(id);
    }

    /**
     * Every write ends here (Redis's signalModifiedKey + notifyKeyspaceEvent + server.dirty++):
     * one call, so that what hangs off writes (WATCH, keyspace events, blocked clients, persistence)
     * is never forgotten by a command.
     */
    public void keyModified(Database db, byte[] key, String event) {
        dirty++;
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

    /** Asks the server to stop (SHUTDOWN); it stops after the current command's reply is sent. */
    public void requestShutdown() {
        shutdownHook.run();
    }

    void onShutdownRequest(Runnable hook) {
        this.shutdownHook = hook;
    }
}
