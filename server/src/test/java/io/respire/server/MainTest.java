package io.respire.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * respire-server as a process, started the way Redis's Tcl suite starts redis-server in spawn mode
 * ({@code redis-server <config-file> [--option value ...]}, stdout to a file): what it logs, when
 * it exits and with which status.
 */
class MainTest {
    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** The directives the suite's default config sets, with this test's port and directories. */
    private Path suiteConfig(int port) throws IOException {
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, String.join("\n",
                "always-show-logo yes", "notify-keyspace-events KEA", "daemonize no",
                "pidfile " + dir.resolve("redis.pid"), "port " + port, "timeout 0", "bind 127.0.0.1",
                "loglevel verbose", "logfile ''", "databases 16", "latency-monitor-threshold 1",
                "repl-diskless-sync-delay 0", "save 900 1", "rdbcompression yes", "dbfilename dump.rdb",
                "dir " + dir, "slave-serve-stale-data yes", "appendonly no", "appendfsync everysec",
                "no-appendfsync-on-rewrite no", "activerehashing yes", "enable-protected-configs yes",
                "enable-debug-command yes", "enable-module-command yes", "propagation-error-behavior panic",
                "unixsocket " + dir.resolve("socket"), ""));
        return conf;
    }

    private Process spawn(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
        return process;
    }

    private String stdout() throws IOException {
        return Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8);
    }

    /** Waits for {@code text} in the process's stdout, as the suite's wait_for_log_messages does. */
    private void awaitLog(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!stdout().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' in:\n" + stdout());
            assertTrue(process.isAlive(), "exited before '" + text + "':\n" + stdout());
            Thread.sleep(20);
        }
    }

    private int exitStatus() throws InterruptedException {
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running");
        return process.exitValue();
    }

    @Test
    void startsWithTheSuitesConfigLogsItsPidAndStopsCleanlyOnSigterm() throws Exception {
        int port = freePort();
        Process p = spawn(suiteConfig(port).toString(), "--loglevel", "verbose");
        awaitLog(" PID: " + p.pid() + "\n");
        awaitLog("Ready to accept connections");
        try (RespTestClient c = new RespTestClient(port)) {
            assertEquals("PONG", c.call("PING"));
        }
        assertEquals(p.pid() + "\n", Files.readString(dir.resolve("redis.pid")));
        String log = stdout();
        assertTrue(log.contains(p.pid() + ":C "), log);
        assertTrue(log.contains(" # Configuration loaded\n"), log);
        assertTrue(log.indexOf(" PID: ") < log.indexOf(" # Server initialized\n"), log);
        assertTrue(log.indexOf(" # Server initialized\n") < log.indexOf(" * Ready to accept connections\n"), log);
        assertTrue(log.contains(" * The server is now ready to accept connections at " + dir.resolve("socket") + "\n"));

        p.destroy(); // SIGTERM
        assertEquals(0, exitStatus());
        log = stdout();
        assertTrue(log.contains(p.pid() + ":signal-handler ("), log);
        assertTrue(log.contains(") Received SIGTERM scheduling shutdown...\n"), log);
        assertTrue(log.indexOf(" # User requested shutdown...\n") < log.indexOf(" * Removing the pid file.\n"), log);
        assertTrue(log.endsWith(" # Respire is now ready to exit, bye bye...\n"), log);
        assertFalse(Files.exists(dir.resolve("redis.pid")));
        assertFalse(Files.exists(dir.resolve("socket")));
    }

    /** Redis's crash report (integration/logging looks for "crashed by signal") on SIGABRT and DEBUG SEGFAULT. */
    @Test
    void sigabrtAndDebugSegfaultWriteACrashReportAndEndTheProcess() throws Exception {
        Process p = spawn("--port", Integer.toString(freePort()), "--bind", "127.0.0.1", "--dir", dir.toString());
        awaitLog("Ready to accept connections");
        assertEquals(0, new ProcessBuilder("sh", "-c", "kill -ABRT " + p.pid()).start().waitFor());
        assertEquals(128 + 6, exitStatus());
        assertTrue(stdout().contains("=== RESPIRE BUG REPORT START: Cut & paste starting from here ==="), stdout());
        assertTrue(stdout().contains(" # Respire (redis_version 7.0.15) crashed by signal: 6, si_code: 0\n"), stdout());
        assertTrue(stdout().contains("------ STACK TRACE ------"), stdout());
        assertTrue(stdout().contains("=== RESPIRE BUG REPORT END. Make sure to include from START to END. ==="), stdout());

        int port = freePort();
        p = spawn("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--enable-debug-command", "yes");
        awaitLog("Ready to accept connections");
        try (RespTestClient c = new RespTestClient(port)) {
            c.send("DEBUG", "SEGFAULT");
            assertTrue(c.isClosedByServer());
        }
        assertEquals(128 + 11, exitStatus());
        assertTrue(stdout().contains("crashed by signal: 11, si_code: 0"), stdout());
    }

    /** Redis's adjustOpenFilesLimit under `ulimit -n 200`: maxclients lowered with Redis's lines, CONFIG SET refused. */
    @Test
    void maxclientsIsLoweredToTheOpenFileLimit() throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("sh", "-c", "ulimit -n 200 && exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString()));
        process = new ProcessBuilder(command).redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile()).start();
        awaitLog("Ready to accept connections");
        assertTrue(stdout().contains(" # You requested maxclients of 10000 requiring at least 10032 max file descriptors.\n"),
                stdout());
        assertTrue(stdout().contains(" # Current maximum open files is 200. maxclients has been reduced to 168 to "
                + "compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.\n"), stdout());
        try (RespTestClient c = new RespTestClient(port)) {
            assertEquals("[maxclients, 168]", c.call("CONFIG", "GET", "maxclients"));
            assertEquals("(error) ERR CONFIG SET failed (possibly related to argument 'maxclients') - The operating "
                    + "system is not able to handle the specified number of clients, try with 168",
                    c.call("CONFIG", "SET", "maxclients", "1000"));
            assertEquals("[maxclients, 168]", c.call("CONFIG", "GET", "maxclients"));
            assertEquals("OK", c.call("CONFIG", "SET", "maxclients", "100"));
        }
    }

    @Test
    void sigintShutsDownToo() throws Exception {
        Process p = spawn("--port", Integer.toString(freePort()), "--bind", "127.0.0.1", "--dir", dir.toString());
        awaitLog("Ready to accept connections");
        // the shell's kill builtin: no procps needed
        assertEquals(0, new ProcessBuilder("sh", "-c", "kill -INT " + p.pid()).start().waitFor());
        assertEquals(0, exitStatus());
        assertTrue(stdout().contains(") Received SIGINT scheduling shutdown...\n"), stdout());
        assertTrue(stdout().contains(" # Configuration loaded\n"), stdout()); // options, no file: still loaded
    }

    @Test
    void aTakenPortEndsTheProcessWithStatusOneAndRedisLines() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            spawn(suiteConfig(port).toString());
            assertEquals(1, exitStatus());
        }
        String log = stdout();
        assertTrue(log.contains(" # Warning: Could not create server TCP listening socket 127.0.0.1:"), log);
        assertTrue(log.contains(": bind: Address already in use\n"), log);
        assertTrue(log.matches("(?s).* # Failed listening on port \\d+ \\(TCP\\), aborting\\.\n"), log);
        assertFalse(log.contains(" PID: "), "the suite must not take a failed start for a started server");
        assertFalse(Files.exists(dir.resolve("redis.pid")));
    }

    @Test
    void aSettingItCannotHonourEndsTheProcessAfterTheLogo() throws Exception {
        Process p = spawn(suiteConfig(freePort()).toString(), "--cluster-enabled", "yes");
        assertEquals(1, exitStatus());
        String log = stdout();
        assertTrue(log.contains(" PID: " + p.pid() + "\n"), log);
        assertTrue(log.endsWith(" # Can't start in cluster mode: Respire has no cluster support yet "
                + "(cluster-enabled yes).\n"), log);
        assertFalse(log.contains("Ready to accept connections"), log);
    }

    @Test
    void aConfigErrorIsReportedOnStderrWithStatusOne() throws Exception {
        spawn(suiteConfig(freePort()).toString(), "--port", "abc");
        assertEquals(1, exitStatus());
        String stderr = Files.readString(dir.resolve("stderr"));
        assertTrue(stderr.contains("*** FATAL CONFIG FILE ERROR (Respire "), stderr);
        assertTrue(stderr.contains(">>> 'port \"abc\"'\nargument couldn't be parsed into an integer"), stderr);
    }

    /** What ps shows of a process: its /proc cmdline, arguments joined by spaces. */
    private static String cmdline(long pid) throws IOException {
        String raw = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        return raw.replaceAll("\u0000+$", "").replace('\u0000', ' ');
    }

    /** other.tcl "Process title set as expected", with this process's {title}. */
    @Test
    void theProcessTitleFollowsTheTemplate() throws Exception {
        int port = freePort();
        Path conf = suiteConfig(port);
        Process p = spawn(conf.toString());
        awaitLog("Ready to accept connections");
        assertEquals("respire-server 127.0.0.1:" + port, cmdline(p.pid())); // the default template, trimmed
        try (RespTestClient c = new RespTestClient(port)) {
            assertEquals("OK", c.call("CONFIG", "SET", "proc-title-template",
                    "TEST {title} {listen-addr} {port} {tls-port} {unixsocket} {config-file}"));
            assertEquals("TEST respire-server 127.0.0.1:" + port + " " + port + " 0 " + dir.resolve("socket")
                    + " " + conf.toAbsolutePath(), cmdline(p.pid()));
            assertTrue(c.call("CONFIG", "SET", "proc-title-template", "{invalid-var}")
                    .contains("template format is invalid"));
            int other = freePort();
            assertEquals("OK", c.call("CONFIG", "SET", "port", String.valueOf(other)));
            assertTrue(cmdline(p.pid()).startsWith("TEST respire-server 127.0.0.1:" + other + " " + other + " "),
                    cmdline(p.pid()));
        }
    }

    @Test
    void anEmbeddedServerLeavesItsHostsTitleAlone() throws Exception {
        String before = cmdline(ProcessHandle.current().pid());
        try (RespireServer server = RespireServer.start("--port", "0", "--set-proc-title", "yes");
             RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("[set-proc-title, no]", c.call("CONFIG", "GET", "set-proc-title"));
            assertEquals("OK", c.call("CONFIG", "SET", "proc-title-template", "{title} x"));
        }
        assertEquals(before, cmdline(ProcessHandle.current().pid()));
    }
}
