package io.respire.ds.stream;

import io.respire.ds.util.Accounted;
import io.respire.ds.listpack.Listpack;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream, Redis's {@code stream} (t_stream.c): entries packed into {@link StreamNode} blocks
 * (listpacks in Redis's byte layout, with master-entry field compression), indexed by each
 * node's master ID in a sorted map, where Redis uses a radix tree; plus the stream's counters
 * and its consumer groups. It knows nothing of commands: the server parses arguments, takes the
 * time and writes replies.
 *
 * <h2>Cost</h2>
 * An entry costs its listpack bytes (about 20 bytes for three short fields repeated from the
 * master entry); a node adds about 100 bytes of index and object headers, once per
 * stream-node-max-entries entries. Seeking an ID is O(log nodes) plus a walk inside one node
 * (at most stream-node-max-entries entries); appending is amortised O(1).
 *
 * <h2>Counters</h2>
 * As in Redis: {@link #length} (live entries), {@link #lastId} (the last ID ever added or set by
 * XSETID), {@link #firstId} (the first live entry, 0-0 when empty), {@link #maxDeletedId} (the
 * largest ID that XDEL removed) and {@link #entriesAdded} (all entries ever added), which let
 * consumer groups know how far behind they are.
 */
public final class Stream extends Accounted {
    /** Redis's STREAM_LISTPACK_MAX_SIZE: no node or entry grows beyond 1 GB. */
    static final long MAX_NODE_BYTES = 1L << 30;
    /** Redis's STREAM_LISTPACK_MAX_PRE_ALLOCATE: room a new node is given up front. */
    private static final int MAX_PREALLOCATE = 4096;

    private final TreeMap<StreamId, StreamNode> nodes = new TreeMap<>();
    /**
     * Heap bytes of every node but the last, or -1 to compute again: appends change only the last
     * node, so that MEMORY accounting after each XADD does not walk every node (it made XADD
     * slower the longer the stream). Any other change to a node sets it to -1.
     */
    private long closedNodesBytes = -1;
    private long length;
    private StreamId lastId = StreamId.MIN;
    private StreamId firstId = StreamId.MIN;
    private StreamId maxDeletedId = StreamId.MIN;
    private long entriesAdded;
    /** Groups by name, in Redis's radix-tree order; null until the first one (as Redis saves memory). */
    private TreeMap<byte[], ConsumerGroup> groups;
    /** {@link #radixTreeNodes} as last computed; -1 once a node was added or removed since. */
    private long radixTreeNodes = -1;

    // ------------------------------------------------------------------------------------------
    // Counters

    public long length() {
        return length;
    }

    public StreamId lastId() {
        return lastId;
    }

    public StreamId firstId() {
        return firstId;
    }

    public StreamId maxDeletedId() {
        return maxDeletedId;
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    /** XSETID: the last ID (never below the last live entry: the caller checks). */
    public void lastId(StreamId id) {
        lastId = id;
    }

    public void entriesAdded(long n) {
        entriesAdded = n;
    }

    public void maxDeletedId(StreamId id) {
        maxDeletedId = id;
    }

    /**
     * Adds a node read from an RDB file or DUMP payload, its listpack in Redis's layout; false if
     * a node with that master ID is there already. The counters are set by {@link #loaded}.
     */
    public boolean loadNode(StreamId master, Listpack lp) {
        if (nodes.containsKey(master)) {
            return false;
        }
        nodes.put(master, StreamNode.of(master, lp));
        radixTreeNodes = -1;
        closedNodesBytes = -1;
        return true;
    }

    /** Sets the counters an RDB file holds, once its nodes are loaded. */
    public void loaded(long length, StreamId lastId, StreamId firstId, StreamId maxDeletedId, long entriesAdded) {
        this.length = length;
        this.lastId = lastId;
        this.firstId = firstId;
        this.maxDeletedId = maxDeletedId;
        this.entriesAdded = entriesAdded;
    }

    // ------------------------------------------------------------------------------------------
    // Adding

    /** What {@link #append} did. */
    public enum AppendResult {
        ADDED,
        /** The ID is not greater than the last ID (Redis's EDOM). */
        ID_TOO_SMALL,
        /** Fields and values together exceed 1 GB (Redis's ERANGE). */
        TOO_LARGE
    }

    /**
     * The ID XADD * gives (streamNextID): the current time with sequence 0, or, if the last ID is
     * not older than that, the last ID plus one; null past the largest ID.
     */
    public StreamId nextAutoId(long nowMs) {
        if (Long.compareUnsigned(nowMs, lastId.ms()) > 0) {
            return new StreamId(nowMs, 0);
        }
        return lastId.next();
    }

    /**
     * The ID XADD ms-* gives: sequence 0 in a new millisecond, else the last sequence plus one;
     * null when the last ID's sequence is already the largest.
     */
    public StreamId nextIdInMs(long ms) {
        if (lastId.ms() != ms) {
            return new StreamId(ms, 0);
        }
        return lastId.seq() == -1L ? null : new StreamId(ms, lastId.seq() + 1);
    }

    /**
     * Adds an entry of {@code numFields} field/value pairs taken from {@code args[from...]}
     * (streamAppendItem). It goes into the last node unless that node has reached
     * {@code nodeMaxBytes} (Redis's bytes, counting the new entry's fields and values) or
     * {@code nodeMaxEntries} (deleted entries included); 0 means no limit for either.
     */
    public AppendResult append(StreamId id, byte[][] args, int from, int numFields, long nodeMaxBytes,
                               long nodeMaxEntries) {
        if (id.compareTo(lastId) <= 0) {
            return AppendResult.ID_TOO_SMALL;
        }
        long payload = 0;
        for (int i = from; i < from + 2 * numFields; i++) {
            payload += args[i].length;
        }
        if (payload > MAX_NODE_BYTES) {
            return AppendResult.TOO_LARGE;
        }
        Map.Entry<StreamId, StreamNode> last = nodes.lastEntry();
        StreamNode node = last == null ? null : last.getValue();
        if (node != null && isFull(node, payload, nodeMaxBytes, nodeMaxEntries)) {
            node.shrinkToFit(); // it will not grow again
            if (closedNodesBytes >= 0) {
                closedNodesBytes += nodeBytes(node); // the last node is now closed
            }
            node = null;
        }
        if (node == null) {
            int prealloc = nodeMaxBytes > 0 && nodeMaxBytes < MAX_PREALLOCATE ? (int) nodeMaxBytes : MAX_PREALLOCATE;
            nodes.put(id, StreamNode.create(id, args, from, numFields, prealloc));
            radixTreeNodes = -1;
        } else {
            node.append(id, args, from, numFields);
        }
        length++;
        entriesAdded++;
        lastId = id;
        if (length == 1) {
            firstId = id;
        }
        return AppendResult.ADDED;
    }

    private static boolean isFull(StreamNode node, long payload, long maxBytes, long maxEntries) {
        long limit = maxBytes == 0 || maxBytes > MAX_NODE_BYTES ? MAX_NODE_BYTES : maxBytes;
        if (node.redisBytes() + payload >= limit) {
            return true;
        }
        return maxEntries != 0 && node.totalCount() >= maxEntries;
    }

    // ------------------------------------------------------------------------------------------
    // Reading

    /** The live entries from {@code start} to {@code end} (both included), in either direction. */
    public StreamCursor cursor(StreamId start, StreamId end, boolean reverse) {
        return new StreamCursor(this, start, end, reverse, true);
    }

    /** As {@link #cursor}, also showing deleted entries (tombstones). */
    public StreamCursor cursorWithDeleted(StreamId start, StreamId end, boolean reverse) {
        return new StreamCursor(this, start, end, reverse, false);
    }

    /** The live entry of that ID, or null. */
    public StreamEntry find(StreamId id) {
        StreamCursor cur = cursor(id, id, false);
        return cur.next() ? cur.entry() : null;
    }

    /** Whether a live entry has that ID (streamEntryExists). */
    public boolean exists(StreamId id) {
        return cursor(id, id, false).next();
    }

    /** The ID of the last live entry (streamLastValidID), or null when there is none. */
    public StreamId lastValidId() {
        StreamCursor cur = cursor(StreamId.MIN, StreamId.MAX, true);
        return cur.next() ? cur.id() : null;
    }

    /**
     * The first or last entry's ID (streamGetEdgeID), tombstones included or not; when there is
     * none, the largest ID for the first and 0-0 for the last.
     */
    public StreamId edgeId(boolean first, boolean skipDeleted) {
        StreamCursor cur = new StreamCursor(this, StreamId.MIN, StreamId.MAX, !first, skipDeleted);
        if (cur.next()) {
            return cur.id();
        }
        return first ? StreamId.MAX : StreamId.MIN;
    }

    // Node navigation for cursors.

    /** The node a forward walk from {@code start} begins with: the last one at or before it, else the first. */
    StreamNode startNode(StreamId start) {
        if (start.isZero()) {
            return value(nodes.firstEntry());
        }
        Map.Entry<StreamId, StreamNode> e = nodes.floorEntry(start);
        return value(e != null ? e : nodes.firstEntry());
    }

    /** The last node whose master ID is at or before {@code id}, or null (then no entry is). */
    StreamNode nodeAtOrBefore(StreamId id) {
        return value(nodes.floorEntry(id));
    }

    StreamNode nodeAfter(StreamNode node) {
        return value(nodes.higherEntry(node.master));
    }

    StreamNode nodeBefore(StreamNode node) {
        return value(nodes.lowerEntry(node.master));
    }

    private static StreamNode value(Map.Entry<StreamId, StreamNode> e) {
        return e == null ? null : e.getValue();
    }

    // ------------------------------------------------------------------------------------------
    // Deleting

    /**
     * XDEL of one ID: flags the live entry deleted, drops its node if no live entry is left, and
     * keeps first-id and max-deleted-entry-id up to date. Returns false if there was no such
     * live entry.
     */
    public boolean delete(StreamId id) {
        StreamCursor cur = cursor(id, id, false);
        if (!cur.next()) {
            return false;
        }
        StreamNode node = cur.node();
        if (node.liveCount() == 1) {
            nodes.remove(node.master); // Redis frees the node without updating its counts
            radixTreeNodes = -1;
        } else {
            node.markDeleted(cur.position());
        }
        closedNodesBytes = -1;
        length--;
        if (id.compareTo(maxDeletedId) > 0) {
            maxDeletedId = id;
        }
        if (length == 0) {
            firstId = StreamId.MIN;
        } else if (id.equals(firstId)) {
            firstId = edgeId(true, true);
        }
        return true;
    }

    /**
     * How XADD and XTRIM trim: keep at most {@code maxLen} entries ({@code byMaxLen}), or none
     * below {@code minId}; {@code approx} ('~') removes whole nodes only; {@code limit} caps the
     * entries removed (0: no cap).
     */
    public record Trim(boolean byMaxLen, long maxLen, StreamId minId, boolean approx, long limit) {
        public static Trim maxLen(long maxLen, boolean approx, long limit) {
            return new Trim(true, maxLen, null, approx, limit);
        }

        public static Trim minId(StreamId minId, boolean approx, long limit) {
            return new Trim(false, 0, minId, approx, limit);
        }
    }

    /**
     * Removes entries from the head as {@code t} says (streamTrim) and returns how many. Whole
     * nodes go first; unless approximate, the first node that cannot go whole has entries
     * flagged deleted up to the limit. max-deleted-entry-id does not move: trimming is not XDEL.
     */
    public long trim(Trim t) {
        long deleted = 0;
        Map.Entry<StreamId, StreamNode> e;
        while ((e = nodes.firstEntry()) != null) {
            if (t.byMaxLen && length <= t.maxLen) {
                break;
            }
            StreamNode node = e.getValue();
            int live = node.liveCount();
            if (t.limit != 0 && deleted + live > t.limit) {
                break;
            }
            boolean wholeNode = t.byMaxLen ? length - live >= t.maxLen : node.lastId().compareTo(t.minId) < 0;
            if (wholeNode) {
                nodes.remove(e.getKey());
                radixTreeNodes = -1;
                closedNodesBytes = -1;
                length -= live;
                deleted += live;
                continue;
            }
            if (!t.approx) {
                deleted += trimInside(node, t);
                closedNodesBytes = -1;
            }
            break; // this node holds the new head
        }
        if (length == 0) {
            firstId = StreamId.MIN;
        } else if (deleted != 0) {
            firstId = edgeId(true, true);
        }
        return deleted;
    }

    /** Flags entries of the head node deleted until the trim is satisfied; returns how many. */
    private int trimInside(StreamNode node, Trim t) {
        int flagged = 0;
        for (int p = node.firstEntry(); p != Listpack.NONE; p = node.nextEntry(p)) {
            boolean done = t.byMaxLen ? length <= t.maxLen
                    : StreamId.compare(node.ms(p), node.seq(p), t.minId.ms(), t.minId.seq()) >= 0;
            if (done) {
                break;
            }
            if (!node.isDeleted(p)) {
                node.lp.replace(p, node.flags(p) | StreamNode.DELETED); // one byte either way: p stays valid
                flagged++;
                length--;
            }
        }
        node.addToCounts(-flagged, flagged);
        return flagged;
    }

    // ------------------------------------------------------------------------------------------
    // Consumer groups

    public ConsumerGroup group(byte[] name) {
        return groups == null ? null : groups.get(name);
    }

    /** Creates a group; null if one of that name exists (streamCreateCG). */
    public ConsumerGroup createGroup(byte[] name, StreamId lastDelivered, long entriesRead) {
        if (groups == null) {
            groups = new TreeMap<>(Arrays::compareUnsigned);
        }
        if (groups.containsKey(name)) {
            return null;
        }
        ConsumerGroup g = new ConsumerGroup(lastDelivered, entriesRead);
        groups.put(name.clone(), g);
        return g;
    }

    public boolean destroyGroup(byte[] name) {
        return groups != null && groups.remove(name) != null;
    }

    /** Groups by name, in Redis's order: read only. */
    public Map<byte[], ConsumerGroup> groups() {
        return groups == null ? Collections.emptyMap() : Collections.unmodifiableMap(groups);
    }

    public int groupCount() {
        return groups == null ? 0 : groups.size();
    }

    /**
     * Redis's lazyfreeGetFreeEffort for a stream: its nodes, and per group one plus the first
     * group's pending entries (an estimate that stays O(1)).
     */
    public long freeEffort() {
        long effort = nodeCount();
        if (groups != null && !groups.isEmpty()) {
            effort += (long) groups.size() * (1 + groups.values().iterator().next().pendingCount());
        }
        return effort;
    }

    /**
     * Whether an entry between {@code start} and {@code end} (null: the largest ID) may have been
     * deleted (streamRangeHasTombstones): judged from max-deleted-entry-id alone, as Redis does.
     */
    public boolean rangeHasTombstones(StreamId start, StreamId end) {
        if (length == 0 || maxDeletedId.isZero()) {
            return false;
        }
        if (firstId.compareTo(maxDeletedId) > 0) {
            return false; // the latest deletion is before the first entry
        }
        StreamId to = end == null ? StreamId.MAX : end;
        return start.compareTo(maxDeletedId) <= 0 && maxDeletedId.compareTo(to) <= 0;
    }

    /**
     * The logical read counter of {@code id}: how many entries were added up to it since the
     * stream began (streamEstimateDistanceFromFirstEverEntry), or
     * {@link ConsumerGroup#INVALID_ENTRIES_READ} when deletions or a position in the middle make
     * it unknowable.
     */
    public long estimateDistanceFromFirstEverEntry(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (length == 0 && id.compareTo(lastId) < 1) {
            return entriesAdded;
        }
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return ConsumerGroup.INVALID_ENTRIES_READ; // a future ID
        }
        int cmpFirst = id.compareTo(firstId);
        if (maxDeletedId.isZero() || maxDeletedId.compareTo(firstId) < 0) {
            // No deletion after the first entry: the count is exact at or before it.
            if (cmpFirst < 0) {
                return entriesAdded - length;
            } else if (cmpFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return ConsumerGroup.INVALID_ENTRIES_READ;
    }

    /**
     * The group's lag, entries added but not yet delivered to it (streamReplyWithCGLag), or null
     * when deletions make it unknowable.
     */
    public Long lag(ConsumerGroup g) {
        if (entriesAdded == 0) {
            return 0L;
        }
        if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ && !rangeHasTombstones(g.lastId, null)) {
            return entriesAdded - g.entriesRead;
        }
        long read = estimateDistanceFromFirstEverEntry(g.lastId);
        return read == ConsumerGroup.INVALID_ENTRIES_READ ? null : entriesAdded - read;
    }

    /**
     * Notes that entry {@code id} is being delivered to {@code g} (streamReplyWithRange): if it is
     * past the group's last ID, that moves on to it, and the group's read counter is incremented
     * while it can be trusted, or estimated again.
     */
    public void markDelivered(ConsumerGroup g, StreamId id) {
        if (id.compareTo(g.lastId) <= 0) {
            return;
        }
        if (g.entriesRead != ConsumerGroup.INVALID_ENTRIES_READ && !rangeHasTombstones(id, null)) {
            g.entriesRead++;
        } else if (entriesAdded != 0) {
            g.entriesRead = estimateDistanceFromFirstEverEntry(id);
        }
        g.lastId = id;
    }

    // ------------------------------------------------------------------------------------------
    // Shape, copies, memory

    /** Number of nodes: Redis's radix-tree-keys. */
    public int nodeCount() {
        return nodes.size();
    }

    /** The nodes by master ID, for persistence and DEBUG: read only. */
    public Collection<StreamNode> nodes() {
        return Collections.unmodifiableCollection(nodes.values());
    }

    /**
     * Redis's radix-tree-nodes: the nodes of a radix tree holding these master IDs. Computed from
     * the keys (O(nodes)) when the set of nodes has changed since the last time.
     */
    public long radixTreeNodes() {
        if (radixTreeNodes < 0) {
            radixTreeNodes = RadixTreeShape.nodeCount(nodes.keySet());
        }
        return radixTreeNodes;
    }

    /** A deep copy (COPY): nothing mutable is shared. */
    public Stream copy() {
        Stream s = new Stream();
        for (StreamNode n : nodes.values()) {
            s.nodes.put(n.master, n.copy());
        }
        s.length = length;
        s.lastId = lastId;
        s.firstId = firstId;
        s.maxDeletedId = maxDeletedId;
        s.entriesAdded = entriesAdded;
        if (groups != null) {
            s.groups = new TreeMap<>(Arrays::compareUnsigned);
            for (Map.Entry<byte[], ConsumerGroup> e : groups.entrySet()) {
                s.groups.put(e.getKey().clone(), e.getValue().copy());
            }
        }
        return s;
    }

    /** Heap bytes: this object, every node (index entry, key, object, listpack) and the groups. */
    public long memoryUsage() {
        long bytes = 120; // this object (with the accounting fields), its map and four IDs
        Map.Entry<StreamId, StreamNode> last = nodes.lastEntry();
        if (closedNodesBytes < 0) {
            long closed = 0;
            for (StreamNode n : nodes.values()) {
                closed += nodeBytes(n);
            }
            closedNodesBytes = closed - (last == null ? 0 : nodeBytes(last.getValue()));
        }
        bytes += closedNodesBytes + (last == null ? 0 : nodeBytes(last.getValue()));
        if (groups != null) {
            for (Map.Entry<byte[], ConsumerGroup> e : groups.entrySet()) {
                bytes += ConsumerGroup.TREE_ENTRY + 16 + ((e.getKey().length + 7) & ~7) + e.getValue().memoryUsage();
            }
        }
        return bytes;
    }

    /** Heap bytes of one node: its index entry, key, object and listpack. */
    private static long nodeBytes(StreamNode n) {
        return ConsumerGroup.TREE_ENTRY + ConsumerGroup.ID + 24 + n.lp.memoryUsage();
    }
}
