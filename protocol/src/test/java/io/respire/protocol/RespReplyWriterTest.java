package io.respire.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RespReplyWriterTest {
    private static String write(int protocol, Consumer<Reply> body) {
        ByteBuf buf = Unpooled.buffer();
        RespReplyWriter w = new RespReplyWriter(buf);
        w.protocol(protocol);
        body.accept(w);
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void sameCallsGiveEachProtocolsBytes() {
        Consumer<Reply> reply = r -> {
            r.map(1);
            r.bulk("k");
            r.doubleValue(1.5);
            r.nullBulk();
            r.nullArray();
            r.bool(true);
            r.set(0);
            r.bigNumber("123");
            r.integer(-42);
            r.integer(12345678901L);
        };
        assertEquals("*2\r\n$1\r\nk\r\n$3\r\n1.5\r\n$-1\r\n*-1\r\n:1\r\n*0\r\n$3\r\n123\r\n:-42\r\n:12345678901\r\n", write(2, reply));
        assertEquals("%1\r\n$1\r\nk\r\n,1.5\r\n_\r\n_\r\n#t\r\n~0\r\n(123\r\n:-42\r\n:12345678901\r\n", write(3, reply));
    }

    /** Redis's addReplyHumanLongDouble: a bulk string in RESP2, a double in RESP3, 17 decimals at most. */
    @Test
    void humanDoublesAsCoordinates() {
        Consumer<Reply> reply = r -> {
            r.humanDouble(13.361389338970184);
            r.humanDouble(180);
            r.humanDouble(-0.0);
        };
        assertEquals("$20\r\n13.36138933897018433\r\n$3\r\n180\r\n$1\r\n0\r\n", write(2, reply));
        assertEquals(",13.36138933897018433\r\n,180\r\n,0\r\n", write(3, reply));
    }

    @Test
    void errorsStayOnOneLine() {
        assertEquals("-ERR a  b\r\n", write(2, r -> r.error("ERR a\r\nb"))); // each of CR and LF becomes a space
    }

    @Test
    void doublesFormatLikePrintfG17() {
        assertEquals("0.10000000000000001", DoubleFormat.g17(0.1));
        assertEquals("1.5", DoubleFormat.g17(1.5));
        assertEquals("3", DoubleFormat.g17(3.0));
        assertEquals("-0", DoubleFormat.g17(-0.0));
        assertEquals("1e+20", DoubleFormat.g17(1e20));
        assertEquals("1.0000000000000001e-05", DoubleFormat.g17(0.00001));
        assertEquals("0.0001", DoubleFormat.g17(0.0001));
        assertEquals("inf", DoubleFormat.g17(Double.POSITIVE_INFINITY));
        assertEquals("1.7976931348623157e+308", DoubleFormat.g17(Double.MAX_VALUE));
        assertEquals("1.2345678901234568e+17", DoubleFormat.g17(123456789012345678.0));
        assertEquals("12345678901234568", DoubleFormat.g17(12345678901234567.0));
        assertEquals("1000000000000000", DoubleFormat.g17(1e15));
        assertEquals("1e+17", DoubleFormat.g17(1e17));
        assertEquals("100000000000000", DoubleFormat.g17(1e14));
    }
}
