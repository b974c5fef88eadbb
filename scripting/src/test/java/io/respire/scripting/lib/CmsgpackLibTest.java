package io.respire.scripting.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

class CmsgpackLibTest extends LuaLibTestSupport {

    /** The Lua source for the bytes given in hex. */
    private static String bytes(String hex) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < hex.length(); i += 2) {
            sb.append('\\').append(Integer.parseInt(hex.substring(i, i + 2), 16));
        }
        return sb.append('\'').toString();
    }

    @Nested
    class Pack {
        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
            "0, 00", "127, 7f", "128, cc80", "255, ccff", "256, cd0100", "65535, cdffff",
            "65536, ce00010000", "4294967295, ceffffffff", "4294967296, cf0000000100000000",
            "-1, ff", "-32, e0", "-33, d0df", "-128, d080", "-129, d1ff7f", "-32768, d18000",
            "-32769, d2ffff7fff", "-2147483648, d280000000", "-2147483649, d3ffffffff7fffffff",
            "2^53, cf0020000000000000", "-2^63, d38000000000000000",
        })
        void integersTakeTheSmallestEncoding(String lua, String hex) {
            assertEquals(hex, hex("return cmsgpack.pack(" + lua + ")"));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
            "0.5, ca3f000000", "1.5, ca3fc00000", "0.1, cb3fb999999999999a",
            "math.huge, ca7f800000", "-math.huge, caff800000", "2^63, ca5f000000",
            "2^64, ca5f800000", "1e300, cb7e37e43c8800759c", "-0.0, 00",
        })
        void floatsUseFloat32WhenLossless(String lua, String hex) {
            assertEquals(hex, hex("return cmsgpack.pack(" + lua + ")"));
        }

        @Test
        void nanIsADouble() {
            assertEquals(9.0, number("return #cmsgpack.pack(0/0)"));
        }

        @Test
        void integerDecisionIsOnTheValueNotTheJavaClass() {
            // 2^40 is a LuaDouble in LuaJ and 2^31-1 a LuaInteger; both are integers to cmsgpack.
            assertEquals("cf0000010000000000", hex("return cmsgpack.pack(2^40)"));
            assertEquals("ce7fffffff", hex("return cmsgpack.pack(2147483647)"));
            assertEquals("cd0100", hex("return cmsgpack.pack(512 / 2)"));
        }

        @Test
        void stringHeaders() {
            assertEquals("a0", hex("return cmsgpack.pack('')"));
            assertEquals("a3000110", hex("return cmsgpack.pack('\\0\\1\\16')"));
            assertEquals("bf", hex("return cmsgpack.pack(string.rep('x', 31))").substring(0, 2));
            assertEquals("d920", hex("return cmsgpack.pack(string.rep('x', 32))").substring(0, 4));
            assertEquals("da0100", hex("return cmsgpack.pack(string.rep('x', 256))").substring(0, 6));
            assertEquals("db00010000", hex("return cmsgpack.pack(string.rep('x', 65536))").substring(0, 10));
        }

        @Test
        void tables() {
            assertEquals("90", hex("return cmsgpack.pack({})"));
            assertEquals("93010203", hex("return cmsgpack.pack({1, 2, 3})"));
            assertEquals("81a16101", hex("return cmsgpack.pack({a = 1})"));
            assertEquals("8102a178", hex("return cmsgpack.pack({[2] = 'x'})"));
            assertEquals("dc0010", hex("local t = {} for i = 1, 16 do t[i] = 0 end return cmsgpack.pack(t)").substring(0, 6));
            assertEquals(0x82, (int) number("return string.byte(cmsgpack.pack({1, nil, 3}))"));
        }

        @Test
        void otherTypesAreNil() {
            assertEquals("c3c2c0c0c0", hex("return cmsgpack.pack(true, false, nil, cjson.null, string.len)"));
        }

        @Test
        void tablesNestedSixteenDeepBecomeNil() {
            assertEquals("91".repeat(16) + "c0",
                    hex("local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end return cmsgpack.pack(t)"));
            assertEquals("91".repeat(16) + "c0", hex("local t = {} t[1] = t return cmsgpack.pack(t)"));
        }

        @Test
        void argumentErrors() {
            assertEquals("bad argument #0 to 'pack' (MessagePack pack needs input.)", error("cmsgpack.pack()"));
            assertEquals(4000.0, number("return #cmsgpack.pack(table.unpack({}, 1, 4000))"));
            assertEquals("bad argument #0 to 'pack' (Too many arguments for MessagePack pack.)",
                    error("cmsgpack.pack(table.unpack({}, 1, 4001))"));
        }

        @Test
        void moduleFields() {
            Varargs r = run("return cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, cmsgpack._DESCRIPTION");
            assertEquals("cmsgpack", r.arg(1).tojstring());
            assertEquals("lua-cmsgpack 0.4.0", r.arg(2).tojstring());
            assertEquals("Copyright (C) 2012, Salvatore Sanfilippo", r.arg(3).tojstring());
            assertEquals("MessagePack C implementation for Lua", r.arg(4).tojstring());
        }
    }

    @Nested
    class Unpack {
        @Test
        void scalars() {
            Varargs r = run("return cmsgpack.unpack(" + bytes("7fccffd080d1ff7fceffffffffc3c2c0ca3fc00000a3616263") + ")");
            assertEquals(10, r.narg());
            assertEquals(127, r.arg(1).toint());
            assertEquals(255, r.arg(2).toint());
            assertEquals(-128, r.arg(3).toint());
            assertEquals(-129, r.arg(4).toint());
            assertEquals(4294967295.0, r.arg(5).todouble());
            assertEquals(LuaValue.TRUE, r.arg(6));
            assertEquals(LuaValue.FALSE, r.arg(7));
            assertEquals(LuaValue.NIL, r.arg(8));
            assertEquals(1.5, r.arg(9).todouble());
            assertEquals("abc", r.arg(10).tojstring());
        }

        @Test
        void uint64AboveSignedRangeComesBackNegative() {
            assertEquals(-1.0, number("return cmsgpack.unpack(" + bytes("cfffffffffffffffff") + ")"));
            assertEquals(-0x1p63, number("return cmsgpack.unpack(" + bytes("cf8000000000000000") + ")"));
        }

        @Test
        void containers() {
            assertEquals("1 nil 3", eval("local t = cmsgpack.unpack(" + bytes("9301c003") + ") "
                    + "return t[1] .. ' ' .. tostring(t[2]) .. ' ' .. t[3]"));
            assertEquals(1.0, number("return cmsgpack.unpack(" + bytes("81a16101") + ").a"));
            assertEquals(2.0, number("return cmsgpack.unpack(" + bytes("de00010102") + ")[1]"));
        }

        @Test
        void errors() {
            assertEquals("Missing bytes in input.", error("cmsgpack.unpack(" + bytes("cd00") + ")"));
            assertEquals("Missing bytes in input.", error("cmsgpack.unpack(" + bytes("9301") + ")"));
            assertEquals("Missing bytes in input.", error("cmsgpack.unpack(" + bytes("ddffffffff") + ")"));
            assertEquals("Bad data format in input.", error("cmsgpack.unpack(" + bytes("c40161") + ")"));
            assertEquals("Bad data format in input.", error("cmsgpack.unpack(" + bytes("01c1") + ")"));
            assertEquals("bad argument #1 to 'unpack' (string expected, got table)", error("cmsgpack.unpack({})"));
        }

        @Test
        void luaCoreErrorsCarryNoPosition() {
            // Raised by lua_settable inside the C function: Lua 5.1 adds no "user_script:1:" here.
            Varargs r = run("return pcall(function() local t = cmsgpack.unpack(" + bytes("81c001") + ") return t end)");
            assertEquals("table index is nil", r.arg(2).tojstring());
            r = run("return pcall(function() local t = cmsgpack.unpack(" + bytes("81ca7fc0000001") + ") return t end)");
            assertEquals("table index is NaN", r.arg(2).tojstring());
        }

        @Test
        void stackLimits() {
            assertEquals(7999.0, number("return select('#', cmsgpack.unpack(string.rep('\\1', 7999)))"));
            assertEquals("stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)",
                    error("cmsgpack.unpack(string.rep('\\1', 8000))"));
            assertEquals("table", eval("return type(cmsgpack.unpack(string.rep('\\145', 3999) .. '\\1'))"));
            assertEquals("stack overflow (in function mp_decode_to_lua_array)",
                    error("cmsgpack.unpack(string.rep('\\145', 4000) .. '\\1')"));
        }

        @Test
        void unpackOneAndLimit() {
            assertEquals("1 1 -1 two", eval("local s = cmsgpack.pack(1, 'two') local o, v = cmsgpack.unpack_one(s) "
                    + "local o2, v2 = cmsgpack.unpack_one(s, o) return o .. ' ' .. v .. ' ' .. o2 .. ' ' .. v2"));
            assertEquals(-1.0, number("return cmsgpack.unpack_one('')"));
            assertEquals("2 1 2", eval("local o, a, b = cmsgpack.unpack_limit('\\1\\2\\3', 2) return o .. ' ' .. a .. ' ' .. b"));
            assertEquals(3, run("return cmsgpack.unpack_limit('\\1\\2\\3', 0)").narg());
            assertEquals(1.0, number("return cmsgpack.unpack_limit('\\1\\2\\3', 0, 1)"));
            assertEquals("Start offset 100 greater than input length 3.", error("cmsgpack.unpack_one('\\1\\2\\3', 100)"));
            assertEquals("Invalid request to unpack with offset of -1 and limit of 3.",
                    error("cmsgpack.unpack_one('\\1\\2\\3', -1)"));
            assertEquals("Invalid request to unpack with offset of 0 and limit of 3.",
                    error("cmsgpack.unpack_limit('\\1\\2\\3', -1)"));
            assertEquals("bad argument #2 to 'unpack_limit' (number expected, got no value)",
                    error("cmsgpack.unpack_limit('\\1')"));
            assertEquals("bad argument #2 to 'unpack_one' (number expected, got string)",
                    error("cmsgpack.unpack_one('\\1', 'x')"));
        }

        @Test
        void roundTrip() {
            assertTrue(run("local v = {1, 2.5, 'three', {four = 4}, true, -7, 1e300} "
                    + "local u = cmsgpack.unpack(cmsgpack.pack(v)) "
                    + "return u[1] == 1 and u[2] == 2.5 and u[3] == 'three' and u[4].four == 4 and u[5] == true "
                    + "and u[6] == -7 and u[7] == 1e300").arg1().toboolean());
        }
    }
}
