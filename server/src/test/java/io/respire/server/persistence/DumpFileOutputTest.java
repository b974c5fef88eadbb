package io.respire.server.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dump's temporary file: what sync() returns from is in the file, before any close. */
class DumpFileOutputTest {
    @TempDir
    Path dir;

    @Test
    void syncPutsEverythingWrittenInTheFileBeforeItIsClosed() throws Exception {
        Path p = dir.resolve("temp-1.rdb");
        try (DumpFileOutput out = new DumpFileOutput(p, false)) {
            out.write("REDIS0010".getBytes());
            out.write(0xFF);
            assertEquals(0, Files.size(p), "buffered until synced");
            out.sync();
            assertEquals(10, Files.size(p));
        }
        byte[] expected = {'R', 'E', 'D', 'I', 'S', '0', '0', '1', '0', (byte) 0xFF};
        assertArrayEquals(expected, Files.readAllBytes(p));
        DumpFileOutput.fsyncDirectory(dir); // the directory entry too, as fsyncFileDir
    }

    @Test
    void incrementalFsyncWritesOutEveryFourMegabytes() throws Exception {
        Path p = dir.resolve("temp-2.rdb");
        byte[] chunk = new byte[1000];
        try (DumpFileOutput out = new DumpFileOutput(p, true)) {
            long n = 0;
            while (n < DumpFileOutput.AUTOSYNC_BYTES) {
                out.write(chunk, 0, chunk.length);
                n += chunk.length;
            }
            // written out and fsynced up to the mark exactly, the rest buffered, as Redis's rioFileWrite
            assertEquals(DumpFileOutput.AUTOSYNC_BYTES, Files.size(p));
        }
    }
}
