package io.respire.ds.keyspace;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.SplittableRandom;

/**
 * Quick measurements, not a test (surefire does not pick it up): memory per key and put/get cost
 * of {@link Database} against a {@code HashMap<ByteBuffer, byte[]>}. Run with
 *
 * <pre>
 * java -Xmx6g -XX:+UseParallelGC -cp datastructures/target/classes:datastructures/target/test-classes \
 *     io.respire.ds.keyspace.DictBench [memory-db|memory-db-ttl|memory-hashmap|speed|latency]
 * </pre>
 */
public final class DictBench {
    static final int N = 1_000_000;

    static byte[] key16(long i) {
        return String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII);
    }

    static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "speed";
        switch (mode) {
            case "memory-db", "memory-db-ttl", "memory-hashmap" -> memory(mode);
            case "latency" -> latency(args.length > 1 ? Integer.parseInt(args[1]) : 8_000_000);
            case "hash" -> hashOnly();
            default -> speed(args.length > 1 ? Integer.parseInt(args[1]) : N);
        }
    }

    static void memory(String mode) throws Exception {
        long before = usedAfterGc();
        Object holder;
        if (mode.equals("memory-hashmap")) {
            HashMap<ByteBuffer, byte[]> map = new HashMap<>();
            for (int i = 0; i < N; i++) {
                byte[] k = key16(i);
                map.put(ByteBuffer.wrap(k), new byte[64]);
            }
            holder = map;
        } else {
            Database db = new Database(0);
            for (int i = 0; i < N; i++) {
                byte[] k = key16(i);
                db.put(k, new byte[64]);
                if (mode.equals("memory-db-ttl")) {
                    db.setExpireAt(k, Long.MAX_VALUE - i);
                }
            }
            while (db.rehashMilliseconds(100) > 0) {
                // settle
            }
            holder = db;
        }
        long after = usedAfterGc();
        double perKey = (double) (after - before) / N;
        // 16-byte key array = 32 bytes, 64-byte value array = 80 bytes with headers.
        System.out.printf("%s: %.1f bytes/key total, %.1f bytes/key beyond the key and value"
                + " arrays (112)%n", mode, perKey, perKey - 112);
        java.lang.ref.Reference.reachabilityFence(holder);
    }

    /** Thread CPU time (coarsely accounted on some virtual machines: use for long loops only). */
    static long cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Wall time per operation, best of 8 rounds (so that a busy machine distorts it less). */
    static void speed(int n) {
        int reps = Math.max(1, N / n);
        byte[][] keys = new byte[n][];
        byte[][] lookupKeys = new byte[n][];
        ByteBuffer[] bufs = new ByteBuffer[n];
        ByteBuffer[] lookupBufs = new ByteBuffer[n];
        int[] order = new int[n];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            keys[i] = key16(i);
            lookupKeys[i] = keys[i].clone();
            bufs[i] = ByteBuffer.wrap(keys[i]);
            lookupBufs[i] = ByteBuffer.wrap(lookupKeys[i]);
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        byte[] value = new byte[64];
        Dict hasher = new Dict(1);
        long sink = 0;
        String[] names = {"hash (16-byte key)", "Arrays.hashCode", "Database.put (growing)",
            "Database.lookup (hit, random order)", "Database.put (overwrite)",
            "HashMap<ByteBuffer>.put (growing)", "HashMap<ByteBuffer>.get (hit, random order)"};
        double[] best = new double[names.length];
        Arrays.fill(best, Double.MAX_VALUE);
        for (int round = 0; round < 8; round++) {
            long[] t = new long[names.length];
            long c = System.nanoTime();
            for (int rep = 0; rep < reps; rep++) for (int i = 0; i < n; i++) {
                sink += hasher.hash(lookupKeys[order[i]]);
            }
            t[0] = System.nanoTime() - c;
            c = System.nanoTime();
            for (int rep = 0; rep < reps; rep++) for (int i = 0; i < n; i++) {
                sink += Arrays.hashCode(lookupKeys[order[i]]);
            }
            t[1] = System.nanoTime() - c;
            Database db = null;
            t[2] = 0;
            for (int rep = 0; rep < reps; rep++) {
                db = new Database(0, round);
                c = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    db.put(keys[i], value);
                }
                t[2] += System.nanoTime() - c;
            }
            c = System.nanoTime();
            for (int rep = 0; rep < reps; rep++) for (int i = 0; i < n; i++) {
                sink += db.lookup(lookupKeys[order[i]], 0) == null ? 1 : 0;
            }
            t[3] = System.nanoTime() - c;
            c = System.nanoTime();
            for (int rep = 0; rep < reps; rep++) for (int i = 0; i < n; i++) {
                db.put(lookupKeys[order[i]], value);
            }
            t[4] = System.nanoTime() - c;
            HashMap<ByteBuffer, byte[]> map = null;
            t[5] = 0;
            for (int rep = 0; rep < reps; rep++) {
                map = new HashMap<>();
                c = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    map.put(bufs[i], value);
                }
                t[5] += System.nanoTime() - c;
            }
            c = System.nanoTime();
            for (int rep = 0; rep < reps; rep++) for (int i = 0; i < n; i++) {
                sink += map.get(lookupBufs[order[i]]) == null ? 1 : 0;
            }
            t[6] = System.nanoTime() - c;
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (int k = 0; k < t.length; k++) {
                double ns = t[k] / ((double) n * reps);
                best[k] = Math.min(best[k], ns);
                line.append(String.format(" %.1f", ns));
            }
            System.out.println(line);
        }
        System.out.println("best of 8 rounds, ns/op (wall time), " + n + " keys of 16 bytes:");
        for (int k = 0; k < names.length; k++) {
            System.out.printf("  %-45s %6.1f%n", names[k], best[k]);
        }
        System.out.println(sink == 42 ? "" : " ");
    }

    /** Hash cost alone, on a working set that fits in L1, for several key lengths. */
    static void hashOnly() {
        Dict d = new Dict(1);
        long sink = 0;
        for (int len : new int[] {5, 8, 16, 24, 64, 256}) {
            byte[][] keys = new byte[256][len];
            SplittableRandom r = new SplittableRandom(len);
            for (byte[] k : keys) {
                r.nextBytes(k);
            }
            double bestHash = Double.MAX_VALUE;
            double bestJdk = Double.MAX_VALUE;
            int reps = 20_000_000;
            for (int round = 0; round < 5; round++) {
                long c = cpu();
                for (int i = 0; i < reps; i++) {
                    sink += d.hash(keys[i & 255]);
                }
                bestHash = Math.min(bestHash, (cpu() - c) / (double) reps);
                c = cpu();
                for (int i = 0; i < reps; i++) {
                    sink += Arrays.hashCode(keys[i & 255]);
                }
                bestJdk = Math.min(bestJdk, (cpu() - c) / (double) reps);
            }
            System.out.printf("%4d-byte keys: Dict.hash %.2f ns, Arrays.hashCode %.2f ns%n", len,
                    bestHash, bestJdk);
        }
        System.out.println(sink == 42 ? "" : " ");
    }

    /**
     * Worst single-put latencies while growing to {@code n} keys. On a busy machine any single
     * operation may be descheduled, so each put is timed in several runs and its minimum kept:
     * what remains are the costs the data structure itself causes at that point (a HashMap
     * resize, the allocation of a new bucket array). Run with a young generation large enough to
     * avoid GC pauses, e.g. -Xms8g -Xmx8g -Xmn6g -XX:+UseParallelGC -XX:+AlwaysPreTouch.
     */
    static void latency(int n) {
        byte[][] keys = new byte[n][];
        ByteBuffer[] bufs = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            keys[i] = key16(i);
            bufs[i] = ByteBuffer.wrap(keys[i]);
        }
        byte[] value = new byte[8];
        int runs = 4;
        long[] minDict = new long[n];
        long[] minMap = new long[n];
        Arrays.fill(minDict, Long.MAX_VALUE);
        Arrays.fill(minMap, Long.MAX_VALUE);
        for (int run = 0; run < runs; run++) {
            Dict d = new Dict(run);
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                d.put(keys[i], value);
                minDict[i] = Math.min(minDict[i], System.nanoTime() - t);
            }
            d = null;
            HashMap<ByteBuffer, byte[]> map = new HashMap<>();
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                map.put(bufs[i], value);
                minMap[i] = Math.min(minMap[i], System.nanoTime() - t);
            }
            map = null;
            System.gc();
        }
        System.out.println("growing to " + n + " keys, worst puts (min over " + runs
                + " runs of each put's wall time):");
        System.out.println("  Dict:    " + worst(minDict));
        System.out.println("  HashMap: " + worst(minMap));
    }

    private static String worst(long[] times) {
        Integer[] idx = new Integer[times.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Long.compare(times[b], times[a]));
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 5; k++) {
            sb.append(String.format("#%d %.0f us  ", idx[k], times[idx[k]] / 1000.0));
        }
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        sb.append(String.format("| p99.99 %.1f us, median %d ns", sorted[(int) (sorted.length * 0.9999)] / 1000.0,
                sorted[sorted.length / 2]));
        return sb.toString();
    }

}
