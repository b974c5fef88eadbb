package io.respire.scripting.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BitLibTest extends LuaLibTestSupport {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "bit.tobit(0xffffffff) | -1",
        "bit.tobit(2^32 + 5) | 5",
        "bit.tobit(2^31) | -2147483648",
        "bit.tobit(1.5) | 2",
        "bit.tobit(2.5) | 2",
        "bit.tobit(-1.5) | -2",
        "bit.tobit(math.huge) | 0",
        "bit.tobit(0/0) | 0",
        "bit.tobit(2^53 + 2) | 1",
        "bit.tobit(' 0x10 ') | 16",
        "bit.bnot(0) | -1",
        "bit.band(0xff, 0x0f, 0x3) | 3",
        "bit.bor(1, 2, 4, 8) | 15",
        "bit.bxor(5, 3) | 6",
        "bit.lshift(1, 31) | -2147483648",
        "bit.lshift(1, 32) | 1",
        "bit.lshift(1, -1) | -2147483648",
        "bit.rshift(-1, 28) | 15",
        "bit.arshift(-1, 28) | -1",
        "bit.arshift(-256, 4) | -16",
        "bit.rol(0x12345678, 4) | 591751041",
        "bit.ror(0x12345678, 4) | -2128394905",
        "bit.bswap(0x12345678) | 2018915346",
    })
    void operations(String expr, double expected) {
        assertEquals(expected, number("return " + expr));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "bit.tohex(255) | 000000ff",
        "bit.tohex(-1) | ffffffff",
        "bit.tohex(255, 2) | ff",
        "bit.tohex(255, -2) | FF",
        "bit.tohex(0x12345678, 4) | 5678",
        "bit.tohex(0xabcdef, 20) | 00abcdef",
        "bit.tohex(0xabcdef, -20) | 00ABCDEF",
        "bit.tohex(7, -2^31) | 00000007",
    })
    void tohex(String expr, String expected) {
        assertEquals(expected, eval("return " + expr));
    }

    @Test
    void tohexWithZeroWidthIsEmpty() {
        assertEquals("", eval("return bit.tohex(1, 0)"));
    }

    @Test
    void errors() {
        assertEquals("bad argument #1 to 'tobit' (number expected, got no value)", error("bit.tobit()"));
        assertEquals("bad argument #1 to 'tobit' (number expected, got table)", error("bit.tobit({})"));
        assertEquals("bad argument #1 to 'tobit' (number expected, got string)", error("bit.tobit('abc')"));
        assertEquals("bad argument #1 to 'band' (number expected, got no value)", error("bit.band()"));
        assertEquals("bad argument #3 to 'bxor' (number expected, got string)", error("bit.bxor(1, nil, 'x')"));
        assertEquals("bad argument #2 to 'lshift' (number expected, got no value)", error("bit.lshift(1)"));
        assertEquals("bad argument #2 to 'tohex' (number expected, got nil)", error("bit.tohex(1, nil)"));
    }
}
