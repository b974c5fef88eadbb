package io.respire.ds.list;

import io.respire.ds.listpack.Listpack;

/**
 * A list value: Redis's quicklist, a doubly linked list of {@link Listpack} nodes. Packing runs of
 * elements into listpacks makes a list cost little more than its elements' bytes (about 2 bytes of
 * overhead per short element), while the bounded node size keeps pushes, pops and inserts cheap:
 * a write moves at most one node's bytes.
 *
 * <p>The node size limit is the {@code fill} given at creation, with the meaning of Redis's
 * {@code list-max-listpack-size}: a positive value caps the entries per node (and a node never
 * grows past 8 KB however high the cap), and -1 to -5 cap a node at 4, 8, 16, 32 or 64 KB. Values
 * beyond those ranges are clamped as Redis does. An element too large for any node gets a node of
 * its own. The limit is fixed per list, like Redis's, which applies a changed setting to new lists
 * only.
 *
 * <p>Left out on purpose: Redis's {@code list-compress-depth} (LZF compression of inner nodes) and
 * its "plain" nodes for elements of 1 GB and more (such elements simply sit alone in an ordinary
 * node). Neither changes any command's result.
 *
 * <p>Indexes are {@code long}s, negative ones counting from the tail as in Redis; lookups by index
 * walk whole nodes from the nearer end and then one listpack. Not thread-safe.
 */
public final class QuickList {
    /** Byte limits of fill -1..-5 (Redis's optimization_level). */
    private static final int[] SIZE_LIMITS = {4096, 8192, 16384, 32768, 65536};
    /** A node limited by entry count never exceeds this many bytes (Redis's SIZE_SAFETY_LIMIT). */
    private static final int SIZE_SAFETY_LIMIT = 8192;
    /** Largest count limit (Redis's FILL_MAX). */
    private static final int FILL_MAX = (1 << 15) - 1;
    /**
     * Redis counts a listpack's 6-byte header and end byte in a node's size, and adds an estimate
     * of 8 bytes of entry overhead to an element's length; mirroring both splits lists into nodes
     * where Redis would.
     */
    private static final int LISTPACK_HEADER = 7;
    private static final int ENTRY_OVERHEAD_ESTIMATE = 8;
    /** Heap bytes of this object and of a node object (compressed oops). */
    private static final int SHALLOW_SIZE = 40;
    private static final int NODE_SIZE = 24;

    static final class Node {
        Listpack lp;
        Node prev;
        Node next;

        Node(Listpack lp) {
            this.lp = lp;
        }
    }

    private final int fill;
    private Node head;
    private Node tail;
    private long count;
    private int nodes;

    /** An empty list whose nodes are limited by {@code fill} (list-max-listpack-size). */
    public QuickList(int fill) {
        this.fill = Math.max(-SIZE_LIMITS.length, Math.min(FILL_MAX, fill));
    }

    /** Number of elements. */
    public long size() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Number of listpack nodes (for DEBUG and tests). */
    public int nodeCount() {
        return nodes;
    }

    /** The node size limit in use (after clamping). */
    public int fill() {
        return fill;
    }

    /** Heap bytes held by the list, its nodes and their arrays (for MEMORY USAGE). */
    public long memoryUsage() {
        long total = SHALLOW_SIZE;
        for (Node n = head; n != null; n = n.next) {
            total += NODE_SIZE + n.lp.memoryUsage();
        }
        return total;
    }

    /** A deep copy with the same node limit (COPY). */
    public QuickList copy() {
        QuickList c = new QuickList(fill);
        for (Node n = head; n != null; n = n.next) {
            c.linkAfter(c.tail, new Node(n.lp.copy()));
        }
        c.count = count;
        return c;
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
        if (allowInsert(head, value.length)) {
            head.lp.prepend(value);
        } else {
            releaseSpareRoom(head);
            Node n = new Node(new Listpack());
            n.lp.append(value);
            linkBefore(head, n);
        }
        count++;
    }

    public void pushTail(byte[] value) {
        if (allowInsert(tail, value.length)) {
            tail.lp.append(value);
        } else {
            releaseSpareRoom(tail);
            Node n = new Node(new Listpack());
            n.lp.append(value);
            linkAfter(tail, n);
        }
        count++;
    }

