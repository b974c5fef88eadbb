package io.respire.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Redis's setcpuaffinity.c: {@code server_cpulist}, {@code bio_cpulist}, {@code aof_rewrite_cpulist}
 * and {@code bgsave_cpulist} keep the threads that do each kind of work on a set of CPUs. Redis
 * pins its main and I/O threads, its bio threads and its fork children; Respire pins the threads
 * that do that work here: the event loops, the command executor and a replica's loader (server),
 * the AOF's fsync thread (bio), the writing thread of a BGSAVE or a full sync (bgsave) and of an
 * AOF rewrite (aof_rewrite). The JVM's own threads (garbage collection, compilation) are left as
 * they are: {@code taskset} on the whole process places those.
 *
 * <p>A JVM has no sched_setaffinity, so a thread pins itself as it starts, by running
 * {@code taskset} on its own thread id (from /proc/thread-self). A list Redis would not parse leaves
 * the affinity alone, as Redis does; so does a system without /proc/thread-self (Redis pins only
 * where the platform has the call). A taskset that fails is logged, where Redis ignores the error.
 */
public final class CpuAffinity {
    /** glibc's CPU_SETSIZE: CPU_SET ignores CPUs beyond it. */
    static final int MAX_CPUS = 1024;
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    private CpuAffinity() {
    }

    /**
     * The CPUs of a list as Redis reads it ("0,2,3", "0,2-3", "0-20:2"), or null if Redis would
     * leave the affinity alone: a part that is not a number, a range that goes backwards, a stride
     * of 0, or anything after the last number.
     */
    static BitSet parse(String list) {
        if (list == null) {
            return null;
        }
        Numbers in = new Numbers(list);
        BitSet cpus = new BitSet();
        while (true) {
            long first = in.next();
            long last = first;
            long stride = 1;
            if (first >= 0 && in.take('-')) {
                last = in.next();
                if (last >= 0 && in.take(':')) {
                    stride = in.next();
                }
            }
            if (first < 0 || last < 0 || stride <= 0 || first > last) {
                return null;
            }
            for (long cpu = first; cpu <= Math.min(last, MAX_CPUS - 1); cpu += stride) {
                cpus.set((int) cpu);
            }
            if (in.atEnd()) {
                return cpus;
            }
            if (!in.take(',')) {
                return null; // Redis's "if (end && *end) return"
            }
        }
    }

    /** A cursor over a list's characters. */
    private static final class Numbers {
        private final String s;
        private int i;

        Numbers(String s) {
            this.s = s;
        }

        /** The decimal number here (saturated: strtoul's ULONG_MAX is beyond any CPU too), or -1 if none. */
        long next() {
            int from = i;
            long value = 0;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = Math.min(Long.MAX_VALUE / 20, value * 10 + (s.charAt(i++) - '0'));
            }
            return i == from ? -1 : value;
        }

        /** Whether {@code c} is here; if so it is passed. */
        boolean take(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        boolean atEnd() {
            return i == s.length();
        }
    }

    /** The CPUs as taskset's --cpu-list reads them: "0,2,4". */
    static String format(BitSet cpus) {
        StringBuilder out = new StringBuilder();
        for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1)) {
            out.append(out.length() == 0 ? "" : ",").append(cpu);
        }
        return out.toString();
    }

    /** {@code body}, run by a thread that first pins itself to {@code cpulist} (null: no pinning). */
    public static Runnable pinned(String cpulist, ServerLog log, Runnable body) {
        if (cpulist == null) {
            return body;
        }
        return () -> {
            pinCurrentThread(cpulist, log);
            body.run();
        };
    }

    /** Threads named {@code name} that pin themselves to {@code cpulist} as they start. */
    public static ThreadFactory threads(String name, String cpulist, ServerLog log) {
        return r -> new Thread(pinned(cpulist, log, r), name);
    }

    /** Redis's redisSetCpuAffinity, for the calling thread. */
    public static void pinCurrentThread(String cpulist, ServerLog log) {
        BitSet cpus = parse(cpulist);
        if (cpus == null || cpus.isEmpty() || !Files.exists(THREAD_SELF)) {
            return; // an empty set is sched_setaffinity's EINVAL: the affinity stays
        }
        String failure;
        try {
            String self = Files.readSymbolicLink(THREAD_SELF).getFileName().toString(); // "<pid>/task/<tid>"
            Process taskset = new ProcessBuilder("taskset", "--pid", "--cpu-list", format(cpus), self)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectErrorStream(true)
                    .start();
            if (!taskset.waitFor(10, TimeUnit.SECONDS)) {
                taskset.destroyForcibly();
                failure = "taskset did not finish";
            } else {
                failure = taskset.exitValue() == 0 ? null : "taskset exited with status " + taskset.exitValue();
            }
        } catch (IOException e) {
            failure = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        if (failure != null) {
            log.warning("Could not set the CPU affinity of thread " + Thread.currentThread().getName() + " to "
                    + cpulist + ": " + failure);
        }
    }
}
