package io.respire.server.replication;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backlog: what a continued PSYNC gets, and what it no longer holds once trimmed. */
class ReplicationBacklogTest {
    @Test
    void itHoldsTheStreamFromItsFirstOffsetToItsEnd() {
        ReplicationBacklog b = new ReplicationBacklog(100);
        assertTrue(b.holds(101), "an empty backlog continues at the next byte");
        assertFalse(b.holds(102));
        b.append("abc".getBytes(StandardCharsets.US_ASCII), 1);
        b.append("defg".getBytes(StandardCharsets.US_ASCII), 1);
        assertEquals(101, b.firstByteOffset());
        assertEquals(7, b.histlen());
        assertEquals("cdefg", new String(b.from(103), StandardCharsets.US_ASCII));
        assertEquals("", new String(b.from(108), StandardCharsets.US_ASCII));
        assertFalse(b.holds(100));
        assertFalse(b.holds(109));
    }

    @Test
    void oldChunksGoOnceTheRestStillFillsTheSize() {
        ReplicationBacklog b = new ReplicationBacklog(0);
        byte[] chunk = new byte[(int) ReplicationBacklog.MIN_SIZE / 2];
        for (int i = 0; i < 5; i++) {
            b.append(chunk, 1); // below the minimum size: the minimum applies
        }
        assertEquals(2 * chunk.length, b.histlen());
        assertEquals(1 + 3L * chunk.length, b.firstByteOffset());
        assertFalse(b.holds(1));
        assertTrue(b.holds(1 + 3L * chunk.length));
    }
}
