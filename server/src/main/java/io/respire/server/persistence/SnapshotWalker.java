package io.respire.server.persistence;

import io.respire.ds.keyspace.Database;
import io.respire.ds.keyspace.Dict;
import io.respire.persistence.RdbStreamWriter;
import io.respire.persistence.RdbWriter;
import io.respire.server.ServerContext;
import io.respire.server.config.ServerConfig;
import io.respire.server.keyspace.KeyAccess;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The fork-free background save of docs/design/snapshots.md: the dataset at the instant it starts,
 * serialized on the executor in short slices between client requests, each key exactly once:
 * by the walk, or by the write gate just before a write first reaches it (see
 * {@link Dict.SnapshotGate}), in a {@link SnapshotFormat}: an RDB, or an AOF's command base. The
 * bytes go to an {@link RdbStreamWriter}, whose thread does the checksum and the writes. Keys made
 * after the instant are not in the snapshot; SWAPDB moves no key out of it (each table is walked
 * under the number it had at the instant); a flushed table is left to the walk. Everything here
 * runs on the executor except {@link #abort}.
 */
final class SnapshotWalker implements PointInTimeSnapshot {

    /**
     * How the walk shares the executor: at most {@code entries} keys or {@code nanos} per slice,
     * the next one {@code pauseMicros} later, and no walking while the writer is more than
     * {@code backlogBytes} behind (the gate still writes then: writes are never held back).
     */
    record Pacing(int entries, long nanos, long pauseMicros, long backlogBytes) {
        static final Pacing DEFAULT = new Pacing(2000, 500_000, 0, 8L << 20);

        /** rdb-key-save-delay: one key per slice, the delay between them (the executor stays free). */
        static Pacing keyDelay(long micros) {
            return new Pacing(1, Long.MAX_VALUE, micros, DEFAULT.backlogBytes);
        }
    }

    /** One table of the snapshot and the database number it had at the instant. */
    private final class Table implements Dict.SnapshotGate {
        final int db;
        final Dict dict;
        final long size;
        final long expires;
        long cursor;
        boolean announced;

        Table(int db, Database database) {
            this.db = db;
            this.size = database.size();
            this.expires = database.expiresSize();
            this.dict = database.startSnapshot(this);
        }

        @Override
        public void beforeChange(Dict.Entry e) {
            long before = format.written();
            record(this, e);
            copied += format.written() - before;
        }
    }

    /** The RDB form: header, aux fields and libraries at the instant, then the keys, then EOF. */
    static final class Rdb implements SnapshotFormat {
        private final ServerContext server;
        private final RdbWriter rdb;

        Rdb(ServerContext server, OutputStream out, boolean aofBase) {
            this.server = server;
            this.rdb = new RdbWriter(out, server.config().rdbcompression.value(), false);
            try {
                Snapshots.preamble(server, rdb, aofBase);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // the writer's input only queues
            }
        }

        @Override
        public void select(int db, long size, long expires, boolean again) throws IOException {
            if (again) {
                rdb.selectDb(db);
            } else {
                rdb.selectDb(db, size, expires);
            }
        }

        @Override
        public void key(Dict.Entry e) throws IOException {
            ServerConfig config = server.config();
            long now = server.nowMs();
            rdb.key(e.key(), e.value(), e.expireAt(), KeyAccess.savedIdleSeconds(config, e.lru(), now),
                    KeyAccess.savedFreq(config, e.lru(), now));
        }

        @Override
        public void end() throws IOException {
            rdb.eof();
        }

        @Override
        public long written() {
            return rdb.written();
        }
    }

    private final ServerContext server;
    private final Pacing pacing;
    private final RdbStreamWriter writer;
    private final SnapshotFormat format;
    private final List<Table> tables = new ArrayList<>();
    private int current;
    private Table selected;
    private final long keysTotal;
    private long keysProcessed;
    /** Keys the walk has paused after (rdb-key-save-delay), at most keysTotal. */
    private long keysPaced;
    private long copied;
    private volatile boolean aborted;
    private boolean ended;

    /**
     * Starts the snapshot now (the instant T), on the executor; the walk begins with the next slice.
     * {@code writer} takes the bytes that {@code format} makes of its input.
     */
    SnapshotWalker(ServerContext server, RdbStreamWriter writer, Function<OutputStream, SnapshotFormat> format,
                   Pacing pacing) {
        this.server = server;
        this.pacing = pacing;
        this.writer = writer;
        this.format = format.apply(writer.input());
        long keys = 0;
        for (int i = 0; i < server.databaseCount(); i++) {
            Database db = server.database(i);
            if (db.size() > 0) {
                tables.add(new Table(i, db));
                keys += db.size();
            }
        }
        this.keysTotal = keys;
        schedule(0);
    }

    @Override
    public CompletableFuture<Long> done() {
        return writer.done();
    }

    @Override
    public void abort() {
        aborted = true;
        writer.abort();
        if (server.executor().inEventLoop()) {
            end(false);
        } else {
            // Not at the next slice, which rdb-key-save-delay may put seconds away: a new snapshot
            // may start before then, and the tables must be free of this one's gates by then.
            server.executor().execute(() -> end(false));
        }
    }

    @Override
    public long copiedBytes() {
        return copied;
    }

    @Override
    public long keysProcessed() {
        return keysProcessed;
    }

    @Override
    public long keysTotal() {
        return keysTotal;
    }

    private void schedule(long micros) {
        server.executor().schedule(this::safeSlice, micros, TimeUnit.MICROSECONDS);
    }

    /** A slice whose failure (a bug) fails the save, logged, rather than leaving it running forever. */
    private void safeSlice() {
        try {
            slice();
        } catch (RuntimeException e) {
            server.log().warning("Background snapshot failed: " + e);
            aborted = true;
            writer.fail(e);
            end(false);
        }
    }

    /** One slice of the walk; the last one ends the file. */
    private void slice() {
        if (aborted || ended) {
            end(false);
            return;
        }
        if (writer.backlog() > pacing.backlogBytes()) {
            schedule(Math.max(1000, pacing.pauseMicros())); // let the writer catch up
            return;
        }
        long start = System.nanoTime();
        int budget = pacing.entries();
        int[] recorded = {0};
        while (current < tables.size() && recorded[0] < budget && System.nanoTime() - start < pacing.nanos()) {
            Table t = tables.get(current);
            // A scan step visits one bucket (and its expansions while the table resizes); the
            // entries are recorded as visited: recording only reads them and sets their epoch.
            t.cursor = t.dict.scan(t.cursor, e -> {
                boolean pending = t.dict.snapshotPending(e);
                if (pending) {
                    t.dict.snapshotRecorded(e);
                    record(t, e);
                }
                // rdb-key-save-delay paces as many keys as the instant had, those the write gate
                // recorded first included: Redis's child sleeps after each key whatever the
                // parent does meanwhile, and the suite relies on a save that long.
                if (pending || (pacing.pauseMicros() > 0 && keysPaced < keysTotal)) {
                    recorded[0]++;
                    keysPaced++;
                }
            });
            if (t.cursor == 0) {
                current++;
            }
        }
        if (current < tables.size() || (recorded[0] > 0 && pacing.pauseMicros() > 0)) {
            // rdb-key-save-delay: Redis sleeps after every key, the last one too; the slice after
            // the last pause finds nothing left and ends the file.
            schedule(pacing.pauseMicros());
            return;
        }
        end(true);
        try {
            format.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writer.finish();
    }

    /** Writes one key as it is now, under the database number its table had at the instant. */
    private void record(Table t, Dict.Entry e) {
        try {
            if (selected != t) {
                format.select(t.db, t.size, t.expires, t.announced);
                t.announced = true;
                selected = t;
            }
            format.key(e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        keysProcessed++;
    }

    /** Takes the gates off the tables, once; {@code complete} if every key was recorded. */
    private void end(boolean complete) {
        if (ended) {
            return;
        }
        ended = true;
        for (Table t : tables) {
            t.dict.endSnapshot(complete);
        }
    }
}
