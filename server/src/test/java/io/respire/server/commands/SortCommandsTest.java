package io.respire.server.commands;

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
import java.util.Comparator;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** SORT and SORT_RO end to end; expected replies were checked against Redis 7.0.15. */
class SortCommandsTest extends EmbeddedServerTest {

    private static final String NOT_A_DOUBLE = "(error) ERR One or more scores can't be converted into double";

    @Test
    void numericAlphaAndDesc() throws Exception {
        call("RPUSH l 3 1 2 10 -5 1.5 0x10 inf -inf");
        assertEquals("[-inf, -5, 1, 1.5, 2, 3, 10, 0x10, inf]", call("SORT l"));
        assertEquals("[inf, 0x10, 10, 3, 2, 1.5, 1, -5, -inf]", call("SORT l DESC"));
        assertEquals("[-5, -inf, 0x10, 1, 1.5, 10, 2, 3, inf]", call("SORT l ALPHA"));
        assertEquals("[inf, 3, 2, 10, 1.5, 1, 0x10, -inf, -5]", call("SORT l ALPHA DESC ASC DESC"));
        assertEquals("[-inf, -5, 1, 1.5, 2, 3, 10, 0x10, inf]", call("SORT_RO l"));
    }

    @Test
    void equalScoresAreOrderedByTheElementsBytes() throws Exception {
        c.call("RPUSH", "z", "-0", "0", "0.0", "-0.0", "+0", "00", " 0", "");
        assertEquals("[,  0, +0, -0, -0.0, 0, 0.0, 00]", call("SORT z"));
        assertEquals("[00, 0.0, 0, -0.0, -0, +0,  0, ]", call("SORT z DESC"));
    }

    @Test
    void limitClamps() throws Exception {
        call("RPUSH l 5 4 3 2 1");
        assertEquals("[3, 4, 5]", call("SORT l LIMIT 2 3"));
        assertEquals("[1, 2, 3]", call("SORT l LIMIT -5 3"));
        assertEquals("[1, 2, 3, 4, 5]", call("SORT l LIMIT 0 -1"));
        assertEquals("[3, 4, 5]", call("SORT l LIMIT 2 -10"));
        assertEquals("[]", call("SORT l LIMIT 0 0"));
        assertEquals("[]", call("SORT l LIMIT 100 5"));
        assertEquals("[5]", call("SORT l LIMIT 4 9223372036854775807"));
        assertEquals("[]", call("SORT nokey LIMIT 0 5"));
        assertEquals("(error) ERR value is not an integer or out of range", call("SORT l LIMIT a 1"));
        assertEquals("(error) ERR value is not an integer or out of range", call("SORT l LIMIT 1 b"));
    }

    @Test
    void noSortKeepsTheNativeOrderOfListsAndSortedSets() throws Exception {
        call("RPUSH l 2 1 4 3 5");
        assertEquals("[2, 1, 4, 3, 5]", call("SORT l BY nosort"));
        assertEquals("[5, 3, 4, 1, 2]", call("SORT l BY nosort DESC"));
        assertEquals("[4, 3]", call("SORT l BY nosort LIMIT 2 2"));
        assertEquals("[4, 1]", call("SORT l BY nosort DESC LIMIT 2 2"));
        assertEquals("[]", call("SORT l BY nosort LIMIT 20 3"));

        call("ZADD z 1 a 5 b 2 c 10 d 3 e");
        assertEquals("[a, c, e, b, d]", call("SORT z BY nosort"));
        assertEquals("[d, b, e, c, a]", call("SORT z BY nosort DESC"));
        assertEquals("[a]", call("SORT z BY nosort ASC LIMIT 0 1"));
        assertEquals("[d, b]", call("SORT z BY nosort DESC LIMIT 0 2"));
        assertEquals("[c, e]", call("SORT z BY nosort LIMIT 1 2"));
        assertEquals("[]", call("SORT z BY nosort LIMIT 5 10"));
        assertEquals("[a, c, e, b, d]", call("SORT z BY nosort LIMIT -10 100"));
        assertEquals("[e, d, c, b, a]", call("SORT z ALPHA DESC"));

        // A constant BY is not undone by a later BY with a pattern.
        call("MSET w_2 9 w_1 8");
        assertEquals("[2, 1, 4, 3, 5]", call("SORT l BY nosort BY w_*"));
    }

    @Test
    void setsSortAndIntsetsIterateInOrder() throws Exception {
        call("SADD s 5 3 9 1");
        assertEquals("[1, 3, 5, 9]", call("SORT s"));
        assertEquals("[9, 5, 3, 1]", call("SORT s DESC"));
        assertEquals("[1, 3, 5, 9]", call("SORT s BY nosort"));
        call("SADD t b c a 10 2");
        assertEquals("[10, 2, a, b, c]", call("SORT t ALPHA"));
        assertEquals(NOT_A_DOUBLE, call("SORT t"));
    }

