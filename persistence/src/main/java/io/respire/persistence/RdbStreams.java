package io.respire.persistence;

import io.respire.ds.listpack.Listpack;
import io.respire.ds.stream.Consumer;
import io.respire.ds.stream.ConsumerGroup;
import io.respire.ds.stream.PendingEntry;
import io.respire.ds.stream.Stream;
import io.respire.ds.stream.StreamId;
import io.respire.ds.stream.StreamNode;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * Streams in RDB form (RDB_TYPE_STREAM_LISTPACKS_2 of Redis 7.0, and reading the older
 * RDB_TYPE_STREAM_LISTPACKS): the nodes as master ID and listpack, the counters, then every
 * consumer group with its pending entries list and its consumers.
 */
final class RdbStreams {
    private static final int ID_BYTES = 16;
    private static final int SAMEFIELDS = StreamNode.SAMEFIELDS;

    private RdbStreams() {
    }

    static void write(ByteArrayOutputStream out, Stream s, boolean compress) {
        RdbStrings.writeLength(out, s.nodeCount());
        for (StreamNode n : s.nodes()) {
            RdbStrings.writeString(out, idBytes(n.master()), compress);
            RdbStrings.writeString(out, n.listpack().toBytes(), compress);
        }
        RdbStrings.writeLength(out, s.length());
        writeId(out, s.lastId());
        writeId(out, s.firstId());
        writeId(out, s.maxDeletedId());
        RdbStrings.writeLength(out, s.entriesAdded());
        RdbStrings.writeLength(out, s.groupCount());
        for (Map.Entry<byte[], ConsumerGroup> e : s.groups().entrySet()) {
            ConsumerGroup g = e.getValue();
            RdbStrings.writeString(out, e.getKey(), compress);
            writeId(out, g.lastId());
            RdbStrings.writeLength(out, g.entriesRead()); // -1 (unknown) as Redis's uint64 cast writes it
            RdbStrings.writeLength(out, g.pendingCount());
            for (Map.Entry<StreamId, PendingEntry> p : g.pending().entrySet()) {
                out.writeBytes(idBytes(p.getKey()));
                RdbStrings.writeMillis(out, p.getValue().deliveryTime());
                RdbStrings.writeLength(out, p.getValue().deliveryCount());
            }
            RdbStrings.writeLength(out, g.consumerCount());
            for (Consumer c : g.consumers()) {
                RdbStrings.writeString(out, c.name(), compress);
                RdbStrings.writeMillis(out, c.seenTime());
                RdbStrings.writeLength(out, c.pendingCount());
                for (StreamId id : c.pending().keySet()) {
                    out.writeBytes(idBytes(id));
                }
            }
        }
    }

    private static void writeId(ByteArrayOutputStream out, StreamId id) {
        RdbStrings.writeLength(out, id.ms());
        RdbStrings.writeLength(out, id.seq());
    }

