package io.respire.server.persistence;

import io.respire.server.InfoFields;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The child process a background save or rewrite runs with (ChildProcesses): it exists while the
 * job runs, counts in total_forks, and killing it cancels the job as killing Redis's fork child
 * does (Redis's tests cancel jobs with {@code kill -9 $(pgrep -P <pid>)}).
 */
class ChildProcessesTest {
    @TempDir
    Path dir;

    private RespireServer start() {
        return RespireServer.start("--port", "0", "--dir", dir.toString(), "--enable-debug-command", "yes");
    }

    /** This JVM's live children: the server under test's job children. */
    private static List<ProcessHandle> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).collect(Collectors.toList());
    }

    private static ProcessHandle onlyChild() {
        List<ProcessHandle> children = children();
        assertEquals(1, children.size(), "one job, one child");
        return children.get(0);
    }

    private static void killOnlyChild() {
        assertTrue(onlyChild().destroyForcibly()); // SIGKILL, as kill -9
    }

    @Test
    void killingTheChildOfABackgroundSaveFailsTheSave() throws Exception {
        try (RespireServer server = start(); RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("DEBUG", "POPULATE", "10"));
            assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "10000000")); // 10 s per key
            assertEquals(0, InfoFields.number(c, "total_forks"));
            assertEquals("Background saving started", c.call("BGSAVE"));
            assertEquals(1, InfoFields.number(c, "total_forks"));
            Path temp = dir.resolve("temp-" + onlyChild().pid() + ".rdb"); // named after the child, as in Redis
            assertTrue(Files.exists(temp));
            killOnlyChild();
            InfoFields.awaitZero(c, "rdb_bgsave_in_progress");
            assertEquals("err", InfoFields.get(c, "rdb_last_bgsave_status"));
            assertFalse(Files.exists(dir.resolve("dump.rdb")));
            assertFalse(Files.exists(temp));

            // A save that ends by itself ends its child, and succeeds.
            assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "0"));
            assertEquals("Background saving started", c.call("BGSAVE"));
            InfoFields.awaitZero(c, "rdb_bgsave_in_progress");
            assertEquals("ok", InfoFields.get(c, "rdb_last_bgsave_status"));
            assertEquals(2, InfoFields.number(c, "total_forks"));
            for (int i = 0; i < 500 && !children().isEmpty(); i++) {
                Thread.sleep(10); // destroyed at once; the kernel reaps it a moment later
            }
            assertTrue(children().isEmpty());
        }
    }

    @Test
    void flushallDropsTheBackgroundSaveAndItsFileAtOnce() throws Exception {
        try (RespireServer server = start(); RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("DEBUG", "POPULATE", "10"));
            assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "10000000"));
            assertEquals("Background saving started", c.call("BGSAVE"));
            Path temp = dir.resolve("temp-" + onlyChild().pid() + ".rdb");
            assertTrue(Files.exists(temp));
            assertEquals("OK", c.call("FLUSHALL"));
            assertFalse(Files.exists(temp)); // before FLUSHALL's reply, as Redis's rdbRemoveTempFile
            InfoFields.awaitZero(c, "rdb_bgsave_in_progress");
            assertEquals("ok", InfoFields.get(c, "rdb_last_bgsave_status")); // given up, not failed (SIGUSR1)
        }
    }

    @Test
    void killingTheChildOfARewriteFailsTheRewriteAndTheNextOneSucceeds() throws Exception {
        try (RespireServer server = start(); RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("CONFIG", "SET", "appendonly", "yes"));
            InfoFields.awaitZero(c, "aof_rewrite_in_progress");
            assertEquals("OK", c.call("SET", "k", "v"));
            assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "10000000"));
            assertEquals("Background append only file rewriting started", c.call("BGREWRITEAOF"));
            killOnlyChild();
            InfoFields.awaitZero(c, "aof_rewrite_in_progress");
            assertEquals("err", InfoFields.get(c, "aof_last_bgrewrite_status"));
            assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "0"));
            assertEquals("Background append only file rewriting started", c.call("BGREWRITEAOF"));
            InfoFields.awaitZero(c, "aof_rewrite_in_progress");
            assertEquals("ok", InfoFields.get(c, "aof_last_bgrewrite_status"));
            assertEquals("OK", c.call("DEBUG", "LOADAOF"));
            assertEquals("v", c.call("GET", "k"));
        }
    }

    @Test
    void theKeyTableDoesNotGrowWhileABackgroundSaveRuns() throws Exception {
        try (RespireServer server = start(); RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("DEBUG", "POPULATE", "4096"));
            assertTrue(c.call("DEBUG", "HTSTATS", "0").contains("table size: 4096\n"));
            assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "10000000"));
            assertEquals("Background saving started", c.call("BGSAVE"));
            assertEquals("OK", c.call("MSET", "k1", "v1", "k2", "v2"));
            assertTrue(c.call("DEBUG", "HTSTATS", "0").contains("table size: 4096\n number of elements: 4098\n"));
            killOnlyChild();
            InfoFields.awaitZero(c, "rdb_bgsave_in_progress");
            assertEquals("OK", c.call("SET", "k3", "v3"));
            assertTrue(c.call("DEBUG", "HTSTATS", "0").contains("table size: 8192"));
        }
    }

    @Test
    void appendonlyTurnedOnInsideATransactionSchedulesItsRewrite() throws Exception {
        try (RespireServer server = start(); RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("SET", "k", "v"));
            assertEquals("QUEUED", c.call("CONFIG", "SET", "appendonly", "yes"));
            assertEquals("[OK, OK]", c.call("EXEC"));
            for (int i = 0; i < 500 && InfoFields.number(c, "total_forks") == 0; i++) {
                Thread.sleep(10); // the cron starts it
            }
            InfoFields.awaitZero(c, "aof_rewrite_in_progress");
            assertEquals(1, InfoFields.number(c, "total_forks"));
            assertEquals("OK", c.call("DEBUG", "LOADAOF"));
            assertEquals("v", c.call("GET", "k"));
        }
    }
}
