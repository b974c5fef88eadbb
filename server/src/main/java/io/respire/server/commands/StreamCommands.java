package io.respire.server.commands;

import io.respire.ds.keyspace.Database;
import io.respire.ds.listpack.ValueSink;
import io.respire.ds.stream.Stream;
import io.respire.ds.stream.StreamCursor;
import io.respire.ds.stream.StreamEntry;
import io.respire.ds.stream.StreamId;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Replies;
import io.respire.server.keyspace.Keys;
import io.respire.server.replication.Effects;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stream commands (Redis's t_stream.c) over {@link Stream}: this class registers the whole family
 * and holds the entry commands (XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XSETID); reading
 * with XREAD and XREADGROUP is in {@link StreamReadCommands}, consumer groups (XGROUP, XACK,
 * XPENDING, XCLAIM, XAUTOCLAIM) in {@link StreamGroupCommands}, XINFO in
 * {@link StreamInfoCommands}.
 *
 * <p>Writes are counted as Redis counts them in server.dirty. Only XADD, XDEL, XTRIM and the
 * stream XGROUP CREATE MKSTREAM makes call Redis's signalModifiedKey (so touch WATCH and wake
 * blocked readers, through {@code keyModified}); the group bookkeeping of the other commands is
 * counted and notified without it ({@code keyNotified}), as in Redis.
 */
public final class StreamCommands {
    private StreamCommands() {
    }

    static void register(CommandTable table) {
        table.register("xadd", StreamCommands::xadd);
        table.register("xrange", c -> rangeGeneric(c, false));
        table.register("xrevrange", c -> rangeGeneric(c, true));
        table.register("xlen", StreamCommands::xlen);
        table.register("xdel", StreamCommands::xdel);
        table.register("xtrim", StreamCommands::xtrim);
        table.register("xsetid", StreamCommands::xsetid);
        table.register("xread", StreamReadCommands::xread);
        table.register("xreadgroup", StreamReadCommands::xread);
        StreamGroupCommands.register(table);
        StreamInfoCommands.register(table);
    }

    // ------------------------------------------------------------------------------------------
    // Lookup and replies shared by the family

    /** The stream at {@code key} (lookupKeyRead + checkType), or null; WRONGTYPE for another type. */
    static Stream lookupRead(Client c, byte[] key) {
        return Keys.lookupRead(c, key, Stream.class);
    }

    /** As {@link #lookupRead} for a key about to be written (no hit/miss statistics). */
    static Stream lookupWrite(Client c, byte[] key) {
        return Keys.lookupWrite(c, key, Stream.class);
    }

    /** An argument as C's %s prints it in an error: up to its first NUL byte. */
    static String cString(byte[] arg) {
        int n = 0;
        while (n < arg.length && arg[n] != 0) {
            n++;
        }
        return new String(arg, 0, n, StandardCharsets.UTF_8);
    }

    /** The entries of a range, collected first since the reply's length comes before them. */
    static List<StreamEntry> collect(StreamCursor cur, long count) {
        List<StreamEntry> entries = new ArrayList<>();
        while ((count == 0 || entries.size() < count) && cur.next()) {
            entries.add(cur.entry());
        }
        return entries;
    }

    /** An array of entries, each [id, [field, value, ...]]. */
    static void writeEntries(Reply r, List<StreamEntry> entries) {
        r.array(entries.size());
        ValueSink sink = Replies.bulkSink(r);
        for (StreamEntry e : entries) {
            writeEntry(r, e, sink);
        }
    }

    /** One entry: [id, [field, value, ...]], Redis's layout in both protocols. */
    static void writeEntry(Reply r, StreamEntry e, ValueSink sink) {
        r.array(2);
        writeId(r, e.ms(), e.seq());
        r.array(2 * e.fieldCount());
        e.forEachFieldAndValue(sink);
    }

