package io.respire.conformance;

import org.opentest4j.AssertionFailedError;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A server's dataset as its clients see it, to compare two servers that must hold the same data (a
 * primary and its replica, a server and one that loaded its files): every live key of every
 * database with its type, absolute expiry time (PEXPIRETIME, exact), value digest (DEBUG
 * DIGEST-VALUE) and, for streams, what the digest leaves out (last ID, consumer groups, their
 * pending entries and consumers); and the function libraries. Keys logically expired but not yet
 * deleted are left out, as KEYS leaves them out.
 */
final class Dataset {
    private static final int DATABASES = 16;
    /** XINFO STREAM FULL fields that depend on the server's own clock or memory layout, not on the data. */
    private static final Set<String> LOCAL_STREAM_FIELDS = Set.of("seen-time", "active-time", "radix-tree-keys",
            "radix-tree-nodes");

    /** "db key" (the key's bytes as ISO-8859-1) to what the key holds, in order. */
    private final Map<String, String> keys;
    private final String functions;

    private Dataset(Map<String, String> keys, String functions) {
        this.keys = keys;
        this.functions = functions;
    }

    /**
     * Reads the whole dataset through {@code c} (which ends in database 0); reads only, never
     * deletes a key. Pipelined: the key names of every database in one round trip, their state in
     * another.
     */
    private static Dataset of(RespConnection c) {
        List<Object[]> listing = new ArrayList<>();
        for (int db = 0; db < DATABASES; db++) {
            listing.add(new Object[] {"SELECT", db});
            listing.add(new Object[] {"KEYS", "*"});
        }
        c.sendAll(listing);
        List<List<byte[]>> names = new ArrayList<>();
        List<Object[]> queries = new ArrayList<>();
        for (int db = 0; db < DATABASES; db++) {
            c.read();
            List<byte[]> inDb = new ArrayList<>();
            c.read().children.forEach(k -> inDb.add(k.data));
            names.add(inDb);
            queries.add(new Object[] {"SELECT", db});
            for (byte[] key : inDb) {
                queries.add(new Object[] {"TYPE", key});
                queries.add(new Object[] {"PEXPIRETIME", key});
                queries.add(new Object[] {"DEBUG", "DIGEST-VALUE", key});
            }
        }
        c.sendAll(queries);
        Map<String, String> keys = new TreeMap<>();
        Map<String, Integer> streams = new TreeMap<>();
        for (int db = 0; db < DATABASES; db++) {
            c.read();
            for (byte[] key : names.get(db)) {
                String type = c.read().text();
                keys.put(db + " " + name(key), "type " + type + ", expires at " + c.read().text() + ", digest "
                        + c.read().children.get(0).text());
                if (type.equals("stream")) {
                    streams.put(db + " " + name(key), db);
                }
            }
        }
        for (Map.Entry<String, Integer> stream : streams.entrySet()) { // once the pipelined replies are all read
            c.call("SELECT", stream.getValue());
            byte[] key = stream.getKey().substring(stream.getKey().indexOf(' ') + 1).getBytes(StandardCharsets.ISO_8859_1);
            keys.merge(stream.getKey(), ", " + streamMetadata(c, key), String::concat);
        }
        c.call("SELECT", 0);
        return new Dataset(keys, functions(c));
    }

    /**
     * The dataset {@code b} reads equals the one {@code a} reads, except for the keys of
     * {@code expected} ("db key" to why they differ by design), which must differ: so that an
     * exception cannot hide that the writes it stands for were never made. A failure names the
     * first differing key with both sides' state and value.
     */
    static void assertSame(String aName, RespConnection a, String bName, RespConnection b, Map<String, String> expected) {
        Dataset ours = of(a);
        Dataset theirs = of(b);
        Set<String> differing = ours.differingKeys(theirs);
        Set<String> unexpected = new TreeSet<>(differing);
        unexpected.removeAll(expected.keySet());
        if (!unexpected.isEmpty()) {
            String first = unexpected.iterator().next();
            throw new AssertionFailedError(unexpected.size() + " key(s) differ between " + aName + " and " + bName
                    + " " + unexpected + "; the first, " + ours.describe(first, aName, a, theirs, bName, b));
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (!differing.contains(e.getKey())) {
                throw new AssertionFailedError("db/key " + e.getKey() + " should differ between " + aName + " and "
                        + bName + " (" + e.getValue() + ") but is " + ours.keys.getOrDefault(e.getKey(), "missing") + " on both");
            }
        }
        if (!ours.functions.equals(theirs.functions)) {
            throw new AssertionFailedError("the function libraries differ:\n  " + aName + ": " + ours.functions
                    + "\n  " + bName + ": " + theirs.functions);
        }
    }

