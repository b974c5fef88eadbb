package io.respire.server.observability;

import io.respire.protocol.DoubleFormat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The texts of LATENCY DOCTOR and LATENCY GRAPH (Redis's createLatencyReport and
 * latencyCommandGenSparkeline), worded as Redis words them. Only the events Respire records are
 * analysed: command, fast-command, command-unblocking and expire-cycle.
 */
public final class LatencyReport {
    private static final int GRAPH_COLUMNS = 80;
    private static final int GRAPH_ROWS = 4;

    private LatencyReport() {
    }

    /** What the doctor needs to know besides the samples. */
    public record Settings(long latencyThresholdMs, long slowlogSlowerThanMicros, long hz) {
    }

    /** LATENCY GRAPH's text for {@code event} (which must have samples). */
    public static String graph(LatencyMonitor monitor, String event, long nowSeconds) {
        Sparkline line = new Sparkline();
        long low = 0;
        long high = 0;
        boolean first = true;
        for (LatencyMonitor.Sample s : monitor.history(event)) {
            low = first ? s.latencyMs() : Math.min(low, s.latencyMs());
            high = first ? s.latencyMs() : Math.max(high, s.latencyMs());
            first = false;
            line.add(s.latencyMs(), ago(nowSeconds - s.timeSeconds()));
        }
        return event + " - high " + high + " ms, low " + low + " ms (all time high " + monitor.allTimeMax(event)
                + " ms)\n" + "-".repeat(GRAPH_COLUMNS) + "\n" + line.render(GRAPH_COLUMNS, GRAPH_ROWS);
    }

    /** How long ago, as the graph labels it: 5s, 3m, 2h, 1d. */
    private static String ago(long elapsed) {
        if (elapsed < 60) {
            return elapsed + "s";
        } else if (elapsed < 3600) {
            return elapsed / 60 + "m";
        } else if (elapsed < 3600 * 24) {
            return elapsed / 3600 + "h";
        }
        return elapsed / (3600 * 24) + "d";
    }

    /** The advice the doctor may give, in the order Redis gives it. */
    private static final class Advice {
        boolean slowlogEnabled;
        boolean slowlogTuning;
        boolean slowlogInspect;
        boolean scheduler;
        boolean hz;
        boolean largeObjects;
        boolean disableThp;
        int count;
    }

    /** LATENCY DOCTOR's text. */
    public static String doctor(LatencyMonitor monitor, Settings settings, long nowSeconds) {
        if (monitor.isEmpty() && settings.latencyThresholdMs() == 0) {
            return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. "
                    + "You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. "
                    + "If we weren't in a deep space mission I'd suggest to take a look at "
                    + "https://redis.io/topics/latency-monitor.\n";
        }
        StringBuilder out = new StringBuilder();
        Advice advice = new Advice();
        List<String> events = monitor.eventNames();
        for (int i = 0; i < events.size(); i++) {
            String event = events.get(i);
            if (i == 0) {
                out.append("Dave, I have observed latency spikes in this Redis instance. "
                        + "You don't mind talking about it, do you Dave?\n\n");
            }
            LatencyMonitor.Stats ls = monitor.analyze(event, nowSeconds);
            out.append(i + 1).append(". ").append(event).append(": ").append(ls.samples())
                    .append(" latency spikes (average ").append(ls.avg()).append("ms, mean deviation ")
                    .append(ls.mad()).append("ms, period ")
                    .append(DoubleFormat.fixed((double) ls.periodSeconds() / ls.samples(), 2))
                    .append(" sec). Worst all time event ").append(ls.allTimeHigh()).append("ms.");
            adviseFor(event, settings, advice);
            out.append('\n');
        }
        if (hasAnonHugePages()) {
            advice.disableThp = true;
            advice.count++;
        }
        if (events.isEmpty() && advice.count == 0) {
            out.append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the "
                    + "slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think "
                    + "things over.\n");
        } else if (!events.isEmpty() && advice.count == 0) {
            out.append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use "
                    + "the Redis community to get some help, providing this report in your help request.\n");
        } else {
            appendAdvice(out, advice, settings);
        }
        return out.toString();
    }

    private static void adviseFor(String event, Settings settings, Advice advice) {
        switch (event) {
            case "command" -> {
                if (settings.slowlogSlowerThanMicros() < 0) {
                    advice.slowlogEnabled = true;
                    advice.count++;
                } else if (settings.slowlogSlowerThanMicros() / 1000 > settings.latencyThresholdMs()) {
                    advice.slowlogTuning = true;
                    advice.count++;
                }
                advice.slowlogInspect = true;
                advice.largeObjects = true;
                advice.count += 2;
            }
            case "fast-command" -> {
                advice.scheduler = true;
                advice.count++;
            }
            case "expire-cycle" -> {
                advice.hz = true;
                advice.largeObjects = true;
                advice.count += 2;
            }
            default -> {
            }
        }
    }

    private static void appendAdvice(StringBuilder out, Advice advice, Settings settings) {
        out.append("\nI have a few advices for you:\n\n");
        long suggested = settings.latencyThresholdMs() * 1000;
        if (advice.slowlogEnabled) {
            out.append("- There are latency issues with potentially slow commands you are using. Try to enable the "
                    + "Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ")
                    .append(suggested).append("'. If the Slow log is disabled Redis is not able to log slow "
                    + "commands execution for you.\n");
        }
        if (advice.slowlogTuning) {
            out.append("- Your current Slow Log configuration only logs events that are slower than your configured "
                    + "latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ")
                    .append(suggested).append("'.\n");
        }
        if (advice.slowlogInspect) {
            out.append("- Check your Slow Log to understand what are the commands you are running which are too slow "
                    + "to execute. Please check https://redis.io/commands/slowlog for more information.\n");
        }
        if (advice.scheduler) {
            out.append("- The system is slow to execute Redis code paths not containing system calls. This usually "
                    + "means the system does not provide Redis CPU time to run for long periods. You should try to:\n"
                    + "  1) Lower the system load.\n"
                    + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
                    + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                    + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your "
                    + "system.\n"
                    + "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you "
                    + "are using Jemalloc. However this may create fragmentation problems.\n");
        }
        if (advice.hz && settings.hz() < 100) {
            out.append("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' "
                    + "configuration parameter to 100 using 'CONFIG SET hz 100'.\n");
        }
        if (advice.largeObjects) {
            out.append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking "
                    + "operation. If you have very large objects that are often deleted, expired, or evicted, try to "
                    + "fragment those objects into multiple smaller objects.\n");
        }
        if (advice.disableThp) {
            out.append("- I detected a non zero amount of anonymous huge pages used by your process. This creates "
                    + "very serious latency events in different conditions, especially when Redis is persisting on "
                    + "disk. To disable THP support use the command 'echo never > "
                    + "/sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so "
                    + "that the command will be executed again after a reboot. Note that even if you have already "
                    + "disabled THP, you still need to restart the Redis process to get rid of the huge pages "
                    + "already created.\n");
        }
    }

    /** Whether the process has transparent huge pages (Redis's THPGetAnonHugePagesSize > 0). */
    private static boolean hasAnonHugePages() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
                if (line.startsWith("AnonHugePages:")) {
                    return !line.substring("AnonHugePages:".length()).trim().startsWith("0 ");
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or no smaps_rollup: nothing to report.
        }
        return false;
    }
}
