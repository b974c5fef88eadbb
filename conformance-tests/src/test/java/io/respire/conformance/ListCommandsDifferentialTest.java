package io.respire.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

/**
 * List family (server's ListCommands) and SORT (server's SortCommands, which reads lists, sets
 * and sorted sets alike): pushes and pops with counts, ranges with out-of-range and negative
 * indexes, LPOS options, LINSERT, LMPOP/LMOVE in every direction, and the non-blocking paths of
 * the blocking commands (data already there, or a timeout of almost nothing). Also seeded random
 * workloads on compressed lists with plain nodes, where DEBUG OBJECT's node figures must agree.
 */
class ListCommandsDifferentialTest {
    @Differential
    void pushAndRange(Dual d) {
        d.check("LPUSH", "l", "c", "b", "a");
        d.check("RPUSH", "l", "d", "e");
        d.check("LPUSHX", "missing", "x");
        d.check("RPUSHX", "missing", "x");
        d.check("LPUSHX", "l", "z");
        d.check("RPUSHX", "l", "y", "yy");
        for (String[] range : new String[][] {{"0", "-1"}, {"0", "0"}, {"1", "3"}, {"-3", "-1"}, {"-100", "100"},
            {"5", "2"}, {"100", "200"}, {"-1", "-100"}, {"a", "1"}, {"0", "1.5"}}) {
            d.check("LRANGE", "l", range[0], range[1]);
        }
        d.check("LRANGE", "missing", "0", "-1");
        d.check("LLEN", "l");
        d.check("LLEN", "missing");
        d.check("LINDEX", "l", "0");
        d.check("LINDEX", "l", "-1");
        d.check("LINDEX", "l", "100");
        d.check("LINDEX", "l", "x");
        d.check("LSET", "l", "1", "B");
        d.check("LSET", "l", "-1", "Y");
        d.check("LSET", "l", "100", "x");
        d.check("LSET", "missing", "0", "x");
        d.check("LRANGE", "l", "0", "-1");
    }

    @Differential
    void popAndTrim(Dual d) {
        d.check("RPUSH", "l", "1", "2", "3", "4", "5", "6", "7");
        d.check("LPOP", "l");
        d.check("RPOP", "l");
        d.check("LPOP", "l", "2");
        d.check("RPOP", "l", "0");
        d.check("LPOP", "l", "-1");
        d.check("LPOP", "l", "x");
        d.check("RPOP", "l", "10");
        d.check("EXISTS", "l");
        d.check("LPOP", "l");
        d.check("LPOP", "l", "2");
        d.check("RPOP", "l", "0");
        d.check("RPUSH", "l", "a", "b", "c", "d", "e");
        d.check("LTRIM", "l", "1", "-2");
        d.check("LRANGE", "l", "0", "-1");
        d.check("LTRIM", "l", "5", "10");
        d.check("EXISTS", "l");
        d.check("LTRIM", "missing", "0", "1");
    }

    @Differential
    void posInsertAndRemove(Dual d) {
        d.check("RPUSH", "l", "a", "b", "c", "b", "a", "b");
        d.check("LPOS", "l", "b");
        d.check("LPOS", "l", "zz");
        d.check("LPOS", "l", "b", "RANK", "2");
        d.check("LPOS", "l", "b", "RANK", "-1");
        d.check("LPOS", "l", "b", "RANK", "-2", "COUNT", "0");
        d.check("LPOS", "l", "b", "COUNT", "2");
        d.check("LPOS", "l", "b", "COUNT", "0", "MAXLEN", "4");
        d.check("LPOS", "l", "zz", "COUNT", "0");
        d.check("LPOS", "l", "b", "RANK", "0");
        d.check("LPOS", "l", "b", "RANK", "-9223372036854775808");
        d.check("LPOS", "l", "b", "COUNT", "-1");
        d.check("LPOS", "l", "b", "MAXLEN", "-1");
        d.check("LPOS", "l", "b", "BOGUS", "1");
        d.check("LPOS", "missing", "b");
        d.check("LPOS", "missing", "b", "COUNT", "1");
        d.check("LINSERT", "l", "BEFORE", "c", "X");
        d.check("LINSERT", "l", "after", "a", "Y");
        d.check("LINSERT", "l", "AFTER", "zz", "Y");
        d.check("LINSERT", "l", "MIDDLE", "a", "Y");
        d.check("LINSERT", "missing", "BEFORE", "a", "Y");
        d.check("LRANGE", "l", "0", "-1");
        d.check("LREM", "l", "1", "b");
        d.check("LREM", "l", "-1", "b");
        d.check("LRANGE", "l", "0", "-1");
        d.check("LREM", "l", "0", "a");
        d.check("LREM", "l", "0", "zz");
        d.check("LREM", "l", "x", "a");
        d.check("LRANGE", "l", "0", "-1");
    }

