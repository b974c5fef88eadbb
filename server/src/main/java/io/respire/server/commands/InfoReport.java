package io.respire.server.commands;

import io.respire.ds.keyspace.Database;
import io.respire.protocol.DoubleFormat;
import io.respire.server.Client;
import io.respire.server.ServerContext;
import io.respire.server.Stats;
import io.respire.server.command.CommandSpec;
import io.respire.server.command.CommandStats;
import io.respire.server.config.ConfigOption;
import io.respire.server.config.ServerConfig;
import io.respire.server.keyspace.KeyAccess;
import io.respire.server.pubsub.PubSub;
import io.respire.server.observability.LatencyHistograms;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The text of INFO (Redis's genInfoSectionDict + genRedisInfoString): Redis's sections and fields,
 * in Redis's order and format, so that clients and tools that parse INFO find what they expect.
 *
 * <p>Where a figure is about Redis's internals it is our nearest equivalent: memory is the JVM heap
 * (used, committed) and the process's resident size; the allocator is "jvm". Figures of features
 * that do not exist yet (replication, persistence in progress, Lua memory) are their idle values.
 */
public final class InfoReport {
    private static final List<String> DEFAULT_SECTIONS = List.of("server", "clients", "memory", "persistence",
            "stats", "replication", "cpu", "module_list", "errorstats", "cluster", "keyspace");

    private final ServerContext server;
    private final Set<String> sections;
    private final boolean all;
    private final StringBuilder out = new StringBuilder(4096);
    private int written;

    private InfoReport(ServerContext server, Set<String> sections, boolean all) {
        this.server = server;
        this.sections = sections;
        this.all = all;
    }

    /**
     * INFO's text for the section arguments {@code args} (case-insensitive): none means the default
     * sections; "default", "all" and "everything" may be combined with section names.
     */
    public static String generate(ServerContext server, List<String> args) {
        Set<String> sections = new LinkedHashSet<>();
        boolean all = false;
        if (args.isEmpty()) {
            sections.addAll(DEFAULT_SECTIONS);
        }
        for (String arg : args) {
            String name = arg.toLowerCase(Locale.ROOT);
            switch (name) {
                case "default" -> sections.addAll(DEFAULT_SECTIONS);
                case "all", "everything" -> all = true; // no modules, so "everything" adds nothing
                default -> sections.add(name);
            }
        }
        InfoReport report = new InfoReport(server, sections, all);
        report.write();
        return report.out.toString();
    }

    private void write() {
        if (wants("server")) {
            server();
        }
        if (wants("clients")) {
            clients();
        }
        if (wants("memory")) {
            memory();
        }
        if (wants("persistence")) {
            persistence();
        }
        if (wants("stats")) {
            stats();
        }
        if (wants("replication")) {
            replication();
        }
        if (wants("cpu")) {
            cpu();
        }
        if (wants("module_list") || wants("modules")) {
            header("Modules");
        }
        if (wants("commandstats")) {
            commandStats();
        }
        if (wants("errorstats")) {
            errorStats();
        }
        if (wants("latencystats")) {
            latencyStats();
        }
        if (wants("cluster")) {
            header("Cluster");
            field("cluster_enabled", 0);
        }
        if (wants("keyspace")) {
            keyspace();
        }
    }

    private boolean wants(String section) {
        return all || sections.contains(section);
    }

    private void header(String title) {
        if (written++ > 0) {
            out.append("\r\n");
        }
        out.append("# ").append(title).append("\r\n");
    }

    private void field(String name, Object value) {
        out.append(name).append(':').append(value).append("\r\n");
    }

    private void server() {
        long now = server.nowMs();
        long uptime = (now - server.startMs()) / 1000;
        ServerConfig config = server.config();
        header("Server");
        field("redis_version", ServerInfo.REDIS_VERSION);
        field("redis_git_sha1", "00000000");
        field("redis_git_dirty", 0);
        field("redis_build_id", "0");
        field("redis_mode", "standalone");
        field("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + machine());
        field("arch_bits", System.getProperty("sun.arch.data.model", "64"));
        field("monotonic_clock", "JVM System.nanoTime");
        field("multiplexing_api", io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "java-nio");
        field("atomicvar_api", "java");
        field("gcc_version", "0.0.0");
        field("process_id", ProcessHandle.current().pid());
        field("process_supervised", "no");
        field("run_id", server.runId());
        field("tcp_port", server.port());
        field("server_time_usec", now * 1000);
        field("uptime_in_seconds", uptime);
        field("uptime_in_days", uptime / (3600 * 24));
        field("hz", server.hz());
        field("configured_hz", config.hz.value());
        field("lru_clock", KeyAccess.lruClock(now));
        field("executable", ProcessHandle.current().info().command().orElse(""));
        field("config_file", config.configFile() == null ? "" : config.configFile().toAbsolutePath());
        field("io_threads_active", 0);
        if (server.shutdownSequence().waiting()) {
            field("shutdown_in_milliseconds", server.shutdownSequence().remainingMs());
        }
        field("respire_version", ServerInfo.RESPIRE_VERSION);
    }

    /** The machine name as uname reports it (Java says amd64 where Linux says x86_64). */
    private static String machine() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") ? "x86_64" : arch;
    }

    private void clients() {
        header("Clients");
        // Replicas are counted apart, as connected_slaves (Redis: clients minus slaves).
        field("connected_clients", server.clients().size() - server.replication().replicas().size());
        field("cluster_connections", 0);
        field("maxclients", server.config().maxclients.value());
        field("client_recent_max_input_buffer", server.stats().clientRecentMaxInputBuffer());
        field("client_recent_max_output_buffer", server.stats().clientRecentMaxOutputBuffer());
        field("blocked_clients", server.blockedClients());
        field("tracking_clients", server.tracking().trackingClients());
        field("clients_in_timeout_table", server.blockingKeys().clientsWithTimeout());
    }

    private void memory() {
        Runtime rt = Runtime.getRuntime();
        long clients = server.sampleClientsMemory();
        long used = server.usedMemory();
        long committed = rt.totalMemory();
        long rss = residentSetSize(committed);
        long peak = server.notePeakMemory(used);
        long startup = server.startupMemory();
        long overhead = startup + clients + server.scriptsMemory();
        for (int i = 0; i < server.databaseCount(); i++) {
            overhead += server.database(i).mainOverhead() + server.database(i).expiresOverhead();
        }
        long dataset = Math.max(0, used - overhead);
        long maxmemory = server.config().maxmemory.value();
        long systemMemory = systemMemory();
        header("Memory");
        field("used_memory", used);
        field("used_memory_human", human(used));
        field("used_memory_rss", rss);
        field("used_memory_rss_human", human(rss));
        field("used_memory_peak", peak);
        field("used_memory_peak_human", human(peak));
        field("used_memory_peak_perc", percent(peak == 0 ? 0 : used * 100.0 / peak) + "%");
        field("used_memory_overhead", overhead);
        field("used_memory_startup", startup);
        field("used_memory_dataset", dataset);
        field("used_memory_dataset_perc", percent(used == 0 ? 0 : dataset * 100.0 / used) + "%");
        field("allocator_allocated", used);
        field("allocator_active", committed);
        field("allocator_resident", rss);
        field("total_system_memory", systemMemory);
        field("total_system_memory_human", human(systemMemory));
        // Lua: estimates (LuaJ's values live in the JVM heap and cannot be measured apart).
        var eval = server.scripting().eval();
        var functions = server.scripting().functions();
        long luaEval = eval.luaMemory();
        long scriptsEval = eval.scriptsMemory();
        long luaFunctions = functions.vmMemory();
        long functionsOverhead = functions.overheadMemory();
        field("used_memory_lua", luaEval);
        field("used_memory_vm_eval", luaEval);
        field("used_memory_lua_human", human(luaEval));
        field("used_memory_scripts_eval", scriptsEval);
        field("number_of_cached_scripts", eval.size());
        field("number_of_functions", functions.functionCount());
        field("number_of_libraries", functions.libraryCount());
        field("used_memory_vm_functions", luaFunctions);
        field("used_memory_vm_total", luaEval + luaFunctions);
        field("used_memory_vm_total_human", human(luaEval + luaFunctions));
        field("used_memory_functions", functionsOverhead);
        field("used_memory_scripts", scriptsEval + functionsOverhead);
        field("used_memory_scripts_human", human(scriptsEval + functionsOverhead));
        field("maxmemory", maxmemory);
        field("maxmemory_human", human(maxmemory));
        field("maxmemory_policy", server.config().maxmemoryPolicy.value());
        field("allocator_frag_ratio", percent(used == 0 ? 0 : (double) committed / used));
        field("allocator_frag_bytes", committed - used);
        field("allocator_rss_ratio", percent(committed == 0 ? 0 : (double) rss / committed));
        field("allocator_rss_bytes", rss - committed);
        field("rss_overhead_ratio", percent(1));
        field("rss_overhead_bytes", 0);
        field("mem_fragmentation_ratio", percent(used == 0 ? 0 : (double) rss / used));
        field("mem_fragmentation_bytes", rss - used);
        long replicas = server.replicaClientsMemory();
        field("mem_not_counted_for_evict", server.notCountedForEvict());
        long replicationBuffers = server.replication().bufferMemory();
        long backlogShare = server.replication().backlogMemory();
        field("mem_replication_backlog", backlogShare);
        field("mem_total_replication_buffers", replicationBuffers);
        field("mem_clients_slaves", replicationBuffers - backlogShare);
        field("mem_clients_normal", clients - replicas);
        field("mem_cluster_links", 0);
        field("mem_aof_buffer", server.aof().bufferAllocated());
        field("mem_allocator", "jvm");
        field("active_defrag_running", 0);
        field("lazyfree_pending_objects", 0);
        field("lazyfreed_objects", server.stats().lazyfreedObjects);
    }

    /** The process's resident set size from /proc (Linux); the committed heap elsewhere. */
    static long residentSetSize(long fallback) {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096;
        } catch (Exception e) {
            return fallback;
        }
    }

    private static long systemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    private void persistence() {
        header("Persistence");
        io.respire.server.persistence.Snapshots snapshots = server.snapshots();
        field("loading", snapshots.loader().loading() && !snapshots.loader().asyncLoading() ? 1 : 0);
        field("async_loading", snapshots.loader().asyncLoading() ? 1 : 0);
        // A snapshot's "copy on write" is what its write gate serialized ahead of the walk.
        io.respire.server.persistence.PointInTimeSnapshot running = snapshots.running();
        field("current_cow_peak", running == null ? 0 : running.copiedBytes());
        field("current_cow_size", running == null ? 0 : running.copiedBytes());
        field("current_cow_size_age", 0);
        field("current_fork_perc", running == null || running.keysTotal() == 0 ? "0.00"
                : String.format(Locale.ROOT, "%.2f", 100.0 * running.keysProcessed() / running.keysTotal()));
        field("current_save_keys_processed", running == null ? 0 : running.keysProcessed());
        field("current_save_keys_total", running == null ? 0 : running.keysTotal());
        field("rdb_changes_since_last_save", server.dirty());
        field("rdb_bgsave_in_progress", snapshots.rdbSnapshotRunning() ? 1 : 0);
        field("rdb_last_save_time", server.lastSaveMs() / 1000);
        field("rdb_last_bgsave_status", snapshots.lastSaveOk() ? "ok" : "err");
        field("rdb_last_bgsave_time_sec", snapshots.lastBackgroundSeconds());
        field("rdb_current_bgsave_time_sec", snapshots.currentBackgroundSeconds());
        field("rdb_saves", snapshots.saves());
        field("rdb_last_cow_size", snapshots.lastCopiedBytes());
        field("rdb_last_load_keys_expired", snapshots.loader().lastLoadKeysExpired());
        field("rdb_last_load_keys_loaded", snapshots.loader().lastLoadKeysLoaded());
        io.respire.server.persistence.aof.AppendOnlyFile aof = server.aof();
        field("aof_enabled", aof.on() ? 1 : 0);
        field("aof_rewrite_in_progress", aof.rewriteRunning() ? 1 : 0);
        field("aof_rewrite_scheduled", aof.rewriteScheduled() ? 1 : 0);
        field("aof_last_rewrite_time_sec", aof.lastRewriteSeconds());
        field("aof_current_rewrite_time_sec", aof.currentRewriteSeconds());
        field("aof_last_bgrewrite_status", aof.lastRewriteOk() ? "ok" : "err");
        field("aof_rewrites", aof.rewrites());
        field("aof_rewrites_consecutive_failures", aof.consecutiveRewriteFailures());
        field("aof_last_write_status", aof.lastWriteOk() ? "ok" : "err");
        field("aof_last_cow_size", aof.lastRewriteCopiedBytes());
        field("module_fork_in_progress", 0);
        field("module_fork_last_cow_size", 0);
        if (server.config().appendonly.value()) {
            field("aof_current_size", aof.currentSize());
            field("aof_base_size", aof.baseSize());
            field("aof_pending_rewrite", aof.rewriteScheduled() ? 1 : 0);
            field("aof_buffer_length", aof.bufferLength());
            field("aof_pending_bio_fsync", aof.fsyncPending() ? 1 : 0);
            field("aof_delayed_fsync", 0);
        }
    }

    private void stats() {
        Stats s = server.stats();
        header("Stats");
        field("total_connections_received", s.totalConnectionsReceived);
        field("total_commands_processed", s.totalCommandsProcessed);
        field("instantaneous_ops_per_sec", s.instantaneousOpsPerSec());
        field("total_net_input_bytes", s.netInputBytes);
        field("total_net_output_bytes", s.netOutputBytes);
        field("total_net_repl_input_bytes", s.netReplInputBytes);
        field("total_net_repl_output_bytes", s.netReplOutputBytes);
        field("instantaneous_input_kbps", percent(s.instantaneousInputBytesPerSec() / 1024.0));
        field("instantaneous_output_kbps", percent(s.instantaneousOutputBytesPerSec() / 1024.0));
        field("instantaneous_input_repl_kbps", percent(s.instantaneousReplInputBytesPerSec() / 1024.0));
        field("instantaneous_output_repl_kbps", percent(s.instantaneousReplOutputBytesPerSec() / 1024.0));
        field("rejected_connections", s.rejectedConnections);
        field("sync_full", server.stats().syncFull);
        field("sync_partial_ok", s.syncPartialOk);
        field("sync_partial_err", server.stats().syncPartialErr);
        field("expired_keys", s.expiredKeys);
        field("expired_stale_perc", percent(s.expiredStaleRatio * 100));
        field("expired_time_cap_reached_count", s.expiredTimeCapReachedCount);
        field("expire_cycle_cpu_milliseconds", s.expireCycleMicros / 1000);
        field("evicted_keys", s.evictedKeys);
        field("evicted_clients", s.evictedClients);
        field("total_eviction_exceeded_time", server.eviction().totalExceededMs());
        field("current_eviction_exceeded_time", server.eviction().currentExceededMs());
        field("keyspace_hits", s.keyspaceHits);
        field("keyspace_misses", s.keyspaceMisses);
        field("pubsub_channels", server.pubSub().size(PubSub.Kind.CHANNEL));
        field("pubsub_patterns", server.pubSub().size(PubSub.Kind.PATTERN));
        field("pubsubshard_channels", server.pubSub().size(PubSub.Kind.SHARD));
        field("latest_fork_usec", 0);
        field("total_forks", server.children().started());
        field("migrate_cached_sockets", server.migrationLinks().size());
        field("slave_expires_tracked_keys", 0);
        field("active_defrag_hits", 0);
        field("active_defrag_misses", 0);
        field("active_defrag_key_hits", 0);
        field("active_defrag_key_misses", 0);
        field("total_active_defrag_time", 0);
        field("current_active_defrag_time", 0);
        field("tracking_total_keys", server.tracking().totalKeys());
        field("tracking_total_items", server.tracking().totalItems());
        field("tracking_total_prefixes", server.tracking().totalPrefixes());
        field("unexpected_error_replies", s.unexpectedErrorReplies);
        field("total_error_replies", s.totalErrorReplies);
        field("dump_payload_sanitizations", s.dumpPayloadSanitizations);
        field("total_reads_processed", s.totalReadsProcessed);
        field("total_writes_processed", s.totalWritesProcessed);
        field("io_threaded_reads_processed", 0);
        field("io_threaded_writes_processed", 0);
        field("reply_buffer_shrinks", 0);
        field("reply_buffer_expands", 0);
    }


    private void replication() {
        ConfigOption backlog = server.config().option("repl-backlog-size");
        header("Replication");
        io.respire.server.replication.MasterLink link = server.masterLink();
        field("role", link.active() ? "slave" : "master");
        if (link.active()) {
            replicaFields(link);
        }
        java.util.List<io.respire.server.replication.Replica> replicas = server.replication().replicas();
        field("connected_slaves", replicas.size());
        if (server.config().minReplicasToWrite.value() != 0 && server.config().minReplicasMaxLag.value() != 0) {
            field("min_slaves_good_slaves", server.replication().goodReplicas());
        }
        long nowSeconds = server.nowMs() / 1000;
        for (int i = 0; i < replicas.size(); i++) {
            io.respire.server.replication.Replica r = replicas.get(i);
            field("slave" + i, "ip=" + r.address() + ",port=" + r.listeningPort() + ",state="
                    + (r.online() ? "online" : "wait_bgsave") + ",offset=" + r.ackOffset()
                    + ",lag=" + (r.online() ? nowSeconds - r.ackTimeMs() / 1000 : 0));
        }
        field("master_failover_state", server.failover().state().info());
        field("master_replid", server.replId());
        field("master_replid2", server.replId2());
        field("master_repl_offset", server.replication().offset());
        field("second_repl_offset", server.secondReplOffset());
        field("repl_backlog_active", server.replication().backlogActive() ? 1 : 0);
        field("repl_backlog_size", backlog == null ? "1048576" : backlog.get());
        field("repl_backlog_first_byte_offset", server.replication().backlogFirstByteOffset());
        field("repl_backlog_histlen", server.replication().backlogHistlen());
    }

    /** The lines of a replica, as Redis's genRedisInfoString writes them when masterhost is set. */
    private void replicaFields(io.respire.server.replication.MasterLink link) {
        field("master_host", link.host());
        field("master_port", link.port());
        field("master_link_status", link.linkUp() ? "up" : "down");
        field("master_last_io_seconds_ago", link.lastIoSecondsAgo());
        field("master_sync_in_progress", link.syncInProgress() ? 1 : 0);
        // Redis reports 1 when there is neither a master client nor a cached one.
        field("slave_read_repl_offset", link.readOffset() == -1 ? 1 : link.readOffset());
        field("slave_repl_offset", link.processedOffset() == -1 ? 1 : link.processedOffset());
        if (link.syncInProgress()) {
            long[] t = link.transferFigures();
            field("master_sync_total_bytes", t[0]);
            field("master_sync_read_bytes", t[1]);
            field("master_sync_left_bytes", t[0] - t[1]);
            field("master_sync_perc", String.format(java.util.Locale.ROOT, "%.2f", t[0] == 0 ? 0.0 : 100.0 * t[1] / t[0]));
            field("master_sync_last_io_seconds_ago", t[2]);
        }
        if (!link.linkUp()) {
            field("master_link_down_since_seconds", link.downSinceSeconds());
        }
        field("slave_priority", server.config().replicaPriority.value());
        field("slave_read_only", server.config().replicaReadOnly.value() ? 1 : 0);
        field("replica_announced", server.config().replicaAnnounced.value() ? 1 : 0);
    }

    /**
     * CPU time in seconds with microseconds, as Redis's getrusage figures: the process's from /proc
     * (Linux; elsewhere all of it is counted as user time), the executor thread's as the main thread.
     */
    private void cpu() {
        long[] process = processCpuMicros();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long threadTotal = Math.max(0, threads.getCurrentThreadCpuTime() / 1000);
        long threadUser = Math.max(0, threads.getCurrentThreadUserTime() / 1000);
        header("CPU");
        field("used_cpu_sys", seconds(process[1]));
        field("used_cpu_user", seconds(process[0]));
        field("used_cpu_sys_children", seconds(0));
        field("used_cpu_user_children", seconds(0));
        field("used_cpu_sys_main_thread", seconds(threadTotal - threadUser));
        field("used_cpu_user_main_thread", seconds(threadUser));
    }

    /** {user, system} CPU time of the process in microseconds. */
    private static long[] processCpuMicros() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command name (which is in parentheses and may contain spaces).
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticksPerSecond = 100; // USER_HZ, 100 on every Linux architecture Java runs on
            return new long[] {Long.parseLong(f[11]) * 1_000_000 / ticksPerSecond,
                    Long.parseLong(f[12]) * 1_000_000 / ticksPerSecond};
        } catch (Exception e) {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return new long[] {os.getProcessCpuTime() / 1000, 0};
            }
            return new long[] {0, 0};
        }
    }

    private static String seconds(long micros) {
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    /** Redis's genRedisInfoStringCommandStats: every command and subcommand that saw any activity. */
    private void commandStats() {
        header("Commandstats");
        for (CommandSpec cmd : server.commands().commands()) {
            commandStat(cmd);
            for (CommandSpec sub : cmd.subcommands().values()) {
                commandStat(sub);
            }
        }
    }

    private void commandStat(CommandSpec cmd) {
        CommandStats s = cmd.stats();
        if (!s.active()) {
            return;
        }
        float perCall = s.calls == 0 ? 0 : (float) s.microseconds / s.calls;
        out.append("cmdstat_").append(safe(cmd.fullName()))
                .append(":calls=").append(s.calls)
                .append(",usec=").append(s.microseconds)
                .append(",usec_per_call=").append(percent(perCall))
                .append(",rejected_calls=").append(s.rejectedCalls)
                .append(",failed_calls=").append(s.failedCalls)
                .append("\r\n");
    }

    /** Redis's genRedisInfoStringLatencyStats: the percentiles of every command with a histogram. */
    private void latencyStats() {
        header("Latencystats");
        if (!server.observability().latencyTracking()) {
            return;
        }
        List<Double> percentiles = server.config().latencyTrackingInfoPercentiles.values();
        for (CommandSpec cmd : server.commands().commands()) {
            latencyStat(cmd, percentiles);
            for (CommandSpec sub : cmd.subcommands().values()) {
                latencyStat(sub, percentiles);
            }
        }
    }

    private void latencyStat(CommandSpec cmd, List<Double> percentiles) {
        if (cmd.stats().latencyHistogram != null) {
            out.append(LatencyHistograms.infoLine(safe(cmd.fullName()), cmd.stats().latencyHistogram, percentiles));
        }
    }

    private void errorStats() {
        header("Errorstats");
        for (Map.Entry<String, Long> e : server.stats().errorCounts().entrySet()) {
            out.append("errorstat_").append(safe(e.getKey())).append(":count=").append(e.getValue()).append("\r\n");
        }
    }

    private void keyspace() {
        header("Keyspace");
        for (int i = 0; i < server.databaseCount(); i++) {
            Database db = server.database(i);
            if (db.size() > 0 || db.expiresSize() > 0) {
                out.append("db").append(i).append(":keys=").append(db.size())
                        .append(",expires=").append(db.expiresSize())
                        .append(",avg_ttl=").append(db.avgTtl()).append("\r\n");
            }
        }
    }

    /** Redis's getSafeInfoString: characters that would break the format become '_'. */
    private static String safe(String s) {
        return s.replace('#', '_').replace(':', '_').replace('\n', '_').replace('\r', '_');
    }

    /** A "%.2f" figure, rounded as C's printf rounds it. */
    private static String percent(double value) {
        return DoubleFormat.fixed(value, 2);
    }

    /** Redis's bytesToHuman: 100B, 4.00K, 2.50M, 1.00G... */
    static String human(long n) {
        String[] units = {"K", "M", "G", "T", "P"};
        double d = n;
        if (n >= 1024) {
            for (String unit : units) {
                d /= 1024;
                if (d < 1024) {
                    return DoubleFormat.fixed(d, 2) + unit;
                }
            }
        }
        return n + "B";
    }
}
