package io.respire.ds.stream;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A consumer group of a stream: Redis's streamCG. It remembers the last ID delivered and how many
 * entries it has read (entries-read, {@link #INVALID_ENTRIES_READ} when not known), and keeps the
 * group's pending entries list (PEL) ordered by ID, and its consumers ordered by name as Redis's
 * radix tree orders them (bytes compared unsigned, a prefix first). Every pending entry is in the
 * group's PEL and in the PEL of the consumer it was last delivered to.
 */
public final class ConsumerGroup {
    /** Redis's SCG_INVALID_ENTRIES_READ: the group's read counter is not known. */
    public static final long INVALID_ENTRIES_READ = -1;

    StreamId lastId;
    long entriesRead;
    final TreeMap<StreamId, PendingEntry> pending = new TreeMap<>();
    final TreeMap<byte[], Consumer> consumers = new TreeMap<>(Arrays::compareUnsigned);

    ConsumerGroup(StreamId lastId, long entriesRead) {
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    public StreamId lastId() {
        return lastId;
    }

    public void lastId(StreamId id) {
        lastId = id;
    }

    public long entriesRead() {
        return entriesRead;
    }

    public void entriesRead(long n) {
        entriesRead = n;
    }

    // ------------------------------------------------------------------------------------------
    // Consumers

    /** The consumer of that name, or null; its seen-time is the caller's to refresh. */
    public Consumer consumer(byte[] name) {
        return consumers.get(name);
    }

    /** Creates a consumer seen {@code now}; null if one of that name exists. */
    public Consumer createConsumer(byte[] name, long now) {
        if (consumers.containsKey(name)) {
            return null;
        }
        Consumer c = new Consumer(name.clone(), now);
        consumers.put(c.name, c);
        return c;
    }

    /** Deletes a consumer and its pending entries from the group (streamDelConsumer). */
    public void deleteConsumer(Consumer c) {
        for (StreamId id : c.pending.keySet()) {
            pending.remove(id);
        }
        consumers.remove(c.name);
    }

    /** The consumers by name: read only. */
    public Collection<Consumer> consumers() {
        return Collections.unmodifiableCollection(consumers.values());
    }

    public int consumerCount() {
        return consumers.size();
    }

    // ------------------------------------------------------------------------------------------
    // Pending entries

    /** The group's pending entries by ID: read only. */
    public NavigableMap<StreamId, PendingEntry> pending() {
        return Collections.unmodifiableNavigableMap(pending);
    }

    public int pendingCount() {
        return pending.size();
    }

    public PendingEntry pendingEntry(StreamId id) {
        return pending.get(id);
    }

    /**
     * Records that entry {@code id} was delivered to {@code consumer} by XREADGROUP: a new
     * pending entry, or, if another delivery of it is pending (the group's last ID was moved back
     * with SETID), that one passes to {@code consumer} with its count restarted at one.
     */
    public void deliver(StreamId id, Consumer consumer, long now) {
        PendingEntry nack = pending.get(id);
        if (nack == null) {
            nack = new PendingEntry(consumer, now);
            pending.put(id, nack);
        } else {
            nack.consumer.pending.remove(id);
            nack.consumer = consumer;
            nack.deliveryTime = now;
            nack.deliveryCount = 1;
        }
        consumer.pending.put(id, nack);
    }

    /** XACK of one ID: whether it was pending (it no longer is). */
    public boolean acknowledge(StreamId id) {
        PendingEntry nack = pending.remove(id);
        if (nack == null) {
            return false;
        }
        nack.consumer.pending.remove(id);
        return true;
    }

    /**
     * A pending entry for {@code id} that belongs to no consumer yet, as XCLAIM FORCE makes it
     * before handing it to the claiming consumer with {@link #transfer}.
     */
    public PendingEntry createUnowned(StreamId id, long now) {
        PendingEntry nack = new PendingEntry(null, now);
        pending.put(id, nack);
        return nack;
    }

    /** Makes {@code consumer} the owner of the pending entry {@code id}. */
    public void transfer(StreamId id, PendingEntry nack, Consumer consumer) {
        if (nack.consumer == consumer) {
            return;
        }
        if (nack.consumer != null) {
            nack.consumer.pending.remove(id);
        }
        consumer.pending.put(id, nack);
        nack.consumer = consumer;
    }

    ConsumerGroup copy() {
        ConsumerGroup g = new ConsumerGroup(lastId, entriesRead);
        for (Consumer c : consumers.values()) {
            Consumer d = new Consumer(c.name.clone(), c.seenTime);
            g.consumers.put(d.name, d);
            for (var e : c.pending.entrySet()) {
                PendingEntry n = new PendingEntry(d, e.getValue().deliveryTime);
                n.deliveryCount = e.getValue().deliveryCount;
                d.pending.put(e.getKey(), n);
                g.pending.put(e.getKey(), n);
            }
        }
        // Entries without an owner exist only during an XCLAIM, never between commands.
        return g;
    }

    /** Heap bytes: the object, its maps' entries, pending entries and consumers' names. */
    long memoryUsage() {
        long bytes = 64 + (long) pending.size() * (TREE_ENTRY + ID + PENDING);
        for (Consumer c : consumers.values()) {
            bytes += TREE_ENTRY + CONSUMER + 16 + ((c.name.length + 7) & ~7) + 48
                    + (long) c.pending.size() * TREE_ENTRY;
        }
        return bytes;
    }

    /** A TreeMap entry: header, key, value, three links and the colour. */
    static final int TREE_ENTRY = 40;
    /** A StreamId: header and two longs. */
    static final int ID = 32;
    private static final int PENDING = 32;
    private static final int CONSUMER = 32;
}
