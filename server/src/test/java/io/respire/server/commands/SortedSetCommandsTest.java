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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sorted set commands end to end; expected replies were checked against Redis 7.0.15. */
class SortedSetCommandsTest extends EmbeddedServerTest {

    private static final String WRONGTYPE = "(error) WRONGTYPE Operation against a key holding the wrong kind of value";

    private String raw(String line) throws Exception {
        return new String(c.callRaw((Object[]) line.split(" ")));
    }

    @Test
    void zaddOptionsAndErrors() throws Exception {
        assertEquals("(integer) 3", call("ZADD z 1 a 2 b 3 c"));
        assertEquals("(error) ERR XX and NX options at the same time are not compatible", call("ZADD z NX XX 1 a"));
        assertEquals("(error) ERR GT, LT, and/or NX options at the same time are not compatible", call("ZADD z GT LT 1 a"));
        assertEquals("(error) ERR GT, LT, and/or NX options at the same time are not compatible", call("ZADD z GT NX 1 a"));
        assertEquals("(error) ERR INCR option supports a single increment-element pair", call("ZADD z INCR 1 a 2 b"));
        assertEquals("(error) ERR syntax error", call("ZADD z 1 a 2"));
        assertEquals("(error) ERR value is not a valid float", call("ZADD z nan a"));
        assertEquals("(error) ERR value is not a valid float", call("ZADD z 1 a x b")); // nothing added
        assertEquals("(integer) 3", call("ZCARD z"));
        assertEquals("(integer) 0", call("ZADD z inf a"));
        assertEquals("(error) ERR resulting score is not a number (NaN)", call("ZADD z INCR -inf a"));
        assertEquals("inf", call("ZSCORE z a"));
        assertEquals("(integer) 2", call("ZADD z CH 5 a 6 b"));
        assertEquals("(integer) 1", call("ZADD z XX CH 10 a 20 nothere"));
        assertEquals("(nil)", call("ZADD z XX INCR 1 nothere"));
        assertEquals("(nil)", call("ZADD z NX INCR 1 a"));
        assertEquals("(integer) 0", call("ZADD z GT CH 1 a"));
        assertEquals("(integer) 1", call("ZADD z LT CH 1 a"));
        assertEquals("(integer) 0", call("ZADD nokey XX 1 a"));
        assertEquals("(integer) 0", call("EXISTS nokey"));
        assertEquals("3.5", call("ZINCRBY z 2.5 a"));
        assertEquals("(error) ERR value is not a valid float", call("ZINCRBY z abc a"));
        assertEquals("1.1000000000000001", call("ZINCRBY z 1.1 new"));
        assertEquals("zset", call("TYPE z"));
        call("SET str x");
        for (String cmd : new String[] {"ZADD str 1 a", "ZINCRBY str 1 a", "ZRANGE str 0 -1", "ZSCORE str a",
                "ZCARD str", "ZRANK str a", "ZREM str a", "ZCOUNT str 0 1", "ZPOPMIN str", "ZSCAN str 0",
                "ZRANDMEMBER str", "ZUNION 1 str", "ZRANGESTORE d str 0 -1", "ZMPOP 1 str MIN"}) {
            assertEquals(WRONGTYPE, call(cmd), cmd);
        }
    }

