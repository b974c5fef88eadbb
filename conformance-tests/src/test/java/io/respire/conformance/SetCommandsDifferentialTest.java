package io.respire.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * Set family (server's SetCommands): membership, the algebra commands and their STORE variants,
 * SMOVE, SINTERCARD, the deterministic cases of SPOP/SRANDMEMBER, and the intset to hashtable
 * conversion. A set's element order is unspecified, so multi-element replies are compared
 * {@link ReplyComparison#UNORDERED} and stored results are read back through SORT ... ALPHA.
 */
class SetCommandsDifferentialTest {
    private static final ReplyComparison ANY_ORDER = ReplyComparison.UNORDERED;

    @Differential
    void membership(Dual d) {
        d.check("SADD", "s", "a", "b", "c", "a");
        d.check("SADD", "s", "c", "d");
        d.checkWith(ANY_ORDER, "SMEMBERS", "s");
        d.check("SMEMBERS", "missing");
        d.check("SCARD", "s");
        d.check("SCARD", "missing");
        d.check("SISMEMBER", "s", "a");
        d.check("SISMEMBER", "s", "z");
        d.check("SISMEMBER", "missing", "a");
        d.check("SMISMEMBER", "s", "a", "z", "d");
        d.check("SMISMEMBER", "missing", "a");
        d.check("SREM", "s", "a", "z");
        d.check("SREM", "missing", "a");
        d.check("SMOVE", "s", "t", "b");
        d.check("SMOVE", "s", "t", "zz");
        d.check("SMOVE", "missing", "t", "b");
        d.check("SMOVE", "s", "s", "c");
        d.check("SORT", "s", "ALPHA");
        d.check("SORT", "t", "ALPHA");
        d.check("SREM", "t", "b");
        d.check("EXISTS", "t");
        d.check("SADD", "s");
        d.check("SMISMEMBER", "s");
    }

    @Differential
    void algebra(Dual d) {
        d.check("SADD", "a", "1", "2", "3", "4", "x");
        d.check("SADD", "b", "3", "4", "5", "x");
        d.check("SADD", "c", "4", "x", "y");
        d.checkWith(ANY_ORDER, "SINTER", "a", "b", "c");
        d.checkWith(ANY_ORDER, "SINTER", "a", "missing");
        d.checkWith(ANY_ORDER, "SINTER", "a");
        d.checkWith(ANY_ORDER, "SUNION", "a", "b", "c", "missing");
        d.checkWith(ANY_ORDER, "SDIFF", "a", "b", "c");
        d.checkWith(ANY_ORDER, "SDIFF", "a", "missing");
        d.checkWith(ANY_ORDER, "SDIFF", "missing", "a");
        d.check("SINTERCARD", "2", "a", "b");
        d.check("SINTERCARD", "3", "a", "b", "c", "LIMIT", "1");
        d.check("SINTERCARD", "2", "a", "b", "LIMIT", "0");
        d.check("SINTERCARD", "2", "a", "b", "LIMIT", "-1");
        d.check("SINTERCARD", "0", "a");
        d.check("SINTERCARD", "3", "a", "b");
        d.check("SINTERCARD", "1", "a", "BOGUS", "1");
        d.check("SINTERSTORE", "dst", "a", "b");
        d.check("SORT", "dst", "ALPHA");
        d.check("SUNIONSTORE", "dst", "a", "c");
        d.check("SORT", "dst", "ALPHA");
        d.check("SDIFFSTORE", "dst", "a", "b");
        d.check("SORT", "dst", "ALPHA");
        d.check("SET", "str", "v");
        d.check("SINTERSTORE", "str", "a", "missing");
        d.check("EXISTS", "str");
        d.check("SET", "str", "v");
        d.check("SUNIONSTORE", "a", "a", "b");
        d.check("SORT", "a", "ALPHA");
        d.check("SINTER", "a", "str");
        d.check("SINTER", "missing", "str");
        d.check("SUNION", "a", "str");
        d.check("SDIFF", "a", "str");
        d.check("SDIFFSTORE", "dst", "a", "str");
        d.check("SORT", "dst", "ALPHA");
    }

    @Differential
    void popAndRandomMemberDeterministicCases(Dual d) {
        d.check("SPOP", "missing");
        d.check("SPOP", "missing", "2");
        d.check("SRANDMEMBER", "missing");
        d.check("SRANDMEMBER", "missing", "3");
        d.check("SADD", "s", "a", "b", "c");
        d.checkWith(ANY_ORDER, "SRANDMEMBER", "s", "3");
        d.checkWith(ANY_ORDER, "SRANDMEMBER", "s", "100");
        d.check("SRANDMEMBER", "s", "0");
        d.check("SRANDMEMBER", "s", "x");
        d.checkWith(ReplyComparison.SHAPE, "SRANDMEMBER", "s");
        d.checkWith(ReplyComparison.SHAPE, "SRANDMEMBER", "s", "2");
        d.checkWith(ReplyComparison.SHAPE, "SRANDMEMBER", "s", "-7");
        d.check("SPOP", "s", "0");
        d.check("SPOP", "s", "-1");
        d.checkWith(ANY_ORDER, "SPOP", "s", "10");
        d.check("EXISTS", "s");
        d.check("SADD", "one", "only");
        d.check("SPOP", "one");
        d.check("EXISTS", "one");
    }

    @Differential
    void encodingThresholds(Dual d) {
        List<Object> members = new ArrayList<>(List.of("SADD", "ints"));
        for (int i = 0; i < 512; i++) {
            members.add(String.valueOf(i * 3 - 700));
        }
        d.check(members.toArray());
        d.check("OBJECT", "ENCODING", "ints");
        // an intset replies in ascending order, so here the order is part of the contract
        d.check("SMEMBERS", "ints");
        d.check("SADD", "ints", "100000");
        d.check("OBJECT", "ENCODING", "ints");
        d.check("SCARD", "ints");
        d.check("SADD", "small", "1", "2", "3");
        d.check("OBJECT", "ENCODING", "small");
        d.check("SADD", "small", "9223372036854775807", "-9223372036854775808");
        d.check("OBJECT", "ENCODING", "small");
        d.check("SMEMBERS", "small");
        d.check("SADD", "small", "007");
        d.check("OBJECT", "ENCODING", "small");
        d.check("SADD", "str", "abc");
        d.check("OBJECT", "ENCODING", "str");
        d.check("SINTERSTORE", "dst", "small", "small");
        d.check("OBJECT", "ENCODING", "dst");
        d.check("SREM", "small", "007");
        d.check("OBJECT", "ENCODING", "small");
    }

    @Differential
    void wrongType(Dual d) {
        d.check("SET", "str", "v");
        d.check("HSET", "h", "f", "v");
        for (String key : new String[] {"str", "h"}) {
            d.check("SADD", key, "a");
            d.check("SMEMBERS", key);
            d.check("SISMEMBER", key, "a");
            d.check("SCARD", key);
            d.check("SPOP", key);
            d.check("SRANDMEMBER", key);
            d.check("SMOVE", key, "x", "a");
            d.check("SINTERCARD", "1", key);
        }
        d.check("SADD", "s", "a");
        d.check("SMOVE", "s", "str", "a");
        d.check("SMEMBERS", "s");
    }

    @Differential
    void scan(Dual d) {
        d.check("SADD", "s", "a1", "a2", "b1", "b2");
        d.checkScan(new Object[] {"SSCAN", "s"});
        d.checkScan(new Object[] {"SSCAN", "s"}, "MATCH", "b*", "COUNT", "1");
    }
}
