package io.respire.server.multi;

import io.respire.server.command.CommandSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * One client's transaction: Redis's {@code multiState} with the CLIENT_MULTI, CLIENT_DIRTY_EXEC
 * and CLIENT_DIRTY_CAS flags, and the keys the client WATCHes (its {@code watched_keys}). The
 * dispatcher queues commands here between MULTI and EXEC; EXEC (TransactionCommands) runs them;
 * {@link WatchedKeys} marks the transaction dirty when a watched key changes.
 */
public final class MultiState {
    /** A command queued by MULTI, already looked up and checked (arity, NO_MULTI...). */
    public record Queued(byte[][] argv, CommandSpec cmd) {
    }

    /**
     * Our estimate of what one queued command costs besides its arguments' bytes: the Queued
     * record and the list slot holding it (Redis counts a multiCmd per allocated slot).
     */
    private static final int QUEUED_BYTES = 32;
    /** And per argument: the byte[] header and the argv slot pointing at it. */
    private static final int ARGUMENT_BYTES = 24;

    private boolean active;
    private final List<Queued> queued = new ArrayList<>(0);
    /** What the queued commands hold (see {@link #queuedBytes}). */
    private long queuedBytes;
    /** The union of the queued commands' flags (Redis's mstate.cmd_flags), for EXEC's checks. */
    private long flags;
    /** The union of the complements of their flags (Redis's mstate.cmd_inv_flags): what some lacks. */
    private long invertedFlags;
    private boolean dirtyExec;
    private boolean dirtyCas;
    /** The keys this client watches; the registry holds the same entries by key. */
    final List<WatchedKeys.Watch> watches = new ArrayList<>(0);

    /** Whether the client is between MULTI and EXEC/DISCARD. */
    public boolean active() {
        return active;
    }

    /** MULTI. */
    public void begin() {
        active = true;
    }

    /**
     * Queues a command, whose flags for this call are {@code commandFlags} (an EVAL's or FCALL's
     * are its script's, as Redis's getCommandFlags); nothing is kept once the transaction is
     * bound to fail (as Redis).
     */
    public void queue(byte[][] argv, CommandSpec cmd, long commandFlags) {
        if (dirtyExec || dirtyCas) {
            return;
        }
        queued.add(new Queued(argv, cmd));
        queuedBytes += QUEUED_BYTES;
        for (byte[] arg : argv) {
            queuedBytes += ARGUMENT_BYTES + arg.length;
        }
        flags |= commandFlags;
        invertedFlags |= ~commandFlags;
    }

    /** The queued commands, in order (a copy: running them may end the transaction). */
    public List<Queued> queued() {
        return List.copyOf(queued);
    }

    public int size() {
        return queued.size();
    }

    /**
     * The memory the queued commands hold (Redis's mstate.argv_len_sums plus its multiCmd slots),
     * for multi-mem in CLIENT LIST and client eviction: a transaction that queues more than
     * maxmemory-clients gets its client evicted.
     */
    public long queuedBytes() {
        return queuedBytes;
    }

    /** How many keys the client watches. */
    public int watchCount() {
        return watches.size();
    }

    /** Whether any queued command has {@code flagBit} (a {@code CommandFlag.bit}). */
    public boolean anyQueuedHas(long flagBit) {
        return (flags & flagBit) != 0;
    }

    /** Whether some queued command lacks {@code flagBit}: EXEC is then refused where that command would be. */
    public boolean anyQueuedLacks(long flagBit) {
        return (invertedFlags & flagBit) != 0;
    }

    /** An error while queueing (Redis's flagTransaction): EXEC will abort. Ignored outside MULTI. */
    public void flagError() {
        if (active) {
            dirtyExec = true;
        }
    }

    public boolean dirtyExec() {
        return dirtyExec;
    }

    /** A watched key changed (CLIENT_DIRTY_CAS): EXEC will reply a null array. */
    void markDirty() {
        dirtyCas = true;
    }

    public boolean dirtyCas() {
        return dirtyCas;
    }

    /** UNWATCH forgets an earlier change along with the keys. */
    void clearDirtyCas() {
        dirtyCas = false;
    }

    public boolean watching() {
        return !watches.isEmpty();
    }

    /** Leaves the transaction state; {@link WatchedKeys#discard} also unwatches the keys. */
    void clear() {
        active = false;
        queued.clear();
        queuedBytes = 0;
        flags = 0;
        invertedFlags = 0;
        dirtyExec = false;
        dirtyCas = false;
    }
}
