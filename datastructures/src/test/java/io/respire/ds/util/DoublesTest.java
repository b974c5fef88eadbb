package io.respire.ds.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Expected values come from Redis 7.0.15 (ZADD/ZSCORE and ZRANGEBYSCORE on glibc). */
class DoublesTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static double parse(String s) {
        return Doubles.parse(b(s));
    }

    private static void rejected(String s) {
        assertThrows(NumberFormatException.class, () -> Doubles.parse(b(s)), s);
    }

    @Test
    void string2dAcceptsWhatStrtodReadsWhole() {
        assertEquals(16.0, parse("0x10"));
        assertEquals(8.0, parse("0X1p3"));
        assertEquals(0.5, parse(".5"));
        assertEquals(5.0, parse("5."));
        assertEquals(5.0, parse("+.5e+1"));
        assertEquals(1e-320, parse("1e-320")); // subnormal: ERANGE but not zero, accepted
        assertEquals(4.9e-324, parse("3e-324"));
        assertEquals(0.0, parse("0e-400")); // an exact zero sets no ERANGE
        assertEquals(Double.POSITIVE_INFINITY, parse("inf"));
        assertEquals(Double.POSITIVE_INFINITY, parse("+Inf"));
        assertEquals(Double.NEGATIVE_INFINITY, parse("-INFINITY"));
        assertEquals(-0.0, parse("-0"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(parse("-0")));
        assertEquals(1.1, parse("1.1"));
        assertEquals(123456789012345678.0, parse("123456789012345678"));
    }

    @Test
    void string2dRejects() {
        for (String s : new String[] {"", " 1", "1 ", "\t1", "0x", "1e", "1e+", "0x1P", "1e-400", "1e400",
                "-1e400", "1e-324", "nan", "NaN", "-nan", "nan(123)", "infinit", "infx", "abc", "1.2.3", "--1",
                "+", ".", "e5", "1\u00002", "1d", "1f", "0x1.8p", "Infinity1"}) {
            rejected(s);
        }
    }

    @Test
    void rangeBoundsAreLenient() {
        assertEquals(0.0, Doubles.parseRangeBound(b(""), 0));
        assertEquals(0.0, Doubles.parseRangeBound(b("("), 1));
        assertEquals(1.0, Doubles.parseRangeBound(b(" 1"), 0));
        assertEquals(Double.POSITIVE_INFINITY, Doubles.parseRangeBound(b("1e400"), 0));
        assertEquals(0.0, Doubles.parseRangeBound(b("1e-400"), 0));
        assertEquals(1.0, Doubles.parseRangeBound(b("1\u0000x"), 0)); // C strings end at NUL
        assertEquals(1.5, Doubles.parseRangeBound(b("(1.5"), 1));
        assertTrue(Double.isNaN(Doubles.parseRangeBound(b("1 "), 0)));
        assertTrue(Double.isNaN(Doubles.parseRangeBound(b("abc"), 0)));
        assertTrue(Double.isNaN(Doubles.parseRangeBound(b("nan"), 0)));
        assertTrue(Double.isNaN(Doubles.parseRangeBound(b("  "), 0)));
    }

    @Test
    void storedTextReadsBackExactly() {
        assertEquals("1", new String(Doubles.toBytes(1.0), StandardCharsets.US_ASCII));
        assertEquals("0", new String(Doubles.toBytes(-0.0), StandardCharsets.US_ASCII)); // as zzlInsertAt
        assertEquals("0", new String(Doubles.toBytes(0.0), StandardCharsets.US_ASCII));
        assertEquals("inf", new String(Doubles.toBytes(Double.POSITIVE_INFINITY), StandardCharsets.US_ASCII));
        assertEquals("-123", new String(Doubles.toBytes(-123.0), StandardCharsets.US_ASCII));
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            double d = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(r.nextLong());
                case 1 -> r.nextDouble() * 1e6;
                case 2 -> (double) r.nextLong();
                default -> r.nextInt(1000) / 8.0;
            };
            if (Double.isNaN(d) || d == 0) {
                continue;
            }
            double back = Doubles.parse(Doubles.toBytes(d));
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(back), () -> Double.toString(d));
        }
    }
}
