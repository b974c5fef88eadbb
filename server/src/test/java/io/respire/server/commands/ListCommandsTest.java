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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * List commands end to end, through an embedded server. Expected replies are those of Redis
 * 7.0.15 (checked against redis-server). Each test uses its own keys; the server is shared.
 */
class ListCommandsTest extends EmbeddedServerTest {
    private static final String WRONGTYPE = "(error) WRONGTYPE Operation against a key holding the wrong kind of value";

    static String raw(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    @Test
    void pushPopAndEmptyListsAreDeleted() throws Exception {
        assertEquals("(integer) 3", c.call("RPUSH", "pp", "a", "b", "c"));
        assertEquals("(integer) 5", c.call("LPUSH", "pp", "1", "0"));
        assertEquals("[0, 1, a, b, c]", c.call("LRANGE", "pp", "0", "-1"));
        assertEquals("(integer) 0", c.call("LPUSHX", "pp-missing", "x"));
        assertEquals("(integer) 0", c.call("EXISTS", "pp-missing"));
        assertEquals("(integer) 6", c.call("RPUSHX", "pp", "d"));
        assertEquals("0", c.call("LPOP", "pp"));
        assertEquals("d", c.call("RPOP", "pp"));
        assertEquals("[1, a]", c.call("LPOP", "pp", "2"));
        assertEquals("[c, b]", c.call("RPOP", "pp", "5"));
        assertEquals("(integer) 0", c.call("EXISTS", "pp"));
        assertEquals("quicklist", pushAndEncoding());
    }

    private String pushAndEncoding() throws Exception {
        c.call("RPUSH", "pp-enc", "1");
        return c.call("OBJECT", "ENCODING", "pp-enc");
    }

    @Test
    void popReplyShapesInBothProtocols() throws Exception {
        assertEquals("$-1\r\n", raw(c.callRaw("LPOP", "pr-missing")));
        assertEquals("*-1\r\n", raw(c.callRaw("LPOP", "pr-missing", "1")));
        c.call("RPUSH", "pr", "a");
        assertEquals("*0\r\n", raw(c.callRaw("LPOP", "pr", "0")));
        assertEquals("(error) ERR value is out of range, must be positive", c.call("LPOP", "pr", "-1"));
        assertEquals("(error) ERR value is out of range, must be positive", c.call("LPOP", "pr", "x"));
        assertEquals("(error) ERR wrong number of arguments for 'lpop' command", c.call("LPOP", "pr", "1", "2"));
        assertEquals("*-1\r\n", raw(c.callRaw("LMPOP", "1", "pr-missing", "LEFT")));
        c.call("HELLO", "3");
        assertEquals("_\r\n", raw(c.callRaw("LPOP", "pr-missing")));
        assertEquals("_\r\n", raw(c.callRaw("LPOP", "pr-missing", "1")));
        assertEquals("*1\r\n$1\r\na\r\n", raw(c.callRaw("RPOP", "pr", "3")));
    }

    @Test
    void rangeIndexSetAndTrim() throws Exception {
        c.call("RPUSH", "ri", "a", "b", "c", "d", "e", "12345");
        assertEquals("[b, c, d]", c.call("LRANGE", "ri", "1", "-3"));
        assertEquals("[a, b, c, d, e, 12345]", c.call("LRANGE", "ri", "-100", "100"));
        assertEquals("[]", c.call("LRANGE", "ri", "4", "2"));
        assertEquals("[]", c.call("LRANGE", "ri-missing", "0", "-1"));
        assertEquals("(error) ERR value is not an integer or out of range", c.call("LRANGE", "ri", "x", "1"));
        assertEquals("12345", c.call("LINDEX", "ri", "-1"));
        assertEquals("(nil)", c.call("LINDEX", "ri", "6"));
        assertEquals("(nil)", c.call("LINDEX", "ri-missing", "not-a-number"));
        assertEquals("(error) ERR value is not an integer or out of range", c.call("LINDEX", "ri", "x"));
        assertEquals("OK", c.call("LSET", "ri", "-2", "E"));
        assertEquals("(error) ERR index out of range", c.call("LSET", "ri", "6", "x"));
        assertEquals("(error) ERR no such key", c.call("LSET", "ri-missing", "0", "x"));
        assertEquals("OK", c.call("LTRIM", "ri", "1", "-2"));
        assertEquals("[b, c, d, E]", c.call("LRANGE", "ri", "0", "-1"));
        assertEquals("OK", c.call("LTRIM", "ri-missing", "0", "1"));
        assertEquals("OK", c.call("LTRIM", "ri", "3", "1"));
        assertEquals("(integer) 0", c.call("EXISTS", "ri"));
    }

    @Test
    void insertRemoveAndPosition() throws Exception {
        c.call("RPUSH", "ir", "a", "b", "a", "c", "a");
        assertEquals("(integer) 6", c.call("LINSERT", "ir", "BEFORE", "c", "x"));
        assertEquals("(integer) 7", c.call("LINSERT", "ir", "after", "a", "y"));
        assertEquals("(integer) -1", c.call("LINSERT", "ir", "AFTER", "zz", "y"));
        assertEquals("(integer) 0", c.call("LINSERT", "ir-missing", "AFTER", "a", "y"));
        assertEquals("(error) ERR syntax error", c.call("LINSERT", "ir", "MIDDLE", "a", "y"));
        assertEquals("[a, y, b, a, x, c, a]", c.call("LRANGE", "ir", "0", "-1"));
        assertEquals("(integer) 3", c.call("LPOS", "ir", "a", "RANK", "2"));
        assertEquals("(integer) 6", c.call("LPOS", "ir", "a", "RANK", "-1"));
        assertEquals("(nil)", c.call("LPOS", "ir", "a", "RANK", "4"));
        assertEquals("[(integer) 0, (integer) 3, (integer) 6]", c.call("LPOS", "ir", "a", "COUNT", "0"));
        assertEquals("[(integer) 6, (integer) 3]", c.call("LPOS", "ir", "a", "COUNT", "2", "RANK", "-1"));
        assertEquals("[(integer) 0]", c.call("LPOS", "ir", "a", "COUNT", "0", "MAXLEN", "3"));
        assertEquals("[]", c.call("LPOS", "ir-missing", "a", "COUNT", "1"));
        assertEquals("(nil)", c.call("LPOS", "ir-missing", "a"));
        assertEquals("(error) ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                + "or use negative to start from the end of the list", c.call("LPOS", "ir", "a", "RANK", "0"));
        assertEquals("(error) ERR COUNT can't be negative", c.call("LPOS", "ir", "a", "COUNT", "-1"));
        assertEquals("(error) ERR MAXLEN can't be negative", c.call("LPOS", "ir", "a", "MAXLEN", "x"));
        assertEquals("(error) ERR syntax error", c.call("LPOS", "ir", "a", "RANK"));
        assertEquals("(integer) 6", c.call("LPOS", "ir", "a", "RANK", "-9223372036854775808"));
        assertEquals("(integer) 2", c.call("LREM", "ir", "-2", "a"));
        assertEquals("[a, y, b, x, c]", c.call("LRANGE", "ir", "0", "-1"));
        assertEquals("(integer) 0", c.call("LREM", "ir-missing", "0", "a"));
        assertEquals("(integer) 1", c.call("LREM", "ir", "0", "a"));
        c.call("RPUSH", "ir2", "z", "z");
        assertEquals("(integer) 2", c.call("LREM", "ir2", "0", "z"));
        assertEquals("(integer) 0", c.call("EXISTS", "ir2"));
    }

    @Test
    void moveBetweenLists() throws Exception {
        c.call("RPUSH", "mv-src", "a", "b", "c");
        assertEquals("c", c.call("RPOPLPUSH", "mv-src", "mv-dst"));
        assertEquals("a", c.call("LMOVE", "mv-src", "mv-dst", "LEFT", "RIGHT"));
        assertEquals("[c, a]", c.call("LRANGE", "mv-dst", "0", "-1"));
        assertEquals("b", c.call("LMOVE", "mv-src", "mv-src", "LEFT", "LEFT"));
        assertEquals("b", c.call("LMOVE", "mv-src", "mv-dst", "RIGHT", "LEFT"));
        assertEquals("(integer) 0", c.call("EXISTS", "mv-src"));
        assertEquals("(nil)", c.call("LMOVE", "mv-src", "mv-dst", "LEFT", "LEFT"));
        assertEquals("(error) ERR syntax error", c.call("LMOVE", "mv-dst", "mv-src", "UP", "LEFT"));
        c.call("SET", "mv-str", "x");
        assertEquals(WRONGTYPE, c.call("LMOVE", "mv-dst", "mv-str", "LEFT", "LEFT"));
        assertEquals("[b, c, a]", c.call("LRANGE", "mv-dst", "0", "-1"), "nothing popped on WRONGTYPE");
        // a list moved onto itself rotates
        assertEquals("a", c.call("RPOPLPUSH", "mv-dst", "mv-dst"));
        assertEquals("[a, b, c]", c.call("LRANGE", "mv-dst", "0", "-1"));
    }

    @Test
    void lmpop() throws Exception {
        c.call("RPUSH", "mp2", "a", "b", "c");
        assertEquals("[mp2, [a, b]]", c.call("LMPOP", "2", "mp1", "mp2", "LEFT", "COUNT", "2"));
        assertEquals("[mp2, [c]]", c.call("LMPOP", "2", "mp1", "mp2", "RIGHT", "COUNT", "10"));
        assertEquals("(integer) 0", c.call("EXISTS", "mp2"));
        assertEquals("(nil)", c.call("LMPOP", "1", "mp2", "LEFT"));
        assertEquals("(error) ERR numkeys should be greater than 0", c.call("LMPOP", "0", "mp1", "LEFT"));
        assertEquals("(error) ERR syntax error", c.call("LMPOP", "2", "mp1", "LEFT"));
        assertEquals("(error) ERR syntax error", c.call("LMPOP", "1", "mp1", "UP"));
        assertEquals("(error) ERR count should be greater than 0", c.call("LMPOP", "1", "mp1", "LEFT", "COUNT", "0"));
        assertEquals("(error) ERR syntax error", c.call("LMPOP", "1", "mp1", "LEFT", "COUNT", "1", "COUNT", "1"));
        c.call("SET", "mp-str", "x");
        c.call("RPUSH", "mp3", "x");
        assertEquals(WRONGTYPE, c.call("LMPOP", "2", "mp-str", "mp3", "LEFT"));
        assertEquals("[mp3, [x]]", c.call("LMPOP", "2", "mp1", "mp3", "LEFT"));
    }

    @Test
    void wrongTypeEverywhere() throws Exception {
        c.call("SET", "wt", "x");
        for (String[] cmd : new String[][] {{"LPUSH", "wt", "a"}, {"RPUSHX", "wt", "a"}, {"LPOP", "wt"},
                {"LLEN", "wt"}, {"LRANGE", "wt", "0", "1"}, {"LINDEX", "wt", "0"}, {"LSET", "wt", "0", "a"},
                {"LTRIM", "wt", "0", "1"}, {"LINSERT", "wt", "BEFORE", "a", "b"}, {"LREM", "wt", "0", "a"},
                {"LPOS", "wt", "a"}, {"RPOPLPUSH", "wt", "wt2"}}) {
            assertEquals(WRONGTYPE, c.call((Object[]) cmd), String.join(" ", cmd));
        }
        c.call("RPUSH", "wt-list", "a");
        assertEquals(WRONGTYPE, c.call("GET", "wt-list"));
        assertEquals("list", c.call("TYPE", "wt-list"));
    }

    @Test
    void randomCommandsMatchAModelAcrossNodeSizes() throws Exception {
        for (String fill : new String[] {"1", "3", "-1", "-2"}) {
            assertEquals("OK", c.call("CONFIG", "SET", "list-max-listpack-size", fill));
            String key = "rnd" + fill;
            List<String> model = new ArrayList<>();
            SplittableRandom r = new SplittableRandom(fill.hashCode());
            for (int step = 0; step < 400; step++) {
                String v = r.nextInt(4) == 0 ? Integer.toString(r.nextInt(-50, 50)) : "v" + r.nextInt(10) + "x".repeat(r.nextInt(0, 300));
                switch (r.nextInt(7)) {
                    case 0 -> {
                        c.call("LPUSH", key, v);
                        model.add(0, v);
                    }
                    case 1 -> {
                        c.call("RPUSH", key, v);
                        model.add(v);
                    }
                    case 2 -> {
                        if (!model.isEmpty()) {
                            int i = r.nextInt(model.size());
                            c.call("LINSERT", key, "BEFORE", model.get(i), v);
                            model.add(model.indexOf(model.get(i)), v);
                        }
                    }
                    case 3 -> {
                        String reply = c.call("LREM", key, "1", v);
                        assertEquals("(integer) " + (model.remove(v) ? 1 : 0), reply);
                    }
                    case 4 -> {
                        if (!model.isEmpty()) {
                            int i = r.nextInt(model.size());
                            c.call("LSET", key, Integer.toString(i), v);
                            model.set(i, v);
                        }
                    }
                    case 5 -> {
                        String reply = c.call("RPOP", key);
                        assertEquals(model.isEmpty() ? "(nil)" : model.remove(model.size() - 1), reply);
                    }
                    default -> {
                        int i = r.nextInt(-5, 5);
                        assertEquals(i < model.size() && i >= -model.size()
                                ? model.get(i < 0 ? model.size() + i : i) : "(nil)", c.call("LINDEX", key, Integer.toString(i)));
                    }
                }
            }
            assertEquals(model.toString(), c.call("LRANGE", key, "0", "-1"));
        }
        c.call("CONFIG", "SET", "list-max-listpack-size", "-2");
    }

    /** The dirty counter moves as Redis's server.dirty: an emptied list's deletion is no extra change. */
    @Test
    void changesCountedAsRedisCountsThem() throws Exception {
        c.call("RPUSH", "dc", "1", "2", "3");
        assertEquals(1, InfoFields.changesMadeBy(c, "LMOVE", "dc", "dc2", "LEFT", "RIGHT"));
        assertEquals(1, InfoFields.changesMadeBy(c, "RPOPLPUSH", "dc2", "dc3")); // empties dc2
        assertEquals(1, InfoFields.changesMadeBy(c, "LPOP", "dc3")); // empties dc3
        assertEquals(2, InfoFields.changesMadeBy(c, "RPOP", "dc", "5"));
        c.call("RPUSH", "dc", "a", "b", "a", "a");
        assertEquals(0, InfoFields.changesMadeBy(c, "LTRIM", "dc", "0", "-1"));
        assertEquals(1, InfoFields.changesMadeBy(c, "LTRIM", "dc", "1", "-1"));
        assertEquals(2, InfoFields.changesMadeBy(c, "LREM", "dc", "0", "a")); // leaves b
        assertEquals(1, InfoFields.changesMadeBy(c, "LREM", "dc", "0", "b")); // empties dc
        assertEquals(0, InfoFields.changesMadeBy(c, "EXISTS", "dc"));
    }
}
