package io.respire.ds.stream;

/**
 * An entry delivered to a consumer of a group and not yet acknowledged: Redis's streamNACK. The
 * same object is in the group's pending list and in its consumer's.
 */
public final class PendingEntry {
    long deliveryTime;
    long deliveryCount;
    Consumer consumer;

    PendingEntry(Consumer consumer, long deliveryTime) {
        this.consumer = consumer;
        this.deliveryTime = deliveryTime;
        this.deliveryCount = 1;
    }

    /** When it was last delivered, in Unix milliseconds. */
    public long deliveryTime() {
        return deliveryTime;
    }

    /** How many times it was delivered. */
    public long deliveryCount() {
        return deliveryCount;
    }

    /** The consumer it was last delivered to; null only for an entry XCLAIM FORCE is creating. */
    public Consumer consumer() {
        return consumer;
    }

    public void deliveryTime(long ms) {
        deliveryTime = ms;
    }

    public void deliveryCount(long count) {
        deliveryCount = count;
    }
}
