package io.respire.server.commands;

import io.respire.ds.set.SetValue;
import io.respire.ds.util.Doubles;
import io.respire.ds.zset.LexRange;
import io.respire.ds.zset.ScoreRange;
import io.respire.ds.zset.ZSetValue;
import io.respire.protocol.DoubleFormat;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.blocking.BlockTimeout;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.keyspace.Keys;
import io.respire.server.keyspace.Scans;
import io.respire.server.keyspace.SortedSetValues;
import io.respire.server.keyspace.Writes;
import io.respire.server.replication.Effects;

import static io.respire.server.keyspace.SortedSetValues.limits;
import static io.respire.server.keyspace.SortedSetValues.lookupRead;
import static io.respire.server.keyspace.SortedSetValues.lookupWrite;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ObjDoubleConsumer;

/**
 * Sorted set commands (Redis's t_zset.c) over {@link ZSetValue}. The blocking pops (BZPOPMIN,
 * BZPOPMAX, BZMPOP) wait through {@link io.respire.server.blocking.BlockingKeys}, which runs the
 * same pop ({@link #zpopFrom}) once a sorted set appears at one of their keys.
 *
 * <p>Member/score lists are replied as Redis does: flat in RESP2, and in RESP3 as an array of
 * [member, score] pairs (a map would lose the order), scores as doubles. Ranges whose length
 * Redis only knows at the end are collected into a {@link Scored} list first.
 */
public final class SortedSetCommands {
    private SortedSetCommands() {
    }

    static void register(CommandTable table) {
        table.register("zadd", c -> zaddGeneric(c, 0));
        table.register("zincrby", c -> zaddGeneric(c, ZSetValue.INCR));
        table.register("zrem", SortedSetCommands::zrem);
        table.register("zremrangebyrank", c -> zremrangeGeneric(c, RangeType.RANK));
        table.register("zremrangebyscore", c -> zremrangeGeneric(c, RangeType.SCORE));
        table.register("zremrangebylex", c -> zremrangeGeneric(c, RangeType.LEX));
        table.register("zunionstore", c -> zsetOp(c, c.arg(1), 2, SetOp.UNION, false));
        table.register("zinterstore", c -> zsetOp(c, c.arg(1), 2, SetOp.INTER, false));
        table.register("zdiffstore", c -> zsetOp(c, c.arg(1), 2, SetOp.DIFF, false));
        table.register("zunion", c -> zsetOp(c, null, 1, SetOp.UNION, false));
        table.register("zinter", c -> zsetOp(c, null, 1, SetOp.INTER, false));
        table.register("zintercard", c -> zsetOp(c, null, 1, SetOp.INTER, true));
        table.register("zdiff", c -> zsetOp(c, null, 1, SetOp.DIFF, false));
        table.register("zrange", c -> zrangeGeneric(c, 1, null, null, null));
        table.register("zrangestore", c -> zrangeGeneric(c, 2, c.arg(1), null, null));
        table.register("zrevrange", c -> zrangeGeneric(c, 1, null, RangeType.RANK, true));
        table.register("zrangebyscore", c -> zrangeGeneric(c, 1, null, RangeType.SCORE, false));
        table.register("zrevrangebyscore", c -> zrangeGeneric(c, 1, null, RangeType.SCORE, true));
        table.register("zrangebylex", c -> zrangeGeneric(c, 1, null, RangeType.LEX, false));
        table.register("zrevrangebylex", c -> zrangeGeneric(c, 1, null, RangeType.LEX, true));
        table.register("zcount", SortedSetCommands::zcount);
        table.register("zlexcount", SortedSetCommands::zlexcount);
        table.register("zcard", SortedSetCommands::zcard);
        table.register("zscore", SortedSetCommands::zscore);
        table.register("zmscore", SortedSetCommands::zmscore);
        table.register("zrank", c -> zrankGeneric(c, false));
        table.register("zrevrank", c -> zrankGeneric(c, true));
        table.register("zscan", SortedSetCommands::zscan);
        table.register("zpopmin", c -> zpopMinMax(c, false));
        table.register("zpopmax", c -> zpopMinMax(c, true));
        table.register("zmpop", SortedSetCommands::zmpop);
        table.register("bzpopmin", c -> bzpopMinMax(c, false));
        table.register("bzpopmax", c -> bzpopMinMax(c, true));
        table.register("bzmpop", c -> zmpopGeneric(c, 2, true));
        table.register("zrandmember", SortedSetCommands::zrandmember);
    }

