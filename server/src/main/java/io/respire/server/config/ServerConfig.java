package io.respire.server.config;

import io.respire.server.config.ConfigOption.Flag;
import io.respire.server.config.Options.Bool;
import io.respire.server.config.Options.Choice;
import io.respire.server.config.Options.Number;
import io.respire.server.config.Options.NumberFormat;
import io.respire.server.config.Options.Text;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.respire.server.config.ConfigOption.Flag.HIDDEN;
import static io.respire.server.config.ConfigOption.Flag.IMMUTABLE;
import static io.respire.server.config.ConfigOption.Flag.MULTI_ARG;
import static io.respire.server.config.ConfigOption.Flag.PROTECTED;
import static io.respire.server.config.ConfigOption.Flag.SENSITIVE;
import static io.respire.server.config.Options.Choice.words;

/**
 * Every setting of Redis 7.0 (its config.c table, with TLS as built with BUILD_TLS=yes), by Redis's names, defaults, bounds
 * and flags: the one place CONFIG GET/SET/REWRITE, the config file and the command line read and
 * write. The server reads the typed fields ({@code config.maxmemory.value()}). The tuning settings
 * of features Respire does not have yet (replication timeouts, AOF fsync policy...) are accepted
 * and shown, so that tools and clients that read or write them keep working; a value that switches
 * such a feature on is refused: here when Redis checks it (activedefrag yes), or by the server as
 * it starts (appendonly yes, replicaof, cluster-enabled...: io.respire.server.MissingFeatures).
 */
public final class ServerConfig {
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long INT_MIN = Integer.MIN_VALUE;
    private static final long UINT_MAX = 0xFFFF_FFFFL;
    private static final long LONG_MAX = Long.MAX_VALUE;
    private static final long MB = 1024 * 1024;
    /** shutdown-on-sigint/sigterm: Redis's SHUTDOWN_* flags. */
    private static final Object[] SHUTDOWN_FLAGS = {"default", 0, "save", 1, "nosave", 2, "now", 4, "force", 8};

    private final Map<String, ConfigOption> byName = new LinkedHashMap<>();
    private final List<ConfigOption> options = new ArrayList<>();
    private Path configFile;
    private final List<String> unsupportedDirectives = new ArrayList<>();
    private final List<List<String>> userLines = new ArrayList<>();
    private final List<List<String>> commandRenames = new ArrayList<>();
    private java.util.function.Supplier<List<String>> aclUserLines = List::of;

    // Network
    public final Number port = add(integer("port", null, 0, 65535, 6379));
    public final SpecialOptions.Bind bind = add(new SpecialOptions.Bind());
    public final Text bindSourceAddr = add(nullable("bind-source-addr", null));
    public final Bool protectedMode = add(bool("protected-mode", null, true));
    public final Number tcpBacklog = add(integer("tcp-backlog", null, 0, INT_MAX, 511, IMMUTABLE));
    public final Text unixsocket = add(nullable("unixsocket", null, IMMUTABLE));
    public final Number unixsocketperm = add(new Number("unixsocketperm", null, 0, 0777, 0, NumberFormat.OCTAL, false, IMMUTABLE));
    public final Number socketMarkId = add(integer("socket-mark-id", null, 0, UINT_MAX, 0, IMMUTABLE));
    public final Number timeout = add(integer("timeout", null, 0, INT_MAX, 0));
    public final Number tcpKeepalive = add(integer("tcp-keepalive", null, 0, INT_MAX, 300));
    public final Number maxclients = add(integer("maxclients", null, 1, UINT_MAX, 10000));
    public final Number ioThreads = add(integer("io-threads", null, 1, 128, 1, IMMUTABLE));
    public final Bool ioThreadsDoReads = add(bool("io-threads-do-reads", null, false, IMMUTABLE));

