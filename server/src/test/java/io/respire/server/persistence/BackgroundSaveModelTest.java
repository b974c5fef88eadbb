package io.respire.server.persistence;

import io.respire.ds.keyspace.Database;
import io.respire.ds.keyspace.ValueTypes;
import io.respire.persistence.RdbLoader;
import io.respire.server.InfoFields;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import io.respire.server.ServerContext;
import io.respire.server.keyspace.DatasetDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model check of the fork-free background save (docs/design/snapshots.md): writers change,
 * delete, create, rename, move, swap and expire keys of every type throughout a BGSAVE whose walk
 * is slowed to a few keys per slice; the file must load to exactly the dataset at the instant the
 * save started, captured inside the very executor task that starts it.
 */
class BackgroundSaveModelTest {
    private static final int DATABASES = 3;
    private static final int KEYS = 150;

    @TempDir
    Path dir;

    @Test
    void theFileHoldsExactlyTheDatasetAtTheInstantTheSaveStarted() throws Exception {
        try (RespireServer server = RespireServer.start("--port", "0", "--dir", dir.toString(), "--save", "",
                "--enable-debug-command", "yes");
             RespTestClient c = new RespTestClient(server.port())) {
            ServerContext ctx = server.context();
            for (int db = 0; db < DATABASES; db++) {
                c.call("SELECT", String.valueOf(db));
                populate(c, new SplittableRandom(db));
            }
            // Three keys per slice and a pause between slices: the writers get in everywhere (1 ms:
            // on a loaded machine 0.2 ms let the save end after only 10 writes).
            ctx.snapshots().pacing(new SnapshotWalker.Pacing(3, Long.MAX_VALUE, 1000, 8L << 20));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            List<Thread> writers = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int w = 0; w < 3; w++) {
                int seed = w;
                Thread t = new Thread(() -> {
                    try (RespTestClient wc = new RespTestClient(server.port())) {
                        SplittableRandom random = new SplittableRandom(100 + seed);
                        while (!stop.get()) {
                            write(wc, random);
                            writes.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                t.start();
                writers.add(t);
            }
            while (writes.get() < 200) {
                Thread.sleep(5);
            }
            Map<String, String> atStart = ctx.executor().submit(() -> {
                Map<String, String> captured = capture(ctx);
                assertTrue(ctx.snapshots().backgroundSave());
                return captured;
            }).get();
            long writesAtStart = writes.get();
            for (int i = 0; i < 1000 && InfoFields.number(c, "rdb_bgsave_in_progress") == 1; i++) {
                Thread.sleep(10);
            }
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
            assertEquals(List.of(), failures);
            assertEquals(0, InfoFields.number(c, "rdb_bgsave_in_progress"));
            assertEquals("ok", InfoFields.get(c, "rdb_last_bgsave_status"));
            assertEquals(atStart, load(Files.readAllBytes(dir.resolve("dump.rdb"))));
            // What makes the check meaningful: writes came during the save, and reached keys first.
            assertTrue(writes.get() - writesAtStart > 50, "writes during the save: " + (writes.get() - writesAtStart));
            assertTrue(InfoFields.number(c, "rdb_last_cow_size") > 0, "some keys were written before the walk reached them");
        }
    }

    /** Keys of every type and several encodings, a third with a TTL (some short: they expire during the save). */
    private static void populate(RespTestClient c, SplittableRandom random) throws IOException {
        for (int i = 0; i < KEYS; i++) {
            String k = "k" + i;
            int n = 1 + random.nextInt(i % 10 == 0 ? 300 : 8); // some large enough for the non-listpack encodings
            switch (i % 8) {
                case 0 -> c.call("SET", k, "v" + i);
                case 1 -> c.call("SET", k, String.valueOf(i * 1000));
                case 2 -> {
                    for (int j = 0; j < n; j++) {
                        c.call("RPUSH", k, "e" + j);
                    }
                }
                case 3 -> {
                    for (int j = 0; j < n; j++) {
                        c.call("HSET", k, "f" + j, "v" + j);
                    }
                }
                case 4 -> {
                    for (int j = 0; j < n; j++) {
                        c.call("SADD", k, i % 16 == 4 ? String.valueOf(j) : "m" + j);
                    }
                }
                case 5 -> {
                    for (int j = 0; j < n; j++) {
                        c.call("ZADD", k, String.valueOf(j * 1.5), "m" + j);
                    }
                }
                case 6 -> {
                    for (int j = 0; j < n; j++) {
                        c.call("XADD", k, "*", "f", "v" + j);
                    }
                    c.call("XGROUP", "CREATE", k, "g", "0");
                }
                default -> c.call("PFADD", k, "a" + i, "b", "c");
            }
            if (i % 3 == 0) {
                c.call("PEXPIRE", k, String.valueOf(i % 2 == 0 ? 200 + random.nextInt(800) : 10_000_000));
            }
        }
    }

    /** One random write: every kind of change a key can undergo, in any of the databases. */
    private static void write(RespTestClient c, SplittableRandom random) throws IOException {
        c.call("SELECT", String.valueOf(random.nextInt(DATABASES)));
        String k = "k" + random.nextInt(KEYS + 20); // some keys made after the instant
        String other = "k" + random.nextInt(KEYS + 20);
        switch (random.nextInt(30)) {
            case 0 -> c.call("SET", k, "new" + random.nextInt(100));
            case 1 -> c.call("APPEND", k, "+");
            case 2 -> c.call("INCR", k);
            case 3 -> c.call("SETRANGE", k, "1", "zz");
            case 4 -> c.call("DEL", k);
            case 5 -> c.call("PEXPIRE", k, String.valueOf(1 + random.nextInt(300)));
            case 6 -> c.call("PERSIST", k);
            case 7 -> c.call("LPUSH", k, "x");
            case 8 -> c.call("RPOP", k);
            case 9 -> c.call("LSET", k, "0", "set");
            case 10 -> c.call("HSET", k, "f0", "changed", "fnew", "n");
            case 11 -> c.call("HDEL", k, "f1");
            case 12 -> c.call("SADD", k, "added");
            case 13 -> c.call("SPOP", k);
            case 14 -> c.call("ZADD", k, "99", "m0");
            case 15 -> c.call("ZPOPMIN", k);
            case 16 -> c.call("XADD", k, "*", "f", "w");
            case 17 -> c.call("XTRIM", k, "MAXLEN", "2");
            case 18 -> c.call("XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", k, ">");
            case 19 -> c.call("PFADD", k, "z" + random.nextInt(1000));
            case 20 -> c.call("SETBIT", k, "7", "1");
            case 21 -> c.call("RENAME", k, other);
            case 22 -> c.call("MOVE", k, String.valueOf(random.nextInt(DATABASES)));
            case 23 -> c.call("COPY", k, other, "DB", String.valueOf(random.nextInt(DATABASES)), "REPLACE");
            case 24 -> c.call("SWAPDB", String.valueOf(random.nextInt(DATABASES)), String.valueOf(random.nextInt(DATABASES)));
            case 25 -> c.call("EVAL", "redis.call('lpush', KEYS[1], 'lua') return 1", "1", k);
            case 26 -> {
                c.call("MULTI");
                c.call("HINCRBY", k, "f0", "1");
                c.call("SREM", k, "m1");
                c.call("EXEC");
            }
            case 27 -> c.call("SUNIONSTORE", k, other, k);
            case 28 -> c.call("LMOVE", k, other, "LEFT", "RIGHT");
            default -> c.call("GETDEL", k);
        }
    }

    /** Every key of every database: type, digest of the value, expiry. On the executor. */
    private static Map<String, String> capture(ServerContext ctx) {
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < ctx.databaseCount(); i++) {
            int db = i;
            ctx.database(i).forEachEntry(e -> out.put(name(db, e.key()), describe(e.value(), e.expireAt())));
        }
        return out;
    }

    private static Map<String, String> load(byte[] file) {
        Map<String, String> out = new TreeMap<>();
        long[] db = {0};
        RdbLoader.load(file, io.respire.persistence.EncodingLimits.defaults(), true, new RdbLoader.Sink() {
            @Override
            public void function(byte[] code) {
            }

            @Override
            public void selectDb(long id) {
                db[0] = id;
            }

            @Override
            public void key(byte[] key, Object value, long expireAtMs, long idleSeconds, int freq) {
                String previous = out.put(name((int) db[0], key), describe(value, expireAtMs));
                assertEquals(null, previous, "a key written twice");
            }
        });
        return out;
    }

    private static String name(int db, byte[] key) {
        return db + ":" + new String(key, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String describe(Object value, long expireAt) {
        byte[] digest = new byte[20];
        DatasetDigest.value(new Database(0), new byte[0], value, digest);
        return ValueTypes.typeName(value) + " " + HexFormat.of().formatHex(digest) + " expire " + expireAt;
    }
}
