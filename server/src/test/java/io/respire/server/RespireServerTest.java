package io.respire.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server's start and stop as Redis's: the pid file, the refusal of settings Respire cannot honour,
 * and the shutdown sequence with its log lines.
 */
class RespireServerTest {
    @TempDir
    Path dir;

    private List<String> log() throws IOException {
        return Files.readAllLines(dir.resolve("server.log"), StandardCharsets.UTF_8);
    }

    private String[] args(String... extra) {
        String[] all = new String[extra.length + 8];
        System.arraycopy(new String[] {"--port", "0", "--bind", "127.0.0.1", "--dir", dir.toString(), "--logfile",
                "server.log"}, 0, all, 0, 8);
        System.arraycopy(extra, 0, all, 8, extra.length);
        return all;
    }

    /**
     * Stopping closes the clients' connections even when the stop begins while the event loop runs
     * a task (the cron that finishes a SHUTDOWN, for one): Netty's loop closes its channels only when
     * it sees the shutdown after an I/O pass, and otherwise ended leaving them open, so a client in
     * the same JVM never saw the close (ShutdownWithReplicasTest failed so, one CI run in five).
     */
    @Test
    void connectionsAreClosedWhenTheStopBeginsWhileTheLoopRunsATask() throws Exception {
        RespireServer server = RespireServer.start(args());
        try (RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("PONG", c.call("PING"));
            io.netty.util.concurrent.EventExecutor loop = server.context().executor();
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            loop.execute(() -> {
                running.countDown();
                // Returns once the stop has begun (bounded, should it never come).
                for (long end = System.nanoTime() + 5_000_000_000L; !loop.isShuttingDown() && System.nanoTime() < end; ) {
                    Thread.onSpinWait();
                }
            });
            running.await();
            server.close();
            assertTrue(loop.isTerminated());
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    void thePidFileIsWrittenAndRemovedAtShutdown() throws IOException {
        Path pidFile = dir.resolve("respire.pid");
        RespireServer server = RespireServer.start(args("--pidfile", pidFile.toString()));
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(pidFile));
        assertTrue(server.shutdown(0));
        assertFalse(Files.exists(pidFile));
        assertTrue(server.shuttingDown());
        List<String> log = log();
        assertEquals(3, log.size(), log.toString());
        assertTrue(log.get(0).endsWith(" # User requested shutdown..."));
        assertTrue(log.get(1).endsWith(" * Removing the pid file."));
        assertTrue(log.get(2).endsWith(" # Respire is now ready to exit, bye bye..."));
    }

    @Test
    void aPidFileThatCannotBeWrittenIsNoError() {
        try (RespireServer server = RespireServer.start(args("--pidfile", dir.resolve("none/x.pid").toString()))) {
            assertTrue(server.port() > 0);
        }
    }

    @Test
    void theProcessServerLogsItsStartAndSavesAtShutdownWithSavePoints() throws IOException {
        RespireServer server = RespireServer.startProcess(io.respire.server.ConfigLoader.fromArgs(
                args("--always-show-logo", "yes", "--save", "900", "1")));
        try {
            String text = Files.readString(dir.resolve("server.log"));
            assertTrue(text.contains("|     Port: " + server.port() + "\n"), text);
            assertTrue(text.contains("|     PID: " + ProcessHandle.current().pid() + "\n"), text);
            List<String> log = log();
            List<String> prefixed = log.stream().filter(l -> l.matches("\\d+:M .*")).toList();
            assertTrue(prefixed.get(0).endsWith(" # Server initialized"), prefixed.toString());
            assertTrue(prefixed.get(1).endsWith(" * Ready to accept connections"));
        } finally {
            assertTrue(server.shutdown(0));
        }
        List<String> log = log();
        assertTrue(log.get(log.size() - 3).endsWith(" * Saving the final RDB snapshot before exiting."), log.toString());
        assertTrue(log.get(log.size() - 2).endsWith(" * DB saved on disk"), log.toString());
        assertTrue(Files.exists(dir.resolve("dump.rdb")));
    }

    @Test
    void theDumpIsLoadedAtTheNextStart() throws IOException {
        RespireServer first = RespireServer.start(args("--save", "900 1"));
        try (RespTestClient c = new RespTestClient(first.port())) {
            assertEquals("OK", c.call("SET", "k", "v"));
        }
        assertTrue(first.shutdown(0));
        try (RespireServer second = RespireServer.startProcess(io.respire.server.ConfigLoader.fromArgs(args()));
                RespTestClient c = new RespTestClient(second.port())) {
            assertEquals("v", c.call("GET", "k"));
            List<String> log = log();
            assertTrue(log.stream().anyMatch(l -> l.endsWith(" * Loading RDB produced by version 7.0.15")), log.toString());
            assertTrue(log.stream().anyMatch(l -> l.endsWith(" * Done loading RDB, keys loaded: 1, keys expired: 0.")),
                    log.toString());
            assertTrue(log.stream().anyMatch(l -> l.matches(".* \\* DB loaded from disk: [0-9.]+ seconds")), log.toString());
        }
    }

    @Test
    void withoutTheLogoTheModeAndPortAreLogged() throws IOException {
        try (RespireServer server = RespireServer.startProcess(io.respire.server.ConfigLoader.fromArgs(args()))) {
            assertTrue(log().get(0).endsWith(" * Running mode=standalone, port=" + server.port() + "."), log().get(0));
        }
    }

    @Test
    void anEmbeddedServerLogsNothingAsItStarts() throws IOException {
        try (RespireServer server = RespireServer.start(args("--always-show-logo", "yes"))) {
            assertFalse(Files.exists(dir.resolve("server.log")));
        }
    }

    @Test
    void settingsThatSwitchOnAMissingFeatureRefuseTheStart() throws IOException {
        String[][] cases = {
            {"--cluster-enabled", "yes"},
            {"--aclfile", "users.acl"}, {"--daemonize", "yes"}, {"--loadmodule", "/x.so"},
            {"--syslog-enabled", "yes"}, {"--rename-command", "nosuch", "badger"},
        };
        String[] reasons = {
            "Can't start in cluster mode: Respire has no cluster support yet (cluster-enabled yes).",
            "Aborting Redis startup because of ACL errors: Error loading ACLs, opening file 'users.acl': No such file "
                    + "or directory",
            "Can't daemonize: a JVM cannot fork; run Respire in the foreground (daemonize yes).",
            "The 'loadmodule' directive is not supported by Respire.",
            "Can't log to syslog: Respire logs to stdout or the logfile only (syslog-enabled yes).",
            "Fatal config file error at 'rename-command nosuch badger': No such command in rename-command",
        };
        for (int i = 0; i < cases.length; i++) {
            String[] extra = cases[i];
            StartupException e = assertThrows(StartupException.class, () -> RespireServer.start(args(extra)));
            assertEquals(reasons[i], e.getMessage());
            List<String> log = log();
            assertTrue(log.get(log.size() - 1).endsWith(" # " + reasons[i]), log.toString());
        }
    }

    /**
     * rename-command as Redis: clients and scripts call the command by its new name only, while
     * COMMAND INFO, INFO commandstats and ACL rules know it by its own; an empty name removes it.
     */
    @Test
    void renamedCommandsAreCalledByTheirNewNames() throws IOException {
        try (RespireServer server = RespireServer.start(args("--rename-command", "flushdb", "badger",
                "--rename-command", "config", "", "--rename-command", "GET", "fetch"));
                RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("(error) ERR unknown command 'FLUSHDB', with args beginning with: ", c.call("FLUSHDB"));
            assertEquals("(error) ERR unknown command 'CONFIG', with args beginning with: 'GET' 'port' ",
                    c.call("CONFIG", "GET", "port"));
            assertEquals("OK", c.call("SET", "k", "v"));
            assertEquals("v", c.call("FETCH", "k"));
            assertEquals("v", c.call("EVAL", "return redis.call('fetch', KEYS[1])", "1", "k"));
            assertTrue(c.call("EVAL", "return redis.call('get', KEYS[1])", "1", "k")
                    .startsWith("(error) ERR Unknown Redis command called from script"));
            assertEquals("OK", c.call("BADGER"));
            assertEquals("(integer) 0", c.call("DBSIZE"));
            assertTrue(c.call("COMMAND", "INFO", "badger", "flushdb").startsWith("[[flushdb, (integer) -1, "));
            assertTrue(c.call("COMMAND", "INFO", "flushdb").equals("[(nil)]"));
            assertTrue(c.call("INFO", "commandstats").contains("cmdstat_flushdb:calls=1,"));
            assertEquals("OK", c.call("ACL", "SETUSER", "u", "on", "nopass", "+flushdb", "+config|get", "+get"));
            assertEquals("OK", c.call("ACL", "DRYRUN", "u", "badger"));
        }
    }

    @Test
    void aCorruptDumpFileRefusesTheStart() throws IOException {
        Files.writeString(dir.resolve("data.rdb"), "REDIS0010");
        StartupException e = assertThrows(StartupException.class,
                () -> RespireServer.start(args("--dbfilename", "data.rdb")));
        assertEquals("Terminating server after rdb file reading failure.", e.getMessage());
        List<String> log = log();
        assertTrue(log.stream().anyMatch(l -> l.endsWith(
                " # Internal error in RDB reading offset 9 -> Unexpected EOF reading the next opcode")), log.toString());
    }

    @Test
    void valuesThatAskForWhatRespireDoesAreAccepted() {
        try (RespireServer server = RespireServer.start(args("--appendonly", "no", "--save", "", "--daemonize", "no",
                "--appendfsync", "always", "--repl-diskless-sync-delay", "0", "--supervised", "no"))) {
            assertTrue(server.port() > 0);
        }
    }

    @Test
    void aShutdownSaveThatFailsIsRefusedUnlessForcedAndConfigSetAppendonlyYesFails() throws Exception {
        RespireServer server = RespireServer.start(args());
        Files.createDirectory(dir.resolve("dump.rdb")); // the save cannot be renamed over a directory
        Files.writeString(dir.resolve("appendonlydir"), ""); // nor the AOF directory be created
        try (RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("(error) ERR Errors trying to SHUTDOWN. Check logs.", c.call("SHUTDOWN", "SAVE"));
            assertEquals("(error) ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn "
                    + "on AOF. Check server logs.", c.call("CONFIG", "SET", "appendonly", "yes"));
            assertEquals("[appendonly, no]", c.call("CONFIG", "GET", "appendonly"));
            assertEquals("OK", c.call("CONFIG", "SET", "appendonly", "no"));
            assertEquals("PONG", c.call("PING"));
            List<String> log = log();
            assertTrue(log.get(0).endsWith(" # User requested shutdown..."), log.toString());
            assertTrue(log.get(1).endsWith(" * Saving the final RDB snapshot before exiting."), log.toString());
            assertTrue(log.get(2).contains(" # Error moving temp DB file temp-"), log.toString());
            assertTrue(log.get(3).endsWith(" # Error trying to save the DB, can't exit."), log.toString());
            c.send("SHUTDOWN", "SAVE", "FORCE");
            assertTrue(c.isClosedByServer());
            server.awaitTermination();
        }
        List<String> log = log();
        assertTrue(log.stream().anyMatch(l -> l.endsWith(" # Error trying to save the DB. Exit anyway.")),
                log.toString());
        assertTrue(log.get(log.size() - 1).endsWith(" # Respire is now ready to exit, bye bye..."), log.toString());
    }
}
