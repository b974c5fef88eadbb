package io.respire.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** watchdog-period: an executor held longer than the period has its stack logged once, as Redis's. */
class WatchdogTest {
    @TempDir
    Path dir;

    private static String read(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Test
    void aCommandThatHoldsTheExecutorIsReportedWithItsStack() throws Exception {
        Path logfile = dir.resolve("log");
        try (RespireServer server = LocalServer.start(dir,
                "--logfile", logfile.toString(), "--enable-debug-command", "yes");
             RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("DEBUG", "SLEEP", "0.3"));
            assertFalse(read(logfile).contains("WATCHDOG"), "off by default");
            assertEquals("OK", c.call("CONFIG", "SET", "watchdog-period", "50"));
            assertEquals("[watchdog-period, 200]", c.call("CONFIG", "GET", "watchdog-period"),
                    "raised to two cron ticks, as Redis does");
            assertEquals("OK", c.call("DEBUG", "SLEEP", "0.6"));
            String log = read(logfile);
            assertTrue(log.contains("--- WATCHDOG TIMER EXPIRED ---"), log);
            assertTrue(log.contains("DebugCommands"), "the stack the executor was held in: " + log);
            assertEquals(1, log.split("WATCHDOG TIMER EXPIRED", -1).length - 1, "reported once per expiry");
            assertEquals("OK", c.call("CONFIG", "SET", "watchdog-period", "0"));
            assertEquals("OK", c.call("DEBUG", "SLEEP", "0.4"));
            assertEquals(1, read(logfile).split("WATCHDOG TIMER EXPIRED", -1).length - 1, "stopped");
        }
    }
}
