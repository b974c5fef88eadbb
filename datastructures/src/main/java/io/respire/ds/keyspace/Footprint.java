package io.respire.ds.keyspace;

import io.respire.ds.util.Accounted;

/**
 * The rule by which the keyspace keeps a running total of the bytes its values hold, without ever
 * walking the data: a value is measured when it is first stored, its figure is remembered in it
 * ({@link Accounted}), and when it changes in place the total moves by the difference.
 *
 * <p>Measuring is exact ({@link ValueTypes#memoryUsage}) and O(1) for strings and compact
 * encodings (listpacks, intsets, the few nodes of a short list). An exact measure of a large
 * collection visits every element (or node), so after an in-place change its figure is instead
 * extrapolated from the last exact measure in proportion to the measuring cost (elements or
 * nodes), and measured exactly again once the changes since then reach 1/{@value #REMEASURE_FRACTION}
 * of that cost, or the cost has doubled or halved: each walk is paid for by the changes before it
 * (O(1) amortized per change), and the figure cannot drift far. (A change that keeps the element
 * count but grows an element, such as overwriting a field of a large hash with a bigger value,
 * is seen at the next exact measure.)
 */
public final class Footprint {
    private Footprint() {
    }

    /** At or under this measuring cost a value is always measured exactly. */
    static final int EXACT_COST = 32;
    /** A large value is measured exactly after this fraction of its cost in changes. */
    static final int REMEASURE_FRACTION = 8;

    /**
     * A value being stored under a key: measured (or, if it was stored before and only moves, as
     * RENAME and MOVE do, brought up to date); returns the bytes the total now holds for it.
     */
    static long account(Object value) {
        if (value instanceof Accounted a && a.measuredBytes() > 0) {
            reaccount(value);
            return a.accountedBytes();
        }
        long bytes = ValueTypes.memoryUsage(value);
        if (value instanceof Accounted a) {
            a.measured(bytes, ValueTypes.measureCost(value));
        }
        return bytes;
    }

    /** The bytes the total holds for a stored value. */
    static long accounted(Object value) {
        return value instanceof Accounted a ? a.accountedBytes() : ValueTypes.memoryUsage(value);
    }

    /**
     * A stored value changed in place: measures it again (exactly or by extrapolation, see the
     * class comment), remembers the new figure and returns the difference.
     */
    static long reaccount(Object value) {
        if (!(value instanceof Accounted a)) {
            return 0; // byte[] strings never change in place
        }
        long before = a.accountedBytes();
        long cost = ValueTypes.measureCost(value);
        long last = Math.max(1, a.measuredCost());
        if (cost <= EXACT_COST || (long) (a.unmeasuredChanges() + 1) * REMEASURE_FRACTION >= cost
                || cost >= 2 * last || 2 * cost <= last) {
            a.measured(ValueTypes.memoryUsage(value), cost);
        } else {
            a.estimated((long) ((double) a.measuredBytes() * cost / last));
        }
        return a.accountedBytes() - before;
    }
}