    /** A stream ID as Redis keys its radix trees: ms and seq, 8 bytes each, big-endian. */
    private static byte[] idBytes(StreamId id) {
        byte[] b = new byte[ID_BYTES];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (id.ms() >>> (56 - 8 * i));
            b[8 + i] = (byte) (id.seq() >>> (56 - 8 * i));
        }
        return b;
    }

    private static StreamId idOf(byte[] b) {
        long ms = 0;
        long seq = 0;
        for (int i = 0; i < 8; i++) {
            ms = ms << 8 | (b[i] & 0xFF);
            seq = seq << 8 | (b[8 + i] & 0xFF);
        }
        return new StreamId(ms, seq);
    }

    static Stream read(RdbInput in, int type) {
        Stream s = new Stream();
        long nodes = in.length("Stream listpacks len");
        for (long i = 0; i < nodes; i++) {
            byte[] key = in.string("Stream master ID");
            if (key.length != ID_BYTES) {
                throw new RdbFormatException("Stream node key entry is not the size of a stream ID");
            }
            byte[] blob = in.string("Stream listpacks");
            in.validating();
            Listpack lp = Listpack.validated(blob, 0, blob.length);
            if (lp == null || !validNode(lp)) {
                throw new RdbFormatException("Stream listpack integrity check failed.");
            }
            if (lp.isEmpty()) {
                throw new RdbFormatException("Empty listpack inside stream");
            }
            if (!s.loadNode(idOf(key), lp)) {
                throw new RdbFormatException("Listpack re-added with existing key");
            }
        }
        long length = in.length("Stream object metadata");
        StreamId lastId = readId(in);
        boolean v2 = type == RdbTypes.STREAM_LISTPACKS_2;
        if (v2) {
            StreamId firstId = readId(in);
            StreamId maxDeleted = readId(in);
            s.loaded(length, lastId, firstId, maxDeleted, in.length("Stream object metadata"));
        } else {
            s.loaded(length, lastId, s.edgeId(true, true), StreamId.MIN, length);
        }
        if (length != 0 && s.nodeCount() == 0) {
            throw new RdbFormatException("Stream length inconsistent with rax entries");
        }
        readGroups(in, s, v2);
        return s;
    }

    private static StreamId readId(RdbInput in) {
        long ms = in.length("Stream ID");
        return new StreamId(ms, in.length("Stream ID"));
    }

    private static void readGroups(RdbInput in, Stream s, boolean v2) {
        long groups = in.length("Stream cgroup count");
        for (long i = 0; i < groups; i++) {
            byte[] name = in.string("the consumer group name");
            StreamId lastId = readId(in);
            long entriesRead = v2 ? in.length("Stream cgroup offset") : s.estimateDistanceFromFirstEverEntry(lastId);
            ConsumerGroup g = s.createGroup(name, lastId, entriesRead);
            if (g == null) {
                throw new RdbFormatException("Duplicated consumer group name");
            }
            long pel = in.length("Stream PEL size");
            for (long j = 0; j < pel; j++) {
                StreamId id = idOf(in.raw(ID_BYTES, "Stream PEL ID"));
                long deliveryTime = in.millis("Stream PEL NACK");
                long deliveryCount = in.length("Stream PEL NACK");
                if (g.pendingEntry(id) != null) {
                    throw new RdbFormatException("Duplicated global PEL entry loading stream consumer group");
                }
                PendingEntry nack = g.createUnowned(id, deliveryTime);
                nack.deliveryCount(deliveryCount);
            }
            readConsumers(in, g);
            for (PendingEntry nack : g.pending().values()) {
                if (nack.consumer() == null) {
                    throw new RdbFormatException("Stream CG PEL entry without consumer");
                }
            }
        }
    }

    private static void readConsumers(RdbInput in, ConsumerGroup g) {
        long consumers = in.length("Stream consumers num");
        for (long k = 0; k < consumers; k++) {
            byte[] name = in.string("the consumer name");
            Consumer c = g.createConsumer(name, 0);
            if (c == null) {
                throw new RdbFormatException("Duplicate stream consumer detected.");
            }
            c.seen(in.millis("seen time"));
            long pel = in.length("Stream consumer PEL num");
            for (long j = 0; j < pel; j++) {
                StreamId id = idOf(in.raw(ID_BYTES, "PEL streamID"));
                PendingEntry nack = g.pendingEntry(id);
                if (nack == null) {
                    throw new RdbFormatException("Consumer entry not found in group global PEL");
                }
                if (nack.consumer() != null) {
                    throw new RdbFormatException("Duplicated consumer PEL entry loading a stream consumer group");
                }
                g.transfer(id, nack, c);
            }
        }
    }

    /**
     * streamValidateListpackIntegrity with deep checks: the master entry, then every entry's
     * flags, ID deltas, fields and values, and its lp-count, up to the listpack's end.
     */
    private static boolean validNode(Listpack lp) {
        Walk w = new Walk(lp);
        long live = w.integer();
        long deleted = w.integer();
        long masterFields = w.integer();
        if (live < 0 || deleted < 0 || masterFields < 0 || !w.skip(masterFields) || w.integer() != 0) {
            return false;
        }
        for (long n = live + deleted; n > 0; n--) {
            long flags = w.integer();
            w.integer();
            w.integer();
            long fields = masterFields;
            long extra = 3;
            if ((flags & SAMEFIELDS) == 0) {
                fields = w.integer();
                if (fields < 0 || !w.skip(fields)) {
                    return false;
                }
                extra += fields + 1;
            }
            if (!w.skip(fields) || w.integer() != fields + extra) {
                return false;
            }
        }
        return w.ok && w.p == Listpack.NONE;
    }

    /** A forward walk over a listpack that remembers whether it ran off the end or met a non-integer. */
    private static final class Walk {
        private final Listpack lp;
        private int p;
        private boolean ok = true;

        Walk(Listpack lp) {
            this.lp = lp;
            this.p = lp.first();
        }

        long integer() {
            if (!ok || p == Listpack.NONE || !lp.isInteger(p)) {
                ok = false;
                return -1;
            }
            long v = lp.integer(p);
            p = lp.next(p);
            return v;
        }

        boolean skip(long n) {
            for (long i = 0; i < n && ok; i++) {
                if (p == Listpack.NONE) {
                    ok = false;
                } else {
                    p = lp.next(p);
                }
            }
            return ok;
        }
    }
}