    // TLS (io.respire.server.tls.TlsContext builds the JDK's SSL context from these)
    public final Number tlsPort = add(integer("tls-port", null, 0, 65535, 0));
    public final Text tlsCertFile = add(nullable("tls-cert-file", null));
    public final Text tlsKeyFile = add(nullable("tls-key-file", null));
    public final Text tlsKeyFilePass = add(nullable("tls-key-file-pass", null, SENSITIVE));
    public final Text tlsClientCertFile = add(nullable("tls-client-cert-file", null));
    public final Text tlsClientKeyFile = add(nullable("tls-client-key-file", null));
    public final Text tlsClientKeyFilePass = add(nullable("tls-client-key-file-pass", null, SENSITIVE));
    public final Text tlsDhParamsFile = add(new Text("tls-dh-params-file", null, null, true, Validators::tlsDhParamsFile));
    public final Text tlsCaCertFile = add(nullable("tls-ca-cert-file", null));
    public final Text tlsCaCertDir = add(nullable("tls-ca-cert-dir", null));
    public final Text tlsProtocols = add(nullable("tls-protocols", null));
    public final Text tlsCiphers = add(nullable("tls-ciphers", null));
    public final Text tlsCiphersuites = add(nullable("tls-ciphersuites", null));
    public final Choice tlsAuthClients = add(choice("tls-auth-clients", words("no", "yes", "optional"), 1));
    public final Bool tlsPreferServerCiphers = add(bool("tls-prefer-server-ciphers", null, false));
    public final Bool tlsSessionCaching = add(new Bool("tls-session-caching", null, true, Validators::tlsSessionCaching));
    public final Number tlsSessionCacheSize = add(integer("tls-session-cache-size", null, 0, INT_MAX, 20 * 1024));
    public final Number tlsSessionCacheTimeout = add(integer("tls-session-cache-timeout", null, 0, INT_MAX, 300));
    public final Bool tlsReplication = add(new Bool("tls-replication", null, false, Validators::tlsReplication));
    public final Bool tlsCluster = add(new Bool("tls-cluster", null, false, Validators::tlsCluster));

    // Respire only: Prometheus metrics over HTTP on the bind addresses (io.respire.server.metrics), 0 = off
    public final Number metricsPort = add(integer("metrics-port", null, 0, 65535, 0));

    // General
    public final Bool daemonize = add(bool("daemonize", null, false, IMMUTABLE));
    public final Choice supervised = add(choice("supervised", words("upstart", "systemd", "auto", "no"), 3, IMMUTABLE));
    public final Text pidfile = add(nullable("pidfile", null, IMMUTABLE));
    public final Choice loglevel = add(choice("loglevel", words("debug", "verbose", "notice", "warning"), 2));
    public final Text logfile = add(text("logfile", "", IMMUTABLE));
    public final Bool syslogEnabled = add(bool("syslog-enabled", null, false, IMMUTABLE));
    public final Text syslogIdent = add(text("syslog-ident", "redis", IMMUTABLE));
    public final Choice syslogFacility = add(choice("syslog-facility", words("user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"), 1, IMMUTABLE));
    public final Bool crashLogEnabled = add(bool("crash-log-enabled", null, true));
    public final Bool crashMemcheckEnabled = add(bool("crash-memcheck-enabled", null, true));
    public final Bool useExitOnPanic = add(bool("use-exit-on-panic", null, false, HIDDEN));
    public final Number databases = add(integer("databases", null, 1, INT_MAX, 16, IMMUTABLE));
    public final Bool alwaysShowLogo = add(bool("always-show-logo", null, false, IMMUTABLE));
    public final Bool setProcTitle = add(bool("set-proc-title", null, true, IMMUTABLE));
    public final Text procTitleTemplate = add(new Text("proc-title-template", null, "{title} {listen-addr} {server-mode}", false, Validators::procTitleTemplate));
    public final Text ignoreWarnings = add(text("ignore-warnings", ""));
    public final Choice enableProtectedConfigs = add(choice("enable-protected-configs", words("no", "yes", "local"), 0, IMMUTABLE));
    public final Choice enableDebugCommand = add(choice("enable-debug-command", words("no", "yes", "local"), 0, IMMUTABLE));
    public final Choice enableModuleCommand = add(choice("enable-module-command", words("no", "yes", "local"), 0, IMMUTABLE));

