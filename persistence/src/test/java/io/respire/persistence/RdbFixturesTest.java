package io.respire.persistence;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The RDB files real Redis 7.0.15 wrote (../shared/fixtures) load to exactly the data it says
 * they hold; the older encodings of Redis's own test assets load, and its corrupt ones are refused.
 */
class RdbFixturesTest {
    static final Path SHARED = Path.of(System.getProperty("user.dir")).resolve("../../shared").normalize();
    private static final Path FIXTURES = SHARED.resolve("fixtures/redis-7.0.15");
    private static final Path ASSETS = SHARED.resolve("reference/redis-7.0.15/assets");
    private static final HexFormat HEX = HexFormat.of();

    /** Loads into db number -> key hex -> description, in the fixtures' JSON shape. */
    static Map<String, Map<String, Object>> load(byte[] file, List<byte[]> functions) {
        RecordingSink sink = new RecordingSink(false);
        RdbLoader.load(file, EncodingLimits.defaults(), true, sink);
        functions.addAll(sink.functions);
        return sink.dbs;
    }

    private static byte[] read(Path p) throws IOException {
        assumeTrue(Files.exists(p), p + " is not there");
        return Files.readAllBytes(p);
    }

    @SuppressWarnings("unchecked")
    static void assertSameData(Map<String, Object> expected, Map<String, Map<String, Object>> actual) {
        assertEquals(new TreeMap<>(expected).keySet(), actual.keySet(), "databases");
        for (String db : expected.keySet()) {
            Map<String, Object> want = (Map<String, Object>) expected.get(db);
            Map<String, Object> got = actual.get(db);
            assertEquals(new TreeMap<>(want).keySet(), new TreeMap<>(got).keySet(), "keys of db " + db);
            for (String key : want.keySet()) {
                Map<String, Object> w = (Map<String, Object>) want.get(key);
                Object value = w.get("value");
                if ("set".equals(w.get("type"))) {
                    List<String> sorted = new ArrayList<>((List<String>) value);
                    sorted.sort(null);
                    w = new LinkedHashMap<>(w);
                    w.put("value", sorted);
                }
                String where = "db " + db + " key " + new String(HEX.parseHex(key)) + ": ";
                Map<String, Object> g = got.get(key) == null ? Map.of() : (Map<String, Object>) got.get(key);
                for (String field : List.of("type", "encoding", "expire_ms")) {
                    assertEquals(w.get(field), g.get(field), where + field);
                }
                // Not assertEquals on the values: a failure would print them whole.
                assertTrue(w.get("value").equals(g.get("value")), where + "value differs");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> expected(String name) throws IOException {
        return (Map<String, Object>) MiniJson.parse(new String(read(FIXTURES.resolve(name)), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void allTypesLoadsToTheExpectedData() throws IOException {
        assertSameData(expected("all-types.expected.json"), load(read(FIXTURES.resolve("all-types.rdb")), new ArrayList<>()));
    }

    @Test
    void allTypesWithoutCompressionLoadsToTheSameData() throws IOException {
        assertSameData(expected("all-types.expected.json"),
                load(read(FIXTURES.resolve("all-types-nocompress.rdb")), new ArrayList<>()));
    }

    @Test
    void theAofBaseLoads() throws IOException {
        byte[] base = read(FIXTURES.resolve("aof-multipart/appendonly.aof.2.base.rdb"));
        assertTrue(load(base, new ArrayList<>()).get("0").size() > 0);
    }

    @Test
    void oldEncodingsLoad() throws IOException {
        for (String name : List.of("hash-zipmap.rdb", "hash-ziplist.rdb", "zset-ziplist.rdb", "list-quicklist.rdb",
                "encodings.rdb", "scriptbackup.rdb")) {
            Map<String, Map<String, Object>> dbs = load(read(ASSETS.resolve(name)), new ArrayList<>());
            assertNotNull(dbs, name);
        }
    }

    @Test
    void zipmapHashConvertsToAListpackHash() throws IOException {
        Map<String, Map<String, Object>> dbs = load(read(ASSETS.resolve("hash-zipmap.rdb")), new ArrayList<>());
        Map<?, ?> hash = (Map<?, ?>) dbs.get("0").get(HEX.formatHex("hash".getBytes()));
        assertEquals("listpack", hash.get("encoding"));
        assertEquals(Map.of(hex("f1"), hex("v1"), hex("f2"), hex("v2")), hash.get("value"));
    }

    @Test
    void encodingsAssetHoldsWhatRedisTestsExpect() throws IOException {
        Map<String, Object> db = new LinkedHashMap<>(load(read(ASSETS.resolve("encodings.rdb")), new ArrayList<>()).get("0"));
        assertEquals(13, db.size());
        assertEquals(Map.of("hex", hex("Hello World")), describedValue(db, "string"));
        assertEquals(List.of(hex("1"), hex("2"), hex("3"), hex("a"), hex("b"), hex("c"), hex("100000"),
                hex("6000000000"), hex("1"), hex("2"), hex("3"), hex("a"), hex("b"), hex("c"), hex("100000"),
                hex("6000000000"), hex("1"), hex("2"), hex("3"), hex("a"), hex("b"), hex("c"), hex("100000"),
                hex("6000000000")), describedValue(db, "list"));
    }

    @Test
    void corruptAssetsAreRefused() throws IOException {
        byte[] corrupt = read(ASSETS.resolve("corrupt_ziplist.rdb")); // outside assertThrows: a missing file skips
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> load(corrupt, new ArrayList<>()));
        assertTrue(e.getMessage().contains("integrity check failed"), e.getMessage());
    }

    @Test
    void emptyKeysAreSkipped() throws IOException {
        long[] skipped = {0};
        RdbLoader.Result r = RdbLoader.load(read(ASSETS.resolve("corrupt_empty_keys.rdb")), EncodingLimits.defaults(),
                true, new DiscardingSink() {
                    @Override
                    public void key(byte[] key, Object value, long expireAtMs, long idle, int freq) {
                        throw new AssertionError("no key should load: " + new String(key));
                    }

                    @Override
                    public void emptyKey(byte[] key) {
                        skipped[0]++;
                    }
                });
        assertEquals(9, r.emptyKeysSkipped());
        assertEquals(9, skipped[0]);
    }

    private static Object describedValue(Map<String, Object> db, String key) {
        return ((Map<?, ?>) db.get(hex(key))).get("value");
    }

    private static String hex(String s) {
        return HEX.formatHex(s.getBytes());
    }
}
