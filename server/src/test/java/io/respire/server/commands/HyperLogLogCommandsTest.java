package io.respire.server.commands;

import io.respire.server.EmbeddedServerTest;
import io.respire.server.InfoFields;
import io.respire.server.RespTestClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HyperLogLog commands end to end; expected replies and values were checked against Redis 7.0.15. */
class HyperLogLogCommandsTest extends EmbeddedServerTest {

    private static final String WRONGTYPE = "(error) WRONGTYPE Operation against a key holding the wrong kind of value";
    private static final String NOT_HLL = "(error) WRONGTYPE Key is not a valid HyperLogLog string value.";
    private static final String INVALID = "(error) INVALIDOBJ Corrupted HLL object detected";

    /** Redis's value after PFADD of "e4:0" .. "e4:9" to a new key (from sequences.txt). */
    private static final String TEN_ELEMENTS = "48594c4c0100000000000000000000804169884ae5904b16944c158448078048aa8040508440f18440f480457f84440d";

    /** The raw bytes of the string at {@code key}. */
    private byte[] getBytes(String key) throws Exception {
        byte[] raw = c.callRaw("GET", key);
        int header = indexOfCrlf(raw);
        int length = Integer.parseInt(new String(raw, 1, header - 1, StandardCharsets.US_ASCII));
        return Arrays.copyOfRange(raw, header + 2, header + 2 + length);
    }

    private static int indexOfCrlf(byte[] raw) {
        for (int i = 0; ; i++) {
            if (raw[i] == '\r') {
                return i;
            }
        }
    }

    private void setBytes(String key, byte[] value) throws Exception {
        assertEquals("OK", c.call("SET", key, value));
    }

    @Test
    void pfaddCreatesAndReportsChanges() throws Exception {
        assertEquals("(integer) 1", call("PFADD hll"));
        assertEquals("(integer) 1", call("EXISTS hll"));
        assertEquals("(integer) 0", call("PFADD hll"));
        assertEquals("(integer) 0", call("PFCOUNT hll"));
        assertEquals("(integer) 1", call("PFADD hll a b c"));
        assertEquals("(integer) 0", call("PFADD hll a b c"));
        assertEquals("(integer) 1", c.call("PFADD", "hll", ""));
        assertEquals("(integer) 4", call("PFCOUNT hll"));
        assertEquals("string", call("TYPE hll"));
        assertEquals("raw", call("OBJECT ENCODING hll"));
        assertTrue(Long.parseLong(call("MEMORY USAGE hll").replace("(integer) ", "")) > 0);
    }

    @Test
    void pfaddBuildsRedisSparseLayout() throws Exception {
        call("PFADD hll a b c");
        assertEquals("Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603", call("PFDEBUG DECODE hll"));
        for (int i = 0; i < 10; i++) {
            c.call("PFADD", "ten", "e4:" + i);
        }
        assertEquals(TEN_ELEMENTS, HexFormat.of().formatHex(getBytes("ten")));
    }

    /** The cached cardinality lives in the header: valid after PFCOUNT, stale after a change. */
    @Test
    void pfcountCachesInTheHeader() throws Exception {
        call("PFADD hll a b c");
        assertEquals("(integer) 3", call("PFCOUNT hll"));
        byte[] v = getBytes("hll");
        assertEquals(3, v[8]);
        assertEquals(0, v[15]);
        call("PFADD hll a b c");
        assertEquals(0, getBytes("hll")[15]);
        call("PFADD hll 1 2 3");
        assertEquals((byte) 0x80, getBytes("hll")[15]);
        assertEquals("(integer) 6", call("PFCOUNT hll"));
        assertEquals("(integer) 0", call("PFCOUNT missing"));
    }

    /** A value taken from Redis counts the same here and keeps working. */
    @Test
    void valuesFromRedisWork() throws Exception {
        setBytes("ten", HexFormat.of().parseHex(TEN_ELEMENTS));
        assertEquals("(integer) 10", call("PFCOUNT ten"));
        for (int i = 0; i < 10; i++) {
            assertEquals("(integer) 0", c.call("PFADD", "ten", "e4:" + i));
        }
        assertEquals("(integer) 1", c.call("PFADD", "ten", "e4:10"));
    }

