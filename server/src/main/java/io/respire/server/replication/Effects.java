package io.respire.server.replication;

import java.nio.charset.StandardCharsets;

/**
 * The command names and words that rewritten effects are made of, spelt as Redis's shared objects
 * spell them (server.c createSharedObjects: "PXAT", "left"...), since consumers compare bytes.
 */
public final class Effects {
    private Effects() {
    }

    public static final byte[] DEL = word("DEL");
    public static final byte[] UNLINK = word("UNLINK");
    public static final byte[] SET = word("SET");
    public static final byte[] PXAT = word("PXAT");
    public static final byte[] KEEPTTL = word("KEEPTTL");
    public static final byte[] ABSTTL = word("ABSTTL");
    public static final byte[] PEXPIREAT = word("PEXPIREAT");
    public static final byte[] PERSIST = word("PERSIST");
    public static final byte[] HSET = word("HSET");
    public static final byte[] SREM = word("SREM");
    public static final byte[] LPOP = word("LPOP");
    public static final byte[] RPOP = word("RPOP");
    public static final byte[] LMOVE = word("LMOVE");
    public static final byte[] RPOPLPUSH = word("RPOPLPUSH");
    public static final byte[] LEFT = word("left");
    public static final byte[] RIGHT = word("right");
    public static final byte[] ZPOPMIN = word("ZPOPMIN");
    public static final byte[] ZPOPMAX = word("ZPOPMAX");
    /** GEOADD's effect: geo.c builds its ZADD with createRawStringObject("zadd"). */
    public static final byte[] ZADD_LOWER_CASE = word("zadd");
    public static final byte[] XCLAIM = word("XCLAIM");
    public static final byte[] XGROUP = word("XGROUP");
    public static final byte[] SETID = word("SETID");
    public static final byte[] CREATECONSUMER = word("CREATECONSUMER");
    public static final byte[] ENTRIESREAD = word("ENTRIESREAD");
    public static final byte[] TIME = word("TIME");
    public static final byte[] RETRYCOUNT = word("RETRYCOUNT");
    public static final byte[] FORCE = word("FORCE");
    public static final byte[] JUSTID = word("JUSTID");
    public static final byte[] LASTID = word("LASTID");
    public static final byte[] EQUALS = word("=");
    public static final byte[] PING = word("ping");
    public static final byte[] REPLCONF = word("REPLCONF");
    public static final byte[] GETACK = word("GETACK");
    public static final byte[] ASTERISK = word("*");

    /** A number as its decimal digits. */
    public static byte[] number(long n) {
        return word(Long.toString(n));
    }

    /** DEL, or UNLINK when the deletion is lazy (the lazyfree-lazy-* setting that applies). */
    public static byte[] delete(boolean lazy) {
        return lazy ? UNLINK : DEL;
    }

    private static byte[] word(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
