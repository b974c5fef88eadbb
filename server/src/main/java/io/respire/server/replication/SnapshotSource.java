package io.respire.server.replication;

import io.respire.server.ServerContext;

/**
 * Where a full resynchronization gets the RDB image of the dataset: {@link RdbSnapshot}, the
 * persistence layer's writer; issue 10's point-in-time snapshot, written in slices while commands
 * keep running, can take its place. A source that cannot produce what a replica asks for returns
 * null, and the SYNC is refused rather than given a wrong image.
 */
public interface SnapshotSource {
    /**
     * The RDB payload of the dataset as it is now: its keys unless {@code withData} is false, its
     * function libraries unless {@code withFunctions} is false (a replica's REPLCONF
     * rdb-filter-only); or null if this source cannot produce it, {@link #unavailable} saying why.
     */
    byte[] rdb(ServerContext server, boolean withData, boolean withFunctions);

    /** Why {@link #rdb} returned null, as the text of an error reply (without "ERR "). */
    String unavailable();
}