    // Snapshotting
    public final SpecialOptions.Save save = add(new SpecialOptions.Save());
    public final Bool stopWritesOnBgsaveError = add(bool("stop-writes-on-bgsave-error", null, true));
    public final Bool rdbcompression = add(bool("rdbcompression", null, true));
    public final Bool rdbchecksum = add(bool("rdbchecksum", null, true, IMMUTABLE));
    public final Choice sanitizeDumpPayload = add(choice("sanitize-dump-payload", words("no", "yes", "clients"), 0));
    public final Text dbfilename = add(new Text("dbfilename", null, "dump.rdb", false, Validators::dbfilename, PROTECTED));
    public final Bool rdbDelSyncFiles = add(bool("rdb-del-sync-files", null, false));
    public final SpecialOptions.Dir dir = add(new SpecialOptions.Dir());
    public final Bool rdbSaveIncrementalFsync = add(bool("rdb-save-incremental-fsync", null, true));
    public final Number rdbKeySaveDelay = add(integer("rdb-key-save-delay", null, INT_MIN, INT_MAX, 0, HIDDEN));
    public final Number keyLoadDelay = add(integer("key-load-delay", null, INT_MIN, INT_MAX, 0, HIDDEN));
    public final Number loadingProcessEventsIntervalBytes = add(integer("loading-process-events-interval-bytes", null, 1024, INT_MAX, 2 * MB, HIDDEN));

    // Replication
    public final SpecialOptions.ReplicaOf replicaof = add(new SpecialOptions.ReplicaOf());
    public final Text masterauth = add(nullable("masterauth", null, SENSITIVE));
    public final Text masteruser = add(nullable("masteruser", null, SENSITIVE));
    public final Bool replicaServeStaleData = add(bool("replica-serve-stale-data", "slave-serve-stale-data", true));
    public final Bool replicaReadOnly = add(bool("replica-read-only", "slave-read-only", true));
    public final Bool replDisklessSync = add(bool("repl-diskless-sync", null, true));
    public final Number replDisklessSyncDelay = add(integer("repl-diskless-sync-delay", null, 0, INT_MAX, 5));
    public final Number replDisklessSyncMaxReplicas = add(integer("repl-diskless-sync-max-replicas", null, 0, INT_MAX, 0));
    public final Choice replDisklessLoad = add(choice("repl-diskless-load", words("disabled", "on-empty-db", "swapdb"), 0,
            Flag.DENY_LOADING));
    public final Number replPingReplicaPeriod = add(integer("repl-ping-replica-period", "repl-ping-slave-period", 1, INT_MAX, 10));
    public final Number replTimeout = add(integer("repl-timeout", null, 1, INT_MAX, 60));
    public final Bool replDisableTcpNodelay = add(bool("repl-disable-tcp-nodelay", null, false));
    public final Number replBacklogSize = add(memory("repl-backlog-size", null, 1, LONG_MAX, MB));
    public final Number replBacklogTtl = add(integer("repl-backlog-ttl", null, 0, LONG_MAX, 3600));
    public final Number replicaPriority = add(integer("replica-priority", "slave-priority", 0, INT_MAX, 100));
    public final Bool replicaAnnounced = add(bool("replica-announced", null, true));
    public final Number minReplicasToWrite = add(integer("min-replicas-to-write", "min-slaves-to-write", 0, INT_MAX, 0));
    public final Number minReplicasMaxLag = add(integer("min-replicas-max-lag", "min-slaves-max-lag", 0, INT_MAX, 10));
    public final Text replicaAnnounceIp = add(nullable("replica-announce-ip", "slave-announce-ip"));
    public final Number replicaAnnouncePort = add(integer("replica-announce-port", "slave-announce-port", 0, 65535, 0));
    public final Bool replicaLazyFlush = add(bool("replica-lazy-flush", "slave-lazy-flush", false));
    public final Bool replicaIgnoreMaxmemory = add(bool("replica-ignore-maxmemory", "slave-ignore-maxmemory", true));
    public final Bool replicaIgnoreDiskWriteErrors = add(bool("replica-ignore-disk-write-errors", null, false));
    public final Choice propagationErrorBehavior = add(choice("propagation-error-behavior", words("ignore", "panic", "panic-on-replicas"), 0));

    // Keys tracking and security
    public final Number trackingTableMaxKeys = add(integer("tracking-table-max-keys", null, 0, LONG_MAX, 1_000_000));
    public final Number acllogMaxLen = add(integer("acllog-max-len", null, 0, LONG_MAX, 128));
    public final Text aclfile = add(text("aclfile", "", IMMUTABLE));
    public final Text requirepass = add(nullable("requirepass", null, SENSITIVE));
    public final Choice aclPubsubDefault = add(choice("acl-pubsub-default", new Object[] {"allchannels", 1 << 3, "resetchannels", 0}, 0));

