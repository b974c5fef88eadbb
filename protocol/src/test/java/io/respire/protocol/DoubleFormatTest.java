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
}
