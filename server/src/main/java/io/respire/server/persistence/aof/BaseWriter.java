package io.respire.server.persistence.aof;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Writes the base file of an AOF rewrite: the dataset as it is when {@link #start} is called, to
 * a temporary file, as an RDB marked aof-base (aof-use-rdb-preamble yes) or as commands. The AOF
 * knows nothing of how the dataset is walked ({@link SnapshotBaseWriter}: a point-in-time
 * snapshot written in slices for an RDB base, the dataset serialized on the executor for a command
 * base).
 */
public interface BaseWriter {
    /**
     * Starts writing; called on the executor, which must see no change to the dataset between
     * this call and the moment the snapshot is taken. {@code done} runs later on the executor,
     * with whether the file is complete and on disk, unless the write was {@link #abort()}ed.
     */
    void start(Path temp, boolean rdb, Consumer<Boolean> done);

    /** Writes the base now, on the executor (a base made at start); false if it failed. */
    boolean writeNow(Path temp, boolean rdb);

    /** Gives up the write in progress, if any (Redis's killAppendOnlyChild): its done is not called. */
    void abort();

    /**
     * aof_last_cow_size: the memory the last completed base cost beside the dataset (the values a
     * snapshot recorded because a write reached them first, or a base serialized in one go).
     */
    long lastCopiedBytes();
}
