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
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * appendfsync always's fsync on the caller's thread: done at once when the thread is idle (no
     * report comes from the thread), refused while a replaced file waits to be closed, which must
     * be fsynced first.
     */
    @Test
    void syncsHereOnlyWhenNothingWaitsForTheThread() throws Exception {
        BlockingQueue<Long> synced = new LinkedBlockingQueue<>();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        Fsyncer f = new Fsyncer(synced::add, job -> new Thread(() -> { // held until the test lets it run
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            job.run();
        }));
        assertFalse(f.syncHere(1), "no file yet");
        FileChannel first = open("a");
        f.switchTo(first);
        assertTrue(f.syncHere(3));
        assertEquals(3, f.synced());
        assertTrue(synced.isEmpty(), "done here, not reported by the thread");
        FileChannel second = open("b");
        f.switchTo(second);
        assertFalse(f.syncHere(6), "the replaced file is fsynced and closed first, by the thread");
        f.request(6);
        go.countDown();
        Long last;
        do {
            last = synced.poll(30, TimeUnit.SECONDS);
        } while (last != null && last < 6);
        assertEquals(6L, last);
        assertFalse(first.isOpen());
        assertTrue(f.syncHere(9));
        assertEquals(9, f.synced());
        assertNull(f.closeAll());
    }
}
