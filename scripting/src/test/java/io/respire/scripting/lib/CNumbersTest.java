package io.respire.scripting.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.LuaValue;

class CNumbersTest {

    @ParameterizedTest(name = "%.14g of {0} = {1}")
    @CsvSource({
        "0.1, 0.1", "0.5, 0.5", "100, 100", "-5, -5", "1e100, 1e+100", "1e-5, 1e-05", "0.0001, 0.0001",
        "0.00001234, 1.234e-05", "1e14, 1e+14", "123456789012345, 1.2345678901234e+14",
        "99999999999999.5, 1e+14", "12345678901234.5, 12345678901234", "0.125, 0.125",
        "3.0e-320, 2.999966601548e-320", "1.7976931348623157e308, 1.7976931348623e+308",
        "9007199254740992, 9.007199254741e+15", "-0.0, -0", "0.0, 0", "1e21, 1e+21",
        "0.3333333333333333, 0.33333333333333",
    })
    void formatsLikePrintf14g(double value, String expected) {
        assertEquals(expected, CNumbers.formatG(value, 14));
    }

    @ParameterizedTest(name = "%.{1}g of {0} = {2}")
    @CsvSource({
        "0.3333333333333333, 3, 0.333", "15, 1, 2e+01", "0.5, 1, 0.5", "95, 1, 1e+02",
        "2.5, 1, 2", "0.05, 1, 0.05", "123456, 6, 123456", "1234567, 6, 1.23457e+06",
        "0.1, 20, 0.10000000000000000555", "0.3333333333333333, 30, 0.333333333333333314829616256247",
        "1180591620717411303424, 17, 1.1805916207174113e+21", "1e15, 20, 1000000000000000",
    })
    void formatsAtOtherPrecisions(double value, int precision, String expected) {
        assertEquals(expected, CNumbers.formatG(value, precision));
    }

    @Test
    void formatsSpecialValuesLikeGlibc() {
        assertEquals("inf", CNumbers.formatG(Double.POSITIVE_INFINITY, 14));
        assertEquals("-inf", CNumbers.formatG(Double.NEGATIVE_INFINITY, 14));
        assertEquals("nan", CNumbers.formatG(Double.NaN, 14));
        assertEquals("-nan", CNumbers.formatG(Double.longBitsToDouble(0xfff8000000000000L), 14));
    }

    @ParameterizedTest(name = "strtod({0}) = {1} using {2} bytes")
    @CsvSource(delimiter = '|', value = {
        "1.5 | 1.5 | 3", "'  -2e3x' | -2000 | 6", "1e | 1 | 1", "1e+ | 1 | 1", "0x10 | 16 | 4", "0x1p4 | 16 | 5",
        "0X.8 | 0.5 | 4", "0x | 0 | 1", "0xg | 0 | 1", ". | 0 | 0", "- | 0 | 0", "+.5 | 0.5 | 3",
        "1. | 1 | 2", "inf | Infinity | 3", "-Infinity | -Infinity | 9", "infinit | Infinity | 3",
        "1e400 | Infinity | 5", "1e-400 | 0 | 6", "010 | 10 | 3",
    })
    void parsesLikeGlibcStrtod(String text, double value, int consumed) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        CNumbers.Parsed p = CNumbers.strtod(b, 0, b.length);
        assertEquals(value, p.value());
        assertEquals(consumed, p.end());
    }

    @Test
    void parsesNanWithPayload() {
        byte[] b = "nan(0x5)".getBytes(StandardCharsets.US_ASCII);
        CNumbers.Parsed p = CNumbers.strtod(b, 0, b.length);
        assertEquals(8, p.end());
        assertEquals(0x7ff8000000000005L, Double.doubleToRawLongBits(p.value()));
        byte[] neg = "-nan(".getBytes(StandardCharsets.US_ASCII);
        p = CNumbers.strtod(neg, 0, neg.length);
        assertEquals(4, p.end());
        assertTrue(Double.doubleToRawLongBits(p.value()) < 0);
    }

    @Test
    void luaStringToNumberFollowsLua51() {
        assertEquals(16.0, CNumbers.luaStringToNumber(LuaValue.valueOf(" 0x10 ")));
        assertEquals(10.0, CNumbers.luaStringToNumber(LuaValue.valueOf("10\0junk")));
        assertNull(CNumbers.luaStringToNumber(LuaValue.valueOf("10 x")));
        assertNull(CNumbers.luaStringToNumber(LuaValue.valueOf("")));
        assertNull(CNumbers.luaStringToNumber(LuaValue.valueOf("0x")));
    }

    @ParameterizedTest(name = "strtoul({0}, {1}) = {2} using {3} bytes")
    @CsvSource(delimiter = '|', value = {
        "ff | 16 | 255 | 2", "0x10 | 16 | 16 | 4", "0x | 16 | 0 | 1", "0xg | 16 | 0 | 1", "' -ff' | 16 | -255 | 4",
        "z | 36 | 35 | 1", "8 | 8 | 0 | 0", "' ' | 10 | 0 | 0", "- | 10 | 0 | 0", "12 | 2 | 1 | 1",
        "ffffffffffffffff | 16 | -1 | 16", "10000000000000000 | 16 | -1 | 17", "-10000000000000000 | 16 | -1 | 18",
    })
    void parsesLikeGlibcStrtoul(String text, int base, long value, int consumed) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        CNumbers.ParsedUnsigned p = CNumbers.strtoul(b, 0, b.length, base);
        assertEquals(value, p.value());
        assertEquals(consumed, p.end());
    }

    @Test
    void strtoulStopsAtNul() {
        byte[] b = "12\0003".getBytes(StandardCharsets.ISO_8859_1);
        CNumbers.ParsedUnsigned p = CNumbers.strtoul(b, 0, b.length, 10);
        assertEquals(12, p.value());
        assertTrue(CNumbers.onlySpaceLeft(b, p.end(), b.length));
    }

    @Test
    void castsBehaveLikeX86() {
        assertEquals(Long.MIN_VALUE, CNumbers.doubleToInt64(Double.NaN));
        assertEquals(Long.MIN_VALUE, CNumbers.doubleToInt64(0x1p63));
        assertEquals(Integer.MIN_VALUE, CNumbers.doubleToInt32(0x1p31));
        assertEquals(0L, CNumbers.doubleToUint64(0x1p64));
        assertEquals(0xfffffffffffff800L, CNumbers.doubleToUint64(0x1p64 - 2048));
        assertEquals(0x1p64, CNumbers.uint64ToDouble(-1L));
    }
}
