package io.respire.server.commands;

import io.respire.ds.keyspace.Database;
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
 * <p>Strings are digested exactly as Redis does; other types are refused with an error until their
 * element iteration is wired in here (a wrong digest would pass comparisons it should fail).
 */
final class DatasetDigest {
    private static final byte[] EXPIRE_MARK = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

    private DatasetDigest() {
    }

    /** The digest of every database, 20 zero bytes when all are empty. */
    static byte[] dataset(ServerContext server) {
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
    static void value(Database db, byte[] key, Object value, byte[] digest) {
        int type = typeCode(value);
        mix(digest, new byte[] {0, 0, 0, (byte) type});
        if (type == 0) {
            mix(digest, StringValues.bytes(value));
        }
        if (db.expireAt(key) != -1) {
            xor(digest, EXPIRE_MARK);
        }
    }

    /** Redis's OBJ_STRING, OBJ_LIST... numbers; only strings can be digested so far. */
    private static int typeCode(Object value) {
        String type = ValueTypes.typeName(value);
        if (!type.equals("string")) {
            throw new CommandError("ERR DEBUG DIGEST does not support values of type '" + type + "' yet");
        }
        return 0;
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** Redis's xorDigest: digest ^= SHA1(data), so that the order of the parts does not matter. */
    static void xor(byte[] digest, byte[] data) {
        byte[] hash = sha1().digest(data);
        for (int i = 0; i < 20; i++) {
            digest[i] ^= hash[i];
        }
    }

    /** Redis's mixDigest: digest = SHA1(digest ^ SHA1(data)), so that the order matters. */
    static void mix(byte[] digest, byte[] data) {
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
