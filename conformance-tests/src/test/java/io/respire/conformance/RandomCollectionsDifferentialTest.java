package io.respire.conformance;

import org.opentest4j.AssertionFailedError;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Seeded random command streams over hashes, lists, sets and sorted sets on a tiny key space, so
 * that keys change type (WRONGTYPE), empty collections get deleted and commands meet each other's
 * leftovers. After every command the full content of the key it touched is read back in a
 * deterministic form (HGETALL compared as pairs in any order, LRANGE, SORT ... ALPHA for sets,
 * ZRANGE WITHSCORES), so a wrong write shows up at the step that made it, not only when a later
 * read happens to look. Seeds are fixed; a failure names the seed and the command index. Commands
 * whose choice is random (SPOP, HRANDFIELD...) appear only with a count larger than the
 * collection, where they return (or pop) all of it. Lex ranges are left out too: members here
 * have different scores, where Redis's answer depends on its skiplist's random levels.
 */
class RandomCollectionsDifferentialTest {
    private static final int COMMANDS_PER_SEED = 400;
    private static final int HISTORY = 15;
    /** Field/value pairs in any order: HGETALL (flat RESP2 array or RESP3 map), HRANDFIELD ... WITHVALUES. */
    private static final ReplyComparison PAIRS_ANY_ORDER = RandomCollectionsDifferentialTest::samePairs;

    @Differential
    void seed1(Dual d) {
        run(d, 11);
    }

    @Differential
    void seed2(Dual d) {
        run(d, 22);
    }

    @Differential
    void seed3(Dual d) {
        run(d, 33);
    }

    @Differential
    void seed4(Dual d) {
        run(d, 44);
    }

