package io.respire.server.persistence.aof;

import io.respire.ds.hash.HashValue;
import io.respire.ds.keyspace.Database;
import io.respire.ds.keyspace.Dict;
import io.respire.ds.list.QuickList;
import io.respire.ds.listpack.ValueSink;
import io.respire.ds.set.SetValue;
import io.respire.ds.stream.Consumer;
import io.respire.ds.stream.ConsumerGroup;
import io.respire.ds.stream.PendingEntry;
import io.respire.ds.stream.Stream;
import io.respire.ds.stream.StreamCursor;
import io.respire.ds.stream.StreamId;
import io.respire.ds.string.MutableString;
import io.respire.ds.util.Numbers;
import io.respire.ds.zset.ZSetValue;
import io.respire.persistence.aof.AofCommandWriter;
import io.respire.persistence.aof.CommandBuffer;
import io.respire.protocol.DoubleFormat;
import io.respire.scripting.Functions;
import io.respire.server.ServerContext;
import io.respire.server.persistence.SnapshotFormat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The dataset as the commands that rebuild it (Redis's rewriteAppendOnlyFileRio, the base file
 * with aof-use-rdb-preamble no): FUNCTION LOAD for each library, then per database SELECT and,
 * per key, SET, RPUSH, SADD, ZADD or HMSET with at most 64 items per command, a stream as XADDs,
 * XSETID and its groups' XGROUP CREATE, XCLAIM and XGROUP CREATECONSUMER, and PEXPIREAT for a
 * key with a time to live. A {@link SnapshotFormat}, so that a rewrite walks the dataset as a
 * BGSAVE does; the commands are passed on to the output every 64 KB. On the executor.
 */
final class CommandBase implements SnapshotFormat {
    /** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
    private static final int ITEMS_PER_CMD = 64;

    private final Spill out;

    /** Starts a base into {@code sink}: the timestamp annotation (aof-timestamp-enabled) and the libraries. */
    CommandBase(ServerContext server, OutputStream sink) {
        this.out = new Spill(sink);
        if (server.config().aofTimestampEnabled.value()) {
            AofCommandWriter.timestamp(out, System.currentTimeMillis() / 1000);
        }
        for (Functions.Library library : server.scripting().functions().libraries()) {
            AofCommandWriter.append(out, new byte[][] {word("FUNCTION"), word("LOAD"), library.code()});
        }
    }

