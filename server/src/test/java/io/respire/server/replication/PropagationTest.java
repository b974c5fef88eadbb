package io.respire.server.replication;

import io.respire.server.BlockingClientsTest;
import io.respire.server.RespTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream of effects as a consumer attached to {@link Propagation} receives it, for a corpus of
 * commands whose Redis 7.0.15 streams were read from a real redis-server through SYNC (the same
 * corpus is compared live in conformance-tests' PropagationDifferentialTest): rewrites, no-op
 * writes left out, MULTI/EXEC and scripts wrapped, blocked clients served later, lazy expiry.
 */
class PropagationTest extends BlockingClientsTest {
    /** Records every effect as one line of space-separated arguments, with its SELECTs. */
    static final class Recorder implements EffectsListener {
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        private final DbSelector selector = new DbSelector();

        @Override
        public int targets() {
            return Propagation.ALL;
        }

        @Override
        public void propagate(int db, byte[][] argv) {
            byte[][] select = selector.selectFor(db);
            if (select != null) {
                lines.add(line(select));
            }
            lines.add(line(argv));
        }

        private static String line(byte[][] argv) {
            List<String> words = new ArrayList<>();
            for (byte[] a : argv) {
                words.add(new String(a, StandardCharsets.ISO_8859_1));
            }
            return String.join(" ", words);
        }
    }

    private final Recorder recorder = new Recorder();

    @BeforeEach
    void attach() throws Exception {
        onExecutor(() -> server.context().propagation().attach(recorder));
    }

    @AfterEach
    void detach() throws Exception {
        onExecutor(() -> server.context().propagation().detach(recorder));
        call("CONFIG SET lazyfree-lazy-expire no");
        call("CONFIG SET lazyfree-lazy-user-del no");
        call("DEBUG SET-ACTIVE-EXPIRE 1");
    }

    private static void onExecutor(Runnable task) throws Exception {
        server.context().executor().submit(task).get();
    }

    /** The effects recorded since the last call. */
    private List<String> effects() {
        List<String> out = new ArrayList<>();
        String line;
        while ((line = recorder.lines.poll()) != null) {
            out.add(line);
        }
        return out;
    }

    private void assertEffects(String... expected) {
        assertEquals(List.of(expected), effects());
    }

    /** The PXAT or PEXPIREAT time at the end of {@code line}, checked against now plus {@code ttlMs}. */
    private static void assertAbsoluteTime(String line, String prefix, long ttlMs) {
        assertTrue(line.startsWith(prefix), line);
        long at = Long.parseLong(line.substring(prefix.length()));
        long expected = System.currentTimeMillis() + ttlMs;
        assertTrue(Math.abs(at - expected) < 5000, line + " vs " + expected);
    }

    @Test
    void writesArePropagatedAndNoOpWritesAreNot() throws Exception {
        call("SET k v");
        call("DEL missing");
        call("SET k v2 NX");
        call("GET k");
        call("lpush l a b c");
        assertEffects("SELECT 0", "SET k v", "lpush l a b c");
    }

    /** PUBLISH changes nothing but is forced to replicas (Redis's forceCommandPropagation(c, PROPAGATE_REPL)). */
    @Test
    void publishIsForcedToReplicas() throws Exception {
        call("PUBLISH ch hello");
        call("SPUBLISH sh hi");
        assertEffects("SELECT 0", "PUBLISH ch hello", "SPUBLISH sh hi");
    }

    @Test
    void relativeExpiriesBecomeAbsolute() throws Exception {
        call("SET k v EX 100");
        List<String> e = effects();
        assertEquals("SELECT 0", e.get(0));
        assertAbsoluteTime(e.get(1), "SET k v PXAT ", 100_000);
        call("SETEX q 100 v");
        assertAbsoluteTime(effects().get(0), "SET q v PXAT ", 100_000);
        call("EXPIRE k 50");
        assertAbsoluteTime(effects().get(0), "PEXPIREAT k ", 50_000);
        call("pexpireat k 99999999999999 GT");
        call("PEXPIRE k 100 NX"); // refused by NX: no effect
        assertEffects("pexpireat k 99999999999999 GT");
        call("GETEX k EX 100");
        assertAbsoluteTime(effects().get(0), "PEXPIREAT k ", 100_000);
        call("GETEX k PERSIST");
        call("GETEX k PERSIST"); // nothing left to persist
        call("EXPIRE k -1");
        assertEffects("PERSIST k", "DEL k");
        call("CONFIG SET lazyfree-lazy-expire yes");
        call("SET k v");
        call("GETEX k PXAT 1");
        assertEffects("SET k v", "UNLINK k");
    }

    @Test
    void valuesComputedHereArePropagatedAsResults() throws Exception {
        call("SET n 1");
        call("INCRBYFLOAT n 1.5");
        call("HINCRBYFLOAT h f 2.5");
        call("GETSET n 7");
        call("SET n 8 GET");
        call("GETDEL n");
        call("CONFIG SET lazyfree-lazy-user-del yes");
        call("SET n 1");
        call("GETDEL n");
        assertEffects("SELECT 0", "SET n 1", "SET n 2.5 KEEPTTL", "HSET h f 2.5", "SET n 7", "SET n 8", "DEL n",
                "SET n 1", "UNLINK n");
    }

    /** GEOADD as the ZADD Redis runs for it: lower-case "zadd", options kept, 52-bit integer scores (AofEffectsDifferentialTest). */
    @Test
    void geoaddIsPropagatedAsTheZaddItRuns() throws Exception {
        call("GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania");
        call("GEOADD g NX 13.361389 38.115556 Palermo"); // nothing added: nothing propagated
        call("GEOADD g XX CH 13.4 38.1 Palermo");
        assertEffects("SELECT 0", "zadd g 3479099956230698 Palermo 3479447370796909 Catania",
                "zadd g XX CH 3479099937378871 Palermo");
    }

    /** RESTORE-ASKING outside a cluster is RESTORE, propagated under its own name (AofEffectsDifferentialTest). */
    @Test
    void restoreAskingIsRestore() throws Exception {
        call("SET s v");
        byte[] dump = c.callRaw("DUMP", "s"); // $<length>\r\n<payload>\r\n
        int start = new String(dump, StandardCharsets.ISO_8859_1).indexOf("\r\n") + 2;
        byte[] payload = java.util.Arrays.copyOfRange(dump, start, dump.length - 2);
        assertEquals("OK", c.call("RESTORE-ASKING", "r", "0", payload));
        assertEquals("v", call("GET r"));
        List<String> e = effects();
        assertEquals(List.of("SELECT 0", "SET s v"), e.subList(0, 2));
        assertTrue(e.get(2).startsWith("RESTORE-ASKING r 0 "), e.get(2));
    }

    @Test
    void spopPropagatesTheMembersItDrew() throws Exception {
        call("SADD s a b c d e f g h i j");
        String one = call("SPOP s");
        String two = call("SPOP s 2");
        call("SPOP s 100");
        List<String> e = effects();
        assertEquals("SREM s " + one, e.get(2));
        assertEquals("MULTI", e.get(3));
        assertTrue(e.get(4).startsWith("SREM s ") && e.get(5).startsWith("SREM s "), e.toString());
        assertEquals(two, "[" + e.get(4).substring(7) + ", " + e.get(5).substring(7) + "]");
        assertEquals(List.of("EXEC", "DEL s"), e.subList(6, 8));
    }

    @Test
    void transactionsAndScriptsAreWrappedInMultiExec() throws Exception {
        call("MULTI");
        call("SET a 1");
        call("EXEC"); // one effect: no wrapping
        c.call("MULTI");
        c.call("SET", "a", "1");
        c.call("SELECT", "2");
        c.call("INCR", "a");
        c.call("GET", "a");
        c.call("EXEC");
        c.call("SELECT", "0");
        c.call("EVAL", "redis.call('set','x','1'); redis.call('incr','x')", "0");
        c.call("EVAL", "return redis.call('get','x')", "0"); // no writes: nothing at all
        c.call("EVAL", "redis.set_repl(redis.REPL_NONE); redis.call('set','y','1'); "
                + "redis.set_repl(redis.REPL_ALL); redis.call('incr','y')", "0");
        assertEffects("SELECT 0", "SET a 1", "MULTI", "SET a 1", "SELECT 2", "INCR a", "EXEC",
                "SELECT 0", "MULTI", "set x 1", "incr x", "EXEC", "incr y");
    }

    /**
     * The effects of a transaction are emitted at EXEC, holding the arrays they were given: a later
     * write in the transaction that changes a stored string in place (a SET of the same length,
     * SETRANGE within INCRBYFLOAT's result) must not reach them.
     */
    @Test
    void writesInPlaceLeaveTheEffectsBeforeThemAlone() throws Exception {
        c.call("MULTI");
        c.call("SET", "k", "aaa");
        c.call("SET", "k", "bbb");
        c.call("INCR", "n");
        c.call("SET", "n", "7");
        c.call("INCRBYFLOAT", "f", "1.5");
        c.call("SETRANGE", "f", "0", "9");
        c.call("EXEC");
        assertEffects("SELECT 0", "MULTI", "SET k aaa", "SET k bbb", "INCR n", "SET n 7", "SET f 1.5 KEEPTTL",
                "SETRANGE f 0 9", "EXEC");
        assertEquals("9.5", call("GET f"));
        assertEquals("7", call("GET n"));
        assertEquals("(integer) 1", call("INCR m"), "the shared text of 1 was not changed by SET n 7");
        assertEquals("1", call("GET m"));
    }

    @Test
    void functionsArePropagatedAsThemselvesAndScriptLoadIsNot() throws Exception {
        String library = "#!lua name=propagated\nredis.register_function('f', function(keys) return redis.call('set', keys[1], 'v') end)";
        c.call("FUNCTION", "LOAD", library);
        c.call("FCALL", "f", "1", "fk");
        c.call("SCRIPT", "LOAD", "return 1");
        c.call("FUNCTION", "DELETE", "propagated");
        assertEffects("SELECT 0", "FUNCTION LOAD " + library, "set fk v", "FUNCTION DELETE propagated");
    }

    @Test
    void popsAndMovesPropagateTheirNonBlockingForms() throws Exception {
        call("RPUSH l5 a");
        call("BLPOP l5 0");
        call("RPUSH src x y");
        call("BLMOVE src dst LEFT LEFT 0");
        call("BRPOPLPUSH src dst 0");
        call("RPUSH l a b c");
        call("LMPOP 1 l LEFT COUNT 10");
        call("ZADD z 1 a 2 b 3 c");
        call("ZMPOP 1 z MIN COUNT 2");
        call("BZPOPMAX z 0");
        assertEffects("SELECT 0", "RPUSH l5 a", "LPOP l5", "RPUSH src x y", "LMOVE src dst LEFT LEFT",
                "RPOPLPUSH src dst", "RPUSH l a b c", "LPOP l 3", "ZADD z 1 a 2 b 3 c", "ZPOPMIN z 2", "ZPOPMAX z");
    }

    @Test
    void blockedClientsServedLaterFollowTheWriteThatServedThem() throws Exception {
        RespTestClient b = blockOn("BLPOP", "l1", "l2", "0");
        call("RPUSH l2 a b");
        assertEquals("[l2, a]", read(b));
        b = blockOn("BLMOVE", "src", "dst", "LEFT", "RIGHT", "0");
        call("RPUSH src q");
        assertEquals("q", read(b));
        b = blockOn("BLMPOP", "0", "2", "l3", "l4", "RIGHT", "COUNT", "5");
        call("RPUSH l4 1 2 3");
        read(b);
        b = blockOn("BZMPOP", "0", "1", "z2", "MAX", "COUNT", "10");
        call("ZADD z2 1 a 2 b");
        read(b);
        b = blockOn("BLPOP", "l6", "0");
        call("MULTI");
        call("RPUSH l6 a");
        call("RPUSH l6 b");
        call("EXEC");
        read(b);
        assertEffects("SELECT 0", "RPUSH l2 a b", "LPOP l2", "RPUSH src q", "LMOVE src dst left right",
                "RPUSH l4 1 2 3", "RPOP l4 3", "ZADD z2 1 a 2 b", "ZPOPMAX z2 2",
                "MULTI", "RPUSH l6 a", "RPUSH l6 b", "EXEC", "LPOP l6");
    }

    @Test
    void lazyExpiryPropagatesADeletionBeforeTheCommandThatFoundIt() throws Exception {
        call("DEBUG SET-ACTIVE-EXPIRE 0");
        call("SET k v PX 1");
        call("SET j v PX 1");
        Thread.sleep(20);
        effects();
        call("SET k v2");
        call("GET j");
        assertEffects("MULTI", "DEL k", "SET k v2", "EXEC", "DEL j");
        call("CONFIG SET lazyfree-lazy-expire yes");
        call("SET e v PX 1");
        Thread.sleep(20);
        effects();
        call("EXISTS e");
        assertEffects("UNLINK e");
    }

    @Test
    void commandsThatTouchArbitraryKeysPropagateTheirExpiriesUnwrapped() throws Exception {
        call("DEBUG SET-ACTIVE-EXPIRE 0");
        call("SET a v PX 1");
        call("SET b v PX 1");
        Thread.sleep(20);
        effects();
        call("SCAN 0");
        List<String> e = effects();
        assertEquals(2, e.size(), e.toString()); // no MULTI/EXEC around them (Redis's CMD_TOUCHES_ARBITRARY_KEYS)
        assertTrue(e.containsAll(List.of("DEL a", "DEL b")), e.toString());
    }

    @Test
    void activeExpiryPropagatesEachDeletionAlone() throws Exception {
        call("SET a v PX 1");
        call("SET b v PX 1");
        effects();
        long deadline = System.currentTimeMillis() + 5000;
        while (recorder.lines.size() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        List<String> e = effects();
        assertEquals(2, e.size(), e.toString());
        assertTrue(e.containsAll(List.of("DEL a", "DEL b")), e.toString());
    }

    @Test
    void streamsPropagateGeneratedIdsExactTrimsAndClaims() throws Exception {
        call("XADD st 1-1 f v");
        call("XADD st 1-* f v");
        call("XADD st MAXLEN ~ 1 6-1 f v");
        call("XTRIM st MINID ~ 0"); // nothing trimmed: nothing propagated
        call("XGROUP CREATE st g 0");
        call("XREADGROUP GROUP g alice COUNT 1 STREAMS st >");
        call("XREADGROUP GROUP g bob NOACK STREAMS st >");
        call("XCLAIM st g carol 0 1-1 JUSTID");
        call("XCLAIM st g erin 0 99-1 LASTID 100-0");
        List<String> e = new ArrayList<>();
        for (String line : effects()) {
            e.add(line.replaceAll(" TIME [0-9]+ ", " TIME t "));
        }
        assertEquals(List.of("SELECT 0", "XADD st 1-1 f v", "XADD st 1-2 f v", "XADD st MAXLEN = 3 6-1 f v",
                "XGROUP CREATE st g 0",
                "XCLAIM st g alice 0 1-1 TIME t RETRYCOUNT 1 FORCE JUSTID LASTID 1-1",
                "MULTI", "XGROUP CREATECONSUMER st g bob", "XGROUP SETID st g 6-1 ENTRIESREAD 3", "EXEC",
                "XCLAIM st g carol 0 1-1 TIME t RETRYCOUNT 1 FORCE JUSTID LASTID 6-1",
                "XGROUP SETID st g 100-0 ENTRIESREAD 3"), e);
    }

    @Test
    void flushesArePropagatedEvenWhenEmpty() throws Exception {
        call("FLUSHALL");
        call("FLUSHDB");
        assertEffects("SELECT 0", "FLUSHALL", "FLUSHDB");
    }
}
