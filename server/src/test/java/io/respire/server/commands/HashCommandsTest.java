package io.respire.server.commands;

import io.respire.server.InfoFields;
import io.respire.server.EmbeddedServerTest;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hash commands end to end, through an embedded server. Expected replies are those of Redis
 * 7.0.15 (checked against redis-server). Each test uses its own keys; the server is shared.
 */
class HashCommandsTest extends EmbeddedServerTest {
    private static final String WRONGTYPE = "(error) WRONGTYPE Operation against a key holding the wrong kind of value";

    /** The elements of a rendered flat array, sorted, for replies whose order is the table's. */
    static Set<String> elements(String rendered) {
        String inner = rendered.substring(1, rendered.length() - 1);
        return inner.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(inner.split(", ")));
    }

    @Test
    void setGetAndDelete() throws Exception {
        assertEquals("(integer) 2", c.call("HSET", "sg", "a", "1", "b", "2"));
        assertEquals("(integer) 1", c.call("HSET", "sg", "a", "10", "c", "3"));
        assertEquals("OK", c.call("HMSET", "sg", "d", "4"));
        assertEquals("(error) ERR wrong number of arguments for 'hset' command", c.call("HSET", "sg", "a", "1", "b"));
        assertEquals("(error) ERR wrong number of arguments for 'hmset' command", c.call("HMSET", "sg", "a", "1", "b"));
        assertEquals("(integer) 0", c.call("HSETNX", "sg", "a", "x"));
        assertEquals("(integer) 1", c.call("HSETNX", "sg", "e", "5"));
        assertEquals("10", c.call("HGET", "sg", "a"));
        assertEquals("(nil)", c.call("HGET", "sg", "zz"));
        assertEquals("(nil)", c.call("HGET", "sg-missing", "a"));
        assertEquals("[10, (nil), 2]", c.call("HMGET", "sg", "a", "zz", "b"));
        assertEquals("[(nil), (nil)]", c.call("HMGET", "sg-missing", "a", "b"));
        assertEquals("[a, 10, b, 2, c, 3, d, 4, e, 5]", c.call("HGETALL", "sg"));
        assertEquals("[a, b, c, d, e]", c.call("HKEYS", "sg"));
        assertEquals("[10, 2, 3, 4, 5]", c.call("HVALS", "sg"));
        assertEquals("(integer) 5", c.call("HLEN", "sg"));
        assertEquals("(integer) 2", c.call("HSTRLEN", "sg", "a"));
        assertEquals("(integer) 0", c.call("HSTRLEN", "sg", "zz"));
        assertEquals("(integer) 1", c.call("HEXISTS", "sg", "a"));
        assertEquals("(integer) 0", c.call("HEXISTS", "sg", "zz"));
        assertEquals("(integer) 2", c.call("HDEL", "sg", "a", "zz", "b"));
        assertEquals("(integer) 0", c.call("HDEL", "sg-missing", "a"));
        assertEquals("(integer) 3", c.call("HDEL", "sg", "c", "d", "e", "c"));
        assertEquals("(integer) 0", c.call("EXISTS", "sg"));
        assertEquals("[]", c.call("HGETALL", "sg"));
    }

    @Test
    void emptyRepliesAndMapsInResp3() throws Exception {
        c.call("HELLO", "3");
        assertEquals("%0\r\n", new String(c.callRaw("HGETALL", "r3-missing"), StandardCharsets.US_ASCII));
        assertEquals("*0\r\n", new String(c.callRaw("HKEYS", "r3-missing"), StandardCharsets.US_ASCII));
        c.call("HSET", "r3", "f", "v");
        assertEquals("%1\r\n$1\r\nf\r\n$1\r\nv\r\n", new String(c.callRaw("HGETALL", "r3"), StandardCharsets.US_ASCII));
        assertEquals("*1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
                new String(c.callRaw("HRANDFIELD", "r3", "1", "WITHVALUES"), StandardCharsets.US_ASCII));
        assertEquals("*2\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
                new String(c.callRaw("HRANDFIELD", "r3", "-2", "WITHVALUES"), StandardCharsets.US_ASCII));
        assertEquals("_\r\n", new String(c.callRaw("HRANDFIELD", "r3-missing"), StandardCharsets.US_ASCII));
    }

    @Test
    void encodingsFollowTheConfiguredThresholds() throws Exception {
        assertEquals("OK", c.call("CONFIG", "SET", "hash-max-listpack-entries", "4"));
        try {
            c.call("HSET", "enc", "a", "1", "b", "2", "c", "3", "d", "4");
            assertEquals("listpack", c.call("OBJECT", "ENCODING", "enc"));
            c.call("HSET", "enc", "e", "5");
            assertEquals("hashtable", c.call("OBJECT", "ENCODING", "enc"));
            assertEquals("[a, b, c, d, e]", elements(c.call("HKEYS", "enc")).toString());
            c.call("HSET", "enc-long", "f", "x".repeat(64));
            assertEquals("listpack", c.call("OBJECT", "ENCODING", "enc-long"));
            c.call("HSET", "enc-long", "g", "x".repeat(65));
            assertEquals("hashtable", c.call("OBJECT", "ENCODING", "enc-long"));
            c.call("HSET", "enc-incr", "f", "1");
            assertEquals("1.5", c.call("HINCRBYFLOAT", "enc-incr", "f", "0.5"));
            assertEquals("OK", c.call("CONFIG", "SET", "hash-max-ziplist-value", "2"));
            assertEquals("101.5", c.call("HINCRBYFLOAT", "enc-incr", "f", "100"));
            assertEquals("hashtable", c.call("OBJECT", "ENCODING", "enc-incr"), "a long value converts");
        } finally {
            c.call("CONFIG", "SET", "hash-max-listpack-entries", "512");
            c.call("CONFIG", "SET", "hash-max-listpack-value", "64");
        }
    }

    @Test
    void increments() throws Exception {
        assertEquals("(integer) 5", c.call("HINCRBY", "inc", "n", "5"));
        assertEquals("(integer) -5", c.call("HINCRBY", "inc", "n", "-10"));
        assertEquals("(error) ERR increment or decrement would overflow",
                c.call("HINCRBY", "inc", "n", "-9223372036854775807"));
        assertEquals("(error) ERR value is not an integer or out of range", c.call("HINCRBY", "inc", "n", "1.5"));
        c.call("HSET", "inc", "s", "hello", "sp", " 1");
        assertEquals("(error) ERR hash value is not an integer", c.call("HINCRBY", "inc", "s", "1"));
        assertEquals("(error) ERR hash value is not an integer", c.call("HINCRBY", "inc", "sp", "1"));
        assertEquals("10.5", c.call("HINCRBYFLOAT", "inc", "f", "10.5"));
        assertEquals("10.6", c.call("HINCRBYFLOAT", "inc", "f", "0.1"));
        assertEquals("(integer) 1", c.call("HSET", "inc", "e", "5.0e3"));
        assertEquals("5200", c.call("HINCRBYFLOAT", "inc", "e", "200"));
        assertEquals("(error) ERR hash value is not a float", c.call("HINCRBYFLOAT", "inc", "s", "1"));
        assertEquals("(error) ERR value is not a valid float", c.call("HINCRBYFLOAT", "inc", "f", "x"));
        assertEquals("(error) ERR value is NaN or Infinity", c.call("HINCRBYFLOAT", "inc", "f", "inf"));
        c.call("HSET", "inc", "big", "1e4932");
        assertEquals("(error) ERR increment would produce NaN or Infinity", c.call("HINCRBYFLOAT", "inc", "big", "1e4932"));
        assertEquals("(integer) 0", c.call("EXISTS", "inc-none"));
    }

    @Test
    void randomFields() throws Exception {
        for (String entries : new String[] {"512", "0"}) {
            c.call("CONFIG", "SET", "hash-max-listpack-entries", entries);
            String key = "rf" + entries;
            for (int i = 0; i < 10; i++) {
                c.call("HSET", key, "f" + i, "v" + i);
            }
            String expectedEncoding = entries.equals("0") ? "hashtable" : "listpack";
            assertEquals(expectedEncoding, c.call("OBJECT", "ENCODING", key));
            assertTrue(c.call("HRANDFIELD", key).matches("f\\d"));
            assertEquals(10, elements(c.call("HRANDFIELD", key, "20")).size());
            assertEquals(5, elements(c.call("HRANDFIELD", key, "5")).size(), "distinct");
            Set<String> seen = new HashSet<>();
            for (int round = 0; round < 30; round++) {
                String reply = c.call("HRANDFIELD", key, "-20", "WITHVALUES");
                List<String> items = Arrays.asList(reply.substring(1, reply.length() - 1).split(", "));
                assertEquals(40, items.size());
                for (int i = 0; i < items.size(); i += 2) {
                    assertEquals("v" + items.get(i).substring(1), items.get(i + 1));
                    seen.add(items.get(i));
                }
            }
            assertEquals(10, seen.size());
        }
        c.call("CONFIG", "SET", "hash-max-listpack-entries", "512");
        assertEquals("[]", c.call("HRANDFIELD", "rf512", "0"));
        assertEquals("[]", c.call("HRANDFIELD", "rf-missing", "3"));
        assertEquals("(error) ERR syntax error", c.call("HRANDFIELD", "rf512", "3", "VALUES"));
        assertEquals("(error) ERR value is out of range", c.call("HRANDFIELD", "rf512", "-9223372036854770000", "WITHVALUES"));
        assertEquals("(error) ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                c.call("HRANDFIELD", "rf512", "-9223372036854775808"));
    }

    @Test
    void scanInBothEncodings() throws Exception {
        c.call("HSET", "sc-small", "a", "1", "b", "2", "ab", "3");
        assertEquals("[0, [a, 1, b, 2, ab, 3]]", c.call("HSCAN", "sc-small", "0"));
        assertEquals("[0, [a, 1, ab, 3]]", c.call("HSCAN", "sc-small", "0", "MATCH", "a*"));
        assertEquals("[0, []]", c.call("HSCAN", "sc-missing", "0"));
        assertEquals("(error) ERR invalid cursor", c.call("HSCAN", "sc-small", "x"));
        assertEquals("(error) ERR syntax error", c.call("HSCAN", "sc-small", "0", "COUNT", "0"));
        assertEquals("(error) ERR syntax error", c.call("HSCAN", "sc-small", "0", "NOVALUES"));
        for (int i = 0; i < 1000; i++) {
            c.send("HSET", "sc-big", "f" + i, "v" + i);
        }
        for (int i = 0; i < 1000; i++) {
            c.readRaw();
        }
        assertEquals("hashtable", c.call("OBJECT", "ENCODING", "sc-big"));
        Set<String> fields = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            String reply = c.call("HSCAN", "sc-big", cursor, "COUNT", "20");
            cursor = reply.substring(1, reply.indexOf(','));
            String inner = reply.substring(reply.indexOf('[', 1) + 1, reply.length() - 2);
            if (!inner.isEmpty()) {
                List<String> items = Arrays.asList(inner.split(", "));
                for (int i = 0; i < items.size(); i += 2) {
                    assertEquals("v" + items.get(i).substring(1), items.get(i + 1));
                    fields.add(items.get(i));
                }
            }
            calls++;
        } while (!cursor.equals("0"));
        assertEquals(1000, fields.size());
        assertTrue(calls > 10, "calls " + calls);
    }

    @Test
    void wrongTypeEverywhere() throws Exception {
        c.call("SET", "wt", "x");
        for (String[] cmd : new String[][] {{"HSET", "wt", "a", "1"}, {"HSETNX", "wt", "a", "1"}, {"HGET", "wt", "a"},
                {"HMGET", "wt", "a"}, {"HDEL", "wt", "a"}, {"HLEN", "wt"}, {"HSTRLEN", "wt", "a"},
                {"HEXISTS", "wt", "a"}, {"HGETALL", "wt"}, {"HKEYS", "wt"}, {"HVALS", "wt"},
                {"HINCRBY", "wt", "a", "1"}, {"HINCRBYFLOAT", "wt", "a", "1"}, {"HRANDFIELD", "wt"},
                {"HRANDFIELD", "wt", "0"}, {"HSCAN", "wt", "0"}}) {
            assertEquals(WRONGTYPE, c.call((Object[]) cmd), String.join(" ", cmd));
        }
        c.call("HSET", "wt-hash", "a", "1");
        assertEquals(WRONGTYPE, c.call("LPUSH", "wt-hash", "a"));
        assertEquals("hash", c.call("TYPE", "wt-hash"));
    }

    /** The dirty counter moves as Redis's server.dirty: an emptied hash's deletion is no extra change. */
    @Test
    void changesCountedAsRedisCountsThem() throws Exception {
        c.call("HSET", "dc", "a", "1", "b", "2");
        assertEquals(2, InfoFields.changesMadeBy(c, "HSET", "dc", "a", "1", "c", "3"));
        assertEquals(1, InfoFields.changesMadeBy(c, "HDEL", "dc", "a", "zz"));
        assertEquals(1, InfoFields.changesMadeBy(c, "HDEL", "dc", "b"));
        assertEquals(1, InfoFields.changesMadeBy(c, "HDEL", "dc", "c")); // empties dc
    }
}
