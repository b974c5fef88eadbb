package io.respire.server.commands;

import io.respire.server.EmbeddedServerTest;
import io.respire.server.InfoFields;
import io.respire.server.RespTestClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EVAL, EVALSHA and SCRIPT end to end: what the server adds around the engine (caching, the
 * script's client and database, MULTI, blocked clients, statistics, time, long scripts). Expected
 * replies are Redis 7.0.15's, checked against redis-server.
 */
class ScriptingCommandsTest extends EmbeddedServerTest {
    private static final String INCR = "return redis.call('incr',KEYS[1])";
    private static final String INCR_SHA = "6f5ade10a69975e903c6d07b10ea44c6382381a5";

    private static String raw(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    @Test
    void evalCachesTheScriptForEvalsha() throws Exception {
        assertEquals("(integer) 1", c.call("EVAL", INCR, "1", "s:x"));
        assertEquals("(integer) 2", c.call("EVALSHA", INCR_SHA, "1", "s:x"));
        assertEquals("(integer) 3", c.call("EVALSHA", INCR_SHA.toUpperCase(), "1", "s:x"));
        assertEquals("[(integer) 1, (integer) 0]", c.call("SCRIPT", "EXISTS", INCR_SHA, "ffffffffffffffffffffffffffffffffffffffff"));
        assertEquals("OK", c.call("SCRIPT", "FLUSH"));
        assertEquals("(error) NOSCRIPT No matching script. Please use EVAL.", c.call("EVALSHA", INCR_SHA, "1", "s:x"));
        assertEquals("(error) NOSCRIPT No matching script. Please use EVAL.", c.call("EVALSHA", "short", "0"));
        assertEquals(INCR_SHA, c.call("SCRIPT", "LOAD", INCR));
        assertEquals("(integer) 4", c.call("EVALSHA", INCR_SHA, "1", "s:x"));
    }

    @Test
    void numkeysIsChecked() throws Exception {
        assertEquals("(error) ERR Number of keys can't be greater than number of args", c.call("EVAL", "return 1", "2", "a"));
        assertEquals("(error) ERR Number of keys can't be negative", c.call("EVAL", "return 1", "-1"));
        assertEquals("(error) ERR value is not an integer or out of range", c.call("EVAL", "return 1", "x"));
    }

    @Test
    void scriptsRunInTheCallersDatabaseWithoutChangingIt() throws Exception {
        c.call("SELECT", "3");
        c.call("SET", "s:db", "three");
        assertEquals("three", c.call("EVAL", "return redis.call('get', KEYS[1])", "1", "s:db"));
        assertEquals("OK", c.call("EVAL", "return redis.pcall('select', '4')", "0"));
        assertEquals("three", c.call("GET", "s:db"));
        c.call("SELECT", "0");
    }

    @Test
    void blockingCommandsAnswerAtOnce() throws Exception {
        assertEquals("(error) ERR This Redis command is not allowed from script",
                c.call("EVAL", "return redis.pcall('blpop', 's:empty', 0)", "0"));
        // LPOP of an empty list inside a script: nil, not a wait.
        assertEquals("(nil)", c.call("EVAL", "return redis.call('lpop', 's:empty')", "0"));
    }

    @Test
    void blockedClientsAreServedAfterTheWholeScript() throws Exception {
        try (RespTestClient waiter = new RespTestClient(server.port())) {
            waiter.send("BRPOP", "s:q", "0");
            long deadline = System.currentTimeMillis() + 5000;
            while (InfoFields.number(c, "blocked_clients") != 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            c.call("EVAL", "redis.call('lpush', KEYS[1], '1') redis.call('lpush', KEYS[1], '2')", "1", "s:q");
            // Served once the script ended, with the list as the script left it.
            assertEquals("[s:q, 1]", RespTestClient.render(waiter.readRaw()));
        }
    }

    @Test
    void evalInsideMulti() throws Exception {
        assertEquals("OK", c.call("MULTI"));
        assertEquals("QUEUED", c.call("EVAL", INCR, "1", "s:m"));
        assertEquals("QUEUED", c.call("EVAL", INCR, "1", "s:m"));
        assertEquals("[(integer) 1, (integer) 2]", c.call("EXEC"));
    }

    @Test
    void pipelinedScriptsAnswerInOrder() throws Exception {
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            c.send("EVAL", INCR, "1", "s:p");
            c.send("PING");
            expected.append(":").append(i).append("\r\n+PONG\r\n");
        }
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            got.append(raw(c.readRaw()));
        }
        assertEquals(expected.toString(), got.toString());
    }

    @Test
    void commandsCalledFromScriptsAreCounted() throws Exception {
        c.call("CONFIG", "RESETSTAT");
        c.call("EVAL", "redis.call('set', 's:c', 1) return redis.pcall('incrbyfloat', 's:c', 'x')", "0");
        String stats = c.call("INFO", "commandstats");
        assertTrue(stats.contains("cmdstat_set:calls=1,"), stats);
        assertTrue(stats.contains("cmdstat_incrbyfloat:calls=1,usec="), stats);
        assertTrue(stats.contains("cmdstat_eval:calls=1,"), stats);
        // The error a script returns was counted where it arose: once.
        assertEquals(1, InfoFields.number(c, "total_error_replies"));
        assertTrue(c.call("INFO", "commandstats").contains("cmdstat_eval:calls=1,usec="));
    }

    @Test
    void timeStandsStillDuringAScript() throws Exception {
        c.call("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1"); // DEBUG is noscript; Redis's own test does this
        assertEquals("(integer) 1", c.call("EVAL",
                "redis.call('set', 's:t', 'v', 'PX', '1') redis.call('debug', 'sleep', '0.01') return redis.call('exists', 's:t')",
                "0"));
        c.call("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "0");
        Thread.sleep(5);
        assertEquals("(integer) 0", c.call("EXISTS", "s:t"));
    }

    @Test
    void longScriptsLetOthersInWithBusyAndCanBeKilled() throws Exception {
        c.call("CONFIG", "SET", "busy-reply-threshold", "50");
        try (RespTestClient runner = new RespTestClient(server.port())) {
            runner.send("EVAL", "while true do end", "0");
            String reply = "";
            long deadline = System.currentTimeMillis() + 5000;
            while (!reply.startsWith("(error) BUSY") && System.currentTimeMillis() < deadline) {
                reply = c.call("PING");
            }
            assertEquals("(error) BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.", reply);
            assertEquals("OK", c.call("SCRIPT", "KILL"));
            assertTrue(RespTestClient.render(runner.readRaw()).startsWith("(error) ERR Script killed by user with SCRIPT KILL..."));
            assertEquals("PONG", c.call("PING"));
        } finally {
            c.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    /**
     * A reply made in the same turn as a long script starts leaves once the script serves the
     * sockets: replies are written at the end of the turn, which the script holds up, so the
     * pump writes them first (Redis's processEventsWhileBlocked runs beforeSleep). Redis's Tcl
     * test "Timedout read-only scripts can be killed by SCRIPT KILL even when use pcall" hung on it.
     */
    @Test
    void aReplyOfTheTurnALongScriptStartsInLeavesWhileItRuns() throws Exception {
        c.call("CONFIG", "SET", "busy-reply-threshold", "50");
        try (RespTestClient runner = new RespTestClient(server.port());
             RespTestClient other = new RespTestClient(server.port())) {
            runner.send("EVAL", "while true do end", "0");
            other.send("PING");
            String reply = RespTestClient.render(other.readRaw());
            assertTrue(reply.equals("PONG") || reply.startsWith("(error) BUSY"), reply);
            assertEquals("OK", c.call("SCRIPT", "KILL"));
            assertTrue(RespTestClient.render(runner.readRaw()).startsWith("(error) ERR Script killed by user"));
        } finally {
            c.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    @Test
    void aScriptThatWroteCannotBeKilled() throws Exception {
        c.call("CONFIG", "SET", "busy-reply-threshold", "50");
        try (RespTestClient runner = new RespTestClient(server.port())) {
            runner.send("EVAL", "redis.call('set', 's:w', 1) local i = 0 while i < 3e7 do i = i + 1 end return i", "0");
            String reply = "";
            long deadline = System.currentTimeMillis() + 5000;
            while (!reply.startsWith("(error) BUSY") && System.currentTimeMillis() < deadline) {
                reply = c.call("PING");
            }
            assertTrue(c.call("SCRIPT", "KILL").startsWith("(error) UNKILLABLE Sorry the script already executed write commands"));
            assertEquals("(integer) 30000000", RespTestClient.render(runner.readRaw()));
        } finally {
            c.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    @Test
    void scriptKillWithoutAScript() throws Exception {
        assertEquals("(error) NOTBUSY No scripts in execution right now.", c.call("SCRIPT", "KILL"));
    }

    @Test
    void scriptFlushOptions() throws Exception {
        assertEquals("OK", c.call("SCRIPT", "FLUSH", "ASYNC"));
        assertEquals("OK", c.call("SCRIPT", "FLUSH", "sync"));
        assertEquals("(error) ERR SCRIPT FLUSH only support SYNC|ASYNC option", c.call("SCRIPT", "FLUSH", "now"));
        c.call("SCRIPT", "LOAD", "return 1");
        assertEquals(1, InfoFields.number(c, "number_of_cached_scripts"));
    }

    @Test
    void readOnlyScripts() throws Exception {
        String body = "redis.call('del', KEYS[1])";
        assertEquals("(error) ERR Write commands are not allowed from read-only scripts. script: " + sha(body)
                + ", on @user_script:1.", c.call("EVAL_RO", body, "1", "s:ro"));
        assertEquals("(error) ERR Can not execute a script with write flag using *_ro command.",
                c.call("EVAL_RO", "#!lua\nreturn 1", "0"));
        assertEquals("(integer) 1", c.call("EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0"));
    }

    private static String sha(String body) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (byte b : digest) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    /**
     * The Tcl suite's "not enough good replicas state change during long script": a replica that
     * leaves while a script runs long stops counting at once (the server forgets a closed
     * connection while the script serves the sockets), and the script, having written already,
     * may write again although min-replicas-to-write is no longer met.
     */
    @Test
    void aReplicaLeavingDuringALongScriptIsSeenByIt() throws Exception {
        c.call("CONFIG", "SET", "repl-diskless-sync-delay", "0");
        RespTestClient replica = new RespTestClient(server.port());
        replica.send("PSYNC", "?", "-1");
        assertTrue(replica.readLine().startsWith("+FULLRESYNC"));
        String header = replica.readLine();
        while (header.isEmpty()) {
            header = replica.readLine();
        }
        replica.readBytes(Integer.parseInt(header.substring(1)));
        replica.send("REPLCONF", "ACK", "0");
        c.call("CONFIG", "SET", "min-replicas-to-write", "1");
        c.call("CONFIG", "SET", "busy-reply-threshold", "10");
        long deadline = System.currentTimeMillis() + 5000;
        while (!"OK".equals(c.call("SET", "s:good", "1")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(5); // the replica's ACK makes it a good one
        }
        try (RespTestClient scripted = new RespTestClient(server.port())) {
            scripted.send("EVAL", "redis.call('set', KEYS[1], 'script value') "
                    + "for i = 1, 2000000 do "
                    + "  local info = redis.call('info', 'replication') "
                    + "  if string.match(info, 'connected_slaves:0') then redis.call('set', KEYS[1], info) return 1 end "
                    + "end return 0", "1", "s:x");
            while (!c.call("PING").startsWith("(error) BUSY") && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            replica.close();
            assertEquals("(integer) 1", RespTestClient.render(scripted.readRaw()));
        } finally {
            c.call("CONFIG", "SET", "min-replicas-to-write", "0");
            c.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
        assertTrue(c.call("GET", "s:x").contains("connected_slaves:0"));
    }

    /** scriptPrepareForRun on a stale replica: a script without a shebang never runs, one with allow-stale does. */
    @Test
    void aStaleReplicaRunsOnlyScriptsThatAllowIt() throws Exception {
        c.call("CONFIG", "SET", "replica-serve-stale-data", "no");
        c.call("REPLICAOF", "127.0.0.1", "1"); // nothing listens there: the link stays down
        try {
            assertEquals("(error) MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
                    c.call("EVAL", "return 1", "0"));
            assertEquals("(integer) 1", c.call("EVAL", "#!lua flags=allow-stale,no-writes\nreturn 1", "0"));
        } finally {
            c.call("REPLICAOF", "NO", "ONE");
            c.call("CONFIG", "SET", "replica-serve-stale-data", "yes");
        }
    }
}