    @Test
    void rangesInBothEncodings() throws Exception {
        for (String encoding : new String[] {"listpack", "skiplist"}) {
            call("DEL z");
            call("ZADD z 1 a 2 b 2 c 3 d 4 e");
            if (encoding.equals("skiplist")) {
                c.call("ZADD", "z", "100", "x".repeat(65));
                c.call("ZREM", "z", "x".repeat(65));
            }
            assertEquals(encoding, call("OBJECT ENCODING z"));
            assertEquals("[a, 1, b, 2, c, 2, d, 3, e, 4]", call("ZRANGE z 0 -1 WITHSCORES"));
            assertEquals("[d, c]", call("ZRANGE z 1 2 REV"));
            assertEquals("[]", call("ZRANGE z 3 1"));
            assertEquals("[b, c, d]", call("ZRANGE z (1 3 BYSCORE"));
            assertEquals("[c, d]", call("ZRANGE z (1 3 BYSCORE LIMIT 1 5"));
            assertEquals("[d, c]", call("ZRANGE z 3 (1 BYSCORE REV LIMIT 0 2"));
            assertEquals("[]", call("ZRANGE z -inf +inf BYSCORE LIMIT -1 5"));
            assertEquals("[e, 4, d, 3]", call("ZREVRANGEBYSCORE z +inf (2 WITHSCORES"));
            assertEquals("[b, c]", call("ZRANGEBYLEX z (a [c"));
            assertEquals("[e, d]", call("ZREVRANGEBYLEX z + (c"));
            assertEquals("(integer) 4", call("ZCOUNT z (1 +inf"));
            assertEquals("(integer) 2", call("ZLEXCOUNT z [b (d"));
            assertEquals("(integer) 3", call("ZRANK z d"));
            assertEquals("(integer) 1", call("ZREVRANK z d"));
            assertEquals("(nil)", call("ZRANK z nothere"));
            assertEquals("[2, (nil), 4]", call("ZMSCORE z b nothere e"));
            assertEquals("(error) ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
                    call("ZRANGE z 0 1 LIMIT 0 1"));
            assertEquals("[a, b]", call("ZRANGE z 0 1 LIMIT 0 -1")); // a limit of -1 is no limit
            assertEquals("(error) ERR syntax error, WITHSCORES not supported in combination with BYLEX",
                    call("ZRANGE z - + BYLEX WITHSCORES"));
            assertEquals("(error) ERR syntax error", call("ZRANGE z 0 -1 BYSCORE BYLEX"));
            assertEquals("(error) ERR syntax error", call("ZRANGE z 0 -1 REV REV"));
            assertEquals("(error) ERR min or max is not a float", call("ZRANGE z a b BYSCORE"));
            assertEquals("(error) ERR min or max not valid string range item", call("ZRANGE z a b BYLEX"));
            assertEquals("(integer) 1", call("ZREMRANGEBYRANK z 0 0"));
            assertEquals("(integer) 2", call("ZREMRANGEBYSCORE z 2 (3"));
            assertEquals("(integer) 1", call("ZREMRANGEBYLEX z [e +"));
            assertEquals("[d]", call("ZRANGE z 0 -1"));
            assertEquals("(integer) 1", call("ZREM z d nothere"));
            assertEquals("(integer) 0", call("EXISTS z"));
        }
    }

    @Test
    void scoreBoundsAndDoubles() throws Exception {
        call("ZADD z 0x10 hex 1e-320 tiny -inf low 1.1 f");
        assertEquals("[low, -inf, tiny, 9.9998886718268301e-321, f, 1.1000000000000001, hex, 16]",
                call("ZRANGE z 0 -1 WITHSCORES"));
        assertEquals("(error) ERR value is not a valid float", call("ZADD z 1e400 x"));
        assertEquals("[tiny]", c.call("ZRANGEBYSCORE", "z", "(0", " 1")); // strtod skips leading spaces
        assertEquals("(error) ERR min or max is not a float", c.call("ZRANGEBYSCORE", "z", "1 ", "2"));
        assertEquals("[]", c.call("ZRANGEBYSCORE", "z", "", "")); // an empty bound reads as 0
        // A listpack stores -0 as the integer 0, a skiplist keeps it.
        call("ZADD neg -0 a");
        assertEquals("0", call("ZSCORE neg a"));
        c.call("ZADD", "neg", "-0", "x".repeat(65));
        assertEquals("-0", c.call("ZSCORE", "neg", "x".repeat(65)));
    }

