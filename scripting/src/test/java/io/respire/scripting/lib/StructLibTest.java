package io.respire.scripting.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.Varargs;

class StructLibTest extends LuaLibTestSupport {

    @Nested
    class Pack {
        @ParameterizedTest(name = "pack{0} = {1}")
        @CsvSource(delimiter = '|', value = {
            "('>b B h H', -1, 255, -2, 65535) | ffff fffe ffff",
            "('<i I', -3, 4294967295) | fdffffff ffffffff",
            "('>l L T', -4, 2^40, 7) | fffffffffffffffc 0000010000000000 0000000000000007",
            "('i h', 1, 2) | 01000000 0200",
            "('>i3 I5', 0x123456, 2^33 + 1) | 123456 0200000001",
            "('<i12', -1) | ffffffffffffffff 00000000",
            "('>i', 2^32) | 00000000",
            "('>i', 3e9) | b2d05e00",
            "('>i', -1.9) | ffffffff",
            "('>L', 2^64) | 0000000000000000",
            "('>L', math.huge) | 0000000000000000",
            "('>l', -math.huge) | 8000000000000000",
            "('>L', 0/0) | 8000000000000000",
            "('>L', 2^64 - 2048) | fffffffffffff800",
            "('>f <f', 1.5, 1.5) | 3fc00000 0000c03f",
            "('>d', -2.5) | c004000000000000",
            "('x b x', 1) | 00 01 00",
            "('!4 b i', 1, 2) | 01000000 02000000",
            "('!8 b d', 1, 1) | 0100000000000000 000000000000f03f",
            "('!8 b i3 b i6', 1, 2, 3, 4) | 01 0000 020000 03 00 040000000000",
            "('!4 b s i', 1, 'ab', 2) | 01 616200 02000000",
            "('i0 b', 99, 1) | 01",
            "('b\\0b', 1, 2) | 01",
        })
        void bytes(String call, String expectedHex) {
            assertEquals(expectedHex.replace(" ", ""), hex("return struct.pack" + call));
        }

        @Test
        void strings() {
            assertEquals("abc", eval("return struct.pack('c3', 'abcdef')"));
            assertEquals("whole", eval("return struct.pack('c0', 'whole')"));
            assertEquals("x", eval("return struct.pack('c', 'xyz')"));
            assertEquals("hi\0", eval("return struct.pack('s', 'hi')"));
            assertEquals("1.5", eval("return struct.pack('c0', 1.5)"));
            assertEquals("1e+100", eval("return struct.pack('c0', 1e100)"));
        }

        @Test
        void errors() {
            assertEquals("bad argument #3 to 'pack' (string too short)", error("struct.pack('c5', 'ab')"));
            assertEquals("bad argument #4 to 'pack' (string too short)", error("struct.pack('i c5', 1, 'ab')"));
            assertEquals("bad argument #2 to 'pack' (number expected, got nil)", error("struct.pack('i')"));
            assertEquals("bad argument #3 to 'pack' (number expected, got nil)", error("struct.pack('ii', 1)"));
            assertEquals("bad argument #2 to 'pack' (number expected, got string)", error("struct.pack('i', 'x')"));
            assertEquals("bad argument #2 to 'pack' (string expected, got table)", error("struct.pack('s', {})"));
            assertEquals("bad argument #1 to 'pack' (string expected, got table)", error("struct.pack({})"));
            assertEquals("bad argument #1 to 'pack' (invalid format option 'z')", error("struct.pack('z', 1)"));
            assertEquals("bad argument #1 to 'pack' (invalid format option '\u00c8')", error("struct.pack('\\200', 1)"));
            assertEquals("alignment 3 is not a power of 2", error("struct.pack('!3 b', 1)"));
            assertEquals("alignment 0 is not a power of 2", error("struct.pack('!0 b', 1)"));
            assertEquals("integral size 33 is larger than limit of 32", error("struct.pack('i33', 1)"));
            assertEquals("integral size overflow", error("struct.pack('i99999999999', 1)"));
            assertEquals("integral size overflow", error("struct.pack('c2147483648', 'x')"));
        }
    }

    @Nested
    class Unpack {
        @Test
        void integersAndNextPosition() {
            Varargs r = run("return struct.unpack('>b B h H i I', '\\255\\255\\255\\254\\255\\255\\255\\255\\255\\253\\255\\255\\255\\255')");
            assertEquals("-1 255 -2 65535 -3 4294967295 15", join(r));
        }

