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
        assertEquals("3 0.33333333333333 0.333333   2.2", format("'%d %s %g %5.1f', 3.7, 1/3, 1/3, 2.25"));
        assertEquals("0.000e+00", format("'%.3e', 0"));
        assertEquals("100000 1e+06 0.0001 1e-05", format("'%g %g %g %g', 100000, 1000000, 0.0001, 0.00001"));
        assertEquals("0 2 2", format("'%.0f %.0f %.0f', 0.5, 1.5, 2.5"));
        assertEquals("inf", format("'%.2f', 1/0"));
        assertEquals("1e+15", format("'%s', 1e15"));
        assertEquals("1E-10|2E+01|2.00000", format("'%G|%.0E|%#G', 1e-10, 15, 2"));
    }

    @Test
    void precisionsPastSeventeenDigits() {
        assertEquals("0.10000000000000000555|0.333333333333333314829616256247|1.1805916207174113e+21",
                format("'%.20g|%.30g|%.17g', 0.1, 1/3, 2^70"));
        assertEquals("1." + "0".repeat(99), format("'%.99f', 1"));
        assertEquals("99", lua.value("return tostring(string.format('%99.2e', 1):len())"));
    }

    @Test
    void flagsOfFloatingPoint() {
        assertEquals("1.e+00|3.|0.000100000|1.00e+10|0.00000|1.00000",
                format("'%#.0e|%#.0f|%#g|%#.3g|%#g|%#g', 1, 3, 0.0001, 1e10, 0, 1"));
        assertEquals("1.235e+04 |-0003.14|+00002.5| 1.000000e+00", format("'%-10.3e|%08.2f|%+08.3g|% e', 12345.678, -3.14159, 2.5, 1"));
        assertEquals("-nan|  nan|inf   |  -inf|-NAN", format("'%f|%5.1f|%-6g|%06f|%E', 0/0, -(0/0), 1/0, -1/0, 0/0"),
                "0/0 is x86's negative NaN; no zero padding for inf and nan");
    }

    @Test
    void integersAreCLongs() {
        assertEquals("9007199254740992", format("'%d', 2^53"));
        assertEquals("-9223372036854775808", format("'%d', 2^63"), "out of range is LLONG_MIN, as x86 converts");
        assertEquals("3 -3", format("'%d %d', 3.7, -3.7"));
        assertEquals("00042|+42|  42|42  |", format("'%05d|%+d|%4d|%-4d|', 42, 42, 42, 42"));
        assertEquals("0xff FF 10 |", format("'%#x %X %o %.0d|', 255, 255, 8, 0"), "precision 0 prints no digit for 0");
        assertEquals("10", format("'%d', '10'"));
        assertEquals("ff FF 10 0xff 010", format("'%x %X %o %#x %#o', 255, 255, 8, 255, 8"));
        assertEquals("+5  5 00005 5    |", format("'%+d % d %05d %-5d|', 5, 5, 5, 5"));
        assertEquals("  007|-7", format("'%5.3d|%i', 7, -7.9"));
        assertEquals("-005|    3|7    |+", format("'%.3d|%05.1d|%-05d|%+.0d', -5, 3, 7, 0"));
        assertEquals("0|0|0||0XFF", format("'%#x|%#o|%#.0o|%.0x|%#X', 0, 0, 0, 0, 255"));
    }

    @Test
    void unsignedAndOutOfRangeAsX86Casts() {
        assertEquals("18446744073709551615", format("'%u', -1"));
        assertEquals("8000000000000800|-9223372036854775808|8000000000000000|1777777777777777777777|0",
                format("'%x|%d|%x|%o|%u', 2^63+2048, 0/0, 0/0, -1, 2^64"));
    }

    @Test
    void characters() {
        assertEquals("AB", format("'%c%c', 65, 66"));
        assertEquals("    A|B  |", format("'%5c|%-3c|%c', 65, 66, 0"), "a zero byte ends the item, as C's strlen");
    }

    @Test
    void stringsHonourWidthAndPrecision() {
        assertEquals("ab   |   ab|abc|    a|", format("'%-5s|%5s|%.3s|%5.1s|', 'ab', 'ab', 'abcdef', 'abc'"));
        assertEquals("      abcd|", format("'%10.4s|', 'abcdefg'"));
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
        assertEquals("user_script:1: invalid option '%y' to 'format'", lua.error("return string.format('%y', 1)"));
        assertEquals("user_script:1: invalid format (repeated flags)", lua.error("return string.format('%-+ #0-d', 1)"));
        assertEquals("user_script:1: invalid format (width or precision too long)", lua.error("return string.format('%100d', 1)"));
        assertEquals("user_script:1: invalid format (width or precision too long)", lua.error("return string.format('%1.123d', 1)"));
    }
}
