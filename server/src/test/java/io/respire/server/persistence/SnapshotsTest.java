package io.respire.server.persistence;

import io.respire.server.InfoFields;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SAVE, BGSAVE and what follows from their outcome (Snapshots): the change counter, LASTSAVE, a
 * save in progress refusing another, FLUSHALL dropping it, and the MISCONF refusal of writes after
 * a failed background save.
 */
class SnapshotsTest {
    @TempDir
    Path dir;

    private RespireServer start(String... extra) {
        String[] args = new String[extra.length + 6];
        System.arraycopy(new String[] {"--port", "0", "--dir", dir.toString(), "--enable-debug-command", "yes"}, 0,
                args, 0, 6);
        System.arraycopy(extra, 0, args, 6, extra.length);
        return RespireServer.start(args);
    }

    /** Waits (bounded by the polls, not by time) for the background save to end. */
    private static void awaitBackgroundSave(RespTestClient c) throws IOException, InterruptedException {
        InfoFields.awaitZero(c, "rdb_bgsave_in_progress");
    }

    @Test
    void saveWritesTheFileAndResetsTheChangeCounter() throws Exception {
        try (RespireServer server = start(); RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("SET", "a", "1"));
            assertEquals("OK", c.call("SET", "b", "2"));
            assertEquals(2, InfoFields.number(c, "rdb_changes_since_last_save"));
            assertEquals("OK", c.call("SAVE"));
            assertEquals(0, InfoFields.number(c, "rdb_changes_since_last_save"));
            assertTrue(Files.size(dir.resolve("dump.rdb")) > 9);
            assertTrue(Long.parseLong(c.call("LASTSAVE").substring("(integer) ".length())) >= System.currentTimeMillis() / 1000 - 5);
        }
    }

    /** With sanitize-dump-payload yes, Redis sanitizes a loaded file's blobs too, and counts them. */
    @Test
    void aLoadUnderSanitizeYesCountsItsBlobs() throws Exception {
        try (RespireServer server = start(); RespTestClient c = new RespTestClient(server.port())) {
            c.call("RPUSH", "list", "a", "b"); // one packed node
            c.call("HSET", "hash", "f", "v"); // a listpack
            c.call("SADD", "ints", "1", "2"); // an intset
            c.call("SET", "str", "x"); // no blob
            assertEquals("OK", c.call("DEBUG", "RELOAD"));
            assertEquals(0, InfoFields.number(c, "dump_payload_sanitizations"), "sanitize-dump-payload no");
            assertEquals("OK", c.call("CONFIG", "SET", "sanitize-dump-payload", "yes"));
            assertEquals("OK", c.call("DEBUG", "RELOAD"));
            assertEquals(3, InfoFields.number(c, "dump_payload_sanitizations"));
        }
    }

    @Test
    void aBackgroundSaveRefusesAnotherAndFlushallDropsIt() throws Exception {
        try (RespireServer server = start(); RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("DEBUG", "POPULATE", "100"));
            assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "1000000")); // a second per key
            assertEquals("Background saving started", c.call("BGSAVE"));
            assertEquals("(error) ERR Background save already in progress", c.call("BGSAVE"));
            assertEquals("(error) ERR Background save already in progress", c.call("SAVE"));
            assertEquals("OK", c.call("FLUSHALL"));
            awaitBackgroundSave(c);
            assertFalse(Files.exists(dir.resolve("dump.rdb")), "the dropped save wrote no file");
            assertEquals("ok", InfoFields.get(c, "rdb_last_bgsave_status"));
            assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "0"));
            assertEquals("(error) ERR syntax error", c.call("BGSAVE", "NOW"));
            assertEquals("Background saving started", c.call("BGSAVE", "SCHEDULE"));
            awaitBackgroundSave(c);
            assertTrue(Files.exists(dir.resolve("dump.rdb")));
        }
    }

    /**
     * Redis's updateDictResizePolicy: while a background save runs, tables do not shrink (nor
     * grow or rehash by less than five times their size), the keyspace's and the collections' alike.
     */
    @Test
    void tablesHoldOffResizingWhileABackgroundSaveRuns() throws Exception {
        try (RespireServer server = start(); RespTestClient c = new RespTestClient(server.port())) {
            for (int i = 0; i < 200; i++) {
                c.call("SADD", "set", "m:" + i);
            }
            while (c.call("DEBUG", "HTSTATS-KEY", "set").contains("rehashing target")) {
                c.call("SRANDMEMBER", "set", "10"); // random draws move buckets, as in Redis
            }
            assertTrue(c.call("DEBUG", "HTSTATS-KEY", "set").contains(" table size: 256\n"));
            assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "1000000")); // a second per key
            assertEquals("Background saving started", c.call("BGSAVE"));
            for (int i = 0; i < 190; i++) {
                c.call("SREM", "set", "m:" + i); // 10 left in 256 buckets: under 10% full
            }
            String during = c.call("DEBUG", "HTSTATS-KEY", "set");
            assertTrue(during.contains(" table size: 256\n number of elements: 10\n") && !during.contains("rehashing"), during);
            awaitBackgroundSave(c);
            assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "0"));
            c.call("SREM", "set", "m:190");
            String after = c.call("DEBUG", "HTSTATS-KEY", "set");
            assertTrue(after.contains("Hash table 1 stats (rehashing target):\n"), after); // shrinking now
        }
    }

    @Test
    void aBackgroundSaveInsideExecIsScheduledForAfterTheTransaction() throws Exception {
        try (RespireServer server = start(); RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("MULTI"));
            assertEquals("QUEUED", c.call("SET", "a", "1"));
            assertEquals("QUEUED", c.call("BGSAVE"));
            assertEquals("QUEUED", c.call("SET", "b", "2"));
            assertEquals("[OK, Background saving scheduled, OK]", c.call("EXEC"));
            for (int i = 0; i < 500 && !Files.exists(dir.resolve("dump.rdb")); i++) {
                Thread.sleep(20); // the cron starts it
            }
            awaitBackgroundSave(c);
            assertEquals("OK", c.call("SET", "c", "after the save"));
            assertEquals("OK", c.call("DEBUG", "RELOAD", "NOSAVE"));
            assertEquals("(integer) 2", c.call("DBSIZE"), "the file has both writes of the transaction, and no more");
        }
    }

    /** functions.tcl "test debug reload different options": NOFLUSH without MERGE refuses what is there. */
    @Test
    void debugReloadNoflushRefusesLibrariesAndKeysAlreadyThereUnlessMerge() throws Exception {
        try (RespireServer server = start(); RespTestClient c = new RespTestClient(server.port())) {
            String lib = "#!lua name=test\nredis.register_function('test', function() return 'hello' end)";
            assertEquals("test", c.call("FUNCTION", "LOAD", lib));
            String refused = "(error) ERR Error trying to load the RDB dump, check server logs.";
            assertEquals(refused, c.call("DEBUG", "RELOAD", "NOFLUSH"));
            assertEquals("OK", c.call("DEBUG", "RELOAD", "NOFLUSH", "MERGE"));
            assertEquals("hello", c.call("FCALL", "test", "0"));

            assertEquals("OK", c.call("FUNCTION", "FLUSH"));
            assertEquals("OK", c.call("SET", "k", "v"));
            assertEquals(refused, c.call("DEBUG", "RELOAD", "NOFLUSH")); // Redis panics on the duplicated key
            assertEquals("v", c.call("GET", "k"));
            assertEquals("OK", c.call("SET", "k", "newer"));
            assertEquals("OK", c.call("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"));
            assertEquals("v", c.call("GET", "k"), "the file's value replaces the one in memory");
        }
    }

    @Test
    void aSaveAbortedFromAnotherThreadLeavesTheTablesFreeForTheNextOne() throws Exception {
        try (RespireServer server = start(); RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("DEBUG", "POPULATE", "10"));
            assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "10000000")); // 10 s per key
            assertEquals("Background saving started", c.call("BGSAVE"));
            for (int i = 0; i < 500 && InfoFields.number(c, "current_save_keys_processed") == 0; i++) {
                Thread.sleep(10); // the first slice: the next one is 10 s away
            }
            server.context().snapshots().abortBackgroundSave(); // as a SIGTERM's handler does, off the executor
            awaitBackgroundSave(c);
            assertEquals("OK", c.call("CONFIG", "SET", "rdb-key-save-delay", "0"));
            assertEquals("Background saving started", c.call("BGSAVE"));
            awaitBackgroundSave(c);
            assertEquals("ok", InfoFields.get(c, "rdb_last_bgsave_status"));
            assertTrue(Files.exists(dir.resolve("dump.rdb")));
        }
    }

    @Test
    void aFailedBackgroundSaveStopsWritesUntilOneSucceeds() throws Exception {
        try (RespireServer server = start("--save", "3600 1"); RespTestClient c = new RespTestClient(server.port())) {
            Files.createDirectory(dir.resolve("dump.rdb")); // the file cannot be renamed over a directory
            assertEquals("OK", c.call("SET", "x", "1"));
            assertEquals("Background saving started", c.call("BGSAVE"));
            awaitBackgroundSave(c);
            assertEquals("err", InfoFields.get(c, "rdb_last_bgsave_status"));
            assertTrue(c.call("SET", "x", "2").startsWith("(error) MISCONF Redis is configured to save RDB snapshots"));
            assertTrue(c.call("EVAL", "return redis.call('set', 'x', 3)", "0").contains("MISCONF"));
            assertEquals("1", c.call("GET", "x"));
            assertEquals("OK", c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "no"));
            assertEquals("OK", c.call("SET", "x", "4"));
            assertEquals("OK", c.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes"));
            Files.delete(dir.resolve("dump.rdb"));
            assertEquals("Background saving started", c.call("BGSAVE"));
            awaitBackgroundSave(c);
            assertEquals("ok", InfoFields.get(c, "rdb_last_bgsave_status"));
            assertEquals("OK", c.call("SET", "x", "5"));
        }
    }

    @Test
    void debugReloadKeepsTheDataAndShutdownAbortNeedsAPendingShutdown() throws Exception {
        try (RespireServer server = start(); RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("DEBUG", "POPULATE", "1000"));
            assertEquals("(integer) 3", c.call("RPUSH", "l", "a", "b", "c"));
            String digest = c.call("DEBUG", "DIGEST");
            assertEquals("OK", c.call("DEBUG", "RELOAD"));
            assertEquals(digest, c.call("DEBUG", "DIGEST"));
            assertEquals("(error) ERR No shutdown in progress.", c.call("SHUTDOWN", "ABORT"));
        }
    }
}
