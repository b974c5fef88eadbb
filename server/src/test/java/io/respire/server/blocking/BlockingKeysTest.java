package io.respire.server.blocking;

import io.respire.server.BlockingClientsTest;
import io.respire.server.InfoFields;
import io.respire.server.RespTestClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients blocked on keys (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP)
 * end to end, with several raw-socket clients: FIFO service, several keys, timeouts, CLIENT
 * UNBLOCK, disconnection, requests held while blocked. Expected replies are those of Redis 7.0.15
 * (blocked.c, t_list.c, t_zset.c), checked against redis-server. Each test uses its own keys and
 * ends with no client blocked; the server is shared.
 */
class BlockingKeysTest extends BlockingClientsTest {
    private static String raw(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    private long clientId(RespTestClient o) throws Exception {
        return Long.parseLong(o.call("CLIENT", "ID").substring("(integer) ".length()));
    }

    @Test
    void waitersAreServedFirstComeFirstServed() throws Exception {
        RespTestClient first = blockOn("BLPOP", "fifo", "0");
        RespTestClient second = blockOn("BRPOP", "fifo", "0");
        RespTestClient third = blockOn("BLPOP", "fifo", "0");
        assertEquals("(integer) 2", c.call("RPUSH", "fifo", "a", "b"));
        // One push of two elements serves two waiters, in the order they blocked.
        assertEquals("[fifo, a]", read(first));
        assertEquals("[fifo, b]", read(second));
        assertEquals(1, blockedClients());
        assertEquals("(integer) 0", c.call("EXISTS", "fifo"));
        c.call("LPUSH", "fifo", "c");
        assertEquals("[fifo, c]", read(third));
    }

    @Test
    void elementsLeftOverStayInTheList() throws Exception {
        RespTestClient waiter = blockOn("BLPOP", "left", "0");
        assertEquals("(integer) 3", c.call("LPUSH", "left", "foo", "bar", "baz"));
        assertEquals("[left, baz]", read(waiter));
        assertEquals("[bar, foo]", c.call("LRANGE", "left", "0", "-1"));
    }

    @Test
    void severalKeysAndTheKeyThatArrives() throws Exception {
        RespTestClient waiter = blockOn("BLPOP", "mk1", "mk2", "mk2", "mk1", "0");
        c.call("RPUSH", "mk2", "x");
        assertEquals("[mk2, x]", read(waiter));
        // No longer waiting on the other key either.
        c.call("RPUSH", "mk1", "y");
        assertEquals("[y]", c.call("LRANGE", "mk1", "0", "-1"));
        // Data already there: the first key given wins.
        c.call("RPUSH", "mk2", "z");
        assertEquals("[mk1, y]", waiter.call("BLPOP", "mk2x", "mk1", "mk2", "0"));
    }

    @Test
    void requestsSentWhileBlockedRunAfterwardsInOrder() throws Exception {
        c.call("SET", "held:s", "v");
        RespTestClient o = client();
        o.sendRaw(concat(RespTestClient.encode("BLPOP", "held", "0"), RespTestClient.encode("PING"),
                RespTestClient.encode("GET", "held:s"), RespTestClient.encode("LLEN", "held")));
        waitForBlocked(1);
        c.call("RPUSH", "held", "1", "2");
        assertEquals("[held, 1]", read(o));
        assertEquals("PONG", read(o));
        assertEquals("v", read(o));
        assertEquals("(integer) 1", read(o));
    }

    @Test
    void timeoutRepliesNullAfterTheFractionalDelay() throws Exception {
        long start = System.nanoTime();
        assertEquals("*-1\r\n", raw(c.callRaw("BLPOP", "to:none", "to:none2", "0.2")));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs >= 195 && elapsedMs < 3000, "took " + elapsedMs);
        assertEquals("*-1\r\n", raw(c.callRaw("BRPOPLPUSH", "to:none", "to:dst", "0.01")));
        assertEquals("*-1\r\n", raw(c.callRaw("BZPOPMAX", "to:none", "0.01")));
        assertEquals("*-1\r\n", raw(c.callRaw("BLMPOP", "0.001", "1", "to:none", "LEFT")));
        c.call("HELLO", "3");
        assertEquals("_\r\n", raw(c.callRaw("BLMOVE", "to:none", "to:dst", "LEFT", "RIGHT", "0.01")));
        assertEquals("_\r\n", raw(c.callRaw("BZMPOP", "0.01", "1", "to:none", "MIN")));
        assertEquals("(integer) 0", c.call("EXISTS", "to:dst"));
    }

