package io.respire.server.persistence;

import java.util.concurrent.CompletableFuture;

/**
 * A running point-in-time snapshot: the dataset as it was when it started, streamed as an RDB to
 * the destination its starter gave ({@link Snapshots#stream}), while the executor keeps serving.
 * BGSAVE, the save points, a replica's full synchronization and the AOF rewrite's base all use
 * one; one runs at a time.
 */
public interface PointInTimeSnapshot {

    /**
     * Completes once every byte, checksum included, is written to the destination and flushed
     * (with the byte count), or exceptionally on a write error or an abort. It completes on the
     * writing thread, not the executor: a caller that touches the data hops back itself.
     */
    CompletableFuture<Long> done();

    /** Gives up (from any thread): nothing more is written and {@link #done()} fails with a CancellationException. */
    void abort();

    /** Bytes serialized because a write reached a key first (Redis's copy-on-write size, here). */
    long copiedBytes();

    /** Keys recorded so far, and keys there were at the snapshot's instant (INFO's current_save_keys_*). */
    long keysProcessed();

    long keysTotal();
}
