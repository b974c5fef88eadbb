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
 * is the {@code next} field and its span, always 1, is implicit; only the quarter of nodes with
 * more levels carry arrays for levels 1 and up. Node levels follow Redis's distribution
 * (p = 1/4, at most 32). A node keeps its identity for its whole life in the list, including
 * across score updates ({@link #updateScore} re-links the same node), so the hash index never
 * needs fixing.
 */
public final class SkipList {
    static final int MAX_LEVEL = 32;

    /** An element of the list. Read-only outside this package. */
    public static final class Node {
        final byte[] member;
        double score;
        Node prev;
        Node next;
        /** Forward links of levels 1 and up (index 0 is level 1), null for single-level nodes. */
        Node[] up;
        int[] upSpan;

        Node(byte[] member, double score, int level) {
            this.member = member;
            this.score = score;
            if (level > 1) {
                up = new Node[level - 1];
                upSpan = new int[level - 1];
            }
        }

        public byte[] member() {
            return member;
        }

        public double score() {
            return score;
        }

        /** The previous node in ascending order, or null for the first. */
        public Node prev() {
            return prev;
        }

        /** The next node in ascending order, or null for the last. */
        public Node next() {
            return next;
        }

        int level() {
            return up == null ? 1 : up.length + 1;
        }

        Node forward(int i) {
            return i == 0 ? next : up[i - 1];
        }

        void forward(int i, Node x) {
            if (i == 0) {
                next = x;
            } else {
                up[i - 1] = x;
            }
        }

        /** Nodes crossed by the link of level i (implicitly 1 at level 0, where it is not kept). */
        int span(int i) {
            return i == 0 ? 1 : upSpan[i - 1];
        }

        void span(int i, int s) {
            if (i > 0) {
                upSpan[i - 1] = s;
            }
        }
    }

    /** A sentinel before the first node, with every level. */
    private final Node header = new Node(null, 0, MAX_LEVEL);
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
        Node x = new Node(member, score, randomLevel());
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
        x.prev = null;
        x.next = null;
        if (x.up != null) {
            Arrays.fill(x.up, null);
        }
        link(x);
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
    // Score ranges

    private boolean intersects(ScoreRange range) {
        if (range.isEmpty() || tail == null) {
            return false;
        }
        return range.aboveMin(tail.score) && range.belowMax(header.next.score);
    }

    /** The first node within the range, or null (Redis's zslFirstInRange). */
    public Node firstInRange(ScoreRange range) {
        if (!intersects(range)) {
            return null;
        }
        Node p = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = p.forward(i)) != null && !range.aboveMin(f.score)) {
                p = f;
            }
        }
        Node x = p.next;
        return x != null && range.belowMax(x.score) ? x : null;
    }

    /** The last node within the range, or null (Redis's zslLastInRange). */
    public Node lastInRange(ScoreRange range) {
        if (!intersects(range)) {
            return null;
        }
        Node p = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = p.forward(i)) != null && range.belowMax(f.score)) {
                p = f;
            }
        }
        return p != header && range.aboveMin(p.score) ? p : null;
    }

    // ------------------------------------------------------------------------------------------
    // Lex ranges

    private boolean intersects(LexRange range) {
        if (range.isEmpty() || tail == null) {
            return false;
        }
        return range.aboveMin(tail.member) && range.belowMax(header.next.member);
    }

    /** The first node within the lex range, or null (Redis's zslFirstInLexRange). */
    public Node firstInLexRange(LexRange range) {
        if (!intersects(range)) {
            return null;
        }
        Node p = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = p.forward(i)) != null && !range.aboveMin(f.member)) {
                p = f;
            }
        }
        Node x = p.next;
        return x != null && range.belowMax(x.member) ? x : null;
    }

    /** The last node within the lex range, or null (Redis's zslLastInLexRange). */
    public Node lastInLexRange(LexRange range) {
        if (!intersects(range)) {
            return null;
        }
        Node p = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = p.forward(i)) != null && range.belowMax(f.member)) {
                p = f;
            }
        }
        return p != header && range.aboveMin(p.member) ? p : null;
    }

    // ------------------------------------------------------------------------------------------
    // Range deletion: each removed node is passed to onRemove (to drop it from the index).

    /** Removes every node within the score range (Redis's zslDeleteRangeByScore). */
    public long deleteRangeByScore(ScoreRange range, Consumer<Node> onRemove) {
        Node[] update = new Node[MAX_LEVEL];
        Node p = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = p.forward(i)) != null && !range.aboveMin(f.score)) {
                p = f;
            }
            update[i] = p;
        }
        long removed = 0;
        Node x = p.next;
        while (x != null && range.belowMax(x.score)) {
            Node next = x.next;
            unlink(x, update);
            onRemove.accept(x);
            removed++;
            x = next;
        }
        return removed;
    }

    /** Removes every node within the lex range (Redis's zslDeleteRangeByLex). */
    public long deleteRangeByLex(LexRange range, Consumer<Node> onRemove) {
        Node[] update = new Node[MAX_LEVEL];
        Node p = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = p.forward(i)) != null && !range.aboveMin(f.member)) {
                p = f;
            }
            update[i] = p;
        }
        long removed = 0;
        Node x = p.next;
        while (x != null && range.belowMax(x.member)) {
            Node next = x.next;
            unlink(x, update);
            onRemove.accept(x);
            removed++;
            x = next;
        }
        return removed;
    }

    /** Removes the nodes of 1-based ranks start..end inclusive (Redis's zslDeleteRangeByRank). */
    public long deleteRangeByRank(long start, long end, Consumer<Node> onRemove) {
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
