package io.respire.conformance;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The stream of propagated effects, as a replica receives it after SYNC, from real Redis and from
 * Respire for the same commands: identical command by command, except absolute times (PXAT,
 * PEXPIREAT, XCLAIM's TIME, IDs XADD generated), which may differ by a few seconds, and the
 * members SPOP drew at random, which are compared by their effect (each server propagates exactly
 * the members it replied with). The replies are compared too, as in every differential test.
 */
class PropagationDifferentialTest {
    private static final String MARKER = "propagation:marker";

    /** Both replication links of a test. */
    private static final class Streams implements AutoCloseable {
        private final Dual dual;
        private final ReplicationLink redis;
        private final ReplicationLink respire;
        private int markers;

        Streams(Dual dual) {
            this.dual = dual;
            dual.both("CONFIG", "SET", "repl-ping-replica-period", "3600");
            this.redis = new ReplicationLink("redis", dual.redisPort());
            this.respire = new ReplicationLink("respire", dual.respirePort());
        }

        /** The effects since the last call, {redis, respire}, as lines of arguments. */
        List<List<String>>[] read() {
            String marker = MARKER + ++markers;
            Dual other = dual.another();
            other.check("SET", MARKER, marker);
            @SuppressWarnings("unchecked")
            List<List<String>>[] both = new List[] {redis.readUntil(marker), respire.readUntil(marker)};
            return both;
        }

        /** The effects since the last call must be the same, absolute times within the tolerance. */
        void assertSame() {
            List<List<String>>[] both = read();
            assertSameStreams(both[0], both[1]);
        }

        @Override
        public void close() {
            redis.close();
            respire.close();
        }
    }

    static void assertSameStreams(List<List<String>> redis, List<List<String>> respire) {
        EffectStreams.assertSame("the replication stream", redis, respire);
    }

    @Differential
    void stringsAndExpiries(Dual d) {
        try (Streams s = new Streams(d)) {
            d.check("SET", "k", "v");
            d.check("SET", "k", "v2", "NX"); // nothing done: nothing propagated
            d.check("DEL", "missing");
            d.check("SET", "k", "v", "EX", "100");
            d.check("SET", "k", "v", "PX", "100000", "GET");
            d.check("SET", "k", "v", "get");
            d.check("SETEX", "q", "100", "v");
            d.check("PSETEX", "q", "100000", "v");
            d.check("SET", "k", "v", "EXAT", "99999999999");
            d.check("EXPIRE", "k", "100");
            d.check("PEXPIRE", "k", "200000", "GT");
            d.check("EXPIREAT", "k", "99999999999", "XX");
            d.check("pexpireat", "k", "99999999999999");
            d.check("EXPIRE", "k", "100", "NX");
            d.check("GETEX", "k", "EX", "100");
            d.check("GETEX", "k", "PERSIST");
            d.check("GETEX", "k", "PERSIST");
            d.check("GETEX", "k", "PXAT", "1");
            d.check("SET", "n", "1");
            d.check("INCRBYFLOAT", "n", "1.5");
            d.check("INCR", "n2");
            d.check("GETSET", "n", "7");
            d.check("GETDEL", "n");
            d.check("APPEND", "a", "xy");
            d.check("SETRANGE", "a", "5", "z");
            d.check("MSET", "m1", "1", "m2", "2");
            d.check("MSETNX", "m1", "1", "m3", "3");
            d.check("EXPIRE", "m1", "-1");
            d.check("PERSIST", "m2");
            byte[] payload = d.check("DUMP", "m2").data;
            d.check("RESTORE", "r1", "100000", payload); // a relative TTL goes as absolute, with ABSTTL
            d.check("RESTORE", "r2", "99999999999999", payload, "ABSTTL");
            d.check("RESTORE", "r1", "1", payload, "REPLACE", "ABSTTL"); // already expired: a DEL
            s.assertSame();
            d.check("CONFIG", "SET", "lazyfree-lazy-expire", "yes");
            d.check("CONFIG", "SET", "lazyfree-lazy-user-del", "yes");
            try {
                d.check("SET", "k", "v");
                d.check("EXPIRE", "k", "0");
                d.check("SET", "k", "v");
                d.check("GETDEL", "k");
                d.check("SET", "k", "v");
                d.check("GETEX", "k", "EXAT", "1");
                d.check("SET", "k", "v");
                d.check("UNLINK", "k");
                s.assertSame();
            } finally {
                d.both("CONFIG", "SET", "lazyfree-lazy-expire", "no");
                d.both("CONFIG", "SET", "lazyfree-lazy-user-del", "no");
            }
        }
    }

    @Differential
    void lazyExpiryComesBeforeTheCommandThatFoundIt(Dual d) throws Exception {
        try (Streams s = new Streams(d)) {
            d.check("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            try {
                d.check("SET", "k", "v", "PX", "1");
                d.check("SET", "j", "v", "PX", "1");
                d.check("RPUSH", "l", "a");
                d.check("PEXPIRE", "l", "1");
                TimeUnit.MILLISECONDS.sleep(20);
                d.check("SET", "k", "v2");
                d.check("GET", "j");
                d.check("RPUSH", "l", "b");
                s.assertSame();
            } finally {
                d.both("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
    }

    @Differential
    void collectionsAndTheirRewrites(Dual d) {
        try (Streams s = new Streams(d)) {
            d.check("DEBUG", "POPULATE", "3"); // signals keys without counting a change: not propagated
            d.check("RPUSH", "l", "a", "b", "c", "d");
            d.check("LPOP", "l");
            d.check("RPOP", "l", "2");
            d.check("LMPOP", "1", "l", "LEFT", "COUNT", "10");
            d.check("LMPOP", "1", "l", "LEFT");
            d.check("RPUSH", "src", "x", "y", "z");
            d.check("BLPOP", "src", "0");
            d.check("BLMOVE", "src", "dst", "RIGHT", "left", "0");
            d.check("BRPOPLPUSH", "src", "dst", "0");
            d.check("BLMPOP", "0", "1", "dst", "RIGHT", "COUNT", "5");
            d.check("LMOVE", "nothing", "dst", "LEFT", "LEFT");
            d.check("HSET", "h", "f", "1");
            d.check("HINCRBYFLOAT", "h", "f", "2.5");
            d.check("HINCRBY", "h", "g", "3");
            d.check("HDEL", "h", "nothing");
            d.check("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
            d.check("ZINCRBY", "z", "1.5", "a");
            d.check("ZMPOP", "1", "z", "MIN", "COUNT", "2");
            d.check("BZPOPMAX", "z", "0");
            d.check("BZMPOP", "0", "1", "z", "MAX", "COUNT", "9");
            d.check("ZPOPMIN", "z");
            d.check("SADD", "t", "a", "b");
            d.check("SMOVE", "t", "u", "a");
            d.check("SINTERSTORE", "v", "t", "u");
            s.assertSame();
        }
    }

    @Differential
    void blockedClientsServedLater(Dual d) throws Exception {
        try (Streams s = new Streams(d)) {
            Dual b1 = d.block(1, "BLPOP", "l1", "l2", "0");
            d.check("RPUSH", "l2", "a", "b");
            b1.checkPendingReply("BLPOP");
            Dual b2 = d.block(1, "BLMOVE", "src", "dst", "LEFT", "RIGHT", "0");
            d.check("RPUSH", "src", "q");
            b2.checkPendingReply("BLMOVE");
            Dual b3 = d.block(1, "BRPOPLPUSH", "src", "dst", "0");
            d.check("RPUSH", "src", "r");
            b3.checkPendingReply("BRPOPLPUSH");
            Dual b4 = d.block(1, "BLMPOP", "0", "2", "l3", "l4", "RIGHT", "COUNT", "5");
            d.check("RPUSH", "l4", "1", "2", "3");
            b4.checkPendingReply("BLMPOP");
            Dual b5 = d.block(1, "BZPOPMIN", "z1", "0");
            d.check("ZADD", "z1", "1", "a", "2", "b");
            b5.checkPendingReply("BZPOPMIN");
            Dual b6 = d.block(1, "BZMPOP", "0", "1", "z2", "MAX", "COUNT", "10");
            d.check("ZADD", "z2", "1", "a", "2", "b");
            b6.checkPendingReply("BZMPOP");
            Dual b7 = d.block(1, "BLPOP", "l6", "0");
            d.check("MULTI");
            d.check("RPUSH", "l6", "a");
            d.check("RPUSH", "l6", "b");
            d.check("EXEC");
            b7.checkPendingReply("BLPOP");
            s.assertSame();
        }
    }

    @Differential
    void transactionsScriptsAndFunctions(Dual d) {
        try (Streams s = new Streams(d)) {
            d.check("MULTI");
            d.check("SET", "a", "1");
            d.check("EXEC");
            d.check("MULTI");
            d.check("SET", "a", "1");
            d.check("SELECT", "2");
            d.check("INCR", "a");
            d.check("GET", "a");
            d.check("EXEC");
            d.check("SELECT", "0");
            d.check("MULTI");
            d.check("GET", "a");
            d.check("EXEC");
            d.check("EVAL", "redis.call('set','x','1'); redis.call('incr','x')", "0");
            d.check("EVAL", "return redis.call('get','x')", "0");
            d.check("EVAL", "redis.call('set',KEYS[1],'1')", "1", "one");
            d.check("EVAL", "redis.set_repl(redis.REPL_NONE); redis.call('set','y','1'); "
                    + "redis.set_repl(redis.REPL_ALL); redis.call('incr','y')", "0");
            d.check("EVAL", "redis.set_repl(redis.REPL_AOF); redis.call('set','y','2')", "0");
            d.check("EVAL", "redis.call('spop','nothing'); return redis.call('expire','x',100)", "0");
            d.check("SCRIPT", "LOAD", "return 1");
            d.check("FUNCTION", "LOAD", "#!lua name=propagated\n"
                    + "redis.register_function('f', function(keys) redis.call('set', keys[1], 'v'); "
                    + "return redis.call('incr', 'c') end)");
            d.check("FCALL", "f", "1", "fk");
            d.check("FUNCTION", "DELETE", "propagated");
            d.check("SWAPDB", "0", "1");
            d.check("MOVE", "x", "3");
            d.check("COPY", "y", "y2", "DB", "4");
            d.check("FLUSHDB");
            d.check("FLUSHALL");
            s.assertSame();
        }
    }

    @Differential
    void streams(Dual d) {
        try (Streams s = new Streams(d)) {
            d.check("XADD", "st", "1-1", "f", "v");
            d.check("XADD", "st", "1-*", "f", "v");
            d.check("XADD", "st", "5-5", "f", "v");
            d.check("XADD", "st", "MAXLEN", "~", "1", "6-1", "f", "v");
            d.check("XADD", "st", "MAXLEN", "=", "3", "7-1", "f", "v");
            d.check("XTRIM", "st", "MAXLEN", "10");
            d.check("XADD", "st", "MINID", "6", "8-1", "f", "v");
            d.check("XGROUP", "CREATE", "st", "g", "0");
            d.checkWith(ReplyComparison.SHAPE, "XADD", "st", "*", "f", "v");
            d.check("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "st", ">");
            d.check("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "st", "0");
            d.check("XREADGROUP", "GROUP", "g", "bob", "NOACK", "COUNT", "1", "STREAMS", "st", ">");
            d.check("XCLAIM", "st", "g", "carol", "0", "6-1", "7-1");
            d.check("XCLAIM", "st", "g", "carol", "0", "6-1", "JUSTID");
            d.check("XCLAIM", "st", "g", "dave", "0", "1", "FORCE");
            d.check("XCLAIM", "st", "g", "erin", "0", "99-1", "LASTID", "100-0");
            d.check("XDEL", "st", "6-1");
            d.check("XAUTOCLAIM", "st", "g", "frank", "0", "0", "COUNT", "10", "JUSTID");
            d.check("XGROUP", "CREATECONSUMER", "st", "g", "zed");
            d.check("XGROUP", "SETID", "st", "g", "0");
            d.check("XACK", "st", "g", "7-1");
            d.check("XREADGROUP", "GROUP", "g", "newnoack", "NOACK", "STREAMS", "st", "0");
            s.assertSame();
        }
    }

    @Differential
    void spopIsPropagatedAsTheMembersItDrew(Dual d) {
        try (Streams s = new Streams(d)) {
            d.check("SADD", "s", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
            RespReply[] one = d.both("SPOP", "s");
            RespReply[] two = d.both("SPOP", "s", "3");
            d.both("SPOP", "s", "100"); // what is left, which differs: propagated as a DEL on both
            List<List<String>>[] streams = s.read();
            for (int side = 0; side < 2; side++) {
                Set<String> drawn = new HashSet<>();
                drawn.add(one[side].text());
                two[side].children.forEach(m -> drawn.add(m.text()));
                streams[side] = EffectStreams.byEffect(streams[side], drawn, "SREM");
            }
            assertSameStreams(streams[0], streams[1]);
        }
    }
}
