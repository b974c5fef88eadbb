package io.respire.server.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * INFO's text turned into Prometheus's text exposition format, under the names oliver006's
 * redis_exporter gives the same figures where it has one (so that its dashboards and alerts work
 * unchanged): {@code redis_connected_clients}, {@code redis_memory_used_bytes},
 * {@code redis_commands_processed_total}, per database {@code redis_db_keys{db="db0"}}, per command
 * {@code redis_commands_total{cmd="get"}} and {@code redis_commands_duration_seconds_total}, the
 * latency percentiles of latencystats as the summary {@code redis_latency_percentiles_usec}, and
 * {@code redis_errors_total{err="ERR"}}. Other numeric INFO fields are gauges named
 * {@code redis_<field>}. A pure function of the text: the data is read where INFO is made.
 */
public final class PrometheusText {
    /** redis_exporter's names for INFO fields that are counters. */
    private static final Map<String, String> COUNTERS = Map.ofEntries(
            Map.entry("total_connections_received", "connections_received_total"),
            Map.entry("total_commands_processed", "commands_processed_total"),
            Map.entry("rejected_connections", "rejected_connections_total"),
            Map.entry("total_net_input_bytes", "net_input_bytes_total"),
            Map.entry("total_net_output_bytes", "net_output_bytes_total"),
            Map.entry("expired_keys", "expired_keys_total"),
            Map.entry("evicted_keys", "evicted_keys_total"),
            Map.entry("keyspace_hits", "keyspace_hits_total"),
            Map.entry("keyspace_misses", "keyspace_misses_total"),
            Map.entry("used_cpu_sys", "cpu_sys_seconds_total"),
            Map.entry("used_cpu_user", "cpu_user_seconds_total"),
            Map.entry("used_cpu_sys_children", "cpu_sys_children_seconds_total"),
            Map.entry("used_cpu_user_children", "cpu_user_children_seconds_total"));
    /** redis_exporter's names for INFO gauges that it renames; the others keep their INFO name. */
    private static final Map<String, String> GAUGES = Map.ofEntries(
            Map.entry("client_recent_max_output_buffer", "client_recent_max_output_buffer_bytes"),
            Map.entry("client_recent_max_input_buffer", "client_recent_max_input_buffer_bytes"),
            Map.entry("used_memory", "memory_used_bytes"),
            Map.entry("used_memory_rss", "memory_used_rss_bytes"),
            Map.entry("used_memory_peak", "memory_used_peak_bytes"),
            Map.entry("used_memory_lua", "memory_used_lua_bytes"),
            Map.entry("used_memory_overhead", "memory_used_overhead_bytes"),
            Map.entry("used_memory_startup", "memory_used_startup_bytes"),
            Map.entry("used_memory_dataset", "memory_used_dataset_bytes"),
            Map.entry("used_memory_scripts", "memory_used_scripts_bytes"),
            Map.entry("maxmemory", "memory_max_bytes"),
            Map.entry("loading", "loading_dump_file"),
            Map.entry("rdb_last_save_time", "rdb_last_save_timestamp_seconds"),
            Map.entry("rdb_last_bgsave_time_sec", "rdb_last_bgsave_duration_sec"),
            Map.entry("rdb_current_bgsave_time_sec", "rdb_current_bgsave_duration_sec"),
            Map.entry("rdb_last_cow_size", "rdb_last_cow_size_bytes"),
            Map.entry("repl_backlog_size", "replication_backlog_bytes"),
            Map.entry("repl_backlog_active", "repl_backlog_is_active"),
            Map.entry("repl_backlog_histlen", "repl_backlog_history_bytes"),
            Map.entry("sync_full", "replica_resyncs_full"),
            Map.entry("sync_partial_ok", "replica_partial_resync_accepted"),
            Map.entry("sync_partial_err", "replica_partial_resync_denied"),
            Map.entry("expired_stale_perc", "expired_stale_percentage"),
            Map.entry("expired_time_cap_reached_count", "expired_time_cap_reached_total"),
            Map.entry("migrate_cached_sockets", "migrate_cached_sockets_total"));
    /** What redis_exporter puts in redis_instance_info's labels. */
    private static final List<String> INSTANCE_LABELS = List.of("role", "redis_version", "redis_build_id", "redis_mode",
            "os", "maxmemory_policy", "tcp_port", "run_id", "process_id");

    private final Map<String, Family> families = new LinkedHashMap<>();

    private record Family(String type, String help, List<String> samples) {
    }

    private PrometheusText() {
    }

