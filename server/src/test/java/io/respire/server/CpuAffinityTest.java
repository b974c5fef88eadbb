package io.respire.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * server_cpulist and its kin: lists read as Redis's setcpuaffinity reads them, and threads that
 * really end up on those CPUs (read back from /proc, where the kernel keeps each thread's mask).
 */
class CpuAffinityTest {
    @TempDir
    Path dir;

    private static String cpus(String list) {
        BitSet set = CpuAffinity.parse(list);
        return set == null ? null : CpuAffinity.format(set);
    }

    @Test
    void listsReadAsRedisReadsThem() {
        assertEquals("0,2,3", cpus("0,2,3"));
        assertEquals("0,2,3", cpus("0,2-3"));
        assertEquals("0,4,8,12,16,20", cpus("0-20:4"));
        assertEquals("1,3,8,9,10,11", cpus("1,3,8-11"));
        assertEquals("0,2,4,6,9", cpus("0-7:2,9"));
        assertEquals("5", cpus("5-5"));
        assertEquals("", cpus("4096"), "beyond CPU_SETSIZE: nothing set");
        assertEquals("1023", cpus("1023-99999"));
    }

    @Test
    void whatRedisWouldNotParseLeavesTheAffinityAlone() {
        for (String bad : List.of("", "x", " 1", "1 ", "1,", ",1", "3-1", "1-", "1-3:", "1-3:0", "0-3,5:2", "1:2",
                "-1", "1--2", "0x1")) {
            assertNull(CpuAffinity.parse(bad), bad);
        }
        assertNull(CpuAffinity.parse(null));
    }

    /** The CPUs the calling thread may run on, as the kernel reports them ("0-1", "1"). */
    private static String allowedCpus() throws IOException {
        return allowedCpusOf(Path.of("/proc/thread-self/status"));
    }

    /** The highest CPU this process may use: pinning to it is always allowed. */
    private static String someCpu() throws IOException {
        String allowed = allowedCpus();
        return allowed.substring(Math.max(allowed.lastIndexOf(','), allowed.lastIndexOf('-')) + 1);
    }

    private static boolean linuxWithTaskset() {
        if (!Files.exists(Path.of("/proc/thread-self"))) {
            return false;
        }
        try {
            return new ProcessBuilder("taskset", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void aThreadPinsItselfAsItStarts() throws Exception {
        assumeTrue(linuxWithTaskset(), "needs Linux's /proc/thread-self and taskset");
        String cpu = someCpu();
        CompletableFuture<String> seen = new CompletableFuture<>();
        ServerLog log = new ServerLog(new io.respire.server.config.ServerConfig());
        Thread t = CpuAffinity.threads("pinned", cpu, log).newThread(() -> {
            try {
                seen.complete(allowedCpus());
            } catch (IOException e) {
                seen.completeExceptionally(e);
            }
        });
        t.start();
        assertEquals(cpu, seen.get(10, TimeUnit.SECONDS));
    }

    @Test
    void theExecutorRunsOnServerCpulist() throws Exception {
        assumeTrue(linuxWithTaskset(), "needs Linux's /proc/thread-self and taskset");
        String cpu = someCpu();
        try (RespireServer server = LocalServer.start(dir, "--server_cpulist", cpu)) {
            CompletableFuture<String> seen = new CompletableFuture<>();
            server.context().executor().execute(() -> {
                try {
                    seen.complete(allowedCpus());
                } catch (IOException e) {
                    seen.completeExceptionally(e);
                }
            });
            assertEquals(cpu, seen.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aBackgroundSaveWritesFromBgsaveCpulist() throws Exception {
        assumeTrue(linuxWithTaskset(), "needs Linux's /proc/thread-self and taskset");
        String cpu = someCpu();
        assumeTrue(!allowedCpus().equals(cpu), "needs two CPUs to tell a pinned thread");
        try (RespireServer server = LocalServer.start(dir, "--bgsave_cpulist", cpu, "--save", "",
                "--enable-debug-command", "yes");
             RespTestClient c = new RespTestClient(server.port())) {
            c.call("DEBUG", "POPULATE", "20");
            c.call("CONFIG", "SET", "rdb-key-save-delay", "100000"); // 2 s: the writer thread is there meanwhile
            assertEquals("Background saving started", c.call("BGSAVE"));
            String allowed = null;
            for (int i = 0; i < 200 && allowed == null; i++) {
                allowed = allowedCpusOfThread("respire-bgsave");
                Thread.sleep(10);
            }
            assertEquals(cpu, allowed);
            c.call("CONFIG", "SET", "rdb-key-save-delay", "0");
        }
    }

    /** Cpus_allowed_list of this process's thread named {@code name}, once pinned; null if none is yet. */
    private static String allowedCpusOfThread(String name) throws IOException {
        String all = allowedCpusOf(Path.of("/proc/self/status"));
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().equals(name)) {
                        String allowed = allowedCpusOf(task.resolve("status"));
                        return allowed.equals(all) ? null : allowed;
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return null;
    }

    private static String allowedCpusOf(Path status) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        throw new IOException("no Cpus_allowed_list in " + status);
    }
}
