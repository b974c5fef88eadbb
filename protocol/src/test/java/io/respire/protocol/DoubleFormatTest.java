package io.respire.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The expected strings are glibc's printf output for the same doubles. */
class DoubleFormatTest {
    @Test
    void fixedRoundsTheExactBinaryValueTiesToEven() {
        assertEquals("1.62", DoubleFormat.fixed(1.625, 2)); // an exact tie: to even
        assertEquals("1.88", DoubleFormat.fixed(1.875, 2));
        assertEquals("2.13", DoubleFormat.fixed(2.125 + 1e-12, 2));
        assertEquals("0.01", DoubleFormat.fixed(0.015, 2)); // 0.01499999... in binary
        assertEquals("3.00", DoubleFormat.fixed(3, 2));
        assertEquals("100", DoubleFormat.fixed(99.5, 0)); // tie to even
        assertEquals("-0.00", DoubleFormat.fixed(-0.001, 2));
        assertEquals("-0.00", DoubleFormat.fixed(-0.0, 2));
        assertEquals("-1.50", DoubleFormat.fixed(-1.5, 2));
        assertEquals("inf", DoubleFormat.fixed(Double.POSITIVE_INFINITY, 2));
        assertEquals("-inf", DoubleFormat.fixed(Double.NEGATIVE_INFINITY, 2));
        assertEquals("nan", DoubleFormat.fixed(Double.NaN, 2));
    }

    /** glibc prints a NaN's sign: x86's 0/0 has it set, and Redis replies "-nan" for it. */
    @Test
    void nanKeepsItsSign() {
        double x86DefaultNan = Double.longBitsToDouble(0xfff8000000000000L);
        assertEquals("-nan", DoubleFormat.g17(x86DefaultNan));
        assertEquals("-nan", DoubleFormat.fixed(x86DefaultNan, 2));
        assertEquals("nan", DoubleFormat.g17(Double.NaN));
        assertEquals("nan", DoubleFormat.g(Double.NaN, 14));
    }

    /** Expected: Redis 7.0.15's fixedpoint_d2string(buf, len, d, 4), compiled with GCC on x86-64. */
    @Test
    void fixedPointAsRedisWritesDistances() {
        assertEquals("0.0000", DoubleFormat.fixedPoint(0.0, 4));
        assertEquals("0.0000", DoubleFormat.fixedPoint(-0.0, 4));
        assertEquals("0.7750", DoubleFormat.fixedPoint(0.7750, 4)); // no leading ".7750"
        assertEquals("0.0000", DoubleFormat.fixedPoint(0.00005, 4)); // llrint(0.5): ties to even
        assertEquals("0.0002", DoubleFormat.fixedPoint(0.00025, 4)); // 2.5 once scaled: to even
        assertEquals("0.0001", DoubleFormat.fixedPoint(0.00015, 4));
        assertEquals("0.0000", DoubleFormat.fixedPoint(-0.00005, 4)); // -0 after rounding: no sign
        assertEquals("-0.0001", DoubleFormat.fixedPoint(-0.00006, 4));
        assertEquals("0.0000", DoubleFormat.fixedPoint(2.5e-5, 4));
        assertEquals("166274.1516", DoubleFormat.fixedPoint(166274.15159999998, 4));
        assertEquals("123456789.1234", DoubleFormat.fixedPoint(123456789.12345, 4));
        assertEquals("13.3614", DoubleFormat.fixedPoint(13.361389338970184, 4));
        assertEquals("-73.9455", DoubleFormat.fixedPoint(-73.94549578428268, 4));
        assertEquals("180.0000", DoubleFormat.fixedPoint(180, 4));
        assertEquals("0.3333", DoubleFormat.fixedPoint(1.0 / 3, 4));
        // Past 2^63 once scaled, llrint fails and x86 gives LLONG_MIN, which Redis prints.
        for (double d : new double[] {1e15, 9.2233720368547758e14, 1e20, -1e20, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.NaN}) {
            assertEquals("-922337203685477.5808", DoubleFormat.fixedPoint(d, 4), Double.toString(d));
        }
    }

    /** Expected: glibc's %.17Lf of the value as a long double, trimmed as Redis's ld2string does. */
    @Test
    void humanAsRedisWritesCoordinates() {
        assertEquals("0", DoubleFormat.human(0.0));
        assertEquals("0", DoubleFormat.human(-0.0));
        assertEquals("0", DoubleFormat.human(-1e-20)); // "-0" becomes "0"
        assertEquals("0", DoubleFormat.human(1e-20));
        assertEquals("0.77500000000000002", DoubleFormat.human(0.7750));
        assertEquals("0.00005", DoubleFormat.human(0.00005));
        assertEquals("-0.00006", DoubleFormat.human(-0.00006));
        assertEquals("166274.15159999998286366", DoubleFormat.human(166274.15159999998));
        assertEquals("1000000000000000", DoubleFormat.human(1e15));
        assertEquals("922337203685477.625", DoubleFormat.human(9.2233720368547758e14));
        assertEquals("100000000000000000000", DoubleFormat.human(1e20));
        assertEquals("-100000000000000000000", DoubleFormat.human(-1e20));
        assertEquals("13.36138933897018433", DoubleFormat.human(13.361389338970184));
        assertEquals("-179.99999731779098511", DoubleFormat.human(-179.99999731779099));
        assertEquals("0.00000268220901489", DoubleFormat.human(0x1.68p-19));
        assertEquals("85.0511287799999991", DoubleFormat.human(85.05112878));
        assertEquals("180", DoubleFormat.human(180));
        assertEquals("0.10000000000000001", DoubleFormat.human(0.1));
        assertEquals("inf", DoubleFormat.human(Double.POSITIVE_INFINITY));
        assertEquals("-inf", DoubleFormat.human(Double.NEGATIVE_INFINITY));
        assertEquals("nan", DoubleFormat.human(Double.NaN));
    }
}