    @Test
    void timeoutArgumentErrors() throws Exception {
        assertEquals("(error) ERR timeout is negative", c.call("BLPOP", "te", "-1"));
        assertEquals("(error) ERR timeout is negative", c.call("BRPOP", "te", "inf"));
        assertEquals("(error) ERR timeout is not a float or out of range", c.call("BLPOP", "te", "abc"));
        assertEquals("(error) ERR timeout is not a float or out of range", c.call("BZPOPMIN", "te", "1x"));
        assertEquals("(error) ERR timeout is negative", c.call("BLMOVE", "te", "d", "LEFT", "LEFT", "-0.5"));
        // Positions, numkeys and COUNT are checked before the timeout.
        assertEquals("(error) ERR syntax error", c.call("BLMOVE", "te", "d", "UP", "LEFT", "-1"));
        assertEquals("(error) ERR numkeys should be greater than 0", c.call("BLMPOP", "-1", "0", "te", "LEFT"));
        assertEquals("(error) ERR count should be greater than 0",
                c.call("BZMPOP", "-1", "1", "te", "MIN", "COUNT", "0"));
        assertEquals("(error) ERR timeout is negative", c.call("BZMPOP", "-1", "1", "te", "MIN"));
        // The timeout before the type of the keys.
        c.call("SET", "te:str", "x");
        assertEquals("(error) ERR timeout is negative", c.call("BLPOP", "te:str", "-1"));
        assertEquals("(error) WRONGTYPE Operation against a key holding the wrong kind of value",
                c.call("BLPOP", "te", "te:str", "1"));
    }

    @Test
    void clientUnblock() throws Exception {
        RespTestClient o = client();
        long id = clientId(o);
        o.send("BLPOP", "ub", "0");
        waitForBlocked(1);
        assertTrue(c.call("CLIENT", "LIST", "ID", Long.toString(id)).contains(" flags=b "));
        assertEquals("(integer) 1", c.call("CLIENT", "UNBLOCK", Long.toString(id)));
        assertEquals("(nil)", read(o));
        o.send("BZMPOP", "0", "1", "ub", "MAX");
        waitForBlocked(1);
        assertEquals("(integer) 1", c.call("CLIENT", "UNBLOCK", Long.toString(id), "TIMEOUT"));
        assertEquals("(nil)", read(o));
        o.send("BRPOPLPUSH", "ub", "ub:dst", "0");
        waitForBlocked(1);
        assertEquals("(integer) 1", c.call("CLIENT", "UNBLOCK", Long.toString(id), "error"));
        assertEquals("(error) UNBLOCKED client unblocked via CLIENT UNBLOCK", read(o));
        assertEquals("(integer) 0", c.call("CLIENT", "UNBLOCK", Long.toString(id)));
        assertEquals("(integer) 0", c.call("CLIENT", "UNBLOCK", "999999"));
        assertEquals("(error) ERR value is not an integer or out of range", c.call("CLIENT", "UNBLOCK", "abc"));
        assertEquals("(error) ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
                c.call("CLIENT", "UNBLOCK", "abc", "foo"));
        // Still a working client, and the key works for the next waiter.
        o.send("BLPOP", "ub", "0");
        waitForBlocked(1);
        c.call("LPUSH", "ub", "foo");
        assertEquals("[ub, foo]", read(o));
    }

    @Test
    void disconnectingWhileBlockedForgetsTheWaiter() throws Exception {
        RespTestClient gone = blockOn("BLPOP", "dc", "dc2", "0");
        RespTestClient next = blockOn("BLPOP", "dc", "0");
        gone.close();
        waitForBlocked(1);
        c.call("RPUSH", "dc", "a", "b");
        assertEquals("[dc, a]", read(next));
        assertEquals("[b]", c.call("LRANGE", "dc", "0", "-1"));
        c.call("RPUSH", "dc2", "c");
        assertEquals("[c]", c.call("LRANGE", "dc2", "0", "-1"));
    }

