package io.respire.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Sorted sets far past the listpack limit (Respire's ScoreTree of several levels against Redis's
 * skip list): a seeded stream of score updates, removals, rank and score lookups, range reads and
 * range removals on a set of a few thousand members with many equal scores, compared reply by
 * reply, with the whole set compared every 50 commands and at the end. A second set holds equal
 * scores only, where lex ranges are defined, and takes the lex commands.
 */
class LargeSortedSetDifferentialTest {
    private static final int MEMBERS = 4_000;
    private static final int COMMANDS = 600;

    @Differential
    void seed1(Dual d) {
        run(d, 101);
    }

    @Differential
    void seed2(Dual d) {
        run(d, 202);
    }

    private static void run(Dual d, long seed) {
        Random random = new Random(seed);
        load(d, random);
        for (int i = 0; i < COMMANDS; i++) {
            d.check(next(random));
            if (i % 50 == 49) {
                d.check("ZRANGE", "big", "0", "-1", "WITHSCORES");
                d.check("ZRANGE", "lex", "0", "-1");
            }
        }
        d.check("ZCARD", "big");
        d.check("ZRANGE", "big", "0", "-1", "WITHSCORES");
        d.check("ZRANGE", "lex", "0", "-1");
        d.check("OBJECT", "ENCODING", "big");
    }

    /** Scores from a small space, so that many members share one and order falls to the bytes. */
    private static void load(Dual d, Random random) {
        List<Object[]> batch = new ArrayList<>();
        for (int start = 0; start < MEMBERS; start += 100) {
            List<Object> big = new ArrayList<>(List.of("ZADD", "big"));
            List<Object> lex = new ArrayList<>(List.of("ZADD", "lex"));
            for (int i = start; i < start + 100; i++) {
                big.add(String.valueOf(random.nextInt(500)));
                big.add(member(i));
                lex.add("0");
                lex.add(member(i));
            }
            batch.add(big.toArray());
            batch.add(lex.toArray());
        }
        d.checkPipeline(batch);
    }

    private static String member(int i) {
        return "m" + Integer.toString(i * 7919 % 100_003, 36);
    }

    private static String score(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> String.valueOf(random.nextInt(500) + 0.5);
            case 1 -> random.nextBoolean() ? "-inf" : "+inf";
            default -> String.valueOf(random.nextInt(500));
        };
    }

    private static String someMember(Random random) {
        return member(random.nextInt(MEMBERS + MEMBERS / 10)); // a few never added
    }

    private static String rank(Random random) {
        int r = random.nextInt(MEMBERS + 200) - 100;
        return String.valueOf(random.nextInt(8) == 0 ? -r : r);
    }

    private static String bound(Random random) {
        int v = random.nextInt(520) - 10;
        return switch (random.nextInt(4)) {
            case 0 -> "(" + v;
            case 1 -> random.nextBoolean() ? "-inf" : "+inf";
            default -> String.valueOf(v);
        };
    }

    private static String lexBound(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> "-";
            case 1 -> "+";
            case 2 -> "(" + someMember(random);
            default -> "[" + someMember(random).substring(0, 1 + random.nextInt(3));
        };
    }

    private static Object[] next(Random random) {
        String m = someMember(random);
        return switch (random.nextInt(22)) {
            case 0, 1 -> new Object[] {"ZADD", "big", score(random), m};
            case 2 -> new Object[] {"ZADD", "big", random.nextBoolean() ? "GT" : "LT", "CH", score(random), m,
                    score(random), someMember(random)};
            case 3 -> new Object[] {"ZADD", "big", "XX", "INCR", String.valueOf(random.nextInt(5) - 2), m};
            case 4 -> new Object[] {"ZINCRBY", "big", random.nextBoolean() ? "0.25" : "-1", m};
            case 5 -> new Object[] {"ZREM", "big", m, someMember(random)};
            case 6 -> new Object[] {random.nextBoolean() ? "ZRANK" : "ZREVRANK", "big", m};
            case 7 -> new Object[] {"ZSCORE", "big", m};
            case 8 -> new Object[] {"ZRANGE", "big", rank(random), rank(random), "WITHSCORES"};
            case 9 -> new Object[] {"ZRANGE", "big", rank(random), rank(random), "REV"};
            case 10 -> new Object[] {"ZRANGEBYSCORE", "big", bound(random), bound(random), "WITHSCORES", "LIMIT",
                    String.valueOf(random.nextInt(50)), String.valueOf(random.nextInt(40) - 1)};
            case 11 -> new Object[] {"ZREVRANGEBYSCORE", "big", bound(random), bound(random), "LIMIT",
                    String.valueOf(random.nextInt(50)), String.valueOf(random.nextInt(40))};
            case 12 -> new Object[] {"ZCOUNT", "big", bound(random), bound(random)};
            case 13 -> {
                int start = random.nextInt(MEMBERS);
                yield new Object[] {"ZREMRANGEBYRANK", "big", String.valueOf(start),
                        String.valueOf(start + random.nextInt(60))};
            }
            case 14 -> {
                int low = random.nextInt(500);
                yield new Object[] {"ZREMRANGEBYSCORE", "big", String.valueOf(low), "(" + (low + random.nextInt(3))};
            }
            case 15 -> new Object[] {random.nextBoolean() ? "ZPOPMIN" : "ZPOPMAX", "big",
                    String.valueOf(1 + random.nextInt(5))};
            case 16 -> new Object[] {"ZRANGESTORE", "dst", "big", bound(random), bound(random), "BYSCORE", "LIMIT",
                    "0", String.valueOf(random.nextInt(300))};
            case 17 -> new Object[] {"ZRANGEBYLEX", "lex", lexBound(random), lexBound(random), "LIMIT",
                    String.valueOf(random.nextInt(20)), String.valueOf(random.nextInt(30))};
            case 18 -> new Object[] {"ZLEXCOUNT", "lex", lexBound(random), lexBound(random)};
            case 19 -> new Object[] {"ZREMRANGEBYLEX", "lex", "[" + m, "[" + m + "~"};
            case 20 -> new Object[] {"ZREVRANGEBYLEX", "lex", lexBound(random), lexBound(random)};
            default -> new Object[] {"ZMSCORE", "big", m, someMember(random), someMember(random)};
        };
    }
}