    @Differential
    void mpopAndMove(Dual d) {
        d.check("RPUSH", "a", "1", "2", "3", "4");
        d.check("RPUSH", "b", "x", "y");
        d.check("LMPOP", "2", "missing", "a", "LEFT");
        d.check("LMPOP", "2", "missing", "a", "RIGHT", "COUNT", "2");
        d.check("LMPOP", "1", "missing", "LEFT");
        d.check("LMPOP", "2", "b", "a", "LEFT", "COUNT", "10");
        d.check("LMPOP", "0", "a", "LEFT");
        d.check("LMPOP", "3", "a", "LEFT");
        d.check("LMPOP", "1", "a", "UP");
        d.check("LMPOP", "1", "a", "LEFT", "COUNT", "0");
        d.check("LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1");
        d.check("LRANGE", "a", "0", "-1");
        d.check("RPUSH", "src", "1", "2", "3");
        for (String[] dirs : new String[][] {{"LEFT", "LEFT"}, {"LEFT", "RIGHT"}, {"RIGHT", "LEFT"}, {"RIGHT", "RIGHT"}}) {
            d.check("LMOVE", "src", "dst", dirs[0], dirs[1]);
            d.check("LRANGE", "dst", "0", "-1");
        }
        d.check("LRANGE", "src", "0", "-1");
        d.check("LMOVE", "dst", "dst", "LEFT", "RIGHT");
        d.check("LRANGE", "dst", "0", "-1");
        d.check("LMOVE", "missing", "dst", "LEFT", "RIGHT");
        d.check("LMOVE", "dst", "dst", "UP", "RIGHT");
        d.check("RPOPLPUSH", "dst", "other");
        d.check("LRANGE", "other", "0", "-1");
        d.check("SET", "str", "v");
        d.check("LMOVE", "dst", "str", "LEFT", "LEFT");
        d.check("LRANGE", "dst", "0", "-1");
        d.check("LMOVE", "str", "dst", "LEFT", "LEFT");
    }

    @Differential
    void blockingCommandsThatNeedNotBlock(Dual d) {
        d.check("RPUSH", "q", "j1", "j2", "j3");
        d.check("BRPOP", "empty", "q", "0");
        d.check("BLPOP", "q", "0.01");
        d.check("BLMOVE", "q", "work", "RIGHT", "LEFT", "0");
        d.check("BRPOPLPUSH", "missing", "work", "0.01");
        d.check("BLMPOP", "0.01", "2", "empty", "work", "RIGHT", "COUNT", "5");
        d.check("BLPOP", "q", "0.01");
        d.check("BLPOP", "q", "-1");
        d.check("BLPOP", "q", "abc");
        d.check("BLMPOP", "0.01", "1", "q", "LEFT");
    }

