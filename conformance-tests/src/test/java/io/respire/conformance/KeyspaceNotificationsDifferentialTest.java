package io.respire.conformance;

import java.util.List;

/**
 * Keyspace notifications (server's KeyspaceNotifications on the write gate) against Redis: a
 * subscriber on pattern "*" sees, after every write of a corpus that covers each command family,
 * the same sequence of pmessages as Redis's, event names and order included. After each command
 * a sentinel PUBLISH marks the end of what it caused, so a missing, extra or misordered event is
 * reported at the command that caused it.
 */
class KeyspaceNotificationsDifferentialTest {
    private static final String SENTINEL = "__sync__";

    /** The writer and the subscriber of one test, and the commands' count (for the sentinels). */
    private static final class Watch implements AutoCloseable {
        final Dual writer;
        final Dual subscriber;
        int step;

        Watch(Dual d, String classes) {
            this.writer = d;
            d.check("CONFIG", "SET", "notify-keyspace-events", classes);
            subscriber = d.another();
            subscriber.sendWithoutReply("PSUBSCRIBE", "*");
            subscriber.checkPendingReply("PSUBSCRIBE *");
        }

        /** Runs a command on the writer, then compares the notifications it caused. */
        void run(Object... command) {
            runWith(ReplyComparison.EXACT, command);
        }

        /** As {@link #run}, the reply compared as {@code how} says (a set's members come in any order). */
        void runWith(ReplyComparison how, Object... command) {
            writer.checkWith(how, command);
            events(RespConnection.describe(command));
        }

        /** Compares the notifications up to a sentinel published now. */
        void events(String cause) {
            String mark = Integer.toString(++step);
            writer.check("PUBLISH", SENTINEL, mark);
            for (int i = 0; i < 100; i++) {
                RespReply r = subscriber.checkPendingReply("notification #" + (i + 1) + " after `" + cause + "`");
                List<RespReply> parts = r.children;
                if (parts.size() == 4 && parts.get(2).text().equals(SENTINEL)) {
                    return;
                }
            }
            throw new AssertionError("no end to the notifications of `" + cause + "`");
        }

