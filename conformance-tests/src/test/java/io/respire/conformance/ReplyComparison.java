package io.respire.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * How a Respire reply is judged against Redis's. The default is {@link #EXACT}, byte for byte;
 * the others exist for the few places where Redis itself does not promise one answer (element
 * order of unordered collections, ids, timers) and must be used only there.
 */
@FunctionalInterface
interface ReplyComparison {
    boolean same(RespReply redis, RespReply respire);

    /** Identical bytes on the wire. */
    ReplyComparison EXACT = (a, b) -> Arrays.equals(a.raw, b.raw);

    /** The same type and length only: for values that legitimately differ (CLIENT ID, timestamps). */
    ReplyComparison SHAPE = RespReply::sameShape;

    /**
     * The same elements in any order: for replies whose order is unspecified (KEYS, SMEMBERS). A
     * RESP3 map is compared as a set of key/value pairs.
     */
    ReplyComparison UNORDERED = (a, b) -> {
        if (!a.sameShape(b) || !a.isAggregate()) {
            return Arrays.equals(a.raw, b.raw);
        }
        int group = a.type == '%' ? 2 : 1;
        return sortedGroups(a, group).equals(sortedGroups(b, group));
    };

    /**
     * Integers (or numeric strings) within {@code tolerance} of each other, for values that tick
     * between the two requests (TTL, PTTL). Negative values (-1 no expire, -2 no key) and errors
     * must be identical.
     */
    static ReplyComparison near(long tolerance) {
        return (a, b) -> {
            if (Arrays.equals(a.raw, b.raw)) {
                return true;
            }
            if (a.type != b.type || a.isError() || a.isAggregate() || a.isNull() || b.isNull()) {
                return false;
            }
            try {
                long x = a.asLong();
                long y = b.asLong();
                return x >= 0 && y >= 0 && Math.abs(x - y) <= tolerance;
            } catch (NumberFormatException e) {
                return false;
            }
        };
    }

    /**
     * A map reply (RESP3 map, or RESP2 flat array of field/value) equal except for the values of
     * {@code fields}, which need only have the same shape: HELLO's client id, for example.
     */
    static ReplyComparison exceptFields(String... fields) {
        Set<String> ignored = Set.of(fields);
        return (a, b) -> {
            if (!a.sameShape(b) || !a.isAggregate() || a.children.size() % 2 != 0) {
                return Arrays.equals(a.raw, b.raw);
            }
            for (int i = 0; i < a.children.size(); i += 2) {
                RespReply ka = a.children.get(i);
                RespReply va = a.children.get(i + 1);
                RespReply vb = b.children.get(i + 1);
                if (!Arrays.equals(ka.raw, b.children.get(i).raw)) {
                    return false;
                }
                boolean same = ignored.contains(ka.text()) ? va.sameShape(vb) : Arrays.equals(va.raw, vb.raw);
                if (!same) {
                    return false;
                }
            }
            return true;
        };
    }

    private static List<String> sortedGroups(RespReply r, int group) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < r.children.size(); i += group) {
            StringBuilder sb = new StringBuilder();
            for (int j = i; j < i + group; j++) {
                sb.append(RespReply.escape(r.children.get(j).raw));
            }
            out.add(sb.toString());
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
