package io.respire.conformance;

import java.util.List;

/**
 * Keyspace family (server's KeyCommands): DEL/EXISTS, the EXPIRE family and TTLs, RENAME, KEYS
 * and SCAN, TYPE, OBJECT, COPY/MOVE/SWAPDB. TTLs are compared with a tolerance, SCAN and KEYS as
 * sets: the only places where Redis itself gives no single answer.
 */
class KeyCommandsDifferentialTest {
    private static final ReplyComparison TTL = ReplyComparison.near(2);
    private static final ReplyComparison PTTL = ReplyComparison.near(2000);
    private static final long NOW_SECONDS = System.currentTimeMillis() / 1000;

    @Differential
    void delExistsUnlinkTouch(Dual d) {
        d.check("MSET", "a", "1", "b", "2", "c", "3");
        d.check("EXISTS", "a");
        d.check("EXISTS", "a", "a", "missing", "b");
        d.check("DEL", "a", "a", "missing");
        d.check("EXISTS", "a");
        d.check("UNLINK", "b", "missing");
        d.check("TOUCH", "c", "c", "missing");
        d.check("DEL");
        d.check("EXISTS");
        d.check("DBSIZE");
        d.check("DEL", "c");
        d.check("DBSIZE");
    }

    @Differential
    void ttlOfMissingAndPersistentKeys(Dual d) {
        d.check("TTL", "missing");
        d.check("PTTL", "missing");
        d.check("EXPIRETIME", "missing");
        d.check("PEXPIRETIME", "missing");
        d.check("SET", "k", "v");
        d.check("TTL", "k");
        d.check("PTTL", "k");
        d.check("EXPIRETIME", "k");
        d.check("PEXPIRETIME", "k");
        d.check("PERSIST", "k");
        d.check("PERSIST", "missing");
        d.check("TTL");
    }

    @Differential
    void expireFamily(Dual d) {
        d.check("SET", "k", "v");
        d.check("EXPIRE", "k", "100");
        d.checkWith(TTL, "TTL", "k");
        d.checkWith(PTTL, "PTTL", "k");
        d.check("PEXPIRE", "k", "200000");
        d.checkWith(TTL, "TTL", "k");
        String at = String.valueOf(NOW_SECONDS + 5000);
        d.check("EXPIREAT", "k", at);
        d.check("EXPIRETIME", "k");
        d.check("PEXPIRETIME", "k");
        d.check("PEXPIREAT", "k", at + "123");
        d.check("PEXPIRETIME", "k");
        d.check("EXPIRETIME", "k");
        d.check("PERSIST", "k");
        d.check("TTL", "k");
        d.check("EXPIRE", "missing", "100");
        d.check("EXPIRE", "k", "abc");
        d.check("EXPIRE", "k", "1.5");
        d.check("EXPIRE", "k", "");
        d.check("EXPIRE", "k", "9223372036854775807");
        d.check("PEXPIRE", "k", "9223372036854775807");
        d.check("EXPIREAT", "k", "9223372036854775807");
        d.check("PEXPIREAT", "k", "9223372036854775807");
        d.check("EXPIRE", "k", "-9223372036854775808");
        d.check("EXPIRE", "k", "9223372036854775");
        d.check("TTL", "k");
        d.check("EXPIRE", "k", "100", "BOGUS");
        d.check("EXPIRE", "k");
        // a non-positive or past expiry deletes the key at once
        d.check("EXPIRE", "k", "0");
        d.check("EXISTS", "k");
        d.check("SET", "k", "v");
        d.check("EXPIRE", "k", "-1");
        d.check("EXISTS", "k");
        d.check("SET", "k", "v");
        d.check("EXPIREAT", "k", "1");
        d.check("EXISTS", "k");
        d.check("SET", "k", "v");
        d.check("PEXPIRE", "k", "-100");
        d.check("GET", "k");
    }

    @Differential
    void expireConditions(Dual d) {
        List<List<String>> flags = List.of(List.of("NX"), List.of("XX"), List.of("GT"), List.of("LT"),
                List.of("nx"), List.of("NX", "XX"), List.of("NX", "GT"), List.of("XX", "GT"), List.of("XX", "LT"),
                List.of("GT", "LT"), List.of("LT", "GT"), List.of("NX", "LT"), List.of("GT", "GT"));
        for (String command : List.of("EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT")) {
            boolean absolute = command.endsWith("AT");
            boolean millis = command.startsWith("P");
            for (List<String> flag : flags) {
                for (String initial : List.of("none", "short", "long")) {
                    for (long seconds : new long[] {300, 3000}) {
                        d.check("SET", "k", "v");
                        if (!initial.equals("none")) {
                            d.check("EXPIRE", "k", initial.equals("short") ? "1000" : "2000");
                        }
                        long value = absolute ? NOW_SECONDS + seconds : seconds;
                        d.check(Dual.concat(new Object[] {command, "k", millis ? value * 1000 : value}, flag.toArray()));
                        d.checkWith(TTL, "TTL", "k");
                    }
                }
            }
        }
        d.check("EXPIRE", "missing", "10", "XX");
        d.check("EXPIRE", "missing", "10", "NX");
        d.check("SET", "k", "v");
        d.check("EXPIRE", "k", "-1", "GT");
        d.check("EXPIRE", "k", "-1", "LT");
        d.check("EXISTS", "k");
    }

