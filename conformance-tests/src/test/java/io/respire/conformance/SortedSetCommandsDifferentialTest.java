package io.respire.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * Sorted-set family (server's SortedSetCommands): ZADD and its flag grammar, every ZRANGE form
 * (by rank, score and lex, reversed, limited, with scores — doubles in RESP3), the store and
 * aggregate commands with WEIGHTS/AGGREGATE, pops, ranks and scores, and the listpack to skiplist
 * conversion thresholds. Sorted sets are fully ordered, so every reply is compared exactly.
 */
class SortedSetCommandsDifferentialTest {
    @Differential
    void addFlags(Dual d) {
        d.check("ZADD", "z", "1", "a", "2", "b", "3", "c");
        d.check("ZADD", "z", "NX", "10", "a", "4", "d");
        d.check("ZADD", "z", "XX", "10", "a", "5", "e");
        d.check("ZADD", "z", "XX", "CH", "10", "a", "2", "b", "7", "c");
        d.check("ZADD", "z", "GT", "CH", "5", "a", "9", "b", "6", "new");
        d.check("ZADD", "z", "LT", "CH", "1", "a", "100", "b");
        d.check("ZADD", "z", "GT", "XX", "20", "c");
        d.check("ZADD", "z", "INCR", "5", "a");
        d.check("ZADD", "z", "INCR", "NX", "5", "a");
        d.check("ZADD", "z", "INCR", "XX", "5", "nope");
        d.check("ZADD", "z", "INCR", "GT", "-1", "a");
        d.check("ZADD", "z", "INCR", "LT", "-1", "a");
        d.check("ZRANGE", "z", "0", "-1", "WITHSCORES");
        // grammar and value errors
        d.check("ZADD", "z", "NX", "XX", "1", "a");
        d.check("ZADD", "z", "GT", "LT", "1", "a");
        d.check("ZADD", "z", "NX", "GT", "1", "a");
        d.check("ZADD", "z", "INCR", "1", "a", "2", "b");
        d.check("ZADD", "z", "1", "a", "2");
        d.check("ZADD", "z", "x", "a");
        d.check("ZADD", "z", "nan", "a");
        d.check("ZADD", "z", "CH");
        d.check("ZADD", "z", "INCR", "inf", "a");
        d.check("ZADD", "z", "INCR", "-inf", "a");
        d.check("ZADD", "z", "+inf", "top", "-inf", "bottom", "1e2", "sci", "0x10", "hex");
        d.check("ZADD", "z", "1.5", "frac", "-0", "negzero", "0.1", "tenth", "3.000", "three");
        d.check("ZRANGE", "z", "0", "-1", "WITHSCORES");
        d.check("ZSCORE", "z", "tenth");
        d.check("ZSCORE", "z", "top");
        d.check("ZSCORE", "z", "nope");
        d.check("ZMSCORE", "z", "a", "nope", "bottom");
        d.check("ZMSCORE", "missing", "a");
        d.check("ZINCRBY", "z", "2.5", "frac");
        d.check("ZINCRBY", "z", "1", "newone");
        d.check("ZINCRBY", "z", "x", "frac");
        d.check("ZINCRBY", "z", "-inf", "top");
        d.check("ZCARD", "z");
        d.check("ZCARD", "missing");
    }

    @Differential
    void ranges(Dual d) {
        d.check("ZADD", "z", "1", "a", "2", "b", "2", "c", "3", "d", "4.5", "e", "10", "f");
        for (String[] range : new String[][] {{"0", "-1"}, {"1", "3"}, {"-2", "-1"}, {"5", "1"}, {"-100", "100"}}) {
            d.check("ZRANGE", "z", range[0], range[1]);
            d.check("ZRANGE", "z", range[0], range[1], "WITHSCORES");
            d.check("ZRANGE", "z", range[0], range[1], "REV", "WITHSCORES");
            d.check("ZREVRANGE", "z", range[0], range[1], "WITHSCORES");
        }
        d.check("ZRANGE", "z", "2", "(4.5", "BYSCORE", "WITHSCORES");
        d.check("ZRANGE", "z", "(1", "+inf", "BYSCORE", "LIMIT", "1", "2");
        d.check("ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "0", "3", "WITHSCORES");
        d.check("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "2", "-1");
        d.check("ZRANGE", "z", "5", "1", "BYSCORE");
        d.check("ZRANGE", "z", "x", "1", "BYSCORE");
        d.check("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1");
        d.check("ZRANGE", "z", "0", "-1", "BYSCORE", "BYLEX");
        d.check("ZRANGEBYSCORE", "z", "2", "3");
        d.check("ZRANGEBYSCORE", "z", "(2", "10", "WITHSCORES", "LIMIT", "1", "10");
        d.check("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "0");
        d.check("ZREVRANGEBYSCORE", "z", "+inf", "(2", "WITHSCORES");
        d.check("ZREVRANGEBYSCORE", "z", "2", "3");
        d.check("ZCOUNT", "z", "(1", "4.5");
        d.check("ZCOUNT", "z", "-inf", "+inf");
        d.check("ZCOUNT", "z", "a", "b");
        d.check("ZRANK", "z", "c");
        d.check("ZREVRANK", "z", "c");
        d.check("ZRANK", "z", "nope");
        d.check("ZRANK", "missing", "a");
        d.check("ZRANGE", "missing", "0", "-1", "WITHSCORES");

        d.check("ZADD", "lex", "0", "alpha", "0", "bravo", "0", "charlie", "0", "delta", "0", "echo");
        d.check("ZRANGE", "lex", "[bravo", "(delta", "BYLEX");
        d.check("ZRANGE", "lex", "+", "-", "BYLEX", "REV", "LIMIT", "1", "2");
        d.check("ZRANGE", "lex", "bravo", "+", "BYLEX");
        d.check("ZRANGE", "lex", "-", "+", "BYLEX", "WITHSCORES");
        d.check("ZRANGEBYLEX", "lex", "-", "[c");
        d.check("ZREVRANGEBYLEX", "lex", "(d", "-", "LIMIT", "0", "2");
        d.check("ZLEXCOUNT", "lex", "[b", "(e");
        d.check("ZLEXCOUNT", "lex", "b", "e");
        // mixed scores (unspecified by the docs, but deterministic in a listpack): Redis first
        // tests the range against the last and first members
        d.check("ZADD", "mixed", "1", "b", "2", "a", "3", "c");
        d.check("ZLEXCOUNT", "mixed", "(a", "+");
        d.check("ZLEXCOUNT", "mixed", "-", "(c");
        d.check("ZRANGE", "mixed", "[b", "+", "BYLEX");
        d.check("ZRANGE", "mixed", "(a", "+", "BYLEX");
        d.check("ZRANGE", "mixed", "+", "[b", "BYLEX", "REV");
        d.check("ZREMRANGEBYLEX", "mixed", "(a", "+");
        d.check("ZREMRANGEBYLEX", "mixed", "[b", "[b");
        d.check("ZRANGE", "mixed", "0", "-1", "WITHSCORES");
        d.check("ZRANGESTORE", "dst", "z", "1", "3");
        d.check("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        d.check("ZRANGESTORE", "dst", "lex", "[b", "[d", "BYLEX", "REV");
        d.check("ZRANGESTORE", "dst", "lex", "[d", "[b", "BYLEX", "REV");
        d.check("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        d.check("ZRANGESTORE", "dst", "missing", "0", "-1");
        d.check("EXISTS", "dst");
    }

    @Differential
    void removeRanges(Dual d) {
        d.check("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f");
        d.check("ZREM", "z", "a", "nope");
        d.check("ZREMRANGEBYSCORE", "z", "-inf", "(3");
        d.check("ZREMRANGEBYRANK", "z", "-1", "-1");
        d.check("ZRANGE", "z", "0", "-1", "WITHSCORES");
        d.check("ZREMRANGEBYLEX", "z", "[d", "[d");
        d.check("ZREMRANGEBYSCORE", "z", "x", "1");
        d.check("ZREMRANGEBYRANK", "z", "0", "x");
        d.check("ZRANGE", "z", "0", "-1", "WITHSCORES");
        d.check("ZREMRANGEBYRANK", "z", "0", "-1");
        d.check("EXISTS", "z");
    }

    @Differential
    void combineWithWeightsAndAggregate(Dual d) {
        d.check("ZADD", "a", "1", "x", "2", "y", "3", "z");
        d.check("ZADD", "b", "10", "y", "20", "z", "30", "w");
        d.check("SADD", "s", "x", "w", "v");
        for (String aggregate : new String[] {"SUM", "MIN", "MAX"}) {
            d.check("ZUNIONSTORE", "u", "2", "a", "b", "WEIGHTS", "2", "0.5", "AGGREGATE", aggregate);
            d.check("ZRANGE", "u", "0", "-1", "WITHSCORES");
            d.check("ZINTERSTORE", "i", "2", "a", "b", "AGGREGATE", aggregate);
            d.check("ZRANGE", "i", "0", "-1", "WITHSCORES");
            d.check("ZINTER", "2", "a", "b", "WEIGHTS", "-1", "3", "AGGREGATE", aggregate, "WITHSCORES");
            d.check("ZUNION", "3", "a", "b", "s", "AGGREGATE", aggregate, "WITHSCORES");
        }
        d.check("ZUNIONSTORE", "u", "2", "a", "s");
        d.check("ZRANGE", "u", "0", "-1", "WITHSCORES");
        d.check("ZINTER", "2", "a", "s");
        d.check("ZINTER", "2", "a", "missing", "WITHSCORES");
        d.check("ZINTERCARD", "2", "a", "b");
        d.check("ZINTERCARD", "2", "a", "b", "LIMIT", "1");
        d.check("ZDIFF", "2", "a", "b", "WITHSCORES");
        d.check("ZDIFFSTORE", "df", "2", "b", "a");
        d.check("ZRANGE", "df", "0", "-1", "WITHSCORES");
        d.check("ZUNIONSTORE", "u", "2", "a", "b", "WEIGHTS", "inf", "-inf");
        d.check("ZRANGE", "u", "0", "-1", "WITHSCORES");
        // the sign of a zero score: -0 alone stays -0, -0 + 0 is 0
        d.check("ZADD", "zero1", "0", "m", "0", "n");
        d.check("ZADD", "zero2", "0", "m");
        d.check("ZUNIONSTORE", "zu", "2", "zero1", "zero2", "WEIGHTS", "-1", "1");
        d.check("ZRANGE", "zu", "0", "-1", "WITHSCORES");
        d.check("ZUNION", "2", "zero2", "zero1", "WEIGHTS", "1", "-1", "WITHSCORES");
        d.check("ZINTER", "2", "zero1", "zero2", "WEIGHTS", "-1", "1", "WITHSCORES");
        d.check("ZINTERSTORE", "i", "2", "a", "missing");
        d.check("EXISTS", "i");
        // argument errors
        d.check("ZUNIONSTORE", "u", "0", "a");
        d.check("ZUNIONSTORE", "u", "3", "a", "b");
        d.check("ZUNIONSTORE", "u", "2", "a", "b", "WEIGHTS", "1");
        d.check("ZUNIONSTORE", "u", "2", "a", "b", "WEIGHTS", "1", "x");
        d.check("ZUNIONSTORE", "u", "2", "a", "b", "AGGREGATE", "AVG");
        d.check("ZUNIONSTORE", "u", "2", "a", "b", "WITHSCORES");
        d.check("ZUNION", "2", "a", "b", "BOGUS");
        d.check("ZINTER", "-1", "a");
        d.check("ZINTERCARD", "2", "a", "b", "LIMIT", "-1");
        d.check("SET", "str", "v");
        d.check("ZUNION", "2", "a", "str");
        d.check("ZINTERSTORE", "a", "2", "a", "str");
        d.check("ZRANGE", "a", "0", "-1");
    }

    @Differential
    void pops(Dual d) {
        d.check("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        d.check("ZPOPMIN", "z");
        d.check("ZPOPMAX", "z");
        d.check("ZPOPMIN", "z", "2");
        d.check("ZPOPMIN", "z", "0");
        d.check("ZPOPMIN", "z", "-1");
        d.check("ZPOPMAX", "z", "x");
        d.check("ZPOPMIN", "missing");
        d.check("ZPOPMIN", "missing", "2");
        d.check("ZPOPMAX", "z", "10");
        d.check("EXISTS", "z");
        d.check("ZADD", "y", "1", "a", "2", "b", "3", "c");
        d.check("ZMPOP", "2", "missing", "y", "MIN");
        d.check("ZMPOP", "2", "missing", "y", "MAX", "COUNT", "5");
        d.check("ZMPOP", "1", "y", "MIN");
        d.check("ZMPOP", "1", "y", "UP");
        d.check("ZMPOP", "0", "y", "MIN");
        d.check("ZMPOP", "1", "y", "MIN", "COUNT", "0");
        d.check("ZADD", "y", "7", "q");
        d.check("BZPOPMIN", "missing", "y", "0.01");
        d.check("BZPOPMAX", "y", "0.01");
        d.check("BZMPOP", "0.01", "1", "y", "MIN");
        d.check("ZRANDMEMBER", "missing");
        d.check("ZADD", "r", "1", "a", "2", "b");
        d.check("ZRANDMEMBER", "r", "5", "WITHSCORES");
        d.check("ZRANDMEMBER", "r", "0");
        d.checkWith(ReplyComparison.SHAPE, "ZRANDMEMBER", "r", "-4", "WITHSCORES");
    }

    @Differential
    void encodingThresholds(Dual d) {
        List<Object> members = new ArrayList<>(List.of("ZADD", "z"));
        for (int i = 0; i < 128; i++) {
            members.add(String.valueOf(i));
            members.add("m" + i);
        }
        d.check(members.toArray());
        d.check("OBJECT", "ENCODING", "z");
        d.check("ZADD", "z", "128", "m128");
        d.check("OBJECT", "ENCODING", "z");
        d.check("ZRANGE", "z", "120", "-1", "WITHSCORES");
        d.check("ZRANDMEMBER", "z", "200", "WITHSCORES");
        d.check("ZADD", "v", "1", "x".repeat(64));
        d.check("OBJECT", "ENCODING", "v");
        d.check("ZADD", "v", "2", "y".repeat(65));
        d.check("OBJECT", "ENCODING", "v");
        d.check("ZUNIONSTORE", "small", "1", "v");
        d.check("OBJECT", "ENCODING", "small");
        d.check("ZREM", "v", "y".repeat(65));
        d.check("OBJECT", "ENCODING", "v");
        d.check("ZRANGESTORE", "copy", "v", "0", "-1");
        d.check("OBJECT", "ENCODING", "copy");
    }

    @Differential
    void wrongType(Dual d) {
        d.check("SET", "str", "v");
        d.check("SADD", "set", "a");
        for (String key : new String[] {"str", "set"}) {
            d.check("ZADD", key, "1", "a");
            d.check("ZRANGE", key, "0", "-1");
            d.check("ZSCORE", key, "a");
            d.check("ZINCRBY", key, "1", "a");
            d.check("ZPOPMIN", key);
            d.check("ZMPOP", "1", key, "MIN");
            d.check("ZCARD", key);
            d.check("ZRANGEBYSCORE", key, "0", "1");
        }
        d.check("ZADD", "z", "1", "a");
        d.check("SMEMBERS", "z");
        d.check("LRANGE", "z", "0", "-1");
    }

    @Differential
    void scan(Dual d) {
        d.check("ZADD", "z", "1", "a1", "2", "a2", "3", "b1");
        d.checkScan(new Object[] {"ZSCAN", "z"});
        d.checkScan(new Object[] {"ZSCAN", "z"}, "MATCH", "a*");
    }
}
