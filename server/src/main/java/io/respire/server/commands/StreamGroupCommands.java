package io.respire.server.commands;

import io.respire.ds.keyspace.Database;
import io.respire.ds.listpack.ValueSink;
import io.respire.ds.stream.Consumer;
import io.respire.ds.stream.ConsumerGroup;
import io.respire.ds.stream.PendingEntry;
import io.respire.ds.stream.Stream;
import io.respire.ds.stream.StreamEntry;
import io.respire.ds.stream.StreamId;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;
import io.respire.server.command.Replies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Consumer-group commands of streams (t_stream.c): XGROUP and its subcommands, XACK, XPENDING,
 * XCLAIM and XAUTOCLAIM. Their changes count in server.dirty as Redis counts them (one per
 * acknowledged, claimed or cleared entry, one per consumer created...), without touching WATCH.
 */
final class StreamGroupCommands {
    /** XAUTOCLAIM scans at most this many pending entries per entry it may claim. */
    private static final long ATTEMPTS_FACTOR = 10;
    /**
     * XAUTOCLAIM COUNTs from which Redis's up-front allocation of COUNT IDs (16 bytes each) fails
     * on x86-64 Linux: 2^41 is still granted (the memory is never touched), 2^42 is not.
     */
    private static final long AUTOCLAIM_COUNT_TOO_HIGH = 1L << 42;

    private StreamGroupCommands() {
    }

    static void register(CommandTable table) {
        for (String sub : List.of("create", "setid", "destroy", "createconsumer", "delconsumer")) {
            table.register("xgroup|" + sub, StreamGroupCommands::xgroup);
        }
        table.register("xgroup|help", StreamGroupCommands::xgroupHelp);
        table.register("xack", StreamGroupCommands::xack);
        table.register("xpending", StreamGroupCommands::xpending);
        table.register("xclaim", StreamGroupCommands::xclaim);
        table.register("xautoclaim", StreamGroupCommands::xautoclaim);
    }

    private static CommandError noGroup(byte[] key, byte[] group) {
        return new CommandError("NOGROUP No such key '" + StreamCommands.cString(key) + "' or consumer group '"
                + StreamCommands.cString(group) + "'");
    }

    // ------------------------------------------------------------------------------------------
    // XGROUP