        @Override
        public void close() {
            writer.check("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    @Differential
    void stringsAndGenericCommands(Dual d) {
        try (Watch w = new Watch(d, "KEA")) {
            w.run("SET", "s", "v");
            w.run("SET", "s", "v2", "KEEPTTL");
            w.run("SET", "s", "v3", "NX");
            w.run("SET", "s", "v3", "XX", "EX", "100");
            w.run("SETNX", "s2", "a");
            w.run("SETNX", "s2", "b");
            w.run("SETEX", "s3", "100", "x");
            w.run("PSETEX", "s4", "100000", "x");
            w.run("GETSET", "s", "g");
            w.run("GETEX", "s", "PX", "100000");
            w.run("GETEX", "s", "PERSIST");
            w.run("GETDEL", "s");
            w.run("MSET", "m1", "1", "m2", "2");
            w.run("MSETNX", "m3", "1", "m4", "2");
            w.run("APPEND", "m1", "0");
            w.run("SETRANGE", "m1", "5", "x");
            w.run("INCR", "n");
            w.run("INCRBY", "n", "5");
            w.run("DECR", "n");
            w.run("DECRBY", "n", "2");
            w.run("INCRBYFLOAT", "n", "1.5");
            w.run("SETBIT", "b", "7", "1");
            w.run("BITOP", "OR", "b2", "b", "missing");
            w.run("BITOP", "AND", "b3", "missing", "missing2");
            w.run("BITFIELD", "bf", "SET", "u8", "0", "255", "INCRBY", "u8", "0", "1");
            w.run("BITFIELD", "bf", "GET", "u8", "0");
            w.run("PFADD", "h", "a", "b");
            w.run("PFADD", "h", "a");
            w.run("PFMERGE", "h2", "h");
            w.run("PFCOUNT", "h", "h2");
            w.run("EXPIRE", "m2", "100");
            w.run("PEXPIRE", "m2", "200000", "GT");
            w.run("EXPIREAT", "m2", "4000000000");
            w.run("PERSIST", "m2");
            w.run("PERSIST", "m2");
            w.run("EXPIRE", "m2", "-1");
            w.run("RENAME", "m1", "r1");
            w.run("RENAMENX", "r1", "m3");
            w.run("RENAMENX", "r1", "r2");
            w.run("COPY", "r2", "c1");
            w.run("COPY", "r2", "c1", "REPLACE");
            w.run("MOVE", "c1", "1");
            w.run("DEL", "r2", "missing", "m3");
            w.run("UNLINK", "m4");
            w.run("TOUCH", "n");
            w.run("SELECT", "1");
            w.run("SET", "other-db", "v");
            w.run("DEL", "c1");
            w.run("SELECT", "0");
            w.run("SWAPDB", "0", "1");
            w.run("FLUSHDB");
            w.run("SWAPDB", "0", "1");
            w.run("FLUSHALL");
        }
    }

    @Differential
    void collections(Dual d) {
        try (Watch w = new Watch(d, "KEA")) {
            w.run("LPUSH", "l", "a", "b", "c");
            w.run("RPUSH", "l", "d");
            w.run("LPUSHX", "l", "e");
            w.run("RPUSHX", "nolist", "e");
            w.run("LINSERT", "l", "BEFORE", "a", "z");
            w.run("LSET", "l", "0", "y");
            w.run("LREM", "l", "0", "z");
            w.run("LTRIM", "l", "0", "3");
            w.run("LPOP", "l");
            w.run("RPOP", "l", "1");
            w.run("RPOPLPUSH", "l", "l2");
            w.run("LMOVE", "l", "l2", "LEFT", "RIGHT");
            w.run("LMPOP", "2", "none", "l2", "LEFT", "COUNT", "10");
            w.run("RPUSH", "l3", "x");
            w.run("BLPOP", "l3", "0.01");
            w.run("SADD", "s", "a", "b", "c", "d");
            w.run("SADD", "s", "a");
            w.run("SREM", "s", "a", "zz");
            w.run("SADD", "one", "only");
            w.run("SPOP", "one");
            w.run("SMOVE", "s", "s2", "c");
            w.run("SMOVE", "s", "s2", "nope");
            w.run("SADD", "t", "b", "d", "x");
            w.run("SINTERSTORE", "si", "s", "t");
            w.run("SUNIONSTORE", "su", "s", "t");
            w.run("SDIFFSTORE", "sd", "s", "s");
            w.runWith(ReplyComparison.UNORDERED, "SPOP", "t", "5");
            w.run("HSET", "h", "f1", "1", "f2", "2");
            w.run("HSETNX", "h", "f1", "x");
            w.run("HSETNX", "h", "f3", "x");
            w.run("HMSET", "h", "f4", "4");
            w.run("HINCRBY", "h", "f1", "2");
            w.run("HINCRBYFLOAT", "h", "f2", "0.5");
            w.run("HDEL", "h", "f1", "f2", "f3", "f4");
            w.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
            w.run("ZADD", "z", "XX", "1", "a");
            w.run("ZADD", "z", "INCR", "1", "a");
            w.run("ZINCRBY", "z", "1", "b");
            w.run("ZREM", "z", "a", "nope");
            w.run("ZREMRANGEBYSCORE", "z", "0", "1");
            w.run("ZREMRANGEBYRANK", "z", "0", "0");
            w.run("ZADD", "zl", "0", "a", "0", "b", "0", "c");
            w.run("ZREMRANGEBYLEX", "zl", "[a", "[a");
            w.run("ZPOPMIN", "z");
            w.run("ZPOPMAX", "zl", "5");
            w.run("ZADD", "z1", "1", "a", "2", "b");
            w.run("ZADD", "z2", "1", "b", "2", "c");
            w.run("ZINTERSTORE", "zi", "2", "z1", "z2");
            w.run("ZUNIONSTORE", "zu", "2", "z1", "z2");
            w.run("ZDIFFSTORE", "zd", "1", "z1");
            w.run("ZDIFFSTORE", "zd", "2", "z1", "z1");
            w.run("ZRANGESTORE", "zr", "zu", "0", "1");
            w.run("ZMPOP", "1", "zr", "MIN", "COUNT", "5");
            w.run("BZPOPMIN", "z", "0.01");
            w.run("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
            w.run("GEOSEARCHSTORE", "gs", "g", "FROMMEMBER", "Palermo", "BYRADIUS", "500", "km", "ASC");
            w.run("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "gr");
            w.run("SORT", "z1", "BY", "nosort", "STORE", "sorted");
            w.run("SORT", "nothing", "STORE", "sorted");
        }
    }

    @Differential
    void streams(Dual d) {
        try (Watch w = new Watch(d, "KEA")) {
            w.run("XADD", "x", "1-1", "f", "v");
            w.run("XADD", "x", "2-1", "f", "v");
            w.run("XADD", "x", "NOMKSTREAM", "3-1", "f", "v");
            w.run("XADD", "none", "NOMKSTREAM", "3-1", "f", "v");
            w.run("XGROUP", "CREATE", "x", "g", "0");
            w.run("XGROUP", "CREATECONSUMER", "x", "g", "c1");
            w.run("XREADGROUP", "GROUP", "g", "c2", "COUNT", "1", "STREAMS", "x", ">");
            w.run("XCLAIM", "x", "g", "c1", "0", "1-1");
            w.run("XAUTOCLAIM", "x", "g", "c2", "0", "0-0");
            w.run("XACK", "x", "g", "1-1");
            w.run("XGROUP", "SETID", "x", "g", "$");
            w.run("XGROUP", "DELCONSUMER", "x", "g", "c1");
            w.run("XGROUP", "DESTROY", "x", "g");
            w.run("XDEL", "x", "2-1");
            w.run("XTRIM", "x", "MAXLEN", "0");
            w.run("XSETID", "x", "10-1");
            w.run("XGROUP", "CREATE", "y", "g", "$", "MKSTREAM");
        }
    }

    @Differential
    void classesAreFiltered(Dual d) {
        try (Watch w = new Watch(d, "Kl")) {
            w.run("SET", "a", "1");
            w.run("LPUSH", "l", "x");
            w.run("DEL", "l");
        }
        try (Watch w = new Watch(d, "Eg$")) {
            w.run("SET", "a", "1");
            w.run("LPUSH", "l", "x");
            w.run("DEL", "l", "a");
        }
        try (Watch w = new Watch(d, "Km")) {
            w.run("GET", "missing");
            w.run("EXISTS", "missing");
            w.run("OBJECT", "ENCODING", "missing");
            w.run("SET", "present", "1");
            w.run("GET", "present");
        }
        try (Watch w = new Watch(d, "En")) {
            w.run("SET", "fresh", "1");
            w.run("SET", "fresh", "2");
            w.run("RPUSH", "fresh-list", "a");
            w.run("RPUSH", "fresh-list", "b");
        }
        d.check("CONFIG", "GET", "notify-keyspace-events");
    }

    @Differential
    void expiredEvents(Dual d) throws InterruptedException {
        try (Watch w = new Watch(d, "KEA")) {
            w.run("SET", "e", "v", "PX", "1");
            Thread.sleep(50);
            w.run("GET", "e"); // expired by now, whether by lookup or by the background cycle
            w.run("SET", "e2", "v", "PX", "30");
            Thread.sleep(1000); // the background cycle (every 100 ms) removes it
            w.events("the background expiry of e2");
        }
    }

    @Differential
    void edgeCasesOfWrites(Dual d) throws InterruptedException {
        try (Watch w = new Watch(d, "KEA")) {
            w.run("APPEND", "new-string", "x");
            w.run("SETRANGE", "new-string2", "0", "");
            w.run("SETRANGE", "new-string2", "2", "ab");
            w.run("INCRBYFLOAT", "f", "1e3");
            w.run("SETBIT", "bits", "0", "0");
            w.run("GETEX", "new-string", "EXAT", "1");
            w.run("SET", "x", "1");
            w.run("EXPIRE", "x", "0");
            w.run("SET", "x", "1");
            w.run("PEXPIREAT", "x", "1");
            w.run("EXPIRE", "missing", "10");
            w.run("RENAME", "missing", "y");
            w.run("SET", "y", "1");
            w.run("RENAME", "y", "y");
            w.run("SET", "z", "1");
            w.run("MOVE", "z", "1");
            w.run("SET", "z", "2");
            w.run("COPY", "z", "z-copy", "DB", "2");
            w.run("SET", "short", "1", "PX", "1");
            Thread.sleep(20);
            w.run("SET", "short", "2"); // the expired key is removed, then written anew
            w.run("RPUSH", "l", "a", "b", "c");
            w.run("LTRIM", "l", "5", "10");
            w.run("RPUSH", "l", "a", "b");
            w.run("LREM", "l", "0", "zz");
            w.run("LPOP", "l", "5");
            w.run("RPUSH", "l", "a");
            w.run("BRPOPLPUSH", "l", "l2", "0.01");
            w.run("BLMOVE", "l2", "l3", "RIGHT", "LEFT", "0.01");
            w.run("BLMPOP", "0.01", "1", "l3", "RIGHT");
            w.run("SADD", "s1", "a");
            w.run("SINTERSTORE", "s1", "s1", "missing");
            w.run("HSET", "h", "f", "v");
            w.run("HSET", "h", "f", "v2");
            w.run("HDEL", "h", "f");
            w.run("ZADD", "z1", "NX", "1", "a");
            w.run("ZADD", "z1", "GT", "CH", "0", "a");
            w.run("ZADD", "z1", "LT", "0", "a");
            w.run("ZRANGESTORE", "z2", "z1", "5", "10");
            w.run("BZMPOP", "0.01", "1", "z1", "MAX");
            w.run("GEOADD", "g", "13.361389", "38.115556", "Palermo");
            w.run("GEOADD", "g", "XX", "13.4", "38.1", "Palermo");
            w.run("GEORADIUS", "g", "0", "0", "1", "km", "STORE", "gnone");
            w.run("XADD", "st", "MAXLEN", "1", "1-1", "f", "v");
            w.run("XADD", "st", "MAXLEN", "1", "2-1", "f", "v");
            w.run("XTRIM", "st", "MINID", "5");
            w.run("XGROUP", "CREATE", "st", "g", "0");
            w.run("XGROUP", "CREATECONSUMER", "st", "g", "c");
            w.run("XGROUP", "CREATECONSUMER", "st", "g", "c");
            w.run("XGROUP", "DELCONSUMER", "st", "g", "nobody");
        }
    }

    @Differential
    void blockedClientsTransactionsAndScripts(Dual d) {
        try (Watch w = new Watch(d, "KEA")) {
            Dual blocked = d.another();
            blocked.sendWithoutReply("BLPOP", "queue", "0");
            awaitBlocked(d);
            w.run("RPUSH", "queue", "job");
            blocked.checkPendingReply("BLPOP served");
            writeQueued(w, "MULTI");
            writeQueued(w, "SET", "t1", "1");
            writeQueued(w, "INCR", "t1");
            writeQueued(w, "DEL", "t1");
            w.run("EXEC");
            w.run("EVAL", "redis.call('set', KEYS[1], '1') redis.call('lpush', KEYS[2], 'x') "
                    + "return redis.call('del', KEYS[1], KEYS[2])", "2", "{k}1", "{k}2");
        }
    }

    /** Waits until both servers count one blocked client (the BLPOP sent without waiting). */
    private static void awaitBlocked(Dual d) {
        for (int i = 0; i < 500; i++) {
            RespReply[] both = d.both("INFO", "clients");
            if (both[0].text().contains("blocked_clients:1") && both[1].text().contains("blocked_clients:1")) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("BLPOP did not block on both servers");
    }

    /** A command sent without a sentinel after it (inside MULTI the sentinel would be queued). */
    private static void writeQueued(Watch w, Object... command) {
        w.writer.check(command);
    }

    @Differential
    void configNormalizesClasses(Dual d) {
        for (String classes : new String[] {"gKE", "$lshzxeKE", "KA", "EA", "AKEm", "Ag", "nA", "gg", "", "E", "x",
                "tdn", "Q", "A$K"}) {
            d.check("CONFIG", "SET", "notify-keyspace-events", classes);
            d.check("CONFIG", "GET", "notify-keyspace-events");
        }
        d.check("CONFIG", "SET", "notify-keyspace-events", "");
    }
}