    @Test
    void byKeysAndHashFieldsWithGet() throws Exception {
        call("RPUSH l a b c");
        call("MSET w_a 3 w_b 1 w_c 2");
        assertEquals("[b, c, a]", call("SORT l BY w_*"));
        assertEquals("[a, c, b]", call("SORT l BY w_* DESC"));
        assertEquals("[b, 1, c, 2, a, 3]", call("SORT l BY w_* GET # GET w_*"));
        assertEquals("[(nil), b, (nil), c, (nil), a]", call("SORT l BY w_* GET nothere_* GET #"));
        assertEquals("[(nil), (nil), (nil)]", call("SORT l BY nosort GET constant"));
        assertEquals("[a, b, c]", call("SORT l BY nokey_* ALPHA"));
        assertEquals("[b, b]", call("SORT l BY w_* ALPHA GET # GET # LIMIT 0 1"));

        call("HSET hw_a f 30 g z");
        call("HSET hw_b f 10");
        call("HSET hw_c f 20");
        assertEquals("[b, c, a]", call("SORT l BY hw_*->f"));
        assertEquals("[10, (nil), 20, (nil), 30, z]", call("SORT l BY hw_*->f GET hw_*->f GET hw_*->g"));
        // A pattern ending with "->" names a string key, arrow included.
        call("SET x:a-> 100");
        assertEquals("[100, (nil), (nil)]", call("SORT l BY nosort GET x:*->"));
        assertEquals("[100, (nil), (nil)]", call("SORT_RO l BY nosort GET x:*->"));
        // Weights of the wrong type do not exist: score 0, then the elements' order.
        call("DEL w_c");
        call("SADD w_c x");
        assertEquals("[c, b, a]", call("SORT l BY w_*"));
    }

    @Test
    void resp3RepliesNullForMissingGetValues() throws Exception {
        call("RPUSH l 1");
        c.call("HELLO", "3");
        assertEquals("[(nil), 1]", call("SORT l GET nokey GET #"));
        assertArrayEquals("*2\r\n_\r\n$1\r\n1\r\n".getBytes(StandardCharsets.US_ASCII),
                c.callRaw("SORT", "l", "GET", "nokey", "GET", "#"));
    }

    @Test
    void weightsMustBeDoublesAsStrtodReadsThem() throws Exception {
        for (String ok : new String[] {"inf", "-inf", " 1", "0x10", "", "2.5e-308", "0x1p-1074", "0x1.8p-1070"}) {
            c.call("DEL", "l");
            c.call("RPUSH", "l", "5", ok);
            assertEquals(2, call("SORT l").split(",").length, ok);
        }
        for (String bad : new String[] {"nan", "1e400", "1e-400", "1e-310", "4.9e-324", "1 ", "  ", "1e5x", "x"}) {
            c.call("DEL", "l");
            c.call("RPUSH", "l", "5", bad);
            assertEquals(NOT_A_DOUBLE, call("SORT l"), bad);
        }
        call("SADD s 1 2 3 4");
        call("MSET score:1 10 score:2 20 score:3 30 score:4 not-a-double");
        assertEquals(NOT_A_DOUBLE, call("SORT s BY score:*"));
        assertEquals(NOT_A_DOUBLE, call("SORT s BY score:* STORE dst"));
        assertEquals("(integer) 0", call("EXISTS dst"));
    }

    @Test
    void alphaCollatesUpToNulWithoutStoreAndComparesBytesWithStore() throws Exception {
        c.call("RPUSH", "n", "a\0b", "a\0a", "a", "\u007f");
        assertEquals("[a\0b, a\0a, a, \u007f]", c.call("SORT", "n", "ALPHA"));
        assertEquals("(integer) 4", c.call("SORT", "n", "ALPHA", "STORE", "o"));
        assertEquals("[a, a\0a, a\0b, \u007f]", call("LRANGE o 0 -1"));
    }

    @Test
    void equalAlphaWeightsFollowRedisSortAlgorithms() throws Exception {
        call("RPUSH L e1 e2 e3 e4 e5 e6 e7 e8 e9 e10 e11 e12");
        call("MSET w_e1 b w_e2 a w_e3 b w_e4 a w_e5 c w_e6 b w_e7 a w_e8 b w_e9 c w_e10 a");
        // A full sort keeps the input order of ties (glibc's merge sort)...
        assertEquals("[e11, e12, e2, e4, e7, e10, e1, e3, e6, e8, e5, e9]", call("SORT L BY w_* ALPHA"));
        assertEquals("[e5, e9, e1, e3, e6, e8, e2, e4, e7, e10, e11, e12]", call("SORT L BY w_* ALPHA DESC"));
        // ...a LIMIT uses Redis's partial quicksort, which does not.
        assertEquals("[e4, e7, e2, e10, e1]", call("SORT L BY w_* ALPHA LIMIT 2 5"));
        assertEquals("[e5, e1, e8, e3, e6, e7]", call("SORT L BY w_* ALPHA DESC LIMIT 1 6"));
    }

