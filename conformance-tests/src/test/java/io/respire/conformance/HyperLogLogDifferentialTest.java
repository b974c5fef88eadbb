package io.respire.conformance;

import org.opentest4j.AssertionFailedError;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * HyperLogLog family (server's HyperLogLogCommands): PFADD, PFCOUNT, PFMERGE, PFDEBUG and
 * PFSELFTEST, replies compared byte for byte and the values themselves compared with GET after
 * each change, so that sparse layouts, promotions and cached cardinalities match Redis's bytes.
 * Also: values exchanged between the servers, corrupted values (random bytes, truncations,
 * appended bytes) handled as Redis handles them, the dirty counter and keyspace statistics, WATCH.
 */
class HyperLogLogDifferentialTest {
    private static final String SPARSE_MAX = "hll-sparse-max-bytes";

    /** PFADD of {@code elements} to {@code key}, as one command. */
    private static Object[] pfadd(String key, List<String> elements) {
        List<Object> command = new ArrayList<>(List.of("PFADD", key));
        command.addAll(elements);
        return command.toArray();
    }

    private static List<String> elements(String prefix, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    @Differential
    void pfaddAndPfcount(Dual d) {
        d.check("PFADD", "hll");
        d.check("GET", "hll");
        d.check("EXISTS", "hll");
        d.check("PFCOUNT", "hll");
        d.check("GET", "hll"); // the cache written
        d.check("PFADD", "hll", "a", "b", "c");
        d.check("GET", "hll");
        d.check("PFADD", "hll", "a", "b", "c");
        d.check("PFADD", "hll", "");
        d.check("PFADD", "hll", new byte[] {0, (byte) 0xff, 10, 13});
        d.check("PFCOUNT", "hll");
        d.check("GETRANGE", "hll", "15", "15");
        d.check("PFCOUNT", "hll");
        d.check("PFADD", "hll", "1", "2", "3");
        d.check("GETRANGE", "hll", "8", "15");
        d.check("GET", "hll");
        d.check("TYPE", "hll");
        d.check("OBJECT", "ENCODING", "hll");
        d.check("STRLEN", "hll");
        d.check("PFCOUNT", "missing");
        d.check("EXISTS", "missing");
        d.check("PFADD");
        d.check("PFCOUNT");
        // One element per command, the value compared after each: every split and merge of the sparse code.
        for (String e : elements("one-by-one:", 0, 400)) {
            d.check("PFADD", "seq", e);
            d.check("GET", "seq");
        }
        d.check("PFCOUNT", "seq");
        d.check("PFDEBUG", "DECODE", "seq");
    }

    @Differential
    void encodingsAsForAString(Dual d) {
        byte[] empty = HexFormat.of().parseHex("48594c4c0100000000000000000000007fff");
        d.check("SET", "small", empty);
        d.check("OBJECT", "ENCODING", "small");
        d.check("PFCOUNT", "small", "small");
        d.check("OBJECT", "ENCODING", "small");
        d.check("PFCOUNT", "small");
        d.check("OBJECT", "ENCODING", "small");
        d.check("SET", "small", empty);
        d.check("PFDEBUG", "ENCODING", "small");
        d.check("OBJECT", "ENCODING", "small");
        d.check("SET", "small", empty);
        d.check("PFADD", "small");
        d.check("OBJECT", "ENCODING", "small");
        d.check("PFADD", "created", "x");
        d.check("OBJECT", "ENCODING", "created");
        d.check("APPEND", "created", "");
        d.check("GET", "created");
    }

    @Differential
    void pfcountOfSeveralKeys(Dual d) {
        d.check(pfadd("h1", elements("a", 0, 100)));
        d.check(pfadd("h2", elements("a", 50, 3000)));
        d.check(pfadd("h3", elements("b", 0, 20000)));
        d.check("PFCOUNT", "h1", "h2");
        d.check("PFCOUNT", "h1", "h2", "h3");
        d.check("PFCOUNT", "h1", "missing", "h3", "h1");
        d.check("PFCOUNT", "missing", "missing2");
        d.check("GET", "h1"); // a union writes no cache
        d.check("SET", "str", "not an hll");
        d.check("PFCOUNT", "h1", "str");
        d.check("RPUSH", "list", "a");
        d.check("PFCOUNT", "h1", "list");
        d.check("PFCOUNT", "list", "str");
    }

    @Differential
    void pfmerge(Dual d) {
        d.check("PFADD", "h1", "a", "b", "c");
        d.check("PFADD", "h2", "b", "c", "d");
        d.check(pfadd("big", elements("big", 0, 5000)));
        d.check("PFMERGE", "dest", "h1", "h2");
        d.check("GET", "dest");
        d.check("PFCOUNT", "dest");
        d.check("PFMERGE", "h1", "h2", "missing"); // the destination is a source too
        d.check("GET", "h1");
        d.check("PFMERGE", "empty");
        d.check("GET", "empty");
        d.check("PFMERGE", "empty2", "missing", "missing2");
        d.check("GET", "empty2");
        d.check("PFMERGE", "mixed", "h2", "big"); // a dense source: the destination becomes dense
        d.check("GET", "mixed");
        d.check("PFCOUNT", "mixed");
        d.check("PFMERGE", "h2", "big");
        d.check("GET", "h2");
        d.check("PFMERGE", "big", "h1");
        d.check("GET", "big");
        d.check(pfadd("medium", elements("m", 0, 1200)));
        d.check("PFMERGE", "medium", "h1", "dest"); // sparse into sparse: the layout of many updates
        d.check("GET", "medium");
        d.check("PFMERGE", "medium2", "medium", "h1");
        d.check("GET", "medium2");
        d.check("PFMERGE");
        d.check("SET", "str", "not an hll");
        d.check("PFMERGE", "str", "h1");
        d.check("PFMERGE", "h1", "str");
        d.check("PFMERGE", "new", "h1", "str");
        d.check("EXISTS", "new");
        d.check("RPUSH", "list", "a");
        d.check("PFMERGE", "list", "h1");
        d.check("PFMERGE", "h1", "list");
    }

    @Differential
    void pfdebug(Dual d) {
        d.check("PFADD", "sp", "a", "b", "c");
        d.check("PFDEBUG", "DECODE", "sp");
        d.check("PFDEBUG", "ENCODING", "sp");
        d.check("PFDEBUG", "GETREG", "sp");
        d.check("GET", "sp"); // converted to dense
        d.check("PFDEBUG", "ENCODING", "sp");
        d.check("PFDEBUG", "DECODE", "sp");
        d.check("PFDEBUG", "TODENSE", "sp");
        d.check("PFADD", "sp2", "x");
        d.check("PFDEBUG", "todense", "sp2");
        d.check("GET", "sp2");
        d.check("PFDEBUG", "getreg", "sp2");
        d.check("PFDEBUG", "foo", "sp2");
        d.check("PFDEBUG", "héllo", "sp2");
        d.check("PFDEBUG", "foo", "missing");
        d.check("PFDEBUG", "GETREG", "missing");
        d.check("PFDEBUG", "GETREG");
        d.check("PFDEBUG", "GETREG", "sp", "extra");
        d.check("SET", "str", "hello");
        d.check("PFDEBUG", "ENCODING", "str");
        d.check("RPUSH", "list", "a");
        d.check("PFDEBUG", "ENCODING", "list");
        d.check("PFMERGE", "empty");
        d.check("PFDEBUG", "DECODE", "empty");
    }

    @Differential
    void pfselftest(Dual d) {
        d.check("PFSELFTEST");
        d.check("PFSELFTEST", "extra");
    }

    /** hll-sparse-max-bytes decides when a sparse value is promoted: compared after every element. */
    @Differential
    void sparseMaxBytes(Dual d) {
        d.check("CONFIG", "GET", SPARSE_MAX);
        d.check("CONFIG", "SET", SPARSE_MAX, "-1");
        d.check("CONFIG", "SET", SPARSE_MAX, "abc");
        try {
            for (String limit : List.of("0", "30", "100", "500", "3000", "5000")) {
                d.check("CONFIG", "SET", SPARSE_MAX, limit);
                d.check("CONFIG", "GET", SPARSE_MAX);
                d.check("DEL", "hll");
                d.check("PFADD", "hll");
                int total = limit.equals("5000") ? 4000 : 1500;
                for (int i = 0; i < total; i += 10) {
                    d.check(pfadd("hll", elements("limit" + limit + ":", i, i + 10)));
                    d.check("PFDEBUG", "ENCODING", "hll");
                    d.check("STRLEN", "hll");
                }
                d.check("GET", "hll");
                d.check("PFCOUNT", "hll");
            }
        } finally {
            d.check("CONFIG", "SET", SPARSE_MAX, "3000");
        }
    }

    /**
     * The cross-check: 100,000 random elements added to both servers give the same value
     * and count; then each server's value is SET into the other, and counting, adding and merging
     * still agree. The protocol does not matter here, so one run is enough.
     */
    @Differential(protocols = 2)
    void hundredThousandElementsAndValuesExchanged(Dual d) {
        Random random = new Random(100_000);
        List<Object[]> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            List<String> items = new ArrayList<>();
            for (int j = 0; j < 100; j++) {
                items.add(Long.toString(random.nextLong(), 36));
            }
            batch.add(pfadd("big", items));
            if (batch.size() == 50) {
                d.checkPipeline(batch);
                batch.clear();
            }
        }
        d.check("PFCOUNT", "big");
        d.check("PFDEBUG", "ENCODING", "big");
        exchange(d, "big");
        // The same with a sparse value.
        d.check(pfadd("small", elements("s", 0, 700)));
        d.check("PFDEBUG", "ENCODING", "small");
        exchange(d, "small");
        d.check("PFMERGE", "all", "big:from-redis", "small:from-respire");
        d.check("GET", "all");
        d.check("PFCOUNT", "all");
        d.check("PFCOUNT", "big:from-respire", "small:from-redis", "big");
    }

    /**
     * Puts Redis's value of {@code key} into Respire and Respire's into Redis (as
     * {@code key:from-redis} and {@code key:from-respire} on both), then uses them.
     */
    private static void exchange(Dual d, String key) {
        RespReply[] values = d.both("GET", key);
        if (!Arrays.equals(values[0].raw, values[1].raw)) {
            throw new AssertionFailedError("the values of " + key + " differ", values[0].render(), values[1].render());
        }
        d.check("SET", key + ":from-redis", values[0].data);
        d.check("SET", key + ":from-respire", values[1].data);
        for (String copy : List.of(key + ":from-redis", key + ":from-respire")) {
            d.check("PFCOUNT", copy);
            d.check("PFCOUNT", copy, key);
            d.check(pfadd(copy, elements("more", 0, 300)));
            d.check("GET", copy);
            d.check("PFCOUNT", copy);
            d.check("PFMERGE", copy + ":merged", copy, key);
            d.check("GET", copy + ":merged");
        }
    }

    /** Random HyperLogLogs of sizes from 1 to 200,000: counts, unions and values agree. */
    @Differential(protocols = 2)
    void estimatesAgreeAcrossSizes(Dual d) {
        Random random = new Random(77);
        for (int k = 0; k < 30; k++) {
            int n = (int) Math.pow(10, random.nextDouble() * 5.3);
            List<Object[]> batch = new ArrayList<>();
            for (int i = 0; i < n; i += 200) {
                batch.add(pfadd("r" + k, elements("r" + k + ":" + random.nextInt(1000) + ":", i, Math.min(n, i + 200))));
            }
            d.checkPipeline(batch);
            d.check("PFCOUNT", "r" + k);
            d.check("GET", "r" + k);
            if (k > 0) {
                d.check("PFCOUNT", "r" + k, "r" + (k - 1));
            }
        }
    }

    /**
     * Redis's fuzz test, compared: values corrupted at random (bytes overwritten, truncated,
     * extended), then counted, merged, added to, decoded and converted; every reply and every
     * resulting value must be Redis's, errors included.
     */
    @Differential
    void corruptedValuesAgree(Dual d) {
        Random random = new Random(2024);
        for (int round = 0; round < 120; round++) {
            d.check("DEL", "hll", "merged");
            d.check(pfadd("hll", elements("fz" + round + ":", 0, random.nextInt(round % 10 == 0 ? 6000 : 1500))));
            if (random.nextInt(4) == 0) {
                d.check("PFDEBUG", "TODENSE", "hll");
            }
            corrupt(d, random);
            exercise(d, random, round);
        }
    }

    private static void corrupt(Dual d, Random random) {
        switch (random.nextInt(5)) {
            case 0, 1 -> {
                for (int i = 0; i < 5; i++) {
                    long length = d.check("STRLEN", "hll").asLong();
                    int pos = random.nextInt((int) length);
                    d.check("SETRANGE", "hll", Integer.toString(pos), new byte[] {(byte) random.nextInt(256)});
                    if (random.nextBoolean()) {
                        break;
                    }
                }
            }
            case 2 -> {
                long length = d.check("STRLEN", "hll").asLong();
                byte[] value = d.check("GET", "hll").data;
                d.check("SET", "hll", Arrays.copyOf(value, 16 + random.nextInt((int) length - 15)));
            }
            case 3 -> {
                byte[] tail = new byte[1 + random.nextInt(4)];
                random.nextBytes(tail);
                d.check("APPEND", "hll", tail);
            }
            default -> {
                // One byte of the header: the magic, the encoding, the cache.
                d.check("SETRANGE", "hll", Integer.toString(random.nextInt(16)), new byte[] {(byte) random.nextInt(256)});
            }
        }
    }

    private static void exercise(Dual d, Random random, int round) {
        d.check("GET", "hll");
        d.check("PFCOUNT", "hll");
        d.check("GET", "hll");
        d.check("PFCOUNT", "hll", "missing");
        d.check("PFDEBUG", "DECODE", "hll");
        d.check(pfadd("hll", elements("more" + round + ":" + random.nextInt(100) + ":", 0, 30)));
        d.check("GET", "hll");
        d.check("PFCOUNT", "hll");
        d.check("PFMERGE", "merged", "hll");
        d.check("GET", "merged");
        d.check("PFDEBUG", "GETREG", "hll");
        d.check("GET", "hll");
        d.check("PFCOUNT", "hll");
    }

    /**
     * A sparse value whose last byte starts an XZERO: Redis reads its second byte from the string's
     * terminator (0), and an update splitting it writes the new sequence's last byte there, past the
     * value's end, where later reads find it.
     */
    @Differential
    void xzeroCutShortByTheEnd(Dual d) {
        byte[] header = Arrays.copyOf(HexFormat.of().parseHex("48594c4c0100000000000000000000007fff"), 16);
        byte[] value = Arrays.copyOf(header, 19);
        value[16] = 0x40;
        value[17] = (byte) 0xfe;
        value[18] = 0x7f;
        d.check("SET", "q", value);
        d.check("PFCOUNT", "q");
        d.check("PFDEBUG", "DECODE", "q");
        d.check("PFADD", "q", "x62692"); // register 300
        d.check("GET", "q");
        d.check("PFDEBUG", "DECODE", "q");
        d.check("PFCOUNT", "q");
        for (String e : elements("after-the-cut:", 0, 200)) {
            d.check("PFADD", "q", e);
            d.check("GET", "q");
        }
        d.check("PFCOUNT", "q");
        d.check("SET", "q", Arrays.copyOf(header, 16));
        d.check("PFADD", "q", "a");
        d.check("PFADD", "q");
        d.check("PFCOUNT", "q");
        d.check("PFMERGE", "q2", "q");
        d.check("PFDEBUG", "DECODE", "q");
        d.check("PFDEBUG", "TODENSE", "q");
    }

    /** A dense value whose registers are so high that the estimate overflows: Redis's integer indefinite. */
    @Differential
    void estimatesBeyondALong(Dual d) {
        byte[] dense = new byte[16 + 12288];
        System.arraycopy("HYLL".getBytes(StandardCharsets.US_ASCII), 0, dense, 0, 4);
        dense[15] = (byte) 0x80;
        Arrays.fill(dense, 16, dense.length, (byte) 0xff); // every register 63
        d.check("SET", "d", dense);
        d.check("PFCOUNT", "d");
        d.check("GETRANGE", "d", "8", "15"); // the overflowed estimate leaves the cache stale
        d.check("PFCOUNT", "d");
        d.check("PFCOUNT", "d", "missing");
        d.check("PFMERGE", "m", "d");
        d.check("PFCOUNT", "m");
        d.check("PFADD", "d", "x");
    }

    // ---------------------------------------------------------------- side effects

    /** A sparse header with no registers after it: a corrupted value. */
    private static final byte[] SPARSE_HEADER_ONLY = Arrays.copyOf(HexFormat.of().parseHex("48594c4c0100000000000000000000807fff"), 16);

    private static final String[] COUNTERS = {"rdb_changes_since_last_save", "keyspace_hits", "keyspace_misses"};

    /**
     * The dirty counter and keyspace hits/misses move as on Redis for each command: PFADD counts
     * the creation and each changed register, PFCOUNT counts a cache refresh, the PFDEBUG
     * conversions count.
     */
    @Differential(protocols = 2)
    void countersMoveAsOnRedis(Dual d) {
        Dual observer = d.another();
        List<Object[]> commands = List.of(
                new Object[] {"PFADD", "h", "a", "b", "c"}, new Object[] {"PFADD", "h", "a"},
                new Object[] {"PFADD", "h"}, new Object[] {"PFADD", "h2"}, new Object[] {"PFCOUNT", "h"},
                new Object[] {"PFCOUNT", "h"}, new Object[] {"PFCOUNT", "h", "h2", "missing"},
                new Object[] {"PFCOUNT", "missing"}, new Object[] {"PFMERGE", "m", "h", "missing"},
                new Object[] {"PFMERGE", "m"}, new Object[] {"PFDEBUG", "ENCODING", "m"},
                new Object[] {"PFDEBUG", "GETREG", "m"}, new Object[] {"PFDEBUG", "GETREG", "m"},
                new Object[] {"PFDEBUG", "TODENSE", "h"}, new Object[] {"PFDEBUG", "TODENSE", "h"},
                new Object[] {"PFADD", "h", "d", "e"}, new Object[] {"PFCOUNT", "h"},
                new Object[] {"SET", "bad", SPARSE_HEADER_ONLY},
                new Object[] {"PFADD", "bad", "x"}, new Object[] {"PFCOUNT", "bad"}, new Object[] {"PFMERGE", "bad2", "bad"});
        for (Object[] command : commands) {
            long[][] before = counters(observer);
            d.check(command);
            long[][] after = counters(observer);
            for (int i = 0; i < COUNTERS.length; i++) {
                long redis = after[0][i] - before[0][i];
                long respire = after[1][i] - before[1][i];
                if (redis != respire) {
                    throw new AssertionFailedError("`" + RespConnection.describe(command) + "` moved " + COUNTERS[i]
                            + " by " + redis + " on Redis but " + respire + " on Respire", redis, respire);
                }
            }
        }
    }

    /** {redis, respire} values of {@link #COUNTERS}. */
    private static long[][] counters(Dual observer) {
        RespReply[] info = observer.both("INFO", "everything");
        long[][] out = new long[2][COUNTERS.length];
        for (int s = 0; s < 2; s++) {
            for (String line : info[s].text().split("\r\n")) {
                for (int i = 0; i < COUNTERS.length; i++) {
                    if (line.startsWith(COUNTERS[i] + ":")) {
                        out[s][i] = Long.parseLong(line.substring(COUNTERS[i].length() + 1));
                    }
                }
            }
        }
        return out;
    }

    /** PFCOUNT refreshing the cache changes the string, which aborts a transaction watching it. */
    @Differential
    void watchedKeyTouchedByACacheRefresh(Dual d) {
        Dual other = d.another();
        d.check("PFADD", "h", "a");
        d.check("WATCH", "h");
        other.check("PFCOUNT", "h");
        d.check("MULTI");
        d.check("PING");
        d.check("EXEC");
        d.check("WATCH", "h");
        other.check("PFCOUNT", "h"); // from the cache: no change
        d.check("MULTI");
        d.check("PING");
        d.check("EXEC");
        d.check("WATCH", "h");
        other.check("PFADD", "h", "a"); // no register changed
        d.check("MULTI");
        d.check("PING");
        d.check("EXEC");
        d.check("WATCH", "h");
        other.check("PFDEBUG", "TODENSE", "h"); // converted, but not signalled
        d.check("MULTI");
        d.check("PING");
        d.check("EXEC");
    }
}
