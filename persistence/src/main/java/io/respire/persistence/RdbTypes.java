package io.respire.persistence;

/** The type and opcode bytes of RDB format 10 (rdb.h of Redis 7.0). */
public final class RdbTypes {
    public static final int STRING = 0;
    public static final int LIST = 1;
    public static final int SET = 2;
    public static final int ZSET = 3;
    public static final int HASH = 4;
    public static final int ZSET_2 = 5;
    public static final int MODULE = 6;
    public static final int MODULE_2 = 7;
    public static final int HASH_ZIPMAP = 9;
    public static final int LIST_ZIPLIST = 10;
    public static final int SET_INTSET = 11;
    public static final int ZSET_ZIPLIST = 12;
    public static final int HASH_ZIPLIST = 13;
    public static final int LIST_QUICKLIST = 14;
    public static final int STREAM_LISTPACKS = 15;
    public static final int HASH_LISTPACK = 16;
    public static final int ZSET_LISTPACK = 17;
    public static final int LIST_QUICKLIST_2 = 18;
    public static final int STREAM_LISTPACKS_2 = 19;

    public static final int OPCODE_MODULE_AUX = 247;
    public static final int OPCODE_IDLE = 248;
    public static final int OPCODE_FREQ = 249;
    public static final int OPCODE_AUX = 250;
    public static final int OPCODE_RESIZEDB = 251;
    public static final int OPCODE_EXPIRETIME_MS = 252;
    public static final int OPCODE_EXPIRETIME = 253;
    public static final int OPCODE_SELECTDB = 254;
    public static final int OPCODE_EOF = 255;

    /** quicklist node containers (QUICKLIST_NODE_CONTAINER_PLAIN / _PACKED). */
    static final int CONTAINER_PLAIN = 1;
    static final int CONTAINER_PACKED = 2;

    private RdbTypes() {
    }

    /** Whether {@code type} is the type byte of a value (rdbIsObjectType). */
    public static boolean isObjectType(int type) {
        return (type >= STRING && type <= MODULE_2) || (type >= HASH_ZIPMAP && type <= STREAM_LISTPACKS_2);
    }
}
