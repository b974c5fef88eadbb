package io.respire.conformance;

import org.opentest4j.AssertionFailedError;

import java.util.concurrent.TimeUnit;

/**
 * The dirty counter (INFO persistence rdb_changes_since_last_save, Redis's server.dirty, which
 * save points compare against): each command variant of the hash, list, set, sorted-set and
 * stream families and SORT, blocking pops served by another client's push, and the string, key and
 * bitmap commands run on both servers; the replies must match and so must how far each command
 * moved the counter. Deltas are compared, not values, since the servers ran other tests before.
 * One protocol is enough: the counter does not depend on it.
 */
class DirtyCounterDifferentialTest {
    private static final String COUNTER = "rdb_changes_since_last_save";

    /**
     * The test's pair of connections, whose commands are checked for their effect on the
     * counter, and a second pair that reads the counter (so that it can be read while the first
     * is inside MULTI).
     */
    private static final class Counted {
        final Dual dual;
        private final Dual observer;

        Counted(Dual dual) {
            this.dual = dual;
            this.observer = dual.another();
        }

        /** Runs {@code command} on both: the same reply, the same change of the counter. */
        RespReply check(Object... command) {
            return checkWith(ReplyComparison.EXACT, command);
        }

        /** As {@link #check}, judging the replies as {@code how} (random members, unordered sets). */
        RespReply checkWith(ReplyComparison how, Object... command) {
            long[] before = counters();
            RespReply reply = dual.checkWith(how, command);
            assertSameChange(RespConnection.describe(command), before);
            return reply;
        }

        /** The counter of {redis, respire}. */
        long[] counters() {
            RespReply[] info = observer.both("INFO", "persistence");
            return new long[] {infoField(info[0], COUNTER), infoField(info[1], COUNTER)};
        }

        void assertSameChange(String what, long[] before) {
            long[] after = counters();
            long redis = after[0] - before[0];
            long respire = after[1] - before[1];
            if (redis != respire) {
                throw new AssertionFailedError("`" + what + "` added " + redis + " to " + COUNTER + " on Redis "
                        + ExternalTools.EXPECTED_REDIS_VERSION + " but " + respire + " on Respire", redis, respire);
            }
        }

        /**
         * Sends {@code blocking} on a connection pair of its own without reading the reply, waits
         * until both servers count {@code blockedAfter} blocked clients, and returns the pair.
         */
        Dual block(int blockedAfter, Object... blocking) {
            Dual waiter = dual.another();
            waiter.sendWithoutReply(blocking);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                RespReply[] info = observer.both("INFO", "clients");
                long redis = infoField(info[0], "blocked_clients");
                long respire = infoField(info[1], "blocked_clients");
                if (redis == blockedAfter && respire == blockedAfter) {
                    return waiter;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionFailedError("after `" + RespConnection.describe(blocking) + "`, blocked_clients is "
                            + redis + " on Redis and " + respire + " on Respire, not " + blockedAfter);
                }
                sleep(5);
            }
        }

