package io.respire.server.replication;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A primary's payload on its way from the link to a diskless load (Redis's rdbLoadRio reading the
 * socket): the executor hands over each block as it arrives, the loader's thread reads them in
 * order as a channel, so that the payload is never held whole. The link stops reading its socket
 * while more than {@link #HIGH_WATER} bytes wait for the loader, and reads again once the loader
 * took them down to {@link #LOW_WATER} (told through {@code onDrained}, from the loader's thread).
 */
final class PayloadFeed implements ReadableByteChannel {
    static final long HIGH_WATER = 16 << 20;
    static final long LOW_WATER = 4 << 20;

    /** A block handed over: its first {@code length} bytes are the payload's. */
    private record Block(byte[] bytes, int length) {
    }

    private static final Block END_BLOCK = new Block(new byte[0], 0);

    private final LinkedBlockingQueue<Block> blocks = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final Runnable onDrained;
    /** Why the payload will not come whole (the link was lost), or null. */
    private volatile String abandoned;
    /** The loader's thread: the block being read, and where. */
    private Block current;
    private int at;
    private boolean ended;

    PayloadFeed(Runnable onDrained) {
        this.onDrained = onDrained;
    }

    // ---- the executor's side

    /** Hands over a block (taken over, not copied). True while the loader keeps up; false: stop reading. */
    boolean offer(byte[] block) {
        return offer(block, block.length);
    }

    /** Hands over the first {@code length} bytes of {@code block} (taken over, not copied, not changed after). */
    boolean offer(byte[] block, int length) {
        if (length == 0) {
            return true;
        }
        blocks.add(new Block(block, length));
        return queued.addAndGet(length) <= HIGH_WATER;
    }

    /** The payload is complete. */
    void end() {
        blocks.add(END_BLOCK);
    }

    /** The payload will not complete: the loader's next read fails with {@code reason}. */
    void abandon(String reason) {
        abandoned = reason;
        blocks.add(END_BLOCK);
    }

    // ---- the loader's side

    @Override
    public int read(ByteBuffer dst) throws IOException {
        while (current == null || at == current.length()) {
            if (ended) {
                return -1;
            }
            Block next;
            try {
                next = blocks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("the load was interrupted");
            }
            if (abandoned != null) {
                throw new IOException(abandoned);
            }
            if (next == END_BLOCK) {
                ended = true;
                return -1;
            }
            long before = queued.getAndAdd(-next.length());
            if (before > LOW_WATER && before - next.length() <= LOW_WATER) {
                onDrained.run();
            }
            current = next;
            at = 0;
        }
        int n = Math.min(dst.remaining(), current.length() - at);
        dst.put(current.bytes(), at, n);
        at += n;
        return n;
    }

    @Override
    public boolean isOpen() {
        return !ended;
    }

    @Override
    public void close() {
        ended = true;
    }
}
