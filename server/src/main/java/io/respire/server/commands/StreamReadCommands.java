package io.respire.server.commands;

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
import io.respire.server.blocking.BlockTimeout;
import io.respire.server.blocking.Waiter;
import io.respire.server.command.Args;
import io.respire.server.command.Replies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * XREAD and XREADGROUP (Redis's xreadCommand, which serves both): read the entries after an ID
 * from one or more streams, at once or, with BLOCK, once some arrive (through
 * {@link io.respire.server.blocking.BlockingKeys}). XREADGROUP reads for a consumer of a group:
 * "&gt;" delivers entries the group has not seen (recording them as pending unless NOACK), any
 * other ID replays the consumer's own pending entries after it.
 */
final class StreamReadCommands {
    /** Redis's XREAD_BLOCKED_DEFAULT_COUNT: a blocked read without COUNT gets at most this many. */
    private static final int BLOCKED_DEFAULT_COUNT = 1000;

    private StreamReadCommands() {
    }

    /** The group side of an XREADGROUP: who reads, and whether deliveries become pending. */
    private record GroupRead(byte[] group, byte[] consumer, boolean noAck) {
    }

    /** One delivered item of a history read: the entry, or null if it was deleted since. */
    private record Delivered(StreamId id, StreamEntry entry) {
    }

    /** What one stream contributes to the reply. */
    private record Served(byte[] key, List<StreamEntry> entries, List<Delivered> history) {
    }

    /**
     * XREAD [COUNT n] [BLOCK ms] STREAMS key ... id ..., and XREADGROUP GROUP group consumer
     * [COUNT n] [BLOCK ms] [NOACK] STREAMS key ... id ...
     */
    static void xread(Client c) {
        boolean readGroup = c.arg(0).length == 10; // as Redis tells XREADGROUP from XREAD
        c.preventPropagation(); // XREADGROUP's changes are propagated as XCLAIM / XGROUP forms
        long timeout = -1;
        long count = 0;
        int streamsIndex = 0;
        int streams = 0;
        GroupRead groupRead = null;
        boolean noAck = false;
        for (int i = 1; i < c.argc(); i++) {
            int more = c.argc() - i - 1;
            if (c.argIs(i, "BLOCK") && more > 0) {
                if (c.detached()) {
                    throw new CommandError("ERR " + c.argString(0) + " command is not allowed with BLOCK option from scripts");
                }
                i++;
                timeout = timeoutArg(c, i);
            } else if (c.argIs(i, "COUNT") && more > 0) {
                i++;
                count = Math.max(0, Args.longArg(c, i));
            } else if (c.argIs(i, "STREAMS") && more > 0) {
                streamsIndex = i + 1;
                streams = c.argc() - streamsIndex;
                if (streams % 2 != 0) {
                    throw new CommandError("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
                }
                streams /= 2;
                break;
            } else if (c.argIs(i, "GROUP") && more >= 2) {
                if (!readGroup) {
                    throw new CommandError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                groupRead = new GroupRead(c.arg(i + 1), c.arg(i + 2), false);
                i += 2;
            } else if (c.argIs(i, "NOACK")) {
                if (!readGroup) {
                    throw new CommandError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                noAck = true;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (streamsIndex == 0) {
            throw new CommandError(Errors.SYNTAX);
        }
        if (readGroup && groupRead == null) {
            throw new CommandError("ERR Missing GROUP option for XREADGROUP");
        }
        if (groupRead != null) {
            groupRead = new GroupRead(groupRead.group(), groupRead.consumer(), noAck);
        }
        byte[][] keys = Arrays.copyOfRange(c.argv(), streamsIndex, streamsIndex + streams);
        StreamId[] ids = parseIds(c, keys, streamsIndex + streams, groupRead);
        List<Served> served = serveNow(c, keys, ids, count, groupRead);
        if (!served.isEmpty()) {
            writeServed(c.reply(), served);
        } else if (timeout == -1 || c.denyBlocking()) {
            c.reply().nullArray(); // no BLOCK, or inside MULTI: as a timeout
        } else {
            block(c, keys, ids, count == 0 ? BLOCKED_DEFAULT_COUNT : count, groupRead, deadline(c, timeout));
        }
    }

    /** BLOCK's milliseconds (getTimeoutFromObjectOrReply with UNIT_MILLISECONDS). */
    private static long timeoutArg(Client c, int i) {
        long ms = Args.longArg(c, i, "ERR timeout is not an integer or out of range");
        if (ms < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        return ms;
    }

    /** The absolute deadline of a BLOCK of {@code ms} (0: none; past the end of time: none either). */
    private static long deadline(Client c, long ms) {
        long now = c.server().nowMs();
        return ms == 0 || ms > Long.MAX_VALUE - now ? BlockTimeout.FOREVER : now + ms;
    }

    /**
     * The ID after which to read each stream; each key is checked (type, group) before its ID is
     * parsed, as Redis does. "$" is the stream's last ID; "&gt;" (XREADGROUP only) is recorded as
     * the largest ID, which stands for "the group's last delivered ID".
     */
    private static StreamId[] parseIds(Client c, byte[][] keys, int idsIndex, GroupRead groupRead) {
        StreamId[] ids = new StreamId[keys.length];
        for (int i = 0; i < keys.length; i++) {
            Stream s = StreamCommands.lookupRead(c, keys[i]);
            if (groupRead != null && (s == null || s.group(groupRead.group()) == null)) {
                throw new CommandError("NOGROUP No such key '" + StreamCommands.cString(keys[i]) + "' or consumer group '"
                        + StreamCommands.cString(groupRead.group()) + "' in XREADGROUP with GROUP option");
            }
            int idIndex = idsIndex + i;
            if (c.argIs(idIndex, "$")) {
                if (groupRead != null) {
                    throw new CommandError("ERR The $ ID is meaningless in the context of XREADGROUP: you want to "
                            + "read the history of this consumer by specifying a proper ID, or use the > ID to get new "
                            + "messages. The $ ID would just return an empty result set.");
                }
                ids[i] = s == null ? StreamId.MIN : s.lastId();
            } else if (c.argIs(idIndex, ">")) {
                if (groupRead == null) {
                    throw new CommandError("ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
                            + "<group> <consumer> option.");
                }
                ids[i] = StreamId.MAX;
            } else {
                ids[i] = StreamIds.strict(c.arg(idIndex), 0);
            }
        }
        return ids;
    }

    /**
     * Serves at once the streams that have something for the reader, in order (a key named twice
     * is judged again after the first read). XREADGROUP with an ID other than "&gt;" always
     * serves, from the consumer's history; "&gt;" and XREAD serve when an entry is newer than the
     * ID.
     */
    private static List<Served> serveNow(Client c, byte[][] keys, StreamId[] ids, long count, GroupRead groupRead) {
        List<Served> served = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            Stream s = StreamCommands.lookupRead(c, keys[i]);
            if (s == null) {
                continue;
            }
            StreamId after = ids[i];
            boolean history = false;
            if (groupRead != null && !after.equals(StreamId.MAX)) {
                history = true;
            } else if (s.length() == 0) {
                continue;
            } else {
                StreamId newest = s.lastValidId();
                StreamId known = groupRead != null ? s.group(groupRead.group()).lastId() : after;
                if (newest.compareTo(known) <= 0) {
                    continue;
                }
                after = known;
            }
            served.add(read(c, keys[i], s, after, count, groupRead, history));
            if (groupRead != null) {
                c.server().keyNotified(c.db(), keys[i], null, 1);
            }
        }
        return served;
    }

    /** Reads one stream for the reply: the entries after {@code after}, or the consumer's history. */
    private static Served read(Client c, byte[] key, Stream s, StreamId after, long count, GroupRead groupRead,
                               boolean history) {
        StreamId start = after.next() == null ? StreamId.MIN : after.next(); // wraps as streamIncrID does
        if (groupRead == null) {
            return new Served(key, StreamCommands.collect(s.cursor(start, StreamId.MAX, false), count), null);
        }
        ConsumerGroup group = s.group(groupRead.group());
        Consumer consumer = readingConsumer(c, key, group, groupRead);
        if (history) {
            return new Served(key, null, history(c, s, consumer, start, count));
        }
        return new Served(key, deliver(c, key, s, group, consumer, start, count, groupRead), null);
    }

    /**
     * The consumer an XREADGROUP reads as, created if missing. With NOACK its creation is
     * propagated on its own (XGROUP CREATECONSUMER), since no XCLAIM will create it on a replica.
     */
    private static Consumer readingConsumer(Client c, byte[] key, ConsumerGroup group, GroupRead groupRead) {
        boolean exists = group.consumer(groupRead.consumer()) != null;
        Consumer consumer = consumerFor(c, key, group, groupRead.consumer());
        if (!exists && groupRead.noAck()) {
            StreamEffects.consumerCreated(c, key, groupRead.group(), consumer.name());
        }
        return consumer;
    }

    /** The consumer of that name, seen now; created (and counted as a change) if missing. */
    static Consumer consumerFor(Client c, byte[] key, ConsumerGroup group, byte[] name) {
        long now = c.server().nowMs();
        Consumer consumer = group.consumer(name);
        if (consumer != null) {
            consumer.seen(now);
            return consumer;
        }
        consumer = group.createConsumer(name, now);
        c.server().keyNotified(c.db(), key, "xgroup-createconsumer", 1);
        return consumer;
    }

    /**
     * Delivers new entries to a consumer (streamReplyWithRange with a group): the group's last ID
     * and read counter move on, and each entry becomes pending for the consumer unless NOACK.
     * Propagated as an XCLAIM per entry made pending, or with NOACK as the group's new last ID.
     */
    private static List<StreamEntry> deliver(Client c, byte[] key, Stream s, ConsumerGroup group, Consumer consumer,
                                             StreamId start, long count, GroupRead groupRead) {
        List<StreamEntry> entries = StreamCommands.collect(s.cursor(start, StreamId.MAX, false), count);
        long now = c.server().nowMs();
        for (StreamEntry e : entries) {
            StreamId id = e.id();
            s.markDelivered(group, id);
            if (!groupRead.noAck()) {
                group.deliver(id, consumer, now);
                StreamEffects.claim(c, key, groupRead.group(), group, id.toBytes(), group.pendingEntry(id));
            }
        }
        if (groupRead.noAck() && !entries.isEmpty()) {
            StreamEffects.groupId(c, key, groupRead.group(), group);
        }
        return entries;
    }

    /**
     * The consumer's pending entries from {@code start} (streamReplyWithRangeFromConsumerPEL):
     * each found entry counts as delivered again; one deleted since shows as its ID alone.
     */
    private static List<Delivered> history(Client c, Stream s, Consumer consumer, StreamId start, long count) {
        List<Delivered> out = new ArrayList<>();
        long now = c.server().nowMs();
        for (Map.Entry<StreamId, PendingEntry> e : consumer.pending().tailMap(start, true).entrySet()) {
            if (count != 0 && out.size() >= count) {
                break;
            }
            StreamEntry entry = s.find(e.getKey());
            if (entry != null) {
                e.getValue().deliveryTime(now);
                e.getValue().deliveryCount(e.getValue().deliveryCount() + 1);
            }
            out.add(new Delivered(e.getKey(), entry));
        }
        return out;
    }

    /** The reply: per stream, its key and entries; a map in RESP3, pairs in an array in RESP2. */
    private static void writeServed(Reply r, List<Served> served) {
        if (r.protocol() == 2) {
            r.array(served.size());
        } else {
            r.map(served.size());
        }
        for (Served s : served) {
            if (r.protocol() == 2) {
                r.array(2);
            }
            r.bulk(s.key());
            if (s.history() == null) {
                StreamCommands.writeEntries(r, s.entries());
            } else {
                writeHistory(r, s.history());
            }
        }
    }

    private static void writeHistory(Reply r, List<Delivered> items) {
        r.array(items.size());
        ValueSink sink = Replies.bulkSink(r);
        for (Delivered d : items) {
            if (d.entry() != null) {
                StreamCommands.writeEntry(r, d.entry(), sink);
            } else {
                r.array(2);
                StreamCommands.writeId(r, d.id());
                r.nullArray();
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Blocking

    /**
     * Blocks the reader until one of the streams has an entry after its ID (blockForKeys with
     * BLOCKED_STREAM). A key named twice waits for the first ID given for it, as Redis keeps.
     */
    private static void block(Client c, byte[][] keys, StreamId[] ids, long count, GroupRead groupRead, long deadline) {
        c.server().blockingKeys().block(c, Arrays.asList(keys), deadline, Stream.class, new Waiter() {
            @Override
            public boolean serve(Client receiver, byte[] key, Object value) {
                return serveBlocked(receiver, key, (Stream) value, firstIdFor(keys, ids, key), count, groupRead);
            }

            @Override
            public boolean keyGone(Client receiver) {
                if (groupRead == null) {
                    return false; // XREAD waits for the key to come back
                }
                receiver.reply().error("UNBLOCKED the stream key no longer exists");
                return true;
            }
        });
    }

    private static StreamId firstIdFor(byte[][] keys, StreamId[] ids, byte[] key) {
        for (int i = 0; i < keys.length; i++) {
            if (Arrays.equals(keys[i], key)) {
                return ids[i];
            }
        }
        throw new IllegalStateException("served on a key it did not block on");
    }

    /**
     * Serves a blocked reader from a stream that was written (serveClientsBlockedOnStreamKey):
     * it gets the entries after its ID (a group reader: after its group's last ID, which others
     * may have moved) once the stream's last ID is past it; a reader whose group is gone gets
     * an error.
     */
    private static boolean serveBlocked(Client c, byte[] key, Stream s, StreamId id, long count, GroupRead groupRead) {
        StreamId after = id;
        ConsumerGroup group = null;
        if (groupRead != null) {
            group = s.group(groupRead.group());
            if (group == null) {
                c.reply().error("NOGROUP the consumer group this client was blocked on no longer exists");
                return true;
            }
            after = group.lastId();
        }
        if (s.lastId().compareTo(after) <= 0) {
            return false;
        }
        Served served;
        StreamId start = after.next() == null ? StreamId.MIN : after.next();
        if (group == null) {
            served = new Served(key, StreamCommands.collect(s.cursor(start, StreamId.MAX, false), count), null);
        } else {
            Consumer consumer = readingConsumer(c, key, group, groupRead);
            served = new Served(key, deliver(c, key, s, group, consumer, start, count, groupRead), null);
        }
        writeServed(c.reply(), List.of(served));
        return true;
    }
}
