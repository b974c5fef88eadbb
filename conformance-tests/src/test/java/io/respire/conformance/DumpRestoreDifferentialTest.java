package io.respire.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DUMP and RESTORE (server's PersistenceCommands) against Redis: payloads byte for byte for every
 * encoding whose layout does not depend on a hash table's order, RESTORE's options and every error
 * in Redis's order, and the values restored.
 */
class DumpRestoreDifferentialTest {
    /** One key of each deterministic encoding: its DUMP must be Redis's, and restore to the same value. */
    @Differential
    void payloadsAreRedisBytes(Dual d) {
        d.check("SET", "int", "12345");
        d.check("SET", "neg", "-2147483649");
        d.check("SET", "str", "hello");
        d.check("SET", "long", "abcdefgh".repeat(40));
        d.check("APPEND", "appended", "x");
        d.check("RPUSH", "list", "a", "1", "-3", "c".repeat(70), "20000000000");
        d.check("SADD", "intset", "1", "-2", "70000", "5000000000");
        d.check("HSET", "hash", "f", "v", "n", "12");
        d.check("ZADD", "zset", "1", "a", "2.5", "b", "-inf", "c", "+inf", "d");
        d.check("PFADD", "hll", "a", "b", "c");
        d.check("XADD", "stream", "1-1", "f", "v");
        d.check("XADD", "stream", "1-2", "f", "w", "g", "x");
        d.check("XDEL", "stream", "1-1");
        d.check("XGROUP", "CREATE", "stream", "g", "0");
        for (String key : new String[] {"int", "neg", "str", "long", "appended", "list", "intset", "hash", "zset",
                "hll", "stream"}) {
            RespReply payload = d.check("DUMP", key);
            d.check("RESTORE", key + ":copy", "0", payload.data);
            d.check("DUMP", key + ":copy");
            d.check("TYPE", key + ":copy");
            d.check("OBJECT", "ENCODING", key + ":copy");
        }
        d.check("DUMP", "missing");
        d.check("CONFIG", "SET", "rdbcompression", "no");
        d.check("DUMP", "long");
        d.check("CONFIG", "SET", "rdbcompression", "yes");
    }

    /**
     * INFO's dump_payload_sanitizations: each listpack or intset blob of a restored payload, when
     * sanitize-dump-payload asks for it (yes; clients, unless the user has skip-sanitize-payload).
     */
    @Differential
    void sanitizationsAreCountedAsRedisCountsThem(Dual d) {
        d.check("RPUSH", "list", "a", "b");
        d.check("SADD", "intset", "1", "2");
        d.check("HSET", "hash", "f", "v");
        d.check("ZADD", "zset", "1", "a");
        d.check("XADD", "stream", "1-1", "f", "v");
        d.check("SET", "str", "x");
        String[] keys = {"list", "intset", "hash", "zset", "stream", "str"};
        byte[][] payloads = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            payloads[i] = d.check("DUMP", keys[i]).data;
        }
        d.check("CONFIG", "RESETSTAT");
        d.check("ACL", "SETUSER", "skipper", "on", "nopass", "skip-sanitize-payload", "~*", "+@all");
        for (String mode : new String[] {"no", "yes", "clients", "clients as skipper"}) {
            if (mode.endsWith("skipper")) {
                d.check("AUTH", "skipper", "any");
            }
            d.check("CONFIG", "SET", "sanitize-dump-payload", mode.split(" ")[0]);
            for (int i = 0; i < keys.length; i++) {
                d.check("RESTORE", keys[i] + ":" + mode, "0", payloads[i]);
            }
            RespReply[] info = d.both("INFO", "stats");
            assertEquals(sanitizations(info[0]), sanitizations(info[1]), mode);
        }
        // Five blobs (list node, intset, hash, zset, stream node) under yes and again under clients.
        assertEquals("10", sanitizations(d.both("INFO", "stats")[0]), "what Redis counted");
        d.check("AUTH", "default", "any");
        d.check("ACL", "DELUSER", "skipper");
        d.check("CONFIG", "SET", "sanitize-dump-payload", "no");
    }

    private static String sanitizations(RespReply info) {
        for (String line : info.text().split("\r\n")) {
            if (line.startsWith("dump_payload_sanitizations:")) {
                return line.substring("dump_payload_sanitizations:".length());
            }
        }
        throw new AssertionError("no dump_payload_sanitizations in INFO stats");
    }

    @Differential
    void restoreOptionsAndErrors(Dual d) {
        d.check("SET", "k", "v");
        RespReply payload = d.check("DUMP", "k");
        byte[] p = payload.data;
        d.check("RESTORE", "k", "0", p);
        d.check("RESTORE", "k", "0", p, "REPLACE");
        d.check("RESTORE", "t", "100000", p);
        d.check("TTL", "t");
        d.check("RESTORE", "a", "4102444800000", p, "ABSTTL");
        d.check("PEXPIRETIME", "a");
        d.check("RESTORE", "past", "1", p, "ABSTTL");
        d.check("EXISTS", "past");
        d.check("RESTORE", "a", "1", p, "ABSTTL", "REPLACE");
        d.check("EXISTS", "a");
        d.check("RESTORE", "i", "0", p, "IDLETIME", "1000");
        d.check("OBJECT", "IDLETIME", "i");
        d.check("RESTORE", "x", "0", p, "IDLETIME", "-1");
        d.check("RESTORE", "x", "0", p, "IDLETIME", "abc");
        d.check("RESTORE", "x", "0", p, "FREQ", "256");
        d.check("RESTORE", "x", "0", p, "FREQ", "10", "IDLETIME", "10");
        d.check("RESTORE", "x", "0", p, "IDLETIME");
        d.check("RESTORE", "x", "0", p, "BOGUS");
        d.check("RESTORE", "x", "-1", p);
        d.check("RESTORE", "x", "abc", p);
        d.check("RESTORE", "k", "abc", p);
        d.check("RESTORE", "x", "0", "short");
        d.check("RESTORE", "x", "0", "");
        byte[] corrupt = p.clone();
        corrupt[0] ^= 0x20;
        d.check("RESTORE", "x", "0", corrupt);
        d.check("DEBUG", "SET-SKIP-CHECKSUM-VALIDATION", "1");
        d.check("RESTORE", "x", "0", corrupt);
        byte[] badType = p.clone();
        badType[0] = 0x42;
        d.check("RESTORE", "y", "0", badType);
        d.check("DEBUG", "SET-SKIP-CHECKSUM-VALIDATION", "0");
        d.check("EXISTS", "x", "y");
    }

    @Differential
    void restoreConvertsToTheConfiguredEncodings(Dual d) {
        d.check("HSET", "h", "a", "1", "b", "2", "c", "3");
        d.check("RPUSH", "l", "a", "b", "c");
        d.check("SADD", "s", "1", "2", "3");
        RespReply h = d.check("DUMP", "h");
        RespReply s = d.check("DUMP", "s");
        d.check("CONFIG", "SET", "hash-max-listpack-entries", "2");
        d.check("CONFIG", "SET", "set-max-intset-entries", "2");
        d.check("RESTORE", "h2", "0", h.data);
        d.check("RESTORE", "s2", "0", s.data);
        d.check("OBJECT", "ENCODING", "h2");
        d.check("OBJECT", "ENCODING", "s2");
        d.check("CONFIG", "SET", "hash-max-listpack-entries", "128");
        d.check("CONFIG", "SET", "set-max-intset-entries", "512");
    }
}