    static void xgroupHelp(Client c) {
        Help.reply(c,
                "CREATE <key> <groupname> <id|$> [option]",
                "    Create a new consumer group. Options are:",
                "    * MKSTREAM",
                "      Create the empty stream if it does not exist.",
                "    * ENTRIESREAD entries_read",
                "      Set the group's entries_read counter (internal use).",
                "CREATECONSUMER <key> <groupname> <consumer>",
                "    Create a new consumer in the specified group.",
                "DELCONSUMER <key> <groupname> <consumer>",
                "    Remove the specified consumer.",
                "DESTROY <key> <groupname>",
                "    Remove the specified group.",
                "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                "    Set the current group ID and entries_read counter.");
    }

    /**
     * XGROUP CREATE|SETID|DESTROY|CREATECONSUMER|DELCONSUMER key group ...: one handler, as in
     * Redis, since they share the parsing of options and the checks of key and group.
     */
    static void xgroup(Client c) {
        String sub = c.argString(1).toUpperCase(java.util.Locale.ROOT);
        boolean create = sub.equals("CREATE");
        boolean mkStream = false;
        long entriesRead = ConsumerGroup.INVALID_ENTRIES_READ;
        for (int i = 5; i < c.argc(); ) {
            if (create && c.argIs(i, "MKSTREAM")) {
                mkStream = true;
                i++;
            } else if ((create || sub.equals("SETID")) && c.argIs(i, "ENTRIESREAD") && i + 1 < c.argc()) {
                entriesRead = Args.longArg(c, i + 1);
                if (entriesRead < 0 && entriesRead != ConsumerGroup.INVALID_ENTRIES_READ) {
                    throw new CommandError("ERR value for ENTRIESREAD must be positive or -1");
                }
                i += 2;
            } else {
                throw new CommandError(ClientCommands.subcommandSyntaxError(c));
            }
        }
        byte[] key = c.arg(2);
        byte[] name = c.arg(3);
        Stream s = StreamCommands.lookupWrite(c, key);
        ConsumerGroup group = null;
        if (!mkStream) {
            if (s == null) {
                throw new CommandError("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you "
                        + "may want to use the MKSTREAM option to create an empty stream automatically.");
            }
            group = s.group(name);
            if (group == null && !create && !sub.equals("DESTROY")) {
                throw new CommandError("NOGROUP No such consumer group '" + StreamCommands.cString(name)
                        + "' for key name '" + StreamCommands.cString(key) + "'");
            }
        }
        int argc = c.argc();
        switch (sub) {
            case "CREATE" -> {
                if (argc > 8) {
                    throw new CommandError(ClientCommands.subcommandSyntaxError(c));
                }
                create(c, key, s, name, entriesRead);
            }
            case "SETID" -> {
                if (argc != 5 && argc != 7) {
                    throw new CommandError(ClientCommands.subcommandSyntaxError(c));
                }
                group.lastId(c.argIs(4, "$") ? s.lastId() : StreamIds.parse(c.arg(4), 0));
                group.entriesRead(entriesRead);
                c.reply().ok();
                c.server().keyNotified(c.db(), key, "xgroup-setid", 1);
            }
            case "DESTROY" -> destroy(c, key, s, name);
            case "CREATECONSUMER" -> {
                boolean created = group.createConsumer(c.arg(4), c.server().nowMs()) != null;
                if (created) {
                    c.server().keyNotified(c.db(), key, "xgroup-createconsumer", 1);
                }
                c.reply().integer(created ? 1 : 0);
            }
            case "DELCONSUMER" -> {
                Consumer consumer = group.consumer(c.arg(4));
                long pending = 0;
                if (consumer != null) {
                    pending = consumer.pendingCount();
                    group.deleteConsumer(consumer);
                    c.server().keyNotified(c.db(), key, "xgroup-delconsumer", 1);
                }
                c.reply().integer(pending);
            }
            default -> throw new CommandError(ClientCommands.subcommandSyntaxError(c));
        }
    }

    /** XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n] */
    private static void create(Client c, byte[] key, Stream s, byte[] name, long entriesRead) {
        StreamId id;
        if (c.argIs(4, "$")) {
            id = s == null ? StreamId.MIN : s.lastId();
        } else {
            id = StreamIds.strict(c.arg(4), 0);
        }
        Database db = c.db();
        if (s == null) {
            s = new Stream(); // MKSTREAM, now that nothing can fail
            db.put(key, s);
            c.server().keyModified(db, key, null, 0);
        }
        if (s.createGroup(name, id, entriesRead) == null) {
            throw new CommandError("BUSYGROUP Consumer Group name already exists");
        }
        c.reply().ok();
        c.server().keyNotified(db, key, "xgroup-create", 1);
    }

    /** XGROUP DESTROY key group: blocked XREADGROUP readers of the group are told it is gone. */
    private static void destroy(Client c, byte[] key, Stream s, byte[] name) {
        if (!s.destroyGroup(name)) {
            c.reply().integer(0);
            return;
        }
        c.reply().integer(1);
        c.server().keyNotified(c.db(), key, "xgroup-destroy", 1);
        c.server().blockingKeys().signal(c.db(), key);
    }

    // ------------------------------------------------------------------------------------------
    // XACK and XPENDING

    /** XACK key group id [id ...]: without the key or group, 0 whatever the IDs. */
    static void xack(Client c) {
        byte[] key = c.arg(1);
        Stream s = StreamCommands.lookupRead(c, key);
        ConsumerGroup group = s == null ? null : s.group(c.arg(2));
        if (group == null) {
            c.reply().integer(0);
            return;
        }
        StreamId[] ids = new StreamId[c.argc() - 3];
        for (int j = 3; j < c.argc(); j++) {
            ids[j - 3] = StreamIds.strict(c.arg(j), 0); // all or nothing: parse every ID first
        }
        long acknowledged = 0;
        for (StreamId id : ids) {
            if (group.acknowledge(id)) {
                acknowledged++;
            }
        }
        if (acknowledged > 0) {
            c.server().keyNotified(c.db(), key, null, acknowledged);
        }
        c.reply().integer(acknowledged);
    }

    /** XPENDING key group [[IDLE min-idle] start end count [consumer]] */
    static void xpending(Client c) {
        int argc = c.argc();
        if (argc != 3 && (argc < 6 || argc > 9)) {
            throw new CommandError(Errors.SYNTAX);
        }
        long minIdle = 0;
        long count = 0;
        StreamId start = null;
        StreamId end = null;
        byte[] consumerName = null;
        if (argc >= 6) {
            int startIndex = 3;
            if (c.argIs(3, "IDLE")) {
                minIdle = Args.longArg(c, 4);
                if (argc < 8) {
                    throw new CommandError(Errors.SYNTAX);
                }
                startIndex += 2;
            }
            count = Math.max(0, Args.longArg(c, startIndex + 2));
            start = StreamIds.startOf(StreamIds.bound(c.arg(startIndex), 0));
            end = StreamIds.endOf(StreamIds.bound(c.arg(startIndex + 1), -1L));
            if (startIndex + 3 < argc) {
                consumerName = c.arg(startIndex + 3);
            }
        }
        Stream s = StreamCommands.lookupRead(c, c.arg(1));
        ConsumerGroup group = s == null ? null : s.group(c.arg(2));
        if (group == null) {
            throw noGroup(c.arg(1), c.arg(2));
        }
        if (argc == 3) {
            pendingSummary(c.reply(), group);
        } else {
            pendingRange(c, group, consumerName, minIdle, start, end, count);
        }
    }

    /** XPENDING's summary: count, first and last IDs, and the consumers with pending entries. */
    private static void pendingSummary(Reply r, ConsumerGroup group) {
        r.array(4);
        r.integer(group.pendingCount());
        if (group.pendingCount() == 0) {
            r.nullBulk();
            r.nullBulk();
            r.nullArray();
            return;
        }
        StreamCommands.writeId(r, group.pending().firstKey());
        StreamCommands.writeId(r, group.pending().lastKey());
        List<Consumer> owners = new ArrayList<>();
        for (Consumer consumer : group.consumers()) {
            if (consumer.pendingCount() > 0) {
                owners.add(consumer);
            }
        }
        r.array(owners.size());
        for (Consumer consumer : owners) {
            r.array(2);
            r.bulk(consumer.name());
            r.bulkLong(consumer.pendingCount());
        }
    }

    /** XPENDING's extended form: [id, consumer, idle ms, deliveries] for each pending entry in range. */
    private static void pendingRange(Client c, ConsumerGroup group, byte[] consumerName, long minIdle,
                                     StreamId start, StreamId end, long count) {
        NavigableMap<StreamId, PendingEntry> pel = group.pending();
        if (consumerName != null) {
            Consumer consumer = group.consumer(consumerName);
            if (consumer == null) {
                c.reply().array(0);
                return;
            }
            pel = consumer.pending();
        }
        long now = c.server().nowMs();
        List<Map.Entry<StreamId, PendingEntry>> shown = new ArrayList<>();
        for (Map.Entry<StreamId, PendingEntry> e : pel.tailMap(start, true).entrySet()) {
            if (count == 0 || e.getKey().compareTo(end) > 0) {
                break;
            }
            if (minIdle != 0 && now - e.getValue().deliveryTime() < minIdle) {
                continue;
            }
            shown.add(e);
            count--;
        }
        Reply r = c.reply();
        r.array(shown.size());
        for (Map.Entry<StreamId, PendingEntry> e : shown) {
            PendingEntry nack = e.getValue();
            r.array(4);
            StreamCommands.writeId(r, e.getKey());
            r.bulk(nack.consumer().name());
            r.integer(Math.max(0, now - nack.deliveryTime()));
            r.integer(nack.deliveryCount());
        }
    }

    // ------------------------------------------------------------------------------------------
    // XCLAIM and XAUTOCLAIM

    /** What XCLAIM was asked besides the IDs. */
    private record ClaimOptions(boolean force, boolean justId, long deliveryTime, long retryCount, StreamId lastId) {
    }

    /**
     * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms] [RETRYCOUNT n]
     * [FORCE] [JUSTID] [LASTID id]: the IDs end where the first argument does not parse as one.
     */
    static void xclaim(Client c) {
        byte[] key = c.arg(1);
        Stream s = StreamCommands.lookupRead(c, key);
        ConsumerGroup group = s == null ? null : s.group(c.arg(2));
        if (group == null) {
            throw noGroup(key, c.arg(2));
        }
        long minIdle = Math.max(0, Args.longArg(c, 4, "ERR Invalid min-idle-time argument for XCLAIM"));
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (StreamId id; j < c.argc() && (id = StreamIds.strictOrNull(c.arg(j))) != null; j++) {
            ids.add(id);
        }
        long now = c.server().nowMs();
        ClaimOptions o = claimOptions(c, j, now);
        Database db = c.db();
        long changes = 0;
        boolean lastIdMoved = false;
        if (o.lastId().compareTo(group.lastId()) > 0) {
            group.lastId(o.lastId());
            lastIdMoved = true;
        }
        Consumer consumer = null;
        List<Object> claimed = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            StreamId id = ids.get(i);
            byte[] idArg = c.arg(5 + i);
            PendingEntry nack = group.pendingEntry(id);
            StreamEntry entry = s.find(id);
            if (entry == null) {
                if (nack != null) {
                    StreamEffects.claim(c, key, c.arg(2), group, idArg, nack); // before the delivery goes
                    group.acknowledge(id); // the entry is gone: so is its delivery
                    changes++;
                    lastIdMoved = false; // Redis propagates the last ID with this change
                }
                continue;
            }
            if (o.force() && nack == null) {
                nack = group.createUnowned(id, now);
            }
            if (nack == null) {
                continue;
            }
            if (nack.consumer() != null && minIdle != 0 && now - nack.deliveryTime() < minIdle) {
                continue;
            }
            if (consumer == null) {
                consumer = StreamReadCommands.consumerFor(c, key, group, c.arg(3));
            }
            group.transfer(id, nack, consumer);
            nack.deliveryTime(o.deliveryTime());
            if (o.retryCount() >= 0) {
                nack.deliveryCount(o.retryCount());
            } else if (!o.justId()) {
                nack.deliveryCount(nack.deliveryCount() + 1);
            }
            claimed.add(o.justId() ? id : entry);
            StreamEffects.claim(c, key, c.arg(2), group, idArg, nack);
            changes++;
            lastIdMoved = false;
        }
        if (lastIdMoved) {
            StreamEffects.groupId(c, key, c.arg(2), group);
            changes++;
        }
        c.preventPropagation(); // propagated as the idempotent forms above
        if (changes > 0) {
            c.server().keyNotified(db, key, null, changes);
        }
        writeClaimed(c.reply(), claimed);
    }