    /** A short value SET is "embstr"; a single-key PFCOUNT or PFDEBUG unshares it ("raw"), a union does not. */
    @Test
    void encodingAsForAString() throws Exception {
        byte[] empty = HexFormat.of().parseHex("48594c4c0100000000000000000000007fff");
        setBytes("small", empty);
        assertEquals("embstr", call("OBJECT ENCODING small"));
        assertEquals("(integer) 0", call("PFCOUNT small small"));
        assertEquals("embstr", call("OBJECT ENCODING small"));
        assertEquals("(integer) 0", call("PFCOUNT small"));
        assertEquals("raw", call("OBJECT ENCODING small"));
        setBytes("small", empty);
        assertEquals("sparse", call("PFDEBUG ENCODING small"));
        assertEquals("raw", call("OBJECT ENCODING small"));
    }

    @Test
    void pfcountOfSeveralKeysCountsTheUnion() throws Exception {
        call("PFADD h1 a b c");
        call("PFADD h2 b c d");
        call("PFADD h3 c d e");
        assertEquals("(integer) 5", call("PFCOUNT h1 h2 h3 missing"));
        assertEquals("(integer) 0", call("PFCOUNT missing1 missing2"));
        byte[] before = getBytes("h1");
        call("PFCOUNT h1 h2");
        assertArrayEquals(before, getBytes("h1")); // no cache written for a union
        assertEquals("(integer) 0", call("EXISTS missing"));
    }

    @Test
    void pfmergeWritesTheUnionIncludingTheDestination() throws Exception {
        call("PFADD h1 a b c");
        call("PFADD h2 b c d");
        assertEquals("OK", call("PFMERGE dest h1 h2"));
        assertEquals("(integer) 4", call("PFCOUNT dest"));
        assertEquals("sparse", call("PFDEBUG ENCODING dest"));
        assertEquals("OK", call("PFMERGE h1 h2 missing"));
        assertEquals("(integer) 4", call("PFCOUNT h1"));
        assertEquals("OK", call("PFMERGE empty"));
        assertEquals("Z:16384", call("PFDEBUG DECODE empty"));
        // One dense source makes the destination dense.
        call("PFADD d x y");
        call("PFDEBUG TODENSE d");
        assertEquals("OK", call("PFMERGE sp h2 d"));
        assertEquals("dense", call("PFDEBUG ENCODING sp"));
        assertEquals("(integer) 5", call("PFCOUNT sp"));
        assertEquals(call("PFCOUNT h2 d"), call("PFCOUNT sp"));
    }

    @Test
    void pfdebugSubcommands() throws Exception {
        call("PFADD hll a");
        String registers = call("PFDEBUG GETREG hll");
        String[] values = registers.substring(1, registers.length() - 1).split(", ");
        assertEquals(16384, values.length);
        assertEquals("(integer) 2", values[12711]); // "a" hashes to register 12711 with a run of 2
        assertEquals("dense", call("PFDEBUG ENCODING hll")); // GETREG converts
        assertEquals("(error) ERR HLL encoding is not sparse", call("PFDEBUG DECODE hll"));
        assertEquals("(integer) 0", call("PFDEBUG TODENSE hll"));
        call("PFADD sp a");
        assertEquals("(integer) 1", call("PFDEBUG todense sp"));
        assertEquals("(error) ERR Unknown PFDEBUG subcommand 'foo'", call("PFDEBUG foo hll"));
        assertEquals("(error) ERR The specified key does not exist", call("PFDEBUG foo missing"));
        assertEquals("(error) ERR The specified key does not exist", call("PFDEBUG GETREG missing"));
        call("SET str hello");
        assertEquals(NOT_HLL, call("PFDEBUG GETREG str"));
        StringCommandsTest.storeNonString(server, "list");
        assertEquals(WRONGTYPE, call("PFDEBUG ENCODING list"));
        assertEquals("(error) ERR wrong number of arguments for 'pfdebug' command", call("PFDEBUG GETREG"));
    }

    @Test
    void pfselftestPasses() throws Exception {
        assertEquals("OK", call("PFSELFTEST"));
    }

    @Test
    void wrongTypesAndInvalidValues() throws Exception {
        call("SET foo bar");
        assertEquals(NOT_HLL, call("PFADD foo 1"));
        assertEquals(NOT_HLL, call("PFCOUNT foo"));
        assertEquals(NOT_HLL, call("PFCOUNT missing foo"));
        assertEquals(NOT_HLL, call("PFMERGE bar foo"));
        assertEquals(NOT_HLL, call("PFMERGE foo bar"));
        assertEquals("(integer) 0", call("EXISTS bar")); // nothing written on an error
        StringCommandsTest.storeNonString(server, "list");
        assertEquals(WRONGTYPE, call("PFADD list 1"));
        assertEquals(WRONGTYPE, call("PFCOUNT list"));
        assertEquals(WRONGTYPE, call("PFMERGE list"));
    }

