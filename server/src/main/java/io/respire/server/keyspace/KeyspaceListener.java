package io.respire.server.keyspace;

import io.respire.ds.keyspace.Database;

/**
 * What hangs off the write gate ({@link io.respire.server.ServerContext#keyModified}): told of every
 * change of a key, once the change is made. WATCH and blocked clients listen today; keyspace
 * notifications, client tracking, snapshots and the replication stream are further listeners, not
 * new call sites in the commands.
 */
public interface KeyspaceListener {

    /**
     * Redis's signalModifiedKey: {@code key} changed ({@code event} is null for a change Redis does
     * not notify).
     */
    default void keyModified(Database db, byte[] key, KeyEvent event) {
    }

    /**
     * Redis's notifyKeyspaceEvent alone: a change that is notified without signalling the key (a
     * stream's consumer-group bookkeeping), and every {@link #keyModified} that has an event.
     */
    default void keyNotified(Database db, byte[] key, KeyEvent event) {
    }

    /**
     * The contents of {@code db} are about to be replaced all at once: emptied (FLUSHDB, FLUSHALL:
     * {@code with} null) or exchanged with those of {@code with} (SWAPDB).
     */
    default void databaseReplaced(Database db, Database with) {
    }
}