    @Test
    void resp2AndResp3Shapes() throws Exception {
        call("ZADD z 1 a 2.5 b");
        assertEquals("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n", raw("ZRANGE z 0 -1 WITHSCORES"));
        assertEquals("*2\r\n$1\r\na\r\n$1\r\n1\r\n", raw("ZPOPMIN z"));
        call("ZADD z 1 a");
        assertEquals("*2\r\n$1\r\na\r\n$1\r\n1\r\n", raw("ZPOPMIN z 1"));
        call("ZADD z 1 a");
        assertEquals("*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", raw("ZMPOP 1 z MIN"));
        assertEquals("*-1\r\n", raw("ZMPOP 1 nokey MIN"));
        assertEquals("*0\r\n", raw("ZPOPMIN nokey"));
        call("HELLO 3");
        call("ZADD z 1 a");
        assertEquals("*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n", raw("ZRANGE z 0 -1 WITHSCORES"));
        assertEquals("*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n", raw("ZUNION 1 z WITHSCORES"));
        assertEquals(",2.5\r\n", raw("ZSCORE z b"));
        assertEquals("_\r\n", raw("ZSCORE z nothere"));
        assertEquals("*2\r\n$1\r\na\r\n,1\r\n", raw("ZPOPMIN z")); // flat without a count
        assertEquals("*1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n", raw("ZPOPMIN z 5")); // nested with one
        assertEquals("_\r\n", raw("ZMPOP 1 nokey MIN"));
        call("ZADD z 3 c");
        assertEquals("*1\r\n*2\r\n$1\r\nc\r\n,3\r\n", raw("ZRANDMEMBER z 1 WITHSCORES"));
        assertEquals("*2\r\n$1\r\n0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n", raw("ZSCAN z 0")); // scans stay flat
    }

    @Test
    void setOperations() throws Exception {
        call("ZADD a 1 x 2 y 3 z");
        call("ZADD b 1 y 2 z 3 w");
        call("SADD s z w q");
        assertEquals("[x, 1, w, 3, y, 3, z, 5]", call("ZUNION 2 a b WITHSCORES"));
        assertEquals("[x, 2, y, 7, w, 9, z, 12]", call("ZUNION 2 a b WEIGHTS 2 3 WITHSCORES"));
        assertEquals("[x, 1, y, 1, z, 2, w, 3]", call("ZUNION 2 a b AGGREGATE MIN WITHSCORES"));
        assertEquals("[z, 3, w, 4]", call("ZINTER 2 b s WITHSCORES")); // set members score 1
        assertEquals("[q, 1, y, 1, z, 3, w, 4]", call("ZUNION 2 b s WITHSCORES"));
        assertEquals("[y, 2, z, 3]", call("ZINTER 2 a b WEIGHTS 1 0 AGGREGATE MAX WITHSCORES"));
        assertEquals("[z, 6]", call("ZINTER 3 a b s WITHSCORES"));
        assertEquals("[x, 1]", call("ZDIFF 2 a b WITHSCORES"));
        assertEquals("[]", call("ZDIFF 2 a a"));
        assertEquals("(integer) 2", call("ZINTERCARD 2 a b"));
        assertEquals("(integer) 1", call("ZINTERCARD 2 a b LIMIT 1"));
        assertEquals("(error) ERR at least 1 input key is needed for 'zunionstore' command", call("ZUNIONSTORE d 0 a"));
        assertEquals("(error) ERR at least 1 input key is needed for 'zintercard' command", call("ZINTERCARD 0 a"));
        assertEquals("(error) ERR syntax error", call("ZUNION 3 a b"));
        assertEquals("(error) ERR syntax error", call("ZDIFF 2 a b WEIGHTS 1 1"));
        assertEquals("(error) ERR syntax error", call("ZUNIONSTORE d 2 a b WITHSCORES"));
        assertEquals("(error) ERR weight value is not a float", call("ZUNION 2 a b WEIGHTS 1 x"));
        assertEquals("(error) ERR LIMIT can't be negative", call("ZINTERCARD 2 a b LIMIT -1"));
        assertEquals("(integer) 4", call("ZUNIONSTORE d 2 a b"));
        assertEquals("listpack", call("OBJECT ENCODING d"));
        assertEquals("(integer) 0", call("ZINTERSTORE d 2 a nokey"));
        assertEquals("(integer) 0", call("EXISTS d"));
        call("ZADD i1 inf m");
        call("ZADD i2 -inf m");
        assertEquals("[m, 0]", call("ZUNION 2 i1 i2 WITHSCORES")); // inf + -inf is taken as 0
        assertEquals("[m, 0]", call("ZUNION 2 i1 i2 WEIGHTS 0 0 WITHSCORES")); // 0 * inf too
    }