        @Test
        void wideIntegersKeepOnlyTheLastEightBytes() {
            assertEquals(-127.0, number("return struct.unpack('>i9', '\\1\\128\\0\\0\\0\\0\\0\\0\\1')"));
            assertEquals(0x1p63, number("return struct.unpack('>I9', '\\1\\128\\0\\0\\0\\0\\0\\0\\1')"));
            assertEquals(-1.0, number("return struct.unpack('<i12', string.rep('\\255', 12))"));
        }

        @Test
        void chars() {
            assertEquals("ab c 4", join(run("return struct.unpack('c2 c1', 'abcd')")));
            assertEquals("hello 7 9", join(run("return struct.unpack('>I2 c0 b', '\\0\\5hello\\7')")));
            assertEquals("abc 5", join(run("return struct.unpack('c1 c0', '3abcd')")));
            assertEquals("hi  5", join(run("return struct.unpack('s s', 'hi\\0\\0rest')")).replace("\0", ""));
        }

        @Test
        void floats() {
            assertEquals(1.5, number("return struct.unpack('>f', '\\63\\192\\0\\0')"));
            assertEquals(Double.POSITIVE_INFINITY, number("return struct.unpack('>d', '\\127\\240\\0\\0\\0\\0\\0\\0')"));
        }

        @Test
        void offsetsAndAlignment() {
            assertEquals("98 3", join(run("return struct.unpack('b', 'abc', 2)")));
            assertEquals("1 2 3 11", join(run("return struct.unpack('!4 b i x b', '\\1\\0\\0\\0\\2\\0\\0\\0\\0\\3')")));
        }

        @Test
        void errors() {
            assertEquals("format 'c0' needs a previous size", error("struct.unpack('c0', 'abc')"));
            assertEquals("format 'c0' needs a previous size", error("struct.unpack('c1 c0', 'xabc')"));
            assertEquals("bad argument #2 to 'unpack' (data string too short)", error("struct.unpack('b c0', '\\9ab')"));
            assertEquals("bad argument #2 to 'unpack' (data string too short)", error("struct.unpack('b c0', '\\255ab')"));
            assertEquals("unfinished string in data", error("struct.unpack('s', 'hi')"));
            assertEquals("bad argument #2 to 'unpack' (data string too short)", error("struct.unpack('>i', 'abc')"));
            assertEquals("bad argument #3 to 'unpack' (offset must be 1 or greater)", error("struct.unpack('b', 'abc', 0)"));
            assertEquals("bad argument #2 to 'unpack' (data string too short)", error("struct.unpack('b', 'abc', -1)"));
            assertEquals("bad argument #2 to 'unpack' (data string too short)", error("struct.unpack('>', 'abc', 10)"));
            assertEquals("bad argument #1 to 'unpack' (invalid format option 'z')", error("struct.unpack('z', '')"));
            assertEquals("bad argument #2 to 'unpack' (string expected, got no value)", error("struct.unpack('b')"));
            assertEquals("stack overflow (too many results)",
                    error("struct.unpack(string.rep('b', 7998), string.rep('a', 7998))"));
            assertEquals(7998.0, number("return select('#', struct.unpack(string.rep('b', 7997), string.rep('a', 7997)))"));
        }
    }

    @Nested
    class Size {
        @Test
        void sizes() {
            assertEquals("1 2 4 8 8 4 8 1 7 3", join(run("return struct.size('b'), struct.size('h'), struct.size('i'), "
                    + "struct.size('l'), struct.size('T'), struct.size('f'), struct.size('d'), struct.size('x'), "
                    + "struct.size('c7'), struct.size('i3')")));
            assertEquals("16 12 13 0 2", join(run("return struct.size('!8 b d'), struct.size('!4 b d'), "
                    + "struct.size('>i2 d c3'), struct.size('z'), struct.size('bqb')")));
        }

        @Test
        void errors() {
            assertEquals("bad argument #1 to 'size' (option 's' has no fixed size)", error("struct.size('s')"));
            assertEquals("bad argument #1 to 'size' (option 'c0' has no fixed size)", error("struct.size('b c0')"));
            assertEquals("bad argument #1 to 'size' (invalid format option '?')", error("struct.size('?')"));
            assertEquals("integral size 40 is larger than limit of 32", error("struct.size('I40')"));
        }
    }

    private static String join(Varargs r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= r.narg(); i++) {
            if (i > 1) {
                sb.append(' ');
            }
            sb.append(r.arg(i).isstring() && r.arg(i).type() == org.luaj.vm2.LuaValue.TSTRING
                    ? latin1(r.arg(i).checkstring()) : CNumbers.luaNumberToString(r.arg(i).todouble()));
        }
        return sb.toString();
    }
}
