package io.respire.server.replication;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Where a streamed full sync's snapshot writes its RDB (Redis's pipe from the RDB child to the
 * parent): each block the snapshot's writing thread writes is handed to the executor, which sends
 * it to the replicas, in order.
 */
final class PayloadPipe extends OutputStream {
    private final Executor executor;
    private final Consumer<byte[]> sink;

    PayloadPipe(Executor executor, Consumer<byte[]> sink) {
        this.executor = executor;
        this.sink = sink;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b});
    }

    /** The array is taken over, as the snapshot's writer hands over a fresh block each time. */
    @Override
    public void write(byte[] b) {
        if (b.length > 0) {
            executor.execute(() -> sink.accept(b));
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        write(Arrays.copyOfRange(b, off, off + len));
    }
}