    // Memory management
    public final Number maxmemory = add(new Number("maxmemory", null, 0, -1L, 0, NumberFormat.MEMORY, true));
    public final Choice maxmemoryPolicy = add(choice("maxmemory-policy", words("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"), 7));
    public final Number maxmemorySamples = add(integer("maxmemory-samples", null, 1, INT_MAX, 5));
    public final Number maxmemoryEvictionTenacity = add(integer("maxmemory-eviction-tenacity", null, 0, 100, 10));
    public final Number maxmemoryClients = add(new Number("maxmemory-clients", null, -100, LONG_MAX, 0, NumberFormat.MEMORY_OR_PERCENT, false));
    public final Number activeExpireEffort = add(integer("active-expire-effort", null, 1, 10, 1));
    public final Number lfuLogFactor = add(integer("lfu-log-factor", null, 0, INT_MAX, 10));
    public final Number lfuDecayTime = add(integer("lfu-decay-time", null, 0, INT_MAX, 1));

    // Lazy freeing
    public final Bool lazyfreeLazyEviction = add(bool("lazyfree-lazy-eviction", null, false));
    public final Bool lazyfreeLazyExpire = add(bool("lazyfree-lazy-expire", null, false));
    public final Bool lazyfreeLazyServerDel = add(bool("lazyfree-lazy-server-del", null, false));
    public final Bool lazyfreeLazyUserDel = add(bool("lazyfree-lazy-user-del", null, false));
    public final Bool lazyfreeLazyUserFlush = add(bool("lazyfree-lazy-user-flush", null, false));

    // Kernel and process
    public final Choice oomScoreAdj = add(choice("oom-score-adj", new Object[] {"no", 0, "yes", 1, "relative", 1, "absolute", 2}, 0));
    public final SpecialOptions.OomScoreAdjValues oomScoreAdjValues = add(new SpecialOptions.OomScoreAdjValues());
    public final Bool disableThp = add(bool("disable-thp", null, true, IMMUTABLE));
    public final Text serverCpulist = add(nullable("server_cpulist", null, IMMUTABLE));
    public final Text bioCpulist = add(nullable("bio_cpulist", null, IMMUTABLE));
    public final Text aofRewriteCpulist = add(nullable("aof_rewrite_cpulist", null, IMMUTABLE));
    public final Text bgsaveCpulist = add(nullable("bgsave_cpulist", null, IMMUTABLE));
    public final Bool jemallocBgThread = add(bool("jemalloc-bg-thread", null, true));

    // Append only file
    public final Bool appendonly = add(bool("appendonly", null, false, Flag.DENY_LOADING));
    public final Text appendfilename = add(new Text("appendfilename", null, "appendonly.aof", false, Validators::appendfilename, IMMUTABLE));
    public final Text appenddirname = add(new Text("appenddirname", null, "appendonlydir", false, Validators::appenddirname, IMMUTABLE));
    public final Choice appendfsync = add(choice("appendfsync", words("everysec", "always", "no"), 0));
    public final Bool noAppendfsyncOnRewrite = add(bool("no-appendfsync-on-rewrite", null, false));
    public final Number autoAofRewritePercentage = add(integer("auto-aof-rewrite-percentage", null, 0, INT_MAX, 100));
    public final Number autoAofRewriteMinSize = add(memory("auto-aof-rewrite-min-size", null, 0, LONG_MAX, 64 * MB));
    public final Bool aofLoadTruncated = add(bool("aof-load-truncated", null, true));
    public final Bool aofUseRdbPreamble = add(bool("aof-use-rdb-preamble", null, true));
    public final Bool aofTimestampEnabled = add(bool("aof-timestamp-enabled", null, false));
    public final Bool aofRewriteIncrementalFsync = add(bool("aof-rewrite-incremental-fsync", null, true));
    public final Bool aofDisableAutoGc = add(bool("aof-disable-auto-gc", null, false));

    // Shutdown
    public final Number shutdownTimeout = add(integer("shutdown-timeout", null, 0, INT_MAX, 10));
    public final Choice shutdownOnSigint = add(new Choice("shutdown-on-sigint", null, SHUTDOWN_FLAGS, 0, Validators::shutdownFlags, MULTI_ARG));
    public final Choice shutdownOnSigterm = add(new Choice("shutdown-on-sigterm", null, SHUTDOWN_FLAGS, 0, Validators::shutdownFlags, MULTI_ARG));

