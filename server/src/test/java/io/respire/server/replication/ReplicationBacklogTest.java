package io.respire.server.replication;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        append(b, "abc", 1);
        append(b, "defg", 1);
        assertEquals(101, b.firstByteOffset());
        assertEquals(7, b.histlen());
        assertEquals("cdefg", new String(from(b, 103), StandardCharsets.US_ASCII));
        assertEquals("", new String(from(b, 108), StandardCharsets.US_ASCII));
        assertFalse(b.holds(100));
        assertFalse(b.holds(109));
    }

    @Test
    void oldBlocksGoOnceTheRestStillHoldsMoreThanTheSize() {
        ReplicationBacklog b = new ReplicationBacklog(0);
        byte[] write = new byte[ReplicationBacklog.BLOCK_SIZE / 2];
        for (int i = 0; i < 5; i++) {
            b.append(write, 0, write.length, 1); // below the minimum size: the minimum applies
        }
        // Five half-block writes fill blocks 1 and 2 and half of 3. Dropping block 1 leaves
        // 24 KB, more than the 16 KB minimum; dropping block 2 as well would leave 8 KB.
        assertEquals(3 * write.length, b.histlen());
        assertEquals(2 * (32 + ReplicationBacklog.BLOCK_SIZE), b.allocated(), "blocks 2 and 3");
        assertEquals(1 + 2L * write.length, b.firstByteOffset());
        assertFalse(b.holds(1));
        assertTrue(b.holds(1 + 2L * write.length));
    }

    @Test
    void aWriteSpansBlocks() {
        ReplicationBacklog b = new ReplicationBacklog(0);
        byte[] stream = new byte[3 * ReplicationBacklog.BLOCK_SIZE + 100];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = (byte) (i * 31);
        }
        int small = ReplicationBacklog.BLOCK_SIZE - 10; // the next write overflows the first block by 10 bytes
        b.append(stream, 0, small, 1 << 20);
        b.append(stream, small, 20, 1 << 20);
        b.append(stream, small + 20, stream.length - small - 20, 1 << 20); // larger than a block
        assertEquals(stream.length, b.histlen());
        assertArrayEquals(stream, from(b, 1));
        assertArrayEquals(Arrays.copyOfRange(stream, small + 5, stream.length), from(b, 1 + small + 5));
    }

    @Test
    void aLargeWriteTakesBlocksOfASixteenthOfTheSizeSoThatItCanBeTrimmed() {
        ReplicationBacklog b = new ReplicationBacklog(0);
        byte[] big = new byte[256 * 1024];
        b.append(big, 0, big.length, 16 * 1024); // blocks of 16 KB: max(16 KB / 16, one block)
        assertTrue(b.histlen() <= 2 * ReplicationBacklog.BLOCK_SIZE, "trimmed to about the size: " + b.histlen());
        assertFalse(b.holds(1), "a replica from before the write gets a full sync, not 256 KB again");
        ReplicationBacklog large = new ReplicationBacklog(0);
        large.append(big, 0, big.length, 1 << 20); // blocks of 64 KB
        assertEquals(4 * (32 + 64 * 1024), large.allocated());
    }

    @Test
    void aPinnedOffsetIsKeptWhateverTheSizeUntilUnpinned() {
        ReplicationBacklog b = new ReplicationBacklog(0);
        b.pin(1); // a sync's snapshot started at offset 0
        byte[] write = new byte[ReplicationBacklog.BLOCK_SIZE];
        for (int i = 0; i < 10; i++) {
            b.append(write, 0, write.length, 1);
        }
        assertEquals(10L * write.length, b.histlen(), "outgrows its size while pinned");
        assertTrue(b.holds(1));
        b.pin(1 + 6L * write.length);
        b.trim(1);
        assertEquals(1 + 6L * write.length, b.firstByteOffset(), "kept from the new pin on");
        b.pin(Long.MAX_VALUE);
        b.trim(1);
        assertEquals(2L * write.length, b.histlen(), "back to its size, one block over");
    }

    /** The stream's bytes from {@code offset} to the end, as a PSYNC gets them. */
    private static byte[] from(ReplicationBacklog b, long offset) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        b.copyFrom(offset, out::write);
        return out.toByteArray();
    }

    private static void append(ReplicationBacklog b, String s, long size) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        b.append(bytes, 0, bytes.length, size);
    }
}
