package io.respire.conformance;

import java.util.List;

/**
 * Pub/sub (server's PubSubCommands over the pubsub registry): (P|S)SUBSCRIBE and (P|S)UNSUBSCRIBE
 * confirmations and counts, message / pmessage / smessage delivery to other connections, the RESP2
 * subscribed-mode restrictions and PING, RESET, PUBSUB introspection, PUBLISH in MULTI and Lua.
 * Confirmations and messages are pushes in RESP3 and arrays in RESP2, read here as the replies
 * each server owes. Where Redis's order comes from its hash tables (unsubscribing from every
 * channel at once, PUBSUB CHANNELS), one channel is used or the reply compared unordered.
 */
class PubSubDifferentialTest {

    /** Sends a (un)subscribe naming {@code names} and compares its {@code replies} confirmations. */
    private static void checkConfirmations(Dual d, int replies, Object... command) {
        d.sendWithoutReply(command);
        for (int i = 0; i < replies; i++) {
            d.checkPendingReply(RespConnection.describe(command) + ", confirmation #" + (i + 1));
        }
    }

    @Differential
    void subscribeAndUnsubscribeCounts(Dual d) {
        checkConfirmations(d, 3, "SUBSCRIBE", "a", "b", "c");
        checkConfirmations(d, 2, "SUBSCRIBE", "a", "d");
        checkConfirmations(d, 2, "PSUBSCRIBE", "p*", "p*");
        checkConfirmations(d, 1, "UNSUBSCRIBE", "b");
        checkConfirmations(d, 1, "UNSUBSCRIBE", "never");
        checkConfirmations(d, 1, "PUNSUBSCRIBE", "p*");
        checkConfirmations(d, 1, "PUNSUBSCRIBE");
        checkConfirmations(d, 3, "UNSUBSCRIBE", "a", "c", "d");
        checkConfirmations(d, 1, "UNSUBSCRIBE");
        checkConfirmations(d, 1, "SSUBSCRIBE", "s1");
        checkConfirmations(d, 2, "SUBSCRIBE", "x", new byte[] {0, '\r', '\n'});
        checkConfirmations(d, 1, "SUNSUBSCRIBE", "s1");
        checkConfirmations(d, 1, "SUNSUBSCRIBE");
        checkConfirmations(d, 1, "PUNSUBSCRIBE", "nothing*");
        checkConfirmations(d, 1, "UNSUBSCRIBE", "x");
        checkConfirmations(d, 1, "UNSUBSCRIBE", new byte[] {0, '\r', '\n'});
        d.check("GET", "k"); // back to normal mode in RESP2
        d.check("SUBSCRIBE");
        d.check("PSUBSCRIBE");
        d.check("SSUBSCRIBE");
    }

    @Differential
    void subscribedModeAcceptsOnlyPubSubCommands(Dual d) {
        checkConfirmations(d, 1, "SUBSCRIBE", "ch");
        d.check("PING");
        d.check("PING", "hi");
        d.check("GET", "k");
        d.check("SET", "k", "v");
        d.check("PUBLISH", "ch", "to self");
        d.check("CLIENT", "GETNAME"); // a subcommand is named in full in the error (RESP2)
        d.check("NOSUCHCOMMAND");
        d.check("PING", "a", "b");
        checkConfirmations(d, 1, "PSUBSCRIBE", "c*");
        checkConfirmations(d, 1, "SSUBSCRIBE", "sh");
        checkConfirmations(d, 1, "SUNSUBSCRIBE", "sh");
        checkConfirmations(d, 1, "PUNSUBSCRIBE", "c*");
        d.check("RESET");
        d.check("PING");
        d.check("GET", "k");
    }

    @Differential
    void shardSubscriptionAloneIsSubscribedMode(Dual d) {
        checkConfirmations(d, 1, "SSUBSCRIBE", "sh");
        d.check("PING");
        d.check("ECHO", "x");
        checkConfirmations(d, 1, "SUNSUBSCRIBE");
        d.check("PING");
    }

    @Differential
    void messagesReachSubscribers(Dual d) {
        Dual publisher = d.another();
        checkConfirmations(d, 2, "SUBSCRIBE", "news", "other");
        publisher.check("PUBLISH", "news", "hello");
        d.checkPendingReply("message on news");
        publisher.check("PUBLISH", "nobody", "lost");
        publisher.check("PUBLISH", "other", new byte[] {0, 1, '\r', '\n', (byte) 255});
        d.checkPendingReply("binary message on other");
        publisher.check("PUBLISH", "news", "");
        d.checkPendingReply("empty message on news");
        for (int i = 0; i < 20; i++) {
            publisher.check("PUBLISH", "news", "m" + i);
        }
        for (int i = 0; i < 20; i++) {
            d.checkPendingReply("message m" + i + ", in publishing order");
        }
        publisher.check("PUBSUB", "NUMSUB", "news", "other", "none");
        checkConfirmations(d, 1, "UNSUBSCRIBE", "news");
        publisher.check("PUBLISH", "news", "after");
        publisher.check("PUBLISH", "other", "after");
        d.checkPendingReply("message on other after unsubscribing news");
    }

    /** A channel with several subscribers: each gets the same frame (encoded once, copied to each). */
    @Differential
    void aMessageReachesEverySubscriberOfItsChannel(Dual d) {
        Dual publisher = d.another();
        List<Dual> subscribers = List.of(d, d.another(), d.another());
        for (Dual s : subscribers) {
            checkConfirmations(s, 1, "SUBSCRIBE", "room");
        }
        publisher.check("PUBLISH", "room", "hello everyone");
        publisher.check("PUBLISH", "room", "");
        for (Dual s : subscribers) {
            s.checkPendingReply("message room hello everyone");
            s.checkPendingReply("message room (empty)");
        }
    }

