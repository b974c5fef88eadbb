package io.respire.ds.zset;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * The ordered half of a large sorted set, where Redis has its zskiplist: an order-statistic
 * B+ tree of {@link Node}s ordered by (score, member bytes). {@link ZSetValue} pairs it with a
 * hash index from member to node.
 *
 * <p>Why a B+ tree rather than a skip list: a skip-list search visits some 30 nodes scattered
 * over the heap, a cache miss each, where this tree reads one or two leaf pages, since the upper
 * pages of a tree this shallow (three levels for a million members) stay in cache. Leaves keep
 * the scores next to the nodes in a {@code double[]}, so that searches compare scores without
 * touching a node; member bytes are read only between equal scores. Inner pages count the nodes
 * under each child, which gives ranks in O(log n) as the skip list's spans do.
 *
 * <p>A node keeps its identity for its whole life in the tree, including across score updates
 * ({@link #updateScore} re-inserts the same node), so the hash index never needs fixing. Pages
 * other than the root are rebalanced (borrowing from or merging with a sibling) when they fall
 * below half full; appends at the end of the last leaf start a new leaf instead of splitting the
 * full one in halves, so that scores that only grow (timestamps) fill their leaves.
 */
final class ScoreTree {
    /** Slots of a page: nodes in a leaf, children in an inner page. */
    static final int CAPACITY = 64;
    /** A page other than the root below this many slots takes from or merges with a sibling. */
    private static final int MIN_FILL = CAPACITY / 2;

    /** A member and its score. Read-only outside this package. */
    public static final class Node {
        final byte[] member;
        double score;

        Node(byte[] member, double score) {
            this.member = member;
            this.score = score;
        }

        public byte[] member() {
            return member;
        }

        public double score() {
            return score;
        }
    }

    /** A leaf: nodes in order, their scores alongside, and links to the neighbouring leaves. */
    static final class Leaf {
        final Node[] nodes = new Node[CAPACITY];
        final double[] scores = new double[CAPACITY];
        int size;
        Leaf prev;
        Leaf next;
    }

    /**
     * An inner page: its children, how many nodes each holds, and each child's lower bound: every
     * key under child j is at or above bound j and every key under child j - 1 below it. Bounds
     * are copies (a node's score changes) and need not be keys still present. Bound 0 is the
     * page's own lower bound, which its parent also holds; the root's is unused.
     */
    static final class Inner {
        final Object[] kids = new Object[CAPACITY];
        final int[] counts = new int[CAPACITY];
        final double[] lowScores = new double[CAPACITY];
        final byte[][] lowMembers = new byte[CAPACITY][];
        int size;
    }

    /** A position in the tree, which walks in either direction; invalid past either end. */
    static final class Cursor {
        private Leaf leaf;
        private int index;

        private Cursor(Leaf leaf, int index) {
            this.leaf = leaf;
            this.index = index;
        }

        boolean valid() {
            return leaf != null;
        }

        Node node() {
            return leaf.nodes[index];
        }

        void next() {
            if (++index == leaf.size) {
                leaf = leaf.next;
                index = 0;
            }
        }

        void prev() {
            if (--index < 0) {
                leaf = leaf.prev;
                index = leaf == null ? 0 : leaf.size - 1;
            }
        }

        /** Moves n steps forward, or backward when reverse. */
        void skip(long n, boolean reverse) {
            for (; n > 0 && leaf != null; n--) {
                if (reverse) {
                    prev();
                } else {
                    next();
                }
            }
        }
    }

    private static final Cursor NONE = new Cursor(null, 0);

    private Object root;
    private Leaf head;
    private Leaf tail;
    private int length;

    ScoreTree() {
        Leaf leaf = new Leaf();
        root = leaf;
        head = leaf;
        tail = leaf;
    }

    public int length() {
        return length;
    }

    // ------------------------------------------------------------------------------------------
    // Searches

    /** The index of the first entry of the leaf at or after (score, member). */
    private static int lowerBound(Leaf leaf, double score, byte[] member) {
        int lo = 0;
        int hi = leaf.size;
        double[] scores = leaf.scores;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double s = scores[mid];
            if (s < score || (s == score && Arrays.compareUnsigned(leaf.nodes[mid].member, member) < 0)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The child of an inner page whose keys include (score, member): the last bound at or below it. */
    private static int childFor(Inner page, double score, byte[] member) {
        int lo = 1;
        int hi = page.size;
        double[] lows = page.lowScores;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double s = lows[mid];
            if (s < score || (s == score && Arrays.compareUnsigned(page.lowMembers[mid], member) <= 0)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    /**
     * The first index in [lo, hi) where {@code test} holds, or hi; the test must be false up to
     * some index and true from there on. (The hot searches by key below are written out, so that
     * no lambda stands in their way.)
     */
    private static int firstTrue(int lo, int hi, IntPredicate test) {
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (test.test(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The leaf that holds (or would hold) (score, member). */
    private Leaf leafFor(double score, byte[] member) {
        Object page = root;
        while (page instanceof Inner inner) {
            page = inner.kids[childFor(inner, score, member)];
        }
        return (Leaf) page;
    }

    /** The index of node x in its leaf, found by identity among equal scores; -1 if absent. */
    private static int indexOf(Leaf leaf, Node x) {
        int lo = 0;
        int hi = leaf.size;
        double score = x.score;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (leaf.scores[mid] < score) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int i = lo; i < leaf.size && leaf.scores[i] == score; i++) {
            if (leaf.nodes[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** The 1-based rank of node x, which must be in the tree (Redis's zslGetRank). */
    public long rank(Node x) {
        long rank = 0;
        Object page = root;
        while (page instanceof Inner inner) {
            int j = childFor(inner, x.score, x.member);
            for (int k = 0; k < j; k++) {
                rank += inner.counts[k];
            }
            page = inner.kids[j];
        }
        int i = indexOf((Leaf) page, x);
        if (i < 0) {
            throw new IllegalStateException("node not in the tree");
        }
        return rank + i + 1;
    }

    public Cursor first() {
        return length == 0 ? NONE : new Cursor(head, 0);
    }

    public Cursor last() {
        return length == 0 ? NONE : new Cursor(tail, tail.size - 1);
    }

    /** The node with the lowest (score, member), or null. */
    public Node firstNode() {
        return length == 0 ? null : head.nodes[0];
    }

    /** The node with the highest (score, member), or null. */
    public Node lastNode() {
        return length == 0 ? null : tail.nodes[tail.size - 1];
    }

    /** The position of 1-based {@code rank}; invalid when out of range (Redis's zslGetElementByRank). */
    public Cursor byRank(long rank) {
        if (rank < 1 || rank > length) {
            return NONE;
        }
        Object page = root;
        while (page instanceof Inner inner) {
            int j = 0;
            while (rank > inner.counts[j]) {
                rank -= inner.counts[j];
                j++;
            }
            page = inner.kids[j];
        }
        return new Cursor((Leaf) page, (int) rank - 1);
    }

    // ------------------------------------------------------------------------------------------
    // Score and lex ranges

    private boolean intersects(EntryRange range) {
        if (range.isEmpty() || length == 0) {
            return false;
        }
        Node first = firstNode();
        Node last = lastNode();
        return range.aboveMin(last.score, last.member) && range.belowMax(first.score, first.member);
    }

    /** The first position within the range, or an invalid one (Redis's zslFirstInRange, zslFirstInLexRange). */
    Cursor firstInRange(EntryRange range) {
        if (!intersects(range)) {
            return NONE;
        }
        Object page = root;
        while (page instanceof Inner inner) {
            // The last child whose bound is below the range: the range starts in it or just after.
            page = inner.kids[firstTrue(1, inner.size, k -> range.aboveMin(inner.lowScores[k], inner.lowMembers[k])) - 1];
        }
        Leaf leaf = (Leaf) page;
        int lo = firstTrue(0, leaf.size, k -> range.aboveMin(leaf.scores[k], leaf.nodes[k].member));
        Cursor c = new Cursor(leaf, lo);
        if (lo == leaf.size) {
            c.leaf = leaf.next;
            c.index = 0;
        }
        return c.valid() && range.belowMax(c.node().score, c.node().member) ? c : NONE;
    }

    /** The last position within the range, or an invalid one (Redis's zslLastInRange, zslLastInLexRange). */
    Cursor lastInRange(EntryRange range) {
        if (!intersects(range)) {
            return NONE;
        }
        Object page = root;
        while (page instanceof Inner inner) {
            // The last child whose bound is not above the range: the range ends in it or just before.
            page = inner.kids[firstTrue(1, inner.size, k -> !range.belowMax(inner.lowScores[k], inner.lowMembers[k])) - 1];
        }
        Leaf leaf = (Leaf) page;
        int lo = firstTrue(0, leaf.size, k -> !range.belowMax(leaf.scores[k], leaf.nodes[k].member));
        Cursor c = new Cursor(leaf, lo);
        c.prev();
        return c.valid() && range.aboveMin(c.node().score, c.node().member) ? c : NONE;
    }

    // ------------------------------------------------------------------------------------------
    // Insertion

    /** Inserts a member known to be absent; returns its node. */
    public Node insert(double score, byte[] member) {
        Node x = new Node(member, score);
        link(x);
        return x;
    }

    /** Puts node x (absent from the tree) at the place its score and member give it. */
    private void link(Node x) {
        Object split = insertInto(root, x);
        length++;
        if (split != null) {
            Inner top = new Inner();
            int moved = count(split);
            top.kids[0] = root;
            top.counts[0] = length - moved;
            top.kids[1] = split;
            top.counts[1] = moved;
            top.lowScores[1] = lowScore(split);
            top.lowMembers[1] = lowMember(split);
            top.size = 2;
            root = top;
        }
    }

    /** Inserts x under the page; returns the new right sibling when the page had to split. */
    private Object insertInto(Object page, Node x) {
        if (page instanceof Leaf leaf) {
            int i = lowerBound(leaf, x.score, x.member);
            if (leaf.size < CAPACITY) {
                insertAt(leaf, i, x);
                return null;
            }
            Leaf right = splitLeaf(leaf, i == CAPACITY && leaf == tail ? CAPACITY : CAPACITY / 2);
            if (i <= leaf.size && leaf.size < CAPACITY) {
                insertAt(leaf, i, x);
            } else {
                insertAt(right, i - leaf.size, x);
            }
            return right;
        }
        Inner inner = (Inner) page;
        int j = childFor(inner, x.score, x.member);
        Object split = insertInto(inner.kids[j], x);
        inner.counts[j]++;
        if (split == null) {
            return null;
        }
        int moved = count(split);
        inner.counts[j] -= moved;
        return insertKid(inner, j + 1, split, moved);
    }

    private static void insertAt(Leaf leaf, int i, Node x) {
        int tailCount = leaf.size - i;
        System.arraycopy(leaf.nodes, i, leaf.nodes, i + 1, tailCount);
        System.arraycopy(leaf.scores, i, leaf.scores, i + 1, tailCount);
        leaf.nodes[i] = x;
        leaf.scores[i] = x.score;
        leaf.size++;
    }

    /** Moves the leaf's entries from index {@code from} on into a new leaf linked after it. */
    private Leaf splitLeaf(Leaf leaf, int from) {
        Leaf right = new Leaf();
        int n = leaf.size - from;
        System.arraycopy(leaf.nodes, from, right.nodes, 0, n);
        System.arraycopy(leaf.scores, from, right.scores, 0, n);
        Arrays.fill(leaf.nodes, from, leaf.size, null);
        right.size = n;
        leaf.size = from;
        right.prev = leaf;
        right.next = leaf.next;
        if (leaf.next != null) {
            leaf.next.prev = right;
        } else {
            tail = right;
        }
        leaf.next = right;
        return right;
    }

    /** Puts a child at slot k of the page; returns the new right sibling when the page had to split. */
    private static Inner insertKid(Inner page, int k, Object kid, int count) {
        if (page.size < CAPACITY) {
            insertKidAt(page, k, kid, count);
            return null;
        }
        int half = CAPACITY / 2;
        Inner right = new Inner();
        moveKids(page, half, right, 0, page.size - half);
        right.size = page.size - half;
        Arrays.fill(page.kids, half, page.size, null);
        Arrays.fill(page.lowMembers, half, page.size, null);
        page.size = half;
        if (k <= half) {
            insertKidAt(page, k, kid, count);
        } else {
            insertKidAt(right, k - half, kid, count);
        }
        return right;
    }

    private static void insertKidAt(Inner page, int k, Object kid, int count) {
        moveKids(page, k, page, k + 1, page.size - k);
        page.kids[k] = kid;
        page.counts[k] = count;
        page.lowScores[k] = lowScore(kid);
        page.lowMembers[k] = lowMember(kid);
        page.size++;
    }

    private static void moveKids(Inner from, int fromIndex, Inner to, int toIndex, int n) {
        System.arraycopy(from.kids, fromIndex, to.kids, toIndex, n);
        System.arraycopy(from.counts, fromIndex, to.counts, toIndex, n);
        System.arraycopy(from.lowScores, fromIndex, to.lowScores, toIndex, n);
        System.arraycopy(from.lowMembers, fromIndex, to.lowMembers, toIndex, n);
    }

    private static int count(Object page) {
        if (page instanceof Leaf leaf) {
            return leaf.size;
        }
        Inner inner = (Inner) page;
        int n = 0;
        for (int k = 0; k < inner.size; k++) {
            n += inner.counts[k];
        }
        return n;
    }

    private static int slots(Object page) {
        return page instanceof Leaf leaf ? leaf.size : ((Inner) page).size;
    }

    private static double lowScore(Object page) {
        return page instanceof Leaf leaf ? leaf.scores[0] : ((Inner) page).lowScores[0];
    }

    private static byte[] lowMember(Object page) {
        return page instanceof Leaf leaf ? leaf.nodes[0].member : ((Inner) page).lowMembers[0];
    }

    // ------------------------------------------------------------------------------------------
    // Removal

    /** Removes node x; returns false if it is not in the tree. */
    public boolean delete(Node x) {
        if (!removeFrom(root, x)) {
            return false;
        }
        length--;
        while (root instanceof Inner inner && inner.size == 1) {
            root = inner.kids[0];
        }
        return true;
    }

    private boolean removeFrom(Object page, Node x) {
        if (page instanceof Leaf leaf) {
            int i = indexOf(leaf, x);
            if (i < 0) {
                return false;
            }
            removeAt(leaf, i);
            return true;
        }
        Inner inner = (Inner) page;
        int j = childFor(inner, x.score, x.member);
        if (!removeFrom(inner.kids[j], x)) {
            return false;
        }
        inner.counts[j]--;
        if (slots(inner.kids[j]) < MIN_FILL && inner.size > 1) {
            rebalance(inner, j);
        }
        return true;
    }

    private static void removeAt(Leaf leaf, int i) {
        int tailCount = leaf.size - i - 1;
        System.arraycopy(leaf.nodes, i + 1, leaf.nodes, i, tailCount);
        System.arraycopy(leaf.scores, i + 1, leaf.scores, i, tailCount);
        leaf.nodes[--leaf.size] = null;
    }

    /** Refills child j, fallen below half full, from a sibling, or merges the two. */
    private void rebalance(Inner parent, int j) {
        int i = j > 0 ? j - 1 : j; // the pair (i, i + 1)
        Object left = parent.kids[i];
        Object right = parent.kids[i + 1];
        if (slots(left) + slots(right) <= CAPACITY) {
            merge(parent, i);
        } else if (left instanceof Leaf l) {
            shiftLeaves(parent, i, l, (Leaf) right, j == i);
        } else {
            shiftKids(parent, i, (Inner) left, (Inner) right, j == i);
        }
    }

    /** Merges child i + 1 of the parent into child i. */
    private void merge(Inner parent, int i) {
        if (parent.kids[i] instanceof Leaf left) {
            Leaf right = (Leaf) parent.kids[i + 1];
            System.arraycopy(right.nodes, 0, left.nodes, left.size, right.size);
            System.arraycopy(right.scores, 0, left.scores, left.size, right.size);
            left.size += right.size;
            left.next = right.next;
            if (right.next != null) {
                right.next.prev = left;
            } else {
                tail = left;
            }
        } else {
            Inner left = (Inner) parent.kids[i];
            Inner right = (Inner) parent.kids[i + 1];
            moveKids(right, 0, left, left.size, right.size);
            left.lowScores[left.size] = parent.lowScores[i + 1];
            left.lowMembers[left.size] = parent.lowMembers[i + 1];
            left.size += right.size;
        }
        parent.counts[i] += parent.counts[i + 1];
        moveKids(parent, i + 2, parent, i + 1, parent.size - i - 2);
        parent.size--;
        parent.kids[parent.size] = null;
        parent.lowMembers[parent.size] = null;
    }

    /** Moves one node between sibling leaves i and i + 1: leftward when {@code toLeft}. */
    private static void shiftLeaves(Inner parent, int i, Leaf left, Leaf right, boolean toLeft) {
        if (toLeft) {
            insertAt(left, left.size, right.nodes[0]);
            removeAt(right, 0);
            parent.counts[i]++;
            parent.counts[i + 1]--;
        } else {
            insertAt(right, 0, left.nodes[left.size - 1]);
            removeAt(left, left.size - 1);
            parent.counts[i]--;
            parent.counts[i + 1]++;
        }
        parent.lowScores[i + 1] = right.scores[0];
        parent.lowMembers[i + 1] = right.nodes[0].member;
    }

    /** Moves one child between sibling inner pages i and i + 1, through the parent's bound. */
    private static void shiftKids(Inner parent, int i, Inner left, Inner right, boolean toLeft) {
        if (toLeft) {
            int moved = right.counts[0];
            left.kids[left.size] = right.kids[0];
            left.counts[left.size] = moved;
            left.lowScores[left.size] = parent.lowScores[i + 1];
            left.lowMembers[left.size] = parent.lowMembers[i + 1];
            left.size++;
            parent.lowScores[i + 1] = right.lowScores[1];
            parent.lowMembers[i + 1] = right.lowMembers[1];
            moveKids(right, 1, right, 0, right.size - 1);
            right.size--;
            right.kids[right.size] = null;
            right.lowMembers[right.size] = null;
            parent.counts[i] += moved;
            parent.counts[i + 1] -= moved;
        } else {
            int last = left.size - 1;
            int moved = left.counts[last];
            moveKids(right, 0, right, 1, right.size);
            right.kids[0] = left.kids[last];
            right.counts[0] = moved;
            right.lowScores[1] = parent.lowScores[i + 1];
            right.lowMembers[1] = parent.lowMembers[i + 1];
            right.lowScores[0] = left.lowScores[last];
            right.lowMembers[0] = left.lowMembers[last];
            right.size++;
            parent.lowScores[i + 1] = left.lowScores[last];
            parent.lowMembers[i + 1] = left.lowMembers[last];
            left.kids[last] = null;
            left.lowMembers[last] = null;
            left.size--;
            parent.counts[i] -= moved;
            parent.counts[i + 1] += moved;
        }
    }

    /**
     * Changes the score of node x (Redis's zslUpdateScore): in place when it stays between its
     * neighbours in its leaf, otherwise by removing and re-inserting the same node.
     */
    public void updateScore(Node x, double newScore) {
        Leaf leaf = leafFor(x.score, x.member);
        int i = indexOf(leaf, x);
        if (i > 0 && i < leaf.size - 1 && leaf.scores[i - 1] < newScore && newScore < leaf.scores[i + 1]) {
            x.score = newScore;
            leaf.scores[i] = newScore;
            return;
        }
        delete(x);
        x.score = newScore;
        link(x);
    }

    /**
     * Removes every node within the range (Redis's zslDeleteRangeByScore, zslDeleteRangeByLex),
     * passing each to onRemove; returns how many.
     */
    long deleteRange(EntryRange range, Consumer<Node> onRemove) {
        long removed = 0;
        for (Cursor c = firstInRange(range); c.valid(); c = firstInRange(range)) {
            Node x = c.node();
            delete(x);
            onRemove.accept(x);
            removed++;
        }
        return removed;
    }

    /** Removes the nodes of 1-based ranks start..end inclusive (Redis's zslDeleteRangeByRank). */
    long deleteRangeByRank(long start, long end, Consumer<Node> onRemove) {
        long removed = 0;
        for (long n = end - start + 1; n > 0; n--) {
            Cursor c = byRank(start);
            if (!c.valid()) {
                break;
            }
            Node x = c.node();
            delete(x);
            onRemove.accept(x);
            removed++;
        }
        return removed;
    }

    // ------------------------------------------------------------------------------------------
    // Memory and checks

    /** An estimate of the heap bytes of the pages (not the nodes), compressed references assumed. */
    long pageBytes() {
        return pageBytes(root);
    }

    private static long pageBytes(Object page) {
        if (page instanceof Leaf) {
            return 32 + (16 + 4L * CAPACITY) + (16 + 8L * CAPACITY);
        }
        Inner inner = (Inner) page;
        long bytes = 24 + (16 + 4L * CAPACITY) * 3 + (16 + 8L * CAPACITY);
        for (int k = 0; k < inner.size; k++) {
            bytes += pageBytes(inner.kids[k]);
        }
        return bytes;
    }

    /**
     * Checks every invariant (order, counts, bounds, leaf links, length); throws
     * IllegalStateException naming the first one broken. For tests.
     */
    void verify() {
        int n = verifyPage(root, root, Double.NaN, null, Double.NaN, null);
        if (n != length) {
            throw new IllegalStateException("length " + length + " but " + n + " nodes");
        }
        Node prev = null;
        int walked = 0;
        Leaf prevLeaf = null;
        for (Leaf leaf = head; leaf != null; leaf = leaf.next) {
            if (leaf.prev != prevLeaf) {
                throw new IllegalStateException("bad leaf back link");
            }
            for (int i = 0; i < leaf.size; i++) {
                Node x = leaf.nodes[i];
                if (leaf.scores[i] != x.score) {
                    throw new IllegalStateException("leaf score differs from node score");
                }
                if (prev != null && compare(prev.score, prev.member, x.score, x.member) >= 0) {
                    throw new IllegalStateException("out of order at " + walked);
                }
                prev = x;
                walked++;
            }
            prevLeaf = leaf;
        }
        if (prevLeaf != tail || walked != length) {
            throw new IllegalStateException("leaf chain or tail wrong");
        }
    }

    /** Checks a page whose keys must lie in [low, high) (null members: unbounded); returns its node count. */
    private int verifyPage(Object page, Object top, double lowScore, byte[] lowMember,
                           double highScore, byte[] highMember) {
        if (page instanceof Leaf leaf) {
            if (leaf.size == 0 && page != top) {
                throw new IllegalStateException("empty leaf");
            }
            for (int i = 0; i < leaf.size; i++) {
                Node x = leaf.nodes[i];
                if (lowMember != null && compare(x.score, x.member, lowScore, lowMember) < 0) {
                    throw new IllegalStateException("key below its bound");
                }
                if (highMember != null && compare(x.score, x.member, highScore, highMember) >= 0) {
                    throw new IllegalStateException("key at or above the next bound");
                }
            }
            return leaf.size;
        }
        Inner inner = (Inner) page;
        if (inner.size < (page == top ? 2 : 1)) {
            throw new IllegalStateException("inner page with " + inner.size + " children");
        }
        int total = 0;
        for (int k = 0; k < inner.size; k++) {
            double lo = k == 0 ? lowScore : inner.lowScores[k];
            byte[] loM = k == 0 ? lowMember : inner.lowMembers[k];
            double hi = k + 1 < inner.size ? inner.lowScores[k + 1] : highScore;
            byte[] hiM = k + 1 < inner.size ? inner.lowMembers[k + 1] : highMember;
            int n = verifyPage(inner.kids[k], top, lo, loM, hi, hiM);
            if (n != inner.counts[k]) {
                throw new IllegalStateException("count " + inner.counts[k] + " but " + n + " nodes");
            }
            total += n;
        }
        return total;
    }

    private static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) {
            return -1;
        }
        if (s1 > s2) {
            return 1;
        }
        return Arrays.compareUnsigned(m1, m2);
    }
}
