package io.respire.server.commands;

import io.respire.server.EmbeddedServerTest;
import io.respire.server.InfoFields;
import io.respire.server.RespTestClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH end to end, with several clients. Expected replies are
 * those of Redis 7.0.15 (multi.c, processCommand), checked against redis-server. Each test uses
 * its own keys; the server is shared.
 */
class TransactionCommandsTest extends EmbeddedServerTest {
    private static String raw(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    private void waitForBlocked(long n) throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        while (InfoFields.number(c, "blocked_clients") != n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("blocked_clients never reached " + n);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void execRunsTheQueueAndRepliesWithOneArray() throws Exception {
        c.call("RPUSH", "tx:list", "a", "b", "c");
        assertEquals("OK", c.call("MULTI"));
        assertEquals("QUEUED", c.call("LRANGE", "tx:list", "0", "-1"));
        assertEquals("QUEUED", c.call("PING"));
        assertEquals("QUEUED", c.call("INCR", "tx:list")); // fails only when run: stays in the array
        assertEquals("QUEUED", c.call("SET", "tx:s", "v"));
        assertEquals("[[a, b, c], PONG, (error) WRONGTYPE Operation against a key holding the wrong kind of value, OK]",
                c.call("EXEC"));
        assertEquals("v", c.call("GET", "tx:s"));
        assertEquals("*0\r\n", raw(callRaw("MULTI", "EXEC")));
    }

    private byte[] callRaw(String first, String second) throws Exception {
        c.call(first);
        return c.callRaw(second);
    }

    @Test
    void execAbortsWhenTheReplicaWentStaleAfterQueueing() throws Exception {
        c.call("SET", "tx:stale", "1");
        try (RespTestClient other = new RespTestClient(server.port())) {
            other.call("CONFIG", "SET", "replica-serve-stale-data", "no");
            try {
                // GET and PING lack the stale flag: EXEC refuses them once the link is down, though
                // they were queued while the server was a primary.
                for (String queued : new String[] {"GET", "PING"}) {
                    assertEquals("OK", c.call("MULTI"));
                    assertEquals("QUEUED", queued.equals("GET") ? c.call("GET", "tx:stale") : c.call("PING"));
                    assertEquals("OK", other.call("REPLICAOF", "127.0.0.1", "1"));
                    assertEquals("(error) EXECABORT Transaction discarded because of: MASTERDOWN Link with MASTER "
                            + "is down and replica-serve-stale-data is set to 'no'.", c.call("EXEC"));
                    assertEquals("(error) ERR EXEC without MULTI", c.call("EXEC")); // discarded
                    assertEquals("OK", other.call("REPLICAOF", "NO", "ONE"));
                }
                // MULTI itself is allowed on a stale replica; EXEC runs once it is a primary again.
                assertEquals("OK", other.call("REPLICAOF", "127.0.0.1", "1"));
                assertEquals("OK", c.call("MULTI"));
                assertEquals("OK", other.call("REPLICAOF", "NO", "ONE"));
                assertEquals("QUEUED", c.call("GET", "tx:stale"));
                assertEquals("[1]", c.call("EXEC"));
            } finally {
                other.call("REPLICAOF", "NO", "ONE");
                other.call("CONFIG", "SET", "replica-serve-stale-data", "yes");
            }
        }
    }

    @Test
    void stateErrors() throws Exception {
        assertEquals("(error) ERR EXEC without MULTI", c.call("EXEC"));
        assertEquals("(error) ERR DISCARD without MULTI", c.call("DISCARD"));
        assertEquals("OK", c.call("MULTI"));
        // Neither nested MULTI nor WATCH dooms the transaction: they run and fail.
        assertEquals("(error) ERR MULTI calls can not be nested", c.call("MULTI"));
        assertEquals("(error) ERR WATCH inside MULTI is not allowed", c.call("WATCH", "x"));
        assertEquals("QUEUED", c.call("SET", "tx:state", "1"));
        assertEquals("[OK]", c.call("EXEC"));
        // Redis reports EXEC's own arity error as an aborted transaction, even outside MULTI.
        assertEquals("(error) EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command",
                c.call("EXEC", "extra"));
    }

    @Test
    void queueingErrorsAbortExec() throws Exception {
        c.call("DEL", "tx:q1", "tx:q2");
        assertEquals("OK", c.call("MULTI"));
        assertEquals("QUEUED", c.call("SET", "tx:q1", "a"));
        assertEquals("(error) ERR unknown command 'NOSUCHCMD', with args beginning with: 'x' ",
                c.call("NOSUCHCMD", "x"));
        assertEquals("(error) ERR wrong number of arguments for 'get' command", c.call("GET"));
        assertEquals("QUEUED", c.call("SET", "tx:q2", "b"));
        assertEquals("(error) EXECABORT Transaction discarded because of previous errors.", c.call("EXEC"));
        assertEquals("(integer) 0", c.call("EXISTS", "tx:q1", "tx:q2"));
        assertEquals("PONG", c.call("PING")); // out of MULTI

        // A command refused inside transactions (NO_MULTI flag), and the abort it causes.
        assertEquals("OK", c.call("MULTI"));
        assertEquals("(error) ERR Command not allowed inside a transaction", c.call("SHUTDOWN"));
        assertEquals("(error) EXECABORT Transaction discarded because of previous errors.", c.call("EXEC"));
    }

    @Test
    void discardAndResetLeaveTheTransaction() throws Exception {
        c.call("SET", "tx:d", "1");
        assertEquals("OK", c.call("MULTI"));
        assertEquals("QUEUED", c.call("DEL", "tx:d"));
        assertEquals("OK", c.call("DISCARD"));
        assertEquals("1", c.call("GET", "tx:d"));
        assertEquals("OK", c.call("MULTI"));
        assertEquals("QUEUED", c.call("DEL", "tx:d"));
        assertEquals("RESET", c.call("RESET"));
        assertEquals("(error) ERR EXEC without MULTI", c.call("EXEC"));
        assertEquals("1", c.call("GET", "tx:d"));
    }

    @Test
    void clientListShowsTheQueue() throws Exception {
        String info = c.call("CLIENT", "INFO");
        assertTrue(info.contains(" flags=N ") && info.contains(" multi=-1 "), info);
        c.call("MULTI");
        c.call("PING");
        try (RespTestClient other = new RespTestClient(server.port())) {
            String list = other.call("CLIENT", "LIST");
            assertTrue(list.contains(" flags=x ") && list.contains(" multi=1 "), list);
        }
        c.call("DISCARD");
        assertTrue(c.call("CLIENT", "INFO").contains(" multi=-1 "));
    }

    @Test
    void watchedKeyModifiedByAnotherClientFailsExec() throws Exception {
        try (RespTestClient other = new RespTestClient(server.port())) {
            c.call("SET", "tx:w", "30");
            assertEquals("OK", c.call("WATCH", "tx:w", "tx:w-other"));
            other.call("SET", "tx:w", "40");
            c.call("MULTI");
            c.call("INCR", "tx:w");
            assertEquals("*-1\r\n", raw(c.callRaw("EXEC")));
            assertEquals("40", c.call("GET", "tx:w"));
            // The failed EXEC unwatched everything.
            c.call("MULTI");
            c.call("PING");
            other.call("SET", "tx:w", "50");
            assertEquals("[PONG]", c.call("EXEC"));
            // RESP3: a null.
            c.call("HELLO", "3");
            c.call("WATCH", "tx:w");
            other.call("DEL", "tx:w");
            c.call("MULTI");
            assertEquals("_\r\n", raw(c.callRaw("EXEC")));
        }
    }

    @Test
    void unwatchedOrUntouchedKeysLetExecRun() throws Exception {
        try (RespTestClient other = new RespTestClient(server.port())) {
            c.call("SET", "tx:u", "1");
            c.call("WATCH", "tx:u");
            other.call("SET", "tx:u-unrelated", "1");
            c.call("MULTI");
            c.call("INCR", "tx:u");
            assertEquals("[(integer) 2]", c.call("EXEC"));
            // UNWATCH forgets the keys and an earlier change.
            c.call("WATCH", "tx:u");
            other.call("SET", "tx:u", "5");
            assertEquals("OK", c.call("UNWATCH"));
            c.call("MULTI");
            c.call("INCR", "tx:u");
            assertEquals("[(integer) 6]", c.call("EXEC"));
            // DISCARD too.
            c.call("WATCH", "tx:u");
            other.call("SET", "tx:u", "10");
            c.call("MULTI");
            c.call("DISCARD");
            c.call("MULTI");
            c.call("INCR", "tx:u");
            assertEquals("[(integer) 11]", c.call("EXEC"));
            // A key is watched in the database it was watched in.
            c.call("SELECT", "5");
            c.call("WATCH", "tx:u");
            other.call("SET", "tx:u", "99"); // database 0
            c.call("MULTI");
            c.call("PING");
            assertEquals("[PONG]", c.call("EXEC"));
        }
    }

    @Test
    void optimisticLockingRaceHasOneWinner() throws Exception {
        try (RespTestClient a = new RespTestClient(server.port()); RespTestClient b = new RespTestClient(server.port())) {
            c.call("SET", "tx:race", "0");
            for (RespTestClient x : new RespTestClient[] {a, b}) {
                x.call("WATCH", "tx:race");
                assertEquals("0", x.call("GET", "tx:race"));
                x.call("MULTI");
                x.call("SET", "tx:race", "1");
            }
            // Both EXECs arrive together; whichever runs first wins, the other sees the change.
            a.send("EXEC");
            b.send("EXEC");
            String ra = raw(a.readRaw());
            String rb = raw(b.readRaw());
            assertTrue((ra.equals("*1\r\n+OK\r\n") && rb.equals("*-1\r\n"))
                    || (rb.equals("*1\r\n+OK\r\n") && ra.equals("*-1\r\n")), ra + " / " + rb);
        }
    }

    @Test
    void flushAndSwapTouchWatchedKeys() throws Exception {
        try (RespTestClient other = new RespTestClient(server.port())) {
            c.call("SELECT", "3");
            other.call("SELECT", "3");
            c.call("SET", "tx:f", "1");
            c.call("WATCH", "tx:f");
            other.call("FLUSHDB");
            c.call("MULTI");
            c.call("PING");
            assertEquals("(nil)", c.call("EXEC"));
            // A watched key that exists in neither database is untouched by FLUSHDB.
            c.call("WATCH", "tx:f");
            other.call("FLUSHDB");
            c.call("MULTI");
            c.call("PING");
            assertEquals("[PONG]", c.call("EXEC"));
            // SWAPDB bringing the key in.
            other.call("SELECT", "4");
            other.call("SET", "tx:f", "x");
            c.call("WATCH", "tx:f");
            other.call("SWAPDB", "3", "4");
            c.call("MULTI");
            c.call("PING");
            assertEquals("(nil)", c.call("EXEC"));
            other.call("FLUSHALL");
        }
    }

    @Test
    void expiryCountsAsAChangeButStaleKeysDoNot() throws Exception {
        try {
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            // Expired after WATCH, even though nothing deleted it yet: EXEC fails.
            c.call("SET", "tx:e", "1", "PX", "20");
            c.call("WATCH", "tx:e");
            Thread.sleep(40);
            c.call("MULTI");
            c.call("INCR", "tx:e");
            assertEquals("(nil)", c.call("EXEC"));
            // Already expired when watched: neither its expiry nor its lazy deletion is a change.
            c.call("SET", "tx:e", "1", "PX", "1");
            Thread.sleep(5);
            c.call("WATCH", "tx:e");
            assertEquals("(integer) 0", c.call("EXISTS", "tx:e"));
            c.call("MULTI");
            c.call("PING");
            assertEquals("[PONG]", c.call("EXEC"));
            // Nor is flushing it.
            c.call("SET", "tx:e", "1", "PX", "1");
            Thread.sleep(5);
            c.call("WATCH", "tx:e");
            c.call("FLUSHDB");
            c.call("MULTI");
            c.call("PING");
            assertEquals("[PONG]", c.call("EXEC"));
            // EXPIRE on a watched key is a change.
            c.call("SET", "tx:e", "1");
            c.call("WATCH", "tx:e");
            c.call("EXPIRE", "tx:e", "100");
            c.call("MULTI");
            c.call("PING");
            assertEquals("(nil)", c.call("EXEC"));
        } finally {
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
    }

    @Test
    void blockingCommandsInsideMultiDoNotBlock() throws Exception {
        c.call("DEL", "tx:empty", "tx:zempty");
        c.call("MULTI");
        c.call("BLPOP", "tx:empty", "0");
        c.call("BRPOP", "tx:empty", "0");
        c.call("BRPOPLPUSH", "tx:empty", "tx:dst", "0");
        c.call("BLMOVE", "tx:empty", "tx:dst", "LEFT", "LEFT", "0");
        c.call("BLMPOP", "0", "1", "tx:empty", "LEFT");
        c.call("BZPOPMIN", "tx:zempty", "0");
        c.call("BZMPOP", "0", "1", "tx:zempty", "MIN");
        c.call("BLPOP", "tx:empty", "-1");
        assertEquals("*8\r\n*-1\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n*-1\r\n*-1\r\n-ERR timeout is negative\r\n",
                raw(c.callRaw("EXEC")));
        assertEquals("0", InfoFields.get(c, "blocked_clients"));
        // With data they pop as usual.
        c.call("RPUSH", "tx:full", "foo", "bar");
        c.call("MULTI");
        c.call("BRPOPLPUSH", "tx:full", "tx:full-dst", "0");
        c.call("BRPOPLPUSH", "tx:full", "tx:full-dst", "0");
        c.call("BRPOPLPUSH", "tx:full", "tx:full-dst", "0");
        c.call("LRANGE", "tx:full-dst", "0", "-1");
        assertEquals("[bar, foo, (nil), [foo, bar]]", c.call("EXEC"));
    }

    @Test
    void pushesInsideExecServeWaitersOnlyAfterExec() throws Exception {
        try (RespTestClient waiter = new RespTestClient(server.port())) {
            c.call("DEL", "tx:iso");
            waiter.send("BLPOP", "tx:iso", "0");
            waitForBlocked(1);
            c.call("MULTI");
            c.call("LPUSH", "tx:iso", "a");
            c.call("LPUSH", "tx:iso", "b");
            c.call("LPUSH", "tx:iso", "c");
            c.call("EXEC");
            assertEquals("[tx:iso, c]", RespTestClient.render(waiter.readRaw()));
            assertEquals("[b, a]", c.call("LRANGE", "tx:iso", "0", "-1"));

            // A push undone in the same transaction wakes nobody.
            c.call("DEL", "tx:iso");
            waiter.send("BLPOP", "tx:iso", "0");
            waitForBlocked(1);
            c.call("MULTI");
            c.call("LPUSH", "tx:iso", "a");
            c.call("DEL", "tx:iso");
            c.call("SET", "tx:iso", "string");
            c.call("EXEC");
            c.call("DEL", "tx:iso");
            c.call("LPUSH", "tx:iso", "b");
            assertEquals("[tx:iso, b]", RespTestClient.render(waiter.readRaw()));
        }
    }

    @Test
    void pushServedToABlockedClientTouchesWatchers() throws Exception {
        try (RespTestClient blocked = new RespTestClient(server.port())) {
            c.call("DEL", "tx:src", "tx:dst");
            blocked.send("BRPOPLPUSH", "tx:src", "tx:dst", "0");
            waitForBlocked(1);
            try (RespTestClient watcher = new RespTestClient(server.port())) {
                watcher.call("WATCH", "tx:dst");
                watcher.call("MULTI");
                watcher.call("PING");
                c.call("LPUSH", "tx:src", "element");
                assertEquals("(nil)", watcher.call("EXEC"));
            }
            assertEquals("element", RespTestClient.render(blocked.readRaw()));
        }
    }

    @Test
    void pipelinedTransaction() throws Exception {
        c.sendRaw(concat(RespTestClient.encode("MULTI"), RespTestClient.encode("INCR", "tx:p"),
                RespTestClient.encode("INCR", "tx:p"), RespTestClient.encode("EXEC")));
        assertEquals("OK", RespTestClient.render(c.readRaw()));
        assertEquals("QUEUED", RespTestClient.render(c.readRaw()));
        assertEquals("QUEUED", RespTestClient.render(c.readRaw()));
        assertEquals("[(integer) 1, (integer) 2]", RespTestClient.render(c.readRaw()));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
