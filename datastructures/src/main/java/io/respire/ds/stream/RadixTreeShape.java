package io.respire.ds.stream;

import java.util.Collection;

/**
 * How many nodes Redis's radix tree (rax.c) has when it holds a given set of stream node keys:
 * the figure XINFO STREAM shows as radix-tree-nodes. Keys are IDs as 16 big-endian bytes, so no
 * key is a prefix of another.
 *
 * <p>A rax is a byte trie whose chains of single-child nodes are compressed into one node. In the
 * trie of the keys, a node therefore exists in the rax when it is the root, when its parent
 * branches (has two or more children), or when it does not continue a chain itself (it has no
 * child, or several). A node with one child whose parent has one child is inside a compressed
 * node. Redis keeps the tree in that canonical shape through insertions and deletions (checked
 * against redis-server with random node sets); counting it from the sorted keys costs O(16 n)
 * and is only done for XINFO.
 */
final class RadixTreeShape {
    private static final int KEY_BYTES = 16;

    private RadixTreeShape() {
    }

    /** Nodes of the rax holding {@code sortedKeys} (ascending); 1 (the root) when empty. */
    static long nodeCount(Collection<StreamId> sortedKeys) {
        int n = sortedKeys.size();
        if (n == 0) {
            return 1;
        }
        byte[][] keys = new byte[n][];
        int i = 0;
        for (StreamId id : sortedKeys) {
            keys[i++] = encode(id);
        }
        return count(keys, 0, n, 0, true, false);
    }

    /** The rax nodes in the subtree of the trie node that keys[lo, hi) share at {@code depth}. */
    private static long count(byte[][] keys, int lo, int hi, int depth, boolean root, boolean onlyChild) {
        if (depth == KEY_BYTES) {
            return 1; // the key's own node, without children
        }
        int children = 0;
        for (int i = lo; i < hi; i = groupEnd(keys, i, hi, depth)) {
            children++;
        }
        long total = root || !onlyChild || children != 1 ? 1 : 0;
        for (int i = lo; i < hi; ) {
            int end = groupEnd(keys, i, hi, depth);
            total += count(keys, i, end, depth + 1, false, children == 1);
            i = end;
        }
        return total;
    }

    /** The end of the run of keys from {@code from} that have the same byte at {@code depth}. */
    private static int groupEnd(byte[][] keys, int from, int hi, int depth) {
        int i = from + 1;
        while (i < hi && keys[i][depth] == keys[from][depth]) {
            i++;
        }
        return i;
    }

    /** Redis's streamEncodeID: ms then seq, big-endian. */
    static byte[] encode(StreamId id) {
        byte[] b = new byte[KEY_BYTES];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (id.ms() >>> (56 - 8 * i));
            b[8 + i] = (byte) (id.seq() >>> (56 - 8 * i));
        }
        return b;
    }
}