    @Test
    void otherTypesDoNotWakeTheWaiter() throws Exception {
        RespTestClient listWaiter = blockOn("BLPOP", "ty", "0");
        RespTestClient zsetWaiter = blockOn("BZPOPMIN", "ty", "0");
        c.call("SET", "ty", "string");
        c.call("DEL", "ty");
        c.call("SADD", "ty", "member");
        c.call("DEL", "ty");
        assertEquals(2, blockedClients());
        // A sorted set serves the sorted-set waiter, though a list waiter blocked first.
        c.call("ZADD", "ty", "1", "a");
        assertEquals("[ty, a, 1]", read(zsetWaiter));
        assertEquals(1, blockedClients());
        c.call("RPUSH", "ty", "x");
        assertEquals("[ty, x]", read(listWaiter));
    }

    @Test
    void keysCreatedByRenameSortStoreAndSwapdbWakeWaiters() throws Exception {
        RespTestClient waiter = blockOn("BLPOP", "mv", "0");
        c.call("RPUSH", "mv:src", "abc", "def");
        c.call("RENAME", "mv:src", "mv");
        assertEquals("[mv, abc]", read(waiter));

        c.call("DEL", "mv");
        waiter.send("BRPOP", "mv", "5");
        waitForBlocked(1);
        c.call("RPUSH", "mv:unsorted", "c", "a", "b");
        c.call("SORT", "mv:unsorted", "ALPHA", "STORE", "mv");
        assertEquals("[mv, c]", read(waiter));

        RespTestClient other = client();
        other.call("SELECT", "7");
        other.send("BRPOP", "mv:swap", "5");
        waitForBlocked(1);
        c.call("SELECT", "6");
        c.call("RPUSH", "mv:swap", "hello");
        c.call("SWAPDB", "6", "7");
        assertEquals("[mv:swap, hello]", read(other));
        c.call("FLUSHALL");
    }

    @Test
    void blmoveChainsAndWrongDestinationType() throws Exception {
        // A move into a key someone waits on serves that waiter in the same round.
        RespTestClient popper = blockOn("BLPOP", "chain:target", "0");
        RespTestClient mover = blockOn("BLMOVE", "chain:src", "chain:target", "RIGHT", "LEFT", "0");
        c.call("RPUSH", "chain:src", "foo");
        assertEquals("foo", read(mover));
        assertEquals("[chain:target, foo]", read(popper));
        assertEquals("(integer) 0", c.call("EXISTS", "chain:src", "chain:target"));

        // A destination of the wrong type: the waiter gets the error, the element stays.
        c.call("SET", "chain:str", "nolist");
        RespTestClient bad = blockOn("BRPOPLPUSH", "chain:src", "chain:str", "0");
        RespTestClient good = blockOn("BRPOPLPUSH", "chain:src", "chain:dst", "0");
        c.call("RPUSH", "chain:src", "a", "b", "c");
        assertEquals("(error) WRONGTYPE Operation against a key holding the wrong kind of value", read(bad));
        assertEquals("c", read(good));
        assertEquals("[a, b]", c.call("LRANGE", "chain:src", "0", "-1"));
        assertEquals("[c]", c.call("LRANGE", "chain:dst", "0", "-1"));

        // Circular moves settle.
        c.call("DEL", "chain:src", "chain:dst");
        RespTestClient one = blockOn("BRPOPLPUSH", "circ1", "circ2", "0");
        RespTestClient two = blockOn("BRPOPLPUSH", "circ2", "circ1", "0");
        c.call("RPUSH", "circ1", "x");
        assertEquals("x", read(one));
        assertEquals("x", read(two));
        assertEquals("[x]", c.call("LRANGE", "circ1", "0", "-1"));
        assertEquals("(integer) 0", c.call("EXISTS", "circ2"));
    }

    @Test
    void blmpopWaitersEachTakeTheirCount() throws Exception {
        RespTestClient w1 = blockOn("BLMPOP", "0", "2", "mp1", "mp2", "LEFT", "COUNT", "1");
        RespTestClient w2 = blockOn("BLMPOP", "0", "2", "mp1", "mp2", "RIGHT", "COUNT", "10");
        RespTestClient w3 = blockOn("BLMPOP", "0", "2", "mp1", "mp2", "LEFT", "COUNT", "10");
        RespTestClient w4 = blockOn("BLMPOP", "0", "2", "mp1", "mp2", "RIGHT", "COUNT", "1");
        c.call("MULTI");
        c.call("LPUSH", "mp1", "a", "b", "c", "d", "e");
        c.call("LPUSH", "mp2", "1", "2", "3", "4", "5");
        c.call("EXEC");
        assertEquals("[mp1, [e]]", read(w1));
        assertEquals("[mp1, [a, b, c, d]]", read(w2));
        assertEquals("[mp2, [5, 4, 3, 2, 1]]", read(w3));
        c.call("LPUSH", "mp2", "1", "2", "3");
        assertEquals("[mp2, [1]]", read(w4));
    }