    @Test
    void zrangestoreAndEncodings() throws Exception {
        Object[] add = new Object[2 + 2 * 200];
        add[0] = "ZADD";
        add[1] = "big";
        for (int i = 0; i < 200; i++) {
            add[2 + 2 * i] = Integer.toString(i);
            add[3 + 2 * i] = "m" + i;
        }
        c.call(add);
        assertEquals("skiplist", call("OBJECT ENCODING big"));
        assertEquals("(integer) 10", call("ZRANGESTORE dst big 0 9"));
        assertEquals("listpack", call("OBJECT ENCODING dst"));
        assertEquals("(integer) 129", call("ZRANGESTORE dst big 0 128"));
        assertEquals("skiplist", call("OBJECT ENCODING dst"));
        assertEquals("(integer) 2", call("ZRANGESTORE dst big 5 (7 BYSCORE"));
        assertEquals("[m5, m6]", call("ZRANGE dst 0 -1"));
        assertEquals("(integer) 0", call("ZRANGESTORE dst nokey 0 -1"));
        assertEquals("(integer) 0", call("EXISTS dst"));
        assertEquals("(integer) 190", call("ZREMRANGEBYRANK big 10 -1"));
        assertEquals("skiplist", call("OBJECT ENCODING big")); // never converts back by itself
        assertEquals("(integer) 10", call("ZUNIONSTORE small 1 big"));
        assertEquals("listpack", call("OBJECT ENCODING small")); // a stored result is re-encoded
        call("CONFIG SET zset-max-ziplist-entries 0");
        try {
            call("ZADD zero 1 a");
            assertEquals("skiplist", call("OBJECT ENCODING zero"));
        } finally {
            call("CONFIG SET zset-max-listpack-entries 128");
        }
    }

    @Test
    void popsAndRandomMembers() throws Exception {
        call("ZADD z 1 a 2 b 3 c 4 d 5 e");
        assertEquals("[a, 1]", call("ZPOPMIN z"));
        assertEquals("[e, 5, d, 4]", call("ZPOPMAX z 2"));
        assertEquals("[]", call("ZPOPMIN z 0"));
        assertEquals("(error) ERR value is out of range, must be positive", call("ZPOPMIN z -1"));
        assertEquals("(error) ERR syntax error", call("ZPOPMIN z 1 2"));
        assertEquals("[z, [[b, 2], [c, 3]]]", call("ZMPOP 2 nokey z MIN COUNT 10"));
        assertEquals("(integer) 0", call("EXISTS z"));
        assertEquals("(error) ERR numkeys should be greater than 0", call("ZMPOP 0 z MIN"));
        assertEquals("(error) ERR syntax error", call("ZMPOP 2 z MIN"));
        assertEquals("(error) ERR count should be greater than 0", call("ZMPOP 1 z MIN COUNT 0"));
        assertEquals("(error) ERR syntax error", call("ZMPOP 1 z MIN COUNT 1 COUNT 1"));
        call("ZADD r 1 a 2 b 3 c 4 d 5 e 6 f 7 g 8 h 9 i 10 j");
        for (int count : new int[] {1, 2, 3, 4, 9, 10, 20}) {
            String reply = call("ZRANDMEMBER r " + count);
            String[] items = reply.substring(1, reply.length() - 1).split(", ");
            assertEquals(Math.min(count, 10), java.util.Arrays.stream(items).distinct().count());
        }
        assertEquals(40, call("ZRANDMEMBER r -20 WITHSCORES").split(", ").length);
        assertEquals("(error) ERR value is out of range", call("ZRANDMEMBER r 9223372036854775807 WITHSCORES"));
        assertEquals("(error) ERR syntax error", call("ZRANDMEMBER r 1 foo"));
        assertEquals("[]", call("ZRANDMEMBER nokey 5"));
        assertEquals("(nil)", call("ZRANDMEMBER nokey"));
    }

