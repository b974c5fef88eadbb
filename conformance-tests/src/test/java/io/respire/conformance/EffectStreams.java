package io.respire.conformance;

import org.opentest4j.AssertionFailedError;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Compares two streams of propagated effects (a replica's stream, or the commands of an
 * incremental AOF file), Redis's and Respire's, each command as its arguments: identical, except
 * absolute times (PXAT, PEXPIREAT, XCLAIM's TIME, IDs XADD generated), which the two servers
 * computed at slightly different instants and may differ by a few seconds.
 */
final class EffectStreams {
    /** Absolute milliseconds the two servers computed at slightly different instants. */
    static final long TIME_TOLERANCE_MS = 10_000;

    private EffectStreams() {
    }

    /** Fails naming the first command that differs on each side, then both streams. */
    static void assertSame(String what, List<List<String>> redis, List<List<String>> respire) {
        int i = 0;
        while (i < redis.size() && i < respire.size() && sameCommand(redis.get(i), respire.get(i))) {
            i++;
        }
        if (i == redis.size() && i == respire.size()) {
            return;
        }
        throw new AssertionFailedError(what + " differs from Redis " + ExternalTools.EXPECTED_REDIS_VERSION
                + "'s at command #" + (i + 1)
                + "\n  redis:   " + (i < redis.size() ? redis.get(i) : "<end>")
                + "\n  respire: " + (i < respire.size() ? respire.get(i) : "<end>")
                + "\nwhole streams:\n  redis:   " + redis + "\n  respire: " + respire,
                redis.toString(), respire.toString());
    }

    private static boolean sameCommand(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i)) && !closeTimes(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Two absolute times in ms, or stream IDs made of one, within the tolerance (same sequence). */
    private static boolean closeTimes(String a, String b) {
        String[] x = a.split("-", 2);
        String[] y = b.split("-", 2);
        if (x.length != y.length || (x.length == 2 && !x[1].equals(y[1]))) {
            return false;
        }
        try {
            long ta = Long.parseLong(x[0]);
            long tb = Long.parseLong(y[0]);
            return ta > 1_000_000_000_000L && tb > 1_000_000_000_000L && Math.abs(ta - tb) <= TIME_TOLERANCE_MS;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The stream with the arguments after the key of each command {@code name} replaced by a
     * placeholder, once checked to be values the server drew at random and replied with (SPOP's
     * SREM, a script's SET of what SRANDMEMBER chose): compared by their effect.
     */
    static List<List<String>> byEffect(List<List<String>> stream, Set<String> drawn, String name) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> command : stream) {
            List<String> c = new ArrayList<>(command);
            if (c.get(0).equalsIgnoreCase(name)) {
                for (int i = 2; i < c.size(); i++) {
                    if (!drawn.contains(c.get(i))) {
                        throw new AssertionFailedError(name + " of " + c.get(i) + ", which the server did not reply with: " + stream);
                    }
                    c.set(i, "<drawn>");
                }
            }
            out.add(c);
        }
        return out;
    }
}
