package io.respire.server.commands;

import io.respire.ds.stream.Consumer;
import io.respire.ds.stream.ConsumerGroup;
import io.respire.ds.stream.PendingEntry;
import io.respire.ds.stream.Stream;
import io.respire.ds.stream.StreamCursor;
import io.respire.ds.stream.StreamId;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;
import io.respire.server.command.Replies;

import java.util.List;
import java.util.Map;

/** XINFO STREAM [FULL [COUNT n]], GROUPS, CONSUMERS and HELP (t_stream.c xinfoCommand). */
final class StreamInfoCommands {
    /** XINFO STREAM FULL shows this many entries and pending entries per list unless told otherwise. */
    private static final long FULL_DEFAULT_COUNT = 10;

    private StreamInfoCommands() {
    }

    static void register(CommandTable table) {
        table.register("xinfo|stream", StreamInfoCommands::stream);
        table.register("xinfo|groups", StreamInfoCommands::groups);
        table.register("xinfo|consumers", StreamInfoCommands::consumers);
        table.register("xinfo|help", c -> Help.reply(c,
                "CONSUMERS <key> <groupname>",
                "    Show consumers of <groupname>.",
                "GROUPS <key>",
                "    Show the stream consumer groups.",
                "STREAM <key> [FULL [COUNT <count>]",
                "    Show information about the stream."));
    }

