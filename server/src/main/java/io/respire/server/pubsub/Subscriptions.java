package io.respire.server.pubsub;

import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What one client is subscribed to (Redis's c->pubsub_channels, pubsub_patterns and
 * pubsubshard_channels), in subscription order. Kept by the client; changed only by {@link PubSub}.
 */
public final class Subscriptions {
    private final Set<ByteBuffer>[] byKind;

    @SuppressWarnings("unchecked")
    public Subscriptions() {
        byKind = new Set[PubSub.Kind.values().length];
        for (int i = 0; i < byKind.length; i++) {
            byKind[i] = new LinkedHashSet<>();
        }
    }

    Set<ByteBuffer> of(PubSub.Kind kind) {
        return byKind[kind.ordinal()];
    }

    /** How many channels, patterns or shard channels the client is subscribed to. */
    public int count(PubSub.Kind kind) {
        return byKind[kind.ordinal()].size();
    }

    /**
     * The count a (un)subscribe confirmation carries (Redis's subscriptionCount): channels and
     * patterns together for those two kinds, shard channels alone for shard channels.
     */
    int confirmationCount(PubSub.Kind kind) {
        return kind == PubSub.Kind.SHARD ? count(kind) : count(PubSub.Kind.CHANNEL) + count(PubSub.Kind.PATTERN);
    }

    /**
     * Whether {@code user} may no longer use one of these channels, shard channels or patterns (a
     * pattern is matched literally against the user's channel patterns, as Redis's
     * ACLKillPubsubClientsIfNeeded checks it).
     */
    public boolean anyDeniedTo(io.respire.server.acl.User user) {
        for (PubSub.Kind kind : PubSub.Kind.values()) {
            for (ByteBuffer channel : of(kind)) {
                String name = new String(channel.array(), java.nio.charset.StandardCharsets.ISO_8859_1);
                if (!user.allowsChannel(name, kind == PubSub.Kind.PATTERN)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the client is subscribed to anything: Redis's CLIENT_PUBSUB, the "pubsub" client type. */
    public boolean any() {
        for (Set<ByteBuffer> set : byKind) {
            if (!set.isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