        /**
         * Runs {@code push}, which serves the {@code waiters} blocked earlier by {@link #block}:
         * the push and the serving together must move the counter alike, and each waiter must get
         * the same reply from both servers.
         */
        void pushServing(Object[] push, Dual... waiters) {
            long[] before = counters();
            dual.check(push);
            for (Dual w : waiters) {
                w.checkPendingReply("the blocked command served by `" + RespConnection.describe(push) + "`");
            }
            assertSameChange(RespConnection.describe(push) + "` with the blocked clients it served `", before);
        }
    }

    private static long infoField(RespReply info, String field) {
        for (String line : info.text().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionFailedError("INFO has no " + field + ":\n" + info.text());
    }

    private static Object[] cmd(Object... command) {
        return command;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("interrupted");
        }
    }

    @Differential(protocols = 2)
    void blockingListPopsServedByAPush(Dual dual) {
        Counted d = new Counted(dual);
        d.pushServing(cmd("RPUSH", "q", "a"), d.block(1, "BLPOP", "q", "0"));
        d.pushServing(cmd("RPUSH", "q", "a", "b", "c"), d.block(1, "BRPOP", "q", "0"));
        d.check("DEL", "q");
        d.pushServing(cmd("LPUSH", "q", "x"), d.block(1, "BLMOVE", "q", "dst", "LEFT", "RIGHT", "0"));
        d.pushServing(cmd("LPUSH", "q", "y", "z"), d.block(1, "BRPOPLPUSH", "q", "dst", "0"));
        d.check("DEL", "q");
        d.pushServing(cmd("RPUSH", "q", "1", "2", "3"), d.block(1, "BLMPOP", "0", "2", "nothing", "q", "LEFT", "COUNT", "2"));
        d.pushServing(cmd("RPUSH", "q2", "1", "2", "3"), d.block(1, "BLMPOP", "0", "1", "q2", "RIGHT", "COUNT", "5"));
        d.pushServing(cmd("RPUSH", "q3", "only"), d.block(1, "BLMPOP", "0", "1", "q3", "RIGHT"));
        d.check("SET", "str", "v");
        d.pushServing(cmd("RPUSH", "q4", "stays"), d.block(1, "BLMOVE", "q4", "str", "LEFT", "LEFT", "0"));
        d.check("LRANGE", "q4", "0", "-1");
        Dual waiter = d.block(1, "BLPOP", "q5", "0");
        d.check("SET", "q5", "not a list"); // does not serve the waiter
        d.check("DEL", "q5");
        d.pushServing(cmd("RPUSH", "q5", "now"), waiter);
    }

    /** Any write that leaves a value at the key serves its waiters, not only pushes. */
    @Differential(protocols = 2)
    void waitersServedByOtherWrites(Dual dual) {
        Counted d = new Counted(dual);
        d.check("RPUSH", "tmp", "1", "2", "3");
        d.pushServing(cmd("RENAME", "tmp", "q"), d.block(1, "BLMPOP", "0", "1", "q", "LEFT", "COUNT", "2"));
        d.check("RPUSH", "ids", "3", "1", "2");
        d.pushServing(cmd("SORT", "ids", "STORE", "q2"), d.block(1, "BLPOP", "q2", "0"));
        d.pushServing(cmd("LMOVE", "ids", "q3", "LEFT", "LEFT"), d.block(1, "BRPOPLPUSH", "q3", "q4", "0"));
        d.check("ZADD", "a", "1", "x", "2", "y");
        d.pushServing(cmd("ZUNIONSTORE", "z", "1", "a"), d.block(1, "BZMPOP", "0", "1", "z", "MIN", "COUNT", "5"));
        Dual waiter = d.block(1, "BLPOP", "q5", "0");
        d.check("MULTI");
        d.check("RPUSH", "q5", "a");
        d.check("LPOP", "q5");
        d.check("RPUSH", "q5", "b", "c");
        d.pushServing(cmd("EXEC"), waiter);
    }

    @Differential(protocols = 2)
    void oneListPushServesSeveralWaiters(Dual dual) {
        Counted d = new Counted(dual);
        Dual first = d.block(1, "BLPOP", "q", "0");
        Dual second = d.block(2, "BLMPOP", "0", "1", "q", "LEFT", "COUNT", "2");
        Dual third = d.block(3, "BRPOPLPUSH", "q", "chain", "0");
        Dual chained = d.block(4, "BLPOP", "chain", "0");
        d.pushServing(cmd("RPUSH", "q", "1", "2", "3", "4", "5"), first, second, third, chained);
        d.check("LRANGE", "q", "0", "-1");
        first = d.block(1, "BLPOP", "q2", "0");
        second = d.block(2, "BLPOP", "q2", "0");
        d.pushServing(cmd("RPUSH", "q2", "only"), first); // the second waits on
        d.pushServing(cmd("RPUSH", "q2", "next"), second);
    }

    @Differential(protocols = 2)
    void blockingSortedSetPopsServedByAnAdd(Dual dual) {
        Counted d = new Counted(dual);
        d.pushServing(cmd("ZADD", "z", "1", "a"), d.block(1, "BZPOPMIN", "z", "0"));
        d.pushServing(cmd("ZADD", "z", "1", "a", "2", "b"), d.block(1, "BZPOPMAX", "z", "0"));
        d.check("DEL", "z");
        d.pushServing(cmd("ZADD", "z", "1", "a", "2", "b", "3", "c"), d.block(1, "BZMPOP", "0", "1", "z", "MIN", "COUNT", "2"));
        d.pushServing(cmd("ZADD", "z2", "1", "a", "2", "b"), d.block(1, "BZMPOP", "0", "1", "z2", "MAX", "COUNT", "10"));
    }

    @Differential(protocols = 2)
    void blockingPopsThatNeedNotBlockOrTimeOut(Dual dual) {
        Counted d = new Counted(dual);
        d.check("RPUSH", "q", "1", "2", "3", "4");
        d.check("BLPOP", "q", "0");
        d.check("BRPOP", "missing", "q", "0");
        d.check("BLMOVE", "q", "dst", "RIGHT", "LEFT", "0");
        d.check("BRPOPLPUSH", "q", "dst", "0");
        d.check("BLMPOP", "0", "1", "dst", "LEFT", "COUNT", "5");
        d.check("BLPOP", "q", "0.01");
        d.check("BLMOVE", "q", "dst", "RIGHT", "LEFT", "0.01");
        d.check("BLMPOP", "0.01", "1", "q", "LEFT");
        d.check("BLPOP", "q", "-1");
        d.check("ZADD", "z", "1", "a", "2", "b");
        d.check("BZPOPMIN", "z", "0");
        d.check("BZMPOP", "0", "1", "z", "MAX", "COUNT", "3");
        d.check("BZPOPMAX", "z", "0.01");
        d.check("SET", "str", "v");
        d.check("BLPOP", "str", "0");
        d.check("BZPOPMIN", "str", "0");
        d.check("MULTI");
        d.check("BLPOP", "empty", "0");
        d.check("RPUSH", "l", "x");
        d.check("BLMOVE", "l", "l2", "LEFT", "LEFT", "0");
        d.check("BLMOVE", "empty", "l2", "LEFT", "LEFT", "0");
        d.check("EXEC");
    }

    // ------------------------------------------------------------------------------------------
    // Lists

    @Differential(protocols = 2)
    void listPushesAndInserts(Dual dual) {
        Counted d = new Counted(dual);
        d.check("LPUSH", "l", "a", "b", "c");
        d.check("RPUSH", "l", "d");
        d.check("LPUSHX", "missing", "x", "y");
        d.check("RPUSHX", "missing", "x");
        d.check("LPUSHX", "l", "x", "y");
        d.check("RPUSHX", "l", "z");
        d.check("LINSERT", "l", "BEFORE", "a", "A");
        d.check("LINSERT", "l", "AFTER", "a", "B");
        d.check("LINSERT", "l", "AFTER", "nope", "B");
        d.check("LINSERT", "missing", "AFTER", "a", "B");
        d.check("LINSERT", "l", "ASIDE", "a", "B");
        d.check("LSET", "l", "0", "first");
        d.check("LSET", "l", "-1", "first");
        d.check("LSET", "l", "100", "x");
        d.check("LSET", "missing", "0", "x");
        d.check("LSET", "l", "x", "x");
        d.check("LPUSH", "l");
        d.check("LRANGE", "l", "0", "-1");
        d.check("LLEN", "l");
        d.check("LINDEX", "l", "1");
        d.check("LPOS", "l", "a");
    }

    @Differential(protocols = 2)
    void listPops(Dual dual) {
        Counted d = new Counted(dual);
        d.check("RPUSH", "l", "1", "2", "3", "4", "5", "6");
        d.check("LPOP", "l");
        d.check("RPOP", "l");
        d.check("LPOP", "l", "2");
        d.check("RPOP", "l", "0");
        d.check("LPOP", "l", "-1");
        d.check("LPOP", "missing");
        d.check("LPOP", "missing", "3");
        d.check("RPOP", "l", "10"); // empties the list
        d.check("RPUSH", "l", "only");
        d.check("LPOP", "l"); // empties it with one pop
        d.check("RPUSH", "l", "a", "b");
        d.check("LMPOP", "2", "missing", "l", "LEFT");
        d.check("LMPOP", "1", "l", "RIGHT", "COUNT", "5");
        d.check("LMPOP", "1", "l", "RIGHT");
        d.check("LMPOP", "1", "l", "UP");
        d.check("LMPOP", "0", "l", "LEFT");
    }

    @Differential(protocols = 2)
    void listTrimAndRemove(Dual dual) {
        Counted d = new Counted(dual);
        d.check("RPUSH", "l", "a", "b", "a", "c", "a", "d");
        d.check("LTRIM", "l", "0", "-1"); // nothing trimmed
        d.check("LTRIM", "l", "1", "-2");
        d.check("LTRIM", "missing", "0", "1");
        d.check("LTRIM", "l", "x", "1");
        d.check("LREM", "l", "1", "a");
        d.check("LREM", "l", "0", "zz");
        d.check("LREM", "l", "-5", "a");
        d.check("LREM", "missing", "0", "a");
        d.check("LRANGE", "l", "0", "-1");
        d.check("LTRIM", "l", "5", "10"); // empties the list
        d.check("RPUSH", "l", "only");
        d.check("LTRIM", "l", "1", "0"); // empties a one-element list
        d.check("RPUSH", "l", "only");
        d.check("LREM", "l", "0", "only"); // empties it
        d.check("RPUSH", "l", "x", "x", "x");
        d.check("LREM", "l", "0", "x");
        d.check("EXISTS", "l");
    }

    @Differential(protocols = 2)
    void listMoves(Dual dual) {
        Counted d = new Counted(dual);
        d.check("RPUSH", "src", "1", "2", "3");
        for (String[] dirs : new String[][] {{"LEFT", "LEFT"}, {"LEFT", "RIGHT"}, {"RIGHT", "LEFT"}}) {
            d.check("LMOVE", "src", "dst", dirs[0], dirs[1]); // the last one empties src
        }
        d.check("LMOVE", "dst", "dst", "LEFT", "RIGHT");
        d.check("RPOPLPUSH", "dst", "dst");
        d.check("RPOPLPUSH", "dst", "other");
        d.check("RPOPLPUSH", "missing", "other");
        d.check("LMOVE", "missing", "other", "LEFT", "LEFT");
        d.check("LMOVE", "dst", "other", "UP", "LEFT");
        d.check("SET", "str", "v");
        d.check("LMOVE", "dst", "str", "LEFT", "LEFT");
        d.check("LMOVE", "str", "dst", "LEFT", "LEFT");
        d.check("RPUSH", "one", "x");
        d.check("RPOPLPUSH", "one", "other"); // empties one
        d.check("LRANGE", "other", "0", "-1");
    }

    @Differential(protocols = 2)
    void listWrongType(Dual dual) {
        Counted d = new Counted(dual);
        d.check("SET", "s", "v");
        for (Object[] command : new Object[][] {{"LPUSH", "s", "a"}, {"RPUSHX", "s", "a"}, {"LPOP", "s"},
            {"RPOP", "s", "2"}, {"LSET", "s", "0", "a"}, {"LTRIM", "s", "0", "1"}, {"LREM", "s", "0", "a"},
            {"LINSERT", "s", "BEFORE", "a", "b"}, {"LMPOP", "1", "s", "LEFT"}, {"LRANGE", "s", "0", "1"}}) {
            d.check(command);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Hashes

    @Differential(protocols = 2)
    void hashWrites(Dual dual) {
        Counted d = new Counted(dual);
        d.check("HSET", "h", "f1", "v1", "f2", "v2");
        d.check("HSET", "h", "f1", "v1", "f3", "v3"); // one unchanged, one new: both count
        d.check("HSET", "h", "f1");
        d.check("HMSET", "h", "f4", "v4", "f1", "x");
        d.check("HSETNX", "h", "f1", "y");
        d.check("HSETNX", "h", "f9", "y");
        d.check("HSETNX", "new", "f", "y");
        d.check("HINCRBY", "h", "n", "5");
        d.check("HINCRBY", "h", "n", "0");
        d.check("HINCRBY", "h", "f1", "1");
        d.check("HINCRBY", "h", "n", "x");
        d.check("HINCRBY", "h", "n", "9223372036854775807");
        d.check("HINCRBY", "newh", "n", "1");
        d.check("HINCRBYFLOAT", "h", "fl", "1.5");
        d.check("HINCRBYFLOAT", "h", "f1", "1.5");
        d.check("HINCRBYFLOAT", "h", "fl", "inf");
        d.check("HINCRBYFLOAT", "h", "fl", "x");
        d.check("HSET", "h", "big", "1e308");
        d.check("HINCRBYFLOAT", "h", "big", "1e308");
        d.check("HINCRBYFLOAT", "newf", "n", "2");
        d.check("HGET", "h", "f1");
        d.checkWith(ReplyComparison.UNORDERED, "HGETALL", "h");
        d.check("HLEN", "h");
        d.check("HEXISTS", "h", "f1");
        d.check("HSTRLEN", "h", "f1");
        d.check("HMGET", "h", "f1", "zz");
        d.checkWith(ReplyComparison.UNORDERED, "HKEYS", "h");
        d.checkWith(ReplyComparison.UNORDERED, "HVALS", "h");
        d.checkWith(ReplyComparison.SHAPE, "HRANDFIELD", "h", "2");
        d.checkWith(ReplyComparison.SHAPE, "HSCAN", "h", "0");
    }

    @Differential(protocols = 2)
    void hashDeletes(Dual dual) {
        Counted d = new Counted(dual);
        d.check("HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4");
        d.check("HDEL", "h", "a", "zz", "b");
        d.check("HDEL", "h", "zz");
        d.check("HDEL", "missing", "a");
        d.check("HDEL", "h", "c", "d", "e"); // empties the hash before the last field
        d.check("HSET", "h", "only", "1");
        d.check("HDEL", "h", "only"); // empties it with one field
        d.check("EXISTS", "h");
    }

    @Differential(protocols = 2)
    void hashWrongType(Dual dual) {
        Counted d = new Counted(dual);
        d.check("SET", "s", "v");
        for (Object[] command : new Object[][] {{"HSET", "s", "f", "v"}, {"HSETNX", "s", "f", "v"},
            {"HDEL", "s", "f"}, {"HINCRBY", "s", "f", "1"}, {"HINCRBYFLOAT", "s", "f", "1"}, {"HGET", "s", "f"}}) {
            d.check(command);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Sets

    @Differential(protocols = 2)
    void setAddRemoveMove(Dual dual) {
        Counted d = new Counted(dual);
        d.check("SADD", "s", "1", "2", "3", "2");
        d.check("SADD", "s", "1", "2");
        d.check("SADD", "s", "a", "4");
        d.check("SREM", "s", "1", "zz", "2");
        d.check("SREM", "s", "zz");
        d.check("SREM", "missing", "zz");
        d.check("SMOVE", "s", "t", "a"); // into a new set
        d.check("SADD", "t", "3");
        d.check("SMOVE", "s", "t", "3"); // already in the destination
        d.check("SMOVE", "s", "t", "zz");
        d.check("SMOVE", "missing", "t", "zz");
        d.check("SMOVE", "t", "t", "a");
        d.check("SMOVE", "t", "t", "zz");
        d.check("SET", "str", "v");
        d.check("SMOVE", "s", "str", "4");
        d.check("SMOVE", "str", "s", "4");
        d.check("SMOVE", "s", "t", "4"); // empties s
        d.check("EXISTS", "s");
        d.check("SREM", "t", "a", "3", "4", "zz"); // empties t before the last member
        d.check("SADD", "u", "only");
        d.check("SREM", "u", "only");
        d.check("SADD", "str", "x");
        d.check("SREM", "str", "x");
        d.check("SISMEMBER", "u", "x");
        d.check("SMISMEMBER", "u", "x", "y");
        d.check("SCARD", "u");
    }

    @Differential(protocols = 2)
    void setPops(Dual dual) {
        Counted d = new Counted(dual);
        d.check("SADD", "s", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        d.checkWith(ReplyComparison.SHAPE, "SPOP", "s");
        d.checkWith(ReplyComparison.SHAPE, "SPOP", "s", "1");
        d.checkWith(ReplyComparison.SHAPE, "SPOP", "s", "6"); // keeps the few that remain
        d.check("SPOP", "s", "0");
        d.check("SPOP", "s", "-1");
        d.check("SPOP", "s", "1", "2");
        d.check("SPOP", "missing");
        d.check("SPOP", "missing", "3");
        d.checkWith(ReplyComparison.SHAPE, "SPOP", "s", "100"); // the (random) rest of the set
        d.check("SADD", "s", "only");
        d.check("SPOP", "s", "1");
        d.check("SADD", "s", "only");
        d.check("SPOP", "s");
        d.check("SADD", "s", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p");
        d.checkWith(ReplyComparison.SHAPE, "SPOP", "s", "13"); // draws the 3 that stay instead
        d.check("SADD", "s", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p");
        d.checkWith(ReplyComparison.SHAPE, "SPOP", "s", "3");
        d.checkWith(ReplyComparison.SHAPE, "SRANDMEMBER", "s", "3");
        d.checkWith(ReplyComparison.SHAPE, "SRANDMEMBER", "s", "-30");
        d.check("SET", "str", "v");
        d.check("SPOP", "str");
        d.check("SPOP", "str", "2");
    }

    @Differential(protocols = 2)
    void setStores(Dual dual) {
        Counted d = new Counted(dual);
        d.check("SADD", "a", "1", "2", "3", "x");
        d.check("SADD", "b", "2", "3", "4");
        d.check("SINTERSTORE", "dst", "a", "b");
        d.check("SINTERSTORE", "dst", "a", "b"); // replaces itself with the same
        d.check("SUNIONSTORE", "dst", "a", "b");
        d.check("SDIFFSTORE", "dst", "a", "b");
        d.check("SDIFFSTORE", "dst", "a", "a"); // empty result deletes dst
        d.check("SDIFFSTORE", "dst", "a", "a"); // and then there is nothing to delete
        d.check("SADD", "dst", "z");
        d.check("SINTERSTORE", "dst", "a", "missing"); // a missing set: dst deleted
        d.check("SINTERSTORE", "dst", "a", "missing");
        d.check("SADD", "dst", "z");
        d.check("SADD", "c", "zzz");
        d.check("SINTERSTORE", "dst", "a", "c"); // an empty intersection: dst deleted
        d.check("SUNIONSTORE", "dst", "missing", "missing2");
        d.check("SUNIONSTORE", "a", "a");
        d.check("SET", "str", "v");
        d.check("SINTERSTORE", "dst", "a", "str");
        d.check("SUNIONSTORE", "str", "a");
        d.check("TYPE", "str");
        d.check("SINTERCARD", "2", "a", "b");
        d.checkWith(ReplyComparison.UNORDERED, "SINTER", "a", "b");
        d.checkWith(ReplyComparison.UNORDERED, "SUNION", "a", "b");
        d.checkWith(ReplyComparison.UNORDERED, "SDIFF", "a", "b");
    }

    /**
     * A STORE whose result is empty deletes the destination with Redis's dbDelete, which does not
     * look at expiry: a destination that has expired but is still there counts as deleted.
     */
    @Differential(protocols = 2)
    void emptyStoreOverAnExpiredDestination(Dual dual) {
        Counted d = new Counted(dual);
        dual.check("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        try {
            Object[][] stores = {{"SINTERSTORE", "dst", "missing"}, {"SUNIONSTORE", "dst", "missing"},
                {"SDIFFSTORE", "dst", "missing"}, {"ZUNIONSTORE", "dst", "1", "missing"},
                {"ZINTERSTORE", "dst", "1", "missing"}, {"ZDIFFSTORE", "dst", "1", "missing"},
                {"ZRANGESTORE", "dst", "missing", "0", "-1"}, {"SORT", "missing", "STORE", "dst"}};
            for (Object[] store : stores) {
                dual.check("SET", "dst", "v", "PX", "1");
                sleep(5);
                d.check(store);
                d.check("EXISTS", "dst");
            }
        } finally {
            dual.check("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
    }

    /**
     * A write that finds its key expired (but not yet removed) sees no key; removing it then is
     * expiry, not a change. FLUSHDB counts every key still there, expired or not.
     */
    @Differential(protocols = 2)
    void writesMeetingAnExpiredKey(Dual dual) {
        Counted d = new Counted(dual);
        dual.check("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        try {
            Object[][] writes = {{"DEL", "k"}, {"LPUSH", "k", "a"}, {"SADD", "k", "a"}, {"HDEL", "k", "f"},
                {"LPOP", "k"}, {"EXPIRE", "k", "100"}, {"PERSIST", "k"}, {"RENAME", "k", "k2"},
                {"SMOVE", "k", "t", "a"}, {"LMOVE", "k", "t", "LEFT", "LEFT"}, {"ZREM", "k", "a"}};
            for (Object[] write : writes) {
                dual.check("DEL", "k", "k2", "t");
                dual.check("RPUSH", "k", "a");
                dual.check("SADD", "t", "b");
                dual.check("PEXPIRE", "k", "1");
                sleep(5);
                d.check(write);
            }
            dual.check("SET", "x", "v", "PX", "1");
            dual.check("SET", "y", "v");
            sleep(5);
            d.check("FLUSHDB");
        } finally {
            dual.check("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Sorted sets

    @Differential(protocols = 2)
    void sortedSetAdds(Dual dual) {
        Counted d = new Counted(dual);
        d.check("ZADD", "z", "1", "a", "2", "b", "3", "c");
        d.check("ZADD", "z", "1", "a", "5", "b", "4", "d"); // unchanged, updated, added
        d.check("ZADD", "z", "CH", "1", "a", "6", "b");
        d.check("ZADD", "z", "NX", "9", "a", "9", "e");
        d.check("ZADD", "z", "XX", "9", "a", "9", "f");
        d.check("ZADD", "z", "GT", "1", "a", "10", "b");
        d.check("ZADD", "z", "LT", "0", "a", "100", "b");
        d.check("ZADD", "z", "XX", "CH", "GT", "50", "a");
        d.check("ZADD", "z", "INCR", "2", "a");
        d.check("ZADD", "z", "INCR", "0", "a");
        d.check("ZADD", "z", "NX", "INCR", "2", "a");
        d.check("ZADD", "z", "XX", "INCR", "2", "nope");
        d.check("ZADD", "missing", "XX", "1", "a");
        d.check("ZADD", "z", "NX", "XX", "1", "a");
        d.check("ZADD", "z", "GT", "LT", "1", "a");
        d.check("ZADD", "z", "INCR", "1", "a", "2", "b");
        d.check("ZADD", "z", "1", "a", "x", "b");
        d.check("ZADD", "z", "1");
        d.check("ZADD", "z", "-inf", "m");
        d.check("ZADD", "z", "INCR", "+inf", "m"); // NaN
        d.check("ZADD", "z", "nan", "m");
        d.check("ZINCRBY", "z", "3", "a");
        d.check("ZINCRBY", "z", "3", "new");
        d.check("ZINCRBY", "z", "x", "new");
        d.check("ZINCRBY", "z2", "3", "new");
        d.check("ZRANGE", "z", "0", "-1", "WITHSCORES");
        d.check("ZSCORE", "z", "a");
        d.check("ZCARD", "z");
        d.check("ZRANK", "z", "a");
        d.check("ZCOUNT", "z", "-inf", "+inf");
        d.checkWith(ReplyComparison.SHAPE, "ZRANDMEMBER", "z", "2");
    }

    @Differential(protocols = 2)
    void sortedSetRemoves(Dual dual) {
        Counted d = new Counted(dual);
        d.check("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f");
        d.check("ZREM", "z", "a", "zz");
        d.check("ZREM", "z", "zz");
        d.check("ZREM", "missing", "zz");
        d.check("ZREMRANGEBYRANK", "z", "0", "0");
        d.check("ZREMRANGEBYRANK", "z", "10", "20");
        d.check("ZREMRANGEBYRANK", "z", "x", "20");
        d.check("ZREMRANGEBYSCORE", "z", "3", "(4");
        d.check("ZREMRANGEBYSCORE", "z", "100", "200");
        d.check("ZREMRANGEBYSCORE", "z", "x", "200");
        d.check("ZREMRANGEBYLEX", "z", "[d", "[e");
        d.check("ZREMRANGEBYLEX", "z", "[x", "[y");
        d.check("ZREMRANGEBYLEX", "z", "x", "y");
        d.check("ZREMRANGEBYRANK", "missing", "0", "1");
        d.check("ZREMRANGEBYSCORE", "z", "-inf", "+inf"); // empties the set
        d.check("ZADD", "z", "1", "a", "2", "b");
        d.check("ZREMRANGEBYLEX", "z", "-", "+"); // empties it
        d.check("ZADD", "z", "1", "a", "2", "b");
        d.check("ZREMRANGEBYRANK", "z", "0", "-1");
        d.check("ZADD", "z", "1", "a", "2", "b", "3", "c");
        d.check("ZREM", "z", "a", "b", "c", "d"); // empties it before the last member
        d.check("ZADD", "z", "1", "only");
        d.check("ZREM", "z", "only");
        d.check("EXISTS", "z");
    }

    @Differential(protocols = 2)
    void sortedSetPops(Dual dual) {
        Counted d = new Counted(dual);
        d.check("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        d.check("ZPOPMIN", "z");
        d.check("ZPOPMAX", "z", "2");
        d.check("ZPOPMIN", "z", "0");
        d.check("ZPOPMIN", "z", "-1");
        d.check("ZPOPMIN", "missing");
        d.check("ZPOPMAX", "missing", "2");
        d.check("ZMPOP", "2", "missing", "z", "MIN");
        d.check("ZMPOP", "1", "z", "MAX", "COUNT", "10"); // empties the set
        d.check("ZMPOP", "1", "z", "MAX");
        d.check("ZMPOP", "1", "z", "UP");
        d.check("ZADD", "z", "1", "only");
        d.check("ZPOPMAX", "z");
        d.check("SET", "str", "v");
        d.check("ZPOPMIN", "str");
        d.check("ZMPOP", "1", "str", "MIN");
    }

    @Differential(protocols = 2)
    void sortedSetStores(Dual dual) {
        Counted d = new Counted(dual);
        d.check("ZADD", "a", "1", "x", "2", "y", "3", "z");
        d.check("ZADD", "b", "10", "y", "20", "w");
        d.check("SADD", "s", "x", "q");
        for (String store : new String[] {"ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"}) {
            d.check(store, "dst", "2", "a", "b");
            d.check(store, "dst", "2", "a", "s");
            d.check(store, "dst", "2", "missing", "missing2"); // empty: dst deleted
            d.check(store, "dst", "2", "missing", "missing2");
            d.check(store, "dst", "0", "a");
            d.check(store, "dst", "2", "a");
        }
        d.check("ZINTERSTORE", "dst", "2", "a", "b", "WEIGHTS", "1", "2", "AGGREGATE", "MAX");
        d.check("ZRANGESTORE", "dst", "a", "0", "1");
        d.check("ZRANGESTORE", "dst", "a", "5", "10"); // empty: dst deleted
        d.check("ZRANGESTORE", "dst", "a", "5", "10");
        d.check("ZRANGESTORE", "dst", "a", "(1", "+inf", "BYSCORE");
        d.check("ZRANGESTORE", "dst", "a", "x", "1", "BYSCORE");
        d.check("SET", "str", "v");
        d.check("ZUNIONSTORE", "dst", "2", "a", "str");
        d.check("ZRANGESTORE", "str", "a", "0", "-1");
        d.check("TYPE", "str");
        d.check("ZUNION", "2", "a", "b");
        d.check("ZINTERCARD", "2", "a", "b");
    }

    // ------------------------------------------------------------------------------------------
    // SORT

    @Differential(protocols = 2)
    void sortStore(Dual dual) {
        Counted d = new Counted(dual);
        d.check("RPUSH", "ids", "3", "1", "2");
        d.check("MSET", "w_1", "3", "w_2", "2", "w_3", "1", "n_1", "one");
        d.check("SORT", "ids");
        d.check("SORT", "ids", "STORE", "out");
        d.check("SORT", "ids", "GET", "#", "GET", "n_*", "STORE", "out"); // counts every stored element
        d.check("SORT", "ids", "BY", "w_*", "LIMIT", "0", "1", "STORE", "out");
        d.check("SORT", "ids", "LIMIT", "5", "1", "STORE", "out"); // empty: out deleted
        d.check("SORT", "ids", "LIMIT", "5", "1", "STORE", "out");
        d.check("SORT", "missing", "STORE", "out");
        d.check("SORT_RO", "ids");
        d.check("SORT", "ids", "BOGUS", "STORE", "out");
        d.check("SADD", "set", "5", "4");
        d.check("SORT", "set", "STORE", "set");
        d.check("SET", "str", "v");
        d.check("SORT", "str", "STORE", "out");
        d.check("SORT", "ids", "STORE", "str");
        d.check("TYPE", "str");
    }

    // ------------------------------------------------------------------------------------------
    // Strings, keys, bitmaps

    @Differential(protocols = 2)
    void stringWrites(Dual dual) {
        Counted d = new Counted(dual);
        d.check("SET", "k", "v");
        d.check("SET", "k", "v", "NX");
        d.check("SET", "k", "w", "XX", "GET");
        d.check("SET", "missing", "w", "XX");
        d.check("SET", "k", "v", "EX", "0");
        d.check("SET", "k", "v", "BOGUS");
        d.check("SETNX", "k", "x");
        d.check("SETNX", "k2", "x");
        d.check("SETEX", "k3", "100", "x");
        d.check("SETEX", "k3", "0", "x");
        d.check("PSETEX", "k4", "100000", "x");
        d.check("GETSET", "k", "y");
        d.check("GETSET", "new", "y");
        d.check("MSET", "a", "1", "b", "2", "c", "3");
        d.check("MSET", "a", "1", "b");
        d.check("MSETNX", "a", "1", "z", "2");
        d.check("MSETNX", "y", "1", "z", "2");
        d.check("INCR", "n");
        d.check("INCRBY", "n", "10");
        d.check("DECR", "n");
        d.check("DECRBY", "n", "3");
        d.check("INCR", "k");
        d.check("INCRBY", "n", "x");
        d.check("SET", "max", "9223372036854775807");
        d.check("INCR", "max");
        d.check("INCRBYFLOAT", "n", "1.5");
        d.check("INCRBYFLOAT", "k", "1.5");
        d.check("INCRBYFLOAT", "n", "inf");
        d.check("APPEND", "k", "more");
        d.check("APPEND", "k", "");
        d.check("APPEND", "newa", "x");
        d.check("SETRANGE", "k", "2", "XY");
        d.check("SETRANGE", "k", "2", "");
        d.check("SETRANGE", "missing", "0", "");
        d.check("SETRANGE", "newr", "3", "x");
        d.check("SETRANGE", "k", "-1", "x");
        d.check("GETDEL", "k");
        d.check("GETDEL", "k");
        d.check("GETEX", "a");
        d.check("GETEX", "a", "EX", "100");
        d.check("GETEX", "a", "PERSIST");
        d.check("GETEX", "a", "PERSIST");
        d.check("GETEX", "missing", "EX", "100");
        d.check("GETEX", "a", "PX", "0");
        d.check("GET", "b");
        d.check("MGET", "a", "b");
        d.check("STRLEN", "b");
        d.check("GETRANGE", "b", "0", "-1");
        d.check("LCS", "b", "c");
        makeList(d, "list");
        d.check("APPEND", "list", "x");
        d.check("INCR", "list");
        d.check("SETRANGE", "list", "0", "x");
        d.check("GETDEL", "list");
        d.check("SET", "list", "now a string");
    }

    private static void makeList(Counted d, String key) {
        d.check("RPUSH", key, "a", "b");
    }

    @Differential(protocols = 2)
    void keyCommands(Dual dual) {
        Counted d = new Counted(dual);
        d.check("MSET", "a", "1", "b", "2", "c", "3");
        d.check("DEL", "a", "b", "missing");
        d.check("DEL", "missing");
        d.check("UNLINK", "c", "c");
        d.check("MSET", "a", "1", "b", "2", "c", "3");
        d.check("EXPIRE", "a", "100");
        d.check("EXPIRE", "a", "100", "NX");
        d.check("EXPIRE", "a", "200", "XX");
        d.check("EXPIRE", "a", "50", "GT");
        d.check("EXPIRE", "missing", "100");
        d.check("EXPIRE", "a", "x");
        d.check("PEXPIRE", "b", "100000");
        d.check("EXPIREAT", "b", "99999999999");
        d.check("PEXPIREAT", "b", "99999999999000");
        d.check("PERSIST", "b");
        d.check("PERSIST", "b");
        d.check("PERSIST", "missing");
        d.check("EXPIRE", "c", "0"); // deletes
        d.check("EXPIRE", "b", "-1");
        d.check("SET", "b", "2");
        d.check("PEXPIREAT", "b", "1");
        d.check("MSET", "a", "1", "b", "2");
        d.check("RENAME", "a", "a2");
        d.check("RENAME", "a2", "a2");
        d.check("RENAME", "missing", "x");
        d.check("RENAMENX", "a2", "b");
        d.check("RENAMENX", "a2", "a3");
        d.check("RENAMENX", "a3", "a3");
        d.check("MOVE", "a3", "1");
        d.check("MOVE", "a3", "1");
        d.check("SET", "b", "in0");
        d.check("SELECT", "1");
        d.check("SET", "b", "in1");
        d.check("MOVE", "b", "0");
        d.check("SELECT", "0");
        d.check("COPY", "b", "b2");
        d.check("COPY", "b", "b2");
        d.check("COPY", "b", "b2", "REPLACE");
        d.check("COPY", "b", "b3", "DB", "2");
        d.check("COPY", "missing", "b4");
        d.check("TOUCH", "b", "b2");
        d.check("EXISTS", "b");
        d.check("TYPE", "b");
        d.check("TTL", "b");
        d.check("SWAPDB", "0", "1");
        d.check("SWAPDB", "1", "1");
        d.check("SWAPDB", "0", "1");
        d.check("DBSIZE");
        d.check("SELECT", "2");
        d.check("FLUSHDB");
        d.check("FLUSHDB");
        d.check("SELECT", "0");
        d.check("FLUSHALL");
        d.check("FLUSHALL");
    }

    @Differential(protocols = 2)
    void bitmapCommands(Dual dual) {
        Counted d = new Counted(dual);
        d.check("SETBIT", "bits", "7", "1");
        d.check("SETBIT", "bits", "7", "1"); // unchanged
        d.check("SETBIT", "bits", "7", "0");
        d.check("SETBIT", "bits", "100", "0"); // grows the string, bit unchanged
        d.check("SETBIT", "bits", "x", "0");
        d.check("SETBIT", "bits", "1", "2");
        d.check("GETBIT", "bits", "7");
        d.check("BITCOUNT", "bits");
        d.check("BITPOS", "bits", "1");
        d.check("BITFIELD", "bf", "SET", "u8", "0", "255", "GET", "u8", "0");
        d.check("BITFIELD", "bf", "SET", "u8", "0", "255"); // unchanged value: still counted
        d.check("BITFIELD", "bf", "INCRBY", "u8", "0", "1", "INCRBY", "i5", "100", "1");
        d.check("BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "300");
        d.check("BITFIELD", "bf", "GET", "u8", "0");
        d.check("BITFIELD", "bfnew", "GET", "u8", "0");
        d.check("BITFIELD", "bf", "SET", "u8", "x", "1");
        d.check("BITFIELD_RO", "bf", "GET", "u8", "0");
        d.check("MSET", "x", "abc", "y", "bcd");
        d.check("BITOP", "AND", "dst", "x", "y");
        d.check("BITOP", "OR", "dst", "x", "missing");
        d.check("BITOP", "XOR", "dst", "missing", "missing2"); // empty: dst deleted
        d.check("BITOP", "XOR", "dst", "missing", "missing2");
        d.check("BITOP", "NOT", "dst", "x");
        d.check("BITOP", "NOT", "dst", "x", "y");
        makeList(d, "list");
        d.check("SETBIT", "list", "1", "1");
        d.check("BITOP", "AND", "dst", "x", "list");
    }

    // ------------------------------------------------------------------------------------------
    // Transactions add up what their commands change (scripts would too: EVAL is not there yet)

    @Differential(protocols = 2)
    void transactions(Dual dual) {
        Counted d = new Counted(dual);
        d.check("MULTI");
        d.check("RPUSH", "l", "a", "b", "c");
        d.check("LMOVE", "l", "l2", "LEFT", "LEFT");
        d.check("SADD", "s", "x");
        d.check("EXEC");
        d.check("MULTI");
        d.check("LPOP", "l", "5");
        d.check("INCR", "l2");
        d.check("EXEC");
        d.check("MULTI");
        d.check("SET", "k", "v");
        d.check("DISCARD");
        d.check("MULTI");
        d.check("SET", "k", "v");
        d.check("LPUSH", "k", "v");
        d.check("DEL", "k");
        d.check("EXEC");
        d.check("MULTI");
        d.check("SET", "k", "v");
        d.check("BOGUS");
        d.check("EXEC");
    }

    // ------------------------------------------------------------------------------------------
    // Streams: one change per entry added, deleted or trimmed, per group or consumer created,
    // per entry acknowledged or claimed, per stream an XREADGROUP serves

    @Differential(protocols = 2)
    void streams(Dual dual) {
        Counted d = new Counted(dual);
        d.check("XADD", "s", "1-0", "f", "v");
        d.check("XADD", "s", "2-0", "f", "v");
        d.check("XADD", "s", "1-0", "f", "v");
        d.check("XADD", "s", "MAXLEN", "1", "3-0", "f", "v");
        d.check("XADD", "nokey", "NOMKSTREAM", "*", "f", "v");
        for (int i = 4; i <= 9; i++) {
            d.check("XADD", "s", i + "-0", "f", "v");
        }
        d.check("XDEL", "s", "4-0", "5-0", "99-0");
        d.check("XDEL", "s", "99-0");
        d.check("XTRIM", "s", "MAXLEN", "2");
        d.check("XTRIM", "s", "MAXLEN", "2");
        d.check("XSETID", "s", "20-0");
        d.check("XSETID", "s", "1-0");
        d.check("XGROUP", "CREATE", "s", "g", "0");
        d.check("XGROUP", "CREATE", "s", "g", "0");
        d.check("XGROUP", "CREATE", "new", "g", "0", "MKSTREAM");
        d.check("XGROUP", "SETID", "s", "g", "0");
        d.check("XGROUP", "CREATECONSUMER", "s", "g", "c0");
        d.check("XGROUP", "CREATECONSUMER", "s", "g", "c0");
        d.check("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">");
        d.check("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">");
        d.check("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0");
        d.check("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", "new", "0", ">");
        d.check("XREAD", "STREAMS", "s", "0");
        d.check("XADD", "s", "30-0", "f", "v");
        d.check("XREADGROUP", "GROUP", "g", "c3", "NOACK", "STREAMS", "s", ">");
        d.check("XACK", "s", "g", "8-0", "8-0", "99-0");
        d.check("XCLAIM", "s", "g", "c4", "0", "9-0", "99-0", "JUSTID");
        d.check("XCLAIM", "s", "g", "c4", "0", "99-0", "LASTID", "50-0");
        d.check("XCLAIM", "s", "g", "c4", "0", "9-0", "LASTID", "60-0");
        d.check("XCLAIM", "s", "g", "c5", "100000000", "9-0");
        d.check("XDEL", "s", "9-0");
        d.check("XCLAIM", "s", "g", "c5", "0", "9-0");
        d.check("XREADGROUP", "GROUP", "g", "c6", "STREAMS", "s", "0");
        d.check("XGROUP", "SETID", "s", "g", "0");
        d.check("XREADGROUP", "GROUP", "g", "c6", "STREAMS", "s", ">");
        d.check("XAUTOCLAIM", "s", "g", "c7", "0", "0");
        d.check("XAUTOCLAIM", "s", "g", "c7", "0", "0");
        d.check("XDEL", "s", "30-0");
        d.check("XAUTOCLAIM", "s", "g", "c8", "0", "0", "JUSTID");
        d.check("XPENDING", "s", "g");
        d.check("XINFO", "GROUPS", "s");
        d.check("XGROUP", "DELCONSUMER", "s", "g", "c7");
        d.check("XGROUP", "DELCONSUMER", "s", "g", "c7");
        d.check("XGROUP", "DESTROY", "s", "g");
        d.check("XGROUP", "DESTROY", "s", "g");
    }

    @Differential(protocols = 2)
    void blockedStreamReadersServedByXadd(Dual dual) {
        Counted d = new Counted(dual);
        d.pushServing(cmd("XADD", "b", "1-0", "f", "v"), d.block(1, "XREAD", "BLOCK", "0", "STREAMS", "b", "$"));
        d.check("XGROUP", "CREATE", "b", "g", "$");
        d.pushServing(cmd("XADD", "b", "2-0", "f", "v"),
                d.block(1, "XREADGROUP", "GROUP", "g", "newbie", "BLOCK", "0", "STREAMS", "b", ">"));
        d.pushServing(cmd("XADD", "b", "3-0", "f", "v"),
                d.block(1, "XREADGROUP", "GROUP", "g", "newbie", "NOACK", "BLOCK", "0", "STREAMS", "b", ">"));
        d.pushServing(cmd("XGROUP", "DESTROY", "b", "g"),
                d.block(1, "XREADGROUP", "GROUP", "g", "newbie", "BLOCK", "0", "STREAMS", "b", ">"));
    }
}