    /** The stream at argument 2: "no such key" if missing, WRONGTYPE if not a stream. */
    private static Stream streamArg(Client c) {
        Stream s = StreamCommands.lookupRead(c, c.arg(2));
        if (s == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        return s;
    }

    /** XINFO CONSUMERS key group: name, pending count and idle time of each consumer. */
    static void consumers(Client c) {
        Stream s = streamArg(c);
        ConsumerGroup group = s.group(c.arg(3));
        if (group == null) {
            throw new CommandError("NOGROUP No such consumer group '" + StreamCommands.cString(c.arg(3))
                    + "' for key name '" + StreamCommands.cString(c.arg(2)) + "'");
        }
        Reply r = c.reply();
        long now = c.server().nowMs();
        r.array(group.consumerCount());
        for (Consumer consumer : group.consumers()) {
            r.map(3);
            r.bulk("name");
            r.bulk(consumer.name());
            r.bulk("pending");
            r.integer(consumer.pendingCount());
            r.bulk("idle");
            r.integer(Math.max(0, now - consumer.seenTime()));
        }
    }

    /** XINFO GROUPS key: each group's consumers, pending count, last ID, read counter and lag. */
    static void groups(Client c) {
        Stream s = streamArg(c);
        Reply r = c.reply();
        r.array(s.groupCount());
        for (Map.Entry<byte[], ConsumerGroup> e : s.groups().entrySet()) {
            ConsumerGroup g = e.getValue();
            r.map(6);
            r.bulk("name");
            r.bulk(e.getKey());
            r.bulk("consumers");
            r.integer(g.consumerCount());
            r.bulk("pending");
            r.integer(g.pendingCount());
            r.bulk("last-delivered-id");
            StreamCommands.writeId(r, g.lastId());
            writeReadCounterAndLag(r, s, g);
        }
    }

    private static void writeReadCounterAndLag(Reply r, Stream s, ConsumerGroup g) {
        r.bulk("entries-read");
        if (g.entriesRead() != ConsumerGroup.INVALID_ENTRIES_READ) {
            r.integer(g.entriesRead());
        } else {
            r.nullBulk();
        }
        r.bulk("lag");
        Long lag = s.lag(g);
        if (lag != null) {
            r.integer(lag);
        } else {
            r.nullBulk();
        }
    }

    /** XINFO STREAM key [FULL [COUNT n]] */
    static void stream(Client c) {
        Stream s = streamArg(c);
        int options = c.argc() - 3;
        boolean full = options > 0;
        long count = FULL_DEFAULT_COUNT;
        if (full) {
            if ((options != 1 && options != 3) || !c.argIs(3, "FULL") || (options == 3 && !c.argIs(4, "COUNT"))) {
                throw new CommandError(ClientCommands.subcommandSyntaxError(c));
            }
            if (options == 3) {
                count = Args.longArg(c, 5);
                if (count < 0) {
                    count = FULL_DEFAULT_COUNT;
                }
            }
        }
        Reply r = c.reply();
        r.map(full ? 9 : 10);
        r.bulk("length");
        r.integer(s.length());
        r.bulk("radix-tree-keys");
        r.integer(s.nodeCount());
        r.bulk("radix-tree-nodes");
        r.integer(s.radixTreeNodes());
        r.bulk("last-generated-id");
        StreamCommands.writeId(r, s.lastId());
        r.bulk("max-deleted-entry-id");
        StreamCommands.writeId(r, s.maxDeletedId());
        r.bulk("entries-added");
        r.integer(s.entriesAdded());
        r.bulk("recorded-first-entry-id");
        StreamCommands.writeId(r, s.firstId());
        if (full) {
            r.bulk("entries");
            StreamCommands.writeEntries(r, StreamCommands.collect(s.cursor(StreamId.MIN, StreamId.MAX, false), count));
            r.bulk("groups");
            r.array(s.groupCount());
            for (Map.Entry<byte[], ConsumerGroup> e : s.groups().entrySet()) {
                writeFullGroup(r, s, e.getKey(), e.getValue(), count);
            }
        } else {
            r.bulk("groups");
            r.integer(s.groupCount());
            r.bulk("first-entry");
            writeEdge(r, s.cursor(StreamId.MIN, StreamId.MAX, false));
            r.bulk("last-entry");
            writeEdge(r, s.cursor(StreamId.MIN, StreamId.MAX, true));
        }
    }

    /** The first entry a cursor finds, or a null. */
    private static void writeEdge(Reply r, StreamCursor cur) {
        if (cur.next()) {
            StreamCommands.writeEntry(r, cur.entry(), Replies.bulkSink(r));
        } else {
            r.nullBulk();
        }
    }

    /** A group in XINFO STREAM FULL: its counters, up to {@code count} pending entries, its consumers. */
    private static void writeFullGroup(Reply r, Stream s, byte[] name, ConsumerGroup g, long count) {
        r.map(7);
        r.bulk("name");
        r.bulk(name);
        r.bulk("last-delivered-id");
        StreamCommands.writeId(r, g.lastId());
        writeReadCounterAndLag(r, s, g);
        r.bulk("pel-count");
        r.integer(g.pendingCount());
        r.bulk("pending");
        List<Map.Entry<StreamId, PendingEntry>> pending = first(g.pending(), count);
        r.array(pending.size());
        for (Map.Entry<StreamId, PendingEntry> e : pending) {
            r.array(4);
            StreamCommands.writeId(r, e.getKey());
            r.bulk(e.getValue().consumer().name());
            r.integer(e.getValue().deliveryTime());
            r.integer(e.getValue().deliveryCount());
        }
        r.bulk("consumers");
        r.array(g.consumerCount());
        for (Consumer consumer : g.consumers()) {
            r.map(4);
            r.bulk("name");
            r.bulk(consumer.name());
            r.bulk("seen-time");
            r.integer(consumer.seenTime());
            r.bulk("pel-count");
            r.integer(consumer.pendingCount());
            r.bulk("pending");
            List<Map.Entry<StreamId, PendingEntry>> own = first(consumer.pending(), count);
            r.array(own.size());
            for (Map.Entry<StreamId, PendingEntry> e : own) {
                r.array(3);
                StreamCommands.writeId(r, e.getKey());
                r.integer(e.getValue().deliveryTime());
                r.integer(e.getValue().deliveryCount());
            }
        }
    }

    /** The first {@code count} entries of a PEL (all when 0). */
    private static List<Map.Entry<StreamId, PendingEntry>> first(Map<StreamId, PendingEntry> pel, long count) {
        return pel.entrySet().stream().limit(count == 0 ? Long.MAX_VALUE : count).toList();
    }
}