    @Differential
    void patternMessages(Dual d) {
        Dual publisher = d.another();
        checkConfirmations(d, 1, "PSUBSCRIBE", "news.*");
        Dual second = d.another();
        checkConfirmations(second, 2, "PSUBSCRIBE", "h?llo", "[a-c]x");
        publisher.check("PUBLISH", "news.sport", "goal");
        d.checkPendingReply("pmessage news.*");
        publisher.check("PUBLISH", "hallo", "1");
        second.checkPendingReply("pmessage h?llo");
        publisher.check("PUBLISH", "bx", "2");
        second.checkPendingReply("pmessage [a-c]x");
        publisher.check("PUBLISH", "dx", "3");
        publisher.check("PUBSUB", "NUMPAT");
        // a client subscribed both to a channel and to a pattern matching it gets both
        checkConfirmations(d, 1, "SUBSCRIBE", "news.tv");
        publisher.check("PUBLISH", "news.tv", "both");
        d.checkPendingReply("message news.tv");
        d.checkPendingReply("pmessage news.* for news.tv");
    }

    @Differential
    void shardMessages(Dual d) {
        Dual publisher = d.another();
        checkConfirmations(d, 2, "SSUBSCRIBE", "orders", "orders");
        Dual patterns = d.another();
        checkConfirmations(patterns, 1, "PSUBSCRIBE", "*");
        publisher.check("SPUBLISH", "orders", "o1");
        d.checkPendingReply("smessage orders");
        publisher.check("PUBLISH", "orders", "not a shard message");
        patterns.checkPendingReply("pmessage * (a classic publish)");
        publisher.check("PUBSUB", "SHARDNUMSUB", "orders", "x");
        publisher.check("PUBSUB", "SHARDCHANNELS");
        publisher.check("PUBSUB", "SHARDCHANNELS", "ord*");
        publisher.check("PUBSUB", "SHARDCHANNELS", "x*");
        publisher.check("PUBSUB", "CHANNELS");
        publisher.check("SPUBLISH", "nobody", "x");
    }

    @Differential
    void introspection(Dual d) {
        Dual subscriber = d.another();
        d.check("PUBSUB", "CHANNELS");
        d.check("PUBSUB", "NUMPAT");
        d.check("PUBSUB", "NUMSUB");
        checkConfirmations(subscriber, 3, "SUBSCRIBE", "alpha", "beta", "gamma");
        checkConfirmations(subscriber, 2, "PSUBSCRIBE", "a*", "b*");
        d.checkWith(ReplyComparison.UNORDERED, "PUBSUB", "CHANNELS");
        d.check("PUBSUB", "CHANNELS", "a*");
        d.check("PUBSUB", "CHANNELS", "*mm*");
        d.check("PUBSUB", "CHANNELS", "zzz");
        d.check("PUBSUB", "NUMSUB", "alpha", "zeta", "alpha");
        d.check("PUBSUB", "NUMPAT");
        d.check("PUBSUB", "CHANNELS", "a", "b");
        d.check("PUBSUB", "SHARDCHANNELS", "a", "b");
        d.check("PUBSUB", "NUMPAT", "x");
        d.check("PUBSUB", "HELP");
        d.check("PUBSUB", "help", "x");
        d.check("PUBSUB", "NOPE");
        d.check("PUBSUB");
        d.check("PUBLISH", "alpha");
        d.check("SUBSCRIBE");
        d.check("INFO", "nosuchsection");
    }

    @Differential
    void publishInsideMultiAndScripts(Dual d) {
        Dual subscriber = d.another();
        checkConfirmations(subscriber, 1, "SUBSCRIBE", "ev");
        d.check("MULTI");
        d.check("PUBLISH", "ev", "one");
        d.check("SET", "k", "v");
        d.check("PUBLISH", "ev", "two");
        d.check("EXEC");
        subscriber.checkPendingReply("message one from MULTI");
        subscriber.checkPendingReply("message two from MULTI");
        d.check("EVAL", "return redis.call('publish', ARGV[1], ARGV[2])", "0", "ev", "lua");
        subscriber.checkPendingReply("message from Lua");
        d.check("EVAL", "return redis.call('subscribe', 'x')", "0");
        d.check("EVAL", "#!lua flags=no-writes\nreturn redis.call('publish', 'ev', 'ro')", "0");
        d.check("MULTI");
        d.check("SSUBSCRIBE", "s");
        d.check("EXEC");
    }

    @Differential
    void subscribeInsideMulti(Dual d) {
        Dual publisher = d.another();
        d.check("MULTI");
        d.check("SUBSCRIBE", "m");
        d.check("EXEC");
        publisher.check("PUBLISH", "m", "after exec");
        d.checkPendingReply("message after a SUBSCRIBE run by EXEC");
    }

    @Differential(protocols = 3)
    void resp3PushesInterleaveWithReplies(Dual d) {
        Dual publisher = d.another();
        checkConfirmations(d, 1, "SUBSCRIBE", "c");
        d.check("SET", "k", "v"); // RESP3: any command runs while subscribed
        d.check("PUBLISH", "c", "to self"); // the push comes before the reply to PUBLISH
        d.checkPendingReply("reply to PUBLISH after the push");
        publisher.check("PUBLISH", "c", "from other");
        d.checkPendingReply("push from the publisher");
        d.check("GET", "k");
        d.check("PING");
    }
}
