package io.respire.scripting.lua;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** string.format as Lua 5.1's sprintf-based one; expected texts are what Redis 7.0.15 returns. */
class Lua51FormatTest {
    private final Scripts lua = new Scripts();

    private String format(String args) {
        return lua.value("return string.format(" + args + ")");
    }

    @Test
    void floatingPointHonoursPrecisionAndWidth() {
        assertEquals(" 3.14", format("'%5.2f', 3.14159"));
        assertEquals("   -0.3333", format("'%10.4f', -1/3"));
        assertEquals("0.10000000000000000555", format("'%.20f', 0.1"));
        assertEquals("0", format("'%.0f', 0.5"), "ties go to even, from the exact binary value");
        assertEquals("1000000000000000.000000", format("'%f', 1e15"));
        assertEquals("1.234568e+04", format("'%e', 12345.678"));
        assertEquals("1e+20", format("'%g', 1e20"));
        assertEquals("100000", format("'%g', 100000"));
        assertEquals("1e+06", format("'%g', 1000000"));
        assertEquals("0.000123", format("'%.3g', 0.0001234"));
        assertEquals("9.2233720368548e+18", format("'%.14g', 2^63"));
        assertEquals("inf -inf", format("'%f %g', 1/0, -1/0"));
        assertEquals("+5.0", format("'%+.1f', 5"));
    }

    @Test
    void integersAreCLongs() {
        assertEquals("9007199254740992", format("'%d', 2^53"));
        assertEquals("-9223372036854775808", format("'%d', 2^63"), "out of range is LLONG_MIN, as x86 converts");
        assertEquals("3 -3", format("'%d %d', 3.7, -3.7"));
        assertEquals("00042|+42|  42|42  |", format("'%05d|%+d|%4d|%-4d|', 42, 42, 42, 42"));
        assertEquals("0xff FF 10 |", format("'%#x %X %o %.0d|', 255, 255, 8, 0"), "precision 0 prints no digit for 0");
        assertEquals("10", format("'%d', '10'"));
    }

    @Test
    void stringsHonourWidthAndPrecision() {
        assertEquals("ab   |   ab|abc|    a|", format("'%-5s|%5s|%.3s|%5.1s|', 'ab', 'ab', 'abcdef', 'abc'"));
        assertEquals("\"a\\\nb\\\"c\\000d\"", format("'%q', 'a\\nb\"c\\0d'"));
        assertEquals("1.5 10", format("'%s %s', 1.5, 10"));
        assertEquals("%", format("'%%'"));
    }

    @Test
    void errorsAsLua51() {
        assertEquals("user_script:1: bad argument #2 to 'format' (no value)", lua.error("return string.format('%d')"));
        assertEquals("user_script:1: bad argument #2 to 'format' (number expected, got string)",
                lua.error("return string.format('%d', 'x')"));
        assertEquals("user_script:1: bad argument #3 to 'format' (string expected, got boolean)",
                lua.error("return string.format('%s %s', 'a', true)"));
        assertEquals("user_script:1: invalid option '%z' to 'format'", lua.error("return string.format('%z', 1)"));
        assertEquals("user_script:1: invalid format (repeated flags)", lua.error("return string.format('%-+ #0-d', 1)"));
        assertEquals("user_script:1: invalid format (width or precision too long)", lua.error("return string.format('%100d', 1)"));
    }
}
