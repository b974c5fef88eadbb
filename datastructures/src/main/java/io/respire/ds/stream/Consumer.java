package io.respire.ds.stream;

import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A consumer of a group: Redis 7.0's streamConsumer, its name, when it was last seen (the only
 * time 7.0 keeps; active-time came with 7.2) and its own pending list, ordered by ID, sharing its
 * {@link PendingEntry} objects with the group's.
 */
public final class Consumer {
    final byte[] name;
    long seenTime;
    final TreeMap<StreamId, PendingEntry> pending = new TreeMap<>();

    Consumer(byte[] name, long seenTime) {
        this.name = name;
        this.seenTime = seenTime;
    }

    public byte[] name() {
        return name;
    }

    public long seenTime() {
        return seenTime;
    }

    /** Records activity (Redis refreshes seen-time on every lookup that does not ask otherwise). */
    public void seen(long now) {
        seenTime = now;
    }

    /** This consumer's pending entries, by ID: read only. */
    public NavigableMap<StreamId, PendingEntry> pending() {
        return java.util.Collections.unmodifiableNavigableMap(pending);
    }

    public int pendingCount() {
        return pending.size();
    }
}