    @Test
    void zscanShowsScoresAsRedisStoresThem() throws Exception {
        call("ZADD lp 1e18 a 1.5 b");
        assertEquals("[0, [b, 1.5, a, 1000000000000000000]]", call("ZSCAN lp 0"));
        c.call("ZADD", "sl", "1e18", "x".repeat(65));
        assertEquals("[0, [" + "x".repeat(65) + ", 1e+18]]", call("ZSCAN sl 0"));
    }

    /** Random commands through the server against a TreeMap model, across the threshold. */
    @Test
    void randomCommandsMatchAModel() throws Exception {
        SplittableRandom r = new SplittableRandom(23);
        Map<String, Integer> scores = new HashMap<>();
        for (int i = 0; i < 2500; i++) {
            String m = "m" + r.nextInt(r.nextBoolean() ? 40 : 200);
            int score = r.nextInt(50);
            switch (r.nextInt(6)) {
                case 0, 1 -> {
                    boolean added = scores.put(m, score) == null;
                    assertEquals("(integer) " + (added ? 1 : 0), c.call("ZADD", "k", score, m));
                }
                case 2 -> assertEquals("(integer) " + (scores.remove(m) != null ? 1 : 0), c.call("ZREM", "k", m));
                case 3 -> {
                    List<String> order = order(scores);
                    int rank = order.indexOf(m);
                    assertEquals(rank < 0 ? "(nil)" : "(integer) " + rank, c.call("ZRANK", "k", m));
                }
                case 4 -> {
                    int lo = r.nextInt(50);
                    int hi = lo + r.nextInt(10);
                    long expected = scores.values().stream().filter(s -> s > lo && s <= hi).count();
                    assertEquals("(integer) " + expected, c.call("ZCOUNT", "k", "(" + lo, hi));
                }
                default -> {
                    if (r.nextInt(20) == 0) {
                        assertEquals(order(scores).toString(), call("ZRANGE k 0 -1"));
                    }
                }
            }
        }
        assertTrue(scores.size() > 50);
        assertEquals(order(scores).toString(), call("ZRANGE k 0 -1"));
    }

    private static List<String> order(Map<String, Integer> scores) {
        TreeMap<String, String> sorted = new TreeMap<>();
        scores.forEach((m, s) -> sorted.put(String.format("%05d:%s", s, m), m));
        return new ArrayList<>(sorted.values());
    }

    /** The dirty counter moves as Redis's server.dirty: an emptied sorted set's deletion is no extra change. */
    @Test
    void changesCountedAsRedisCountsThem() throws Exception {
        c.call("ZADD", "dc", "1", "a", "2", "b", "3", "c");
        assertEquals(1, InfoFields.changesMadeBy(c, "ZREM", "dc", "a"));
        assertEquals(1, InfoFields.changesMadeBy(c, "ZPOPMIN", "dc"));
        assertEquals(1, InfoFields.changesMadeBy(c, "ZMPOP", "1", "dc", "MAX", "COUNT", "5")); // empties dc
        c.call("ZADD", "dc", "1", "a");
        assertEquals(1, InfoFields.changesMadeBy(c, "ZREMRANGEBYSCORE", "dc", "-inf", "+inf"));
    }
}