    /** XCLAIM's options from argument {@code j}; the delivery time defaults to now and is kept sane. */
    private static ClaimOptions claimOptions(Client c, int j, long now) {
        boolean force = false;
        boolean justId = false;
        long deliveryTime = -1;
        long retryCount = -1;
        StreamId lastId = StreamId.MIN;
        for (; j < c.argc(); j++) {
            boolean more = j < c.argc() - 1;
            if (c.argIs(j, "FORCE")) {
                force = true;
            } else if (c.argIs(j, "JUSTID")) {
                justId = true;
            } else if (c.argIs(j, "IDLE") && more) {
                deliveryTime = now - Args.longArg(c, ++j, "ERR Invalid IDLE option argument for XCLAIM");
            } else if (c.argIs(j, "TIME") && more) {
                deliveryTime = Args.longArg(c, ++j, "ERR Invalid TIME option argument for XCLAIM");
            } else if (c.argIs(j, "RETRYCOUNT") && more) {
                retryCount = Args.longArg(c, ++j, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (c.argIs(j, "LASTID") && more) {
                lastId = StreamIds.strict(c.arg(++j), 0);
            } else {
                throw new CommandError("ERR Unrecognized XCLAIM option '" + StreamCommands.cString(c.arg(j)) + "'");
            }
        }
        // A bogus time (the client's clock ahead of ours, say) is not worth an error: now instead.
        if (deliveryTime < 0 || deliveryTime > now) {
            deliveryTime = now;
        }
        return new ClaimOptions(force, justId, deliveryTime, retryCount, lastId);
    }

    /** Claimed entries, each [id, [fields]], or their IDs alone (JUSTID). */
    private static void writeClaimed(Reply r, List<Object> claimed) {
        r.array(claimed.size());
        ValueSink sink = Replies.bulkSink(r);
        for (Object o : claimed) {
            if (o instanceof StreamEntry e) {
                StreamCommands.writeEntry(r, e, sink);
            } else {
                StreamCommands.writeId(r, (StreamId) o);
            }
        }
    }

    /**
     * XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]: claims up to COUNT
     * entries idle long enough, scanning the group's PEL from {@code start} (at most 10 entries
     * per COUNT); replies the ID to continue from (0-0 at the end), the claimed entries and the
     * IDs of pending entries whose stream entry was deleted, which it clears.
     */
    static void xautoclaim(Client c) {
        long minIdle = Math.max(0, Args.longArg(c, 4, "ERR Invalid min-idle-time argument for XAUTOCLAIM"));
        StreamId start = StreamIds.startOf(StreamIds.bound(c.arg(5), 0));
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < c.argc(); j++) {
            if (c.argIs(j, "COUNT") && j < c.argc() - 1) {
                count = Args.rangeLongArg(c, j + 1, 1, Long.MAX_VALUE / 16, "ERR COUNT must be > 0");
                j++;
            } else if (c.argIs(j, "JUSTID")) {
                justId = true;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        byte[] key = c.arg(1);
        Stream s = StreamCommands.lookupRead(c, key);
        ConsumerGroup group = s == null ? null : s.group(c.arg(2));
        if (group == null) {
            throw noGroup(key, c.arg(2));
        }
        if (count >= AUTOCLAIM_COUNT_TOO_HIGH) {
            throw new CommandError("ERR Insufficient memory, failed allocating transient memory, COUNT too high.");
        }
        long now = c.server().nowMs();
        long attempts = count * ATTEMPTS_FACTOR;
        long changes = 0;
        Consumer consumer = null;
        List<Object> claimed = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        NavigableMap<StreamId, PendingEntry> pel = group.pending();
        StreamId next = pel.ceilingKey(start);
        while (attempts-- > 0 && count > 0 && next != null) {
            StreamId id = next;
            next = pel.higherKey(id);
            PendingEntry nack = pel.get(id);
            StreamEntry entry = s.find(id);
            if (entry == null) {
                StreamEffects.claim(c, key, c.arg(2), group, id.toBytes(), nack); // before the delivery goes
                group.acknowledge(id);
                deleted.add(id);
                changes++;
                count--; // COUNT bounds the reply, deleted IDs included
                continue;
            }
            if (minIdle != 0 && now - nack.deliveryTime() < minIdle) {
                continue;
            }
            if (consumer == null) {
                consumer = StreamReadCommands.consumerFor(c, key, group, c.arg(3));
            }
            group.transfer(id, nack, consumer);
            nack.deliveryTime(now);
            if (!justId) {
                nack.deliveryCount(nack.deliveryCount() + 1);
            }
            claimed.add(justId ? id : entry);
            StreamEffects.claim(c, key, c.arg(2), group, id.toBytes(), nack);
            count--;
            changes++;
        }
        if (changes > 0) {
            c.server().keyNotified(c.db(), key, null, changes);
        }
        c.preventPropagation(); // propagated as one XCLAIM per entry claimed or cleared
        Reply r = c.reply();
        r.array(3);
        StreamCommands.writeId(r, next == null ? StreamId.MIN : next);
        writeClaimed(r, claimed);
        r.array(deleted.size());
        for (StreamId id : deleted) {
            StreamCommands.writeId(r, id);
        }
    }
}