    // Scripting
    public final Number busyReplyThreshold = add(integer("busy-reply-threshold", "lua-time-limit", 0, LONG_MAX, 5000));

    // Cluster
    public final Bool clusterEnabled = add(bool("cluster-enabled", null, false, IMMUTABLE));
    public final Text clusterConfigFile = add(text("cluster-config-file", "nodes.conf", IMMUTABLE));
    public final Number clusterNodeTimeout = add(integer("cluster-node-timeout", null, 0, LONG_MAX, 15000));
    public final Number clusterPort = add(integer("cluster-port", null, 0, 65535, 0, IMMUTABLE));
    public final Number clusterReplicaValidityFactor = add(integer("cluster-replica-validity-factor", "cluster-slave-validity-factor", 0, INT_MAX, 10));
    public final Number clusterMigrationBarrier = add(integer("cluster-migration-barrier", null, 0, INT_MAX, 1));
    public final Bool clusterAllowReplicaMigration = add(bool("cluster-allow-replica-migration", null, true));
    public final Bool clusterRequireFullCoverage = add(bool("cluster-require-full-coverage", null, true));
    public final Bool clusterReplicaNoFailover = add(bool("cluster-replica-no-failover", "cluster-slave-no-failover", false));
    public final Bool clusterAllowReadsWhenDown = add(bool("cluster-allow-reads-when-down", null, false));
    public final Bool clusterAllowPubsubshardWhenDown = add(bool("cluster-allow-pubsubshard-when-down", null, true));
    public final Number clusterLinkSendbufLimit = add(new Number("cluster-link-sendbuf-limit", null, 0, -1L, 0, NumberFormat.MEMORY, true));
    public final Text clusterAnnounceHostname = add(new Text("cluster-announce-hostname", null, null, true, Validators::hostname));
    public final Choice clusterPreferredEndpointType = add(choice("cluster-preferred-endpoint-type", words("ip", "hostname", "unknown-endpoint"), 0));
    public final Text clusterAnnounceIp = add(nullable("cluster-announce-ip", null));
    public final Number clusterAnnouncePort = add(integer("cluster-announce-port", null, 0, 65535, 0));
    public final Number clusterAnnounceTlsPort = add(integer("cluster-announce-tls-port", null, 0, 65535, 0));
    public final Number clusterAnnounceBusPort = add(integer("cluster-announce-bus-port", null, 0, 65535, 0));

    // Slow log, latency monitor, keyspace events
    public final Number slowlogLogSlowerThan = add(integer("slowlog-log-slower-than", null, -1, LONG_MAX, 10000));
    public final Number slowlogMaxLen = add(integer("slowlog-max-len", null, 0, LONG_MAX, 128));
    public final Number latencyMonitorThreshold = add(integer("latency-monitor-threshold", null, 0, LONG_MAX, 0));
    public final Bool latencyTracking = add(bool("latency-tracking", null, true));
    public final SpecialOptions.LatencyPercentiles latencyTrackingInfoPercentiles = add(new SpecialOptions.LatencyPercentiles());
    public final SpecialOptions.KeyspaceEvents notifyKeyspaceEvents = add(new SpecialOptions.KeyspaceEvents());

    // Encodings of small values
    public final Number hashMaxListpackEntries = add(integer("hash-max-listpack-entries", "hash-max-ziplist-entries", 0, LONG_MAX, 512));
    public final Number hashMaxListpackValue = add(memory("hash-max-listpack-value", "hash-max-ziplist-value", 0, LONG_MAX, 64));
    public final Number listMaxListpackSize = add(integer("list-max-listpack-size", "list-max-ziplist-size", INT_MIN, INT_MAX, -2));
    public final Number listCompressDepth = add(integer("list-compress-depth", null, 0, INT_MAX, 0));
    public final Number setMaxIntsetEntries = add(integer("set-max-intset-entries", null, 0, LONG_MAX, 512));
    public final Number zsetMaxListpackEntries = add(integer("zset-max-listpack-entries", "zset-max-ziplist-entries", 0, LONG_MAX, 128));
    public final Number zsetMaxListpackValue = add(memory("zset-max-listpack-value", "zset-max-ziplist-value", 0, LONG_MAX, 64));
    public final Number hllSparseMaxBytes = add(memory("hll-sparse-max-bytes", null, 0, LONG_MAX, 3000));
    public final Number streamNodeMaxBytes = add(memory("stream-node-max-bytes", null, 0, LONG_MAX, 4096));
    public final Number streamNodeMaxEntries = add(integer("stream-node-max-entries", null, 0, LONG_MAX, 100));
    public final Bool activerehashing = add(bool("activerehashing", null, true));

