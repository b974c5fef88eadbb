package io.respire.server.replication;

/**
 * A consumer of the stream of propagated effects (Redis's feedAppendOnlyFile and
 * replicationFeedSlaves): the AOF and the replicas' feed implement it. It is handed each effect
 * once the top-level command that caused it has finished, in execution order, already in the form
 * Redis propagates (rewritten, wrapped in MULTI/EXEC where Redis wraps). Selecting the database is
 * the consumer's business ({@link DbSelector}), since each keeps its own "last selected" database.
 */
public interface EffectsListener {
    /** Which targets this consumer takes: {@link Propagation#AOF}, {@link Propagation#REPL} or both. */
    int targets();

    /** One effect: {@code argv} to run against database {@code db}. The arrays must not be changed. */
    void propagate(int db, byte[][] argv);
}
