package io.respire.server.pubsub;

import io.respire.ds.keyspace.Database;
import io.respire.server.config.SpecialOptions.KeyspaceEvents;
import io.respire.server.keyspace.KeyEvent;
import io.respire.server.keyspace.KeyspaceListener;

import java.nio.charset.StandardCharsets;

/**
 * Keyspace notifications (Redis's notify.c): a listener of the write gate that publishes each
 * event whose class notify-keyspace-events selects, as "__keyspace@db__:key" carrying the event
 * name and "__keyevent@db__:event" carrying the key, in that order.
 */
public final class KeyspaceNotifications implements KeyspaceListener {
    private static final byte[] KEYSPACE = "__keyspace@".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEYEVENT = "__keyevent@".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEPARATOR = "__:".getBytes(StandardCharsets.US_ASCII);

    private final KeyspaceEvents setting;
    private final PubSub pubSub;
    /** The notify-keyspace-events bit of each event class, by KeyEvent.Type ordinal. */
    private final int[] classBits;

    public KeyspaceNotifications(KeyspaceEvents setting, PubSub pubSub) {
        this.setting = setting;
        this.pubSub = pubSub;
        KeyEvent.Type[] types = KeyEvent.Type.values();
        classBits = new int[types.length];
        for (KeyEvent.Type type : types) {
            classBits[type.ordinal()] = KeyspaceEvents.bitOf(type.letter);
        }
    }

    @Override
    public void keyNotified(Database db, byte[] key, KeyEvent event) {
        int flags = setting.flags();
        if ((flags & classBits[event.type().ordinal()]) == 0 || pubSub.idle()) {
            return; // nobody could receive it: skip building the channel names
        }
        byte[] name = event.name().getBytes(StandardCharsets.US_ASCII);
        byte[] dbId = Integer.toString(db.id()).getBytes(StandardCharsets.US_ASCII);
        if ((flags & KeyspaceEvents.KEYSPACE) != 0) {
            pubSub.publish(PubSub.Kind.CHANNEL, channel(KEYSPACE, dbId, key), name);
        }
        if ((flags & KeyspaceEvents.KEYEVENT) != 0) {
            pubSub.publish(PubSub.Kind.CHANNEL, channel(KEYEVENT, dbId, name), key);
        }
    }

    /** prefix + db + "__:" + suffix. */
    private static byte[] channel(byte[] prefix, byte[] dbId, byte[] suffix) {
        byte[] out = new byte[prefix.length + dbId.length + SEPARATOR.length + suffix.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(dbId, 0, out, prefix.length, dbId.length);
        System.arraycopy(SEPARATOR, 0, out, prefix.length + dbId.length, SEPARATOR.length);
        System.arraycopy(suffix, 0, out, prefix.length + dbId.length + SEPARATOR.length, suffix.length);
        return out;
    }
}
