package io.respire.ds.zset;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Redis's zskiplist: members ordered by (score, member bytes), with a span on every forward link
 * so that ranks are found in O(log n) on the way down, and a backward link for reverse walks.
 * It is the ordered half of a large sorted set; {@link ZSetValue} pairs it with a hash index from
 * member to {@link Node}.
 *
 * <p>The node layout saves memory where Redis's uses an array of (forward, span) levels: level 0
 * is the {@code next} field and its span, always 1, is implicit; a node of level 2 (3 in 16)
 * keeps its second link in two fields; only nodes of level 3 and more (1 in 16) carry arrays. Node levels follow Redis's distribution
 * (p = 1/4, at most 32). A node keeps its identity for its whole life in the list, including
 * across score updates ({@link #updateScore} re-links the same node), so the hash index never
 * needs fixing.
 */
final class SkipList {
    static final int MAX_LEVEL = 32;

    /**
     * An element of the list: a node of level 1, the most common (3 in 4). Nodes of level 2 and
     * more are the subclasses {@link Node2} and {@link NodeN}. Read-only outside this package.
     */
    public static class Node {
        final byte[] member;
        double score;
        Node prev;
        Node next;

        Node(byte[] member, double score) {
            this.member = member;
            this.score = score;
        }

        public final byte[] member() {
            return member;
        }

        public final double score() {
            return score;
        }

        /** The previous node in ascending order, or null for the first. */
        public final Node prev() {
            return prev;
        }

        /** The next node in ascending order, or null for the last. */
        public final Node next() {
            return next;
        }

        final int level() {
            if (this instanceof Node2) {
                return 2;
            }
            return this instanceof NodeN n ? n.up.length + 1 : 1;
        }

        /** The forward link of level i (below {@link #level}). */
        final Node forward(int i) {
            if (i == 0) {
                return next;
            }
            return this instanceof Node2 n ? n.next1 : ((NodeN) this).up[i - 1];
        }

        final void forward(int i, Node x) {
            if (i == 0) {
                next = x;
            } else if (this instanceof Node2 n) {
                n.next1 = x;
            } else {
                ((NodeN) this).up[i - 1] = x;
            }
        }

        /** Nodes crossed by the link of level i (implicitly 1 at level 0, where it is not kept). */
        final int span(int i) {
            if (i == 0) {
                return 1;
            }
            return this instanceof Node2 n ? n.span1 : ((NodeN) this).upSpan[i - 1];
        }

        final void span(int i, int s) {
            if (i == 0) {
                return;
            }
            if (this instanceof Node2 n) {
                n.span1 = s;
            } else {
                ((NodeN) this).upSpan[i - 1] = s;
            }
        }
    }

    /** A node of level 2: its second link inline (saves the two arrays of {@link NodeN}). */
    static final class Node2 extends Node {
        Node next1;
        int span1;

        Node2(byte[] member, double score) {
            super(member, score);
        }
    }

    /** A node of level 3 or more: links and spans of levels 1 and up in arrays (index 0 is level 1). */
    static final class NodeN extends Node {
        final Node[] up;
        final int[] upSpan;

        NodeN(byte[] member, double score, int level) {
            super(member, score);
            up = new Node[level - 1];
            upSpan = new int[level - 1];
        }
    }

    private static Node newNode(byte[] member, double score, int level) {
        return switch (level) {
            case 1 -> new Node(member, score);
            case 2 -> new Node2(member, score);
            default -> new NodeN(member, score, level);
        };
    }

    /** A sentinel before the first node, with every level. */
    private final Node header = new NodeN(null, 0, MAX_LEVEL);
    private Node tail;
    private int length;
    /** Number of levels in use (at least 1). */
    private int level = 1;

    public int length() {
        return length;
    }

    /** The node with the lowest (score, member), or null. */
    public Node first() {
        return header.next;
    }

    /** The node with the highest (score, member), or null. */
    public Node last() {
        return tail;
    }

    /** Whether (score, member) sorts before node x's. */
    private static boolean before(Node x, double score, byte[] member) {
        return x.score < score || (x.score == score && Arrays.compareUnsigned(x.member, member) < 0);
    }

    private static int randomLevel() {
        // Each pair of zero bits has probability 1/4: P(level > k) = 4^-k.
        int level = 1 + Long.numberOfTrailingZeros(ThreadLocalRandom.current().nextLong()) / 2;
        return Math.min(level, MAX_LEVEL);
    }

    /** Inserts a member known to be absent (Redis's zslInsert); returns its node. */
    public Node insert(double score, byte[] member) {
        Node x = newNode(member, score, randomLevel());
        link(x);
        return x;
    }

    /** Links node x (absent from the list) at the place its score and member give it. */
    private void link(Node x) {
        Node[] update = new Node[MAX_LEVEL];
        int[] rank = new int[MAX_LEVEL];
        Node p = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            Node f;
            while ((f = p.forward(i)) != null && before(f, x.score, x.member)) {
                rank[i] += p.span(i);
                p = f;
            }
            update[i] = p;
        }
        int xLevel = x.level();
        if (xLevel > level) {
            for (int i = level; i < xLevel; i++) {
                rank[i] = 0;
                update[i] = header;
                header.span(i, length);
            }
            level = xLevel;
        }
        for (int i = 0; i < xLevel; i++) {
            x.forward(i, update[i].forward(i));
            update[i].forward(i, x);
            x.span(i, update[i].span(i) - (rank[0] - rank[i]));
            update[i].span(i, rank[0] - rank[i] + 1);
        }
        for (int i = xLevel; i < level; i++) {
            update[i].span(i, update[i].span(i) + 1);
        }
        x.prev = update[0] == header ? null : update[0];
        if (x.next != null) {
            x.next.prev = x;
        } else {
            tail = x;
        }
        length++;
    }

    /** Unlinks x given the last node before it on every level (Redis's zslDeleteNode). */
    private void unlink(Node x, Node[] update) {
        for (int i = 0; i < level; i++) {
            if (update[i].forward(i) == x) {
                update[i].span(i, update[i].span(i) + x.span(i) - 1);
                update[i].forward(i, x.forward(i));
            } else {
                update[i].span(i, update[i].span(i) - 1);
            }
        }
        if (x.next != null) {
            x.next.prev = x.prev;
        } else {
            tail = x.prev;
        }
        while (level > 1 && header.forward(level - 1) == null) {
            level--;
        }
        length--;
    }

    /** The last node before (score, member) on every level. */
    private Node[] predecessors(double score, byte[] member) {
        Node[] update = new Node[MAX_LEVEL];
        Node p = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = p.forward(i)) != null && before(f, score, member)) {
                p = f;
            }
            update[i] = p;
        }
        return update;
    }

    /** Removes the node of (score, member); returns it, or null if there is none. */
    public Node delete(double score, byte[] member) {
        Node[] update = predecessors(score, member);
        Node x = update[0].next;
        if (x != null && x.score == score && Arrays.equals(x.member, member)) {
            unlink(x, update);
            return x;
        }
        return null;
    }

    /**
     * Changes the score of node x (Redis's zslUpdateScore): in place when the order does not
     * change, otherwise by unlinking and re-linking the same node.
     */
    public void updateScore(Node x, double newScore) {
        if ((x.prev == null || x.prev.score < newScore) && (x.next == null || x.next.score > newScore)) {
            x.score = newScore;
            return;
        }
        Node[] update = predecessors(x.score, x.member);
        unlink(x, update);
        x.score = newScore;
        link(x); // overwrites every link of x
    }

    /** The 1-based rank of (score, member), or 0 when absent (Redis's zslGetRank). */
    public long rank(double score, byte[] member) {
        long rank = 0;
        Node p = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = p.forward(i)) != null
                    && (f.score < score || (f.score == score && Arrays.compareUnsigned(f.member, member) <= 0))) {
                rank += p.span(i);
                p = f;
            }
            if (p != header && p.score == score && Arrays.equals(p.member, member)) {
                return rank;
            }
        }
        return 0;
    }

    /** The node of 1-based {@code rank}, or null when out of range (Redis's zslGetElementByRank). */
    public Node byRank(long rank) {
        long traversed = 0;
        Node p = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = p.forward(i)) != null && traversed + p.span(i) <= rank) {
                traversed += p.span(i);
                p = f;
            }
            if (traversed == rank) {
                return p == header ? null : p;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------
    // Score and lex ranges

    private boolean intersects(EntryRange range) {
        if (range.isEmpty() || tail == null) {
            return false;
        }
        Node first = header.next;
        return range.aboveMin(tail.score, tail.member) && range.belowMax(first.score, first.member);
    }

    /** The last node below the range on every level (stored into update when not null). */
    private Node beforeRange(EntryRange range, Node[] update) {
        Node p = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = p.forward(i)) != null && !range.aboveMin(f.score, f.member)) {
                p = f;
            }
            if (update != null) {
                update[i] = p;
            }
        }
        return p;
    }

    /** The first node within the range, or null (Redis's zslFirstInRange, zslFirstInLexRange). */
    Node firstInRange(EntryRange range) {
        if (!intersects(range)) {
            return null;
        }
        Node x = beforeRange(range, null).next;
        return x != null && range.belowMax(x.score, x.member) ? x : null;
    }

    /** The last node within the range, or null (Redis's zslLastInRange, zslLastInLexRange). */
    Node lastInRange(EntryRange range) {
        if (!intersects(range)) {
            return null;
        }
        Node p = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = p.forward(i)) != null && range.belowMax(f.score, f.member)) {
                p = f;
            }
        }
        return p != header && range.aboveMin(p.score, p.member) ? p : null;
    }

    // ------------------------------------------------------------------------------------------
    // Range deletion: each removed node is passed to onRemove (to drop it from the index).

    /**
     * Removes every node within the range (Redis's zslDeleteRangeByScore, zslDeleteRangeByLex);
     * returns how many.
     */
    long deleteRange(EntryRange range, Consumer<Node> onRemove) {
        Node[] update = new Node[MAX_LEVEL];
        Node x = beforeRange(range, update).next;
        long removed = 0;
        while (x != null && range.belowMax(x.score, x.member)) {
            Node next = x.next;
            unlink(x, update);
            onRemove.accept(x);
            removed++;
            x = next;
        }
        return removed;
    }

    /** Removes the nodes of 1-based ranks start..end inclusive (Redis's zslDeleteRangeByRank). */
    long deleteRangeByRank(long start, long end, Consumer<Node> onRemove) {
        Node[] update = new Node[MAX_LEVEL];
        long traversed = 0;
        Node p = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = p.forward(i)) != null && traversed + p.span(i) < start) {
                traversed += p.span(i);
                p = f;
            }
            update[i] = p;
        }
        traversed++;
        long removed = 0;
        Node x = p.next;
        while (x != null && traversed <= end) {
            Node next = x.next;
            unlink(x, update);
            onRemove.accept(x);
            removed++;
            traversed++;
            x = next;
        }
        return removed;
    }

    /**
     * Checks every invariant (order, back links, spans, length, tail); throws IllegalStateException
     * naming the first one broken. For tests.
     */
    void verify() {
        int n = 0;
        Node prev = null;
        for (Node x = header.next; x != null; x = x.next) {
            if (x.prev != prev) {
                throw new IllegalStateException("bad back link at " + n);
            }
            if (prev != null && !before(prev, x.score, x.member)) {
                throw new IllegalStateException("out of order at " + n);
            }
            prev = x;
            n++;
        }
        if (n != length || tail != prev) {
            throw new IllegalStateException("length or tail wrong");
        }
        for (int i = 1; i < level; i++) {
            // The span of each link at level i equals the level-0 distance it covers.
            Node p = header;
            long pos = 0;
            while (p.forward(i) != null) {
                Node f = p.forward(i);
                long dist = 0;
                for (Node y = p; y != f; y = y == header ? header.next : y.next) {
                    dist++;
                }
                if (p.span(i) != dist) {
                    throw new IllegalStateException("bad span at level " + i + " pos " + pos);
                }
                pos += dist;
                p = f;
            }
        }
    }
}
