package io.respire.server.pubsub;

import io.respire.ds.util.Glob;
import io.respire.protocol.Reply;
import io.respire.server.Client;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server's channel registry (Redis's pubsub.c): who is subscribed to which channel, pattern
 * and shard channel, and the delivery of published messages. One per server, used on the
 * executor thread only, so the messages of one publisher reach every subscriber in the order
 * they were published. Knows nothing of command parsing: {@code PubSubCommands} drives it.
 */
public final class PubSub {
    /** The three kinds of subscription, with the words of their confirmations and messages. */
    public enum Kind {
        CHANNEL("subscribe", "unsubscribe", "message"),
        PATTERN("psubscribe", "punsubscribe", "pmessage"),
        SHARD("ssubscribe", "sunsubscribe", "smessage");

        final String subscribed;
        final String unsubscribed;
        final String message;

        Kind(String subscribed, String unsubscribed, String message) {
            this.subscribed = subscribed;
            this.unsubscribed = unsubscribed;
            this.message = message;
        }
    }

    /**
     * Per kind, channel (or pattern) to its subscribers in subscription order. Patterns keep their
     * creation order, which is the order a message matching several of them is delivered in.
     */
    private final List<Map<ByteBuffer, Set<Client>>> subscribers = List.of(
            new HashMap<>(), new LinkedHashMap<>(), new HashMap<>());

    private Map<ByteBuffer, Set<Client>> registry(Kind kind) {
        return subscribers.get(kind.ordinal());
    }

    /**
     * Subscribes {@code c} (Redis's pubsubSubscribeChannel / pubsubSubscribePattern) and confirms it
     * to the client, whether it was already subscribed or not.
     */
    public void subscribe(Client c, Kind kind, byte[] channel) {
        ByteBuffer name = ByteBuffer.wrap(channel);
        if (c.subscriptions().of(kind).add(name)) {
            registry(kind).computeIfAbsent(name, k -> new LinkedHashSet<>()).add(c);
        }
        confirm(c, kind.subscribed, kind, channel);
    }

    /**
     * Unsubscribes {@code c} from one channel or pattern, confirmed to the client if {@code notify}
     * (even when it was not subscribed). Returns whether it was.
     */
    public boolean unsubscribe(Client c, Kind kind, byte[] channel, boolean notify) {
        ByteBuffer name = ByteBuffer.wrap(channel);
        boolean was = c.hasSubscriptions() && c.subscriptions().of(kind).remove(name);
        if (was) {
            Map<ByteBuffer, Set<Client>> registry = registry(kind);
            Set<Client> clients = registry.get(name);
            clients.remove(c);
            if (clients.isEmpty()) {
                registry.remove(name); // so that unused channels cost nothing
            }
        }
        if (notify) {
            confirm(c, kind.unsubscribed, kind, channel);
        }
        return was;
    }

    /**
     * Unsubscribes {@code c} from every channel (or pattern) of {@code kind}, one confirmation each
     * if {@code notify}, or a single one with a null channel when there was none. Returns how many.
     */
    public int unsubscribeAll(Client c, Kind kind, boolean notify) {
        List<ByteBuffer> names = c.hasSubscriptions() ? new ArrayList<>(c.subscriptions().of(kind)) : List.of();
        for (ByteBuffer name : names) {
            unsubscribe(c, kind, name.array(), notify);
        }
        if (notify && names.isEmpty()) {
            confirm(c, kind.unsubscribed, kind, null);
        }
        return names.size();
    }

    /** Forgets every subscription of a client that disconnects or RESETs, silently. */
    public void forget(Client c) {
        if (c.hasSubscriptions()) {
            for (Kind kind : Kind.values()) {
                unsubscribeAll(c, kind, false);
            }
        }
    }

    /** A (un)subscribe confirmation: a push in RESP3, an array in RESP2. */
    private static void confirm(Client c, String what, Kind kind, byte[] channel) {
        Reply r = c.beginPush();
        r.push(3);
        r.bulk(what);
        if (channel == null) {
            r.nullBulk();
        } else {
            r.bulk(channel);
        }
        r.integer(c.subscriptions().confirmationCount(kind));
        c.endPush();
    }

    /** A message as {@code protocol} frames it: a RESP3 push, or a RESP2 array. */
    private static byte[] encodeMessage(int protocol, String type, byte[] channel, byte[] message) {
        return io.respire.protocol.RespReplyWriter.encode(protocol, 40 + channel.length + message.length, r -> {
            r.push(3);
            r.bulk(type);
            r.bulk(channel);
            r.bulk(message);
        });
    }

    /**
     * Delivers {@code message} to the subscribers of {@code channel} (Redis's pubsubPublishMessage):
     * those of the channel itself, then, except for shard channels, those of every matching
     * pattern. Returns how many deliveries were made.
     */
    public int publish(Kind kind, byte[] channel, byte[] message) {
        int receivers = 0;
        Set<Client> direct = registry(kind).get(ByteBuffer.wrap(channel));
        if (direct != null) {
            // To many subscribers the frame is encoded once per protocol and copied to each (with
            // 50 subscribers, writing it reply by reply for each was most of a PUBLISH's cost).
            byte[][] frames = direct.size() > 1 ? new byte[4][] : null;
            for (Client c : direct) {
                if (c.closingForOutputLimit()) {
                    continue; // counted, not sent, as Redis's addReply to a client closing ASAP
                }
                if (frames != null) {
                    int protocol = c.protocol();
                    if (frames[protocol] == null) {
                        frames[protocol] = encodeMessage(protocol, kind.message, channel, message);
                    }
                    c.pushRaw(frames[protocol]);
                    continue;
                }
                Reply r = c.beginPush();
                r.push(3);
                r.bulk(kind.message);
                r.bulk(channel);
                r.bulk(message);
                c.endPush();
            }
            receivers += direct.size();
        }
        if (kind == Kind.SHARD) {
            return receivers; // shard channels ignore patterns
        }
        for (Map.Entry<ByteBuffer, Set<Client>> e : registry(Kind.PATTERN).entrySet()) {
            byte[] pattern = e.getKey().array();
            if (!Glob.matches(pattern, channel, false)) {
                continue;
            }
            for (Client c : e.getValue()) {
                if (c.closingForOutputLimit()) {
                    continue;
                }
                Reply r = c.beginPush();
                r.push(4);
                r.bulk(Kind.PATTERN.message);
                r.bulk(pattern);
                r.bulk(channel);
                r.bulk(message);
                c.endPush();
            }
            receivers += e.getValue().size();
        }
        return receivers;
    }

    /** Whether nobody is subscribed to any channel or pattern (a publish would reach no one). */
    public boolean idle() {
        return registry(Kind.CHANNEL).isEmpty() && registry(Kind.PATTERN).isEmpty();
    }

    /** How many channels (or patterns, or shard channels) have subscribers. */
    public int size(Kind kind) {
        return registry(kind).size();
    }

    /** How many clients are subscribed to {@code channel} (PUBSUB NUMSUB, SHARDNUMSUB). */
    public int subscribers(Kind kind, byte[] channel) {
        Set<Client> clients = registry(kind).get(ByteBuffer.wrap(channel));
        return clients == null ? 0 : clients.size();
    }

    /** The channels with subscribers that match {@code pattern} (every one if null). */
    public List<byte[]> channels(Kind kind, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (ByteBuffer name : registry(kind).keySet()) {
            byte[] channel = name.array();
            if (pattern == null || Glob.matches(pattern, channel, false)) {
                out.add(channel);
            }
        }
        return out;
    }
}