    /** The exposition of INFO {@code everything}'s text. */
    public static String fromInfo(String info) {
        PrometheusText out = new PrometheusText();
        out.add("redis_up", "gauge", "Whether the server answered", "", "1");
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> calls = new LinkedHashMap<>();
        for (String line : info.split("\r\n")) {
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.charAt(0) == '#' || colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1);
            fields.put(key, value);
            if (key.startsWith("cmdstat_")) {
                out.command(key.substring(8), parsePairs(value), calls);
            } else if (key.startsWith("latency_percentiles_usec_")) {
                out.latency(key.substring(25), parsePairs(value));
            } else if (key.startsWith("errorstat_")) {
                out.add("redis_errors_total", "counter", "Errors replied, by error code", label("err", key.substring(10)),
                        parsePairs(value).get("count"));
            } else if (key.matches("db[0-9]+") && value.startsWith("keys=")) {
                out.keyspace(key, parsePairs(value));
            } else {
                out.field(key, value);
            }
        }
        out.summaryTotals(calls);
        StringBuilder labels = new StringBuilder();
        for (String name : INSTANCE_LABELS) {
            labels.append(labels.length() == 0 ? "" : ",").append(name).append("=\"")
                    .append(escape(fields.getOrDefault(name, ""))).append('"');
        }
        out.add("redis_instance_info", "gauge", "Information about the server", "{" + labels + "}", "1");
        return out.render();
    }

    private void field(String key, String value) {
        String number = numeric(key, value);
        if (number == null) {
            return;
        }
        String counter = COUNTERS.get(key);
        if (counter != null) {
            add("redis_" + counter, "counter", "INFO " + key, "", number);
        } else {
            add("redis_" + GAUGES.getOrDefault(key, key), "gauge", "INFO " + key, "", number);
        }
    }

    /** A numeric value, with the ok/err statuses as 1/0 (as redis_exporter reports them); null if not a figure. */
    private static String numeric(String key, String value) {
        if (key.endsWith("_status")) {
            return value.equals("ok") ? "1" : value.equals("err") ? "0" : null;
        }
        try {
            Double.parseDouble(value);
            return value.matches("-?[0-9.eE+-]+") ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void command(String cmd, Map<String, String> stats, Map<String, String> calls) {
        String cmdLabel = label("cmd", cmd);
        add("redis_commands_total", "counter", "Total number of calls per command", cmdLabel, stats.get("calls"));
        add("redis_commands_duration_seconds_total", "counter", "Total amount of time in seconds spent per command",
                cmdLabel, Double.toString(Long.parseLong(stats.getOrDefault("usec", "0")) / 1e6));
        add("redis_commands_rejected_calls_total", "counter", "Total number of errors prior command execution per command",
                cmdLabel, stats.get("rejected_calls"));
        add("redis_commands_failed_calls_total", "counter", "Total number of errors within command execution per command",
                cmdLabel, stats.get("failed_calls"));
        calls.put(cmd, stats.getOrDefault("calls", "0") + " " + stats.getOrDefault("usec", "0"));
    }

    private void latency(String cmd, Map<String, String> percentiles) {
        for (Map.Entry<String, String> p : percentiles.entrySet()) {
            double quantile = Double.parseDouble(p.getKey().substring(1)) / 100;
            add("redis_latency_percentiles_usec", "summary", "A summary of latency percentile distribution per command",
                    "{cmd=\"" + escape(cmd) + "\",quantile=\"" + quantile + "\"}", p.getValue());
        }
    }

    /** The summary's _sum (microseconds) and _count, from commandstats, for the commands that have percentiles. */
    private void summaryTotals(Map<String, String> calls) {
        Family summary = families.get("redis_latency_percentiles_usec");
        if (summary == null) {
            return;
        }
        for (Map.Entry<String, String> c : calls.entrySet()) {
            String cmdLabel = label("cmd", c.getKey());
            if (summary.samples.stream().noneMatch(s -> s.contains("{cmd=\"" + escape(c.getKey()) + "\","))) {
                continue;
            }
            String[] callsAndUsec = c.getValue().split(" ");
            summary.samples.add("redis_latency_percentiles_usec_sum" + cmdLabel + " " + callsAndUsec[1]);
            summary.samples.add("redis_latency_percentiles_usec_count" + cmdLabel + " " + callsAndUsec[0]);
        }
    }

    private void keyspace(String db, Map<String, String> stats) {
        String dbLabel = label("db", db);
        add("redis_db_keys", "gauge", "Total number of keys by DB", dbLabel, stats.get("keys"));
        add("redis_db_keys_expiring", "gauge", "Total number of expiring keys by DB", dbLabel, stats.get("expires"));
        add("redis_db_avg_ttl_seconds", "gauge", "Avg TTL in seconds", dbLabel,
                Double.toString(Long.parseLong(stats.getOrDefault("avg_ttl", "0")) / 1000.0));
    }

    private void add(String name, String type, String help, String labels, String value) {
        if (value == null) {
            return;
        }
        families.computeIfAbsent(name, n -> new Family(type, help, new ArrayList<>())).samples.add(name + labels + " " + value);
    }

    private String render() {
        StringBuilder out = new StringBuilder(8192);
        for (Map.Entry<String, Family> f : families.entrySet()) {
            out.append("# HELP ").append(f.getKey()).append(' ').append(f.getValue().help).append('\n');
            out.append("# TYPE ").append(f.getKey()).append(' ').append(f.getValue().type).append('\n');
            for (String sample : f.getValue().samples) {
                out.append(sample).append('\n');
            }
        }
        return out.toString();
    }

    /** "a=1,b=2" (commandstats, keyspace, latencystats lines) as a map, in order. */
    private static Map<String, String> parsePairs(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : value.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return out;
    }

    private static String label(String name, String value) {
        return "{" + name + "=\"" + escape(value) + "\"}";
    }

    /** Label values escape backslash, double quote and newline (the exposition format's rule). */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
