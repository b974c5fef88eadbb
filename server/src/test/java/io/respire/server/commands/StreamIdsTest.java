package io.respire.server.commands;

import io.respire.ds.stream.StreamId;
import io.respire.server.CommandError;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stream IDs read as Redis 7.0.15 reads them (each accepted form checked with XADD on redis-server). */
class StreamIdsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static StreamId strict(String s) {
        return StreamIds.strict(b(s), 0);
    }

    @Test
    void partsAreReadAsStrtoullAcceptsThem() {
        assertEquals(new StreamId(1, 0), strict("1--0"));
        assertEquals(new StreamId(2, 1), strict(" 2-1"));
        assertEquals(new StreamId(3, 2), strict("+3-+2"));
        assertEquals(new StreamId(4, 10), strict("004-0010"));
        assertEquals(new StreamId(5, 1), strict("\t5-1"));
        assertEquals(new StreamId(6, -1L), strict("6-18446744073709551615"));
        assertEquals(new StreamId(7, 1), strict("7-1\0garbage")); // a C string ends at NUL
        assertEquals(new StreamId(8, 0), strict("8"));
        assertEquals(new StreamId(8, -1L), StreamIds.parse(b("8"), -1L));
        assertEquals(1L, StreamIds.string2ull(b("-18446744073709551615")));
    }

    @Test
    void invalidIds() {
        for (String bad : new String[] {"", "-", "+", "x", "7-", "-5", "-0-0", "9 -1", "1-2-3", "18446744073709551616-0",
                "1-18446744073709551616", "0x10", "1.5", "7-x", "*", "1-*", "x".repeat(128)}) {
            CommandError e = assertThrows(CommandError.class, () -> strict(bad), bad);
            assertEquals(StreamIds.INVALID, e.getMessage());
        }
        assertNull(StreamIds.strictOrNull(b("+")));
        assertEquals(StreamId.MIN, StreamIds.parse(b("-"), 0));
        assertEquals(StreamId.MAX, StreamIds.parse(b("+"), 0));
    }

    @Test
    void autoSequenceOnlyForXadd() {
        StreamIds.Parsed p = StreamIds.forAdd(b("5-*"));
        assertEquals(new StreamId(5, 0), p.id());
        assertFalse(p.seqGiven());
        assertTrue(StreamIds.forAdd(b("5-1")).seqGiven());
        assertThrows(CommandError.class, () -> StreamIds.forAdd(b("*-1")));
    }

    @Test
    void exclusiveBounds() {
        StreamIds.Bound b = StreamIds.bound(b("(5-1"), 0);
        assertTrue(b.exclusive());
        assertEquals(new StreamId(5, 2), StreamIds.startOf(b));
        assertEquals(new StreamId(5, 0), StreamIds.endOf(b));
        assertEquals(new StreamId(6, 0), StreamIds.startOf(StreamIds.bound(b("(5-18446744073709551615"), 0)));
        assertThrows(CommandError.class, () -> StreamIds.bound(b("(+"), 0)); // strict after "("
        // "(" alone is not a prefix but the ID itself: an invalid one.
        assertEquals(StreamIds.INVALID, assertThrows(CommandError.class, () -> StreamIds.bound(b("("), 0)).getMessage());
        CommandError e = assertThrows(CommandError.class,
                () -> StreamIds.startOf(StreamIds.bound(b("(18446744073709551615-18446744073709551615"), 0)));
        assertEquals("ERR invalid start ID for the interval", e.getMessage());
        e = assertThrows(CommandError.class, () -> StreamIds.endOf(StreamIds.bound(b("(0-0"), 0)));
        assertEquals("ERR invalid end ID for the interval", e.getMessage());
    }
}
