package io.respire.server.replication;

import io.respire.server.persistence.PointInTimeSnapshot;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Replicas that share one full resynchronization (Redis's replicas in SLAVE_STATE_WAIT_BGSAVE_END
 * on one BGSAVE): the RDB of the dataset at one instant, written by a point-in-time snapshot while
 * commands keep running, and the stream from that instant on, held until the RDB is sent. A replica
 * that asks while the snapshot runs joins it and gets the same RDB and the same held stream, as
 * Redis copies the first replica's output buffer to the newcomer.
 */
final class SyncGroup {
    /** The stream offset at the snapshot's instant: where every member's stream continues from. */
    final long offset;
    final PointInTimeSnapshot snapshot;
    /** The RDB as the snapshot writes it (from its writing thread; read once it is done). */
    final ByteArrayOutputStream image;
    /** The stream since the instant (Redis keeps it in each replica's output buffer). */
    final ByteArrayOutputStream since = new ByteArrayOutputStream();
    final List<Replica> members = new ArrayList<>();

    SyncGroup(long offset, PointInTimeSnapshot snapshot, ByteArrayOutputStream image) {
        this.offset = offset;
        this.snapshot = snapshot;
        this.image = image;
    }
}
