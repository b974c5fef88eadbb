package io.respire.ds.zset;

/**
 * What the sorted set needs of a range, whether of scores ({@link ScoreRange}) or of members
 * ({@link LexRange}): each entry is tested as a (score, member) pair, and the one test serves the
 * skiplist walks and the listpack scans alike.
 */
interface EntryRange {
    /** Whether no entry at all can be in the range. */
    boolean isEmpty();

    /** Whether the entry is not below the range. */
    boolean aboveMin(double score, byte[] member);

    /** Whether the entry is not above the range. */
    boolean belowMax(double score, byte[] member);
}