    // Clients
    public final SpecialOptions.OutputBufferLimits clientOutputBufferLimit = add(new SpecialOptions.OutputBufferLimits());
    public final Number clientQueryBufferLimit = add(memory("client-query-buffer-limit", null, MB, LONG_MAX, 1024 * MB));
    public final Number protoMaxBulkLen = add(memory("proto-max-bulk-len", null, MB, LONG_MAX, 512 * MB));
    public final Number hz = add(integer("hz", null, 0, INT_MAX, 10).clampedTo(1, 500));
    public final Bool dynamicHz = add(bool("dynamic-hz", null, true));

    // Active defragmentation (not available: there is no allocator to defragment)
    public final Bool activedefrag = add(new Bool("activedefrag", null, false, Validators::activedefrag));
    public final Number activeDefragIgnoreBytes = add(memory("active-defrag-ignore-bytes", null, 1, LONG_MAX, 100 * MB));
    public final Number activeDefragThresholdLower = add(integer("active-defrag-threshold-lower", null, 0, 1000, 10));
    public final Number activeDefragThresholdUpper = add(integer("active-defrag-threshold-upper", null, 0, 1000, 100));
    public final Number activeDefragCycleMin = add(integer("active-defrag-cycle-min", null, 1, 99, 1));
    public final Number activeDefragCycleMax = add(integer("active-defrag-cycle-max", null, 1, 99, 25));
    public final Number activeDefragMaxScanFields = add(integer("active-defrag-max-scan-fields", null, 1, LONG_MAX, 1000));
    public final Number watchdogPeriod = add(integer("watchdog-period", null, 0, INT_MAX, 0, HIDDEN));

    public ServerConfig() {
    }

    private <T extends ConfigOption> T add(T option) {
        options.add(option);
        byName.put(option.name(), option);
        if (option.alias() != null) {
            byName.put(option.alias(), option);
        }
        return option;
    }

    private static Bool bool(String name, String alias, boolean defaultValue, Flag... flags) {
        return new Bool(name, alias, defaultValue, null, flags);
    }

    private static Number integer(String name, String alias, long min, long max, long defaultValue, Flag... flags) {
        return new Number(name, alias, min, max, defaultValue, NumberFormat.INTEGER, false, flags);
    }

    private static Number memory(String name, String alias, long min, long max, long defaultValue, Flag... flags) {
        return new Number(name, alias, min, max, defaultValue, NumberFormat.MEMORY, false, flags);
    }

    /** A string that may be empty (Redis's ALLOW_EMPTY_STRING). */
    private static Text text(String name, String defaultValue, Flag... flags) {
        return new Text(name, null, defaultValue, false, null, flags);
    }

    /** A string that is unset when empty (Redis's EMPTY_STRING_IS_NULL), unset by default. */
    private static Text nullable(String name, String alias, Flag... flags) {
        return new Text(name, alias, null, true, null, flags);
    }

    private static Choice choice(String name, Object[] choices, int defaultValue, Flag... flags) {
        return new Choice(name, null, choices, defaultValue, null, flags);
    }

