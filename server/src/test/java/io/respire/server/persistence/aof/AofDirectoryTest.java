package io.respire.server.persistence.aof;

import io.respire.server.LocalServer;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The AOF directory's deletion (Redis's bg_unlink): the name at once, the blocks on a background thread. */
class AofDirectoryTest {
    @TempDir
    Path dir;

    /** Open descriptors of this process on {@code name} once unlinked (Linux shows them as "(deleted)"). */
    private static long openDeleted(String name) throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().endsWith(name + " (deleted)");
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }

    @Test
    void aDeletedFileGoesAtOnceAndIsClosedInTheBackground() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux's /proc/self/fd");
        try (RespireServer server = LocalServer.start(dir)) {
            AofDirectory files = new AofDirectory(server.context());
            assertTrue(files.create());
            Path old = files.file("appendonly.aof.1.base.aof");
            Files.write(old, new byte[4 << 20]);
            files.delete(old);
            assertFalse(Files.exists(old), "the name goes at once");
            Files.writeString(old, "new"); // the same name again: the old file's close must not touch it
            long open = openDeleted(old.getFileName().toString());
            for (int i = 0; i < 500 && open > 0; i++) {
                Thread.sleep(10);
                open = openDeleted(old.getFileName().toString());
            }
            assertEquals(0, open, "the old file is closed, its blocks freed");
            assertEquals("new", Files.readString(old));
            files.delete(dir.resolve("missing")); // nothing to delete: no error
        }
    }
}
