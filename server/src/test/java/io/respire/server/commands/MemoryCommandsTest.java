package io.respire.server.commands;

import io.respire.ds.keyspace.ValueTypes;
import io.respire.ds.string.MutableString;
import io.respire.server.EmbeddedServerTest;

import org.junit.jupiter.api.Test;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MEMORY end to end; replies that do not depend on figures were checked against Redis 7.0.15. */
class MemoryCommandsTest extends EmbeddedServerTest {

    private long usage(String key) throws Exception {
        String reply = c.call("MEMORY", "USAGE", key);
        assertTrue(reply.startsWith("(integer) "), reply);
        return Long.parseLong(reply.substring("(integer) ".length()));
    }

    @Test
    void usageOfEveryKind() throws Exception {
        call("SET str hello");
        call("SET int 12345");
        call("APPEND mut hello");
        call("APPEND mut world");
        call("RPUSH list a b c");
        call("SADD intset 1 2 3");
        call("SADD set a b c");
        call("ZADD zset 1 a 2 b");
        call("HSET hash f v");
        for (String key : List.of("str", "int", "mut", "list", "intset", "set", "zset", "hash")) {
            assertTrue(usage(key) > key.length(), key);
        }
        assertEquals("(nil)", call("MEMORY USAGE nokey"));
    }

    @Test
    void usageGrowsWithTheValueAndCountsTheKeyAndTtl() throws Exception {
        call("SET k x");
        long small = usage("k");
        c.call("SET", "k", "x".repeat(1000));
        long big = usage("k");
        assertEquals(small - ValueTypes.arrayBytes(1) + ValueTypes.arrayBytes(1000), big);
        c.call("SET", "k".repeat(100), "x".repeat(1000));
        assertEquals(big - ValueTypes.arrayBytes(1) + ValueTypes.arrayBytes(100), usage("k".repeat(100)));
        call("EXPIRE k 100");
        assertEquals(big + 12, usage("k")); // a larger entry and a slot in the expiry index

        call("RPUSH small a");
        List<String> many = new ArrayList<>(List.of("RPUSH", "big"));
        for (int i = 0; i < 1000; i++) {
            many.add("element-" + i);
        }
        c.call(many.toArray());
        assertTrue(usage("big") > usage("small") + 10_000);
    }

    @Test
    void usageIsExactWhateverTheSamples() throws Exception {
        List<String> members = new ArrayList<>(List.of("SADD", "s"));
        for (int i = 0; i < 1000; i++) {
            members.add("member-" + i);
        }
        c.call(members.toArray());
        long all = usage("s");
        assertEquals("(integer) " + all, call("MEMORY USAGE s SAMPLES 1"));
        assertEquals("(integer) " + all, call("MEMORY USAGE s SAMPLES 0"));
        assertEquals("(integer) " + all, call("MEMORY USAGE s samples 5 SAMPLES 100"));
    }

    @Test
    void usageErrors() throws Exception {
        call("SET k v");
        assertEquals("(error) ERR syntax error", call("MEMORY USAGE k SAMPLES -1"));
        assertEquals("(error) ERR value is not an integer or out of range", call("MEMORY USAGE k SAMPLES x"));
        assertEquals("(error) ERR syntax error", call("MEMORY USAGE k SAMPLES"));
        assertEquals("(error) ERR syntax error", call("MEMORY USAGE k foo"));
        // Options are checked before the key is looked up.
        assertEquals("(error) ERR syntax error", call("MEMORY USAGE nokey foo"));
        assertEquals("(error) ERR wrong number of arguments for 'memory|usage' command", call("MEMORY USAGE"));
    }

    @Test
    void usageCountsAnExpiredKeyStillStored() throws Exception {
        call("SET k v");
        server.context().executor().submit(() -> {
            server.context().activeExpireEnabled(false);
            server.context().database(0).setExpireAt("k".getBytes(StandardCharsets.US_ASCII), 1);
        }).get();
        try {
            assertTrue(usage("k") > 0);
            assertEquals("(nil)", call("GET k"));
            assertEquals("(nil)", call("MEMORY USAGE k"));
        } finally {
            server.context().executor().submit(() -> server.context().activeExpireEnabled(true)).get();
        }
    }

