package io.respire.ds.list;

/**
 * Redis's quicklist packed_threshold: a list element of at least this many bytes is kept alone in
 * a "plain" node (its bytes as they are, no listpack around them) instead of a packed one. Redis
 * keeps one threshold for the whole process, which DEBUG QUICKLIST-PACKED-THRESHOLD changes; a
 * server holds one instance and hands it to each of its lists, so a change reaches all of them.
 */
public final class PackedThreshold {
    /** The default, 1 GB. */
    public static final long DEFAULT = 1L << 30;
    /** The largest accepted: Redis refuses 4 GB and anything within 1 MB below it. */
    private static final long MAX = (1L << 32) - (1 << 20);

    private long bytes = DEFAULT;

    public long bytes() {
        return bytes;
    }

    /**
     * Sets the threshold as Redis's quicklistisSetPackedThreshold: 0 restores the default; a size
     * above 4 GB - 1 MB is refused (false, nothing changed).
     */
    public boolean set(long size) {
        if (size < 0 || size > MAX) {
            return false;
        }
        bytes = size == 0 ? DEFAULT : size;
        return true;
    }

    /** Whether an element of {@code size} bytes gets a plain node (Redis's isLargeElement). */
    public boolean isLarge(long size) {
        return size >= bytes;
    }
}