    @Differential
    void encodingAndWrongType(Dual d) {
        d.check("RPUSH", "l", "x".repeat(100));
        d.check("OBJECT", "ENCODING", "l");
        d.check("SET", "s", "v");
        d.check("SADD", "set", "m");
        for (String key : new String[] {"s", "set"}) {
            d.check("LPUSH", key, "a");
            d.check("RPUSHX", key, "a");
            d.check("LRANGE", key, "0", "-1");
            d.check("LLEN", key);
            d.check("LPOP", key);
            d.check("LPOS", key, "a");
            d.check("LINSERT", key, "BEFORE", "a", "b");
            d.check("LMPOP", "1", key, "LEFT");
            d.check("BLPOP", key, "0.01");
        }
        d.check("HSET", "l", "f", "v");
    }

    @Differential
    void sortListsAndSets(Dual d) {
        d.check("RPUSH", "ids", "3", "1", "2", "10");
        d.check("SORT", "ids");
        d.check("SORT", "ids", "DESC");
        d.check("SORT", "ids", "ALPHA");
        d.check("SORT", "ids", "LIMIT", "1", "2");
        d.check("SORT", "ids", "LIMIT", "-1", "2");
        d.check("MSET", "w_1", "30", "w_2", "20", "w_3", "10", "w_10", "5");
        d.check("HSET", "obj_1", "name", "one");
        d.check("HSET", "obj_2", "name", "two");
        d.check("SORT", "ids", "BY", "w_*");
        d.check("SORT", "ids", "BY", "nosort");
        d.check("SORT", "ids", "BY", "w_*", "GET", "#", "GET", "obj_*->name", "GET", "missing_*");
        d.check("SORT", "ids", "BY", "obj_*->name", "ALPHA", "DESC", "GET", "#");
        d.check("SORT", "ids", "STORE", "sorted");
        d.check("LRANGE", "sorted", "0", "-1");
        d.check("SORT", "missing", "STORE", "sorted");
        d.check("EXISTS", "sorted");
        d.check("RPUSH", "words", "banana", "apple", "cherry");
        d.check("SORT", "words");
        d.check("SORT", "words", "ALPHA", "LIMIT", "0", "2");
        d.check("SADD", "set", "5", "3", "9");
        d.check("SORT", "set");
        d.check("SORT", "set", "DESC", "STORE", "fromset");
        d.check("LRANGE", "fromset", "0", "-1");
        d.check("ZADD", "z", "1", "c", "2", "a", "3", "b");
        d.check("SORT", "z", "BY", "nosort");
        d.check("SORT", "z", "ALPHA");
        d.check("SORT", "ids", "BOGUS");
        d.check("SORT", "ids", "LIMIT", "1");
        d.check("SET", "str", "x");
        d.check("SORT", "str");
        d.check("SORT", "missing");
    }

    /**
     * Seeded random list commands with list-compress-depth 1 and 2, small nodes and a small packed
     * threshold (so that some elements get plain nodes): the replies and DEBUG OBJECT's quicklist
     * figures (node count, average, fill, compression, uncompressed size) must be Redis's.
     */
    @Differential
    void compressedListsWithPlainNodes(Dual d) {
        int[][] settings = {{4, 1, 40}, {-1, 2, 60}, {3, 1, 20}, {5, 3, 30}};
        try {
            for (int i = 0; i < settings.length; i++) {
                d.check("FLUSHALL");
                d.check("CONFIG", "SET", "list-max-listpack-size", String.valueOf(settings[i][0]));
                d.check("CONFIG", "SET", "list-compress-depth", String.valueOf(settings[i][1]));
                d.check("DEBUG", "QUICKLIST-PACKED-THRESHOLD", settings[i][2] + "b");
                randomListWorkload(d, new SplittableRandom(31 + i), settings[i][2], 250);
            }
        } finally {
            d.both("CONFIG", "SET", "list-max-listpack-size", "-2");
            d.both("CONFIG", "SET", "list-compress-depth", "0");
            d.both("DEBUG", "QUICKLIST-PACKED-THRESHOLD", "0");
        }
    }