    /** The option with this name or alias (any case), or null. */
    public ConfigOption option(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every option, once each, in declaration order. */
    public Collection<ConfigOption> options() {
        return Collections.unmodifiableList(options);
    }

    /** Every name and alias with its option (CONFIG GET matches patterns against aliases too). */
    public Map<String, ConfigOption> namesAndAliases() {
        return Collections.unmodifiableMap(byName);
    }

    /**
     * Sets an option by name, as the config file or command line does, without running change
     * listeners (the server reads its settings when it starts).
     *
     * @throws IllegalArgumentException with Redis's reason
     */
    public void set(String name, String value) {
        ConfigOption option = option(name);
        if (option == null) {
            throw new IllegalArgumentException("Bad directive or wrong number of arguments");
        }
        option.set(value);
    }

    /**
     * Redis's CONFIG SET: sets every (name, value) pair or none. All names are checked first
     * (unknown, immutable, protected, given twice); then the values are set in order, and if one
     * is refused, or a change listener fails, every option is put back as it was.
     *
     * @param pairs            names and values, alternating
     * @param protectedAllowed whether this client may set protected options (enable-protected-configs)
     * @throws ConfigSetException with Redis's exact error reply
     */
    public void setAll(List<String> pairs, boolean protectedAllowed) {
        setAll(pairs, protectedAllowed, false);
    }

    /**
     * As {@link #setAll(List, boolean)}; while {@code loading} the dataset, an option flagged
     * {@link Flag#DENY_LOADING} fails the whole command with Redis's LOADING error, which takes
     * precedence over any other error in the names.
     */
    public void setAll(List<String> pairs, boolean protectedAllowed, boolean loading) {
        int count = pairs.size() / 2;
        List<ConfigOption> targets = new ArrayList<>();
        ConfigSetException refused = null;
        for (int i = 0; i < count && (refused == null || loading); i++) {
            String given = pairs.get(2 * i);
            ConfigOption option = option(given);
            if (option != null && loading && option.has(Flag.DENY_LOADING)) {
                throw new ConfigSetException("LOADING Redis is loading the dataset in memory");
            }
            if (refused == null) {
                refused = refusal(option, given, protectedAllowed, targets);
            }
            targets.add(option);
        }
        if (refused != null) {
            throw refused;
        }
        List<String> previous = new ArrayList<>();
        for (ConfigOption option : targets) {
            previous.add(option.get());
        }
        List<ConfigOption> changed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ConfigOption option = targets.get(i);
            try {
                if (option.set(pairs.get(2 * i + 1))) {
                    changed.add(option);
                }
            } catch (IllegalArgumentException e) {
                restore(targets.subList(0, i), previous, List.of());
                throw ConfigSetException.failed(option.name(), e.getMessage());
            }
        }
        for (ConfigOption option : changed) {
            try {
                option.applyChange();
            } catch (IllegalArgumentException e) {
                restore(targets, previous, changed);
                throw ConfigSetException.failed(option.name(), e.getMessage());
            }
        }
    }

    /** Why CONFIG SET may not set {@code option} (named {@code given}), or null if it may. */
    private static ConfigSetException refusal(ConfigOption option, String given, boolean protectedAllowed,
            List<ConfigOption> earlier) {
        if (option == null) {
            return new ConfigSetException("ERR Unknown option or number of arguments for CONFIG SET - '" + given + "'");
        }
        if (option.has(IMMUTABLE)) {
            return ConfigSetException.failed(given, "can't set immutable config");
        }
        if (option.has(PROTECTED) && !protectedAllowed) {
            return ConfigSetException.failed(given, "can't set protected config");
        }
        if (earlier.contains(option)) {
            return ConfigSetException.failed(given, "duplicate parameter");
        }
        return null;
    }