    @Test
    void statsHasRedisFieldsInOrder() throws Exception {
        call("SET a 1");
        call("SET b 2 EX 100");
        call("SELECT 3");
        call("SET c 3");
        String stats = call("MEMORY STATS");
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?:\\[|, )([a-z][a-z0-9.-]*), ").matcher(stats);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertEquals(List.of("peak.allocated", "total.allocated", "startup.allocated", "replication.backlog",
                "clients.slaves", "clients.normal", "cluster.links", "aof.buffer", "lua.caches", "functions.caches",
                "db.0", "overhead.hashtable.main", "overhead.hashtable.expires", "overhead.hashtable.slot-to-keys",
                "db.3", "overhead.hashtable.main", "overhead.hashtable.expires", "overhead.hashtable.slot-to-keys",
                "overhead.total", "keys.count", "keys.bytes-per-key", "dataset.bytes", "dataset.percentage",
                "peak.percentage", "allocator.allocated", "allocator.active", "allocator.resident",
                "allocator-fragmentation.ratio", "allocator-fragmentation.bytes", "allocator-rss.ratio",
                "allocator-rss.bytes", "rss-overhead.ratio", "rss-overhead.bytes", "fragmentation",
                "fragmentation.bytes"), names);
        assertTrue(stats.contains("keys.count, (integer) 3,"), stats);
        assertTrue(stats.contains("overhead.hashtable.expires, (integer) 0,"), stats); // db.3 has no TTL
        assertTrue(stats.contains("overhead.hashtable.expires, (integer) 12,"), stats); // db.0 has one
        assertEquals("(error) ERR wrong number of arguments for 'memory|stats' command", call("MEMORY STATS x"));
    }

    @Test
    void statsIsAMapInResp3() throws Exception {
        call("HELLO 3");
        byte[] raw = c.callRaw("MEMORY", "STATS");
        assertEquals("%27\r\n", new String(raw, 0, 5, StandardCharsets.US_ASCII)); // empty: no db entries
    }

    @Test
    void doctorMallocStatsPurgeAndHelp() throws Exception {
        String doctor = call("MEMORY DOCTOR");
        assertTrue(doctor.startsWith("Hi Sam, ") || doctor.startsWith("Sam, I detected"), doctor);
        assertTrue(call("MEMORY MALLOC-STATS").contains("heap.used: "));
        assertEquals("OK", call("MEMORY PURGE"));
        assertEquals("[MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, DOCTOR, "
                + "    Return memory problems reports., MALLOC-STATS, "
                + "    Return internal statistics report from the memory allocator., PURGE, "
                + "    Attempt to purge dirty pages for reclamation by the allocator., STATS, "
                + "    Return information about the memory usage of the server., USAGE <key> [SAMPLES <count>], "
                + "    Return memory in bytes used by <key> and its value. Nested values are, "
                + "    sampled up to <count> times (default: 5, 0 means sample all)., HELP, "
                + "    Prints this help.]", call("MEMORY HELP"));
        assertEquals("(error) ERR unknown subcommand 'foo'. Try MEMORY HELP.", call("MEMORY foo"));
        assertEquals("(error) ERR wrong number of arguments for 'memory|purge' command", call("MEMORY PURGE x"));
    }

    @Test
    void memoryUsageEstimates() {
        assertEquals(16, ValueTypes.memoryUsage(new byte[0]));
        assertEquals(24, ValueTypes.memoryUsage(new byte[8]));
        assertEquals(32, ValueTypes.memoryUsage(new byte[9]));
        MutableString s = new MutableString(new byte[8]);
        assertEquals(48 + 24, ValueTypes.memoryUsage(s)); // the object (with its accounting fields) and the array
        s.append(new byte[1]); // the spare room an append reserves counts too
        assertEquals(48 + ValueTypes.arrayBytes(s.array().length), ValueTypes.memoryUsage(s));
    }
}