    @Test
    void storeReplacesOrDeletesTheDestination() throws Exception {
        call("RPUSH l 3 1 2");
        call("SET dst x EX 100");
        assertEquals("(integer) 3", call("SORT l STORE dst"));
        assertEquals("[1, 2, 3]", call("LRANGE dst 0 -1"));
        assertEquals("(integer) -1", call("TTL dst"));
        assertEquals("quicklist", call("OBJECT ENCODING dst"));
        assertEquals("(integer) 2", call("SORT l BY nosort DESC LIMIT 0 2 STORE dst"));
        assertEquals("[2, 1]", call("LRANGE dst 0 -1"));
        // Missing GET values are stored as empty strings.
        call("SET w_1 one");
        assertEquals("(integer) 6", call("SORT l GET # GET w_* STORE dst"));
        assertEquals("[1, one, 2, , 3, ]", call("LRANGE dst 0 -1"));
        // An empty result deletes the destination and creates nothing.
        assertEquals("(integer) 0", call("SORT l LIMIT 10 10 STORE dst"));
        assertEquals("(integer) 0", call("EXISTS dst"));
        assertEquals("(integer) 0", call("SORT nokey STORE dst"));
        assertEquals("(integer) 0", call("EXISTS dst"));
    }

    @Test
    void storingASetWithoutSortingSortsItAlphabetically() throws Exception {
        call("SADD s a b c d e f g h i l m n o p q r s t u v z aa aaa azz");
        assertEquals("(integer) 24", call("SORT s ALPHA BY _ STORE out"));
        assertEquals("[a, aa, aaa, azz, b, c, d, e, f, g, h, i, l, m, n, o, p, q, r, s, t, u, v, z]",
                call("LRANGE out 0 -1"));
    }

    @Test
    void errors() throws Exception {
        call("SET str x");
        call("HSET h a 1");
        String wrongType = "(error) WRONGTYPE Operation against a key holding the wrong kind of value";
        assertEquals(wrongType, call("SORT str"));
        assertEquals(wrongType, call("SORT h"));
        assertEquals("(error) ERR syntax error", call("SORT str foo"));
        assertEquals("(error) ERR syntax error", call("SORT l LIMIT 1"));
        assertEquals("(error) ERR syntax error", call("SORT l STORE"));
        assertEquals("(error) ERR syntax error", call("SORT l BY"));
        assertEquals("(error) ERR syntax error", call("SORT l GET"));
        assertEquals("(error) ERR syntax error", call("SORT_RO l STORE dst"));
        assertEquals("(error) ERR wrong number of arguments for 'sort' command", call("SORT"));
    }

    /** The partial quicksort puts in the requested range exactly what a full sort would. */
    @Test
    void partialQuickSortSortsTheRequestedRange() {
        SplittableRandom random = new SplittableRandom(1);
        for (int round = 0; round < 500; round++) {
            int n = random.nextInt(1, 200);
            Integer[] a = new Integer[n];
            for (int i = 0; i < n; i++) {
                a[i] = random.nextInt(n);
            }
            Integer[] expected = a.clone();
            Arrays.sort(expected);
            int from = random.nextInt(n);
            int to = random.nextInt(from, n);
            PartialQuickSort.sort(a, Comparator.naturalOrder(), from, to);
            assertArrayEquals(Arrays.copyOfRange(expected, from, to + 1), Arrays.copyOfRange(a, from, to + 1));
        }
    }

    @Test
    void sortingASortedSetConvertsItToASkiplist() throws Exception {
        call("ZADD z 2 b 1 a");
        assertEquals("listpack", call("OBJECT ENCODING z"));
        assertEquals("[]", call("SORT_RO z BY nosort LIMIT 0 0"));
        assertEquals("skiplist", call("OBJECT ENCODING z")); // as Redis, even SORT_RO and an empty LIMIT
        call("ZADD y 1 a");
        assertEquals(NOT_A_DOUBLE, call("SORT y"));
        assertEquals("skiplist", call("OBJECT ENCODING y")); // converted before the weights are read
        assertEquals("[]", call("SORT nokey"));
        assertEquals("(integer) 0", call("EXISTS nokey"));
    }
}
