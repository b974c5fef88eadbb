package io.respire.server.commands;

import io.respire.server.InfoFields;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DEBUG end to end. Digests were taken from Redis 7.0.15 holding the same data, so they check the
 * algorithm byte for byte.
 */
class DebugCommandsTest {
    private static RespireServer server;

    @BeforeAll
    static void startServer() {
        server = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--enable-debug-command", "yes");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void flush() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            c.call("FLUSHALL");
        }
    }

    @Test
    void refusedUnlessEnabled() throws Exception {
        String refusal = "(error) ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
                + "you can run it from a local connection, otherwise you need to set this option in the configuration "
                + "file, and then restart the server.";
        try (RespireServer off = RespireServer.start("--port", "0", "--bind", "127.0.0.1");
             RespTestClient c = new RespTestClient(off.port())) {
            assertEquals(refusal, c.call("DEBUG", "HELP"));
            assertEquals("(error) ERR wrong number of arguments for 'debug' command", c.call("DEBUG"));
        }
        try (RespireServer local = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--enable-debug-command", "local");
             RespTestClient c = new RespTestClient(local.port())) {
            assertEquals("OK", c.call("DEBUG", "LOG", "from loopback"));
        }
    }

    @Test
    void digestsMatchRedis() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("0000000000000000000000000000000000000000", c.call("DEBUG", "DIGEST"));
            c.call("SET", "x", "123");
            assertEquals("d8d6a3a857d8df98af63d34d224bed533d7e554c", c.call("DEBUG", "DIGEST"));
            c.call("SET", "y", "hello");
            c.call("PEXPIRE", "y", "100000000");
            c.call("SELECT", "1");
            c.call("SET", "z", "world");
            assertEquals("bf936debb70bc9a4450dc719b48087c321d1ddd0", c.call("DEBUG", "DIGEST"));
            c.call("SELECT", "0");
            assertEquals("[89f7f51b707418f666d5b45e053bd5bbbf82ac2b, d037c4eb8a8b36b602fbced4000daeab0714c1e3, "
                    + "0000000000000000000000000000000000000000]", c.call("DEBUG", "DIGEST-VALUE", "x", "y", "nokey"));
            assertEquals("[]", c.call("DEBUG", "DIGEST-VALUE"));
        }
    }

    @Test
    void collectionDigestsMatchRedis() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            c.call("RPUSH", "l", "a", "b", "1", "2", "hello");
            c.call("SADD", "s", "x", "y", "z", "1", "2");
            c.call("SADD", "si", "1", "2", "3", "100000");
            c.call("ZADD", "z", "1", "a", "1.5", "b", "0.1", "c", "inf", "d", "-inf", "e", "3", "10");
            c.call("HSET", "h", "f1", "v1", "f2", "2", "f3", "v3");
            assertEquals("[8f93e1064ee5cc6a8d71f07732cf23fc830ef3fb, e0f81c61943b16a653d76e4d2fe631764da8f43f, "
                    + "6ad8bf2697c3cdfb17c906a4f712d231fc9b6a8a, 809ecaca77cb66d45768e84069a8b9362cbd9e2d, "
                    + "f539a3b82597f31b5cbc28a65219351ea375200a]", c.call("DEBUG", "DIGEST-VALUE", "l", "s", "si", "z", "h"));
        }
    }

    @Test
    void largeEncodingDigestsMatchRedis() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            List<Object> list = new ArrayList<>(List.of("RPUSH", "l"));
            List<Object> set = new ArrayList<>(List.of("SADD", "s"));
            List<Object> zset = new ArrayList<>(List.of("ZADD", "z"));
            List<Object> hash = new ArrayList<>(List.of("HSET", "h"));
            for (int i = 0; i < 600; i++) {
                set.add(i);
                hash.addAll(List.of("f" + i, "v" + i));
                if (i < 200) {
                    list.add("x".repeat(100) + i);
                    zset.addAll(List.of(i + ".25", "m" + i));
                }
            }
            zset.addAll(List.of("-0", "nz", "inf", "pinf", "-inf", "ninf"));
            for (List<Object> command : List.of(list, set, zset, hash)) {
                c.call(command.toArray());
            }
            c.call("SET", "e", "v", "PX", "100000");
            c.call("ZADD", "zs", "2", "b", "1", "a", "-0", "c");
            c.call("SORT", "zs", "BY", "nosort"); // converts it to a skiplist: same digest
            assertEquals("[quicklist, hashtable, skiplist, hashtable, skiplist]", String.valueOf(
                    List.of(c.call("OBJECT", "ENCODING", "l"), c.call("OBJECT", "ENCODING", "s"),
                            c.call("OBJECT", "ENCODING", "z"), c.call("OBJECT", "ENCODING", "h"),
                            c.call("OBJECT", "ENCODING", "zs"))));
            assertEquals("[2378af4e18a492ece3ed37f16a6ff068970346cd, 04d81c0962ffde34acf89d01fe2057bd59abc03f, "
                    + "2cc6a73a665523f43e195392f7e34c2ea8bd1756, da5884fc7ba8a8dc69e963590622d30a3baf7439, "
                    + "311b17018163335616e089f6b951c82c477335ac, 28f39273c110ee76da433f87a3d5558fe4846e2c]",
                    c.call("DEBUG", "DIGEST-VALUE", "l", "s", "z", "h", "e", "zs"));
        }
    }

    /** The quicklist facts of DEBUG OBJECT: the expected figures are Redis 7.0.15's for the same commands. */
    @Test
    void objectShowsQuicklistFiguresAsRedis() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            try {
                c.call("CONFIG", "SET", "list-max-listpack-size", "4");
                c.call("CONFIG", "SET", "list-compress-depth", "1");
                List<Object> push = new ArrayList<>(List.of("RPUSH", "l"));
                for (int i = 0; i < 20; i++) {
                    push.add(String.format("element-%02d-abcabcabcabc", i));
                }
                c.call(push.toArray());
                assertEquals(" ql_nodes:5 ql_avg_node:4.00 ql_listpack_max:4 ql_compressed:1 ql_uncompressed_size:535",
                        quicklistFacts(c, "l"));
                c.call("LPOP", "l", "5");
                assertEquals(" ql_nodes:4 ql_avg_node:3.75 ql_listpack_max:4 ql_compressed:1 ql_uncompressed_size:403",
                        quicklistFacts(c, "l"));

                // The settings apply to lists created afterwards; SORT STORE ignores them (Redis's defaults).
                c.call("CONFIG", "SET", "list-compress-depth", "0");
                c.call("RPUSH", "l", "more");
                assertTrue(quicklistFacts(c, "l").contains(" ql_compressed:1 "));
                c.call("RPUSH", "s", "3", "1", "2");
                assertTrue(quicklistFacts(c, "s").contains(" ql_compressed:0 "));
                c.call("CONFIG", "SET", "list-compress-depth", "3");
                c.call("CONFIG", "SET", "list-max-listpack-size", "7");
                c.call("SORT", "s", "STORE", "d");
                assertEquals(" ql_nodes:1 ql_avg_node:3.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:13",
                        quicklistFacts(c, "d"));

                // Plain nodes for elements of 10 bytes and more; 1.67 as C's %.2f rounds it.
                c.call("CONFIG", "SET", "list-max-listpack-size", "4");
                c.call("CONFIG", "SET", "list-compress-depth", "0");
                assertEquals("OK", c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "10b"));
                c.call("RPUSH", "p", "a", "b", "c", "x".repeat(20), "d");
                assertEquals(" ql_nodes:3 ql_avg_node:1.67 ql_listpack_max:4 ql_compressed:0 ql_uncompressed_size:46",
                        quicklistFacts(c, "p"));
                c.call("LPUSH", "p", "y".repeat(20));
                c.call("LINSERT", "p", "BEFORE", "d", "zz");
                assertEquals(" ql_nodes:4 ql_avg_node:1.75 ql_listpack_max:4 ql_compressed:0 ql_uncompressed_size:70",
                        quicklistFacts(c, "p"));
                assertEquals("OK", c.call("LSET", "p", "4", "small"));
                assertEquals(" ql_nodes:3 ql_avg_node:2.33 ql_listpack_max:4 ql_compressed:0 ql_uncompressed_size:57",
                        quicklistFacts(c, "p"));
                assertEquals("Quicklist structure printed on stdout", c.call("DEBUG", "QUICKLIST", "p", "1"));
                c.call("SET", "e", "v");
                assertEquals("(error) ERR Not a quicklist encoded object.", c.call("DEBUG", "QUICKLIST", "e"));
            } finally {
                c.call("CONFIG", "SET", "list-max-listpack-size", "-2");
                c.call("CONFIG", "SET", "list-compress-depth", "0");
                c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0");
            }
        }
    }

    /** DEBUG OBJECT's fields after lru_seconds_idle: the quicklist figures. */
    private static String quicklistFacts(RespTestClient c, String key) throws Exception {
        return c.call("DEBUG", "OBJECT", key).replaceFirst("^.*lru_seconds_idle:\\d+", "");
    }

    @Test
    void memoryUsageCountsCompressedNodes() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            try {
                List<Object> push = new ArrayList<>(List.of("RPUSH", "raw"));
                for (int i = 0; i < 3000; i++) {
                    push.add("element-" + (i % 50) + "-abcabcabcabc");
                }
                c.call(push.toArray());
                c.call("CONFIG", "SET", "list-compress-depth", "1");
                push.set(1, "compressed");
                c.call(push.toArray());
                long raw = Long.parseLong(c.call("MEMORY", "USAGE", "raw").replace("(integer) ", ""));
                long compressed = Long.parseLong(c.call("MEMORY", "USAGE", "compressed").replace("(integer) ", ""));
                assertTrue(compressed * 3 < raw, compressed + " vs " + raw);
                assertEquals(c.call("LRANGE", "raw", "0", "-1"), c.call("LRANGE", "compressed", "0", "-1"));
            } finally {
                c.call("CONFIG", "SET", "list-compress-depth", "0");
            }
        }
    }

    @Test
    void objectShowsEncodingAndRefcount() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("(error) ERR no such key", c.call("DEBUG", "OBJECT", "nokey"));
            c.call("SET", "small", "123");
            c.call("SET", "mid", "70000");
            c.call("SET", "text", "hello");
            assertTrue(c.call("DEBUG", "OBJECT", "small").matches(
                    "Value at:0x[0-9a-f]+ refcount:2147483647 encoding:int serializedlength:2 lru:\\d+ lru_seconds_idle:\\d+"));
            assertTrue(c.call("DEBUG", "OBJECT", "mid").matches(
                    "Value at:0x[0-9a-f]+ refcount:1 encoding:int serializedlength:5 lru:\\d+ lru_seconds_idle:\\d+"));
            assertTrue(c.call("DEBUG", "OBJECT", "text").matches(
                    "Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:6 lru:\\d+ lru_seconds_idle:\\d+"));
        }
    }

    @Test
    void populateCreatesMissingKeysOnly() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            c.call("SET", "key:1", "mine");
            assertEquals("OK", c.call("DEBUG", "POPULATE", "3"));
            assertEquals("(integer) 3", c.call("DBSIZE"));
            assertEquals("value:0", c.call("GET", "key:0"));
            assertEquals("mine", c.call("GET", "key:1"));
            assertEquals("OK", c.call("DEBUG", "POPULATE", "2", "p", "3"));
            assertEquals("val", c.call("GET", "p:1"));
            assertEquals("OK", c.call("DEBUG", "POPULATE", "1", "q", "10"));
            assertEquals("value:0\0\0\0", c.call("GET", "q:0"));
            assertEquals("(error) ERR value is out of range, must be positive", c.call("DEBUG", "POPULATE", "-1"));
            assertEquals("(error) ERR value is out of range, must be positive", c.call("DEBUG", "POPULATE", "1", "a", "b"));
        }
    }

    @Test
    void protocolReplies() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("$11\r\nHello World\r\n", raw(c, "string"));
            assertEquals(":12345\r\n", raw(c, "integer"));
            assertEquals("$5\r\n3.141\r\n", raw(c, "double"));
            assertEquals("$37\r\n1234567999999999999999999999999999999\r\n", raw(c, "bignum"));
            assertEquals("$-1\r\n", raw(c, "null"));
            assertEquals("*3\r\n:0\r\n:1\r\n:2\r\n", raw(c, "set"));
            assertEquals("*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n", raw(c, "map"));
            assertEquals("$39\r\nSome real reply following the attribute\r\n", raw(c, "attrib"));
            assertEquals("-ERR RESP2 is not supported by this command\r\n", raw(c, "push"));
            assertEquals(":1\r\n", raw(c, "true"));
            assertEquals("$25\r\nThis is a verbatim\nstring\r\n", raw(c, "verbatim"));
            assertEquals("(error) ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false",
                    c.call("DEBUG", "PROTOCOL", "nope"));
            c.call("HELLO", "3");
            assertEquals(",3.141\r\n", raw(c, "double"));
            assertEquals("(1234567999999999999999999999999999999\r\n", raw(c, "bignum"));
            assertEquals("_\r\n", raw(c, "null"));
            assertEquals("~3\r\n:0\r\n:1\r\n:2\r\n", raw(c, "set"));
            assertEquals("%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n", raw(c, "map"));
            assertEquals("#f\r\n", raw(c, "false"));
            assertEquals("=29\r\ntxt:This is a verbatim\nstring\r\n", raw(c, "verbatim"));
            // An attribute and a push are each followed by a real reply.
            c.send("DEBUG", "PROTOCOL", "attrib");
            assertEquals("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n",
                    new String(c.readRaw(), StandardCharsets.UTF_8));
            assertEquals("Some real reply following the attribute", RespTestClient.render(c.readRaw()));
            c.send("DEBUG", "PROTOCOL", "push");
            assertEquals("[server-cpu-usage, (integer) 42]", RespTestClient.render(c.readRaw()));
            assertEquals("Some real reply following the push reply", RespTestClient.render(c.readRaw()));
        }
    }

    private static String raw(RespTestClient c, String type) throws Exception {
        return new String(c.callRaw("DEBUG", "PROTOCOL", type), StandardCharsets.UTF_8);
    }

    /**
     * The caller of DEBUG RELOAD or LOADAOF is protected while the load serves other clients (Redis's
     * protectClient): a request it sends meanwhile runs after the reload, so its reply follows the
     * OK instead of a LOADING error going out first.
     */
    @Test
    void aRequestSentDuringAReloadRunsAfterIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (RespireServer own = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--enable-debug-command", "yes",
                "--dir", dir.toString(), "--loading-process-events-interval-bytes", "1024");
             RespTestClient c = new RespTestClient(own.port());
             RespTestClient watcher = new RespTestClient(own.port())) {
            assertEquals("OK", c.call("DEBUG", "POPULATE", "1000"));
            assertEquals("OK", c.call("SAVE"));
            assertEquals("OK", c.call("CONFIG", "SET", "key-load-delay", "2000")); // the load lasts 2 s
            c.send("DEBUG", "RELOAD", "NOSAVE");
            assertGetAfterOk(c, watcher);

            assertEquals("OK", c.call("CONFIG", "SET", "key-load-delay", "0"));
            assertEquals("OK", c.call("CONFIG", "SET", "appendonly", "yes"));
            InfoFields.awaitZero(c, "aof_rewrite_in_progress");
            assertEquals("OK", c.call("CONFIG", "SET", "key-load-delay", "2000"));
            c.send("DEBUG", "LOADAOF");
            assertGetAfterOk(c, watcher);
        }
    }

    /** Sends GET once the watcher sees the load running, then reads the load's OK and GET's value. */
    private static void assertGetAfterOk(RespTestClient c, RespTestClient watcher) throws Exception {
        for (int i = 0; i < 500 && !"1".equals(InfoFields.get(watcher, "loading")); i++) {
            Thread.sleep(2);
        }
        assertEquals("1", InfoFields.get(watcher, "loading"));
        c.send("GET", "key:7");
        assertEquals("OK", RespTestClient.render(c.readRaw()));
        assertEquals("value:7", RespTestClient.render(c.readRaw()));
    }

    @Test
    void smallSubcommands() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'nosuch'. Try DEBUG HELP.",
                    c.call("DEBUG", "nosuch"));
            assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'log'. Try DEBUG HELP.",
                    c.call("DEBUG", "log", "a", "b"));
            assertEquals("(error) ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.",
                    c.call("DEBUG", "RELOAD", "NOW"));
            assertTrue(c.call("DEBUG", "HELP").startsWith("[DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, "));

            long before = InfoFields.number(c, "total_error_replies");
            assertEquals("-my error\r\n", new String(c.callRaw("DEBUG", "ERROR", "my\nerror"), StandardCharsets.UTF_8));
            assertEquals(before, InfoFields.number(c, "total_error_replies")); // written raw, not counted

            long start = System.nanoTime();
            assertEquals("OK", c.call("DEBUG", "SLEEP", "0.2"));
            assertTrue(System.nanoTime() - start >= 190_000_000L);
            assertEquals("OK", c.call("DEBUG", "SLEEP", "nonsense")); // strtod: 0

            String replId = InfoFields.get(c, "master_replid");
            assertEquals("OK", c.call("DEBUG", "CHANGE-REPL-ID"));
            assertTrue(!replId.equals(InfoFields.get(c, "master_replid")));

            assertEquals("(error) ERR argument must be a memory value bigger than 1 and smaller than 4gb",
                    c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5gb"));
            assertEquals("(error) ERR argument must be a memory value bigger than 1 and smaller than 4gb",
                    c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "abc"));
            assertEquals("OK", c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1b"));
            assertEquals(1, server.context().quicklistPackedThreshold().bytes());
            assertEquals("OK", c.call("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0"));
            assertEquals(1L << 30, server.context().quicklistPackedThreshold().bytes());

            DebugCommands.stringMatchFuzz(10_000); // the real run takes seconds, as Redis's does
        }
    }

    @Test
    void activeExpireCanBeSuspended() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
            try {
                c.call("SET", "short", "v", "PX", "1");
                Thread.sleep(300); // three cron periods
                assertEquals("(integer) 1", c.call("DBSIZE")); // still there: only lazily expired now
            } finally {
                assertEquals("OK", c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1"));
            }
            ClientCommandsTest.waitFor("active expiry", () -> {
                try {
                    return c.call("DBSIZE").equals("(integer) 0");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals("OK", c.call("DEBUG", "PAUSE-CRON", "1"));
            assertEquals("OK", c.call("DEBUG", "PAUSE-CRON", "0"));
        }
    }

    /** REPLYBUFFER RESIZING is accepted (there is no resize job to hold); PEAK-RESET-TIME, which tunes it, is not. */
    @Test
    void replyBufferResizingIsAcceptedAndPeakResetTimeRefused() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("DEBUG", "REPLYBUFFER", "RESIZING", "0"));
            assertEquals("OK", c.call("DEBUG", "replybuffer", "resizing", "1"));
            assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'REPLYBUFFER'. Try DEBUG HELP.",
                    c.call("DEBUG", "REPLYBUFFER", "PEAK-RESET-TIME", "never"));
            assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'REPLYBUFFER'. Try DEBUG HELP.",
                    c.call("DEBUG", "REPLYBUFFER", "RESIZING"));
        }
    }

    @Test
    void htstatsKeyDescribesTheHashTableOfACollection() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            String notATable = "(error) ERR The value stored at the specified key is not represented using an hash table";
            assertEquals("(error) ERR no such key", c.call("DEBUG", "HTSTATS-KEY", "missing"));
            c.call("SADD", "ints", "1", "2");
            assertEquals(notATable, c.call("DEBUG", "HTSTATS-KEY", "ints"));
            c.call("SET", "string", "v");
            assertEquals(notATable, c.call("DEBUG", "HTSTATS-KEY", "string"));
            c.call("ZADD", "small", "1", "a");
            assertEquals(notATable, c.call("DEBUG", "HTSTATS-KEY", "small"));
            assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'HTSTATS-KEY'. Try DEBUG HELP.",
                    c.call("DEBUG", "HTSTATS-KEY"));

            c.call("SADD", "set", "a", "b", "c");
            String set = c.call("DEBUG", "HTSTATS-KEY", "set");
            assertTrue(set.startsWith("Hash table 0 stats (main hash table):\n table size: 4\n number of elements: 3\n"
                    + " different slots: "), set);
            assertTrue(set.contains(" Chain length distribution:\n   0: "), set);
            c.call("CONFIG", "SET", "zset-max-listpack-entries", "0");
            c.call("CONFIG", "SET", "hash-max-listpack-entries", "0");
            try {
                c.call("ZADD", "zset", "1", "a", "2", "b");
                assertTrue(c.call("DEBUG", "HTSTATS-KEY", "zset").startsWith(
                        "Hash table 0 stats (main hash table):\n table size: 4\n number of elements: 2\n"));
                c.call("HSET", "hash", "f", "v");
                String hash = c.call("DEBUG", "HTSTATS-KEY", "hash");
                assertTrue(hash.startsWith("Hash table 0 stats (main hash table):\n table size: ")
                        && hash.endsWith(" number of elements: 1\n open addressing: pairs are probed linearly, no chains\n"), hash);
            } finally {
                c.call("CONFIG", "SET", "zset-max-listpack-entries", "128");
                c.call("CONFIG", "SET", "hash-max-listpack-entries", "128");
            }
        }
    }

    @Test
    void htstatsDescribesTheKeyTable() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            c.call("SELECT", "3");
            assertEquals("[Dictionary HT]\nHash table 0 stats (main hash table):\nNo stats available for empty "
                    + "dictionaries\n[Expires HT]\nHash table 0 stats (main hash table):\nNo stats available for "
                    + "empty dictionaries\n", c.call("DEBUG", "HTSTATS", "3"));
            assertEquals("OK", c.call("DEBUG", "POPULATE", "100"));
            assertEquals("(integer) 1", c.call("EXPIRE", "key:1", "100"));
            String stats = c.call("DEBUG", "HTSTATS", "3");
            assertTrue(stats.startsWith("[Dictionary HT]\nHash table 0 stats (main hash table):\n table size: 128\n"
                    + " number of elements: 100\n"), stats);
            assertTrue(stats.endsWith("[Expires HT]\nNo hash table: the 1 keys with a time to live are indexed in an "
                    + "array\n"), stats);
            assertEquals("(error) ERR Out of range database", c.call("DEBUG", "HTSTATS", "16"));
            assertEquals("(error) ERR value is not an integer or out of range", c.call("DEBUG", "HTSTATS", "x"));
        }
    }
}
