package io.respire.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InlineSplitterTest {
    @Test
    void reprEscapesAsSdscatrepr() {
        byte[] b = {'a', '"', '\\', '\n', '\r', '\t', 7, '\b', 0, (byte) 0xff, ' ', '~'};
        StringBuilder out = new StringBuilder("x=");
        InlineSplitter.repr(out, b, 0, b.length);
        assertEquals("x=\"a\\\"\\\\\\n\\r\\t\\a\\b\\x00\\xff ~\"", out.toString());
        StringBuilder part = new StringBuilder();
        InlineSplitter.repr(part, b, 1, 2);
        assertEquals("\"\\\"\\\\\"", part.toString());
    }

    @Test
    void reprSplitsBackToTheSameBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        String text = InlineSplitter.repr(new String(b, StandardCharsets.ISO_8859_1));
        byte[][] args = InlineSplitter.split(text.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(1, args.length);
        assertArrayEquals(b, args[0]);
    }
}