    /** An ID as a bulk string "ms-seq" (addReplyStreamID). */
    static void writeId(Reply r, long ms, long seq) {
        r.bulk(Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq));
    }

    static void writeId(Reply r, StreamId id) {
        writeId(r, id.ms(), id.seq());
    }

    // ------------------------------------------------------------------------------------------
    // XADD and XTRIM

    /**
     * The options XADD and XTRIM share (streamParseAddOrTrimArgsOrReply): the trim, NOMKSTREAM
     * and, for XADD, the ID and where it is.
     */
    record AddTrimArgs(Stream.Trim trim, int trimArgIndex, boolean noMkStream, StreamIds.Parsed id, int idIndex) {
        static AddTrimArgs parse(Client c, boolean xadd) {
            boolean maxLen = false;
            boolean minId = false;
            boolean approx = false;
            long maxLenValue = 0;
            StreamId minIdValue = null;
            long limit = 0;
            boolean limitGiven = false;
            boolean noMkStream = false;
            StreamIds.Parsed id = null;
            int trimArgIndex = 0;
            int i = 2;
            for (; i < c.argc(); i++) {
                int more = c.argc() - 1 - i;
                if (xadd && c.argIs(i, "*")) {
                    break;
                } else if ((c.argIs(i, "MAXLEN") || c.argIs(i, "MINID")) && more > 0) {
                    boolean isMaxLen = c.argIs(i, "MAXLEN");
                    if (maxLen || minId) {
                        throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                    }
                    approx = false;
                    if (more >= 2 && c.argIs(i + 1, "~")) {
                        approx = true;
                        i++;
                    } else if (more >= 2 && c.argIs(i + 1, "=")) {
                        i++;
                    }
                    if (isMaxLen) {
                        maxLenValue = Args.longArg(c, i + 1);
                        if (maxLenValue < 0) {
                            throw new CommandError("ERR The MAXLEN argument must be >= 0.");
                        }
                        maxLen = true;
                    } else {
                        minIdValue = StreamIds.strict(c.arg(i + 1), 0);
                        minId = true;
                    }
                    i++;
                    trimArgIndex = i;
                } else if (c.argIs(i, "LIMIT") && more > 0) {
                    limit = Args.longArg(c, i + 1);
                    if (limit < 0) {
                        throw new CommandError("ERR The LIMIT argument must be >= 0.");
                    }
                    limitGiven = true;
                    i++;
                } else if (xadd && c.argIs(i, "NOMKSTREAM")) {
                    noMkStream = true;
                } else if (xadd) {
                    id = StreamIds.forAdd(c.arg(i)); // an ID, or a syntax error reported as a bad ID
                    break;
                } else {
                    throw new CommandError(Errors.SYNTAX);
                }
            }
            boolean trimming = maxLen || minId;
            if (limit != 0 && !trimming) {
                throw new CommandError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
            }
            if (!xadd && !trimming) {
                throw new CommandError("ERR syntax error, XTRIM must be called with a trimming strategy");
            }
            if (c.mustObey()) {
                // From the AOF or a primary the trim was already made exact: no LIMIT, no check.
                limit = 0;
            } else if (limitGiven) {
                if (!approx) {
                    throw new CommandError("ERR syntax error, LIMIT cannot be used without the special ~ option");
                }
            } else {
                limit = approx ? defaultLimit(c) : 0;
            }
            Stream.Trim trim = !trimming ? null
                    : maxLen ? Stream.Trim.maxLen(maxLenValue, approx, limit) : Stream.Trim.minId(minIdValue, approx, limit);
            return new AddTrimArgs(trim, trimArgIndex, noMkStream, id, i);
        }

        /** An approximate trim without LIMIT removes at most 100 nodes' worth, within [10000, 1000000]. */
        private static long defaultLimit(Client c) {
            long limit = 100 * c.server().config().streamNodeMaxEntries.value(); // wraps as C's does
            if (limit <= 0) {
                limit = 10000;
            }
            return Math.min(limit, 1_000_000);
        }
    }

    /** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
    static void xadd(Client c) {
        AddTrimArgs a = AddTrimArgs.parse(c, true);
        int fieldIndex = a.idIndex() + 1;
        int pairsArgs = c.argc() - fieldIndex;
        if (pairsArgs < 2 || pairsArgs % 2 == 1) {
            throw new CommandError(Errors.wrongArity(c.command().fullName()));
        }
        if (a.id() != null && a.id().seqGiven() && a.id().id().isZero()) {
            throw new CommandError("ERR The ID specified in XADD must be greater than 0-0");
        }
        byte[] key = c.arg(1);
        Database db = c.db();
        Stream s = lookupWrite(c, key);
        if (s == null) {
            if (a.noMkStream()) {
                c.reply().nullBulk();
                return;
            }
            s = new Stream();
            db.put(key, s);
        }
        if (s.lastId().equals(StreamId.MAX)) {
            throw new CommandError("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        StreamId id = newId(c, s, a.id());
        Stream.AppendResult result = id == null ? Stream.AppendResult.TOO_LARGE
                : s.append(id, c.argv(), fieldIndex, pairsArgs / 2, c.server().config().streamNodeMaxBytes.value(),
                        c.server().config().streamNodeMaxEntries.value());
        switch (result) {
            case ID_TOO_SMALL -> throw new CommandError(
                    "ERR The ID specified in XADD is equal or smaller than the target stream top item");
            case TOO_LARGE -> throw new CommandError("ERR Elements are too large to be stored");
            default -> {
            }
        }
        c.reply().bulk(id.toString());
        c.server().keyModified(db, key, "xadd");
        if (a.trim() != null && s.trim(a.trim()) > 0) {
            c.server().keyNotified(db, key, "xtrim", 0);
        }
        propagateAdd(c, a, s, id);
    }

    /**
     * XADD as Redis propagates it: with the ID it generated in place of "*" or "ms-*", and an
     * approximate trim made exact (streamRewriteTrimArgument), so that replicas end up equal.
     */
    private static void propagateAdd(Client c, AddTrimArgs a, Stream s, StreamId id) {
        boolean generated = a.id() == null || !a.id().seqGiven();
        boolean approx = a.trim() != null && a.trim().approx();
        if (!c.propagating() || (!generated && !approx)) {
            return;
        }
        byte[][] argv = c.argv().clone();
        if (approx) {
            exactTrim(argv, a, s);
        }
        if (generated) {
            argv[a.idIndex()] = id.toBytes();
        }
        c.propagateAs(argv);
    }

    /** "~ threshold" becomes "= length" for MAXLEN, "= first-id" for MINID (the maximum ID if empty). */
    private static void exactTrim(byte[][] argv, AddTrimArgs a, Stream s) {
        argv[a.trimArgIndex() - 1] = Effects.EQUALS;
        StreamId first = s.length() == 0 ? StreamId.MAX : s.firstId();
        argv[a.trimArgIndex()] = a.trim().byMaxLen() ? Effects.number(s.length()) : first.toBytes();
    }

    /**
     * The ID of a new entry: the stream's next automatic ID for "*", the given one, or the next
     * sequence in the given millisecond for "ms-*". A null for "ms-*" when the sequence is
     * exhausted: Redis then fails without setting errno, which it reports as "too large".
     */
    private static StreamId newId(Client c, Stream s, StreamIds.Parsed given) {
        if (given == null) {
            StreamId id = s.nextAutoId(c.server().nowMs());
            return id == null ? StreamId.MIN : id; // only past the last ID, refused as too small
        }
        return given.seqGiven() ? given.id() : s.nextIdInMs(given.id().ms());
    }

    /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
    static void xtrim(Client c) {
        AddTrimArgs a = AddTrimArgs.parse(c, false);
        byte[] key = c.arg(1);
        Stream s = lookupWrite(c, key);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = s.trim(a.trim());
        if (deleted > 0) {
            c.server().keyModified(c.db(), key, "xtrim", deleted);
            if (a.trim().approx() && c.propagating()) {
                byte[][] argv = c.argv().clone();
                exactTrim(argv, a, s);
                c.propagateAs(argv);
            }
        }
        c.reply().integer(deleted);
    }

    // ------------------------------------------------------------------------------------------
    // Reading entries

    /** XRANGE key start end [COUNT n], and XREVRANGE key end start [COUNT n] ({@code reverse}). */
    static void rangeGeneric(Client c, boolean reverse) {
        byte[] startArg = c.arg(reverse ? 3 : 2);
        byte[] endArg = c.arg(reverse ? 2 : 3);
        StreamId start = StreamIds.startOf(StreamIds.bound(startArg, 0));
        StreamId end = StreamIds.endOf(StreamIds.bound(endArg, -1L));
        long count = -1;
        for (int j = 4; j < c.argc(); j++) {
            if (c.argIs(j, "COUNT") && j + 1 < c.argc()) {
                count = Math.max(0, Args.longArg(c, j + 1));
                j++;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        Stream s = lookupRead(c, c.arg(1));
        if (s == null) {
            c.reply().array(0);
        } else if (count == 0) {
            c.reply().nullArray();
        } else {
            writeEntries(c.reply(), collect(s.cursor(start, end, reverse), Math.max(count, 0)));
        }
    }

    /** XLEN key */
    static void xlen(Client c) {
        Stream s = lookupRead(c, c.arg(1));
        c.reply().integer(s == null ? 0 : s.length());
    }

    // ------------------------------------------------------------------------------------------
    // Deleting and setting

    /** XDEL key id [id ...]: every ID is checked before any is deleted. */
    static void xdel(Client c) {
        byte[] key = c.arg(1);
        Stream s = lookupWrite(c, key);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        StreamId[] ids = new StreamId[c.argc() - 2];
        for (int j = 2; j < c.argc(); j++) {
            ids[j - 2] = StreamIds.strict(c.arg(j), 0);
        }
        long deleted = 0;
        for (StreamId id : ids) {
            if (s.delete(id)) {
                deleted++;
            }
        }
        if (deleted > 0) {
            c.server().keyModified(c.db(), key, "xdel", deleted);
        }
        c.reply().integer(deleted);
    }

    /** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
    static void xsetid(Client c) {
        StreamId id = StreamIds.strict(c.arg(2), 0);
        long entriesAdded = -1;
        StreamId maxDeleted = StreamId.MIN;
        for (int i = 3; i < c.argc(); i += 2) {
            boolean more = i < c.argc() - 1;
            if (c.argIs(i, "ENTRIESADDED") && more) {
                entriesAdded = Args.longArg(c, i + 1);
                if (entriesAdded < 0) {
                    throw new CommandError("ERR entries_added must be positive");
                }
            } else if (c.argIs(i, "MAXDELETEDID") && more) {
                maxDeleted = StreamIds.strict(c.arg(i + 1), 0);
                if (id.compareTo(maxDeleted) < 0) {
                    throw new CommandError(
                            "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        byte[] key = c.arg(1);
        Stream s = lookupWrite(c, key);
        if (s == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        if (s.length() > 0) {
            if (id.compareTo(s.lastValidId()) < 0) {
                throw new CommandError("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                throw new CommandError(
                        "ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.lastId(id);
        if (entriesAdded != -1) {
            s.entriesAdded(entriesAdded);
        }
        if (!maxDeleted.isZero()) {
            s.maxDeletedId(maxDeleted);
        }
        c.reply().ok();
        c.server().keyNotified(c.db(), key, "xsetid", 1);
    }
}
