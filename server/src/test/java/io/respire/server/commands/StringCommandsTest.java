package io.respire.server.commands;

import io.respire.server.EmbeddedServerTest;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * String commands end to end, through an embedded server. Expected replies are those of Redis
 * 7.0.15. Each test uses its own keys; the server is shared by the class.
 */
class StringCommandsTest extends EmbeddedServerTest {

    /** Stores a value of another type at key (any non-string object), on the server's thread. */
    static void storeNonString(RespireServer server, String key) throws ExecutionException, InterruptedException {
        server.context().executor().submit(() -> server.context().database(0).put(key.getBytes(), new io.respire.ds.hash.HashValue())).get();
    }

    private static final String WRONGTYPE = "(error) WRONGTYPE Operation against a key holding the wrong kind of value";

    /**
     * A SET of the same length writes into the key's own array (Dict.set): no other key, no value
     * a script holds, no list that SORT stored and no shared small-integer text may change with it.
     */
    @Test
    void aStringWrittenInPlaceChangesNothingElse() throws Exception {
        assertEquals("(integer) 5", c.call("INCRBY", "ip-counter", "5"));
        assertEquals("OK", c.call("SET", "ip-counter", "x"));
        assertEquals("(integer) 5", c.call("INCRBY", "ip-other", "5"));
        assertEquals("5", c.call("GET", "ip-other"));

        assertEquals("OK", c.call("SET", "ip-a", "xyz"));
        assertEquals("(integer) 1", c.call("COPY", "ip-a", "ip-b"));
        assertEquals("OK", c.call("SET", "ip-a", "abc"));
        assertEquals("xyz", c.call("GET", "ip-b"));

        assertEquals("xyz", c.call("EVAL",
                "local v = redis.call('GET', KEYS[1]); redis.call('SET', KEYS[1], 'zzz'); return v", "1", "ip-b"));
        assertEquals("zzz", c.call("GET", "ip-b"));

        assertEquals("OK", c.call("CONFIG", "SET", "hash-max-listpack-entries", "0")); // a FieldTable
        try {
            assertEquals("(integer) 1", c.call("HSET", "ip-h", "f", "abc"));
            assertEquals("(integer) 1", c.call("COPY", "ip-h", "ip-h2"));
            assertEquals("(integer) 0", c.call("HSET", "ip-h", "f", "xyz"));
            assertEquals("abc", c.call("HGET", "ip-h2", "f"));
            assertEquals("xyz", c.call("HGET", "ip-h", "f"));
        } finally {
            c.call("CONFIG", "SET", "hash-max-listpack-entries", "128");
        }

        assertEquals("OK", c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1")); // every element a plain node
        try {
            assertEquals("(integer) 1", c.call("RPUSH", "ip-list", "1"));
            assertEquals("OK", c.call("SET", "ip-w_1", "old"));
            assertEquals("(integer) 1", c.call("SORT", "ip-list", "GET", "ip-w_*", "STORE", "ip-sorted"));
            assertEquals("OK", c.call("SET", "ip-w_1", "new"));
            assertEquals("[old]", c.call("LRANGE", "ip-sorted", "0", "-1"));
        } finally {
            c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0");
        }
    }

    /** Redis's "INCR can modify objects in-place" (unit/type/incr): same length, same object. */
    @Test
    void incrOfTheSameLengthKeepsTheObject() throws Exception {
        assertEquals("OK", c.call("SET", "ip-incr", "20000"));
        c.call("INCR", "ip-incr");
        String before = c.call("DEBUG", "OBJECT", "ip-incr").split(" ")[1];
        c.call("INCR", "ip-incr");
        String after = c.call("DEBUG", "OBJECT", "ip-incr").split(" ")[1];
        assertTrue(before.startsWith("at:"), before);
        assertEquals(before, after);
    }

    @Test
    void setOptions() throws Exception {
        assertEquals("OK", c.call("SET", "s1", "v"));
        assertEquals("(nil)", c.call("SET", "s1", "w", "NX"));
        assertEquals("v", c.call("SET", "s1", "w", "XX", "GET"));
        assertEquals("(nil)", c.call("SET", "s1-missing", "w", "XX"));
        assertEquals("(nil)", c.call("SET", "s1-missing", "w", "XX", "GET"));
        assertEquals("(nil)", c.call("GET", "s1-missing"));
        assertEquals("w", c.call("SET", "s1", "x", "NX", "GET")); // replies the old value, sets nothing
        assertEquals("w", c.call("GET", "s1"));
        assertEquals("OK", c.call("SET", "s1", "x", "EX", "100", "EX", "200"));
        assertEquals("OK", c.call("SET", "s1", "y", "KEEPTTL"));
        assertTrue(Long.parseLong(c.call("PTTL", "s1").substring(10)) > 100_000);
        assertEquals("OK", c.call("SET", "s1", "z"));
        assertEquals("(integer) -1", c.call("PTTL", "s1"));
        assertEquals("(error) ERR syntax error", c.call("SET", "s1", "v", "NX", "XX"));
        assertEquals("(error) ERR syntax error", c.call("SET", "s1", "v", "EX", "10", "PX", "100"));
        assertEquals("(error) ERR syntax error", c.call("SET", "s1", "v", "KEEPTTL", "EX", "10"));
        assertEquals("(error) ERR syntax error", c.call("SET", "s1", "v", "EX"));
        assertEquals("(error) ERR syntax error", c.call("SET", "s1", "v", "PERSIST"));
        assertEquals("(error) ERR value is not an integer or out of range", c.call("SET", "s1", "v", "EX", "x"));
        assertEquals("(error) ERR invalid expire time in 'set' command", c.call("SET", "s1", "v", "EX", "0"));
        assertEquals("(error) ERR invalid expire time in 'set' command",
                c.call("SET", "s1", "v", "EX", "9223372036854775"));
        assertEquals("(error) ERR invalid expire time in 'setex' command", c.call("SETEX", "s1", "-1", "v"));
        assertEquals("OK", c.call("PSETEX", "s1", "100000", "v"));
        assertEquals("(integer) 1", c.call("SETNX", "s1-nx", "v"));
        assertEquals("(integer) 0", c.call("SETNX", "s1-nx", "w"));
        storeNonString(server, "s1-list");
        assertEquals(WRONGTYPE, c.call("SET", "s1-list", "v", "GET"));
        assertEquals("OK", c.call("SET", "s1-list", "v"));
    }

    @Test
    void setPxatInThePastDeletesOnNextAccess() throws Exception {
        assertEquals("OK", c.call("SET", "s2", "v", "PXAT", "1"));
        assertEquals("(nil)", c.call("GET", "s2"));
    }

    @Test
    void getexGetdelGetset() throws Exception {
        c.call("SET", "g1", "v");
        assertEquals("v", c.call("GETEX", "g1", "EX", "100"));
        assertTrue(Long.parseLong(c.call("PTTL", "g1").substring(10)) > 99_000);
        assertEquals("v", c.call("GETEX", "g1", "PERSIST"));
        assertEquals("(integer) -1", c.call("PTTL", "g1"));
        assertEquals("(error) ERR syntax error", c.call("GETEX", "g1", "PERSIST", "EX", "10"));
        assertEquals("(error) ERR syntax error", c.call("GETEX", "g1", "KEEPTTL"));
        assertEquals("(nil)", c.call("GETEX", "g1-missing", "EX", "-5")); // the time is checked after the lookup
        assertEquals("(error) ERR invalid expire time in 'getex' command", c.call("GETEX", "g1", "EX", "-5"));
        assertEquals("v", c.call("GETEX", "g1", "PXAT", "1")); // already past: deleted
        assertEquals("(integer) 0", c.call("EXISTS", "g1"));

        c.call("SET", "g2", "v");
        assertEquals("v", c.call("GETDEL", "g2"));
        assertEquals("(nil)", c.call("GETDEL", "g2"));
        assertEquals("(nil)", c.call("GETSET", "g3", "a"));
        assertEquals("a", c.call("GETSET", "g3", "b"));
        storeNonString(server, "g-list");
        assertEquals(WRONGTYPE, c.call("GETDEL", "g-list"));
        assertEquals(WRONGTYPE, c.call("GETEX", "g-list"));
        assertEquals(WRONGTYPE, c.call("GETSET", "g-list", "x"));
    }

    @Test
    void msetMgetMsetnx() throws Exception {
        assertEquals("OK", c.call("MSET", "m1", "a", "m2", "b"));
        storeNonString(server, "m-list");
        assertEquals("[a, b, (nil), (nil)]", c.call("MGET", "m1", "m2", "m-missing", "m-list"));
        assertEquals("(error) ERR wrong number of arguments for 'mset' command", c.call("MSET", "m1", "a", "m2"));
        assertEquals("(error) ERR wrong number of arguments for 'msetnx' command", c.call("MSETNX", "m1", "a", "m2"));
        assertEquals("(integer) 0", c.call("MSETNX", "m3", "x", "m1", "y"));
        assertEquals("(nil)", c.call("GET", "m3"));
        assertEquals("(integer) 1", c.call("MSETNX", "m3", "x", "m4", "y", "m3", "z"));
        assertEquals("z", c.call("GET", "m3"));
    }

    @Test
    void incrDecr() throws Exception {
        assertEquals("(integer) 1", c.call("INCR", "i1"));
        assertEquals("(integer) -9", c.call("DECRBY", "i1", "10"));
        assertEquals("(integer) 34359738368", c.call("INCRBY", "i1", "34359738377"));
        c.call("SET", "i2", "9223372036854775807");
        assertEquals("(error) ERR increment or decrement would overflow", c.call("INCR", "i2"));
        assertEquals("(error) ERR decrement would overflow", c.call("DECRBY", "i2", "-9223372036854775808"));
        c.call("SET", "i3", " 11");
        assertEquals("(error) ERR value is not an integer or out of range", c.call("INCR", "i3"));
        assertEquals("(error) ERR value is not an integer or out of range", c.call("INCRBY", "i1", "1.5"));
        storeNonString(server, "i-list");
        assertEquals(WRONGTYPE, c.call("DECR", "i-list"));
        c.call("SET", "i4", "5", "EX", "100");
        c.call("INCR", "i4");
        assertTrue(Long.parseLong(c.call("PTTL", "i4").substring(10)) > 0, "INCR keeps the TTL");
    }

    @Test
    void incrbyfloatFormatsLikeLongDouble() throws Exception {
        c.call("SET", "f1", "10.5");
        assertEquals("10.6", c.call("INCRBYFLOAT", "f1", "0.1"));
        assertEquals("10.6", c.call("GET", "f1"));
        assertEquals("0.1", c.call("INCRBYFLOAT", "f2", "0.1"));
        assertEquals("0.3", c.call("INCRBYFLOAT", "f2", "0.2"));
        c.call("SET", "f3", "5.0e3");
        assertEquals("4999.89999999999999991", c.call("INCRBYFLOAT", "f3", "-0.1"));
        c.call("SET", "f4", "0");
        assertEquals("(error) ERR increment would produce NaN or Infinity", c.call("INCRBYFLOAT", "f4", "+inf"));
        assertEquals("(error) ERR value is not a valid float", c.call("INCRBYFLOAT", "f4", "nan"));
        assertEquals("(error) ERR value is not a valid float", c.call("INCRBYFLOAT", "f4", " 1"));
        c.call("SET", "f5", "1");
        c.call("SETRANGE", "f5", "2", "2"); // "1\0" + "2": a NUL inside
        assertEquals("(error) ERR value is not a valid float", c.call("INCRBYFLOAT", "f5", "1"));
        assertEquals("0.02439024390243902", c.call("INCRBYFLOAT", "f6", "0.02439024390243902"));
        assertEquals("0", c.call("INCRBYFLOAT", "f6", "-0.02439024390243902"));
        storeNonString(server, "f-list");
        assertEquals(WRONGTYPE, c.call("INCRBYFLOAT", "f-list", "1"));
    }

    @Test
    void appendStrlenRanges() throws Exception {
        assertEquals("(integer) 5", c.call("APPEND", "a1", "hello"));
        assertEquals("(integer) 11", c.call("APPEND", "a1", " world"));
        assertEquals("hello world", c.call("GET", "a1"));
        assertEquals("raw", c.call("OBJECT", "ENCODING", "a1"));
        assertEquals("(integer) 11", c.call("STRLEN", "a1"));
        assertEquals("(integer) 0", c.call("STRLEN", "a-missing"));
        assertEquals("world", c.call("GETRANGE", "a1", "-5", "-1"));
        assertEquals("hello", c.call("SUBSTR", "a1", "0", "4"));
        assertEquals("", c.call("GETRANGE", "a1", "-1", "-5"));
        assertEquals("hello world", c.call("GETRANGE", "a1", "0", "4294967297"));
        assertEquals("", c.call("GETRANGE", "a-missing", "0", "-1"));
        assertEquals("(integer) 11", c.call("SETRANGE", "a1", "6", "WORLD"));
        assertEquals("hello WORLD", c.call("GET", "a1"));
        assertEquals("(integer) 0", c.call("SETRANGE", "a2", "5", ""));
        assertEquals("(integer) 0", c.call("EXISTS", "a2"));
        assertEquals("(integer) 8", c.call("SETRANGE", "a2", "5", "abc"));
        assertEquals("\0\0\0\0\0abc", c.call("GET", "a2"));
        c.call("SET", "a3", "1234");
        assertEquals("int", c.call("OBJECT", "ENCODING", "a3"));
        assertEquals("(integer) 4", c.call("SETRANGE", "a3", "1", ""));
        assertEquals("int", c.call("OBJECT", "ENCODING", "a3"));
        assertEquals("(integer) 4", c.call("SETRANGE", "a3", "1", "x"));
        assertEquals("raw", c.call("OBJECT", "ENCODING", "a3"));
        assertEquals("(error) ERR offset is out of range", c.call("SETRANGE", "a3", "-1", "x"));
        assertEquals("(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)",
                c.call("SETRANGE", "a3", String.valueOf(512 * 1024 * 1024 - 4), "world"));
        assertEquals("(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)",
                c.call("SETRANGE", "a3", "9223372036854775807", "A"));
        storeNonString(server, "a-list");
        assertEquals(WRONGTYPE, c.call("APPEND", "a-list", "x"));
        assertEquals(WRONGTYPE, c.call("SETRANGE", "a-list", "0", "x"));
        assertEquals(WRONGTYPE, c.call("GETRANGE", "a-list", "0", "1"));
    }

    @Test
    void appendRespectsProtoMaxBulkLen() throws Exception {
        try (RespireServer small = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--proto-max-bulk-len", "1mb");
             RespTestClient s = new RespTestClient(small.port())) {
            String half = "x".repeat(512 * 1024);
            assertEquals("(integer) " + half.length(), s.call("APPEND", "k", half));
            assertEquals("(integer) " + 2 * half.length(), s.call("APPEND", "k", half));
            assertEquals("(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)", s.call("APPEND", "k", "y"));
        }
    }

    @Test
    void lcs() throws Exception {
        c.call("MSET", "l1", "ohmytext", "l2", "mynewtext");
        assertEquals("mytext", c.call("LCS", "l1", "l2"));
        assertEquals("(integer) 6", c.call("LCS", "l1", "l2", "LEN"));
        assertEquals("[matches, [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], len, 6]", c.call("LCS", "l1", "l2", "IDX").replace("(integer) ", ""));
        assertEquals("[matches, [[[4, 7], [5, 8], 4]], len, 6]",
                c.call("LCS", "l1", "l2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN").replace("(integer) ", ""));
        assertEquals("", c.call("LCS", "l1", "l-missing"));
        assertEquals("(error) ERR If you want both the length and indexes, please just use IDX.",
                c.call("LCS", "l1", "l2", "LEN", "IDX"));
        assertEquals("(error) ERR syntax error", c.call("LCS", "l1", "l2", "MINMATCHLEN"));
        storeNonString(server, "l-list");
        assertEquals("(error) ERR The specified keys must contain string values", c.call("LCS", "l1", "l-list"));
    }

    @Test
    void resp3NullsAndMaps() throws Exception {
        c.call("HELLO", "3");
        assertEquals("_\r\n", new String(c.callRaw("GET", "r-missing")));
        c.call("MSET", "r1", "ab", "r2", "b");
        assertEquals("%2\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:1\r\n:1\r\n*2\r\n:0\r\n:0\r\n$3\r\nlen\r\n:1\r\n",
                new String(c.callRaw("LCS", "r1", "r2", "IDX")));
    }
}
