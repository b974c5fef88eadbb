package io.respire.server.keyspace;



import java.util.HashMap;
import java.util.Map;

/**
 * What a write did to a key, as Redis's notifyKeyspaceEvent names it: the event ("lpush",
 * "expired"...) and its class, the NOTIFY_* flag whose letter in notify-keyspace-events selects it.
 * Every event Redis 7.0 emits is here, once; keyspace notifications and tracking filter on them.
 */
public record KeyEvent(String name, Type type) {

    /** Redis's NOTIFY_* classes, with their notify-keyspace-events letters. */
    public enum Type {
        GENERIC('g'), STRING('$'), LIST('l'), SET('s'), HASH('h'), ZSET('z'), EXPIRED('x'), EVICTED('e'),
        STREAM('t'), KEY_MISS('m'), MODULE('d'), NEW('n');

        public final char letter;

        Type(char letter) {
            this.letter = letter;
        }
    }

    private static final Map<String, KeyEvent> EVENTS = new HashMap<>();

    static {
        events(Type.GENERIC, "del", "expire", "persist", "rename_from", "rename_to", "move_from", "move_to",
                "copy_to", "restore");
        events(Type.EXPIRED, "expired");
        events(Type.EVICTED, "evicted");
        events(Type.NEW, "new");
        events(Type.KEY_MISS, "keymiss");
        events(Type.STRING, "set", "setrange", "incrby", "incrbyfloat", "append", "setbit", "pfadd");
        events(Type.LIST, "lpush", "rpush", "lpop", "rpop", "linsert", "lset", "lrem", "ltrim", "sortstore");
        events(Type.SET, "sadd", "srem", "spop", "sinterstore", "sunionstore", "sdiffstore");
        events(Type.HASH, "hset", "hdel", "hincrby", "hincrbyfloat");
        events(Type.ZSET, "zadd", "zincr", "zrem", "zremrangebyscore", "zremrangebyrank", "zremrangebylex",
                "zpopmin", "zpopmax", "zinterstore", "zunionstore", "zdiffstore", "zrangestore",
                "georadiusstore", "geosearchstore");
        events(Type.STREAM, "xadd", "xtrim", "xdel", "xsetid", "xgroup-create", "xgroup-createconsumer",
                "xgroup-delconsumer", "xgroup-destroy", "xgroup-setid");
    }

    private static void events(Type type, String... names) {
        for (String name : names) {
            EVENTS.put(name, new KeyEvent(name, type));
        }
    }

    /**
     * The event named {@code name}, or null for null (a change Redis does not notify). A name Redis
     * does not have is a programming error: tests run with assertions on; in production it is
     * classed as generic rather than failing a write that has already happened.
     */
    public static KeyEvent of(String name) {
        if (name == null) {
            return null;
        }
        KeyEvent event = EVENTS.get(name);
        assert event != null : "not a Redis keyspace event: " + name;
        return event != null ? event : new KeyEvent(name, Type.GENERIC);
    }
}
