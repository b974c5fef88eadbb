package io.respire.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The query buffer's allocation and resize policy, Redis's (readQueryFromClient,
 * clientsCronResizeQueryBuffer at 7.0.15): the figures are those Redis's CLIENT LIST shows as
 * qbuf + qbuf-free, without jemalloc's rounding.
 */
class QueryBufferTest {
    private final QueryBuffer query = new QueryBuffer(UnpooledByteBufAllocator.DEFAULT);

    @AfterEach
    void release() {
        query.release();
    }

    /** What a socket read does: bytes written at the end of the buffer handed out. */
    private void read(String bytes, long bigArgRemaining) {
        ByteBuf target = query.readTarget(bigArgRemaining);
        target.writeBytes(bytes.getBytes(StandardCharsets.ISO_8859_1));
        query.afterRead();
    }

    /** What the decoder does with a read: consumes {@code decoded} bytes, then the buffer is trimmed. */
    private void decode(int decoded, long bigArgRemaining) {
        query.buf().skipBytes(decoded);
        query.afterDecode(bigArgRemaining);
    }

    @Test
    void nothingIsAllocatedBeforeTheFirstReadWhichGets16KbExactly() {
        assertEquals(0, query.capacity());
        ByteBuf target = query.readTarget(-1);
        assertEquals(QueryBuffer.IOBUF_LEN, query.capacity());
        assertEquals(QueryBuffer.IOBUF_LEN, target.writableBytes());
        assertTrue(query.isReadTarget(target));
        assertFalse(target.release(), "the read loop's release leaves the buffer alone");
        assertEquals(1, query.buf().refCnt());
    }

    @Test
    void decodedBytesAreDroppedAndTheRestMovesToTheFront() {
        read("*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPI", -1);
        decode(14, -1);
        assertEquals(10, query.length());
        assertEquals(0, query.buf().readerIndex());
        assertEquals("*1\r\n$4\r\nPI", query.buf().toString(StandardCharsets.ISO_8859_1));
        decode(10, -1);
        assertEquals(0, query.length());
        assertEquals(QueryBuffer.IOBUF_LEN, query.capacity(), "the room stays until the cron frees it");
    }

    /** sdsMakeRoomFor: from 16 KB on, growth for a read is greedy (what is needed, doubled). */
    @Test
    void aBufferOf16KbGrowsGreedilyWhenARequestIsLeftOver() {
        read("x".repeat(100), -1);
        query.readTarget(-1);
        assertEquals((100 + QueryBuffer.IOBUF_LEN) * 2, query.capacity());
        assertEquals(100, query.length(), "the bytes held are kept");
    }

    /** A big argument gets room for exactly what remains of it, CRLF included (non greedy). */
    @Test
    void aBigArgumentGetsRoomForExactlyItsRest() {
        String header = "*2\r\n$4\r\nECHO\r\n$100000\r\n";
        read(header + "v".repeat(QueryBuffer.IOBUF_LEN - header.length()), -1);
        int held = QueryBuffer.IOBUF_LEN - header.length();
        decode(header.length(), 100_002 - held);
        assertEquals(100_002, query.capacity());
        assertEquals(held, query.length());
        query.readTarget(100_002 - held);
        assertEquals(100_002, query.capacity(), "the room was made once");
    }

    /** A bare header cannot reserve more than 16 MB ahead of the bytes held, nor less than double them. */
    @Test
    void theRoomAheadOfAHugeArgumentIsBounded() {
        read("v".repeat(1000), 500_000_000);
        decode(0, 500_000_000);
        assertEquals(1000 + QueryBuffer.MAX_ROOM_AHEAD, query.capacity());
        query.buf().writerIndex(query.buf().capacity()); // filled
        query.readTarget(400_000_000);
        assertEquals(2L * (1000 + QueryBuffer.MAX_ROOM_AHEAD), query.capacity(), "then at least doubled");
    }

    @Test
    void theCronFreesTheRoomOfAClientIdleForMoreThanTwoSeconds() {
        read("*1\r\n$4\r\nPING\r\n", -1);
        decode(14, -1);
        query.cronResize(10_000, 0, -1); // the cron's first look sees the read
        query.cronResize(12_999, 0, -1);
        assertEquals(QueryBuffer.IOBUF_LEN, query.capacity(), "2 whole seconds are not more than 2");
        query.cronResize(13_000, 0, -1);
        assertEquals(0, query.capacity());
        assertNull(query.buf());
        query.readTarget(-1);
        assertEquals(QueryBuffer.IOBUF_LEN, query.capacity(), "the next read allocates 16 KB again");
    }

    @Test
    void aCommandOrAReadSinceKeepsTheRoom() {
        read("*1\r\n$4\r\nPING\r\n", -1);
        decode(14, -1);
        query.cronResize(10_000, 0, -1);
        query.cronResize(13_000, 12_500, -1);
        assertEquals(QueryBuffer.IOBUF_LEN, query.capacity(), "a command ran 0.5 s ago");
        read("*1\r\n$4\r\nPI", -1);
        query.cronResize(15_000, 12_500, -1);
        query.cronResize(17_999, 12_500, -1);
        assertEquals(QueryBuffer.IOBUF_LEN, query.capacity(), "the read was seen at 15 s");
        query.cronResize(18_000, 12_500, -1);
        assertEquals(10, query.capacity(), "idle: the free room goes, the bytes held stay");
        assertEquals(10, query.length());
    }

    /** A buffer over 32 KB and more than twice the recent peak is trimmed to that peak. */
    @Test
    void aBigBufferShrinksToTheRecentPeak() {
        read("*2\r\n$4\r\nECHO\r\n$400000\r\n" + "v".repeat(1000), -1);
        decode(23, 399_002);
        read("v".repeat(399_000) + "\r\n", 1002);
        decode(400_002, -1);
        assertEquals(400_002, query.capacity());
        query.cronResize(1_000, 1_000, -1);
        assertEquals(400_002, query.capacity(), "the peak since the last look was the argument");
        read("*1\r\n$100\r\n" + "v".repeat(100) + "\r\n", -1);
        decode(112, -1);
        query.cronResize(1_100, 1_100, -1);
        assertEquals(112, query.capacity(), "trimmed to the peak of the last 100 ms");
        query.cronResize(1_200, 1_200, -1);
        assertEquals(112, query.capacity(), "wasting less than 4 KB: left alone");
        query.readTarget(-1);
        assertEquals(QueryBuffer.IOBUF_LEN, query.capacity(), "below 16 KB the next read makes 16 KB, exactly");
    }

    /** The trim to the argument's length never grows the buffer past the bounded room. */
    @Test
    void theTrimOfAHugeArgumentsRoomDoesNotGrowIt() {
        read("v".repeat(1000), 500_000_002);
        assertEquals(QueryBuffer.MAX_ROOM_AHEAD, query.capacity());
        query.cronResize(1_000, 1_000, 500_000_000);
        query.cronResize(1_100, 1_100, 500_000_000);
        assertEquals(QueryBuffer.MAX_ROOM_AHEAD, query.capacity());
    }

    @Test
    void theTrimKeepsRoomForTheArgumentBeingRead() {
        read("v".repeat(40_000), 100_002);
        assertEquals(100_002, query.capacity());
        query.cronResize(1_000, 1_000, 100_000);
        assertEquals(100_000, query.capacity(), "trimmed, not below the argument's length (as Redis)");
        assertEquals(40_000, query.length());
        ByteBuf before = query.buf();
        query.cronResize(1_100, 1_100, 100_000);
        assertSame(before, query.buf(), "the peak restarts from the argument's length: no trim below it");
    }
}
