package io.respire.ds.list;

import io.respire.ds.util.Accounted;
import io.respire.ds.listpack.Listpack;
import io.respire.ds.listpack.ValueSink;
import io.respire.ds.util.Lzf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A list value: Redis's quicklist, a doubly linked list of {@link Listpack} nodes. Packing runs of
 * elements into listpacks makes a list cost little more than its elements' bytes (about 2 bytes of
 * overhead per short element), while the bounded node size keeps pushes, pops and inserts cheap:
 * a write moves at most one node's bytes.
 *
 * <p>The node size limit is the {@code fill} given at creation, with the meaning of Redis's
 * {@code list-max-listpack-size}: a positive value caps the entries per node (and a node never
 * grows past 8 KB however high the cap), and -1 to -5 cap a node at 4, 8, 16, 32 or 64 KB. Values
 * beyond those ranges are clamped as Redis does. The limit is fixed per list, like Redis's, which
 * applies a changed setting to new lists only; so is the compression depth.
 *
 * <h2>Plain nodes</h2>
 * An element of at least {@link PackedThreshold} bytes (1 GB unless DEBUG changed it) gets a
 * "plain" node of its own, holding just its bytes; such a node never takes another element, so a
 * small element pushed or inserted next to it goes to a neighbouring or new packed node.
 *
 * <h2>Compression</h2>
 * With a compression depth d (Redis's {@code list-compress-depth}, 0 = off), the nodes more than d
 * nodes from either end are kept LZF-compressed (in the format of Redis's listpack bytes, so
 * exactly the nodes Redis would compress are). The code follows Redis's quicklist.c closely, step
 * for step, because which nodes end up compressed depends on the order of its operations: a node
 * is compressed only when it is at least 48 bytes and shrinks by at least 8; an operation
 * decompresses the node it works on "for use" and recompresses it afterwards; inserting or
 * deleting a node re-applies the window from both ends. An {@link Iter} leaves its last node
 * decompressed until {@link Iter#close}, as Redis's iterator does until released. With depth 0,
 * none of this costs more than a field test.
 *
 * <p>Indexes are {@code long}s, negative ones counting from the tail as in Redis; lookups by index
 * walk whole nodes from the nearer end and then one listpack. Not thread-safe.
 */
public final class QuickList extends Accounted {
    /** Byte limits of fill -1..-5 (Redis's optimization_level). */
    private static final int[] SIZE_LIMITS = {4096, 8192, 16384, 32768, 65536};
    /** A node limited by entry count never exceeds this many bytes (Redis's SIZE_SAFETY_LIMIT). */
    private static final int SIZE_SAFETY_LIMIT = 8192;
    /** Largest count limit (Redis's FILL_MAX). */
    private static final int FILL_MAX = (1 << 15) - 1;
    /** Largest compression depth (Redis's COMPRESS_MAX, the width of its field). */
    private static final int COMPRESS_MAX = (1 << 16) - 1;
    /**
     * Redis adds an estimate of 8 bytes of entry overhead to an element's length, and counts a
     * listpack's header and end byte in a node's size; mirroring both splits lists into nodes
     * where Redis would.
     */
    private static final int ENTRY_OVERHEAD_ESTIMATE = 8;
    /** Nodes smaller than this are not worth compressing (Redis's MIN_COMPRESS_BYTES). */
    private static final int MIN_COMPRESS_BYTES = 48;
    /** A compressed node must save at least this many bytes (Redis's MIN_COMPRESS_IMPROVE). */
    private static final int MIN_COMPRESS_IMPROVE = 8;
    /** Heap bytes of this object, of a node object and of an array's header (compressed oops). */
    private static final int SHALLOW_SIZE = 72; // with the accounting fields (Accounted)
    private static final int NODE_SIZE = 40;
    private static final int ARRAY_HEADER = 16;

    /**
     * A node in one of four states: packed ({@link #lp} holds the entries), plain ({@link #bytes}
     * holds the element), or either of them compressed ({@link #bytes} holds the LZF data, and the
     * entry count and size are kept aside).
     */
    static final class Node {
        Listpack lp;
        byte[] bytes;
        Node prev;
        Node next;
        /** While compressed: the entry count of a packed node, and Redis's size (see sz()). */
        int compressedCount;
        int compressedSize;
        boolean plain;
        boolean compressed;
        /** Decompressed for an operation; to compress again after it (Redis's recompress). */
        boolean recompress;
        /** Kept uncompressed during a replacement (Redis's dont_compress). */
        boolean dontCompress;

        int count() {
            return lp != null ? lp.size() : plain ? 1 : compressedCount;
        }

        /** Redis's node->sz: the listpack's bytes with header and end byte, or the plain element's length. */
        int sz() {
            return lp != null ? lp.bytes() + Listpack.HEADER_AND_END : compressed ? compressedSize : bytes.length;
        }
    }

    private final int fill;
    private final int compress;
    private final PackedThreshold threshold;
    private Node head;
    private Node tail;
    private long count;
    private int nodes;

    /** An empty list whose nodes are limited by {@code fill} (list-max-listpack-size), uncompressed. */
    public QuickList(int fill) {
        this(fill, 0, new PackedThreshold());
    }

    /**
     * An empty list with the node limit {@code fill}, compression depth {@code compressDepth}
     * (list-compress-depth: 0 is off) and the server's plain-node threshold.
     */
    public QuickList(int fill, int compressDepth, PackedThreshold threshold) {
        this.fill = Math.max(-SIZE_LIMITS.length, Math.min(FILL_MAX, fill));
        this.compress = Math.max(0, Math.min(COMPRESS_MAX, compressDepth));
        this.threshold = threshold;
    }

    /** Number of elements. */
    public long size() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Number of nodes (for DEBUG and tests). */
    public int nodeCount() {
        return nodes;
    }

    /** The node size limit in use (after clamping). */
    public int fill() {
        return fill;
    }

    /** The compression depth in use (after clamping); 0 when off. */
    public int compressDepth() {
        return compress;
    }

    /** The sum of the nodes' sizes as Redis counts them, uncompressed (DEBUG OBJECT's ql_uncompressed_size). */
    public long uncompressedSize() {
        long total = 0;
        for (Node n = head; n != null; n = n.next) {
            total += n.sz();
        }
        return total;
    }

    /** Heap bytes held by the list, its nodes and their arrays, compressed ones as they are (for MEMORY USAGE). */
    public long memoryUsage() {
        long total = SHALLOW_SIZE;
        for (Node n = head; n != null; n = n.next) {
            total += NODE_SIZE + (n.lp != null ? n.lp.memoryUsage() : align8(ARRAY_HEADER + (long) n.bytes.length));
        }
        return total;
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }

    /**
     * A deep copy with the same settings (COPY): as Redis's quicklistDup, nodes are copied as they
     * are, compressed or not, and appended one by one, which applies the compression window.
     */
    public QuickList copy() {
        QuickList c = new QuickList(fill, compress, threshold);
        for (Node n = head; n != null; n = n.next) {
            Node m = new Node();
            m.lp = n.lp == null ? null : n.lp.copy();
            m.bytes = n.bytes == null ? null : n.bytes.clone();
            m.plain = n.plain;
            m.compressed = n.compressed;
            m.compressedCount = n.compressedCount;
            m.compressedSize = n.compressedSize;
            c.insertNode(c.tail, m, true);
            c.count += m.count();
        }
        return c;
    }

    // ------------------------------------------------------------------------------------------
    // Nodes as an RDB file holds them

    /** One node handed out by {@link #forEachNode}. */
    public interface NodeVisitor {
        /**
         * {@code data} is the node's listpack in Redis's layout or a plain node's element, or, if
         * {@code compressed}, their LZF compression, which expands to {@code rawSize} bytes.
         */
        void node(boolean plain, boolean compressed, byte[] data, int rawSize);
    }

    /** Every node from head to tail, as it is (compressed nodes are not expanded). */
    public void forEachNode(NodeVisitor visitor) {
        for (Node n = head; n != null; n = n.next) {
            byte[] data = n.lp != null ? n.lp.toBytes() : n.bytes;
            visitor.node(n.plain, n.compressed, data, n.sz());
        }
    }

    /**
     * Appends a node holding {@code lp}'s entries (Redis's quicklistAppendListpack, as its RDB
     * loader keeps the nodes it reads); an empty listpack is not appended.
     */
    public void appendListpackNode(Listpack lp) {
        if (lp.isEmpty()) {
            return;
        }
        Node n = new Node();
        n.lp = lp;
        insertNode(tail, n, true);
        count += lp.size();
    }

    /** Appends a plain node holding one element (Redis's quicklistAppendPlainNode). */
    public void appendPlainNode(byte[] value) {
        Node n = new Node();
        n.plain = true;
        n.bytes = value;
        insertNode(tail, n, true);
        count++;
    }

    // ------------------------------------------------------------------------------------------
    // Both ends

    /** Adds an element at the head ({@code head}) or the tail. */
    public void push(byte[] value, boolean head) {
        if (head) {
            pushHead(value);
        } else {
            pushTail(value);
        }
    }

    public void pushHead(byte[] value) {
        if (threshold.isLarge(value.length)) {
            insertPlainNode(head, value, false);
            return;
        }
        if (allowInsert(head, value.length)) {
            head.lp.prepend(value);
        } else {
            releaseSpareRoom(head);
            insertNode(head, packedNode(value), false);
        }
        count++;
    }

    public void pushTail(byte[] value) {
        if (threshold.isLarge(value.length)) {
            insertPlainNode(tail, value, true);
            return;
        }
        if (allowInsert(tail, value.length)) {
            tail.lp.append(value);
        } else {
            releaseSpareRoom(tail);
            insertNode(tail, packedNode(value), true);
        }
        count++;
    }

    /**
     * A node that pushes have filled will rarely grow again: give back the room its array kept for
     * growth (one copy per node, up to an eighth of a node's bytes saved).
     */
    private static void releaseSpareRoom(Node full) {
        if (full != null && full.lp != null) {
            full.lp.trimToSize();
        }
    }

    /** Removes and returns the head ({@code head}) or tail element; null when empty. */
    public byte[] pop(boolean head) {
        Node n = head ? this.head : tail;
        if (n == null) {
            return null;
        }
        if (n.plain) {
            byte[] value = n.bytes; // the node goes: its array can be handed over
            deleteNode(n);
            return value;
        }
        int p = head ? n.lp.first() : n.lp.last();
        byte[] value = n.lp.get(p);
        n.lp.delete(p);
        count--;
        if (n.lp.isEmpty()) {
            deleteNode(n);
        }
        return value;
    }

    public byte[] popHead() {
        return pop(true);
    }

    public byte[] popTail() {
        return pop(false);
    }

    // ------------------------------------------------------------------------------------------
    // By index

    /** The element at {@code index} (negative from the tail), or null when out of range. */
    public byte[] get(long index) {
        try (Iter it = iterator(index, true)) {
            return it.next() ? it.value() : null;
        }
    }

    /** Replaces the element at {@code index}; returns false when out of range (LSET). */
    public boolean set(long index, byte[] value) {
        Iter it = iterator(index, true);
        if (!it.next()) {
            return false;
        }
        it.replace(value);
        return true;
    }

    /**
     * Deletes up to {@code n} elements from {@code start} (negative counts from the tail) towards
     * the tail, as Redis's quicklistDelRange; returns how many it deleted (0 if start is out of
     * range or n is not positive).
     */
    public long deleteRange(long start, long n) {
        if (n <= 0) {
            return 0;
        }
        long s = start < 0 ? count + start : start;
        if (s < 0 || s >= count) {
            return 0;
        }
        long extent = Math.min(n, count - s);
        Iter it = iterator(s, true);
        Node node = it.node;
        int offset = it.offset;
        it.close(); // as Redis releases the iterator that found the start: may compress that node
        long remaining = extent;
        while (remaining > 0) {
            Node next = node.next;
            int nodeCount = node.count();
            long del = Math.min(nodeCount - offset, remaining);
            if ((offset == 0 && remaining >= nodeCount) || node.plain) {
                deleteNode(node);
            } else {
                decompressForUse(node);
                node.lp.delete(node.lp.seek(offset), (int) del);
                count -= del;
                if (node.lp.isEmpty()) {
                    deleteNode(node);
                } else {
                    recompressOnly(node);
                }
            }
            remaining -= del;
            node = next;
            offset = 0;
        }
        return extent;
    }

    /**
     * An iterator starting at {@code index} (negative from the tail) and moving towards the tail
     * ({@code forward}) or the head; it yields nothing when the index is out of range.
     */
    public Iter iterator(long index, boolean forward) {
        long i = index < 0 ? count + index : index;
        Iter it = new Iter(forward);
        if (i < 0 || i >= count) {
            return it;
        }
        Node n;
        long skipped;
        if (i < count / 2) {
            n = head;
            skipped = 0;
            while (skipped + n.count() <= i) {
                skipped += n.count();
                n = n.next;
            }
        } else {
            n = tail;
            skipped = count - n.count();
            while (skipped > i) {
                n = n.prev;
                skipped -= n.count();
            }
        }
        it.node = n;
        it.offset = (int) (i - skipped);
        return it;
    }

    /** The position of the entry at {@code offset} in n (0 for a plain node's element), or NONE. */
    private static int positionOf(Node n, int offset) {
        if (offset < 0) {
            return Listpack.NONE;
        }
        if (n.plain) {
            return offset == 0 ? 0 : Listpack.NONE;
        }
        return n.lp.seek(offset);
    }

    /** An iterator over all elements from the head ({@code forward}) or from the tail. */
    public Iter iterator(boolean forward) {
        return iterator(forward ? 0 : -1, forward);
    }

    /**
     * A cursor over the elements in one direction. {@link #next} moves to the next element and
     * says whether there was one; the accessors read that current element. {@link #remove} keeps
     * the iterator usable; after {@link #replace}, {@link #insertBefore} or {@link #insertAfter}
     * it yields nothing more (as Redis resets its iterator). Any change to the list made other
     * than through this iterator invalidates it. {@link #close} recompresses the node it stopped
     * on, if the list is compressed (Redis's quicklistReleaseIterator).
     */
    public final class Iter implements AutoCloseable {
        private final boolean forward;
        private Node node;
        /** Index of the current element in its node, or of the one to find (see seek). */
        private int offset;
        /** The current element's position in the node's listpack (0 in a plain node). */
        private int pos = Listpack.NONE;
        /** Whether next() must find the element at offset (Redis's zi == NULL) rather than step. */
        private boolean seek = true;

        private Iter(boolean forward) {
            this.forward = forward;
        }

        public boolean next() {
            while (node != null) {
                if (seek) {
                    seek = false;
                    decompressForUse(node);
                    pos = positionOf(node, offset);
                } else if (node.plain) {
                    pos = Listpack.NONE;
                } else {
                    pos = forward ? node.lp.next(pos) : node.lp.prev(pos);
                    offset += forward ? 1 : -1;
                }
                if (pos != Listpack.NONE) {
                    return true;
                }
                compress(node);
                moveTo(forward ? node.next : node.prev);
            }
            return false;
        }

        /** Makes {@code n} the current node, to be entered at its first (or last) element. */
        private void moveTo(Node n) {
            node = n;
            seek = true;
            offset = forward || n == null ? 0 : n.count() - 1;
        }

        /** Hands the current element to {@code sink}, in place (no copy). */
        public void read(ValueSink sink) {
            if (node.plain) {
                sink.bytes(node.bytes, 0, node.bytes.length);
            } else {
                node.lp.read(pos, sink);
            }
        }

        /** The current element's bytes (a copy). */
        public byte[] value() {
            return node.plain ? node.bytes.clone() : node.lp.get(pos);
        }

        public boolean valueEquals(byte[] value) {
            return matches(Listpack.Probe.of(value));
        }

        /** As {@link #valueEquals}, with the value prepared once for a whole scan. */
        public boolean matches(Listpack.Probe probe) {
            return node.plain ? Arrays.equals(node.bytes, probe.bytes()) : node.lp.matches(pos, probe);
        }

        /** Deletes the current element; next() then moves on as if it were still there (quicklistDelEntry). */
        public void remove() {
            Node n = node;
            Node prev = n.prev;
            Node next = n.next;
            boolean gone;
            if (n.plain) {
                deleteNode(n);
                gone = true;
            } else {
                n.lp.delete(pos);
                count--;
                gone = n.lp.isEmpty();
                if (gone) {
                    deleteNode(n);
                }
            }
            if (gone) {
                moveTo(forward ? next : prev);
            } else {
                seek = true;
                if (!forward) {
                    offset--; // the element before the deleted one; forward, the next one took its offset
                }
            }
        }

        /** Replaces the current element; the iterator is done afterwards (quicklistReplaceEntry). */
        public void replace(byte[] value) {
            Node n = node;
            boolean large = threshold.isLarge(value.length);
            node = null;
            if (!n.plain && !large) {
                n.lp.replace(pos, value);
                compress(n);
            } else if (n.plain && large) {
                n.bytes = value.clone();
                compress(n);
            } else if (n.plain) {
                insert(n, pos, value, true);
                deleteNode(n);
            } else {
                // A large value in a packed node: a plain node goes after it, then the old entry goes.
                n.dontCompress = true;
                insert(n, pos, value, true);
                if (n.count() == 1) {
                    deleteNode(n);
                } else {
                    n.lp.delete(n.lp.last());
                    count--;
                    n.dontCompress = false;
                    compress(n);
                    compress(n.next);
                }
            }
        }

        /** Inserts before the current element (towards the head); the iterator is done afterwards. */
        public void insertBefore(byte[] value) {
            Node n = node;
            node = null;
            insert(n, pos, value, false);
        }

        /** Inserts after the current element (towards the tail); the iterator is done afterwards. */
        public void insertAfter(byte[] value) {
            Node n = node;
            node = null;
            insert(n, pos, value, true);
        }

        @Override
        public void close() {
            if (node != null) {
                compress(node);
                node = null;
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Nodes

    /**
     * Redis's _quicklistInsert: next to the entry at p of node n, into n if it has room, else into
     * the neighbour at that edge, a new node, or the second half of n split at p.
     */
    private void insert(Node n, int p, byte[] value, boolean after) {
        int sz = value.length;
        boolean full = !allowInsert(n, sz);
        boolean atTail = after && (n.plain || n.lp.next(p) == Listpack.NONE);
        boolean atHead = !after && (n.plain || p == n.lp.first());
        boolean availNext = atTail && allowInsert(n.next, sz);
        boolean availPrev = atHead && allowInsert(n.prev, sz);
        if (threshold.isLarge(sz)) {
            if (n.plain || atTail || atHead) {
                insertPlainNode(n, value, after);
            } else {
                decompressForUse(n);
                Node rest = split(n, p, after);
                Node plain = plainNode(value);
                insertNode(n, plain, after);
                insertNode(plain, rest, after);
                count++;
            }
            return;
        }
        if (!full) {
            decompressForUse(n);
            if (after) {
                n.lp.insertAfter(p, value);
            } else {
                n.lp.insertBefore(p, value);
            }
            recompressOnly(n);
        } else if (availNext) {
            decompressForUse(n.next);
            n.next.lp.prepend(value);
            recompressOnly(n.next);
            recompressOnly(n);
        } else if (availPrev) {
            decompressForUse(n.prev);
            n.prev.lp.append(value);
            recompressOnly(n.prev);
            recompressOnly(n);
        } else if (atTail || atHead) {
            insertNode(n, packedNode(value), after);
        } else {
            decompressForUse(n);
            Node half = split(n, p, after);
            if (after) {
                half.lp.prepend(value);
            } else {
                half.lp.append(value);
            }
            insertNode(n, half, after);
            mergeNodes(n);
        }
        count++;
    }

    /**
     * Redis's _quicklistSplitNode: with {@code after}, n keeps its entries up to p and the returned
     * node gets the rest; otherwise the returned node gets those before p and n keeps the rest.
     */
    private static Node split(Node n, int p, boolean after) {
        Node half = new Node();
        if (after) {
            int q = n.lp.next(p);
            half.lp = n.lp.splitAt(q == Listpack.NONE ? n.lp.bytes() : q);
        } else {
            Listpack rest = n.lp.splitAt(p);
            half.lp = n.lp;
            n.lp = rest;
        }
        return half;
    }

    /** Redis's _quicklistMergeNodes: after a split, joins the nodes around {@code center} that fit together. */
    private void mergeNodes(Node center) {
        Node prev = center.prev;
        Node next = center.next;
        if (prev != null && allowMerge(prev.prev, prev)) {
            merge(prev.prev, prev);
        }
        if (next != null && allowMerge(next, next.next)) {
            merge(next, next.next);
        }
        Node target = center;
        if (allowMerge(center.prev, center)) {
            target = merge(center.prev, center);
        }
        if (allowMerge(target, target.next)) {
            merge(target, target.next);
        }
    }

    /** Redis's _quicklistListpackMerge: moves b's entries to the end of a, drops b; returns a. */
    private Node merge(Node a, Node b) {
        decompressNode(a);
        decompressNode(b);
        a.lp.appendAll(b.lp);
        b.lp.clear();
        deleteNode(b);
        compress(a);
        return a;
    }

    private static Node packedNode(byte[] value) {
        Node n = new Node();
        n.lp = new Listpack();
        n.lp.append(value);
        return n;
    }

    private static Node plainNode(byte[] value) {
        Node n = new Node();
        n.plain = true;
        n.bytes = value.clone();
        return n;
    }

    private void insertPlainNode(Node at, byte[] value, boolean after) {
        insertNode(at, plainNode(value), after);
        count++;
    }

    /** Whether one more element of {@code elementSize} bytes fits in n (Redis's _quicklistNodeAllowInsert). */
    private boolean allowInsert(Node n, int elementSize) {
        // Redis also refuses large elements here; every caller has sent those to a plain node already.
        if (n == null || n.plain) {
            return false;
        }
        return fits((long) n.sz() + elementSize + ENTRY_OVERHEAD_ESTIMATE, n.count() + 1L);
    }

    private boolean allowMerge(Node a, Node b) {
        if (a == null || b == null || a.plain || b.plain) {
            return false;
        }
        // Redis approximates the merged listpack as both sizes minus one header and end byte.
        return fits((long) a.sz() + b.sz() - 11, (long) a.count() + b.count());
    }

    /** Whether a node of {@code bytes} bytes and {@code entries} entries respects the limit. */
    private boolean fits(long bytes, long entries) {
        if (fill < 0) {
            return bytes <= SIZE_LIMITS[-fill - 1];
        }
        return bytes <= SIZE_SAFETY_LIMIT && entries <= fill;
    }

    /** Redis's __quicklistInsertNode: links n after (or before) {@code at}, then applies compression. */
    private void insertNode(Node at, Node n, boolean after) {
        if (after) {
            linkAfter(at, n);
        } else {
            linkBefore(at, n);
        }
        if (compress != 0) {
            if (at != null) {
                compress(at);
            }
            compress(n);
        }
    }

    /** Redis's __quicklistDelNode: unlinks n, drops its elements from the count, re-applies the window. */
    private void deleteNode(Node n) {
        unlink(n);
        count -= n.count();
        if (compress != 0) {
            compressWindow(null);
        }
    }

    private void linkAfter(Node at, Node n) {
        n.prev = at;
        if (at == null) {
            n.next = head;
            if (head != null) {
                head.prev = n;
            }
            head = n;
        } else {
            n.next = at.next;
            if (at.next != null) {
                at.next.prev = n;
            }
            at.next = n;
        }
        if (n.next == null) {
            tail = n;
        }
        nodes++;
    }

    private void linkBefore(Node at, Node n) {
        if (at == null) {
            linkAfter(tail, n);
        } else {
            linkAfter(at.prev, n);
        }
    }

    private void unlink(Node n) {
        if (n.prev != null) {
            n.prev.next = n.next;
        } else {
            head = n.next;
        }
        if (n.next != null) {
            n.next.prev = n.prev;
        } else {
            tail = n.prev;
        }
        n.prev = null;
        n.next = null;
        nodes--;
    }

    // ------------------------------------------------------------------------------------------
    // Compression

    /**
     * Redis's quicklistCompress: a node decompressed for use is compressed again; any other gets
     * the window applied, which compresses it if it lies beyond the depth.
     */
    private void compress(Node n) {
        if (n.recompress) {
            compressNode(n);
        } else {
            compressWindow(n);
        }
    }

    /** Redis's quicklistRecompressOnly. */
    private void recompressOnly(Node n) {
        if (n.recompress) {
            compressNode(n);
        }
    }

    /**
     * Redis's __quicklistCompress: decompresses the {@code compress} nodes at each end, compresses
     * the first node beyond them at each end, and {@code n} (may be null) unless it is within them.
     * Nothing happens unless the list is longer than twice the depth.
     */
    private void compressWindow(Node n) {
        if (compress == 0 || nodes < compress * 2) {
            return;
        }
        Node forward = head;
        Node reverse = tail;
        boolean inDepth = false;
        for (int depth = 0; depth < compress; depth++) {
            decompressNode(forward);
            decompressNode(reverse);
            if (forward == n || reverse == n) {
                inDepth = true;
            }
            if (forward == reverse || forward.next == reverse) {
                return; // the two ends' windows meet: nothing to compress
            }
            forward = forward.next;
            reverse = reverse.prev;
        }
        if (!inDepth) {
            compressNode(n);
        }
        compressNode(forward);
        compressNode(reverse);
    }

    /** Redis's quicklistCompressNode: compresses an uncompressed node if that is worth it. */
    private static void compressNode(Node n) {
        if (n == null || n.compressed || n.dontCompress || n.prev == null || n.next == null) {
            return; // (Redis asserts that the ends are never compressed)
        }
        n.recompress = false;
        int sz = n.sz();
        if (sz < MIN_COMPRESS_BYTES) {
            return;
        }
        byte[] lzf = Lzf.compress(n.plain ? n.bytes : n.lp.toBytes(), sz);
        if (lzf == null || lzf.length + MIN_COMPRESS_IMPROVE >= sz) {
            return;
        }
        if (!n.plain) {
            n.compressedCount = n.lp.size();
            n.lp = null;
        }
        n.compressedSize = sz;
        n.bytes = lzf;
        n.compressed = true;
    }

    /** Redis's quicklistDecompressNode. */
    private static void decompressNode(Node n) {
        if (n == null || !n.compressed) {
            return;
        }
        n.recompress = false;
        byte[] raw = Lzf.decompress(n.bytes, n.compressedSize);
        if (n.plain) {
            n.bytes = raw;
        } else {
            n.lp = Listpack.fromBytes(raw, 0, raw.length);
            n.bytes = null;
        }
        n.compressed = false;
    }

    /** Redis's quicklistDecompressNodeForUse: decompresses, marking the node to compress again. */
    private static void decompressForUse(Node n) {
        if (n != null && n.compressed) {
            decompressNode(n);
            n.recompress = true;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Introspection

    /**
     * The structure as Redis's quicklistRepr prints it for DEBUG QUICKLIST: the list's figures,
     * then each node's container, encoding, size and count. With {@code full}, also the entries,
     * which leaves every node decompressed, as Redis does.
     */
    public String repr(boolean full) {
        StringBuilder sb = new StringBuilder();
        sb.append("{count : ").append(count).append("}\n");
        sb.append("{len : ").append(nodes).append("}\n");
        sb.append("{fill : ").append(fill).append("}\n");
        sb.append("{compress : ").append(compress).append("}\n");
        sb.append("{bookmark_count : 0}\n");
        int i = 0;
        for (Node n = head; n != null; n = n.next) {
            sb.append("{quicklist node(").append(i++).append(")\n");
            sb.append("{container : ").append(n.plain ? "PLAIN" : "PACKED")
                    .append(", encoding: ").append(n.compressed ? "LZF" : "RAW")
                    .append(", size: ").append(n.sz())
                    .append(", count: ").append(n.count())
                    .append(", recompress: ").append(n.recompress ? 1 : 0)
                    .append(", attempted_compress: 0}\n");
            if (full) {
                // Redis decompresses each node to print it and (recompress being unset) leaves it so.
                decompressNode(n);
                if (n.plain) {
                    sb.append("{ entry : ").append(new String(n.bytes, StandardCharsets.ISO_8859_1)).append(" }\n");
                } else {
                    sb.append("{ listpack:\n").append(n.lp).append("\n}\n");
                }
                sb.append("}\n");
            }
        }
        return sb.toString();
    }

    /**
     * One word per node, for tests: its entry count, "P" for a plain node, and a "z" suffix when
     * compressed; e.g. "4 4z P 4".
     */
    String layout() {
        StringBuilder sb = new StringBuilder();
        for (Node n = head; n != null; n = n.next) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(n.plain ? "P" : Integer.toString(n.count())).append(n.compressed ? "z" : "");
        }
        return sb.toString();
    }

    /** Checks the links, counts, limits and node states (for tests); throws IllegalStateException if broken. */
    void verify() {
        long total = 0;
        int seen = 0;
        Node prev = null;
        for (Node n = head; n != null; prev = n, n = n.next) {
            if (n.prev != prev) {
                throw new IllegalStateException("broken prev link");
            }
            if (n.count() == 0) {
                throw new IllegalStateException("empty node");
            }
            boolean holdsBytes = n.plain || n.compressed;
            if ((n.lp == null) != holdsBytes || (n.bytes == null) == holdsBytes) {
                throw new IllegalStateException("node state: plain " + n.plain + " compressed " + n.compressed);
            }
            if (n.compressed && (n.prev == null || n.next == null)) {
                throw new IllegalStateException("compressed end node");
            }
            total += n.count();
            seen++;
        }
        if (prev != tail || total != count || seen != nodes) {
            throw new IllegalStateException("counts: " + total + "/" + count + " nodes " + seen + "/" + nodes);
        }
    }
}
