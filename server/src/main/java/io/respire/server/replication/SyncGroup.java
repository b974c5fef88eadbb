package io.respire.server.replication;

import io.respire.server.persistence.PointInTimeSnapshot;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Replicas that share one full resynchronization (Redis's replicas in SLAVE_STATE_WAIT_BGSAVE_END
 * on one BGSAVE): the RDB of the dataset at one instant, written by a point-in-time snapshot while
 * commands keep running, and the stream from that instant on, which the backlog keeps until the
 * RDB is sent.
 *
 * <p>The RDB is either kept whole and sent once written ({@code $<length>}, as Redis sends the file
 * of a disk-based sync), or, with repl-diskless-sync and replicas that take the EOF form, streamed
 * to them as it is written ({@code $EOF:<mark>}, Redis's rdbSaveToSlavesSockets). A replica that
 * asks while a kept snapshot runs joins it and gets the same RDB and the same held stream, as Redis
 * copies the first replica's output buffer to the newcomer; a streamed one can be joined only
 * before its first bytes have gone out.
 */
final class SyncGroup {
    /** The stream offset at the snapshot's instant: where every member's stream continues from. */
    final long offset;
    PointInTimeSnapshot snapshot;
    /** The RDB as the snapshot writes it (from its writing thread; read once it is done); null when streamed. */
    final ByteArrayOutputStream image;
    /** The 40-byte EOF mark of a streamed RDB, null when it is kept whole. */
    final byte[] mark;
    /** A streamed RDB's first bytes went out: no replica can join any more. */
    boolean started;
    /** The snapshot was given up because no member was left to receive it. */
    boolean abandoned;
    /** Where a streamed snapshot writes; null when the RDB is kept whole. */
    PayloadPipe pipe;
    /** Bytes of a streamed RDB handed to the members' connections and not yet taken by their sockets. */
    int inFlight;
    /** A check of the members' sockets is scheduled (see ReplicationPrimary#releaseDrained). */
    boolean drainCheckScheduled;
    final List<Replica> members = new ArrayList<>();

    SyncGroup(long offset, byte[] mark) {
        this.offset = offset;
        this.mark = mark;
        this.image = mark == null ? new ByteArrayOutputStream() : null;
    }

    boolean streamed() {
        return mark != null;
    }
}