    private enum RangeType { RANK, SCORE, LEX }

    private enum SetOp { UNION, INTER, DIFF }

    private enum Aggregate { SUM, MIN, MAX }

    private static final String NOT_FLOAT_RANGE = "ERR min or max is not a float";
    private static final String NOT_LEX_RANGE = "ERR min or max not valid string range item";
    /** ZRANDMEMBER copies the set and removes from the copy when count * this exceeds the size. */
    private static final int ZRANDMEMBER_SUB_STRATEGY_MUL = 3;

    // ------------------------------------------------------------------------------------------
    // Helpers

    /** Members with their scores, collected in order until the reply length is known. */
    private static final class Scored implements ObjDoubleConsumer<byte[]> {
        final List<byte[]> members = new ArrayList<>();
        double[] scores = new double[8];

        @Override
        public void accept(byte[] member, double score) {
            if (members.size() == scores.length) {
                scores = Arrays.copyOf(scores, scores.length * 2);
            }
            scores[members.size()] = score;
            members.add(member);
        }

        int size() {
            return members.size();
        }

        /** Replies the members, each followed by its score when {@code withScores}. */
        void reply(Client c, boolean withScores) {
            Reply r = c.reply();
            boolean pairs = withScores && r.protocol() > 2;
            r.array(withScores && !pairs ? 2 * size() : size());
            for (int i = 0; i < size(); i++) {
                replyEntry(r, members.get(i), scores[i], withScores, pairs);
            }
        }
    }

    /** One member (and score): a [member, score] pair in RESP3 when {@code pairs}. */
    private static void replyEntry(Reply r, byte[] member, double score, boolean withScore, boolean pairs) {
        if (pairs) {
            r.array(2);
        }
        r.bulk(member);
        if (withScore) {
            r.doubleValue(score);
        }
    }

    /** A rank range's 0-based bounds clamped to the set, or null when empty (Redis's sanitizing). */
    private static long[] clampRanks(long start, long end, long length) {
        if (start < 0) {
            start += length;
        }
        if (end < 0) {
            end += length;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= length) {
            return null;
        }
        return new long[] {start, Math.min(end, length - 1)};
    }

    // ------------------------------------------------------------------------------------------
    // ZADD, ZINCRBY, ZREM