    /**
     * A node that pushes have filled will rarely grow again: give back the room its array kept for
     * growth (one copy per node, up to an eighth of a node's bytes saved).
     */
    private static void releaseSpareRoom(Node full) {
        if (full != null) {
            full.lp.trimToSize();
        }
    }

    /** Removes and returns the head ({@code head}) or tail element; null when empty. */
    public byte[] pop(boolean head) {
        Node n = head ? this.head : tail;
        if (n == null) {
            return null;
        }
        int p = head ? n.lp.first() : n.lp.last();
        byte[] value = n.lp.get(p);
        deleteAt(n, p);
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
        Iter it = iterator(index, true);
        return it.next() ? it.value() : null;
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
        it.next();
        Node node = it.node;
        int pos = it.pos;
        long remaining = extent;
        while (remaining > 0) {
            Node next = node.next;
            if (pos == node.lp.first() && remaining >= node.lp.size()) {
                remaining -= node.lp.size();
                count -= node.lp.size();
                unlink(node);
            } else {
                int before = node.lp.size();
                node.lp.delete(pos, (int) Math.min(remaining, Integer.MAX_VALUE));
                int deleted = before - node.lp.size();
                remaining -= deleted;
                count -= deleted;
                if (node.lp.isEmpty()) {
                    unlink(node);
                }
            }
            node = next;
            if (node != null) {
                pos = node.lp.first();
            }
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
            while (skipped + n.lp.size() <= i) {
                skipped += n.lp.size();
                n = n.next;
            }
        } else {
            n = tail;
            skipped = count - n.lp.size();
            while (skipped > i) {
                n = n.prev;
                skipped -= n.lp.size();
            }
        }
        it.node = n;
        it.pos = n.lp.seek(i - skipped);
        return it;
    }

    /** An iterator over all elements from the head ({@code forward}) or from the tail. */
    public Iter iterator(boolean forward) {
        return iterator(forward ? 0 : -1, forward);
    }

    /**
     * A cursor over the elements in one direction. {@link #next} moves to the next element and
     * says whether there was one; the accessors read that current element. {@link #remove} and
     * {@link #replace} keep the iterator usable; after {@link #insertBefore} or
     * {@link #insertAfter} it must be dropped (as Redis resets its iterator). Any change to the
     * list made other than through this iterator invalidates it.
     */
    public final class Iter {
        private final boolean forward;
        private Node node;
        private int pos = Listpack.NONE;
        private boolean started;
        /** Set by remove: node/pos already point at the element next() must return. */
        private boolean advanced;

        private Iter(boolean forward) {
            this.forward = forward;
        }

        public boolean next() {
            if (!started) {
                started = true;
                return node != null;
            }
            if (node == null) {
                return false;
            }
            if (advanced) {
                advanced = false;
                return true;
            }
            int p = forward ? node.lp.next(pos) : node.lp.prev(pos);
            if (p == Listpack.NONE) {
                moveToNeighbour(node);
            } else {
                pos = p;
            }
            return node != null;
        }

        private void moveToNeighbour(Node from) {
            node = forward ? from.next : from.prev;
            if (node != null) {
                pos = forward ? node.lp.first() : node.lp.last();
            }
        }

        /** The listpack holding the current element: with {@link #position()}, read it in place. */
        public Listpack listpack() {
            return node.lp;
        }

        public int position() {
            return pos;
        }

        /** The current element's bytes (a copy). */
        public byte[] value() {
            return node.lp.get(pos);
        }

        public boolean valueEquals(byte[] value) {
            return node.lp.valueEquals(pos, value);
        }

        /** As {@link #valueEquals}, with the value prepared once for a whole scan. */
        public boolean matches(Listpack.Probe probe) {
            return node.lp.matches(pos, probe);
        }

        /** Deletes the current element; next() then moves on as if it were still there. */
        public void remove() {
            Node n = node;
            int after = n.lp.delete(pos);
            count--;
            if (n.lp.isEmpty()) {
                moveToNeighbour(n);
                unlink(n);
            } else if (forward) {
                if (after == Listpack.NONE) {
                    moveToNeighbour(n);
                } else {
                    pos = after;
                }
            } else {
                int p = n.lp.prev(after == Listpack.NONE ? n.lp.bytes() : after);
                if (p == Listpack.NONE) {
                    moveToNeighbour(n);
                } else {
                    pos = p;
                }
            }
            advanced = true;
        }