    /**
     * Serving a waiter counts towards the dirty counter as Redis's serveClientBlockedOnList and
     * genericZpopCommand do: BLPOP, BRPOP and BLMOVE pops nothing (only the push counts),
     * BLMPOP and the sorted-set pops each element.
     */
    @Test
    void servingCountsChangesAsRedis() throws Exception {
        RespTestClient pop = blockOn("BLPOP", "dc:l", "0");
        assertEquals(2, InfoFields.changesMadeBy(c, "RPUSH", "dc:l", "a", "b"));
        assertEquals("[dc:l, a]", read(pop));
        RespTestClient move = blockOn("BLMOVE", "dc:l2", "dc:dst", "LEFT", "LEFT", "0");
        assertEquals(1, InfoFields.changesMadeBy(c, "RPUSH", "dc:l2", "x"));
        assertEquals("x", read(move));
        RespTestClient mpop = blockOn("BLMPOP", "0", "1", "dc:l3", "LEFT", "COUNT", "2");
        assertEquals(3 + 2, InfoFields.changesMadeBy(c, "RPUSH", "dc:l3", "1", "2", "3"));
        assertEquals("[dc:l3, [1, 2]]", read(mpop));
        RespTestClient zpop = blockOn("BZPOPMIN", "dc:z", "0");
        assertEquals(1 + 1, InfoFields.changesMadeBy(c, "ZADD", "dc:z", "1", "m"));
        assertEquals("[dc:z, m, 1]", read(zpop));
        c.call("DEL", "dc:l", "dc:dst", "dc:l3");
    }

    @Test
    void sortedSetReplyFormats() throws Exception {
        RespTestClient min = blockOn("BZPOPMIN", "zf", "0");
        RespTestClient max = blockOn("BZPOPMAX", "zf", "0");
        RespTestClient many = blockOn("BZMPOP", "0", "1", "zf", "MAX", "COUNT", "5");
        c.call("ZADD", "zf", "1", "a", "2", "b", "3", "c", "4", "d");
        assertEquals("*3\r\n$2\r\nzf\r\n$1\r\na\r\n$1\r\n1\r\n", raw(min.readRaw()));
        assertEquals("[zf, d, 4]", read(max));
        assertEquals("[zf, [[c, 3], [b, 2]]]", read(many));

        RespTestClient resp3 = client();
        resp3.call("HELLO", "3");
        resp3.send("BZPOPMIN", "zf3", "0");
        waitForBlocked(1);
        RespTestClient resp3m = client();
        resp3m.call("HELLO", "3");
        resp3m.send("BZMPOP", "0", "1", "zf3", "MIN");
        waitForBlocked(2);
        c.call("ZADD", "zf3", "1.5", "a", "2", "b");
        assertEquals("*3\r\n$3\r\nzf3\r\n$1\r\na\r\n,1.5\r\n", raw(resp3.readRaw()));
        assertEquals("*2\r\n$3\r\nzf3\r\n*1\r\n*2\r\n$1\r\nb\r\n,2\r\n", raw(resp3m.readRaw()));
    }

    @Test
    void blockedClientsAreCountedAndFlagged() throws Exception {
        RespTestClient o = client();
        long id = clientId(o);
        o.send("BRPOP", "count", "0");
        waitForBlocked(1);
        String line = c.call("CLIENT", "LIST", "ID", Long.toString(id));
        assertTrue(line.contains(" flags=b ") && line.contains(" cmd=brpop "), line);
        c.call("RPUSH", "count", "x");
        assertEquals("[count, x]", read(o));
        assertEquals(0, blockedClients());
        assertTrue(c.call("CLIENT", "LIST", "ID", Long.toString(id)).contains(" flags=N "));
    }

    @Test
    void zeroTimeoutWaitsUntilServed() throws Exception {
        RespTestClient o = blockOn("BLPOP", "forever", "0");
        Thread.sleep(300);
        assertEquals(1, blockedClients());
        c.call("RPUSH", "forever", "x");
        assertEquals("[forever, x]", read(o));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