    /** Puts options back to their previous values, re-running the listeners of the applied ones. */
    private static void restore(List<ConfigOption> targets, List<String> previous, List<ConfigOption> applied) {
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).set(previous.get(i));
        }
        for (ConfigOption option : applied) {
            try {
                option.applyChange();
            } catch (IllegalArgumentException e) {
                // As Redis: the restore is best effort; the original error is what the client sees.
            }
        }
    }

    /** The config file the server started from (absolute), or null: what CONFIG REWRITE rewrites. */
    public Path configFile() {
        return configFile;
    }

    public void configFile(Path file) {
        this.configFile = file;
    }

    /**
     * The Redis directives read that Respire does not support (loadmodule, sentinel, module
     * configs), in order, each once: the server refuses to start with any.
     */
    public List<String> unsupportedDirectives() {
        return Collections.unmodifiableList(unsupportedDirectives);
    }

    void unsupportedDirective(String name) {
        if (!unsupportedDirectives.contains(name)) {
            unsupportedDirectives.add(name);
        }
    }

    /** Marks the start and end of reading the config file (consecutive save lines add up). */
    void loading(boolean loading) {
        save.loading(loading);
    }

    /**
     * Records a config file's "user name rules..." line, created once the server is set up (Redis's
     * ACLAppendUserForLoading); a name given twice is refused as Redis refuses it.
     */
    void userLine(List<String> nameAndRules) {
        for (List<String> line : userLines) {
            if (line.get(0).equals(nameAndRules.get(0))) {
                throw new IllegalArgumentException("Error in user declaration '" + nameAndRules.get(0)
                        + "': Duplicate user found. A user can only be defined once in config files");
            }
        }
        userLines.add(List.copyOf(nameAndRules));
    }

    /** The "user" lines of the config file, each the name then its rules. */
    public List<List<String>> userLines() {
        return Collections.unmodifiableList(userLines);
    }

    /**
     * Records a "rename-command old new" line, applied to the command table once the server is
     * set up, in the order given ({@code to} empty: the command is removed).
     */
    void renameCommand(String from, String to) {
        commandRenames.add(List.of(from, to));
    }

    /** The rename-command lines of the config file, each the command's name then its new one. */
    public List<List<String>> commandRenames() {
        return Collections.unmodifiableList(commandRenames);
    }

    /** Where CONFIG REWRITE gets the "user" lines to write: every ACL user, described. */
    public void aclUsers(java.util.function.Supplier<List<String>> lines) {
        this.aclUserLines = lines;
    }

    List<String> aclUserLines() {
        return aclUserLines.get();
    }

    /** Validators of the settings that Redis checks beyond their type. */
    static final class Validators {
        private Validators() {
        }

        static void dbfilename(String value) {
            if (!isBaseName(value)) {
                throw new IllegalArgumentException("dbfilename can't be a path, just a filename");
            }
        }

        static void appendfilename(String value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("appendfilename can't be empty");
            }
            if (!isBaseName(value)) {
                throw new IllegalArgumentException("appendfilename can't be a path, just a filename");
            }
        }

        static void appenddirname(String value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("appenddirname can't be empty");
            }
            if (!isBaseName(value)) {
                throw new IllegalArgumentException("appenddirname can't be a path, just a dirname");
            }
        }

        private static boolean isBaseName(String path) {
            return path.indexOf('/') < 0 && path.indexOf('\\') < 0;
        }

        static void shutdownFlags(int flags) {
            if ((flags & 1) != 0 && (flags & 2) != 0) {
                throw new IllegalArgumentException("shutdown options SAVE and NOSAVE can't be used simultaneously");
            }
        }

        /** The JDK's TLS negotiates its own DH groups and reads no DH parameters file. */
        static void tlsDhParamsFile(String value) {
            if (value != null && !value.isEmpty()) {
                throw new IllegalArgumentException("Respire's TLS (the JDK's) cannot load DH parameters: leave "
                        + "tls-dh-params-file unset (ECDHE and the JDK's FFDHE groups are used)");
            }
        }

        /** The JDK's server session cache cannot be switched off (a size of 0 is unlimited there, as in OpenSSL). */
        static void tlsSessionCaching(boolean enable) {
            if (!enable) {
                throw new IllegalArgumentException("Respire's TLS (the JDK's) cannot disable its session cache");
            }
        }

        /** Replication connections from a replica, and cluster links, are not made by Respire over TLS. */
        static void tlsReplication(boolean enable) {
            if (enable) {
                throw new IllegalArgumentException("Respire does not replicate from a master over TLS yet");
            }
        }

        static void tlsCluster(boolean enable) {
            if (enable) {
                throw new IllegalArgumentException("Respire has no cluster support");
            }
        }

        static void activedefrag(boolean enable) {
            if (enable) {
                throw new IllegalArgumentException("Active defragmentation cannot be enabled: it requires a Redis "
                        + "server compiled with a modified Jemalloc like the one shipped by default with the Redis "
                        + "source distribution");
            }
        }

        static void hostname(String value) {
            if (value.length() >= 256) {
                throw new IllegalArgumentException("Hostnames must be less than 256 characters");
            }
            for (char c : value.toCharArray()) {
                boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '.';
                if (!ok) {
                    throw new IllegalArgumentException("Hostnames may only contain alphanumeric characters, "
                            + "hyphens or dots");
                }
            }
        }

        /**
         * The template may only use the variables of Redis's process title, and must not come out
         * empty (checked, as Redis does, with an empty title; the variables that are usually empty
         * count as empty).
         */
        static void procTitleTemplate(String template) {
            String expanded = ProcTitleTemplate.expand(template, name -> !ProcTitleTemplate.isVariable(name) ? null
                    : switch (name) {
                        case "title", "server-mode", "unixsocket" -> "";
                        default -> name;
                    });
            if (expanded == null || expanded.isEmpty()) {
                throw new IllegalArgumentException("template format is invalid or contains unknown variables");
            }
        }
    }
}
