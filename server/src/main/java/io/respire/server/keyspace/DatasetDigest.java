package io.respire.server.keyspace;

import io.respire.ds.hash.HashValue;
import io.respire.ds.keyspace.Database;
import io.respire.ds.keyspace.ValueTypes;
import io.respire.ds.list.QuickList;
import io.respire.ds.listpack.ValueSink;
import io.respire.ds.set.SetValue;
import io.respire.ds.stream.Stream;
import io.respire.ds.stream.StreamCursor;
import io.respire.ds.stream.StreamId;
import io.respire.ds.util.Numbers;
import io.respire.ds.zset.ZSetValue;
import io.respire.protocol.DoubleFormat;
import io.respire.server.CommandError;
import io.respire.server.ServerContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Redis's DEBUG DIGEST and DIGEST-VALUE (debug.c computeDatasetDigest, xorObjectDigest): a SHA1
 * signature of the data, the same whatever the order of keys and of unordered elements (their
 * digests are xored together) but sensitive to the order of list elements (mixed in one after the
 * other). Tests take it before and after an operation that must not change the data.
 *
 * <p>Strings, lists, sets, sorted sets, hashes and streams (their entries; groups are not part of
 * Redis's digest) are digested exactly as Redis does; a type not handled here is refused with an
 * error, since a wrong digest would pass comparisons it should fail.
 */
public final class DatasetDigest {
    private static final byte[] EXPIRE_MARK = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

    private DatasetDigest() {
    }

    /** The digest of every database, 20 zero bytes when all are empty. */
    public static byte[] dataset(ServerContext server) {
        byte[] total = new byte[20];
        for (int i = 0; i < server.databaseCount(); i++) {
            Database db = server.database(i);
            if (db.size() == 0) {
                continue;
            }
            // The database number goes in first, so the same data in another database differs.
            mix(total, new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
            db.forEach((key, value) -> {
                byte[] pair = new byte[20];
                mix(pair, key);
                value(db, key, value, pair);
                xor(total, pair);
            });
        }
        return total;
    }

    /** The digest of one key's value (DIGEST-VALUE), mixed into {@code digest}. */
    public static void value(Database db, byte[] key, Object value, byte[] digest) {
        String type = ValueTypes.typeName(value);
        switch (type) {
            case "string" -> {
                typeCode(digest, 0);
                mix(digest, StringValues.bytes(value));
            }
            case "list" -> {
                typeCode(digest, 1);
                try (QuickList.Iter it = ((QuickList) value).iterator(true)) {
                    while (it.next()) {
                        mix(digest, it.value());
                    }
                }
            }
            case "set" -> {
                typeCode(digest, 2);
                ((SetValue) value).forEach(member -> xor(digest, member));
            }
            case "zset" -> {
                typeCode(digest, 3);
                ((ZSetValue) value).forEach((member, score) ->
                        xorPair(digest, member, DoubleFormat.g17(score).getBytes(StandardCharsets.US_ASCII)));
            }
            case "hash" -> {
                typeCode(digest, 4);
                HashValue.Cursor cursor = ((HashValue) value).cursor();
                while (cursor.next()) {
                    xorPair(digest, cursor.field(), cursor.value());
                }
            }
            case "stream" -> {
                typeCode(digest, 6);
                streamDigest((Stream) value, digest);
            }
            default -> throw new CommandError("ERR DEBUG DIGEST does not support values of type '" + type + "' yet");
        }
        if (db.expireAt(key) != -1) {
            xor(digest, EXPIRE_MARK);
        }
    }

    /** A stream's live entries in order: each ID as "ms.seq", then its fields and values. */
    private static void streamDigest(Stream stream, byte[] digest) {
        ValueSink mixer = new ValueSink() {
            @Override
            public void bytes(byte[] array, int offset, int length) {
                mix(digest, java.util.Arrays.copyOfRange(array, offset, offset + length));
            }

            @Override
            public void integer(long value) {
                mix(digest, Numbers.toBytes(value));
            }
        };
        StreamCursor cur = stream.cursor(StreamId.MIN, StreamId.MAX, false);
        while (cur.next()) {
            mix(digest, (Long.toUnsignedString(cur.ms()) + "." + Long.toUnsignedString(cur.seq()))
                    .getBytes(StandardCharsets.US_ASCII));
            cur.entry().forEachFieldAndValue(mixer);
        }
    }

    /** Mixes in Redis's OBJ_STRING, OBJ_LIST... number of the type, as a big-endian int. */
    private static void typeCode(byte[] digest, int type) {
        mix(digest, new byte[] {0, 0, 0, (byte) type});
    }

    /** An unordered element made of two parts (hash field and value, zset member and score). */
    private static void xorPair(byte[] digest, byte[] first, byte[] second) {
        byte[] element = new byte[20];
        mix(element, first);
        mix(element, second);
        xor(digest, element);
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** Redis's xorDigest: digest ^= SHA1(data), so that the order of the parts does not matter. */
    public static void xor(byte[] digest, byte[] data) {
        byte[] hash = sha1().digest(data);
        for (int i = 0; i < 20; i++) {
            digest[i] ^= hash[i];
        }
    }

    /** Redis's mixDigest: digest = SHA1(digest ^ SHA1(data)), so that the order matters. */
    public static void mix(byte[] digest, byte[] data) {
        xor(digest, data);
        System.arraycopy(sha1().digest(digest), 0, digest, 0, 20);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
