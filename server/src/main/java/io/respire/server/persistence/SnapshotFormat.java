package io.respire.server.persistence;

import io.respire.ds.keyspace.Dict;

import java.io.IOException;

/**
 * What a point-in-time snapshot's walk writes, key by key, on the executor: an RDB (a BGSAVE, a
 * full sync, an AOF's RDB base) or the commands that rebuild the dataset (an AOF's command base,
 * aof-use-rdb-preamble no). What comes before the first key is written when the format is made,
 * at the snapshot's instant.
 */
public interface SnapshotFormat {
    /**
     * The keys that follow are of database {@code db}: its first time ({@code size} keys and
     * {@code expires} with a TTL at the instant), or again after keys of another database.
     */
    void select(int db, long size, long expires, boolean again) throws IOException;

    /** One key as it is now (the walk or the write gate reach it before anything changed it since the instant). */
    void key(Dict.Entry e) throws IOException;

    /** After the last key. */
    void end() throws IOException;

    /** Bytes made so far (what the write gate copied is counted from it). */
    long written();
}