        /** Replaces the current element in place. */
        public void replace(byte[] value) {
            node.lp.replace(pos, value);
        }

        /** Inserts before the current element (towards the head); drop the iterator afterwards. */
        public void insertBefore(byte[] value) {
            insert(node, pos, value, false);
            node = null;
        }

        /** Inserts after the current element (towards the tail); drop the iterator afterwards. */
        public void insertAfter(byte[] value) {
            insert(node, pos, value, true);
            node = null;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Nodes

    /** Redis's _quicklistInsert: next to the entry at p of node n, splitting n if it is full. */
    private void insert(Node n, int p, byte[] value, boolean after) {
        int sz = value.length;
        boolean atTail = after && n.lp.next(p) == Listpack.NONE;
        boolean atHead = !after && p == n.lp.first();
        if (allowInsert(n, sz)) {
            if (after) {
                n.lp.insertAfter(p, value);
            } else {
                n.lp.insertBefore(p, value);
            }
        } else if (atTail && allowInsert(n.next, sz)) {
            n.next.lp.prepend(value);
        } else if (atHead && allowInsert(n.prev, sz)) {
            n.prev.lp.append(value);
        } else if (atTail || atHead) {
            Node fresh = new Node(new Listpack());
            fresh.lp.append(value);
            if (atTail) {
                linkAfter(n, fresh);
            } else {
                linkBefore(n, fresh);
            }
        } else {
            // Full node, insertion inside it: split so that the new element is at an edge.
            Node half = new Node(n.lp.splitAt(after ? n.lp.next(p) : p));
            linkAfter(n, half);
            if (allowInsert(n, sz)) {
                n.lp.append(value);
            } else if (allowInsert(half, sz)) {
                half.lp.prepend(value);
            } else {
                Node fresh = new Node(new Listpack());
                fresh.lp.append(value);
                linkAfter(n, fresh);
            }
            mergeAround(n);
        }
        count++;
    }

    /** After a split, joins n and the node after it with their outer neighbours where they fit. */
    private void mergeAround(Node n) {
        if (n.prev != null && allowMerge(n.prev, n)) {
            n = mergeIntoFirst(n.prev, n);
        }
        Node m = n.next;
        if (m != null && m.next != null && allowMerge(m, m.next)) {
            mergeIntoFirst(m, m.next);
        }
    }

    private Node mergeIntoFirst(Node a, Node b) {
        a.lp.appendAll(b.lp);
        unlink(b);
        return a;
    }

    private void deleteAt(Node n, int p) {
        n.lp.delete(p);
        count--;
        if (n.lp.isEmpty()) {
            unlink(n);
        }
    }

    private boolean allowInsert(Node n, int elementSize) {
        if (n == null) {
            return false;
        }
        long newSize = (long) n.lp.bytes() + LISTPACK_HEADER + elementSize + ENTRY_OVERHEAD_ESTIMATE;
        return fits(newSize, n.lp.size() + 1);
    }

    private boolean allowMerge(Node a, Node b) {
        // Redis approximates the merged listpack as both sizes minus one header and trailer.
        long mergedSize = (long) a.lp.bytes() + b.lp.bytes() + 2L * LISTPACK_HEADER - 11;
        return fits(mergedSize, a.lp.size() + b.lp.size());
    }

    /** Whether a node of {@code bytes} bytes and {@code entries} entries respects the limit. */
    private boolean fits(long bytes, long entries) {
        if (fill < 0) {
            return bytes <= SIZE_LIMITS[-fill - 1];
        }
        return bytes <= SIZE_SAFETY_LIMIT && entries <= fill;
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

    /** Checks the links, counts and limits (for tests); throws IllegalStateException if broken. */
    void verify() {
        long total = 0;
        int seen = 0;
        Node prev = null;
        for (Node n = head; n != null; prev = n, n = n.next) {
            if (n.prev != prev) {
                throw new IllegalStateException("broken prev link");
            }
            if (n.lp.isEmpty()) {
                throw new IllegalStateException("empty node");
            }
            total += n.lp.size();
            seen++;
        }
        if (prev != tail || total != count || seen != nodes) {
            throw new IllegalStateException("counts: " + total + "/" + count + " nodes " + seen + "/" + nodes);
        }
    }
}
