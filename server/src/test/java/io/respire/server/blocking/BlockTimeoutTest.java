package io.respire.server.blocking;

import io.respire.server.CommandError;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The timeout argument read as Redis 7.0.15 does (values checked against redis-server). */
class BlockTimeoutTest {
    private static long ms(String text) {
        return BlockTimeout.millis(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void secondsWithDecimalsRoundUpToMilliseconds() {
        assertEquals(0, ms("0"));
        assertEquals(1, ms("0.001"));
        assertEquals(1, ms("0.0001"));
        assertEquals(1500, ms("1.5"));
        assertEquals(1000, ms("1e0"));
        assertEquals(16000, ms("0x10"));
        assertEquals(1, ms("1e-400")); // a long double, not a double: not zero
        assertEquals(0, ms("-0"));
        assertEquals(0, ms("-0.0001")); // rounds up to zero: no timeout at all
        assertEquals(0, ms("0e-999999999"));
        assertEquals(9223372036854775000L, ms("9223372036854775"));
    }

    @Test
    void outOfRangeConvertsToTheMostNegativeLong() {
        assertEquals(-1000, ms("-1"));
        assertEquals(Long.MIN_VALUE, ms("inf"));
        assertEquals(Long.MIN_VALUE, ms("-inf"));
        assertEquals(Long.MIN_VALUE, ms("1e30"));
        assertEquals(Long.MIN_VALUE, ms("9223372036854776"));
    }

    @Test
    void textThatIsNotANumber() {
        for (String bad : new String[] {"", " 1", "1 ", "abc", "1e3x", "nan", "1e99999"}) {
            CommandError e = assertThrows(CommandError.class, () -> ms(bad), bad);
            assertEquals("ERR timeout is not a float or out of range", e.getMessage());
        }
    }
}
