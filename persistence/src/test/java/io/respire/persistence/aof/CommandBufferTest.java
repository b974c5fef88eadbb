package io.respire.persistence.aof;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command buffer: decimals as Long.toString writes them, growth, reuse. */
class CommandBufferTest {
    @Test
    void decimalsAreWrittenAsLongToStringWritesThem() {
        long[] values = {0, 1, 9, 10, 99, 100, 12345, -1, -10, Integer.MAX_VALUE, 999_999_999_999_999_999L,
            1_000_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (long v : values) {
            CommandBuffer out = new CommandBuffer(1);
            out.writeDecimal(v);
            assertEquals(Long.toString(v), new String(out.toByteArray(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void itGrowsFromAnyCapacityAndResetKeepsNothingButItsRoom() {
        CommandBuffer out = new CommandBuffer(1);
        byte[] big = new byte[1000];
        big[999] = 7;
        out.write('x');
        out.write(big);
        out.write(big, 990, 10);
        assertEquals(1 + 1000 + 10, out.size());
        assertEquals(7, out.array()[out.size() - 1]);
        out.reset();
        assertEquals(0, out.size());
        out.write(new byte[] {1, 2}, 0, 2);
        assertArrayEquals(new byte[] {1, 2}, out.toByteArray());
        assertTrue(out.array().length > 1000, "reset keeps the room");
        out.reset(64);
        assertEquals(64, out.array().length, "a bounded reset gives back the room beyond the bound");
        assertEquals(0, out.size());
    }
}
