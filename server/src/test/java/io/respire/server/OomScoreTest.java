package io.respire.server;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.respire.server.command.CommandTable;
import io.respire.server.commands.CommandFamilies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** oom-score-adj as Redis's setOOMScoreAdj applies it, on a stand-in for /proc/self/oom_score_adj. */
class OomScoreTest {
    @TempDir
    Path dir;

    private ServerContext server() {
        CommandTable table = CommandTable.load();
        CommandFamilies.registerAll(table);
        ServerContext server = new ServerContext(ConfigLoader.fromArgs(new String[0]), table);
        server.executor(ImmediateEventExecutor.INSTANCE);
        return server;
    }

    private OomScore score(ServerContext server, int initial) throws IOException {
        Path file = dir.resolve("oom_score_adj");
        Files.writeString(file, initial + "\n");
        OomScore score = new OomScore(server, file);
        score.ownProcess();
        return score;
    }

    private int read() throws IOException {
        return Integer.parseInt(Files.readString(dir.resolve("oom_score_adj")).trim());
    }

    @Test
    void relativeAddsToTheScoreBeforeAndOffRestoresIt() throws IOException {
        ServerContext server = server();
        OomScore score = score(server, 9);
        server.config().set("oom-score-adj-values", "10 20 30");
        score.apply(); // off: nothing written
        assertEquals(9, read());
        server.config().set("oom-score-adj", "yes");
        score.apply();
        assertEquals(19, read());
        server.config().set("oom-score-adj-values", "15 20 30");
        score.apply();
        assertEquals(24, read(), "the base is the score before the first adjustment, not the adjusted one");
        server.config().set("oom-score-adj", "no");
        score.apply();
        assertEquals(9, read());
    }

    @Test
    void absoluteIsTheValueAsIsAndBothAreBounded() throws IOException {
        ServerContext server = server();
        OomScore score = score(server, 500);
        server.config().set("oom-score-adj-values", "22 1900 1900");
        server.config().set("oom-score-adj", "absolute");
        score.apply();
        assertEquals(22, read());
        server.config().set("oom-score-adj-values", "700 1900 1900");
        server.config().set("oom-score-adj", "relative");
        score.apply();
        assertEquals(1000, read());
        server.config().set("oom-score-adj-values", "-2000 0 0");
        score.apply();
        assertEquals(-1000, read());
    }

    @Test
    void anEmbeddedServerRefusesToChangeItsHostsScore() throws IOException {
        ServerContext server = server();
        Path file = dir.resolve("oom_score_adj");
        Files.writeString(file, "5\n");
        OomScore score = new OomScore(server, file);
        server.config().set("oom-score-adj", "yes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, score::apply);
        assertEquals("Failed to set current oom_score_adj. Check server logs.", e.getMessage());
        assertEquals(5, read());
    }

    @Test
    void anUnreadableScoreIsRefused() {
        ServerContext server = server();
        OomScore score = new OomScore(server, dir.resolve("missing"));
        score.ownProcess();
        server.config().set("oom-score-adj", "yes");
        assertThrows(IllegalArgumentException.class, score::apply);
    }
}
