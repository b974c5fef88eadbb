package io.respire.conformance;

/**
 * Client-side caching (server's Tracking and TrackingCommands): CLIENT TRACKING in default, BCAST
 * (with prefixes), OPTIN and OPTOUT modes, NOLOOP, REDIRECT to a RESP2 subscriber of
 * __redis__:invalidate, invalidation on writes, expiry and flushes, CLIENT CACHING, GETREDIR,
 * TRACKINGINFO, CLIENT LIST flags and the errors of every option. Invalidations are pushes read as
 * the replies each server owes; a PING after them shows nothing else was sent.
 */
class TrackingDifferentialTest {

    /** A second connection's write; then the tracking client's pending pushes, then its PING. */
    private static void writeElsewhere(Dual tracking, Dual writer, int pushes, Object... command) {
        writer.check(command);
        for (int i = 0; i < pushes; i++) {
            tracking.checkPendingReply("invalidation #" + (i + 1) + " after `" + RespConnection.describe(command) + "`");
        }
        tracking.check("PING");
    }

    @Differential(protocols = 3)
    void defaultModeInvalidatesKeysReadOnce(Dual d) {
        Dual writer = d.another();
        d.check("CLIENT", "TRACKING", "ON");
        d.check("SET", "k", "1");
        d.check("GET", "k");
        d.check("MGET", "a", "b");
        writeElsewhere(d, writer, 1, "SET", "k", "2");
        writeElsewhere(d, writer, 0, "SET", "k", "3"); // not read again: not tracked any more
        writeElsewhere(d, writer, 2, "MSET", "a", "1", "b", "2");
        d.check("GET", "k");
        d.check("SET", "k", "self");
        d.checkPendingReply("the invalidation of its own write, after the reply");
        d.check("GET", "k");
        writeElsewhere(d, writer, 1, "DEL", "k");
        d.check("HGET", "h", "f");
        writeElsewhere(d, writer, 1, "HSET", "h", "f", "v");
        d.check("GET", "e");
        writer.check("SET", "e", "v", "PX", "20");
        d.checkPendingReply("the invalidation of SET e");
        d.check("GET", "e"); // tracked again
        d.check("DEBUG", "SET-ACTIVE-EXPIRE", "0"); // so that this lookup is what expires it, on both
        try {
            sleep(50);
            d.check("GET", "e"); // the lazy expiry invalidates it, after this reply
            d.checkPendingReply("the invalidation of the expired e");
        } finally {
            d.check("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
        writeElsewhere(d, writer, 1, "FLUSHALL");
        d.check("CLIENT", "TRACKING", "OFF");
        d.check("GET", "k");
        writeElsewhere(d, writer, 0, "SET", "k", "4");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Redis signals a key (tracking's invalidation) before it publishes the keyspace event: a
     * RESP3 client doing both receives the two pushes in that order.
     */
    @Differential(protocols = 3)
    void invalidationComesBeforeTheKeyspaceEvent(Dual d) {
        Dual writer = d.another();
        d.check("CONFIG", "SET", "notify-keyspace-events", "KEA");
        try {
            d.check("CLIENT", "TRACKING", "ON");
            d.check("SUBSCRIBE", "__keyevent@0__:set", "__keyevent@0__:del");
            d.check("GET", "k");
            writeElsewhere(d, writer, 2, "SET", "k", "1");
            d.check("GET", "k");
            writeElsewhere(d, writer, 2, "DEL", "k");
        } finally {
            d.check("CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    @Differential(protocols = 3)
    void noloopSkipsOwnWrites(Dual d) {
        Dual writer = d.another();
        d.check("CLIENT", "TRACKING", "ON", "NOLOOP");
        d.check("GET", "k");
        d.check("SET", "k", "mine");
        d.check("PING");
        d.check("GET", "k");
        writeElsewhere(d, writer, 1, "SET", "k", "theirs");
    }

    @Differential(protocols = 3)
    void bcastWithPrefixes(Dual d) {
        Dual writer = d.another();
        d.check("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:", "PREFIX", "order:");
        d.check("CLIENT", "TRACKINGINFO");
        writeElsewhere(d, writer, 1, "SET", "user:1", "a");
        writeElsewhere(d, writer, 0, "SET", "product:1", "a");
        writeElsewhere(d, writer, 2, "MSET", "user:2", "b", "order:9", "c", "user:3", "d");
        writer.check("MULTI");
        writer.check("SET", "user:5", "x");
        writer.check("SET", "user:4", "y");
        writer.check("DEL", "user:5");
        writeElsewhere(d, writer, 1, "EXEC");
        d.check("SET", "user:self", "1");
        d.checkPendingReply("BCAST includes its own writes without NOLOOP");
        d.check("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:x");
        d.check("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "admin:");
        d.check("CLIENT", "TRACKINGINFO");
        d.check("CLIENT", "TRACKING", "OFF");
        d.check("CLIENT", "TRACKING", "ON", "BCAST", "NOLOOP");
        d.check("SET", "x", "1");
        d.check("PING");
        writeElsewhere(d, writer, 1, "SET", "x", "2");
    }

    @Differential(protocols = 3)
    void optinAndOptout(Dual d) {
        Dual writer = d.another();
        d.check("CLIENT", "TRACKING", "ON", "OPTIN");
        d.check("GET", "not-cached");
        d.check("CLIENT", "CACHING", "YES");
        d.check("CLIENT", "TRACKINGINFO");
        d.check("GET", "cached");
        d.check("CLIENT", "TRACKINGINFO");
        writeElsewhere(d, writer, 0, "SET", "not-cached", "1");
        writeElsewhere(d, writer, 1, "SET", "cached", "1");
        d.check("CLIENT", "CACHING", "NO");
        d.check("CLIENT", "TRACKING", "ON", "OPTOUT");
        d.check("CLIENT", "TRACKING", "OFF");
        d.check("CLIENT", "TRACKING", "ON", "OPTOUT");
        d.check("GET", "a");
        d.check("CLIENT", "CACHING", "NO");
        d.check("GET", "b");
        writeElsewhere(d, writer, 1, "MSET", "a", "1", "b", "1");
        d.check("CLIENT", "CACHING", "YES");
    }

    @Differential
    void redirectToASubscriberOfTheInvalidateChannel(Dual d) {
        Dual redirection = d.another();
        Dual writer = d.another();
        long redisId = redirection.both("CLIENT", "ID")[0].asLong();
        long respireId = redirection.both("CLIENT", "ID")[1].asLong();
        redirection.sendWithoutReply("SUBSCRIBE", "__redis__:invalidate");
        redirection.checkPendingReply("SUBSCRIBE __redis__:invalidate");
        d.checkVariants(new Object[] {"CLIENT", "TRACKING", "ON", "REDIRECT", redisId},
                new Object[] {"CLIENT", "TRACKING", "ON", "REDIRECT", respireId});
        RespReply[] redir = d.both("CLIENT", "GETREDIR");
        if (redir[0].asLong() != redisId || redir[1].asLong() != respireId) {
            throw new AssertionError("CLIENT GETREDIR: " + redir[0].render() + " / " + redir[1].render());
        }
        d.check("GET", "k");
        writer.check("SET", "k", "v");
        redirection.checkPendingReply("invalidation on the redirection");
        writer.check("FLUSHDB");
        redirection.checkPendingReply("flush invalidation on the redirection");
        redirection.check("PING");
    }

    @Differential
    void errorsAndIntrospection(Dual d) {
        d.check("CLIENT", "GETREDIR");
        d.check("CLIENT", "TRACKINGINFO");
        d.check("CLIENT", "CACHING", "YES");
        d.check("CLIENT", "TRACKING", "MAYBE");
        d.check("CLIENT", "TRACKING", "ON", "BOGUS");
        d.check("CLIENT", "TRACKING", "ON", "PREFIX", "a");
        d.check("CLIENT", "TRACKING", "ON", "BCAST", "OPTIN");
        d.check("CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT");
        d.check("CLIENT", "TRACKING", "ON", "REDIRECT", "999999");
        d.check("CLIENT", "TRACKING", "ON", "REDIRECT", "abc");
        d.check("CLIENT", "TRACKING", "ON", "REDIRECT");
        d.check("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab", "PREFIX", "a");
        // Not "PREFIX a PREFIX b PREFIX bc": Redis 7.0.15 then replies the error and also +OK, having
        // enabled the prefixes anyway (checkPrefixCollisionsOrReply returns the index); Respire only errs.
        d.check("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "x");
        d.check("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "xy");
        d.check("CLIENT", "TRACKING", "ON");
        d.check("CLIENT", "TRACKING", "ON", "BCAST", "OPTOUT");
        d.check("CLIENT", "TRACKINGINFO");
        d.check("CLIENT", "TRACKING", "OFF");
        d.check("CLIENT", "TRACKING", "ON", "OPTIN", "NOLOOP");
        d.check("CLIENT", "TRACKING", "ON", "OPTOUT");
        d.check("CLIENT", "CACHING", "NO");
        d.check("CLIENT", "CACHING", "MAYBE");
        d.check("CLIENT", "TRACKINGINFO");
        d.check("CLIENT", "GETREDIR");
        d.check("CLIENT", "TRACKING");
        d.check("CLIENT", "CACHING");
        d.check("CLIENT", "GETREDIR", "x");
        d.check("CLIENT", "TRACKINGINFO", "x");
        d.check("RESET");
        d.check("CLIENT", "TRACKINGINFO");
    }
}