    /** The whole dataset as it is now into {@code sink}, at once (the rewrite at start, as Redis's synchronous one). */
    static void write(ServerContext server, OutputStream sink) throws IOException {
        try {
            CommandBase base = new CommandBase(server, sink);
            for (int i = 0; i < server.databaseCount(); i++) {
                Database db = server.database(i);
                if (db.size() > 0) {
                    base.select(i, db.size(), db.expiresSize(), false);
                    db.forEachEntry(base::key);
                }
            }
            base.end();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void select(int db, long size, long expires, boolean again) {
        AofCommandWriter.append(out, new byte[][] {word("SELECT"), Numbers.toBytes(db)});
    }

    @Override
    public void key(Dict.Entry e) {
        writeValue(out, e.key(), e.value());
        if (e.expireAt() != -1) {
            AofCommandWriter.append(out, new byte[][] {word("PEXPIREAT"), e.key(), Numbers.toBytes(e.expireAt())});
        }
    }

    @Override
    public void end() {
        out.spill();
    }

    @Override
    public long written() {
        return out.passed + out.size();
    }

    /** A command buffer that passes every 64 KB it gathers on to a stream (a large argument directly). */
    private static final class Spill extends CommandBuffer {
        private static final int SIZE = 1 << 16;
        private final OutputStream sink;
        long passed;

        Spill(OutputStream sink) {
            super(SIZE);
            this.sink = sink;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (len < SIZE) {
                super.write(b, off, len);
                return;
            }
            spill();
            pass(b, off, len);
        }

        @Override
        protected boolean spill() {
            pass(buf, 0, count);
            count = 0;
            return true;
        }

        private void pass(byte[] b, int off, int len) {
            try {
                sink.write(b, off, len);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            passed += len;
        }
    }

    private static void writeValue(CommandBuffer out, byte[] key, Object value) {
        if (value instanceof byte[] b) {
            AofCommandWriter.append(out, new byte[][] {word("SET"), key, b});
        } else if (value instanceof MutableString m) {
            AofCommandWriter.append(out, new byte[][] {word("SET"), key, m.toBytes()});
        } else if (value instanceof QuickList list) {
            Batches b = new Batches(out, "RPUSH", key, list.size());
            QuickList.Iter it = list.iterator(true);
            while (it.next()) {
                b.add(it.value());
            }
        } else if (value instanceof SetValue set) {
            Batches b = new Batches(out, "SADD", key, set.size());
            set.forEach(b::add);
        } else if (value instanceof ZSetValue zset) {
            Batches b = new Batches(out, "ZADD", key, zset.size());
            zset.forEach((member, score) -> b.add(DoubleFormat.g17(score).getBytes(StandardCharsets.US_ASCII), member));
        } else if (value instanceof HashValue hash) {
            Batches b = new Batches(out, "HMSET", key, hash.size());
            HashValue.Cursor c = hash.cursor();
            while (c.next()) {
                b.add(c.field(), c.value());
            }
        } else if (value instanceof Stream s) {
            writeStream(out, key, s);
        } else {
            throw new IllegalStateException("no command form for " + value.getClass().getSimpleName());
        }
    }

    /** Variadic commands of at most 64 items each (an item is a member, or a score and member...). */
    private static final class Batches {
        private final CommandBuffer out;
        private final byte[] command;
        private final byte[] key;
        private long itemsLeft;
        private final List<byte[]> argv = new ArrayList<>();
        private int items;

        Batches(CommandBuffer out, String command, byte[] key, long size) {
            this.out = out;
            this.command = word(command);
            this.key = key;
            this.itemsLeft = size;
        }

        void add(byte[]... item) {
            if (items == 0) {
                argv.clear();
                argv.add(command);
                argv.add(key);
            }
            argv.addAll(Arrays.asList(item));
            items++;
            itemsLeft--;
            if (items == ITEMS_PER_CMD || itemsLeft == 0) {
                AofCommandWriter.append(out, argv.toArray(new byte[0][]));
                items = 0;
            }
        }
    }

    /** Redis's rewriteStreamObject. */
    private static void writeStream(CommandBuffer out, byte[] key, Stream s) {
        if (s.length() > 0) {
            StreamCursor cursor = s.cursor(StreamId.MIN, StreamId.MAX, false);
            while (cursor.next()) {
                List<byte[]> argv = new ArrayList<>(List.of(word("XADD"), key, id(cursor.id())));
                cursor.entry().forEachFieldAndValue(new ValueSink() {
                    @Override
                    public void bytes(byte[] array, int offset, int length) {
                        argv.add(Arrays.copyOfRange(array, offset, offset + length));
                    }

                    @Override
                    public void integer(long value) {
                        argv.add(Numbers.toBytes(value));
                    }
                });
                AofCommandWriter.append(out, argv.toArray(new byte[0][]));
            }
        } else {
            // An empty stream: XADD MAXLEN 0 creates it with one entry and trims it away at once.
            AofCommandWriter.append(out, new byte[][] {word("XADD"), key, word("MAXLEN"), word("0"),
                    id(new StreamId(0, 1)), word("x"), word("y")});
        }
        AofCommandWriter.append(out, new byte[][] {word("XSETID"), key, id(s.lastId()), word("ENTRIESADDED"),
                Numbers.toBytes(s.entriesAdded()), word("MAXDELETEDID"), id(s.maxDeletedId())});
        for (Map.Entry<byte[], ConsumerGroup> e : s.groups().entrySet()) {
            ConsumerGroup g = e.getValue();
            AofCommandWriter.append(out, new byte[][] {word("XGROUP"), word("CREATE"), key, e.getKey(),
                    id(g.lastId()), word("ENTRIESREAD"), Numbers.toBytes(g.entriesRead())});
            for (Consumer c : g.consumers()) {
                if (c.pendingCount() == 0) {
                    AofCommandWriter.append(out, new byte[][] {word("XGROUP"), word("CREATECONSUMER"), key,
                            e.getKey(), c.name()});
                    continue;
                }
                for (Map.Entry<StreamId, PendingEntry> p : c.pending().entrySet()) {
                    AofCommandWriter.append(out, new byte[][] {word("XCLAIM"), key, e.getKey(), c.name(), word("0"),
                            id(p.getKey()), word("TIME"), Numbers.toBytes(p.getValue().deliveryTime()),
                            word("RETRYCOUNT"), Numbers.toBytes(p.getValue().deliveryCount()), word("JUSTID"),
                            word("FORCE")});
                }
            }
        }
    }

    private static byte[] id(StreamId id) {
        return (Long.toUnsignedString(id.ms()) + "-" + Long.toUnsignedString(id.seq())).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] word(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
