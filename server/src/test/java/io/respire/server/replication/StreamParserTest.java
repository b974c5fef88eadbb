package io.respire.server.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replica's reading of its primary: stream commands with their exact bytes, reply lines. */
class StreamParserTest {
    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aCommandIsTakenWholeWithItsBytesAndNotBeforeItHasAllArrived() {
        StreamParser parser = new StreamParser();
        String set = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nvv\r\n";
        ByteBuf in = buf(set.substring(0, set.length() - 3));
        assertNull(parser.next(in));
        assertEquals(0, in.readerIndex(), "nothing is consumed of a partial command");
        in.writeBytes(buf(set.substring(set.length() - 3) + "*1\r\n$4\r\nPING\r\n"));
        StreamParser.Command c = parser.next(in);
        assertEquals(3, c.argv().length);
        assertArrayEquals("vv".getBytes(StandardCharsets.US_ASCII), c.argv()[2]);
        assertEquals(set, new String(c.raw(), StandardCharsets.ISO_8859_1));
        assertEquals(14, parser.next(in).raw().length);
        assertNull(parser.next(in));
    }

    @Test
    void whatIsNotACommandOrTooLargeIsAProtocolError() {
        StreamParser parser = new StreamParser();
        assertThrows(IllegalStateException.class, () -> parser.next(buf("+OK\r\n")));
        assertThrows(IllegalStateException.class, () -> parser.next(buf("*1\r\n$2147483640\r\n")));
        assertThrows(IllegalStateException.class, () -> parser.next(buf("*2147483648\r\n")));
        assertThrows(IllegalStateException.class, () -> parser.next(buf("*x\r\n")));
        assertThrows(IllegalStateException.class, () -> parser.next(buf("*1\r\n$1\r\nab\r\n")));
        assertThrows(IllegalStateException.class, () -> StreamParser.readLine(Unpooled.wrappedBuffer(new byte[StreamParser.MAX_LINE + 1])));
    }

    /** No proto-max-bulk-len, and as many arguments as Redis takes (INT_MAX), however they arrive. */
    @Test
    void aLargeCommandOfThePrimaryIsTakenWhole() {
        StreamParser parser = new StreamParser();
        StringBuilder mset = new StringBuilder("*2000001\r\n$4\r\nMSET\r\n");
        for (int i = 0; i < 1_000_000; i++) {
            mset.append("$1\r\nk\r\n$1\r\nv\r\n");
        }
        ByteBuf in = buf(mset.toString());
        assertEquals(2_000_001, parser.next(in).argv().length);
        String big = "x".repeat(1 << 20);
        assertEquals(1 << 20, parser.next(buf("*1\r\n$" + big.length() + "\r\n" + big + "\r\n")).argv()[0].length);
    }

    @Test
    void linesEndWithCrLfOrALoneLf() {
        ByteBuf in = buf("+FULLRESYNC abc 10\r\n\n$5\r\n+PON");
        assertEquals("+FULLRESYNC abc 10", StreamParser.readLine(in));
        assertEquals("", StreamParser.readLine(in));
        assertEquals("$5", StreamParser.readLine(in));
        assertNull(StreamParser.readLine(in));
        assertEquals(4, in.readableBytes());
    }
}
