package io.respire.server.replication;

import io.respire.server.ServerContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The snapshot a full resynchronization sends: the RDB image the persistence layer writes for
 * SAVE ({@link io.respire.server.persistence.Snapshots#write}), taken at once on the executor, so
 * that it is exactly the dataset the stream that follows continues from. A replica that filtered
 * the keys out (REPLCONF rdb-filter-only) gets the function libraries alone, or the exact empty
 * image if it filtered those out too.
 */
public final class RdbSnapshot implements SnapshotSource {
    private final EmptyDatasetSnapshot empty = new EmptyDatasetSnapshot();

    @Override
    public byte[] rdb(ServerContext server, boolean withData, boolean withFunctions) {
        if (!withData && !withFunctions) {
            return empty.rdb(server, false, false);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (withData) {
                server.snapshots().write(out);
            } else {
                server.snapshots().writeFunctionsOnly(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an in-memory stream does not fail
        }
        return out.toByteArray();
    }

    @Override
    public String unavailable() {
        return "no snapshot could be made"; // never: every combination of filters is produced
    }
}