    @Differential
    void writesAndTtl(Dual d) {
        d.check("SET", "k", "v", "EX", "100");
        d.check("SET", "k", "w");
        d.check("TTL", "k");
        d.check("SET", "k", "v", "EX", "100");
        d.check("SETRANGE", "k", "0", "x");
        d.checkWith(TTL, "TTL", "k");
        d.check("RENAME", "k", "k2");
        d.checkWith(TTL, "TTL", "k2");
        d.check("GETSET", "k2", "y");
        d.check("TTL", "k2");
    }

    @Differential
    void renameAndRenamenx(Dual d) {
        d.check("RENAME", "missing", "x");
        d.check("RENAMENX", "missing", "x");
        d.check("SET", "a", "1");
        d.check("RENAME", "a", "a");
        d.check("RENAMENX", "a", "a");
        d.check("RENAME", "a", "b");
        d.check("MGET", "a", "b");
        d.check("SET", "c", "3");
        d.check("RENAMENX", "b", "c");
        d.check("RENAMENX", "b", "d");
        d.check("MGET", "b", "c", "d");
        d.check("RENAME", "d", "c");
        d.check("MGET", "c", "d");
        d.check("RPUSH", "list", "x");
        d.check("RENAME", "list", "c");
        d.check("TYPE", "c");
        d.check("RENAME", "c");
    }

    @Differential
    void keysWithGlobPatterns(Dual d) {
        d.check("MSET", "hello", "1", "hallo", "2", "hxllo", "3", "hllo", "4", "heeeello", "5", "h*llo", "6",
                "h?llo", "7", "h[a]llo", "8", "user:1", "9", "user:2", "10", "user:10", "11", "", "12", "a\\b", "13");
        for (String pattern : new String[] {"*", "h?llo", "h*llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "h[b-a]llo",
                "h\\*llo", "h\\?llo", "user:*", "user:?", "user:[0-9]*", "*:1*", "", "nomatch*", "h[", "h[a", "\\",
                "*\\", "a\\\\b", "[]", "h[\\]]llo", "?", "**", "h**o", "h[^]llo"}) {
            d.checkWith(ReplyComparison.UNORDERED, "KEYS", pattern);
        }
        d.check("KEYS");
        d.check("KEYS", "a", "b");
    }

    @Differential
    void scan(Dual d) {
        for (int i = 0; i < 40; i++) {
            d.check("SET", "key:" + i, "v");
        }
        d.check("RPUSH", "list:1", "a");
        d.check("SADD", "set:1", "a");
        d.checkScan(new Object[] {"SCAN"});
        d.checkScan(new Object[] {"SCAN"}, "COUNT", "3");
        d.checkScan(new Object[] {"SCAN"}, "MATCH", "key:1*");
        d.checkScan(new Object[] {"SCAN"}, "MATCH", "key:1*", "COUNT", "1000");
        d.checkScan(new Object[] {"SCAN"}, "TYPE", "string");
        d.checkScan(new Object[] {"SCAN"}, "TYPE", "list");
        d.checkScan(new Object[] {"SCAN"}, "TYPE", "nosuchtype");
        d.checkScan(new Object[] {"SCAN"}, "MATCH", "*:1", "TYPE", "set");
        d.check("SCAN", "abc");
        // "-1" parses as the largest cursor (strtoull): a valid cursor into an arbitrary bucket
        d.checkWith(ReplyComparison.SHAPE, "SCAN", "-1");
        d.check("SCAN", "0", "COUNT", "0");
        d.check("SCAN", "0", "COUNT", "-1");
        d.check("SCAN", "0", "COUNT", "x");
        d.check("SCAN", "0", "MATCH");
        d.check("SCAN", "0", "BOGUS", "1");
        d.check("SCAN", "18446744073709551616");
        d.check("SCAN");
        d.check("FLUSHDB");
        d.check("SCAN", "0");
    }

