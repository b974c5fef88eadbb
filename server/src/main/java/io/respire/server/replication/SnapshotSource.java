package io.respire.server.replication;

import io.respire.server.ServerContext;

/**
 * Where a full resynchronization gets the RDB image of the dataset (issue 10's point-in-time
 * snapshot, written by the RDB module). The replication code only asks for the payload; until a
 * real RDB writer is plugged in, {@link EmptyDatasetSnapshot} serves the one case it can serve
 * exactly, and every other SYNC is refused rather than given a wrong image.
 */
public interface SnapshotSource {
    /**
     * The RDB payload of the whole dataset (keys and function libraries) as it is now, or null if
     * this source cannot produce it; {@link #unavailable} then says why.
     */
    byte[] rdb(ServerContext server);

    /** Why {@link #rdb} returned null, as the text of an error reply (without "ERR "). */
    String unavailable();
}
