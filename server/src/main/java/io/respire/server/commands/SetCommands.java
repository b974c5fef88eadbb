package io.respire.server.commands;

import io.respire.ds.set.SetValue;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.keyspace.Keys;
import io.respire.server.keyspace.Scans;
import io.respire.server.keyspace.Writes;
import io.respire.server.replication.Effects;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Set commands (Redis's t_set.c) over {@link SetValue}. The command-level algorithms are Redis's,
 * including the strategies SPOP and SRANDMEMBER pick by the ratio of count to size and the two
 * SDIFF algorithms, because they decide which encoding a result ends up in (visible through
 * OBJECT ENCODING). Replies that Redis builds with a deferred length are collected first.
 *
 * <p>Also home to what the collection families share: {@link #written} (signalling a write with
 * Redis's dirty count), {@link #storeOrDelete} (the STORE variants' destination) and
 * {@link #scanCollection} (SSCAN, ZSCAN and HSCAN's option parsing, filtering and reply).
 */
public final class SetCommands {
    private SetCommands() {
    }

    static void register(CommandTable table) {
        table.register("sadd", SetCommands::sadd);
        table.register("srem", SetCommands::srem);
        table.register("smove", SetCommands::smove);
        table.register("sismember", SetCommands::sismember);
        table.register("smismember", SetCommands::smismember);
        table.register("scard", SetCommands::scard);
        table.register("spop", SetCommands::spop);
        table.register("srandmember", SetCommands::srandmember);
        table.register("smembers", c -> sinterGeneric(c, 1, c.argc() - 1, null, false, 0));
        table.register("sinter", c -> sinterGeneric(c, 1, c.argc() - 1, null, false, 0));
        table.register("sinterstore", c -> sinterGeneric(c, 2, c.argc() - 2, c.arg(1), false, 0));
        table.register("sintercard", SetCommands::sintercard);
        table.register("sunion", c -> sunionDiffGeneric(c, 1, null, false));
        table.register("sunionstore", c -> sunionDiffGeneric(c, 2, c.arg(1), false));
        table.register("sdiff", c -> sunionDiffGeneric(c, 1, null, true));
        table.register("sdiffstore", c -> sunionDiffGeneric(c, 2, c.arg(1), true));
        table.register("sscan", SetCommands::sscan);
    }

    /** SPOP removes random members while the set stays this many times larger than the count. */
    private static final int SPOP_MOVE_STRATEGY_MUL = 5;
    /** SRANDMEMBER copies the set and removes from the copy when count * this exceeds the size. */
    private static final int SRANDMEMBER_SUB_STRATEGY_MUL = 3;

    // ------------------------------------------------------------------------------------------
    // Shared by the collection families

    /** The set at {@code key} (Redis's lookupKeyRead + checkType), or null; WRONGTYPE otherwise. */
    static SetValue lookupRead(Client c, byte[] key) {
        return Keys.lookupRead(c, key, SetValue.class);
    }

    /** As {@link #lookupRead}, for a key about to be written (no hit/miss statistics). */
    static SetValue lookupWrite(Client c, byte[] key) {
        return Keys.lookupWrite(c, key, SetValue.class);
    }

    private static long maxIntset(Client c) {
        return c.server().config().setMaxIntsetEntries.value();
    }

    // ------------------------------------------------------------------------------------------
    // Single-key commands

    static void sadd(Client c) {
        byte[] key = c.arg(1);
        SetValue set = lookupWrite(c, key);
        if (set == null) {
            set = SetValue.createFor(c.arg(2));
            c.db().put(key, set);
        }
        long max = maxIntset(c);
        int added = 0;
        for (int j = 2; j < c.argc(); j++) {
            if (set.add(c.arg(j), max)) {
                added++;
            }
        }
        if (added > 0) {
            Writes.written(c, key, "sadd", added, false);
        }
        c.reply().integer(added);
    }

    static void srem(Client c) {
        byte[] key = c.arg(1);
        SetValue set = lookupWrite(c, key);
        if (set == null) {
            c.reply().integer(0);
            return;
        }
        int deleted = 0;
        boolean keyRemoved = false;
        for (int j = 2; j < c.argc(); j++) {
            if (set.remove(c.arg(j))) {
                deleted++;
                if (set.isEmpty()) {
                    c.db().remove(key);
                    keyRemoved = true;
                    break;
                }
            }
        }
        if (deleted > 0) {
            Writes.written(c, key, "srem", deleted, keyRemoved);
        }
        c.reply().integer(deleted);
    }

    static void smove(Client c) {
        byte[] srcKey = c.arg(1);
        byte[] dstKey = c.arg(2);
        byte[] member = c.arg(3);
        Object srcValue = Keys.lookupWrite(c, srcKey);
        Object dstValue = Keys.lookupWrite(c, dstKey);
        if (srcValue == null) {
            c.reply().integer(0);
            return;
        }
        SetValue src = Keys.checkType(srcValue, SetValue.class);
        SetValue dst = Keys.checkType(dstValue, SetValue.class);
        if (src == dst) {
            c.reply().integer(src.contains(member) ? 1 : 0);
            return;
        }
        if (!src.remove(member)) {
            c.reply().integer(0);
            return;
        }
        boolean srcRemoved = src.isEmpty();
        if (srcRemoved) {
            c.db().remove(srcKey);
        }
        Writes.written(c, srcKey, "srem", 1, srcRemoved);
        if (dst == null) {
            dst = SetValue.createFor(member);
            c.db().put(dstKey, dst);
        }
        if (dst.add(member, maxIntset(c))) {
            Writes.written(c, dstKey, "sadd", 1, false);
        }
        c.reply().integer(1);
    }

    static void sismember(Client c) {
        SetValue set = lookupRead(c, c.arg(1));
        c.reply().integer(set != null && set.contains(c.arg(2)) ? 1 : 0);
    }

    static void smismember(Client c) {
        SetValue set = lookupRead(c, c.arg(1));
        c.reply().array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            c.reply().integer(set != null && set.contains(c.arg(j)) ? 1 : 0);
        }
    }

    static void scard(Client c) {
        SetValue set = lookupRead(c, c.arg(1));
        c.reply().integer(set == null ? 0 : set.size());
    }

    // ------------------------------------------------------------------------------------------
    // Random members

    static void spop(Client c) {
        if (c.argc() == 3) {
            spopWithCount(c);
            return;
        }
        if (c.argc() > 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        byte[] key = c.arg(1);
        SetValue set = lookupWrite(c, key);
        if (set == null) {
            c.reply().nullBulk();
            return;
        }
        byte[] member = set.random(c.server().random());
        set.remove(member);
        boolean removed = set.isEmpty();
        if (removed) {
            c.db().remove(key);
        }
        c.reply().bulk(member);
        Writes.written(c, key, "spop", 1, removed);
        c.propagateAs(Effects.SREM, key, member); // the member drawn, never the draw
    }

    private static void spopWithCount(Client c) {
        long count = Args.positiveLongArg(c, 2, null);
        byte[] key = c.arg(1);
        SetValue set = lookupWrite(c, key);
        if (set == null || count == 0) {
            c.reply().set(0);
            return;
        }
        int size = set.size();
        SplittableRandom random = c.server().random();
        if (count >= size) {
            // The whole set, in the order SUNION of it alone would give.
            List<byte[]> all = new ArrayList<>(size);
            union(List.of(set), maxIntset(c)).forEach(all::add);
            replySet(c, all);
            c.db().remove(key);
            Writes.written(c, key, "spop", size, true);
            c.propagateAs(Effects.DEL, key);
            return;
        }
        List<byte[]> popped = new ArrayList<>((int) count);
        long remaining = size - count;
        if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
            for (long i = 0; i < count; i++) {
                byte[] member = set.random(random);
                set.remove(member);
                popped.add(member);
            }
        } else {
            // Most of the set goes: draw the members that stay into a new set instead.
            SetValue kept = null;
            long max = maxIntset(c);
            for (long i = 0; i < remaining; i++) {
                byte[] member = set.random(random);
                if (kept == null) {
                    kept = SetValue.createFor(member);
                }
                kept.add(member, max);
                set.remove(member);
            }
            set.forEach(popped::add);
            c.db().replace(key, kept);
        }
        replySet(c, popped);
        Writes.written(c, key, "spop", count, false);
        // One SREM per member popped, as Redis 7.0 propagates them, and not the SPOP.
        if (c.propagating()) {
            for (byte[] member : popped) {
                c.alsoPropagate(Effects.SREM, key, member);
            }
        }
        c.preventPropagation();
    }

    static void srandmember(Client c) {
        if (c.argc() == 3) {
            srandmemberWithCount(c);
            return;
        }
        if (c.argc() > 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        SetValue set = lookupRead(c, c.arg(1));
        if (set == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().bulk(set.random(c.server().random()));
    }

    private static void srandmemberWithCount(Client c) {
        long l = Args.rangeLongArg(c, 2, -Long.MAX_VALUE, Long.MAX_VALUE, null);
        boolean unique = l >= 0;
        long count = Math.abs(l);
        SetValue set = lookupRead(c, c.arg(1));
        if (set == null || count == 0) {
            c.reply().array(0);
            return;
        }
        SplittableRandom random = c.server().random();
        int size = set.size();
        Reply r = c.reply();
        if (!unique || count == 1) {
            // With repetitions: independent draws. (A count beyond an array's reach could not be
            // sent anyway; Redis would run out of memory trying.)
            if (count > Integer.MAX_VALUE - 8) {
                throw new CommandError("ERR value is out of range");
            }
            r.array((int) count);
            for (long i = 0; i < count && !c.closingForOutputLimit(); i++) {
                r.bulk(set.random(random));
            }
            return;
        }
        if (count >= size) {
            r.array(size);
            set.forEach(r::bulk);
            return;
        }
        List<byte[]> chosen = new ArrayList<>((int) count);
        if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
            // Close to the whole set: copy it and remove random members until count remain.
            set.forEach(chosen::add);
            while (chosen.size() > count) {
                int i = random.nextInt(chosen.size());
                chosen.set(i, chosen.get(chosen.size() - 1));
                chosen.remove(chosen.size() - 1);
            }
        } else {
            Set<ByteBuffer> seen = new LinkedHashSet<>();
            while (seen.size() < count) {
                seen.add(ByteBuffer.wrap(set.random(random)));
            }
            seen.forEach(b -> chosen.add(b.array()));
        }
        r.array(chosen.size());
        chosen.forEach(r::bulk);
    }

    // ------------------------------------------------------------------------------------------
    // Multi-key operations

    private static void replySet(Client c, List<byte[]> members) {
        c.reply().set(members.size());
        for (byte[] m : members) {
            c.reply().bulk(m);
        }
    }

    static void sintercard(Client c) {
        long numkeys = Args.rangeLongArg(c, 1, 1, Long.MAX_VALUE, "ERR numkeys should be greater than 0");
        if (numkeys > c.argc() - 2) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        long limit = 0;
        for (int j = 2 + (int) numkeys; j < c.argc(); j++) {
            if (c.argIs(j, "LIMIT") && j + 1 < c.argc()) {
                j++;
                limit = Args.positiveLongArg(c, j, "ERR LIMIT can't be negative");
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        sinterGeneric(c, 2, (int) numkeys, null, true, limit);
    }

    /**
     * SINTER, SMEMBERS, SINTERSTORE and SINTERCARD (Redis's sinterGenericCommand): the sets of
     * keys {@code first .. first+n-1}, iterating the smallest and probing the others.
     */
    private static void sinterGeneric(Client c, int first, int n, byte[] dst, boolean cardinalityOnly, long limit) {
        SetValue[] sets = new SetValue[n];
        boolean empty = false;
        for (int j = 0; j < n; j++) {
            sets[j] = lookupRead(c, c.arg(first + j));
            empty |= sets[j] == null;
        }
        if (empty) {
            if (dst != null) {
                Writes.storeOrDelete(c, dst, null, 0, null);
            } else if (cardinalityOnly) {
                c.reply().integer(0);
            } else {
                c.reply().set(0);
            }
            return;
        }
        Arrays.sort(sets, Comparator.comparingInt(SetValue::size));
        SetValue smallest = sets[0];
        List<byte[]> result = new ArrayList<>();
        long[] cardinality = {0};
        smallest.forEachWhile(member -> {
            for (int j = 1; j < n; j++) {
                if (sets[j] != smallest && !sets[j].contains(member)) {
                    return true;
                }
            }
            cardinality[0]++;
            if (!cardinalityOnly) {
                result.add(member);
            }
            return !(cardinalityOnly && limit > 0 && cardinality[0] >= limit);
        });
        if (cardinalityOnly) {
            c.reply().integer(cardinality[0]);
        } else if (dst != null) {
            SetValue out = SetValue.create();
            long max = maxIntset(c);
            result.forEach(m -> out.add(m, max));
            Writes.storeOrDelete(c, dst, out, out.size(), "sinterstore");
        } else {
            replySet(c, result);
        }
    }

    /** The union of sets into a new set, as Redis builds it (from an empty intset). */
    private static SetValue union(List<SetValue> sets, long maxIntset) {
        SetValue out = SetValue.create();
        for (SetValue s : sets) {
            if (s != null) {
                s.forEach(m -> out.add(m, maxIntset));
            }
        }
        return out;
    }

    /** SUNION, SDIFF and their STORE variants (Redis's sunionDiffGenericCommand). */
    private static void sunionDiffGeneric(Client c, int first, byte[] dst, boolean diff) {
        int n = c.argc() - first;
        SetValue[] sets = new SetValue[n];
        boolean sameSet = false;
        for (int j = 0; j < n; j++) {
            sets[j] = lookupRead(c, c.arg(first + j));
            sameSet |= j > 0 && sets[j] != null && sets[j] == sets[0];
        }
        long max = maxIntset(c);
        SetValue out;
        if (!diff) {
            out = union(Arrays.asList(sets), max);
        } else if (sets[0] == null || sameSet) {
            out = SetValue.create();
        } else {
            out = diff(sets, max);
        }
        if (dst != null) {
            Writes.storeOrDelete(c, dst, out, out.size(), diff ? "sdiffstore" : "sunionstore");
            return;
        }
        c.reply().set(out.size());
        out.forEach(c.reply()::bulk);
    }

    /**
     * The members of sets[0] in none of the others, by whichever of Redis's two algorithms its
     * estimate prefers (they can leave the result in different encodings).
     */
    private static SetValue diff(SetValue[] sets, long max) {
        long oneWork = 0;
        long twoWork = 0;
        for (SetValue s : sets) {
            if (s != null) {
                oneWork += sets[0].size();
                twoWork += s.size();
            }
        }
        SetValue out = SetValue.create();
        if (oneWork / 2 <= twoWork) {
            // Algorithm 1: probe each member of the first set in the others, the largest first.
            SetValue[] others = Arrays.copyOfRange(sets, 1, sets.length);
            Arrays.sort(others, Comparator.comparingInt((SetValue s) -> s == null ? 0 : s.size()).reversed());
            sets[0].forEach(m -> {
                for (SetValue s : others) {
                    if (s != null && s.contains(m)) {
                        return;
                    }
                }
                out.add(m, max);
            });
            return out;
        }
        // Algorithm 2: add the first set, remove every member of the others.
        sets[0].forEach(m -> out.add(m, max));
        for (int j = 1; j < sets.length && !out.isEmpty(); j++) {
            if (sets[j] != null) {
                sets[j].forEachWhile(m -> {
                    out.remove(m);
                    return !out.isEmpty();
                });
            }
        }
        return out;
    }

    static void sscan(Client c) {
        long cursor = Scans.parseCursor(c.arg(2));
        SetValue set = lookupRead(c, c.arg(1));
        if (set == null) {
            Scans.emptyScan(c);
            return;
        }
        Scans.scanCollection(c, cursor, false, (cur, visitor) -> set.scan(cur, m -> visitor.accept(m, null)));
    }
}
