package io.respire.conformance;

import org.opentest4j.AssertionFailedError;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Streams (server's StreamCommands and friends) against redis-server 7.0.15, in RESP2 and RESP3:
 * every command with its options and errors, blocked readers, and seeded random workloads of
 * producers, consumer groups, claims, trims and deletions with the whole stream and its XINFO
 * STREAM FULL compared after every step.
 *
 * <p>Two things legitimately differ between the servers and are normalised, nothing else:
 * <ul>
 *   <li>auto-generated IDs ({@code XADD *}) hold each server's clock: those replies are compared
 *       by shape, and the workloads use explicit IDs ({@code ms-seq} or {@code ms-*});</li>
 *   <li>times: seen-time and delivery times (XINFO STREAM FULL), idle times (XPENDING,
 *       XINFO CONSUMERS) are each server's clock. {@link #TIMES_MASKED} compares such replies
 *       with those values replaced by a placeholder (an integer either way), everything else
 *       byte for byte. Claims and pending filters use a min-idle of 0 (or one no entry reaches),
 *       so what they select does not depend on time.</li>
 * </ul>
 */
class StreamCommandsDifferentialTest {
    private static final int STEPS_PER_SEED = 400;
    private static final int HISTORY = 12;

    /** Replies with time values masked (see the class comment). */
    static final ReplyComparison TIMES_MASKED = (a, b) -> masked(a).equals(masked(b));

    // ------------------------------------------------------------------------------------------
    // Masking times

    /**
     * A rendering of the reply with time values replaced by "&lt;time&gt;": the values of
     * "seen-time" and "idle" in maps, the third element of XPENDING's [id, consumer, idle,
     * count] and of a group PEL's [id, consumer, delivery-time, count], the second of a consumer
     * PEL's [id, delivery-time, count]. An element is masked only if it is an integer.
     */
    static String masked(RespReply r) {
        StringBuilder sb = new StringBuilder();
        mask(r, sb, false);
        return sb.toString();
    }

    private static void mask(RespReply r, StringBuilder sb, boolean isTime) {
        if (isTime && r.type == ':') {
            sb.append("<time>");
            return;
        }
        if (!r.isAggregate()) {
            sb.append(RespReply.escape(r.raw));
            return;
        }
        sb.append(r.type).append(r.children.size()).append('[');
        List<RespReply> ch = r.children;
        int timeIndex = pendingTimeIndex(r);
        for (int i = 0; i < ch.size(); i++) {
            boolean time = i == timeIndex;
            if (i > 0 && isKey(ch.get(i - 1), "seen-time", "idle") && (i % 2 == 1)) {
                time = true;
            }
            mask(ch.get(i), sb, time);
            sb.append(',');
        }
        sb.append(']');
    }

    /** Where the time is in a pending-entry array: [id, name, time, n] at 2, [id, time, n] at 1. */
    private static int pendingTimeIndex(RespReply r) {
        List<RespReply> ch = r.children;
        if (r.type != '*' || ch.isEmpty() || !isId(ch.get(0))) {
            return -1;
        }
        if (ch.size() == 4 && ch.get(1).type == '$' && ch.get(2).type == ':' && ch.get(3).type == ':') {
            return 2;
        }
        if (ch.size() == 3 && ch.get(1).type == ':' && ch.get(2).type == ':') {
            return 1;
        }
        return -1;
    }

    /** As {@link #TIMES_MASKED}, and the first entry's idle time of an XPENDING range within {@code tolerance}. */
    static ReplyComparison idleNear(long tolerance) {
        return (a, b) -> TIMES_MASKED.same(a, b) && !a.children.isEmpty()
                && Math.abs(a.children.get(0).children.get(2).asLong() - b.children.get(0).children.get(2).asLong()) <= tolerance;
    }

    private static boolean isId(RespReply r) {
        return r.type == '$' && r.data != null && r.text().matches("\\d+-\\d+");
    }

    private static boolean isKey(RespReply r, String... names) {
        if (r.type != '$' || r.data == null) {
            return false;
        }
        return Arrays.asList(names).contains(r.text());
    }

    // ------------------------------------------------------------------------------------------
    // Commands one by one

    @Differential
    void xaddIdsAndErrors(Dual d) {
        d.check("XADD", "s", "5-1", "f", "v");
        d.check("XADD", "s", "5-*", "f", "v2");
        d.check("XADD", "s", "6-*", "g", "w");
        for (String bad : new String[] {"5-9", "0-0", "0-*", "-", "+", "7-x", "x", "", "-1", "1-", "1-2-3", "*-1",
                "18446744073709551616", "1-18446744073709551616", " 7", "+7-1", "7--0", "7-+1", "(7", "0x10",
                "99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"}) {
            d.check("XADD", "s", bad, "f", "x");
        }
        d.check("XADD", "s", "7", "f", "x");
        d.check("XADD", "s", "07-1", "f", "x");
        d.check("XADD", "s", " 8-1", "f", "x");
        d.check("XADD", "s", "+9-1", "f", "x");
        d.check("XADD", "s", "10-+1", "f", "x");
        d.check("XADD", "s", "11-", "f", "x");
        d.check("XADD", "s", "8-1", "f");
        d.check("XADD", "s", "8-1");
        d.check("XADD", "s");
        d.check("XADD", "s", "NOMKSTREAM", "12-1", "f", "v");
        d.check("XADD", "nokey", "NOMKSTREAM", "*", "f", "v");
        d.check("EXISTS", "nokey");
        d.check("XADD", "s", "18446744073709551615-18446744073709551615", "last", "one");
        d.check("XADD", "s", "*", "more", "x");
        d.check("XADD", "s2", "1-18446744073709551615", "a", "b");
        d.check("XADD", "s2", "2-*", "c", "d");
        d.check("XRANGE", "s", "-", "+");
        d.check("XRANGE", "s2", "-", "+");
        d.check("SET", "str", "v");
        d.check("XADD", "str", "*", "f", "v");
        d.check("XADD", "str", "NOMKSTREAM", "*", "f", "v");
        d.checkWith(ReplyComparison.SHAPE, "XADD", "auto", "*", "f", "v");
        d.checkWith(ReplyComparison.SHAPE, "XADD", "auto", "MAXLEN", "1", "*", "f", "v");
        d.check("XLEN", "auto");
    }

    @Differential
    void xaddWithFieldsOfEveryEncoding(Dual d) {
        String big = "x".repeat(5000);
        d.check("XADD", "e", "1-1", "f", "1", "g", "-5", "h", "123456789012", "i", "");
        d.check("XADD", "e", "1-2", "f", "2", "g", "x", "h", big, "i", "-0");
        d.check("XADD", "e", "1-3", "i", "1", "g", "x", "f", "2", "h", "3");
        d.check("XADD", "e", "1-4", "f", "1", "g", "2");
        d.check("XADD", "e", "1-5", "f", "1", "g", "2", "h", "3", "i", "4", "j", "5");
        d.check("XADD", "e", "1-6", "10", "1", "-1", "2", "007", "3", "9223372036854775807", "4");
        d.check("XADD", "e", "1-7", "héllo", "wörld", "\u0000bin", "a\r\nb");
        d.check("XRANGE", "e", "-", "+");
        d.check("XREVRANGE", "e", "+", "-");
        d.check("XINFO", "STREAM", "e");
    }

    @Differential
    void rangesAndCounts(Dual d) {
        for (String id : new String[] {"0-1", "0-18446744073709551615", "1-0", "42-0", "42-42", "100-5",
                "18446744073709551615-18446744073709551614", "18446744073709551615-18446744073709551615"}) {
            d.check("XADD", "r", id, "id", id);
        }
        String[] bounds = {"-", "+", "0", "0-0", "1", "42", "42-42", "(42", "(42-42", "(0-1", "(-", "(+",
                "18446744073709551615", "(18446744073709551615-18446744073709551615", "(0-0", "x", "(x", "(", "((1",
                "42-", "100-5"};
        for (String start : bounds) {
            for (String end : bounds) {
                d.check("XRANGE", "r", start, end);
            }
            d.check("XREVRANGE", "r", start, "-");
            d.check("XREVRANGE", "r", "+", start);
        }
        for (String count : new String[] {"0", "1", "3", "-1", "100", "x", "9223372036854775807"}) {
            d.check("XRANGE", "r", "-", "+", "COUNT", count);
            d.check("XREVRANGE", "r", "+", "-", "COUNT", count);
        }
        d.check("XRANGE", "r", "-", "+", "COUNT", "1", "COUNT", "2");
        d.check("XRANGE", "r", "-", "+", "COUNT");
        d.check("XRANGE", "r", "-", "+", "FOO", "1");
        d.check("XRANGE", "r", "-");
        d.check("XRANGE", "nokey", "-", "+");
        d.check("XRANGE", "nokey", "x", "+");
        d.check("XRANGE", "nokey", "-", "+", "COUNT", "0");
        d.check("SET", "str", "v");
        d.check("XRANGE", "str", "-", "+");
        d.check("XRANGE", "str", "x", "+");
        d.check("XLEN", "r");
        d.check("XLEN", "nokey");
        d.check("XLEN", "str");
    }

    @Differential
    void trimmingByLengthAndId(Dual d) {
        try {
            d.check("CONFIG", "SET", "stream-node-max-entries", "4");
            for (int i = 1; i <= 30; i++) {
                d.check("XADD", "t", i + "-1", "a", String.valueOf(i));
            }
            d.check("XADD", "t", "MAXLEN", "~", "25", "31-1", "a", "31");
            d.check("XINFO", "STREAM", "t");
            d.check("XADD", "t", "MAXLEN", "=", "24", "32-1", "a", "32");
            d.check("XADD", "t", "MINID", "~", "15", "33-1", "a", "33");
            d.check("XINFO", "STREAM", "t");
            d.check("XADD", "t", "MINID", "16-1", "34-1", "a", "34");
            d.check("XTRIM", "t", "MAXLEN", "~", "10", "LIMIT", "2");
            d.check("XTRIM", "t", "MAXLEN", "~", "10", "LIMIT", "4");
            d.check("XTRIM", "t", "MAXLEN", "~", "10", "LIMIT", "0");
            d.check("XINFO", "STREAM", "t", "FULL", "COUNT", "0");
            d.check("XDEL", "t", "27-1", "28-1");
            d.check("XTRIM", "t", "MINID", "29");
            d.check("XINFO", "STREAM", "t", "FULL", "COUNT", "0");
            d.check("XTRIM", "t", "MAXLEN", "0");
            d.check("XINFO", "STREAM", "t", "FULL");
            Object[][] bad = {{"MAXLEN"}, {"MAXLEN", "~"}, {"MAXLEN", "-1"}, {"MAXLEN", "x"}, {"MINID", "+"},
                {"MINID", "-"}, {"MAXLEN", "1", "MINID", "1"}, {"MAXLEN", "1", "LIMIT", "1"}, {"LIMIT", "1"},
                {"MAXLEN", "~", "1", "LIMIT", "-1"}, {"MAXLEN", "~", "1", "LIMIT", "x"}, {"MAXLEN", "1", "NOMKSTREAM"},
                {"MAXLEN", "=", "~", "1"}, {"maxlen", "~", "1", "limit", "1"}, {"MINID", "=", "(1"}, {}, {"FOO"}};
            for (Object[] options : bad) {
                d.check(Dual.concat(new Object[] {"XTRIM", "t"}, options));
                d.check(Dual.concat(new Object[] {"XADD", "t"}, Dual.concat(options, new Object[] {"99-1", "a", "b"})));
            }
            d.check("XTRIM", "nokey", "MAXLEN", "0");
            d.check("SET", "str", "v");
            d.check("XTRIM", "str", "MAXLEN", "0");
            d.check("XTRIM", "str", "FOO", "0");
        } finally {
            d.both("CONFIG", "SET", "stream-node-max-entries", "100");
        }
    }

    @Differential
    void nodeLimitsShapeTheRadixTree(Dual d) {
        try {
            String[][] limits = {{"1", "4096"}, {"3", "0"}, {"0", "60"}, {"100", "4096"}, {"0", "0"}};
            for (String[] limit : limits) {
                d.check("CONFIG", "SET", "stream-node-max-entries", limit[0]);
                d.check("CONFIG", "SET", "stream-node-max-bytes", limit[1]);
                d.check("DEL", "n");
                for (int i = 1; i <= 40; i++) {
                    d.check("XADD", "n", (i * 1000 + i % 3) + "-" + (i % 5), "field", "value" + i, "n", String.valueOf(i));
                    if (i % 7 == 0) {
                        d.check("XDEL", "n", ((i - 3) * 1000 + (i - 3) % 3) + "-" + ((i - 3) % 5));
                    }
                }
                d.check("XINFO", "STREAM", "n");
                d.check("XTRIM", "n", "MINID", "~", "20000");
                d.check("XTRIM", "n", "MAXLEN", "~", "5");
                d.check("XINFO", "STREAM", "n", "FULL", "COUNT", "0");
            }
        } finally {
            d.both("CONFIG", "SET", "stream-node-max-entries", "100");
            d.both("CONFIG", "SET", "stream-node-max-bytes", "4096");
        }
    }

    @Differential
    void deletesAndSetId(Dual d) {
        d.check("XADD", "d", "1-0", "a", "1");
        d.check("XADD", "d", "2-0", "a", "2");
        d.check("XADD", "d", "3-0", "a", "3");
        d.check("XDEL", "d", "2-0", "2-0", "9-0");
        d.check("XDEL", "d", "1-0", "x");
        d.check("XDEL", "d", "+");
        d.check("XDEL", "d", "2");
        d.check("XDEL", "nokey", "x");
        d.check("XINFO", "STREAM", "d");
        d.check("XDEL", "d", "1-0", "3-0");
        d.check("XINFO", "STREAM", "d");
        d.check("EXISTS", "d");
        d.check("XADD", "d", "3-0", "a", "3");
        d.check("XADD", "d", "4-0", "a", "4");
        for (Object[] args : new Object[][] {{"2-0"}, {"4-0"}, {"3-0"}, {"5"}, {"6-0", "ENTRIESADDED", "100", "MAXDELETEDID", "5-5"},
            {"6-0", "MAXDELETEDID", "7-0"}, {"6-0", "ENTRIESADDED", "-1"}, {"6-0", "ENTRIESADDED", "0"},
            {"6-0", "ENTRIESADDED", "1"}, {"6-0", "ENTRIESADDED", "x"}, {"6-0", "BOGUS", "1"}, {"6-0", "ENTRIESADDED"},
            {"+"}, {"-"}, {"x"}, {"7-0", "MAXDELETEDID", "-"}, {"7-0", "MAXDELETEDID", "0-0"}}) {
            d.check(Dual.concat(new Object[] {"XSETID", "d"}, args));
            d.check("XINFO", "STREAM", "d");
        }
        d.check("XSETID", "nokey", "1-0");
        d.check("XSETID", "nokey", "x");
        d.check("SET", "str", "v");
        d.check("XSETID", "str", "1-0");
        d.check("XDEL", "str", "1-0");
        d.check("XADD", "d", "6-0", "a", "1");
        d.check("XADD", "d", "7-0", "a", "1");
        d.check("XSETID", "d", "18446744073709551615-18446744073709551615");
        d.check("XADD", "d", "*", "a", "1");
        d.check("XADD", "d", "7-*", "a", "1");
    }

    @Differential
    void xgroupSubcommands(Dual d) {
        d.check("XGROUP", "CREATE", "g", "grp", "0");
        d.check("XGROUP", "CREATE", "g", "grp", "0", "MKSTREAM");
        d.check("XGROUP", "CREATE", "g", "grp", "0", "MKSTREAM");
        d.check("XGROUP", "CREATE", "g", "grp2", "$", "ENTRIESREAD", "-1");
        d.check("XGROUP", "CREATE", "g", "grp3", "$", "ENTRIESREAD", "-2");
        d.check("XGROUP", "CREATE", "g", "grp3", "$", "ENTRIESREAD", "x");
        d.check("XGROUP", "CREATE", "g", "grp3", "$", "ENTRIESREAD");
        d.check("XGROUP", "CREATE", "g", "grp3", "+");
        d.check("XGROUP", "CREATE", "g", "grp3", "x");
        d.check("XGROUP", "CREATE", "g", "grp3", "1-1", "MKSTREAM", "ENTRIESREAD", "3");
        d.check("XGROUP", "CREATE", "g", "grp4", "1-1", "MKSTREAM", "MKSTREAM", "ENTRIESREAD", "3");
        d.check("XGROUP", "CREATE", "g", "grp4", "1-1", "FOO");
        d.check("XGROUP", "CREATE", "g", "\u00e9", "0");
        d.check("XGROUP", "CREATE", "g", "", "0");
        d.check("XGROUP", "CREATE", "g", "grp10", "0");
        d.check("XINFO", "GROUPS", "g");
        d.check("XADD", "g", "5-0", "a", "1");
        for (Object[] args : new Object[][] {{"grp", "$"}, {"grp", "-"}, {"grp", "+"}, {"grp", "3"}, {"grp", "x"},
            {"grp", "0", "ENTRIESREAD", "7"}, {"grp", "0", "ENTRIESREAD", "-3"}, {"grp", "0", "ENTRIESREAD"},
            {"grp", "0", "MKSTREAM"}, {"grp", "0", "ENTRIESREAD", "1", "x"}, {"nogrp", "0"}}) {
            d.check(Dual.concat(new Object[] {"XGROUP", "SETID", "g"}, args));
            d.check("XINFO", "GROUPS", "g");
        }
        d.check("XGROUP", "SETID", "nokey", "grp", "0");
        d.check("XGROUP", "CREATECONSUMER", "g", "grp", "alice");
        d.check("XGROUP", "CREATECONSUMER", "g", "grp", "alice");
        d.check("XGROUP", "CREATECONSUMER", "g", "nogrp", "alice");
        d.check("XGROUP", "CREATECONSUMER", "nokey", "grp", "alice");
        d.check("XGROUP", "CREATECONSUMER", "g", "grp");
        d.check("XGROUP", "DELCONSUMER", "g", "grp", "bob");
        d.check("XGROUP", "DELCONSUMER", "g", "grp", "alice");
        d.check("XGROUP", "DELCONSUMER", "g", "nogrp", "alice");
        d.check("XGROUP", "DESTROY", "g", "grp3");
        d.check("XGROUP", "DESTROY", "g", "grp3");
        d.check("XGROUP", "DESTROY", "nokey", "grp3");
        d.check("XGROUP", "DESTROY", "g");
        d.check("XGROUP", "DESTROY", "g", "grp", "x");
        d.check("XGROUP", "FOO", "g", "grp");
        d.check("XGROUP");
        d.check("XGROUP", "HELP");
        d.check("XGROUP", "help");
        d.check("XGROUP", "HELP", "x");
        d.check("SET", "str", "v");
        d.check("XGROUP", "CREATE", "str", "grp", "0");
        d.check("XGROUP", "CREATE", "str", "grp", "0", "MKSTREAM");
        d.check("XGROUP", "DESTROY", "str", "grp");
        d.check("XINFO", "GROUPS", "g");
    }

    @Differential
    void readingAndConsumerGroups(Dual d) {
        d.check("XADD", "r", "1-0", "f", "1");
        d.check("XADD", "r", "2-0", "f", "2");
        d.check("XADD", "r", "3-0", "f", "3");
        d.check("XADD", "r2", "1-5", "g", "1");
        d.check("XGROUP", "CREATE", "r", "g", "0");
        d.check("XGROUP", "CREATE", "r2", "g", "0");
        d.check("XREAD", "STREAMS", "r", "r2", "0", "0");
        d.check("XREAD", "COUNT", "1", "STREAMS", "r", "r2", "1-0", "0");
        d.check("XREAD", "STREAMS", "r", "r2", "$", "$");
        d.check("XREAD", "STREAMS", "r", "nokey", "0", "0");
        d.check("XREAD", "STREAMS", "r", "r", "0", "2-0");
        d.check("XREAD", "COUNT", "-1", "STREAMS", "r", "0");
        d.check("XREAD", "COUNT", "0", "COUNT", "2", "STREAMS", "r", "0");
        for (Object[] bad : new Object[][] {{"STREAMS", "r"}, {"STREAMS", "r", "r2", "0"}, {"STREAMS"}, {"COUNT", "1"},
            {"COUNT", "x", "STREAMS", "r", "0"}, {"STREAMS", "r", ">"}, {"STREAMS", "r", "+"}, {"STREAMS", "r", "-"},
            {"STREAMS", "r", "x"}, {"GROUP", "g", "c", "STREAMS", "r", "0"}, {"NOACK", "STREAMS", "r", "0"},
            {"BLOCK", "x", "STREAMS", "r", "0"}, {"BLOCK", "-1", "STREAMS", "r", "0"}, {"BLOCK", "1.5", "STREAMS", "r", "0"},
            {"FOO", "STREAMS", "r", "0"}}) {
            d.check(Dual.concat(new Object[] {"XREAD"}, bad));
        }
        d.check("XREAD", "BLOCK", "0", "STREAMS", "r", "0");
        d.check("XREAD", "BLOCK", "1", "STREAMS", "r", "$");
        d.check("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "r", "r2", ">", ">");
        d.check("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "r", "r2", ">", ">");
        d.check("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "r", "r2", ">", ">");
        d.check("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "r", "r2", "0", "0");
        d.check("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "r", "1-0");
        d.check("XREADGROUP", "GROUP", "g", "nobody", "STREAMS", "r", "0");
        d.check("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "r", "r", ">", "0");
        d.check("XADD", "r", "4-0", "f", "4");
        d.check("XADD", "r", "5-0", "f", "5");
        d.check("XREADGROUP", "GROUP", "g", "carol", "NOACK", "COUNT", "1", "STREAMS", "r", ">");
        d.check("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "r", "r", ">", ">");
        d.check("XDEL", "r", "1-0");
        d.check("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "r", "0");
        d.check("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "1", "STREAMS", "r", ">");
        for (Object[] bad : new Object[][] {{"GROUP", "nog", "a", "STREAMS", "r", ">"}, {"GROUP", "g", "a", "STREAMS", "nokey", ">"},
            {"GROUP", "g", "a", "STREAMS", "r", "$"}, {"GROUP", "g", "a", "STREAMS", "r"}, {"STREAMS", "r", ">"},
            {"GROUP", "g", "STREAMS", "r", ">"}, {"GROUP", "g", "a", "COUNT", "x", "STREAMS", "r", ">"},
            {"GROUP", "g", "a", "STREAMS", "r", "x"}, {"GROUP", "g", "a", "STREAMS", "r", "r2", ">", "x"},
            {"GROUP", "g", "a", "STREAMS", "r", "nokey", ">", "$"}}) {
            d.check(Dual.concat(new Object[] {"XREADGROUP"}, bad));
        }
        d.check("SET", "str", "v");
        d.check("XREAD", "STREAMS", "str", "0");
        d.check("XREADGROUP", "GROUP", "g", "a", "STREAMS", "str", ">");
        d.checkWith(TIMES_MASKED, "XINFO", "STREAM", "r", "FULL");
        d.checkWith(TIMES_MASKED, "XINFO", "CONSUMERS", "r", "g");
        d.check("XINFO", "GROUPS", "r");
    }

    @Differential
    void pendingAcksAndClaims(Dual d) {
        for (int i = 1; i <= 6; i++) {
            d.check("XADD", "p", i + "-0", "f", String.valueOf(i));
        }
        d.check("XGROUP", "CREATE", "p", "g", "0");
        d.check("XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "p", ">");
        d.check("XREADGROUP", "GROUP", "g", "bob", "COUNT", "2", "STREAMS", "p", ">");
        d.check("XPENDING", "p", "g");
        for (Object[] args : new Object[][] {{"-", "+", "10"}, {"-", "+", "10", "bob"}, {"-", "+", "10", "nobody"},
            {"-", "+", "0"}, {"-", "+", "-1"}, {"2", "4", "10"}, {"(2-0", "(4-0", "10"}, {"IDLE", "0", "-", "+", "10"},
            {"IDLE", "0", "-", "+", "10", "alice"}, {"IDLE", "100000000", "-", "+", "10"}, {"IDLE", "0", "-", "+"},
            {"IDLE", "x", "-", "+", "10"}, {"-", "+", "x"}, {"x", "+", "10"}, {"-", "x", "10"}, {"-", "+"}, {"-"},
            {"-", "+", "10", "alice", "extra"}, {"(18446744073709551615-18446744073709551615", "+", "1"},
            {"-", "(0-0", "1"}, {"IDLE", "0", "-", "+", "10", "alice", "x"}}) {
            d.checkWith(TIMES_MASKED, Dual.concat(new Object[] {"XPENDING", "p", "g"}, args));
        }
        d.check("XPENDING", "p", "nog");
        d.check("XPENDING", "nokey", "g");
        d.check("XPENDING", "nokey", "g", "x", "+", "10");
        d.check("XACK", "p", "g", "1-0", "9-0", "1-0");
        d.check("XACK", "p", "g", "1-0");
        d.check("XACK", "p", "g", "2-0", "x");
        d.check("XACK", "p", "nog", "x");
        d.check("XACK", "nokey", "g", "x");
        d.check("XCLAIM", "p", "g", "carol", "0", "2-0", "3-0", "JUSTID");
        d.check("XCLAIM", "p", "g", "carol", "0", "2-0", "RETRYCOUNT", "7", "JUSTID");
        d.check("XCLAIM", "p", "g", "carol", "0", "2-0", "RETRYCOUNT", "7");
        d.check("XCLAIM", "p", "g", "carol", "0", "1-0", "FORCE", "JUSTID");
        d.check("XCLAIM", "p", "g", "carol", "0", "6-0", "FORCE");
        d.check("XCLAIM", "p", "g", "carol", "0", "9-0", "FORCE");
        d.check("XCLAIM", "p", "g", "dave", "100000000", "2-0", "3-0");
        d.check("XCLAIM", "p", "g", "dave", "-5", "2-0", "IDLE", "500", "JUSTID");
        d.check("XCLAIM", "p", "g", "dave", "0", "3-0", "TIME", "1000", "JUSTID");
        d.check("XCLAIM", "p", "g", "dave", "0", "3-0", "TIME", "-1000", "JUSTID");
        d.check("XCLAIM", "p", "g", "dave", "0", "3-0", "TIME", "99999999999999", "JUSTID");
        d.checkWith(idleNear(1000), "XPENDING", "p", "g", "2-0", "2-0", "1"); // set by IDLE 500 above
        d.check("XCLAIM", "p", "g", "dave", "0", "2-0", "LASTID", "9-0", "JUSTID");
        d.check("XCLAIM", "p", "g", "dave", "0", "99-0", "LASTID", "10-0");
        d.check("XINFO", "GROUPS", "p");
        for (Object[] bad : new Object[][] {{"x", "2-0"}, {"0", "2-0", "IDLE", "x"}, {"0", "2-0", "TIME", "x"},
            {"0", "2-0", "RETRYCOUNT", "x"}, {"0", "2-0", "LASTID", "x"}, {"0", "2-0", "LASTID", "+"},
            {"0", "2-0", "BOGUS"}, {"0", "2-0", "IDLE"}, {"0", "+"}, {"0", "2-0", "x", "3-0"}}) {
            d.check(Dual.concat(new Object[] {"XCLAIM", "p", "g", "dave"}, bad));
        }
        d.check("XCLAIM", "p", "nog", "dave", "0", "2-0");
        d.check("XCLAIM", "nokey", "g", "dave", "x", "2-0");
        d.check("XDEL", "p", "2-0", "4-0");
        d.check("XCLAIM", "p", "g", "erin", "0", "2-0", "3-0", "4-0");
        d.check("XREADGROUP", "GROUP", "g", "frank", "STREAMS", "p", ">");
        d.check("XDEL", "p", "6-0");
        d.check("XAUTOCLAIM", "p", "g", "gina", "0", "0", "COUNT", "1");
        d.check("XAUTOCLAIM", "p", "g", "gina", "0", "0", "JUSTID");
        d.check("XAUTOCLAIM", "p", "g", "gina", "0", "0", "COUNT", "1", "JUSTID");
        d.check("XAUTOCLAIM", "p", "g", "gina", "100000000", "0");
        d.check("XAUTOCLAIM", "p", "g", "hank", "0", "(3-0");
        for (Object[] bad : new Object[][] {{"0", "0", "COUNT", "0"}, {"0", "0", "COUNT", "x"}, {"0", "0", "COUNT"},
            {"0", "0", "COUNT", "1152921504606846976"}, {"0", "0", "COUNT", "576460752303423487"}, {"x", "0"},
            {"0", "x"}, {"0", "0", "BOGUS"}, {"0", "(18446744073709551615-18446744073709551615"}, {"0", "+"}}) {
            d.check(Dual.concat(new Object[] {"XAUTOCLAIM", "p", "g", "ivy"}, bad));
        }
        d.check("XAUTOCLAIM", "p", "nog", "ivy", "0", "0");
        d.check("XAUTOCLAIM", "nokey", "g", "ivy", "0", "0");
        d.checkWith(TIMES_MASKED, "XINFO", "STREAM", "p", "FULL");
        d.checkWith(TIMES_MASKED, "XINFO", "CONSUMERS", "p", "g");
        d.check("XGROUP", "DELCONSUMER", "p", "g", "hank");
        d.check("XPENDING", "p", "g");
        d.check("SET", "str", "v");
        d.check("XACK", "str", "g", "1-0");
        d.check("XPENDING", "str", "g");
        d.check("XCLAIM", "str", "g", "c", "0", "1-0");
        d.check("XAUTOCLAIM", "str", "g", "c", "0", "0");
    }

    /** XAUTOCLAIM's scan limit (10 PEL entries per COUNT) and its cursor, over many deleted entries. */
    @Differential
    void autoclaimScansAndCursors(Dual d) {
        for (int i = 1; i <= 60; i++) {
            d.check("XADD", "a", i + "-0", "f", String.valueOf(i));
        }
        d.check("XGROUP", "CREATE", "a", "g", "0");
        d.check("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "a", ">");
        for (int i = 1; i <= 60; i += 2) {
            d.check("XDEL", "a", i + "-0");
        }
        d.check("XAUTOCLAIM", "a", "g", "c2", "100000000", "0", "COUNT", "2");
        d.check("XAUTOCLAIM", "a", "g", "c2", "0", "0", "COUNT", "3");
        d.check("XAUTOCLAIM", "a", "g", "c2", "0", "20-0", "COUNT", "4", "JUSTID");
        d.check("XAUTOCLAIM", "a", "g", "c2", "0", "0");
        d.check("XPENDING", "a", "g");
    }

    @Differential
    void xinfoAndTypes(Dual d) {
        d.check("XADD", "i", "1-0", "a", "1", "b", "2");
        d.check("XADD", "i", "2-0", "a", "3", "b", "4");
        d.check("XADD", "i", "3-0", "c", "5");
        d.check("XINFO", "STREAM", "i");
        for (Object[] args : new Object[][] {{"FULL"}, {"FULL", "COUNT", "1"}, {"FULL", "COUNT", "0"}, {"FULL", "COUNT", "-5"},
            {"full", "count", "2"}, {"FULL", "x"}, {"FULL", "COUNT"}, {"FULL", "COUNT", "x"}, {"LONG"},
            {"FULL", "COUNT", "1", "x"}, {"FULL", "LIMIT", "1"}}) {
            d.check(Dual.concat(new Object[] {"XINFO", "STREAM", "i"}, args));
        }
        d.check("XINFO", "STREAM", "nokey");
        d.check("XINFO", "GROUPS", "nokey");
        d.check("XINFO", "CONSUMERS", "nokey", "g");
        d.check("XINFO", "GROUPS", "i");
        d.check("XINFO", "CONSUMERS", "i", "nog");
        d.check("XINFO", "CONSUMERS", "i");
        d.check("XINFO", "GROUPS", "i", "x");
        d.check("XINFO", "HELP");
        d.check("XINFO", "help", "x");
        d.check("XINFO", "FOO", "i");
        d.check("XINFO");
        d.check("TYPE", "i");
        d.check("OBJECT", "ENCODING", "i");
        d.checkScan(new Object[] {"SCAN"}, "TYPE", "stream");
        d.check("COPY", "i", "i2");
        d.check("XADD", "i2", "4-0", "x", "y");
        d.check("XRANGE", "i", "-", "+");
        d.check("XRANGE", "i2", "-", "+");
        d.check("RENAME", "i2", "i3");
        d.check("XINFO", "STREAM", "i3");
        d.check("DEBUG", "DIGEST-VALUE", "i", "i3");
        d.check("SET", "str", "v");
        d.check("XINFO", "STREAM", "str");
        d.check("XINFO", "GROUPS", "str");
        d.check("XINFO", "CONSUMERS", "str", "g");
        d.check("XADD", "empty", "1-0", "a", "b");
        d.check("XDEL", "empty", "1-0");
        d.check("XINFO", "STREAM", "empty");
        d.check("XINFO", "STREAM", "empty", "FULL");
        d.check("DEBUG", "DIGEST-VALUE", "empty");
        d.check("DEBUG", "DIGEST");
    }

    // ------------------------------------------------------------------------------------------
    // Blocked readers

    /** Sends {@code command} on a pair of its own and waits until both servers block it. */
    private static Dual block(Dual d, int blockedAfter, Object... command) {
        Dual waiter = d.another();
        waiter.sendWithoutReply(command);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            RespReply[] info = d.both("INFO", "clients");
            if (field(info[0], "blocked_clients") == blockedAfter && field(info[1], "blocked_clients") == blockedAfter) {
                return waiter;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionFailedError("after `" + RespConnection.describe(command) + "`, blocked_clients is "
                        + field(info[0], "blocked_clients") + " on Redis and " + field(info[1], "blocked_clients")
                        + " on Respire, not " + blockedAfter);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionFailedError("interrupted");
            }
        }
    }

    private static long field(RespReply info, String name) {
        for (String line : info.text().split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1));
            }
        }
        throw new AssertionFailedError("INFO has no " + name);
    }

    @Differential
    void blockedReadersServedByXadd(Dual d) {
        Dual a = block(d, 1, "XREAD", "BLOCK", "0", "STREAMS", "b", "$");
        Dual b = block(d, 2, "XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "other", "b", "$", "0");
        d.check("XADD", "b", "1-0", "f", "v");
        a.checkPendingReply("XREAD BLOCK served by XADD");
        b.checkPendingReply("XREAD COUNT 1 BLOCK served by XADD");
        d.check("XGROUP", "CREATE", "g", "grp", "$", "MKSTREAM");
        Dual alice = block(d, 1, "XREADGROUP", "GROUP", "grp", "alice", "BLOCK", "0", "STREAMS", "g", ">");
        Dual bob = block(d, 2, "XREADGROUP", "GROUP", "grp", "bob", "NOACK", "BLOCK", "0", "STREAMS", "g", ">");
        d.check("MULTI");
        d.check("XADD", "g", "1-0", "f", "v");
        d.check("XADD", "g", "2-0", "f", "v");
        d.check("EXEC");
        alice.checkPendingReply("XREADGROUP BLOCK served by XADD in EXEC");
        d.check("XADD", "g", "3-0", "f", "v");
        bob.checkPendingReply("XREADGROUP NOACK BLOCK served by XADD");
        d.check("XINFO", "GROUPS", "g");
        d.check("XPENDING", "g", "grp");
        Dual gone = block(d, 1, "XREADGROUP", "GROUP", "grp", "carol", "BLOCK", "0", "STREAMS", "g", ">");
        d.check("XGROUP", "DESTROY", "g", "grp");
        gone.checkPendingReply("XREADGROUP BLOCK whose group was destroyed");
        d.check("XGROUP", "CREATE", "g", "grp", "$");
        Dual deleted = block(d, 1, "XREADGROUP", "GROUP", "grp", "carol", "BLOCK", "0", "STREAMS", "g", ">");
        Dual plain = block(d, 2, "XREAD", "BLOCK", "0", "STREAMS", "g", "$");
        d.check("DEL", "g");
        deleted.checkPendingReply("XREADGROUP BLOCK whose key was deleted");
        d.check("XADD", "g", "9-0", "f", "v");
        plain.checkPendingReply("XREAD BLOCK across the deletion of its key");
        d.check("XGROUP", "CREATE", "g", "grp", "$");
        Dual overwritten = block(d, 1, "XREADGROUP", "GROUP", "grp", "carol", "BLOCK", "0", "STREAMS", "g", ">");
        d.check("SET", "g", "x");
        overwritten.checkPendingReply("XREADGROUP BLOCK whose key was overwritten");
        d.check("DEL", "g");
        d.check("XGROUP", "CREATE", "g", "grp", "$", "MKSTREAM");
        Dual flushed = block(d, 1, "XREADGROUP", "GROUP", "grp", "carol", "BLOCK", "0", "STREAMS", "g", ">");
        d.check("FLUSHALL");
        flushed.checkPendingReply("XREADGROUP BLOCK whose key was flushed");
        Dual timeout = block(d, 1, "XREAD", "BLOCK", "30", "STREAMS", "nothing", "$");
        timeout.checkPendingReply("XREAD BLOCK timing out");
        d.check("MULTI");
        d.check("XREAD", "BLOCK", "0", "STREAMS", "nothing", "$");
        d.check("EXEC");
        d.check("EVAL", "return redis.call('XREAD','STREAMS','nothing','0')", "0");
        d.check("EVAL", "return pcall(redis.call, 'XREAD','BLOCK','0','STREAMS','nothing','$')", "0");
    }

    // ------------------------------------------------------------------------------------------
    // Seeded random workloads

    @Differential
    void randomWorkloadSeed1(Dual d) {
        runRandom(d, 1, 3);
    }

    @Differential
    void randomWorkloadSeed2(Dual d) {
        runRandom(d, 2, 100);
    }

    @Differential
    void randomWorkloadSeed3(Dual d) {
        runRandom(d, 3, 1);
    }

    @Differential
    void randomWorkloadSeed4(Dual d) {
        runRandom(d, 4, 5);
    }

    /**
     * Producers with explicit IDs, groups, reads, acks, claims, trims and deletes on two streams,
     * with {@code nodeEntries} entries per node; after every step the touched streams are compared
     * whole (XRANGE, XINFO STREAM FULL COUNT 0 with times masked, XINFO GROUPS).
     */
    private static void runRandom(Dual d, long seed, int nodeEntries) {
        Generator g = new Generator(new Random(seed));
        Deque<String> history = new ArrayDeque<>();
        Map<String, Integer> effective = new TreeMap<>();
        try {
            d.check("CONFIG", "SET", "stream-node-max-entries", String.valueOf(nodeEntries));
            for (int step = 0; step < STEPS_PER_SEED; step++) {
                Object[] command = g.next();
                String line = "#" + step + ": " + RespConnection.describe(command);
                try {
                    RespReply reply = d.checkWith(TIMES_MASKED, command);
                    g.observe(command, reply);
                    if (hadEffect(reply)) {
                        effective.merge(String.valueOf(command[0]), 1, Integer::sum);
                    }
                    for (String key : Generator.KEYS) {
                        d.check("XRANGE", key, "-", "+");
                        d.checkWith(TIMES_MASKED, "XINFO", "STREAM", key, "FULL", "COUNT", "0");
                        d.check("XINFO", "GROUPS", key);
                    }
                } catch (AssertionFailedError e) {
                    throw new AssertionFailedError("seed " + seed + ", step " + step + " of the RESP" + d.protocol()
                            + " run; preceding commands:\n  " + String.join("\n  ", history) + "\n  " + line
                            + "\n" + e.getMessage(), e.getExpected(), e.getActual(), e);
                }
                history.addLast(line);
                if (history.size() > HISTORY) {
                    history.removeFirst();
                }
            }
        } finally {
            d.both("CONFIG", "SET", "stream-node-max-entries", "100");
        }
        // The workload must not be mostly errors and empty replies: each kind of change happened.
        for (String kind : List.of("XADD", "XDEL", "XTRIM", "XGROUP", "XREADGROUP", "XACK", "XCLAIM", "XAUTOCLAIM")) {
            if (effective.getOrDefault(kind, 0) < 2) {
                throw new AssertionFailedError("seed " + seed + ": only " + effective.getOrDefault(kind, 0) + " "
                        + kind + " with an effect in " + STEPS_PER_SEED + " steps: " + effective);
            }
        }
    }

    /**
     * Whether a reply shows a change: not an error, not 0, not null or empty; for XAUTOCLAIM,
     * something claimed or cleared.
     */
    private static boolean hadEffect(RespReply r) {
        if (r.isError() || r.isNull() || (r.type == ':' && r.asLong() == 0)) {
            return false;
        }
        if (r.isAggregate() && r.children.size() == 3 && r.children.get(1).isAggregate()) {
            return !r.children.get(1).children.isEmpty() || !r.children.get(2).children.isEmpty(); // XAUTOCLAIM
        }
        return !r.isAggregate() || !r.children.isEmpty();
    }

    /** Commands drawn from weighted templates; every choice comes from the one seeded Random. */
    private static final class Generator {
        static final String[] KEYS = {"w0", "w1"};
        private static final String[] GROUPS = {"g1", "g2"};
        private static final String[] CONSUMERS = {"alice", "bob", "carol"};
        private static final String[][] FIELD_SETS = {{"f", "g"}, {"f", "g"}, {"f", "g"}, {"f"}, {"x", "y", "z"}};
        private final Random random;
        private final long[] lastMs = new long[KEYS.length];
        /** IDs each stream has been given (some since deleted or trimmed), to aim at real entries. */
        private final List<List<String>> added = List.of(new ArrayList<>(), new ArrayList<>());
        /** IDs that XREADGROUP delivered from each stream, to acknowledge and claim. */
        private final List<List<String>> delivered = List.of(new ArrayList<>(), new ArrayList<>());

        Generator(Random random) {
            this.random = random;
        }

        /** Learns the IDs that XADD gave, from Redis's replies. */
        void observe(Object[] command, RespReply reply) {
            if (command[0].equals("XADD") && reply.type == '$' && reply.data != null) {
                added.get(Arrays.asList(KEYS).indexOf(String.valueOf(command[1]))).add(reply.text());
            } else if (command[0].equals("XREADGROUP") && reply.isAggregate()) {
                int k = Arrays.asList(KEYS).indexOf(String.valueOf(command[command.length - 2]));
                List<String> ids = new ArrayList<>();
                collectEntryIds(reply, ids);
                for (String id : ids) {
                    delivered.get(k).add(command[2] + " " + id);
                }
            }
        }

        /** The IDs of the [id, fields] entries anywhere in a reply. */
        private static void collectEntryIds(RespReply r, List<String> out) {
            if (!r.isAggregate()) {
                return;
            }
            if (r.children.size() == 2 && isId(r.children.get(0))
                    && (r.children.get(1).isAggregate() || r.children.get(1).isNull())) {
                out.add(r.children.get(0).text());
                return;
            }
            for (RespReply child : r.children) {
                collectEntryIds(child, out);
            }
        }

        /**
         * Mostly a {group, id} that XREADGROUP delivered (maybe acknowledged since), else a random
         * group and {@link #knownId}.
         */
        private String[] deliveredTarget(int k) {
            List<String> ids = delivered.get(k);
            if (ids.isEmpty() || random.nextInt(4) == 0) {
                return new String[] {pick(GROUPS), knownId(k)};
            }
            int n = ids.size();
            return ids.get(Math.max(0, n - 1 - random.nextInt(Math.min(n, 15)))).split(" ");
        }

        /** Mostly an ID that was added (and may still be there), else {@link #anyId}. */
        private String knownId(int k) {
            List<String> ids = added.get(k);
            if (ids.isEmpty() || random.nextInt(4) == 0) {
                return anyId(k).replace("(", "");
            }
            // Favour recent IDs: older ones are more likely trimmed away.
            int n = ids.size();
            return ids.get(Math.max(0, n - 1 - random.nextInt(Math.min(n, 20))));
        }

        Object[] next() {
            int k = random.nextInt(KEYS.length);
            String key = KEYS[k];
            int op = random.nextInt(100);
            if (op < 24) {
                return xadd(k);
            } else if (op < 30) {
                return new Object[] {"XDEL", key, knownId(k), knownId(k)};
            } else if (op < 35) {
                return trim(k, new Object[] {"XTRIM", key});
            } else if (op < 43) {
                return groupCommand(k);
            } else if (op < 58) {
                return readGroup(k);
            } else if (op < 68) {
                String[] target = deliveredTarget(k);
                List<Object> ack = new ArrayList<>(List.of("XACK", key, target[0], target[1]));
                for (int i = 0; i < random.nextInt(3); i++) {
                    ack.add(deliveredTarget(k)[1]);
                }
                return ack.toArray();
            } else if (op < 80) {
                return claim(k);
            } else if (op < 87) {
                List<Object> auto = new ArrayList<>(List.of("XAUTOCLAIM", key, deliveredTarget(k)[0], pick(CONSUMERS), "0",
                        random.nextBoolean() ? "0" : anyId(k)));
                if (random.nextBoolean()) {
                    auto.addAll(List.of("COUNT", String.valueOf(1 + random.nextInt(4))));
                }
                if (random.nextBoolean()) {
                    auto.add("JUSTID");
                }
                return auto.toArray();
            } else if (op < 91) {
                return random.nextBoolean() ? new Object[] {"XPENDING", key, pick(GROUPS)}
                        : new Object[] {"XPENDING", key, pick(GROUPS), "IDLE", "0", "-", "+", "5", pick(CONSUMERS)};
            } else if (op < 95) {
                boolean rev = random.nextBoolean();
                return new Object[] {rev ? "XREVRANGE" : "XRANGE", key, rev ? "+" : anyId(k), rev ? anyId(k) : "+",
                        "COUNT", String.valueOf(random.nextInt(5))};
            } else if (op < 98) {
                return new Object[] {"XREAD", "COUNT", String.valueOf(1 + random.nextInt(3)), "STREAMS", KEYS[0], KEYS[1],
                        anyId(0), anyId(1)};
            } else {
                return new Object[] {"XSETID", key, (lastMs[k] + 1) + "-0"};
            }
        }

        private Object[] xadd(int k) {
            List<Object> cmd = new ArrayList<>(List.of("XADD", KEYS[k]));
            if (random.nextInt(6) == 0) {
                return trim(k, cmd.toArray(), nextId(k), "f", "v");
            }
            String id;
            int form = random.nextInt(10);
            if (form == 0) {
                id = Math.max(0, lastMs[k] - random.nextInt(3)) + "-" + random.nextInt(3); // often too small
            } else if (form < 3) {
                lastMs[k] += random.nextInt(2);
                id = lastMs[k] + "-*";
            } else {
                id = nextId(k);
            }
            cmd.add(id);
            String[] fields = FIELD_SETS[random.nextInt(FIELD_SETS.length)];
            for (String f : fields) {
                cmd.add(f);
                cmd.add(random.nextInt(3) == 0 ? String.valueOf(random.nextInt(2000) - 1000) : "v" + random.nextInt(9));
            }
            return cmd.toArray();
        }

        private String nextId(int k) {
            lastMs[k] += 1 + random.nextInt(3);
            return lastMs[k] + "-" + random.nextInt(4);
        }

        /** An ID around the stream's recent ones, or a bound. */
        private String anyId(int k) {
            int kind = random.nextInt(12);
            if (kind == 0) {
                return "0";
            } else if (kind == 1) {
                return "(" + Math.max(0, lastMs[k] - random.nextInt(10));
            }
            return Math.max(0, lastMs[k] - random.nextInt(25)) + "-" + random.nextInt(4);
        }

        private Object[] trim(int k, Object[] prefix, Object... rest) {
            List<Object> cmd = new ArrayList<>(Arrays.asList(prefix));
            boolean approx = random.nextInt(3) == 0;
            if (random.nextBoolean()) {
                cmd.addAll(List.of("MAXLEN", approx ? "~" : "=", String.valueOf(random.nextInt(40))));
            } else {
                cmd.addAll(List.of("MINID", approx ? "~" : "=", anyId(k)));
            }
            if (approx && random.nextBoolean()) {
                cmd.addAll(List.of("LIMIT", String.valueOf(random.nextInt(8))));
            }
            cmd.addAll(Arrays.asList(rest));
            return cmd.toArray();
        }

        private Object[] groupCommand(int k) {
            String key = KEYS[k];
            String group = pick(GROUPS);
            return switch (random.nextInt(16)) {
                case 0, 1, 2, 3 -> new Object[] {"XGROUP", "CREATE", key, group, random.nextBoolean() ? "0" : anyId(k), "MKSTREAM"};
                case 4 -> new Object[] {"XGROUP", "CREATE", key, group, "$", "ENTRIESREAD", String.valueOf(random.nextInt(5) - 1)};
                case 5, 6 -> new Object[] {"XGROUP", "SETID", key, group, random.nextBoolean() ? "$" : anyId(k)};
                case 7, 8 -> new Object[] {"XGROUP", "CREATECONSUMER", key, group, pick(CONSUMERS)};
                case 9, 10, 11, 12, 13, 14 -> new Object[] {"XGROUP", "DELCONSUMER", key, group, pick(CONSUMERS)};
                default -> new Object[] {"XGROUP", "DESTROY", key, group};
            };
        }

        private Object[] readGroup(int k) {
            List<Object> cmd = new ArrayList<>(List.of("XREADGROUP", "GROUP", pick(GROUPS), pick(CONSUMERS)));
            if (random.nextBoolean()) {
                cmd.addAll(List.of("COUNT", String.valueOf(1 + random.nextInt(4))));
            }
            if (random.nextInt(5) == 0) {
                cmd.add("NOACK");
            }
            cmd.add("STREAMS");
            cmd.add(KEYS[k]);
            cmd.add(random.nextInt(4) == 0 ? "0" : ">");
            return cmd.toArray();
        }

        private Object[] claim(int k) {
            String[] target = deliveredTarget(k);
            List<Object> cmd = new ArrayList<>(List.of("XCLAIM", KEYS[k], target[0], pick(CONSUMERS), "0", target[1]));
            for (int i = 0; i < random.nextInt(3); i++) {
                cmd.add(deliveredTarget(k)[1]);
            }
            if (random.nextInt(4) == 0) {
                cmd.add("FORCE");
            }
            if (random.nextInt(4) == 0) {
                cmd.addAll(List.of("RETRYCOUNT", String.valueOf(random.nextInt(5))));
            }
            if (random.nextInt(5) == 0) {
                cmd.addAll(List.of("LASTID", anyId(k).replace("(", "")));
            }
            if (random.nextBoolean()) {
                cmd.add("JUSTID");
            }
            return cmd.toArray();
        }

        private String pick(String[] options) {
            return options[random.nextInt(options.length)];
        }
    }
}
