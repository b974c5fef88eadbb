package io.respire.server.commands;

import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;
import io.respire.server.observability.Slowlog;

import java.util.List;

/** SLOWLOG GET / LEN / RESET / HELP (Redis's slowlog.c); the log itself is observability.Slowlog. */
public final class SlowlogCommands {
    private SlowlogCommands() {
    }

    static void register(CommandTable table) {
        table.register("slowlog|get", SlowlogCommands::get);
        table.register("slowlog|len", SlowlogCommands::len);
        table.register("slowlog|reset", SlowlogCommands::reset);
        table.register("slowlog|help", SlowlogCommands::help);
    }

    /** SLOWLOG GET [count]: the newest count entries (10 by default, -1 for all), newest first. */
    static void get(Client c) {
        if (c.argc() > 3) {
            throw new CommandError(ClientCommands.subcommandSyntaxError(c));
        }
        long count = 10;
        if (c.argc() == 3) {
            count = Args.rangeLongArg(c, 2, -1, Long.MAX_VALUE, "ERR count should be greater than or equal to -1");
        }
        List<Slowlog.Entry> entries = c.server().observability().slowlog().latest(count);
        Reply r = c.reply();
        r.array(entries.size());
        for (Slowlog.Entry e : entries) {
            r.array(6);
            r.integer(e.id());
            r.integer(e.timeSeconds());
            r.integer(e.durationMicros());
            r.array(e.argv().length);
            for (byte[] arg : e.argv()) {
                r.bulk(arg);
            }
            r.bulk(e.peer());
            r.bulk(e.name());
        }
    }

    static void len(Client c) {
        c.reply().integer(c.server().observability().slowlog().size());
    }

    static void reset(Client c) {
        c.server().observability().slowlog().reset();
        c.reply().ok();
    }

    static void help(Client c) {
        Help.reply(c,
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog.");
    }
}
