package io.respire.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * Hash family (server's HashCommands): field reads and writes, the increment commands and their
 * number parsing, HRANDFIELD where its output is deterministic, and the listpack to hashtable
 * conversion thresholds that OBJECT ENCODING exposes. Small hashes keep insertion order in Redis,
 * so their HGETALL/HKEYS/HVALS replies are compared exactly.
 */
class HashCommandsDifferentialTest {
    @Differential
    void setGetAndDelete(Dual d) {
        d.check("HSET", "h", "f1", "v1");
        d.check("HSET", "h", "f1", "v1b", "f2", "v2", "f3", "");
        d.check("HGET", "h", "f1");
        d.check("HGET", "h", "nope");
        d.check("HGET", "missing", "f1");
        d.check("HGETALL", "h");
        d.check("HGETALL", "missing");
        d.check("HMGET", "h", "f1", "nope", "f3");
        d.check("HMGET", "missing", "a", "b");
        d.check("HMSET", "h", "f4", "v4", "f5", "v5");
        d.check("HKEYS", "h");
        d.check("HVALS", "h");
        d.check("HLEN", "h");
        d.check("HLEN", "missing");
        d.check("HEXISTS", "h", "f2");
        d.check("HEXISTS", "h", "zz");
        d.check("HSTRLEN", "h", "f1");
        d.check("HSTRLEN", "h", "zz");
        d.check("HSETNX", "h", "f1", "other");
        d.check("HSETNX", "h", "f6", "v6");
        d.check("HDEL", "h", "f1", "f2", "nope");
        d.check("HGETALL", "h");
        d.check("HDEL", "h", "f3", "f4", "f5", "f6");
        d.check("EXISTS", "h");
        d.check("HDEL", "missing", "f");
    }

    @Differential
    void arityAndSyntaxErrors(Dual d) {
        d.check("HSET", "h", "f1");
        d.check("HSET", "h", "f1", "v1", "f2");
        d.check("HMSET", "h", "f1", "v1", "f2");
        d.check("HGET", "h");
        d.check("HDEL", "h");
        d.check("HMGET", "h");
        d.check("HINCRBY", "h", "f");
        d.check("EXISTS", "h");
    }

    @Differential
    void increments(Dual d) {
        d.check("HINCRBY", "h", "n", "5");
        d.check("HINCRBY", "h", "n", "-7");
        d.check("HINCRBY", "h", "n", "abc");
        d.check("HINCRBY", "h", "n", "1.5");
        d.check("HSET", "h", "big", "9223372036854775807", "s", "hello", "sp", " 1", "f", "1.5");
        d.check("HINCRBY", "h", "big", "1");
        d.check("HINCRBY", "h", "big", "-1");
        d.check("HINCRBY", "h", "s", "1");
        d.check("HINCRBY", "h", "sp", "1");
        d.check("HINCRBY", "h", "f", "1");
        d.check("HINCRBYFLOAT", "h", "f", "0.25");
        d.check("HINCRBYFLOAT", "h", "f", "-1.75");
        d.check("HINCRBYFLOAT", "h", "new", "3.0e3");
        d.check("HINCRBYFLOAT", "h", "new", "1e-2");
        d.check("HINCRBYFLOAT", "h", "n", "10.5");
        d.check("HINCRBYFLOAT", "h", "s", "1");
        d.check("HINCRBYFLOAT", "h", "f", "abc");
        d.check("HINCRBYFLOAT", "h", "f", "inf");
        d.check("HINCRBYFLOAT", "h", "f", "nan");
        d.check("HINCRBYFLOAT", "h", "big", "1");
        d.check("HGETALL", "h");
    }

    @Differential
    void randomFieldDeterministicCases(Dual d) {
        d.check("HRANDFIELD", "missing");
        d.check("HRANDFIELD", "missing", "3");
        d.check("HRANDFIELD", "missing", "-3", "WITHVALUES");
        d.check("HSET", "h", "a", "1", "b", "2", "c", "3");
        // a count at least the size returns the whole hash, in its (listpack) order
        d.check("HRANDFIELD", "h", "3");
        d.check("HRANDFIELD", "h", "10");
        d.check("HRANDFIELD", "h", "10", "WITHVALUES");
        d.check("HRANDFIELD", "h", "0");
        d.check("HRANDFIELD", "h", "0", "WITHVALUES");
        d.check("HRANDFIELD", "h", "x");
        d.check("HRANDFIELD", "h", "1", "BOGUS");
        d.check("HRANDFIELD", "h", "-9223372036854775808", "WITHVALUES");
        // a random pick: only the shape is fixed
        d.checkWith(ReplyComparison.SHAPE, "HRANDFIELD", "h", "2");
        d.checkWith(ReplyComparison.SHAPE, "HRANDFIELD", "h", "-5");
        d.checkWith(ReplyComparison.SHAPE, "HRANDFIELD", "h", "-5", "WITHVALUES");
        d.check("HSET", "one", "only", "v");
        d.check("HRANDFIELD", "one");
        d.check("HRANDFIELD", "one", "-3", "WITHVALUES");
    }

    @Differential
    void encodingThresholds(Dual d) {
        List<Object> fields = new ArrayList<>(List.of("HSET", "h"));
        for (int i = 0; i < 128; i++) {
            fields.add("f" + i);
            fields.add("v" + i);
        }
        d.check(fields.toArray());
        d.check("OBJECT", "ENCODING", "h");
        d.check("HGETALL", "h");
        d.check("HSET", "h", "f128", "v128");
        d.check("OBJECT", "ENCODING", "h");
        d.check("HLEN", "h");

        d.check("HSET", "v", "f", "x".repeat(64));
        d.check("OBJECT", "ENCODING", "v");
        d.check("HSET", "v", "g", "y".repeat(65));
        d.check("OBJECT", "ENCODING", "v");
        d.check("HSET", "k", "k".repeat(65), "short");
        d.check("OBJECT", "ENCODING", "k");
        d.check("HINCRBYFLOAT", "v", "f2", "1.5");
        d.check("HGET", "v", "g");
        // deleting does not convert back
        d.check("HDEL", "v", "g");
        d.check("OBJECT", "ENCODING", "v");
    }

    @Differential
    void wrongType(Dual d) {
        d.check("SET", "s", "str");
        d.check("RPUSH", "l", "a");
        for (String key : new String[] {"s", "l"}) {
            d.check("HSET", key, "f", "v");
            d.check("HGET", key, "f");
            d.check("HGETALL", key);
            d.check("HINCRBY", key, "f", "1");
            d.check("HINCRBYFLOAT", key, "f", "1");
            d.check("HRANDFIELD", key);
            d.check("HLEN", key);
            d.check("HDEL", key, "f");
        }
        d.check("HSET", "h", "f", "v");
        d.check("GET", "h");
        d.check("LPUSH", "h", "x");
        d.check("SADD", "h", "x");
        d.check("ZADD", "h", "1", "x");
    }

    @Differential
    void scan(Dual d) {
        d.check("HSET", "h", "a1", "1", "a2", "2", "b1", "3");
        d.checkScan(new Object[] {"HSCAN", "h"});
        d.checkScan(new Object[] {"HSCAN", "h"}, "MATCH", "a*");
        d.checkScan(new Object[] {"HSCAN", "missing"});
    }
}
