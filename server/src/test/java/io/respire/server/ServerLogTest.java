package io.respire.server;

import io.respire.server.config.ConfigFile;
import io.respire.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log's lines as Redis writes them (server.c serverLogRaw, serverLogFromHandler). */
class ServerLogTest {
    @TempDir
    Path dir;

    /** A log writing to server.log in the temporary dir, given as a relative logfile. */
    private ServerLog log(String level) {
        ServerConfig config = new ServerConfig();
        ConfigFile.load(config, "dir " + dir + "\nlogfile server.log\nloglevel " + level + "\n");
        return new ServerLog(config);
    }

    private List<String> lines() throws IOException {
        return Files.readAllLines(dir.resolve("server.log"), StandardCharsets.UTF_8);
    }

    @Test
    void linesHaveRedisPrefixRoleTimeAndLevelMark() throws IOException {
        ServerLog log = log("debug");
        log.debug("d");
        log.verbose("v");
        log.notice("Ready to accept connections");
        log.warning("Server initialized");
        log.log(ServerLog.WARNING, 'C', "Configuration loaded");
        long pid = ProcessHandle.current().pid();
        String time = "\\d\\d [A-Z][a-z][a-z] \\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3}";
        List<String> lines = lines();
        assertEquals(5, lines.size());
        String[] expected = {"M . d", "M - v", "M \\* Ready to accept connections", "M # Server initialized",
                "C # Configuration loaded"};
        for (int i = 0; i < expected.length; i++) {
            String[] parts = expected[i].split(" ", 2);
            assertTrue(Pattern.matches(pid + ":" + parts[0] + " " + time + " " + parts[1], lines.get(i)), lines.get(i));
        }
    }

    @Test
    void levelsBelowTheConfiguredOneAreLeftOut() throws IOException {
        ServerLog log = log("notice");
        log.debug("d");
        log.verbose("v");
        log.notice("n");
        log.raw(ServerLog.VERBOSE, "raw verbose\n");
        log.raw(ServerLog.NOTICE, "raw notice\n");
        List<String> lines = lines();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).endsWith(" * n"), lines.get(0));
        assertEquals("raw notice", lines.get(1)); // raw: no prefix
    }

    @Test
    void signalHandlerLinesCarryTheUnixTime() throws IOException {
        long before = System.currentTimeMillis() / 1000;
        log("warning").fromSignalHandler(ServerLog.WARNING, "Received SIGTERM scheduling shutdown...");
        String line = lines().get(0);
        var m = Pattern.compile("(\\d+):signal-handler \\((\\d+)\\) Received SIGTERM scheduling shutdown\\.\\.\\.")
                .matcher(line);
        assertTrue(m.matches(), line);
        assertEquals(ProcessHandle.current().pid(), Long.parseLong(m.group(1)));
        assertTrue(Long.parseLong(m.group(2)) >= before);
    }

    @Test
    void timestampsAreLocalTimeAsStrftimeWritesThem() {
        DateTimeFormatter redis = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH)
                .withZone(ZoneId.systemDefault());
        long[] instants = {0L, 951_782_400_000L /* 29 Feb 2000 */, 1_709_210_096_789L, 4_102_444_799_999L,
                1_796_385_818_092L, System.currentTimeMillis()};
        for (long ms : instants) {
            StringBuilder out = new StringBuilder();
            ServerLog.appendTime(out, ms);
            assertEquals(redis.format(Instant.ofEpochMilli(ms)), out.toString());
        }
        for (long ms = 946_684_800_000L; ms < 4_102_444_800_000L; ms += 86_400_000L * 37 + 3_600_123L) {
            StringBuilder out = new StringBuilder();
            ServerLog.appendTime(out, ms);
            assertEquals(redis.format(Instant.ofEpochMilli(ms)), out.toString());
        }
    }

    @Test
    void theLogoCarriesThePidPortAndMode() {
        String logo = AsciiLogo.render("standalone", 7000, 4242);
        String[] lines = logo.split("\n", -1);
        assertEquals(19, lines.length, "17 lines of art, an empty line, and the end");
        assertTrue(logo.endsWith("\n\n"));
        assertTrue(lines[4].endsWith("    Running in standalone mode"));
        assertTrue(lines[5].endsWith("|     Port: 7000"));
        assertTrue(lines[6].endsWith("|     PID: 4242"));
        assertTrue(lines[2].contains("Respire "), lines[2]);
        assertEquals(" |    `-._   `._    /     _.-'    |     PID: 4242", lines[6]);
    }
}
