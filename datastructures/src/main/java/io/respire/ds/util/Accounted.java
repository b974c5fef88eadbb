package io.respire.ds.util;

/**
 * What the keyspace's memory accounting remembers about a value that can change in place (every
 * value type but the immutable {@code byte[]} string): the bytes it counts for it now, and its
 * last exact measure. The keyspace adds and subtracts these figures as values come, change and
 * go, so that its running total never needs a walk of the data (see
 * {@code io.respire.ds.keyspace.Footprint}). Values know nothing else of it.
 */
public abstract class Accounted {
    /** The bytes the keyspace's total holds for this value now. */
    private long accountedBytes;
    /** The bytes of the last exact measure; 0 before the value was ever measured. */
    private long measuredBytes;
    /** The cost of measuring the value (elements or nodes, see Footprint) at the last exact measure. */
    private int measuredCost;
    /** In-place changes since the last exact measure. */
    private int unmeasuredChanges;

    public final long accountedBytes() {
        return accountedBytes;
    }

    public final long measuredBytes() {
        return measuredBytes;
    }

    public final int measuredCost() {
        return measuredCost;
    }

    public final int unmeasuredChanges() {
        return unmeasuredChanges;
    }

    /** An exact measure: the total now holds {@code bytes}, for a value that cost {@code cost} to measure. */
    public final void measured(long bytes, long cost) {
        accountedBytes = bytes;
        measuredBytes = bytes;
        measuredCost = (int) Math.min(cost, Integer.MAX_VALUE);
        unmeasuredChanges = 0;
    }

    /** An estimate after an in-place change: the total now holds {@code bytes}. */
    public final void estimated(long bytes) {
        accountedBytes = bytes;
        unmeasuredChanges++;
    }
}
