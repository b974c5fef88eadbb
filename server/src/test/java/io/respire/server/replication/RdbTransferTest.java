package io.respire.server.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The payload of a full sync as the replica receives it: to a file, or fed to a diskless load as it comes. */
class RdbTransferTest {
    private static final String MARK = "0123456789012345678901234567890123456789";

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aPayloadWithALengthStopsThereAndOneWithAMarkLosesTheMark(@TempDir Path dir) throws Exception {
        try (RdbTransfer t = RdbTransfer.start("$5", dir.resolve("a.rdb"), null)) {
            ByteBuf in = buf("abc");
            assertFalse(t.consume(in));
            in.writeBytes(buf("de*1\r\n"));
            assertTrue(t.consume(in));
            assertEquals("*1\r\n", in.toString(StandardCharsets.ISO_8859_1), "the stream after it stays");
            assertEquals("abcde", Files.readString(t.finish()));
        }
        try (RdbTransfer t = RdbTransfer.start("$EOF:" + MARK, dir.resolve("b.rdb"), null)) {
            assertTrue(t.usesMark());
            assertFalse(t.consume(buf("payload" + MARK.substring(0, 20))));
            assertTrue(t.consume(buf(MARK.substring(20))));
            assertEquals("payload", Files.readString(t.finish()));
        }
        assertThrows(IllegalArgumentException.class, () -> RdbTransfer.start("$-1", dir.resolve("c.rdb"), null));
    }

    /** Everything the feed gives until its end, read as a loader reads it. */
    private static String drain(PayloadFeed feed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(7);
        while (feed.read(b) >= 0) {
            out.write(b.array(), 0, b.position());
            b.clear();
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aDisklessLoadIsFedThePayloadWithoutTheMarkWhereverTheReadsSplitIt() throws Exception {
        String payload = "REDIS0010" + "x".repeat(100);
        // (nothing follows the mark until the replica acknowledges it: the primary waits)
        String all = payload + MARK;
        for (int split = 1; split < 60; split += 7) {
            PayloadFeed feed = new PayloadFeed(() -> { });
            try (RdbTransfer t = RdbTransfer.start("$EOF:" + MARK, null, feed)) {
                assertTrue(t.diskless());
                boolean complete = false;
                for (int at = 0; at < all.length(); at += split) {
                    assertFalse(complete, "complete before the mark's end");
                    complete = t.consume(buf(all.substring(at, Math.min(at + split, all.length()))));
                }
                assertTrue(complete, "reads of " + split);
                assertEquals(payload, drain(feed), "reads of " + split);
                assertEquals(payload.length(), t.payloadLength());
            }
        }
        PayloadFeed feed = new PayloadFeed(() -> { });
        try (RdbTransfer t = RdbTransfer.start("$5", null, feed)) {
            ByteBuf in = buf("abcde*1\r\n");
            assertTrue(t.consume(in));
            assertEquals("*1\r\n", in.toString(StandardCharsets.ISO_8859_1), "the stream after it stays");
            assertEquals("abcde", drain(feed));
        }
    }

    @Test
    void aTransferGivenUpFailsItsLoadersNextRead() throws Exception {
        PayloadFeed feed = new PayloadFeed(() -> { });
        try (RdbTransfer t = RdbTransfer.start("$EOF:" + MARK, null, feed)) {
            t.consume(buf("x".repeat(100)));
        }
        ByteBuffer b = ByteBuffer.allocate(1000);
        IOException e = assertThrows(IOException.class, () -> {
            while (feed.read(b) >= 0) {
                b.clear();
            }
        });
        assertEquals("the link to the master was lost", e.getMessage());
    }

    /** The link stops reading past the high water mark and reads again once the loader took it down to the low one. */
    @Test
    void theFeedAsksForAPauseAndTellsWhenItDrained() throws Exception {
        AtomicInteger drained = new AtomicInteger();
        PayloadFeed feed = new PayloadFeed(drained::incrementAndGet);
        byte[] block = new byte[1 << 20];
        int blocks = 0;
        while (feed.offer(block.clone())) {
            blocks++;
        }
        assertEquals(PayloadFeed.HIGH_WATER / block.length, blocks);
        feed.end();
        ByteBuffer b = ByteBuffer.allocate(block.length);
        long read = 0;
        while (feed.read(b) >= 0) {
            read += b.position();
            b.clear();
            if (read <= (blocks + 1L) * block.length - PayloadFeed.LOW_WATER - block.length) {
                assertEquals(0, drained.get(), "not yet at the low water mark after " + read);
            }
        }
        assertEquals((blocks + 1L) * block.length, read);
        assertEquals(1, drained.get());
    }
}