    private static void run(Dual d, long seed) {
        Generator generator = new Generator(new Random(seed));
        Deque<String> history = new ArrayDeque<>();
        for (int i = 0; i < COMMANDS_PER_SEED; i++) {
            Generated g = generator.next();
            String line = "#" + i + ": " + RespConnection.describe(g.args);
            try {
                d.checkWith(g.comparison, g.args);
                for (String key : g.touched) {
                    checkContent(d, key);
                }
            } catch (AssertionFailedError e) {
                throw new AssertionFailedError("seed " + seed + ", command #" + i + " of the RESP" + d.protocol()
                        + " run; preceding commands:\n  " + String.join("\n  ", history) + "\n  " + line
                        + "\n" + e.getMessage(), e.getExpected(), e.getActual(), e);
            }
            history.addLast(line);
            if (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
    }

    /** Compares the type and whole content of {@code key} in a form that does not depend on internal order. */
    private static void checkContent(Dual d, String key) {
        String type = d.check("TYPE", key).text();
        switch (type) {
            case "hash" -> d.checkWith(PAIRS_ANY_ORDER, "HGETALL", key);
            case "list" -> d.check("LRANGE", key, "0", "-1");
            case "set" -> d.check("SORT", key, "ALPHA");
            case "zset" -> d.check("ZRANGE", key, "0", "-1", "WITHSCORES");
            default -> {
            }
        }
    }

    private static boolean samePairs(RespReply a, RespReply b) {
        if (a.isAggregate() && !a.children.isEmpty() && a.children.get(0).isAggregate()) {
            return ReplyComparison.UNORDERED.same(a, b); // RESP3 HRANDFIELD: an array of pairs
        }
        if (!a.sameShape(b) || !a.isAggregate() || a.children.size() % 2 != 0) {
            return Arrays.equals(a.raw, b.raw);
        }
        return pairs(a).equals(pairs(b));
    }

    private static List<String> pairs(RespReply r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < r.children.size(); i += 2) {
            out.add(RespReply.escape(r.children.get(i).raw) + " => " + RespReply.escape(r.children.get(i + 1).raw));
        }
        out.sort(null);
        return out;
    }

    /** A command, how its reply is judged, and the keys whose content to compare after it. */
    private record Generated(Object[] args, ReplyComparison comparison, List<String> touched) {
    }

    /** Builds commands from weighted templates; all randomness comes from the one seeded Random. */
    private static final class Generator {
        private static final String[] KEYS = {"c0", "c1", "c2", "c3"};
        private static final String[] MEMBERS = {"a", "b", "c", "d", "1", "2", "10", "-3", "", "x".repeat(70)};
        private static final String[] INDEXES = {"0", "1", "2", "-1", "-2", "5", "-10", "100"};
        private static final String[] SCORES = {"0", "1", "2.5", "-1", "10", "1e3", "+inf", "-inf", "(1", "(2.5", "x"};
        private static final String[] COUNTS = {"0", "1", "2", "3", "10", "-1"};
        private static final String[] INCREMENTS = {"1", "-1", "5", "0.5", "1e2", "x", "9223372036854775807"};

        private final Random random;
        private final List<Function<Generator, Generated>> templates = new ArrayList<>();

        Generator(Random random) {
            this.random = random;
            // hashes
            add(4, g -> g.on1("HSET", g.key(), g.member(), g.member()));
            add(1, g -> g.on1("HSET", g.key(), g.member(), g.member(), g.member(), g.member()));
            add(1, g -> g.on1("HSETNX", g.key(), g.member(), g.member()));
            add(2, g -> g.on1("HDEL", g.key(), g.member(), g.member()));
            add(2, g -> g.on1("HGET", g.key(), g.member()));
            add(1, g -> g.on1("HMGET", g.key(), g.member(), g.member()));
            add(1, g -> g.on1("HLEN", g.key()));
            add(1, g -> g.on1("HEXISTS", g.key(), g.member()));
            add(2, g -> g.on1("HINCRBY", g.key(), g.member(), g.pick(INCREMENTS)));
            add(1, g -> g.on1("HINCRBYFLOAT", g.key(), g.member(), g.pick(INCREMENTS)));
            add(1, g -> g.on1("HSTRLEN", g.key(), g.member()));
        add(1, g -> g.withComparison(PAIRS_ANY_ORDER, g.on1("HRANDFIELD", g.key(), "100", "WITHVALUES")));
            // lists
            add(4, g -> g.on1(g.pick("LPUSH", "RPUSH"), g.key(), g.member(), g.member()));
            add(1, g -> g.on1(g.pick("LPUSHX", "RPUSHX"), g.key(), g.member()));
            add(2, g -> g.random.nextBoolean() ? g.on1(g.pick("LPOP", "RPOP"), g.key())
                    : g.on1(g.pick("LPOP", "RPOP"), g.key(), g.pick(COUNTS)));
            add(2, g -> g.on1("LRANGE", g.key(), g.pick(INDEXES), g.pick(INDEXES)));
            add(1, g -> g.on1("LINDEX", g.key(), g.pick(INDEXES)));
            add(1, g -> g.on1("LSET", g.key(), g.pick(INDEXES), g.member()));
            add(1, g -> g.on1("LINSERT", g.key(), g.pick("BEFORE", "AFTER"), g.member(), g.member()));
            add(1, g -> g.on1("LREM", g.key(), g.pick("0", "1", "-1", "2"), g.member()));
            add(1, g -> g.on1("LTRIM", g.key(), g.pick(INDEXES), g.pick(INDEXES)));
            add(1, g -> g.on1("LPOS", g.key(), g.member(), "RANK", g.pick("1", "-1", "2"), "COUNT", g.pick("0", "1")));
            add(2, g -> g.onKeys(2, 3, "LMOVE", g.key(), g.key(), g.pick("LEFT", "RIGHT"), g.pick("LEFT", "RIGHT")));
            add(1, g -> g.onKeys(3, 4, "LMPOP", "2", g.key(), g.key(), g.pick("LEFT", "RIGHT"), "COUNT", g.pick("1", "2", "5")));
            // sets
            add(4, g -> g.on1("SADD", g.key(), g.member(), g.member(), g.member()));
            add(2, g -> g.on1("SREM", g.key(), g.member(), g.member()));
            add(1, g -> g.on1("SISMEMBER", g.key(), g.member()));
            add(1, g -> g.on1("SCARD", g.key()));
            add(1, g -> g.onKeys(2, 3, "SMOVE", g.key(), g.key(), g.member()));
            add(2, g -> g.onKeys(2, 4, g.pick("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), g.key(), g.key(), g.key()));
            add(1, g -> g.onKeys(3, 4, "SINTERCARD", "2", g.key(), g.key(), "LIMIT", g.pick("0", "1", "2")));
        add(1, g -> g.on1("SMISMEMBER", g.key(), g.member(), g.member()));
        add(1, g -> g.withComparison(ReplyComparison.UNORDERED, g.on1(g.pick("SRANDMEMBER", "SPOP"), g.key(), "100")));
            // sorted sets
            add(4, g -> g.zadd());
            add(2, g -> g.on1("ZINCRBY", g.key(), g.pick(INCREMENTS), g.member()));
            add(2, g -> g.on1("ZREM", g.key(), g.member(), g.member()));
            add(1, g -> g.on1("ZSCORE", g.key(), g.member()));
            add(1, g -> g.on1(g.pick("ZRANK", "ZREVRANK"), g.key(), g.member()));
            add(2, g -> g.on1("ZRANGEBYSCORE", g.key(), g.pick(SCORES), g.pick(SCORES), "WITHSCORES"));
            add(1, g -> g.on1("ZRANGE", g.key(), g.pick(INDEXES), g.pick(INDEXES), "REV", "WITHSCORES"));
            add(1, g -> g.on1("ZREMRANGEBYSCORE", g.key(), g.pick(SCORES), g.pick(SCORES)));
            add(1, g -> g.on1("ZREMRANGEBYRANK", g.key(), g.pick(INDEXES), g.pick(INDEXES)));
        add(1, g -> g.on1("ZMSCORE", g.key(), g.member(), g.member()));
        add(1, g -> g.on1("ZRANDMEMBER", g.key(), "100", "WITHSCORES"));
        add(1, g -> g.onKeys(1, 3, "ZRANGESTORE", g.key(), g.key(), g.pick(SCORES), g.pick(SCORES), "BYSCORE", "LIMIT", "0", "2"));
            add(1, g -> g.on1(g.pick("ZPOPMIN", "ZPOPMAX"), g.key(), g.pick(COUNTS)));
            add(1, g -> g.onKeys(3, 4, "ZMPOP", "2", g.key(), g.key(), g.pick("MIN", "MAX"), "COUNT", g.pick("1", "3")));
            add(2, g -> g.zstore());
            // across types
            add(1, g -> g.onKeys(1, 2, g.pick("DEL", "EXISTS"), g.key()));
            add(1, g -> g.on1("OBJECT", "ENCODING", g.key()));
            add(1, g -> g.onKeys(2, 3, "SORT", g.key(), g.pick("ALPHA", "DESC"), "STORE", g.key()));
            add(1, g -> g.on1("SORT", g.key(), "ALPHA", "LIMIT", "0", "3"));
            add(1, g -> g.onKeys(1, 3, "RENAME", g.key(), g.key()));
            add(1, g -> g.on1("SET", g.key(), g.member()));
        }

        private void add(int weight, Function<Generator, Generated> template) {
            for (int i = 0; i < weight; i++) {
                templates.add(template);
            }
        }

        Generated next() {
            return templates.get(random.nextInt(templates.size())).apply(this);
        }

        /** {@code g} with its reply judged by {@code how}: for replies in an unspecified order. */
        Generated withComparison(ReplyComparison how, Generated g) {
            return new Generated(g.args, how, g.touched);
        }

        /** A command whose key is its second word (args[1]). */
        Generated on1(Object... args) {
            return onKeys(1, 2, args);
        }

        /** A command whose keys are args[from..to). */
        Generated onKeys(int from, int to, Object... args) {
            List<String> keys = new ArrayList<>();
            for (int i = from; i < to; i++) {
                String key = (String) args[i];
                if (!keys.contains(key)) {
                    keys.add(key);
                }
            }
            return new Generated(args, ReplyComparison.EXACT, keys);
        }

        Generated zadd() {
            List<Object> args = new ArrayList<>(List.of("ZADD", key()));
            if (random.nextInt(3) == 0) {
                args.add(pick("NX", "XX", "GT", "LT"));
            }
            if (random.nextInt(3) == 0) {
                args.add("CH");
            }
            boolean incr = random.nextInt(5) == 0;
            if (incr) {
                args.add("INCR");
            }
            int pairs = incr ? 1 : 1 + random.nextInt(3);
            for (int i = 0; i < pairs; i++) {
                args.add(pick("0", "1", "2", "2.5", "-1", "10", "1e3", "-inf", "inf"));
                args.add(member());
            }
            return on1(args.toArray());
        }

        Generated zstore() {
            String op = pick("ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE");
            List<Object> args = new ArrayList<>(List.of(op, key(), "2", key(), key()));
            if (!op.equals("ZDIFFSTORE") && random.nextBoolean()) {
                args.addAll(List.of("WEIGHTS", pick("1", "2", "-1"), pick("1", "0.5")));
            }
            if (!op.equals("ZDIFFSTORE") && random.nextBoolean()) {
                args.addAll(List.of("AGGREGATE", pick("SUM", "MIN", "MAX")));
            }
            Object[] array = args.toArray();
            Generated g = onKeys(1, 2, array);
            for (int i = 3; i < 5; i++) {
                if (!g.touched.contains((String) array[i])) {
                    g.touched.add((String) array[i]);
                }
            }
            return g;
        }

        String key() {
            return pick(KEYS);
        }

        String member() {
            return pick(MEMBERS);
        }

        String pick(String... choices) {
            return choices[random.nextInt(choices.length)];
        }
    }
}
