package io.respire.server.commands;

import io.respire.ds.list.QuickList;
import io.respire.ds.listpack.Listpack;
import io.respire.ds.listpack.ValueSink;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.blocking.BlockTimeout;
import io.respire.server.command.Args;
import io.respire.server.command.CommandId;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Replies;
import io.respire.server.config.ServerConfig;
import io.respire.server.keyspace.Keys;
import io.respire.server.keyspace.Writes;
import io.respire.server.replication.Effects;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * List commands (Redis's t_list.c) over {@link QuickList}. A list's node size and compression
 * depth are fixed when the key is created, from list-max-listpack-size and list-compress-depth at
 * that moment, as in Redis; the plain-node threshold is the server's, shared by all lists. Every
 * iterator is closed when the command is done with it, which recompresses the node it stopped on.
 *
 * <p>The blocking pops (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) act at once when a list has
 * elements; otherwise they block through {@link io.respire.server.blocking.BlockingKeys}, which
 * runs the same pop or move against the key once a write (any write: it hooks
 * {@code ServerContext.keyModified}) leaves a list there.
 */
public final class ListCommands {
    /** Redis's quicklistCreate default node limit: 8 KB. */
    private static final int DEFAULT_FILL = -2;

    private ListCommands() {
    }

    static void register(CommandTable table) {
        table.register("lpush", c -> pushGeneric(c, true, false));
        table.register("rpush", c -> pushGeneric(c, false, false));
        table.register("lpushx", c -> pushGeneric(c, true, true));
        table.register("rpushx", c -> pushGeneric(c, false, true));
        table.register("lpop", c -> popGeneric(c, true));
        table.register("rpop", c -> popGeneric(c, false));
        table.register("llen", ListCommands::llen);
        table.register("lindex", ListCommands::lindex);
        table.register("lset", ListCommands::lset);
        table.register("lrange", ListCommands::lrange);
        table.register("ltrim", ListCommands::ltrim);
        table.register("linsert", ListCommands::linsert);
        table.register("lrem", ListCommands::lrem);
        table.register("lpos", ListCommands::lpos);
        table.register("lmove", c -> lmoveGeneric(c, position(c, 3), position(c, 4), 1));
        table.register("rpoplpush", c -> lmoveGeneric(c, false, true, 1));
        table.register("lmpop", ListCommands::lmpop);
        table.register("blpop", c -> blockingPop(c, true));
        table.register("brpop", c -> blockingPop(c, false));
        table.register("blmpop", c -> lmpopGeneric(c, 2, true));
        table.register("blmove", c -> blmoveGeneric(c, position(c, 3), position(c, 4), 5));
        table.register("brpoplpush", c -> blmoveGeneric(c, false, true, 3));
    }

    // ------------------------------------------------------------------------------------------
    // Lookup

    /** The list at {@code key} (lookupKeyRead + checkType), or null; WRONGTYPE for another type. */
    static QuickList lookupRead(Client c, byte[] key) {
        return Keys.lookupRead(c, key, QuickList.class);
    }

    /** As {@link #lookupRead} for a key about to be written (no hit/miss statistics). */
    static QuickList lookupWrite(Client c, byte[] key) {
        return Keys.lookupWrite(c, key, QuickList.class);
    }

    /** A new empty list stored at {@code key}. */
    private static QuickList create(Client c, byte[] key) {
        QuickList list = newList(c);
        c.db().put(key, list);
        return list;
    }

    /** A new empty list with the configured node size and compression (list-max-listpack-size, list-compress-depth). */
    static QuickList newList(Client c) {
        ServerConfig config = c.server().config();
        return new QuickList((int) config.listMaxListpackSize.value(), (int) config.listCompressDepth.value(),
                c.server().quicklistPackedThreshold());
    }

    /**
     * A new empty list with Redis's built-in settings (fill -2, no compression), whatever the
     * configuration: what SORT ... STORE makes, as Redis's createQuicklistObject.
     */
    static QuickList newDefaultList(Client c) {
        return new QuickList(DEFAULT_FILL, 0, c.server().quicklistPackedThreshold());
    }

    /** LEFT (the head) or RIGHT (the tail); syntax error otherwise. */
    private static boolean position(Client c, int i) {
        if (c.argIs(i, "LEFT")) {
            return true;
        }
        if (c.argIs(i, "RIGHT")) {
            return false;
        }
        throw new CommandError(Errors.SYNTAX);
    }

    /**
     * Redis's listElementsRemoved: after pops from one end, signals the pop (counting
     * {@code changes}) and deletes the key if the list is now empty.
     */
    private static void elementsRemoved(Client c, byte[] key, boolean head, QuickList list, long changes) {
        boolean deleted = list.isEmpty();
        if (deleted) {
            c.db().remove(key);
        }
        Writes.written(c, key, head ? "lpop" : "rpop", changes, deleted);
    }

    /**
     * Redis's addListRangeReply: the elements from {@code start} to {@code end} (inclusive,
     * negative from the tail, clamped), or from {@code end} back to {@code start} when
     * {@code reverse}.
     */
    private static void rangeReply(Client c, QuickList list, long start, long end, boolean reverse) {
        long size = list.size();
        if (start < 0) {
            start += size;
        }
        if (end < 0) {
            end += size;
        }
        if (start < 0) {
            start = 0;
        }
        Reply r = c.reply();
        if (start > end || start >= size) {
            r.array(0);
            return;
        }
        if (end >= size) {
            end = size - 1;
        }
        long count = end - start + 1;
        r.array((int) count);
        ValueSink sink = Replies.bulkSink(r);
        try (QuickList.Iter it = list.iterator(reverse ? end : start, !reverse)) {
            while (count-- > 0 && it.next()) {
                it.read(sink);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Push and pop

    /** LPUSH, RPUSH, LPUSHX, RPUSHX ({@code existing}: only onto an existing list). */
    static void pushGeneric(Client c, boolean head, boolean existing) {
        byte[] key = c.arg(1);
        QuickList list = lookupWrite(c, key);
        if (list == null) {
            if (existing) {
                c.reply().integer(0);
                return;
            }
            list = create(c, key);
        }
        for (int i = 2; i < c.argc(); i++) {
            list.push(c.arg(i), head);
        }
        c.reply().integer(list.size());
        Writes.written(c, key, head ? "lpush" : "rpush", c.argc() - 2, false);
    }

    /** LPOP/RPOP key [count]: a bulk without count, an array with one (a null array if missing). */
    static void popGeneric(Client c, boolean head) {
        if (c.argc() > 3) {
            throw new CommandError(Errors.wrongArity(c.command().fullName()));
        }
        boolean hasCount = c.argc() == 3;
        long count = hasCount ? Args.positiveLongArg(c, 2, null) : 0;
        byte[] key = c.arg(1);
        QuickList list = lookupWrite(c, key);
        if (list == null) {
            if (hasCount) {
                c.reply().nullArray();
            } else {
                c.reply().nullBulk();
            }
            return;
        }
        if (hasCount && count == 0) {
            c.reply().array(0);
            return;
        }
        if (!hasCount) {
            c.reply().bulk(list.pop(head));
            elementsRemoved(c, key, head, list, 1);
            return;
        }
        long popped = popRangeReply(c, list, head, count);
        elementsRemoved(c, key, head, list, popped);
    }

    /** Replies with up to {@code count} elements from one end, in pop order, and removes them. */
    private static long popRangeReply(Client c, QuickList list, boolean head, long count) {
        long n = Math.min(count, list.size());
        long start = head ? 0 : -n;
        rangeReply(c, list, start, head ? n - 1 : -1, !head);
        list.deleteRange(start, n);
        return n;
    }

    /** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]. */
    static void lmpop(Client c) {
        lmpopGeneric(c, 1, false);
    }

    /** LMPOP, and BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] ({@code block}). */
    private static void lmpopGeneric(Client c, int numKeysIndex, boolean block) {
        long numKeys = Args.rangeLongArg(c, numKeysIndex, 1, Long.MAX_VALUE, "ERR numkeys should be greater than 0");
        long whereIndex = numKeysIndex + numKeys + 1;
        if (whereIndex >= c.argc()) {
            throw new CommandError(Errors.SYNTAX);
        }
        boolean head = position(c, (int) whereIndex);
        long count = -1;
        for (int j = (int) whereIndex + 1; j < c.argc(); j++) {
            if (count == -1 && c.argIs(j, "COUNT") && j + 1 < c.argc()) {
                count = Args.rangeLongArg(c, ++j, 1, Long.MAX_VALUE, "ERR count should be greater than 0");
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (count == -1) {
            count = 1;
        }
        if (block) {
            blockingPopGeneric(c, numKeysIndex + 1, (int) numKeys, head, count, BlockTimeout.deadlineArg(c, 1));
            return;
        }
        for (int i = numKeysIndex + 1; i < whereIndex; i++) {
            byte[] key = c.arg(i);
            QuickList list = lookupWrite(c, key);
            if (list == null || list.isEmpty()) {
                continue;
            }
            popWithKey(c, key, list, head, count, false);
            return;
        }
        c.reply().nullArray();
    }

    /**
     * The pop of the blocking pops: [key, element] for BLPOP/BRPOP ({@code count} -1), or
     * [key, [elements]] for LMPOP/BLMPOP (Redis's listPopRangeAndReplyWithKey). Each element
     * popped counts as a change, except when {@code served}: serving a client blocked in
     * BLPOP/BRPOP, which Redis's serveClientBlockedOnList does not count (BLMPOP's it does).
     */
    private static void popWithKey(Client c, byte[] key, QuickList list, boolean head, long count, boolean served) {
        Reply r = c.reply();
        r.array(2);
        r.bulk(key);
        byte[] pop = head ? Effects.LPOP : Effects.RPOP;
        if (count == -1) {
            c.propagateAs(pop, key);
        } else if (c.propagating()) {
            c.propagateAs(pop, key, Effects.number(Math.min(count, list.size()))); // what was there to pop
        }
        if (count == -1) {
            r.bulk(list.pop(head));
            elementsRemoved(c, key, head, list, served ? 0 : 1);
        } else {
            long popped = popRangeReply(c, list, head, count);
            elementsRemoved(c, key, head, list, popped);
        }
    }

    /** BLPOP/BRPOP key [key ...] timeout. */
    static void blockingPop(Client c, boolean head) {
        blockingPopGeneric(c, 1, c.argc() - 2, head, -1, BlockTimeout.deadlineArg(c, c.argc() - 1));
    }

    /**
     * Redis's blockingPopGenericCommand: pops from the first non-empty list of the keys, or blocks
     * until a list appears at one of them (inside MULTI or a script: a null array at once).
     */
    private static void blockingPopGeneric(Client c, int firstKey, int numKeys, boolean head, long count,
                                           long deadline) {
        for (int i = firstKey; i < firstKey + numKeys; i++) {
            byte[] key = c.arg(i);
            QuickList list = lookupWrite(c, key);
            if (list != null && !list.isEmpty()) {
                popWithKey(c, key, list, head, count, false);
                return;
            }
        }
        if (c.denyBlocking()) {
            c.reply().nullArray();
            return;
        }
        List<byte[]> keys = Arrays.asList(c.argv()).subList(firstKey, firstKey + numKeys);
        c.server().blockingKeys().block(c, keys, deadline, QuickList.class, (receiver, key, list) -> {
            popWithKey(receiver, key, (QuickList) list, head, count, true);
            return true;
        });
    }

    /**
     * BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout, and BRPOPLPUSH source destination
     * timeout: LMOVE if the source has elements, else block on it (a null bulk inside MULTI). When
     * served, a destination of the wrong type gets the client a WRONGTYPE error, nothing moved;
     * and the move counts no change, as in Redis's serveClientBlockedOnList.
     */
    static void blmoveGeneric(Client c, boolean fromHead, boolean toHead, int timeoutIndex) {
        long deadline = BlockTimeout.deadlineArg(c, timeoutIndex);
        if (lookupWrite(c, c.arg(1)) != null) {
            lmoveGeneric(c, fromHead, toHead, 1);
            return;
        }
        if (c.denyBlocking()) {
            c.reply().nullBulk();
            return;
        }
        c.server().blockingKeys().block(c, List.of(c.arg(1)), deadline, QuickList.class, (receiver, key, list) -> {
            lmoveGeneric(receiver, fromHead, toHead, 0); // the receiver's arguments are still its BLMOVE's
            return true;
        });
    }

    /**
     * LMOVE source destination LEFT|RIGHT LEFT|RIGHT, and RPOPLPUSH (right to left): the pop and
     * the push together count as {@code changes} (one, as Redis counts them).
     */
    static void lmoveGeneric(Client c, boolean fromHead, boolean toHead, long changes) {
        byte[] srcKey = c.arg(1);
        byte[] dstKey = c.arg(2);
        QuickList src = lookupWrite(c, srcKey);
        if (src == null) {
            c.reply().nullBulk();
            return;
        }
        QuickList dst = lookupWrite(c, dstKey);
        byte[] value = src.pop(fromHead);
        if (dst == null) {
            dst = create(c, dstKey);
        }
        dst.push(value, toHead);
        Writes.written(c, dstKey, toHead ? "lpush" : "rpush", changes, false);
        c.reply().bulk(value);
        boolean deleted = src.isEmpty();
        if (deleted) {
            c.db().remove(srcKey);
        }
        Writes.written(c, srcKey, fromHead ? "lpop" : "rpop", 0, deleted);
        propagateMove(c, fromHead, toHead, changes == 0);
    }

    /**
     * BLMOVE and BRPOPLPUSH propagate as LMOVE and RPOPLPUSH: with the client's own LEFT/RIGHT
     * words when they moved at once, with Redis's "left"/"right" when served later.
     */
    private static void propagateMove(Client c, boolean fromHead, boolean toHead, boolean served) {
        int id = c.command().id();
        if (id == CommandId.BRPOPLPUSH) {
            c.propagateAs(Effects.RPOPLPUSH, c.arg(1), c.arg(2));
        } else if (id == CommandId.BLMOVE) {
            c.propagateAs(Effects.LMOVE, c.arg(1), c.arg(2),
                    served ? side(fromHead) : c.arg(3), served ? side(toHead) : c.arg(4));
        }
    }

    private static byte[] side(boolean head) {
        return head ? Effects.LEFT : Effects.RIGHT;
    }

    // ------------------------------------------------------------------------------------------
    // By index and range

    static void llen(Client c) {
        QuickList list = lookupRead(c, c.arg(1));
        c.reply().integer(list == null ? 0 : list.size());
    }

    static void lindex(Client c) {
        QuickList list = lookupRead(c, c.arg(1));
        if (list == null) {
            c.reply().nullBulk();
            return;
        }
        try (QuickList.Iter it = list.iterator(Args.longArg(c, 2), true)) {
            if (it.next()) {
                it.read(Replies.bulkSink(c.reply()));
            } else {
                c.reply().nullBulk();
            }
        }
    }

    static void lset(Client c) {
        byte[] key = c.arg(1);
        QuickList list = lookupWrite(c, key);
        if (list == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        long index = Args.longArg(c, 2);
        if (!list.set(index, c.arg(3))) {
            throw new CommandError(Errors.OUT_OF_RANGE);
        }
        c.reply().ok();
        Writes.written(c, key, "lset", 1, false);
    }

    static void lrange(Client c) {
        long start = Args.longArg(c, 2);
        long end = Args.longArg(c, 3);
        QuickList list = lookupRead(c, c.arg(1));
        if (list == null) {
            c.reply().array(0);
            return;
        }
        rangeReply(c, list, start, end, false);
    }

    static void ltrim(Client c) {
        long start = Args.longArg(c, 2);
        long end = Args.longArg(c, 3);
        byte[] key = c.arg(1);
        QuickList list = lookupWrite(c, key);
        if (list == null) {
            c.reply().ok();
            return;
        }
        long size = list.size();
        if (start < 0) {
            start += size;
        }
        if (end < 0) {
            end += size;
        }
        if (start < 0) {
            start = 0;
        }
        long ltrim;
        long rtrim;
        if (start > end || start >= size) {
            ltrim = size;
            rtrim = 0;
        } else {
            if (end >= size) {
                end = size - 1;
            }
            ltrim = start;
            rtrim = size - end - 1;
        }
        list.deleteRange(0, ltrim);
        list.deleteRange(-rtrim, rtrim);
        boolean deleted = list.isEmpty();
        if (deleted) {
            c.db().remove(key);
        }
        Writes.written(c, key, "ltrim", ltrim + rtrim, deleted);
        c.reply().ok();
    }

    // ------------------------------------------------------------------------------------------
    // By value

    /** LINSERT key BEFORE|AFTER pivot element: -1 if the pivot is missing, else the new length. */
    static void linsert(Client c) {
        boolean after;
        if (c.argIs(2, "AFTER")) {
            after = true;
        } else if (c.argIs(2, "BEFORE")) {
            after = false;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        byte[] key = c.arg(1);
        QuickList list = lookupWrite(c, key);
        if (list == null) {
            c.reply().integer(0);
            return;
        }
        Listpack.Probe pivot = Listpack.Probe.of(c.arg(3));
        try (QuickList.Iter it = list.iterator(true)) {
            while (it.next()) {
                if (it.matches(pivot)) {
                    if (after) {
                        it.insertAfter(c.arg(4));
                    } else {
                        it.insertBefore(c.arg(4));
                    }
                    Writes.written(c, key, "linsert", 1, false);
                    c.reply().integer(list.size());
                    return;
                }
            }
        }
        c.reply().integer(-1);
    }

    /** LREM key count element: count > 0 from the head, < 0 from the tail, 0 all. */
    static void lrem(Client c) {
        long toRemove = Args.longArg(c, 2);
        byte[] key = c.arg(1);
        QuickList list = lookupWrite(c, key);
        if (list == null) {
            c.reply().integer(0);
            return;
        }
        boolean forward = toRemove >= 0;
        if (!forward) {
            toRemove = -toRemove; // Long.MIN_VALUE stays negative and never matches: remove all, as Redis
        }
        Listpack.Probe element = Listpack.Probe.of(c.arg(3));
        long removed = 0;
        try (QuickList.Iter it = list.iterator(forward)) {
            while (it.next()) {
                if (it.matches(element)) {
                    it.remove();
                    removed++;
                    if (toRemove != 0 && removed == toRemove) {
                        break;
                    }
                }
            }
        }
        if (removed > 0) {
            boolean deleted = list.isEmpty();
            if (deleted) {
                c.db().remove(key);
            }
            Writes.written(c, key, "lrem", removed, deleted);
        }
        c.reply().integer(removed);
    }

    /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. */
    static void lpos(Client c) {
        long rank = 1;
        long count = -1; // not given
        long maxLen = 0;
        for (int j = 3; j < c.argc(); j++) {
            boolean moreArgs = j + 1 < c.argc();
            if (c.argIs(j, "RANK") && moreArgs) {
                rank = Args.longArg(c, ++j);
                if (rank == 0) {
                    throw new CommandError("ERR RANK can't be zero: use 1 to start from the first match, "
                            + "2 from the second ... or use negative to start from the end of the list");
                }
            } else if (c.argIs(j, "COUNT") && moreArgs) {
                count = Args.positiveLongArg(c, ++j, "ERR COUNT can't be negative");
            } else if (c.argIs(j, "MAXLEN") && moreArgs) {
                maxLen = Args.positiveLongArg(c, ++j, "ERR MAXLEN can't be negative");
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        boolean forward = true;
        if (rank < 0) {
            rank = -rank; // Long.MIN_VALUE stays negative: every match qualifies, as in Redis
            forward = false;
        }
        QuickList list = lookupRead(c, c.arg(1));
        Reply r = c.reply();
        if (list == null) {
            if (count != -1) {
                r.array(0);
            } else {
                r.nullBulk();
            }
            return;
        }
        Listpack.Probe element = Listpack.Probe.of(c.arg(2));
        long size = list.size();
        List<Long> found = new ArrayList<>();
        long matches = 0;
        long matchIndex = -1;
        try (QuickList.Iter it = list.iterator(forward)) {
            for (long index = 0; it.next() && (maxLen == 0 || index < maxLen); index++) {
                if (!it.matches(element)) {
                    continue;
                }
                matches++;
                matchIndex = forward ? index : size - index - 1;
                if (matches >= rank) {
                    if (count == -1) {
                        break;
                    }
                    found.add(matchIndex);
                    if (count != 0 && matches - rank + 1 >= count) {
                        break;
                    }
                }
            }
        }
        if (count != -1) {
            r.array(found.size());
            for (long index : found) {
                r.integer(index);
            }
        } else if (matchIndex != -1 && matches >= rank) {
            r.integer(matchIndex);
        } else {
            r.nullBulk();
        }
    }
}
