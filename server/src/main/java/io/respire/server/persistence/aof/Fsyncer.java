package io.respire.server.persistence.aof;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongConsumer;

/**
 * The AOF's fsyncs, on a thread of their own (Redis's bio fsync job): those of everysec, the
 * fsync and close of the files a rewrite replaced, and the retries of a failed fsync. The fsync
 * of appendfsync always is made on the executor ({@link #syncHere}) when this thread is idle, as
 * Redis makes it on its main thread. Offsets are counted over every incremental
 * file written: a request for offset N is done when every byte written before N is on disk, in the
 * current file and in the files it replaced (which are fsynced and closed first, as Redis's
 * aof_background_fsync_and_close). Requests made while an fsync runs are served together by the
 * next one: the group commit of appendfsync always.
 */
final class Fsyncer {
    private final Object lock = new Object();
    private final LongConsumer onSynced;
    private final Thread thread;
    private FileChannel current;
    private final List<FileChannel> retiring = new ArrayList<>();
    private long requested;
    private long synced;
    private boolean stopped;
    private volatile boolean inProgress;
    /** The last fsync's failure (strerror-like text), null once one succeeds (aof_bio_fsync_status). */
    private volatile String error;

    /**
     * {@code onSynced} is told, on the fsync thread, each offset that is now on disk; the thread is
     * made by {@code threads} (pinned to bio_cpulist).
     */
    Fsyncer(LongConsumer onSynced, ThreadFactory threads) {
        this.onSynced = onSynced;
        this.thread = threads.newThread(this::run);
        thread.setDaemon(true);
        thread.start();
    }

    /** Writes now go to {@code channel}; the previous file is fsynced and closed by the next sync. */
    void switchTo(FileChannel channel) {
        synchronized (lock) {
            if (current != null) {
                retiring.add(current); // fsynced and closed by the thread, which wakes for it
            }
            current = channel;
            lock.notifyAll();
        }
    }

    /** Asks for everything written before {@code offset} to reach the disk. */
    void request(long offset) {
        synchronized (lock) {
            if (offset > requested) {
                requested = offset;
                lock.notifyAll();
            }
        }
    }

    /**
     * Fsyncs the current file on the caller's thread, for everything written before
     * {@code offset}, unless the thread is busy or has files to close first (the caller then
     * {@link #request}s it). Returns whether it is done; a failure is left to the thread, which
     * retries and reports it.
     */
    boolean syncHere(long offset) {
        FileChannel file;
        synchronized (lock) {
            if (inProgress || !retiring.isEmpty() || current == null || stopped || error != null) {
                return false;
            }
            inProgress = true;
            file = current;
        }
        boolean ok = sync(file, List.of());
        synchronized (lock) {
            inProgress = false;
            if (ok) {
                synced = Math.max(synced, offset);
                requested = Math.max(requested, offset);
            }
        }
        return ok;
    }

    /** Whether written bytes wait for an fsync (aof_pending_bio_fsync). */
    boolean pending() {
        synchronized (lock) {
            return inProgress || requested > synced || !retiring.isEmpty();
        }
    }

    /** Whether an fsync runs now. */
    boolean running() {
        return inProgress;
    }

    long synced() {
        synchronized (lock) {
            return synced;
        }
    }

    String error() {
        return error;
    }

    void clearError() {
        error = null;
    }

    /**
     * Fsyncs and closes every file now, on the caller's thread (SHUTDOWN, CONFIG SET appendonly
     * no), and stops the thread. Returns the failure, or null.
     */
    String closeAll() {
        List<FileChannel> files = new ArrayList<>();
        synchronized (lock) {
            stopped = true;
            files.addAll(retiring);
            retiring.clear();
            if (current != null) {
                files.add(current);
                current = null;
            }
            lock.notifyAll();
        }
        String failure = null;
        for (FileChannel f : files) {
            try {
                f.force(false);
            } catch (IOException e) {
                failure = AppendOnlyFile.reason(e);
            }
            closeQuietly(f);
        }
        return failure;
    }

    private void run() {
        while (true) {
            FileChannel file;
            List<FileChannel> old;
            long target;
            synchronized (lock) {
                while (!stopped && requested <= synced && retiring.isEmpty()) {
                    waitQuietly(0);
                }
                if (stopped) {
                    return;
                }
                file = current;
                old = new ArrayList<>(retiring);
                retiring.clear();
                target = requested;
                inProgress = true;
            }
            boolean ok = sync(file, old);
            synchronized (lock) {
                inProgress = false;
                if (ok) {
                    synced = Math.max(synced, target);
                } else {
                    retiring.addAll(0, old.stream().filter(FileChannel::isOpen).toList());
                    waitQuietly(1000); // a failing disk is retried once a second, as Redis's cron does
                }
            }
            if (ok) {
                onSynced.accept(target);
            }
        }
    }

    private boolean sync(FileChannel file, List<FileChannel> old) {
        try {
            for (FileChannel f : old) {
                f.force(false);
                f.close();
            }
            if (file != null && file.isOpen()) {
                file.force(false); // fdatasync, as Redis's redis_fsync on Linux
            }
            error = null;
            return true;
        } catch (IOException e) {
            error = AppendOnlyFile.reason(e);
            return false;
        }
    }

    private void waitQuietly(long ms) {
        try {
            lock.wait(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    static void closeQuietly(FileChannel f) {
        try {
            f.close();
        } catch (IOException e) {
            // nothing more to do with it
        }
    }
}