    @Differential
    void typeAndObject(Dual d) {
        d.check("TYPE", "missing");
        d.check("SET", "s", "x");
        d.check("TYPE", "s");
        d.check("RPUSH", "l", "x");
        d.check("TYPE", "l");
        d.check("SADD", "set", "x");
        d.check("TYPE", "set");
        d.check("HSET", "h", "f", "v");
        d.check("TYPE", "h");
        d.check("ZADD", "z", "1", "m");
        d.check("TYPE", "z");
        d.check("OBJECT", "ENCODING", "missing");
        for (String value : new String[] {"123", "-5", "0", "9223372036854775807", "12345678901234567890", "01",
                "1.5", "x", "x".repeat(44), "x".repeat(45), ""}) {
            d.check("SET", "s", value);
            d.check("OBJECT", "ENCODING", "s");
        }
        d.check("APPEND", "s", "y");
        d.check("OBJECT", "ENCODING", "s");
        d.check("SET", "n", "10");
        d.check("INCR", "n");
        d.check("OBJECT", "ENCODING", "n");
        d.check("SETRANGE", "n", "0", "2");
        d.check("OBJECT", "ENCODING", "n");
        d.check("OBJECT", "REFCOUNT", "missing");
        d.check("OBJECT", "FREQ", "s");
        d.checkWith(ReplyComparison.near(2), "OBJECT", "IDLETIME", "s");
        d.check("OBJECT", "BOGUS", "s");
        d.check("OBJECT", "ENCODING");
        d.check("OBJECT", "HELP");
    }

    @Differential
    void copy(Dual d) {
        d.check("SET", "a", "1", "EX", "100");
        d.check("COPY", "a", "b");
        d.check("GET", "b");
        d.checkWith(TTL, "TTL", "b");
        d.check("COPY", "a", "b");
        d.check("SET", "a", "2");
        d.check("COPY", "a", "b", "REPLACE");
        d.check("MGET", "a", "b");
        d.check("TTL", "b");
        d.check("COPY", "a", "a");
        d.check("COPY", "missing", "x");
        d.check("COPY", "a", "b", "DB", "1");
        d.check("COPY", "a", "b", "DB", "16");
        d.check("COPY", "a", "b", "DB", "-1");
        d.check("COPY", "a", "b", "DB", "x");
        d.check("COPY", "a", "a", "DB", "1");
        d.check("COPY", "a", "b", "BOGUS");
        d.check("COPY", "a", "b", "DB");
        d.check("SELECT", "1");
        d.check("MGET", "a", "b");
        d.check("RPUSH", "l", "x", "y");
        d.check("COPY", "l", "l2");
        d.check("LRANGE", "l2", "0", "-1");
    }

    @Differential
    void move(Dual d) {
        d.check("SET", "a", "1", "EX", "100");
        d.check("MOVE", "a", "1");
        d.check("EXISTS", "a");
        d.check("MOVE", "a", "1");
        d.check("SELECT", "1");
        d.check("GET", "a");
        d.checkWith(TTL, "TTL", "a");
        d.check("MOVE", "a", "1");
        d.check("SET", "b", "x");
        d.check("SELECT", "0");
        d.check("SET", "b", "y");
        d.check("MOVE", "b", "1");
        d.check("GET", "b");
        d.check("MOVE", "b", "16");
        d.check("MOVE", "b", "-1");
        d.check("MOVE", "b", "x");
        d.check("MOVE", "missing", "1");
    }

    @Differential
    void swapdb(Dual d) {
        d.check("SET", "a", "db0");
        d.check("SELECT", "1");
        d.check("SET", "a", "db1");
        d.check("SET", "only1", "x");
        d.check("SWAPDB", "0", "1");
        d.check("GET", "a");
        d.check("EXISTS", "only1");
        d.check("SELECT", "0");
        d.check("GET", "a");
        d.check("GET", "only1");
        d.check("SWAPDB", "0", "0");
        d.check("SWAPDB", "0", "16");
        d.check("SWAPDB", "-1", "0");
        d.check("SWAPDB", "x", "0");
        d.check("SWAPDB", "0", "y");
        d.check("DBSIZE");
    }

    @Differential
    void swapdbIsSeenByOtherConnections(Dual d) {
        Dual other = d.another();
        other.check("SELECT", "1");
        d.check("SET", "k", "zero");
        d.check("SWAPDB", "0", "1");
        other.check("GET", "k");
        d.check("GET", "k");
    }

    @Differential
    void randomkeyDbsizeFlushdb(Dual d) {
        d.check("RANDOMKEY");
        d.check("SET", "only", "1");
        d.check("RANDOMKEY");
        d.check("DBSIZE");
        d.check("SELECT", "2");
        d.check("SET", "x", "1");
        d.check("FLUSHDB");
        d.check("DBSIZE");
        d.check("SELECT", "0");
        d.check("DBSIZE");
        d.check("FLUSHDB", "ASYNC");
        d.check("FLUSHDB", "SYNC");
        d.check("FLUSHDB", "BOGUS");
        d.check("DBSIZE");
        d.check("RANDOMKEY", "x");
    }
}