    /** The Tcl suite's corruptions: bytes appended, magic broken, encoding unknown, dense of the wrong length. */
    @Test
    void corruptedValuesAreDetected() throws Exception {
        call("PFADD hll a b c");
        call("APPEND hll hello");
        assertEquals(INVALID, call("PFCOUNT hll"));
        assertEquals(INVALID, call("PFCOUNT hll hll"));
        assertEquals(INVALID, call("PFMERGE other hll"));
        assertEquals(INVALID, call("PFDEBUG GETREG hll"));
        call("DEL hll");
        call("PFADD hll a b c");
        call("SETRANGE hll 0 0123");
        assertEquals(NOT_HLL, call("PFCOUNT hll"));
        call("DEL hll");
        call("PFADD hll a b c");
        call("SETRANGE hll 4 x");
        assertEquals(NOT_HLL, call("PFCOUNT hll"));
        call("DEL hll");
        call("PFADD hll a b c");
        c.call("SETRANGE", "hll", "4", new byte[] {0});
        assertEquals(NOT_HLL, call("PFCOUNT hll"));
        // A sparse header with no registers: PFADD cannot find the register.
        byte[] headerOnly = Arrays.copyOf(HexFormat.of().parseHex(TEN_ELEMENTS), 16);
        setBytes("empty", headerOnly);
        assertEquals(INVALID, call("PFADD empty x"));
    }

    @Test
    void sparseMaxBytesPromotes() throws Exception {
        assertEquals("[hll-sparse-max-bytes, 3000]", call("CONFIG GET hll-sparse-max-bytes"));
        assertEquals("OK", call("CONFIG SET hll-sparse-max-bytes 0"));
        try {
            call("PFADD hll");
            assertEquals("sparse", call("PFDEBUG ENCODING hll"));
            call("PFADD hll a");
            assertEquals("dense", call("PFDEBUG ENCODING hll"));
        } finally {
            call("CONFIG SET hll-sparse-max-bytes 3000");
        }
    }

    /** The dirty counter moves as Redis's server.dirty. */
    @Test
    void changesCountedAsRedisCountsThem() throws Exception {
        assertEquals(4, InfoFields.changesMadeBy(c, "PFADD", "h", "a", "b", "c")); // creation + 3 registers
        assertEquals(0, InfoFields.changesMadeBy(c, "PFADD", "h", "a"));
        assertEquals(1, InfoFields.changesMadeBy(c, "PFCOUNT", "h")); // the cache written
        assertEquals(0, InfoFields.changesMadeBy(c, "PFCOUNT", "h")); // read from the cache
        assertEquals(0, InfoFields.changesMadeBy(c, "PFCOUNT", "h", "h"));
        assertEquals(1, InfoFields.changesMadeBy(c, "PFMERGE", "m", "h"));
        assertEquals(1, InfoFields.changesMadeBy(c, "PFDEBUG", "GETREG", "h")); // converted to dense
        assertEquals(0, InfoFields.changesMadeBy(c, "PFDEBUG", "GETREG", "h"));
        assertEquals(1, InfoFields.changesMadeBy(c, "PFDEBUG", "TODENSE", "m"));
        assertEquals(0, InfoFields.changesMadeBy(c, "PFDEBUG", "ENCODING", "m"));
    }

    /** PFDEBUG's conversion to dense is not signalled, but used_memory must still see the 12 KB value. */
    @Test
    void pfdebugTodenseIsAccountedInUsedMemory() throws Exception {
        call("PFADD todense:h a b c");
        long before = InfoFields.number(c, "used_memory");
        assertEquals("(integer) 1", call("PFDEBUG TODENSE todense:h"));
        long grown = InfoFields.number(c, "used_memory") - before;
        assertTrue(grown > 12_000, "used_memory grew by " + grown);
        call("DEL todense:h");
    }

    /** Refreshing the cache changes the string, so it touches watched keys; a cached read does not. */
    @Test
    void pfcountRefreshingTheCacheTouchesWatchers() throws Exception {
        call("PFADD h a");
        call("WATCH h");
        try (RespTestClient other = new RespTestClient(server.port())) {
            other.call("PFCOUNT", "h");
        }
        call("MULTI");
        call("PING");
        assertEquals("(nil)", call("EXEC"));
        call("WATCH h");
        try (RespTestClient other = new RespTestClient(server.port())) {
            other.call("PFCOUNT", "h");
        }
        call("MULTI");
        call("PING");
        assertEquals("[PONG]", call("EXEC"));
    }
}
