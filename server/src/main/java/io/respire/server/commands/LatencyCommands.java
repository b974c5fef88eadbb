package io.respire.server.commands;

import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.command.CommandSpec;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;
import io.respire.server.observability.LatencyHistograms;
import io.respire.server.observability.LatencyMonitor;
import io.respire.server.observability.LatencyReport;
import io.respire.server.observability.Observability;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/**
 * LATENCY LATEST / HISTORY / RESET / GRAPH / DOCTOR / HISTOGRAM / HELP (Redis's latency.c): the
 * latency monitor's events and the per-command latency histograms, kept by observability.
 */
public final class LatencyCommands {
    private LatencyCommands() {
    }

    static void register(CommandTable table) {
        table.register("latency|latest", LatencyCommands::latest);
        table.register("latency|history", LatencyCommands::history);
        table.register("latency|reset", LatencyCommands::reset);
        table.register("latency|graph", LatencyCommands::graph);
        table.register("latency|doctor", LatencyCommands::doctor);
        table.register("latency|histogram", LatencyCommands::histogram);
        table.register("latency|help", LatencyCommands::help);
    }

    private static LatencyMonitor monitor(Client c) {
        return c.server().observability().latency();
    }

    private static long nowSeconds(Client c) {
        return c.server().clock().millis() / 1000;
    }

    /** LATENCY LATEST: per event, its latest sample's time and latency, and its all-time maximum. */
    static void latest(Client c) {
        LatencyMonitor monitor = monitor(c);
        List<String> events = monitor.eventNames();
        Reply r = c.reply();
        r.array(events.size());
        for (String event : events) {
            LatencyMonitor.Sample last = monitor.latest(event);
            r.array(4);
            r.bulk(event);
            r.integer(last.timeSeconds());
            r.integer(last.latencyMs());
            r.integer(monitor.allTimeMax(event));
        }
    }

    /** LATENCY HISTORY event: its samples, oldest first, as [time, latency] pairs. */
    static void history(Client c) {
        List<LatencyMonitor.Sample> samples = monitor(c).history(c.argString(2));
        Reply r = c.reply();
        r.array(samples.size());
        for (LatencyMonitor.Sample s : samples) {
            r.array(2);
            r.integer(s.timeSeconds());
            r.integer(s.latencyMs());
        }
    }

    /** LATENCY RESET [event ...]: how many events were forgotten. */
    static void reset(Client c) {
        LatencyMonitor monitor = monitor(c);
        if (c.argc() == 2) {
            c.reply().integer(monitor.reset(null));
            return;
        }
        int resets = 0;
        for (int i = 2; i < c.argc(); i++) {
            resets += monitor.reset(c.argString(i));
        }
        c.reply().integer(resets);
    }

    static void graph(Client c) {
        String event = c.argString(2);
        if (monitor(c).latest(event) == null) {
            throw new CommandError("ERR No samples available for event '" + event + "'");
        }
        c.reply().verbatim("txt", LatencyReport.graph(monitor(c), event, nowSeconds(c)));
    }

    static void doctor(Client c) {
        Observability o = c.server().observability();
        c.reply().verbatim("txt", LatencyReport.doctor(o.latency(), o.reportSettings(), nowSeconds(c)));
    }

    /**
     * LATENCY HISTOGRAM [command ...]: for each command (a container brings its subcommands) that
     * has a histogram, its calls and cumulative buckets; unknown names are skipped.
     */
    static void histogram(Client c) {
        List<CommandSpec> withData = new ArrayList<>();
        if (c.argc() == 2) {
            for (CommandSpec cmd : c.server().commands().commands()) {
                addWithSubcommands(withData, cmd);
            }
        } else {
            for (int i = 2; i < c.argc(); i++) {
                CommandSpec cmd = c.server().commands().spec(c.argString(i));
                if (cmd != null) {
                    addWithSubcommands(withData, cmd);
                }
            }
        }
        Reply r = c.reply();
        r.map(withData.size());
        for (CommandSpec cmd : withData) {
            Histogram h = cmd.stats().latencyHistogram;
            r.bulk(cmd.fullName());
            r.map(2);
            r.bulk("calls");
            r.integer(h.getTotalCount());
            r.bulk("histogram_usec");
            long[] buckets = LatencyHistograms.cumulativeBuckets(h);
            r.map(buckets.length / 2);
            for (long value : buckets) {
                r.integer(value);
            }
        }
    }

    private static void addWithSubcommands(List<CommandSpec> out, CommandSpec cmd) {
        if (cmd.stats().latencyHistogram != null) {
            out.add(cmd);
        }
        for (CommandSpec sub : cmd.subcommands().values()) {
            if (sub.stats().latencyHistogram != null) {
                out.add(sub);
            }
        }
    }

    static void help(Client c) {
        Help.reply(c,
                "DOCTOR",
                "    Return a human readable latency analysis report.",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram for the specified "
                        + "command names.",
                "    If no commands are specified then all histograms are replied.");
    }
}
