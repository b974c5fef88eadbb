package io.respire.server.replication;

import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;

/**
 * Where a streamed full sync's snapshot writes its RDB (Redis's pipe from the RDB child to the
 * parent): each block the snapshot's writing thread writes is handed to the executor, which sends
 * it to the replicas, in order. At most {@link #BUDGET} bytes are on their way at a time: the
 * executor gives bytes back once the replicas' sockets have taken them ({@link #release}), and the
 * writing thread waits for room meanwhile, which in turn holds the snapshot's walk back (as Redis
 * stops reading the pipe while a replica's socket is full).
 */
final class PayloadPipe extends OutputStream {
    /** Bytes sent to the executor and not yet taken by the replicas' sockets. */
    static final int BUDGET = 4 << 20;

    private final Executor executor;
    /** Receives each block and the room it holds, to give back with {@link #release}. */
    private final BiConsumer<byte[], Integer> sink;
    private final Semaphore room = new Semaphore(BUDGET);

    PayloadPipe(Executor executor, BiConsumer<byte[], Integer> sink) {
        this.executor = executor;
        this.sink = sink;
    }

    @Override
    public void write(int b) throws InterruptedIOException {
        write(new byte[] {(byte) b});
    }

    /** The array is taken over, as the snapshot's writer hands over a fresh block each time. */
    @Override
    public void write(byte[] b) throws InterruptedIOException {
        if (b.length == 0) {
            return;
        }
        int held = Math.min(b.length, BUDGET);
        try {
            room.acquire(held);
        } catch (InterruptedException e) { // the snapshot was aborted
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the streamed snapshot was given up");
        }
        executor.execute(() -> sink.accept(b, held));
    }

    @Override
    public void write(byte[] b, int off, int len) throws InterruptedIOException {
        write(Arrays.copyOfRange(b, off, off + len));
    }

    /** Room the replicas' sockets have taken, for the writing thread to go on. */
    void release(int bytes) {
        room.release(bytes);
    }
}