    private static void randomListWorkload(Dual d, SplittableRandom r, int plainFrom, int steps) {
        String[] keys = {"l", "l2"};
        for (int step = 0; step < steps; step++) {
            String k = keys[r.nextInt(keys.length)];
            String other = keys[r.nextInt(keys.length)];
            switch (r.nextInt(14)) {
                case 0, 1, 2, 3 -> d.check(pushCommand(r, r.nextBoolean() ? "LPUSH" : "RPUSH", k, plainFrom, 1 + r.nextInt(6)));
                case 4 -> d.check(r.nextBoolean() ? "LPOP" : "RPOP", k, String.valueOf(r.nextInt(4)));
                case 5 -> d.check(r.nextBoolean() ? "LPOP" : "RPOP", k);
                case 6 -> d.check("LINSERT", k, r.nextBoolean() ? "BEFORE" : "AFTER", existing(d, r, k),
                        listValue(r, plainFrom));
                case 7 -> d.check("LSET", k, String.valueOf(r.nextInt(-12, 12)), listValue(r, plainFrom));
                case 8 -> d.check("LREM", k, String.valueOf(r.nextInt(-2, 3)), existing(d, r, k));
                case 9 -> d.check("LTRIM", k, String.valueOf(r.nextInt(-3, 3)), String.valueOf(r.nextInt(-3, 40)));
                case 10 -> d.check("LRANGE", k, String.valueOf(r.nextInt(-30, 30)), String.valueOf(r.nextInt(-30, 30)));
                case 11 -> d.check("LINDEX", k, String.valueOf(r.nextInt(-30, 30)));
                case 12 -> d.check("LMOVE", k, other, r.nextBoolean() ? "LEFT" : "RIGHT", r.nextBoolean() ? "LEFT" : "RIGHT");
                default -> d.check(pushCommand(r, "RPUSH", k, plainFrom, 10 + r.nextInt(20)));
            }
            for (String key : keys) {
                RespReply[] objects = d.both("DEBUG", "OBJECT", key);
                assertEquals(quicklistFacts(objects[0]), quicklistFacts(objects[1]), "DEBUG OBJECT " + key + " at step " + step);
            }
        }
    }

    private static Object[] pushCommand(SplittableRandom r, String push, String key, int plainFrom, int n) {
        Object[] command = new Object[n + 2];
        command[0] = push;
        command[1] = key;
        for (int i = 2; i < command.length; i++) {
            command[i] = listValue(r, plainFrom);
        }
        return command;
    }

    /** An element: integers, short and compressible strings, and some at or just around the plain threshold. */
    private static String listValue(SplittableRandom r, int plainFrom) {
        return switch (r.nextInt(8)) {
            case 0 -> String.valueOf(r.nextInt(-1000, 100_000));
            case 1 -> "v" + r.nextInt(8);
            case 2, 3 -> ("abc" + r.nextInt(5)).repeat(r.nextInt(1, 12));
            case 4 -> "x".repeat(plainFrom + r.nextInt(-2, 20));
            case 5 -> {
                StringBuilder sb = new StringBuilder();
                for (int i = r.nextInt(1, 40); i > 0; i--) {
                    sb.append((char) ('a' + r.nextInt(2)));
                }
                yield sb.toString();
            }
            default -> "e" + r.nextInt(100);
        };
    }

    /** An element of the list (read with LRANGE on both servers), or one that is not there. */
    private static Object existing(Dual d, SplittableRandom r, String key) {
        RespReply all = d.check("LRANGE", key, "0", "-1");
        return all.children.isEmpty() ? "none" : all.children.get(r.nextInt(all.children.size())).data;
    }

    /** What DEBUG OBJECT says after lru_seconds_idle: the quicklist figures (or the error). */
    private static String quicklistFacts(RespReply debugObject) {
        return debugObject.text().replaceFirst("^.*lru_seconds_idle:\\d+", "");
    }
}
