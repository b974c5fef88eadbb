package io.respire.persistence;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The background half of a point-in-time snapshot: the RDB bytes are made in chunks by the thread
 * that owns the data (an {@link RdbWriter} over {@link #input()}, its checksum off), and this
 * writer's own thread writes them to the destination, computing the CRC-64 and appending it after
 * the EOF opcode. The owner never waits: {@link #input()} only queues, and {@link #backlog()}
 * tells it how far the writer is behind, so that it can pace itself. The same writer passes on
 * bytes that are not an RDB (an AOF's command base) without a trailer.
 */
public final class RdbStreamWriter {
    private static final byte[] END = new byte[0];

    /** What follows the bytes: an RDB's CRC-64, its 8 zero bytes (rdbchecksum no), or nothing. */
    public enum Trailer { CRC64, ZEROS, NONE }

    private final OutputStream out;
    private final Trailer trailer;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicLong backlog = new AtomicLong();
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean aborted;
    private volatile Throwable failure;

    /**
     * Starts the writing thread, made by {@code threads}. {@code out} is written and flushed,
     * never closed: the caller does that once {@link #done()} completes.
     */
    public RdbStreamWriter(OutputStream out, Trailer trailer, ThreadFactory threads) {
        this.out = out;
        this.trailer = trailer;
        this.thread = threads.newThread(this::run);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Where the owner writes the RDB bytes (header to EOF opcode, no checksum): each write is
     * queued. An array passed whole to {@code write(byte[])} is taken over, not copied (an
     * {@link RdbWriter} hands over a fresh block each time): the caller must not change it after.
     */
    public OutputStream input() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b) {
                offer(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                offer(java.util.Arrays.copyOfRange(b, off, off + len));
            }
        };
    }

    private void offer(byte[] chunk) {
        if (chunk.length > 0 && !aborted) {
            backlog.addAndGet(chunk.length);
            queue.add(chunk);
        }
    }

    /** Bytes queued and not yet written. */
    public long backlog() {
        return backlog.get();
    }

    /** No more bytes come: the writer appends the trailer, flushes and completes {@link #done()}. */
    public void finish() {
        queue.add(END);
    }

    /** Gives up: queued bytes are dropped and {@link #done()} completes with a CancellationException. */
    public void abort() {
        aborted = true;
        thread.interrupt();
    }

    /** Gives up because the bytes cannot be made: {@link #done()} fails with {@code cause}. */
    public void fail(Throwable cause) {
        failure = cause;
        abort();
    }

    /** Completes with the number of bytes written once all are, or exceptionally on an I/O error or abort. */
    public CompletableFuture<Long> done() {
        return done;
    }

    private void run() {
        long crc = 0;
        long written = 0;
        try {
            for (byte[] chunk = queue.take(); chunk != END; chunk = queue.take()) {
                if (aborted) {
                    break;
                }
                if (trailer == Trailer.CRC64) {
                    crc = Crc64.update(crc, chunk, 0, chunk.length);
                }
                out.write(chunk);
                written += chunk.length;
                backlog.addAndGet(-chunk.length);
            }
            if (aborted) {
                if (failure != null) {
                    throw new IOException("snapshot failed", failure);
                }
                throw new CancellationException("snapshot aborted");
            }
            byte[] tail = new byte[trailer == Trailer.NONE ? 0 : 8];
            if (trailer == Trailer.CRC64) {
                Crc64.writeLittleEndian(crc, tail, 0);
            }
            out.write(tail);
            out.flush();
            done.complete(written + tail.length);
        } catch (InterruptedException e) {
            done.completeExceptionally(failure != null ? new IOException("snapshot failed", failure)
                    : new CancellationException("snapshot aborted"));
        } catch (IOException | RuntimeException e) {
            aborted = true; // the owner's further bytes are dropped
            done.completeExceptionally(e);
        } finally {
            queue.clear();
        }
    }
}
