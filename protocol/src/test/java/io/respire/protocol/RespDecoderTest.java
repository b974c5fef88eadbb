package io.respire.protocol;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RespDecoderTest {
    private final DecoderLimits limits = new DecoderLimits();
    private boolean authRequired;
    private final EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder(limits, () -> authRequired));

    private List<Object> feed(String... chunks) {
        for (String chunk : chunks) {
            channel.writeInbound(Unpooled.copiedBuffer(chunk, StandardCharsets.ISO_8859_1));
        }
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = channel.readInbound()) != null) {
            out.add(o);
        }
        return out;
    }

    private static String args(Object request) {
        StringBuilder sb = new StringBuilder();
        for (byte[] a : (byte[][]) request) {
            sb.append('[').append(new String(a, StandardCharsets.ISO_8859_1)).append(']');
        }
        return sb.toString();
    }

    private static String error(Object request) {
        return assertInstanceOf(ProtocolError.class, request).message();
    }

    @Test
    void decodesMultibulkSplitAcrossReads() {
        List<Object> out = feed("*2\r\n$3\r\nG", "ET\r\n$", "3\r\nk\0y\r", "\n*1\r\n$4\r\nPING\r\n");
        assertEquals(2, out.size());
        assertEquals("[GET][k\0y]", args(out.get(0)));
        assertEquals("[PING]", args(out.get(1)));
    }

    @Test
    void aRepeatedCommandNameIsOneArrayAndOtherArgumentsAreNot() {
        List<Object> out = feed("*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n",
                "*2\r\n$3\r\nget\r\n$1\r\na\r\n*1\r\n$3\r\nGEX\r\n*2\r\n$3\r\nG", "ET\r\n$1\r\nb\r\n");
        assertEquals("[GET][a][GET][a][get][a][GEX][GET][b]",
                out.stream().map(RespDecoderTest::args).reduce("", String::concat));
        byte[][] first = (byte[][]) out.get(0);
        byte[][] second = (byte[][]) out.get(1);
        assertSame(first[0], second[0], "the name is decoded once");
        assertNotSame(first[1], second[1], "arguments are not shared");
        assertNotSame(first[0], ((byte[][]) out.get(2))[0], "names are kept byte for byte, case included");
        assertSame(first[0], ((byte[][]) out.get(4))[0], "also when split across reads");
        String longName = "X".repeat(40);
        List<Object> longOnes = feed("*1\r\n$40\r\n" + longName + "\r\n*1\r\n$40\r\n" + longName + "\r\n");
        assertNotSame(((byte[][]) longOnes.get(0))[0], ((byte[][]) longOnes.get(1))[0], "long names are not kept");
    }

    /**
     * A big argument (32 KB and more) gets a buffer of its exact size once its length is read, as
     * Redis's query buffer: what is received is qbuf, the rest of the argument qbuf-free, and the
     * arguments already read of the request are argv-mem, not qbuf.
     */
    @Test
    void aBigArgumentGetsRoomForAllOfItsBytes() {
        RespDecoder decoder = channel.pipeline().get(RespDecoder.class);
        String value = "v".repeat(100_000);
        assertTrue(feed("*2\r\n$4\r\nECHO\r\n$100000\r\n", value.substring(0, 30_000)).isEmpty());
        assertEquals(30_000, decoder.queryBufferBytes());
        assertEquals(70_002, decoder.queryBufferFree(), "the rest of the argument and its CRLF");
        assertEquals(4, decoder.partialArgumentBytes(), "ECHO");
        assertTrue(feed(value.substring(30_000, 99_999)).isEmpty());
        List<Object> out = feed(value.substring(99_999) + "\r\n*1\r\n$4\r\nPING\r\n");
        assertEquals("[ECHO][" + value + "]", args(out.get(0)));
        assertEquals("[PING]", args(out.get(1)));
        assertEquals(0, decoder.queryBufferBytes());
        assertEquals(0, decoder.partialArgumentBytes());
        assertTrue(decoder.queryBufferFree() >= 100_002, "the room stays until the cron trims it");
        assertEquals(decoder.queryBufferFree(), decoder.queryBufferCapacity());
    }

    /** Below 32 KB an argument gets no room of its own: the 16 KB of the first read hold what came. */
    @Test
    void aSmallArgumentIsReadIntoThe16KbBuffer() {
        RespDecoder decoder = channel.pipeline().get(RespDecoder.class);
        assertEquals(0, decoder.queryBufferCapacity(), "nothing before the first read");
        assertTrue(feed("*1\r\n$20000\r\n" + "v".repeat(10)).isEmpty());
        assertEquals(10, decoder.queryBufferBytes());
        assertEquals(QueryBuffer.IOBUF_LEN, decoder.queryBufferCapacity());
    }

    /**
     * The socket reads into the query buffer itself (the channel's RecvByteBufAllocator hands it
     * out): no buffer per read, no copy, and the read loop's release of it does nothing.
     */
    @Test
    void socketReadsGoStraightIntoTheQueryBuffer() {
        RespDecoder decoder = channel.pipeline().get(RespDecoder.class);
        io.netty.channel.RecvByteBufAllocator.Handle reads = decoder.socketReads(16).newHandle();
        io.netty.buffer.ByteBuf first = null;
        for (int i = 0; i < 2; i++) {
            io.netty.buffer.ByteBuf target = reads.allocate(channel.alloc());
            if (first == null) {
                first = target;
            }
            assertTrue(target == first, "the same buffer for every read");
            assertEquals(QueryBuffer.IOBUF_LEN, target.writableBytes());
            target.writeBytes("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.ISO_8859_1));
            channel.writeInbound(target);
            assertEquals("[PING]", args(channel.readInbound()));
            assertEquals(0, target.readableBytes());
            assertEquals(1, target.refCnt());
        }
        assertEquals(QueryBuffer.IOBUF_LEN, decoder.queryBufferCapacity(), "one buffer, kept");
        channel.finishAndReleaseAll();
        assertEquals(0, decoder.queryBufferCapacity(), "freed with the connection");
        io.netty.buffer.ByteBuf fallback = reads.allocate(channel.alloc());
        assertTrue(fallback.release(), "once the connection is gone, a read gets a buffer of its own");
    }

    @Test
    void decodesInlineWithQuotes() {
        List<Object> out = feed("SET \"a b\" 'c\\'d' \"\\x41\\n\"\r\n", "\r\n", "PING\n");
        assertEquals(2, out.size());
        assertEquals("[SET][a b][c'd][A\n]", args(out.get(0)));
        assertEquals("[PING]", args(out.get(1)));
    }

    @Test
    void emptyMultibulkIsSkipped() {
        List<Object> out = feed("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n");
        assertEquals(1, out.size());
    }

    @Test
    void rejectsBadLengthsWithRedisMessages() {
        assertEquals("Protocol error: invalid multibulk length", error(new DecoderCase().feed("*x\r\n").get(0)));
        assertEquals("Protocol error: invalid bulk length", error(new DecoderCase().feed("*1\r\n$-5\r\n").get(0)));
        assertEquals("Protocol error: expected '$', got 'x'", error(new DecoderCase().feed("*1\r\nx\r\n").get(0)));
        assertEquals("Protocol error: unbalanced quotes in request", error(new DecoderCase().feed("SET \"a\r\n").get(0)));
        assertEquals("Protocol error: invalid multibulk length", error(new DecoderCase().feed("*3000000000\r\n").get(0)));
        assertEquals("Protocol error: invalid bulk length", error(new DecoderCase().feed("*1\r\n$600000000\r\n").get(0)));
    }

    @Test
    void tooBigInlineRequest() {
        String big = "a".repeat(DecoderLimits.INLINE_MAX_SIZE + 1);
        assertEquals("Protocol error: too big inline request", error(feed(big).get(0)));
    }

    @Test
    void hugeAnnouncedCountDoesNotAllocateUpFront() {
        // A count of a million arguments with none sent: nothing decoded, nothing allocated for them.
        assertTrue(feed("*1000000\r\n$1\r\na\r\n").isEmpty());
    }

    @Test
    void unauthenticatedLimits() {
        authRequired = true;
        assertEquals("Protocol error: unauthenticated multibulk length", error(feed("*11\r\n").get(0)));
    }

    @Test
    void stopsDecodingAfterAnError() {
        List<Object> out = feed("*1\r\n$4\r\nPING\r\n*x\r\n*1\r\n$4\r\nPING\r\n");
        assertEquals(2, out.size());
        assertInstanceOf(ProtocolError.class, out.get(1));
        assertTrue(feed("*1\r\n$4\r\nPING\r\n").isEmpty());
    }

    @Test
    void aBulkLongerThanAJavaArrayIsRefusedWhateverProtoMaxBulkLenSays() {
        limits.protoMaxBulkLen(8L << 30);
        List<Object> out = feed("*2\r\n$3\r\nGET\r\n$" + (RespDecoder.MAX_BULK + 1) + "\r\n");
        assertEquals("Protocol error: invalid bulk length", error(out.get(0)));
    }

    @Test
    void queryBufferLimitEndsDecodingWithTheBufferStart() {
        limits.clientQueryBufferLimit(16);
        List<Object> out = feed("*1\r\n$100\r\n0123456789012345678901234567890");
        assertEquals(1, out.size());
        QueryBufferOverflow overflow = assertInstanceOf(QueryBufferOverflow.class, out.get(0));
        assertEquals("*1\r\n$100\r\n0123456789012345678901234567890", new String(overflow.initialBytes()));
        assertTrue(feed("*1\r\n$4\r\nPING\r\n").isEmpty(), "nothing more is decoded");
    }

    @Test
    void splitterMatchesSdssplitargs() {
        assertArrayEquals(new byte[0][], InlineSplitter.split("   ".getBytes()));
        assertEquals(null, InlineSplitter.split("\"a\"b".getBytes()));
        assertEquals(null, InlineSplitter.split("'abc".getBytes()));
        assertEquals("[a][b]", args(InlineSplitter.split("a\tb".getBytes())));
    }

    /** A fresh decoder per malformed case, since an error ends decoding. */
    private final class DecoderCase {
        private final EmbeddedChannel ch = new EmbeddedChannel(new RespDecoder(limits, () -> false));

        List<Object> feed(String data) {
            ch.writeInbound(Unpooled.copiedBuffer(data, StandardCharsets.ISO_8859_1));
            List<Object> out = new ArrayList<>();
            Object o;
            while ((o = ch.readInbound()) != null) {
                out.add(o);
            }
            return out;
        }
    }
}