    /** The keys ("db key") whose state differs between the two datasets, or that only one has. */
    private Set<String> differingKeys(Dataset other) {
        Set<String> all = new TreeSet<>(keys.keySet());
        all.addAll(other.keys.keySet());
        all.removeIf(k -> java.util.Objects.equals(keys.get(k), other.keys.get(k)));
        return all;
    }

    /**
     * One difference spelt out: the key's state on each side (around where they part, if long)
     * and its value as {@code thisSide} and {@code otherSide} read it (first elements only).
     */
    private String describe(String dbKey, String thisName, RespConnection thisSide, Dataset other, String otherName,
            RespConnection otherSide) {
        int space = dbKey.indexOf(' ');
        int db = Integer.parseInt(dbKey.substring(0, space));
        byte[] key = dbKey.substring(space + 1).getBytes(StandardCharsets.ISO_8859_1);
        String ours = keys.getOrDefault(dbKey, "(no such key)");
        String theirs = other.keys.getOrDefault(dbKey, "(no such key)");
        int from = Math.max(0, firstDifference(ours, theirs) - 300);
        return "db " + db + " key \"" + RespReply.escape(key) + "\":\n  " + thisName + ": " + excerpt(ours, from)
                + "\n    value " + value(thisSide, db, key) + "\n  " + otherName + ": " + excerpt(theirs, from)
                + "\n    value " + value(otherSide, db, key);
    }

    private static int firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    /** 700 characters of {@code state} from {@code from}. */
    private static String excerpt(String state, int from) {
        from = Math.min(from, state.length());
        int to = Math.min(state.length(), from + 700);
        return (from > 0 ? "..." : "") + state.substring(from, to) + (to < state.length() ? "..." : "");
    }

    private static String name(byte[] key) {
        return new String(key, StandardCharsets.ISO_8859_1);
    }

    /**
     * XINFO STREAM FULL (COUNT 0: every entry and pending entry) without the fields that differ
     * between two servers holding the same stream: each server stamps a consumer with its own
     * clock when it acts, and lays out nodes its own way.
     */
    private static String streamMetadata(RespConnection c, byte[] key) {
        return "metadata " + masked(c.call("XINFO", "STREAM", key, "FULL", "COUNT", "0")).replace('\n', ' ');
    }

    private static String masked(RespReply r) {
        if (!r.isAggregate()) {
            return r.render();
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < r.children.size(); i++) {
            RespReply child = r.children.get(i);
            sb.append(i == 0 ? "" : " ").append(masked(child));
            if (child.data != null && LOCAL_STREAM_FIELDS.contains(child.text()) && i + 1 < r.children.size()) {
                sb.append(" *");
                i++;
            }
        }
        return sb.append(']').toString();
    }

    /** The function libraries (FUNCTION LIST WITHCODE), each as text, in name order (servers list them in hash order). */
    private static String functions(RespConnection c) {
        Set<String> libraries = new TreeSet<>();
        c.call("FUNCTION", "LIST", "WITHCODE").children.forEach(lib -> libraries.add(lib.render()));
        return String.join("\n", libraries);
    }

    /** The value of a key for a failure message, read with its type's read command and cut short. */
    private static String value(RespConnection c, int db, byte[] key) {
        c.call("SELECT", db);
        Object[] read = switch (c.call("TYPE", key).text()) {
            case "string" -> new Object[] {"GETRANGE", key, "0", "199"};
            case "list" -> new Object[] {"LRANGE", key, "0", "19"};
            case "hash" -> new Object[] {"HGETALL", key};
            case "set" -> new Object[] {"SMEMBERS", key};
            case "zset" -> new Object[] {"ZRANGE", key, "0", "19", "WITHSCORES"};
            case "stream" -> new Object[] {"XRANGE", key, "-", "+", "COUNT", "5"};
            default -> null;
        };
        String text = read == null ? "(none)" : c.call(read).render().replace('\n', ' ');
        c.call("SELECT", 0);
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }
}