    /** ZADD and ZINCRBY (Redis's zaddGenericCommand); ZINCRBY is ZADD with INCR. */
    static void zaddGeneric(Client c, int flags) {
        byte[] key = c.arg(1);
        boolean ch = false;
        int scoreIdx = 2;
        for (; scoreIdx < c.argc(); scoreIdx++) {
            if (c.argIs(scoreIdx, "nx")) {
                flags |= ZSetValue.NX;
            } else if (c.argIs(scoreIdx, "xx")) {
                flags |= ZSetValue.XX;
            } else if (c.argIs(scoreIdx, "ch")) {
                ch = true;
            } else if (c.argIs(scoreIdx, "incr")) {
                flags |= ZSetValue.INCR;
            } else if (c.argIs(scoreIdx, "gt")) {
                flags |= ZSetValue.GT;
            } else if (c.argIs(scoreIdx, "lt")) {
                flags |= ZSetValue.LT;
            } else {
                break;
            }
        }
        boolean incr = (flags & ZSetValue.INCR) != 0;
        boolean nx = (flags & ZSetValue.NX) != 0;
        boolean xx = (flags & ZSetValue.XX) != 0;
        boolean gt = (flags & ZSetValue.GT) != 0;
        boolean lt = (flags & ZSetValue.LT) != 0;
        int elements = c.argc() - scoreIdx;
        if (elements % 2 != 0 || elements == 0) {
            throw new CommandError(Errors.SYNTAX);
        }
        elements /= 2;
        if (nx && xx) {
            throw new CommandError("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && elements > 1) {
            throw new CommandError("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) {
            scores[j] = Args.doubleArg(c, scoreIdx + 2 * j, Errors.NOT_FLOAT);
        }
        byte[][] members = new byte[elements][];
        for (int j = 0; j < elements; j++) {
            members[j] = c.arg(scoreIdx + 1 + 2 * j);
        }
        SortedSetValues.Added outcome = SortedSetValues.add(c, key, flags, scores, members, incr ? "zincr" : "zadd");
        int added = outcome.added();
        int updated = outcome.updated();
        int processed = outcome.processed();
        double score = outcome.score();
        if (incr) {
            if (processed > 0) {
                c.reply().doubleValue(score);
            } else {
                c.reply().nullBulk();
            }
        } else {
            c.reply().integer(ch ? added + updated : added);
        }
    }

    static void zrem(Client c) {
        byte[] key = c.arg(1);
        ZSetValue zset = lookupWrite(c, key);
        if (zset == null) {
            c.reply().integer(0);
            return;
        }
        int deleted = 0;
        boolean keyRemoved = false;
        for (int j = 2; j < c.argc(); j++) {
            if (zset.remove(c.arg(j))) {
                deleted++;
            }
            if (zset.isEmpty()) {
                c.db().remove(key);
                keyRemoved = true;
                break;
            }
        }
        if (deleted > 0) {
            Writes.written(c, key, "zrem", deleted, keyRemoved);
        }
        c.reply().integer(deleted);
    }

    /** ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX (Redis's zremrangeGenericCommand). */
    static void zremrangeGeneric(Client c, RangeType type) {
        byte[] key = c.arg(1);
        long start = 0;
        long end = 0;
        ScoreRange range = null;
        LexRange lex = null;
        String event;
        switch (type) {
            case RANK -> {
                event = "zremrangebyrank";
                start = Args.longArg(c, 2);
                end = Args.longArg(c, 3);
            }
            case SCORE -> {
                event = "zremrangebyscore";
                range = scoreRangeArgs(c, 2, 3);
            }
            default -> {
                event = "zremrangebylex";
                lex = lexRangeArgs(c, 2, 3);
            }
        }
        ZSetValue zset = lookupWrite(c, key);
        if (zset == null) {
            c.reply().integer(0);
            return;
        }
        long deleted;
        switch (type) {
            case RANK -> {
                long[] ranks = clampRanks(start, end, zset.size());
                if (ranks == null) {
                    c.reply().integer(0);
                    return;
                }
                deleted = zset.removeRangeByRank(ranks[0], ranks[1]);
            }
            case SCORE -> deleted = zset.removeRangeByScore(range);
            default -> deleted = zset.removeRangeByLex(lex);
        }
        boolean keyRemoved = zset.isEmpty();
        if (keyRemoved) {
            c.db().remove(key);
        }
        if (deleted > 0) {
            Writes.written(c, key, event, deleted, keyRemoved);
        }
        c.reply().integer(deleted);
    }

    private static ScoreRange scoreRangeArgs(Client c, int min, int max) {
        ScoreRange range = ScoreRange.parse(c.arg(min), c.arg(max));
        if (range == null) {
            throw new CommandError(NOT_FLOAT_RANGE);
        }
        return range;
    }

    private static LexRange lexRangeArgs(Client c, int min, int max) {
        LexRange range = LexRange.parse(c.arg(min), c.arg(max));
        if (range == null) {
            throw new CommandError(NOT_LEX_RANGE);
        }
        return range;
    }

    // ------------------------------------------------------------------------------------------
    // ZUNION, ZINTER, ZDIFF and their STORE variants, ZINTERCARD

    /** An input of the set operations: a sorted set, or a plain set whose members score 1. */
    private static final class Source {
        final ZSetValue zset;
        final SetValue set;
        double weight = 1.0;

        Source(Object value) {
            zset = value instanceof ZSetValue z ? z : null;
            set = value instanceof SetValue s ? s : null;
        }

        Object subject() {
            return zset != null ? zset : set;
        }

        int size() {
            return zset != null ? zset.size() : set != null ? set.size() : 0;
        }

        void forEach(ObjDoubleConsumer<byte[]> visitor) {
            forEachWhile((member, score) -> {
                visitor.accept(member, score);
                return true;
            });
        }

        void forEachWhile(ZSetValue.EntryPredicate action) {
            if (zset != null) {
                zset.forEachWhile(action);
            } else if (set != null) {
                set.forEachWhile(m -> action.test(m, 1.0));
            }
        }

        /** The member's score, NaN when absent. */
        double score(byte[] member) {
            if (zset != null) {
                return zset.score(member);
            }
            return set != null && set.contains(member) ? 1.0 : Double.NaN;
        }
    }

    private static double aggregate(double target, double value, Aggregate how) {
        return switch (how) {
            case SUM -> {
                double sum = target + value;
                yield Double.isNaN(sum) ? 0.0 : sum; // inf + -inf is taken as 0
            }
            case MIN -> value < target ? value : target;
            case MAX -> value > target ? value : target;
        };
    }

    /** Redis's zunionInterDiffGenericCommand. */
    static void zsetOp(Client c, byte[] dst, int numkeysIndex, SetOp op, boolean cardinalityOnly) {
        long setnum = Args.longArg(c, numkeysIndex);
        if (setnum < 1) {
            throw new CommandError("ERR at least 1 input key is needed for '" + c.command().fullName() + "' command");
        }
        if (setnum > c.argc() - (numkeysIndex + 1)) {
            throw new CommandError(Errors.SYNTAX);
        }
        int n = (int) setnum;
        Source[] src = new Source[n];
        for (int i = 0; i < n; i++) {
            Object value = Keys.lookupRead(c, c.arg(numkeysIndex + 1 + i));
            if (value != null && !(value instanceof ZSetValue) && !(value instanceof SetValue)) {
                throw new CommandError(Errors.WRONGTYPE);
            }
            src[i] = new Source(value);
        }
        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        int j = numkeysIndex + 1 + n;
        while (j < c.argc()) {
            int remaining = c.argc() - j;
            if (op != SetOp.DIFF && !cardinalityOnly && remaining >= n + 1 && c.argIs(j, "weights")) {
                j++;
                for (int i = 0; i < n; i++, j++) {
                    src[i].weight = Args.doubleArg(c, j, "ERR weight value is not a float");
                }
            } else if (op != SetOp.DIFF && !cardinalityOnly && remaining >= 2 && c.argIs(j, "aggregate")) {
                j++;
                if (c.argIs(j, "sum")) {
                    aggregate = Aggregate.SUM;
                } else if (c.argIs(j, "min")) {
                    aggregate = Aggregate.MIN;
                } else if (c.argIs(j, "max")) {
                    aggregate = Aggregate.MAX;
                } else {
                    throw new CommandError(Errors.SYNTAX);
                }
                j++;
            } else if (dst == null && !cardinalityOnly && c.argIs(j, "withscores")) {
                j++;
                withScores = true;
            } else if (cardinalityOnly && remaining >= 2 && c.argIs(j, "limit")) {
                limit = Args.positiveLongArg(c, j + 1, "ERR LIMIT can't be negative");
                j += 2;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (op != SetOp.DIFF) {
            Arrays.sort(src, Comparator.comparingInt(Source::size));
        }
        ZSetValue result = ZSetValue.skiplist();
        ZSetValue.Limits noLimits = new ZSetValue.Limits(Long.MAX_VALUE, Long.MAX_VALUE);
        long cardinality = 0;
        switch (op) {
            case INTER -> cardinality = inter(src, aggregate, cardinalityOnly, limit, result, noLimits);
            case UNION -> union(src, aggregate, result, noLimits);
            default -> diff(src, result, noLimits);
        }
        if (dst != null) {
            result.convertToListpackIfFits(limits(c));
            String event = switch (op) {
                case UNION -> "zunionstore";
                case INTER -> "zinterstore";
                default -> "zdiffstore";
            };
            Writes.storeOrDelete(c, dst, result, result.size(), event);
        } else if (cardinalityOnly) {
            c.reply().integer(cardinality);
        } else {
            Scored all = new Scored();
            result.forEach(all);
            all.reply(c, withScores);
        }
    }

    private static long inter(Source[] src, Aggregate aggregate, boolean cardinalityOnly, long limit,
                              ZSetValue result, ZSetValue.Limits noLimits) {
        if (src[0].size() == 0) {
            return 0;
        }
        long[] cardinality = {0};
        src[0].forEachWhile((member, value) -> {
            double score = src[0].weight * value;
            if (Double.isNaN(score)) {
                score = 0;
            }
            for (int j = 1; j < src.length; j++) {
                double other = src[j].subject() == src[0].subject() ? value : src[j].score(member);
                if (Double.isNaN(other)) {
                    return true;
                }
                score = aggregate(score, other * src[j].weight, aggregate);
            }
            cardinality[0]++;
            if (!cardinalityOnly) {
                result.add(score, member, 0, null, noLimits);
            }
            return !(cardinalityOnly && limit > 0 && cardinality[0] >= limit); // ZINTERCARD's LIMIT
        });
        return cardinality[0];
    }

    private static void union(Source[] src, Aggregate aggregate, ZSetValue result, ZSetValue.Limits noLimits) {
        for (Source s : src) {
            s.forEach((member, value) -> {
                double score = s.weight * value;
                if (Double.isNaN(score)) {
                    score = 0;
                }
                double existing = result.score(member);
                double total = Double.isNaN(existing) ? score : aggregate(existing, score, aggregate);
                if (total == existing && Double.compare(total, existing) != 0) {
                    // -0 became 0 (or back): add() sees equal scores and would keep the old sign,
                    // while Redis, which aggregates in a separate dict, stores the new one.
                    result.remove(member);
                }
                result.add(total, member, 0, null, noLimits);
            });
        }
    }

    /** The members of the first input in none of the others, with their scores. */
    private static void diff(Source[] src, ZSetValue result, ZSetValue.Limits noLimits) {
        for (int j = 1; j < src.length; j++) {
            if (src[j].subject() != null && src[j].subject() == src[0].subject()) {
                return; // subtracting the set from itself
            }
        }
        Source[] others = Arrays.copyOfRange(src, 1, src.length);
        src[0].forEach((member, score) -> {
            for (Source s : others) {
                if (!Double.isNaN(s.score(member))) {
                    return;
                }
            }
            result.add(score, member, 0, null, noLimits);
        });
    }

    // ------------------------------------------------------------------------------------------
    // ZRANGE and its variants

    /**
     * ZRANGE, ZRANGESTORE, ZREVRANGE, Z[REV]RANGEBYSCORE and Z[REV]RANGEBYLEX (Redis's
     * zrangeGenericCommand): {@code keyIndex} is the source key; {@code fixedType} and
     * {@code fixedReverse} are set by the old commands, left null for ZRANGE's options.
     */
    static void zrangeGeneric(Client c, int keyIndex, byte[] dst, RangeType fixedType, Boolean fixedReverse) {
        boolean store = dst != null;
        RangeType type = fixedType;
        Boolean reverse = fixedReverse; // null until ZRANGE's REV option, or its absence, decides
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        for (int j = keyIndex + 3; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            if (!store && c.argIs(j, "withscores")) {
                withScores = true;
            } else if (c.argIs(j, "limit") && left >= 2) {
                offset = Args.longArg(c, j + 1);
                limit = Args.longArg(c, j + 2);
                j += 2;
            } else if (reverse == null && c.argIs(j, "rev")) {
                reverse = true;
            } else if (type == null && c.argIs(j, "bylex")) {
                type = RangeType.LEX;
            } else if (type == null && c.argIs(j, "byscore")) {
                type = RangeType.SCORE;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (reverse == null) {
            reverse = false;
        }
        if (type == null) {
            type = RangeType.RANK;
        }
        if (limit != -1 && type == RangeType.RANK) {
            throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && type == RangeType.LEX) {
            throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        int minIdx = keyIndex + 1;
        int maxIdx = keyIndex + 2;
        if (reverse && type != RangeType.RANK) {
            // The bounds are given as max, min.
            minIdx = keyIndex + 2;
            maxIdx = keyIndex + 1;
        }
        long start = 0;
        long end = 0;
        ScoreRange range = null;
        LexRange lex = null;
        switch (type) {
            case RANK -> {
                start = Args.longArg(c, minIdx);
                end = Args.longArg(c, maxIdx);
            }
            case SCORE -> range = scoreRangeArgs(c, minIdx, maxIdx);
            default -> lex = lexRangeArgs(c, minIdx, maxIdx);
        }
        ZSetValue zset = lookupRead(c, c.arg(keyIndex));
        Scored out = new Scored();
        if (zset != null) {
            switch (type) {
                case RANK -> {
                    long[] ranks = clampRanks(start, end, zset.size());
                    if (ranks != null) {
                        zset.rangeByRank(ranks[0], ranks[1], reverse, out);
                    }
                }
                case SCORE -> zset.rangeByScore(range, offset, limit, reverse, out);
                default -> zset.rangeByLex(lex, offset, limit, reverse, out);
            }
        }
        if (store) {
            ZSetValue.Limits limits = limits(c);
            ZSetValue result = out.size() > limits.maxEntries() ? ZSetValue.skiplist() : ZSetValue.listpack();
            for (int i = 0; i < out.size(); i++) {
                result.add(out.scores[i], out.members.get(i), 0, null, limits);
            }
            Writes.storeOrDelete(c, dst, result, result.size(), "zrangestore");
        } else {
            out.reply(c, withScores);
        }
    }

    static void zcount(Client c) {
        ScoreRange range = scoreRangeArgs(c, 2, 3);
        ZSetValue zset = lookupRead(c, c.arg(1));
        c.reply().integer(zset == null ? 0 : zset.count(range));
    }

    static void zlexcount(Client c) {
        LexRange range = lexRangeArgs(c, 2, 3);
        ZSetValue zset = lookupRead(c, c.arg(1));
        c.reply().integer(zset == null ? 0 : zset.lexCount(range));
    }

    // ------------------------------------------------------------------------------------------
    // Single members

    static void zcard(Client c) {
        ZSetValue zset = lookupRead(c, c.arg(1));
        c.reply().integer(zset == null ? 0 : zset.size());
    }

    static void zscore(Client c) {
        ZSetValue zset = lookupRead(c, c.arg(1));
        double score = zset == null ? Double.NaN : zset.score(c.arg(2));
        if (Double.isNaN(score)) {
            c.reply().nullBulk();
        } else {
            c.reply().doubleValue(score);
        }
    }

    static void zmscore(Client c) {
        ZSetValue zset = lookupRead(c, c.arg(1));
        c.reply().array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            double score = zset == null ? Double.NaN : zset.score(c.arg(j));
            if (Double.isNaN(score)) {
                c.reply().nullBulk();
            } else {
                c.reply().doubleValue(score);
            }
        }
    }

    static void zrankGeneric(Client c, boolean reverse) {
        ZSetValue zset = lookupRead(c, c.arg(1));
        long rank = zset == null ? -1 : zset.rank(c.arg(2), reverse);
        if (rank < 0) {
            c.reply().nullBulk();
        } else {
            c.reply().integer(rank);
        }
    }

    static void zscan(Client c) {
        long cursor = Scans.parseCursor(c.arg(2));
        ZSetValue zset = lookupRead(c, c.arg(1));
        if (zset == null) {
            Scans.emptyScan(c);
            return;
        }
        boolean listpack = zset.isListpack();
        Scans.scanCollection(c, cursor, true,
                (cur, visitor) -> zset.scan(cur, (m, score) -> visitor.accept(m, scoreText(score, listpack))));
    }

    /**
     * A score as ZSCAN shows it: a skiplist's is printed with %.17Lg; a listpack's is its stored
     * text, an integer when Redis stored it as one (see {@link Doubles#toBytes}).
     */
    private static byte[] scoreText(double score, boolean listpack) {
        if (listpack && Doubles.isLong(score)) {
            return Long.toString((long) score).getBytes(StandardCharsets.US_ASCII);
        }
        return DoubleFormat.g17(score).getBytes(StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------------------------------
    // Popping and random members

    static void zpopMinMax(Client c, boolean max) {
        if (c.argc() > 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        long count = -1;
        if (c.argc() == 3) {
            count = Args.positiveLongArg(c, 2, null);
        }
        boolean nested = c.reply().protocol() > 2 && count != -1;
        genericZpop(c, 1, 1, max, false, count, nested, false);
    }

    /**
     * Redis's genericZpopCommand: pops from the first non-empty of {@code keyCount} keys from
     * {@code firstKey}. {@code emitKey} adds the key name (ZMPOP); {@code nested} replies
     * [member, score] pairs; {@code nilWhenEmpty} replies a null array when no key exists.
     */
    private static void genericZpop(Client c, int firstKey, int keyCount, boolean max, boolean emitKey,
                                    long count, boolean nested, boolean nilWhenEmpty) {
        byte[] key = null;
        ZSetValue zset = null;
        for (int i = 0; i < keyCount && zset == null; i++) {
            key = c.arg(firstKey + i);
            zset = lookupWrite(c, key);
        }
        Reply r = c.reply();
        if (zset == null) {
            if (nilWhenEmpty) {
                r.nullArray();
            } else {
                r.array(0);
            }
            return;
        }
        zpopFrom(c, key, zset, max, emitKey, count, nested);
    }

    /**
     * The pop of {@link #genericZpop} from the sorted set found at {@code key}; also what serves a
     * client blocked in BZPOPMIN/BZPOPMAX ({@code emitKey}, flat) or BZMPOP ({@code emitKey},
     * {@code nested}). {@code count} -1 is a single pop.
     */
    private static void zpopFrom(Client c, byte[] key, ZSetValue zset, boolean max, boolean emitKey, long count,
                                 boolean nested) {
        Reply r = c.reply();
        if (count == 0) {
            r.array(0);
            return;
        }
        if (emitKey) {
            // ZMPOP and the blocking pops propagate as the ZPOPMIN/ZPOPMAX they amount to.
            byte[] pop = max ? Effects.ZPOPMAX : Effects.ZPOPMIN;
            if (count == -1) {
                c.propagateAs(pop, key);
            } else if (c.propagating()) {
                c.propagateAs(pop, key, Effects.number(Math.min(count, zset.size())));
            }
        }
        if (count == -1) {
            count = 1;
        }
        long rangeLen = Math.min(count, zset.size());
        if (emitKey && nested) {
            r.array(2);
            r.bulk(key);
            r.array((int) rangeLen);
        } else if (emitKey) {
            r.array((int) (rangeLen * 2 + 1));
            r.bulk(key);
        } else {
            r.array((int) (nested ? rangeLen : rangeLen * 2));
        }
        for (long i = 0; i < rangeLen; i++) {
            zset.pop(max, (member, score) -> replyEntry(r, member, score, true, nested));
        }
        boolean keyRemoved = zset.isEmpty();
        if (keyRemoved) {
            c.db().remove(key);
        }
        Writes.written(c, key, max ? "zpopmax" : "zpopmin", rangeLen, keyRemoved);
    }

    /** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]. */
    static void zmpop(Client c) {
        zmpopGeneric(c, 1, false);
    }

    /** ZMPOP, and BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] ({@code block}). */
    private static void zmpopGeneric(Client c, int numKeysIdx, boolean block) {
        long numkeys = Args.rangeLongArg(c, numKeysIdx, 1, Long.MAX_VALUE, "ERR numkeys should be greater than 0");
        if (numkeys > c.argc() - numKeysIdx - 2) {
            throw new CommandError(Errors.SYNTAX); // no room left for MIN|MAX
        }
        int whereIdx = numKeysIdx + 1 + (int) numkeys;
        boolean max;
        if (c.argIs(whereIdx, "MIN")) {
            max = false;
        } else if (c.argIs(whereIdx, "MAX")) {
            max = true;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        long count = -1;
        for (int j = whereIdx + 1; j < c.argc(); j++) {
            if (count == -1 && c.argIs(j, "COUNT") && j + 1 < c.argc()) {
                j++;
                count = Args.rangeLongArg(c, j, 1, Long.MAX_VALUE, "ERR count should be greater than 0");
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        if (block) {
            blockingZpop(c, numKeysIdx + 1, (int) numkeys, max, count == -1 ? 1 : count, true,
                    BlockTimeout.deadlineArg(c, 1));
            return;
        }
        genericZpop(c, numKeysIdx + 1, (int) numkeys, max, true, count == -1 ? 1 : count, true, true);
    }

    /** BZPOPMIN/BZPOPMAX key [key ...] timeout: [key, member, score]. */
    static void bzpopMinMax(Client c, boolean max) {
        blockingZpop(c, 1, c.argc() - 2, max, -1, false, BlockTimeout.deadlineArg(c, c.argc() - 1));
    }

    /**
     * Redis's blockingGenericZpopCommand: pops from the first non-empty sorted set of the keys, or
     * blocks until one appears at one of them (inside MULTI or a script: a null array at once).
     */
    private static void blockingZpop(Client c, int firstKey, int numKeys, boolean max, long count, boolean nested,
                                     long deadline) {
        for (int i = firstKey; i < firstKey + numKeys; i++) {
            byte[] key = c.arg(i);
            ZSetValue zset = lookupWrite(c, key);
            if (zset != null && !zset.isEmpty()) {
                zpopFrom(c, key, zset, max, true, count, nested);
                return;
            }
        }
        if (c.denyBlocking()) {
            c.reply().nullArray();
            return;
        }
        List<byte[]> keys = Arrays.asList(c.argv()).subList(firstKey, firstKey + numKeys);
        c.server().blockingKeys().block(c, keys, deadline, ZSetValue.class, (receiver, key, zset) -> {
            zpopFrom(receiver, key, (ZSetValue) zset, max, true, count, nested);
            return true;
        });
    }

    static void zrandmember(Client c) {
        if (c.argc() >= 3) {
            long l = Args.rangeLongArg(c, 2, -Long.MAX_VALUE, Long.MAX_VALUE, null);
            boolean withScores = false;
            if (c.argc() > 4 || (c.argc() == 4 && !c.argIs(3, "withscores"))) {
                throw new CommandError(Errors.SYNTAX);
            } else if (c.argc() == 4) {
                withScores = true;
                if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                    throw new CommandError("ERR value is out of range");
                }
            }
            zrandmemberWithCount(c, l, withScores);
            return;
        }
        ZSetValue zset = lookupRead(c, c.arg(1));
        if (zset == null) {
            c.reply().nullBulk();
            return;
        }
        zset.random(c.server().random(), (member, score) -> c.reply().bulk(member));
    }

    private static void zrandmemberWithCount(Client c, long l, boolean withScores) {
        ZSetValue zset = lookupRead(c, c.arg(1));
        Reply r = c.reply();
        long count = Math.abs(l);
        if (zset == null || count == 0) {
            r.array(0);
            return;
        }
        boolean pairs = withScores && r.protocol() > 2;
        SplittableRandom random = c.server().random();
        int size = zset.size();
        ObjDoubleConsumer<byte[]> emit = (member, score) -> replyEntry(r, member, score, withScores, pairs);
        if (l < 0 || count == 1) {
            // With repetitions: independent draws (see SRANDMEMBER about huge counts).
            if (count > (Integer.MAX_VALUE - 8) / 2) {
                throw new CommandError("ERR value is out of range");
            }
            r.array((int) (withScores && !pairs ? count * 2 : count));
            for (long i = 0; i < count && !c.closingForOutputLimit(); i++) {
                zset.random(random, emit);
            }
            return;
        }
        int replySize = (int) Math.min(count, size);
        r.array(withScores && !pairs ? replySize * 2 : replySize);
        if (count >= size) {
            // Redis walks the whole set with its union iterator, which starts at the tail.
            zset.rangeByRank(0, size - 1, true, emit);
            return;
        }
        Scored chosen = new Scored();
        if (count * ZRANDMEMBER_SUB_STRATEGY_MUL > size) {
            // Close to the whole set: copy it and remove random members until count remain.
            Scored all = new Scored();
            zset.forEach(all);
            int n = all.size();
            while (n > count) {
                int i = random.nextInt(n);
                n--;
                all.members.set(i, all.members.get(n));
                all.scores[i] = all.scores[n];
            }
            for (int i = 0; i < n; i++) {
                chosen.accept(all.members.get(i), all.scores[i]);
            }
        } else {
            Set<ByteBuffer> seen = new LinkedHashSet<>();
            while (chosen.size() < count) {
                zset.random(random, (member, score) -> {
                    if (seen.add(ByteBuffer.wrap(member))) {
                        chosen.accept(member, score);
                    }
                });
            }
        }
        for (int i = 0; i < chosen.size(); i++) {
            emit.accept(chosen.members.get(i), chosen.scores[i]);
        }
    }
}
