package io.respire.server.commands;

import io.respire.ds.stream.ConsumerGroup;
import io.respire.ds.stream.PendingEntry;
import io.respire.server.Client;
import io.respire.server.replication.Effects;

/**
 * The forms in which consumer-group changes are propagated (Redis's streamPropagateXCLAIM,
 * streamPropagateGroupID and streamPropagateConsumerCreation): idempotent commands that put a
 * replica's group in the same state, whatever it held before.
 */
final class StreamEffects {
    private static final byte[] ZERO = {'0'};

    private StreamEffects() {
    }

    /**
     * XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID group-last-id: the
     * pending entry {@code id} (as the command spelt it, or as an ID prints) as it now is.
     */
    static void claim(Client c, byte[] key, byte[] groupName, ConsumerGroup group, byte[] id, PendingEntry nack) {
        if (c.propagating()) {
            c.alsoPropagate(Effects.XCLAIM, key, groupName, nack.consumer().name(), ZERO, id,
                    Effects.TIME, Effects.number(nack.deliveryTime()), Effects.RETRYCOUNT,
                    Effects.number(nack.deliveryCount()), Effects.FORCE, Effects.JUSTID, Effects.LASTID,
                    group.lastId().toBytes());
        }
    }

    /** XGROUP SETID key group last-id ENTRIESREAD n: where a group that acknowledges nothing has read to. */
    static void groupId(Client c, byte[] key, byte[] groupName, ConsumerGroup group) {
        if (c.propagating()) {
            c.alsoPropagate(Effects.XGROUP, Effects.SETID, key, groupName, group.lastId().toBytes(),
                    Effects.ENTRIESREAD, Effects.number(group.entriesRead()));
        }
    }

    /** XGROUP CREATECONSUMER key group consumer. */
    static void consumerCreated(Client c, byte[] key, byte[] groupName, byte[] consumer) {
        c.alsoPropagate(Effects.XGROUP, Effects.CREATECONSUMER, key, groupName, consumer);
    }
}
