package io.respire.server.replication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one stream of write effects that the AOF and the replicas consume (Redis's also_propagate,
 * alsoPropagate, propagatePendingCommands and afterCommand in server.c).
 *
 * <p>While a top-level command runs (with the commands EXEC or a script runs inside it), its
 * effects collect here as pending ops: the command's own arguments, or the form it rewrote them
 * to, added by the dispatcher when the command changed the dataset, and the extra ops a command,
 * lazy expiry or a served blocked client add. When the top-level call ends the ops go to the
 * consumers, wrapped in MULTI ... EXEC if there is more than one, so that a transaction or a
 * script is applied atomically by whoever reads the stream.
 *
 * <p>With no consumer attached nothing is collected: {@link #active()} is false and every entry
 * point returns at once, so the hot path pays one field read.
 */
public final class Propagation {
    /** Targets of an op (Redis's PROPAGATE_AOF and PROPAGATE_REPL; redis.set_repl uses the same bits). */
    public static final int AOF = 1;
    public static final int REPL = 2;
    public static final int ALL = AOF | REPL;

    private static final byte[][] MULTI = {"MULTI".getBytes(StandardCharsets.US_ASCII)};
    private static final byte[][] EXEC = {"EXEC".getBytes(StandardCharsets.US_ASCII)};


    private final List<EffectsListener> consumers = new ArrayList<>();
    /** The union of the consumers' targets: 0 while nobody listens. */
    private int targets;
    /**
     * The pending ops, in order: what to run, against which database, for which consumers. In
     * arrays rather than an object per op: a write would otherwise allocate one while an AOF or a
     * backlog is on.
     */
    private int[] pendingDb = new int[8];
    private byte[][][] pendingArgv = new byte[8][][];
    private int[] pendingTarget = new int[8];
    private int pendingCount;
    /** Nesting of calls (Redis's in_nested_call): ops are emitted when the outermost call ends. */
    private int depth;
    /** While an AOF loads, its commands run without being propagated (Redis calls their proc directly). */
    private boolean suspended;

    /** Whether anything consumes effects; if not, commands need not prepare rewritten forms. */
    public boolean active() {
        return targets != 0 && !suspended;
    }

    /** Whether an op for {@code target} would reach a consumer (Redis's shouldPropagate). */
    public boolean wants(int target) {
        return (targets & target) != 0 && !suspended;
    }

    /** Stops (or resumes) propagation: what runs meanwhile reaches no consumer. */
    public void suspend(boolean on) {
        suspended = on;
    }

    public void attach(EffectsListener consumer) {
        consumers.add(consumer);
        targets |= consumer.targets();
    }

    public void detach(EffectsListener consumer) {
        consumers.remove(consumer);
        targets = 0;
        for (EffectsListener l : consumers) {
            targets |= l.targets();
        }
    }

    /**
     * Adds an op to emit after the current command (Redis's alsoPropagate). {@code argv} is kept,
     * not copied: its arrays must not change afterwards.
     */
    public void alsoPropagate(int db, int target, byte[]... argv) {
        if (wants(target)) {
            if (pendingCount == pendingDb.length) {
                int n = pendingCount * 2;
                pendingDb = Arrays.copyOf(pendingDb, n);
                pendingArgv = Arrays.copyOf(pendingArgv, n);
                pendingTarget = Arrays.copyOf(pendingTarget, n);
            }
            pendingDb[pendingCount] = db;
            pendingArgv[pendingCount] = argv;
            pendingTarget[pendingCount] = target;
            pendingCount++;
        }
    }

    /** A call begins (the dispatcher's call, a served blocked client). */
    public void enter() {
        depth++;
    }

    /** A call ends; returns whether it was the outermost one. */
    public boolean exit() {
        return --depth == 0;
    }

    /** Whether the running call is inside another (a command of EXEC or of a script: Redis's in_exec). */
    public boolean nestedCall() {
        return depth > 1;
    }

    /** Whether a call is running, so that what is added now is emitted when it ends. */
    public boolean inCall() {
        return depth > 0;
    }

    /**
     * Emits the pending ops (Redis's propagatePendingCommands): one op alone, several wrapped in
     * MULTI/EXEC unless {@code noTransaction} (a command that touches arbitrary keys, or the active
     * expiry cycle, whose DELs are independent). MULTI takes the first op's database and EXEC the
     * last one's, so that no SELECT lands between them needlessly.
     */
    public void flush(boolean noTransaction) {
        int n = pendingCount;
        if (n == 0) {
            return;
        }
        boolean transaction = n > 1 && !noTransaction;
        if (transaction) {
            emit(pendingDb[0], MULTI, ALL);
        }
        for (int i = 0; i < n; i++) {
            emit(pendingDb[i], pendingArgv[i], pendingTarget[i]);
            pendingArgv[i] = null;
        }
        if (transaction) {
            emit(pendingDb[n - 1], EXEC, ALL);
        }
        pendingCount = 0;
    }

    private void emit(int db, byte[][] argv, int target) {
        for (EffectsListener consumer : consumers) {
            if ((consumer.targets() & target) != 0) {
                consumer.propagate(db, argv);
            }
        }
    }
}
