package io.respire.server.persistence.aof;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The fsync thread: offsets reported once on disk, a replaced file fsynced and closed without faking progress. */
class FsyncerTest {
    @TempDir
    Path dir;

    private FileChannel open(String name) throws Exception {
        return FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    @Test
    void reportsWhatIsOnDiskAndClosesReplacedFiles() throws Exception {
        BlockingQueue<Long> synced = new LinkedBlockingQueue<>();
        Fsyncer f = new Fsyncer(synced::add, Thread::new);
        FileChannel first = open("a");
        f.switchTo(first);
        f.request(5);
        assertEquals(5L, synced.poll(30, TimeUnit.SECONDS));
        FileChannel second = open("b");
        f.switchTo(second);
        f.request(8); // after the switch: the first file is fsynced and closed with it
        Long last;
        do {
            last = synced.poll(30, TimeUnit.SECONDS); // the switch alone may report 5 again
        } while (last != null && last < 8);
        assertEquals(8L, last);
        assertFalse(first.isOpen());
        assertEquals(8, f.synced(), "a switch alone never counts as bytes on disk");
        assertNull(f.error());
        assertNull(f.closeAll());
        assertFalse(second.isOpen());
    }
}
