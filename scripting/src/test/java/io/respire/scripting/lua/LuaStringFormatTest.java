package io.respire.scripting.lua;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** string.format as Redis 7.0.15's Lua 5.1 answers it (expected values read from redis-server). */
class LuaStringFormatTest {
    private static String format(Object... args) {
        LuaValue[] values = new LuaValue[args.length];
        for (int i = 0; i < args.length; i++) {
            values[i] = args[i] instanceof String s ? LuaValue.valueOf(s) : LuaValue.valueOf(((Number) args[i]).doubleValue());
        }
        return new LuaStringFormat().invoke(LuaValue.varargsOf(values)).arg1().tojstring();
    }

    @Test
    void floatingPointConversions() {
        assertEquals(" 3.14", format("%5.2f", 3.14159));
        assertEquals("3 0.33333333333333 0.333333   2.2", format("%d %s %g %5.1f", 3.7, 1.0 / 3, 1.0 / 3, 2.25));
        assertEquals("1.234568e+04", format("%e", 12345.678));
        assertEquals("0.000e+00", format("%.3e", 0));
        assertEquals("100000 1e+06 0.0001 1e-05", format("%g %g %g %g", 100000, 1000000, 0.0001, 0.00001));
        assertEquals("1.00000", format("%#g", 1));
        assertEquals("0 2 2", format("%.0f %.0f %.0f", 0.5, 1.5, 2.5));
        assertEquals("inf", format("%.2f", Double.POSITIVE_INFINITY));
        assertEquals("1E-10", format("%G", 1e-10));
        assertEquals("1e+15", format("%s", 1e15));
    }

    @Test
    void integerConversions() {
        assertEquals("ff FF 10 0xff 010", format("%x %X %o %#x %#o", 255, 255, 8, 255, 8));
        assertEquals("+5  5 00005 5    |", format("%+d % d %05d %-5d|", 5, 5, 5, 5));
        assertEquals("18446744073709551615", format("%u", -1));
        assertEquals("9007199254740992", format("%d", Math.pow(2, 53)));
        assertEquals("  007", format("%5.3d", 7));
        assertEquals("-7", format("%i", -7.9));
        assertEquals("AB", format("%c%c", 65, 66));
    }

    @Test
    void stringsAndQuoting() {
        assertEquals("      abcd|", format("%10.4s|", "abcdefg"));
        assertEquals("   ab|ab   |", format("%5s|%-5s|", "ab", "ab"));
        assertEquals("\"a\\\nb\\\"c\\000\"", format("%q", "a\nb\"c\0"));
        assertEquals("%", format("%%"));
    }

    @Test
    void badFormats() {
        assertEquals("invalid option '%y' to 'format'", assertThrows(LuaError.class, () -> format("%y", 1)).getMessage());
        assertEquals("invalid format (width or precision too long)",
                assertThrows(LuaError.class, () -> format("%123d", 1)).getMessage());
    }
}
