package io.respire.conformance;

import org.opentest4j.AssertionFailedError;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Seeded random command streams over the string, key and connection commands on a tiny key space,
 * so that keys collide across types (WRONGTYPE), counters overflow, options combine in ways nobody
 * wrote a test for. Seeds are fixed: a failure names the seed and the command index, and rerunning
 * that seed replays the same stream. Expiries are either immediate or far off, so no key expires
 * mid-run and nothing depends on timing; TTL replies are compared with a tolerance, RANDOMKEY by
 * shape.
 */
class RandomCommandsDifferentialTest {
    private static final int COMMANDS_PER_SEED = 500;
    private static final int HISTORY = 15;

    @Differential
    void seed1(Dual d) {
        run(d, 1);
    }

    @Differential
    void seed2(Dual d) {
        run(d, 2);
    }

    @Differential
    void seed3(Dual d) {
        run(d, 3);
    }

    private static void run(Dual d, long seed) {
        Generator generator = new Generator(new Random(seed));
        Deque<String> history = new ArrayDeque<>();
        for (int i = 0; i < COMMANDS_PER_SEED; i++) {
            Generated g = generator.next();
            String line = "#" + i + ": " + RespConnection.describe(g.args);
            try {
                d.checkWith(g.comparison, g.args);
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

    private record Generated(Object[] args, ReplyComparison comparison) {
        Generated(Object... args) {
            this(args, ReplyComparison.EXACT);
        }
    }

    /** Builds commands from weighted templates; all randomness comes from the one seeded Random. */
    private static final class Generator {
        private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4"};
        private static final String[] VALUES = {"0", "1", "-1", "42", "007", "9223372036854775807",
            "-9223372036854775808", "3.14", "1e3", "abc", "", "hello world", "x".repeat(50), " 7", "\u00e9t\u00e9"};
        private static final String[] NUMBERS = {"0", "1", "-1", "2", "10", "-7", "100", "9223372036854775807",
            "-9223372036854775808", "abc", "1.5", ""};
        private static final String[] FLOATS = {"0", "1", "-1.5", "0.1", "1e10", "-3e-3", "inf", "nan", "x", "5.0"};
        private static final String[] EXPIRE_OPTIONS = {"NX", "XX", "GT", "LT"};

        private final Random random;
        private final List<Function<Generator, Generated>> templates = new ArrayList<>();

        Generator(Random random) {
            this.random = random;
            add(6, g -> g.set());
            add(5, g -> new Generated("GET", g.key()));
            add(2, g -> new Generated("GETDEL", g.key()));
            add(2, g -> g.getex());
            add(1, g -> new Generated("GETSET", g.key(), g.value()));
            add(1, g -> new Generated("SETNX", g.key(), g.value()));
            add(1, g -> new Generated("SETEX", g.key(), g.pick("100", "0", "-5", "x"), g.value()));
            add(1, g -> new Generated("PSETEX", g.key(), g.pick("100000", "0", "x"), g.value()));
            add(2, g -> new Generated("MSET", g.key(), g.value(), g.key(), g.value()));
            add(2, g -> new Generated("MGET", g.key(), g.key(), g.key()));
            add(1, g -> new Generated("MSETNX", g.key(), g.value(), g.key(), g.value()));
            add(4, g -> new Generated(g.pick("INCR", "DECR"), g.key()));
            add(3, g -> new Generated(g.pick("INCRBY", "DECRBY"), g.key(), g.pick(NUMBERS)));
            add(3, g -> new Generated("INCRBYFLOAT", g.key(), g.pick(FLOATS)));
            add(3, g -> new Generated("APPEND", g.key(), g.value()));
            add(2, g -> new Generated("STRLEN", g.key()));
            add(2, g -> new Generated("SETRANGE", g.key(), g.pick("0", "1", "3", "10", "-1"), g.value()));
            add(2, g -> new Generated(g.pick("GETRANGE", "SUBSTR"), g.key(), g.pick(NUMBERS), g.pick(NUMBERS)));
            add(2, g -> new Generated("SETBIT", g.key(), g.random.nextInt(64), g.pick("0", "1", "2")));
            add(2, g -> new Generated("GETBIT", g.key(), g.random.nextInt(80)));
            add(2, g -> g.bitcount());
            add(2, g -> g.bitpos());
            add(2, g -> g.bitop());
            add(1, g -> new Generated("LCS", g.key(), g.key(), g.pick("LEN", "IDX", "IDX", "BOGUS")));
            add(3, g -> new Generated(g.pick("DEL", "UNLINK", "EXISTS", "TOUCH"), g.key(), g.key()));
            add(3, g -> new Generated("TYPE", g.key()));
            add(2, g -> new Generated(g.pick("RENAME", "RENAMENX"), g.key(), g.key()));
            add(1, g -> g.random.nextBoolean() ? new Generated("COPY", g.key(), g.key()) : new Generated("COPY", g.key(), g.key(), "REPLACE"));
            add(3, g -> g.expire());
            add(1, g -> new Generated("PERSIST", g.key()));
            add(3, g -> new Generated(new Object[] {"TTL", g.key()}, ReplyComparison.near(2)));
            add(1, g -> new Generated(new Object[] {"PTTL", g.key()}, ReplyComparison.near(2000)));
            add(1, g -> new Generated("DBSIZE"));
            add(1, g -> new Generated(new Object[] {"KEYS", g.pick("*", "k[0-2]", "k?", "x*")}, ReplyComparison.UNORDERED));
            add(1, g -> new Generated(new Object[] {"RANDOMKEY"}, ReplyComparison.SHAPE));
            add(1, g -> new Generated("SELECT", g.pick("0", "0", "1")));
            add(1, g -> new Generated("MOVE", g.key(), g.pick("0", "1")));
            add(1, g -> new Generated("SWAPDB", "0", "1"));
            add(1, g -> new Generated("OBJECT", "ENCODING", g.key()));
            // values of other types, so that string commands meet WRONGTYPE
            add(2, g -> new Generated("RPUSH", g.key(), g.value()));
            add(1, g -> new Generated("SADD", g.key(), g.value()));
            add(1, g -> new Generated("HSET", g.key(), "f", g.value()));
            add(1, g -> new Generated("ZADD", g.key(), g.pick("1", "2.5"), g.value()));
            add(1, g -> new Generated("PING"));
            add(1, g -> new Generated("ECHO", g.value()));
            // argument-count errors
            add(1, g -> new Generated(g.pick("GET", "SET", "INCRBY", "GETRANGE", "EXPIRE", "RENAME"), g.key()));
        }

        private void add(int weight, Function<Generator, Generated> template) {
            for (int i = 0; i < weight; i++) {
                templates.add(template);
            }
        }

        Generated next() {
            return templates.get(random.nextInt(templates.size())).apply(this);
        }

        String key() {
            return pick(KEYS);
        }

        String value() {
            return pick(VALUES);
        }

        String pick(String... choices) {
            return choices[random.nextInt(choices.length)];
        }

        Generated set() {
            List<Object> args = new ArrayList<>(List.of("SET", key(), value()));
            if (random.nextInt(3) == 0) {
                args.add(pick("NX", "XX"));
            }
            if (random.nextInt(3) == 0) {
                args.add("GET");
            }
            switch (random.nextInt(6)) {
                case 0 -> args.addAll(List.of("EX", pick("100", "1000", "0", "-1", "x")));
                case 1 -> args.addAll(List.of("PX", pick("100000", "0")));
                case 2 -> args.add("KEEPTTL");
                default -> {
                }
            }
            if (random.nextInt(20) == 0) {
                args.add(pick("NX", "EX", "BOGUS"));
            }
            return new Generated(args.toArray());
        }

        Generated getex() {
            return switch (random.nextInt(5)) {
                case 0 -> new Generated("GETEX", key());
                case 1 -> new Generated("GETEX", key(), "EX", pick("100", "0", "x"));
                case 2 -> new Generated("GETEX", key(), "PX", "100000");
                case 3 -> new Generated("GETEX", key(), "PERSIST");
                default -> new Generated("GETEX", key(), "PERSIST", "EX", "100");
            };
        }

        Generated bitcount() {
            return switch (random.nextInt(3)) {
                case 0 -> new Generated("BITCOUNT", key());
                case 1 -> new Generated("BITCOUNT", key(), pick(NUMBERS), pick(NUMBERS));
                default -> new Generated("BITCOUNT", key(), pick(NUMBERS), pick(NUMBERS), pick("BIT", "BYTE"));
            };
        }

        Generated bitpos() {
            String bit = pick("0", "1", "1", "2");
            return switch (random.nextInt(3)) {
                case 0 -> new Generated("BITPOS", key(), bit);
                case 1 -> new Generated("BITPOS", key(), bit, pick(NUMBERS));
                default -> new Generated("BITPOS", key(), bit, pick(NUMBERS), pick(NUMBERS), pick("BIT", "BYTE"));
            };
        }

        Generated bitop() {
            String op = pick("AND", "OR", "XOR", "NOT");
            if (op.equals("NOT")) {
                return new Generated("BITOP", op, key(), key());
            }
            return new Generated("BITOP", op, key(), key(), key());
        }

        Generated expire() {
            String command = pick("EXPIRE", "PEXPIRE", "EXPIRE");
            String amount = command.equals("EXPIRE") ? pick("100", "200", "1000", "0", "-1", "x")
                    : pick("100000", "300000", "-1");
            if (random.nextBoolean()) {
                return new Generated(command, key(), amount);
            }
            return new Generated(command, key(), amount, pick(EXPIRE_OPTIONS));
        }
    }
}
