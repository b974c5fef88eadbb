package io.respire.scripting.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

class CjsonLibTest extends LuaLibTestSupport {

    @Nested
    class Encode {
        @Test
        void arraysAndEmptyTable() {
            assertEquals("[1,2,3]", eval("return cjson.encode({1, 2, 3})"));
            assertEquals("{}", eval("return cjson.encode({})"));
            assertEquals("[{},[{}]]", eval("return cjson.encode({{}, {{}}})"));
        }

        @Test
        void scalars() {
            assertEquals("true", eval("return cjson.encode(true)"));
            assertEquals("false", eval("return cjson.encode(false)"));
            assertEquals("null", eval("return cjson.encode(nil)"));
            assertEquals("null", eval("return cjson.encode(cjson.null)"));
            assertEquals("\"s\"", eval("return cjson.encode('s')"));
        }

        @Test
        void escapesQuotesBackslashSlashAndControls() {
            assertEquals("\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\"",
                    eval("return cjson.encode('q\"b\\\\s/n\\nt\\tr\\rb\\bf\\f')"));
            assertEquals("\"\\u0000\\u0001\\u000b\\u001f \\u007f\"",
                    eval("return cjson.encode(string.char(0, 1, 11, 31, 32, 127))"));
        }

        @Test
        void highBytesAreCopied() {
            assertEquals("\"\u00c3\u00a9\u00ff\"", eval("return cjson.encode('\\195\\169\\255')"));
        }

        @Test
        void numbersUsePercent14g() {
            assertEquals("[0.1,0.33333333333333,100,-5,1e+100,1e-05,1e+14,1e+15]",
                    eval("return cjson.encode({0.1, 1/3, 100, -5, 1e100, 1e-5, 1e14, 1e15})"));
            assertEquals("[1e+14,9.007199254741e+15,-2147483648]",
                    eval("return cjson.encode({99999999999999.5, 2^53, -2^31})"));
        }

        @Test
        void holesBecomeNull() {
            assertEquals("[1,null,3]", eval("return cjson.encode({1, nil, 3})"));
            assertEquals("[null,null,null,null,null,null,null,null,null,1]",
                    eval("return cjson.encode({[10] = 1})"));
        }

        @Test
        void excessivelySparseArray() {
            assertEquals("Cannot serialise table: excessively sparse array",
                    error("cjson.encode({[11] = 1})"));
            assertEquals("Cannot serialise table: excessively sparse array",
                    error("cjson.encode({[2147483647] = 1})"));
        }

        @Test
        void numericKeysOfObjects() {
            assertEquals("{\"1.5\":1}", eval("return cjson.encode({[1.5] = 1})"));
            assertEquals("{\"-1\":1}", eval("return cjson.encode({[-1] = 1})"));
            assertEquals("{\"0\":1}", eval("return cjson.encode({[0] = 1})"));
            // A key beyond INT_MAX turns the C int maximum negative: the table is an object.
            assertEquals("{\"10000000000\":1}", eval("return cjson.encode({[1e10] = 1})"));
            assertEquals("{\"1e+300\":1}", eval("return cjson.encode({[1e300] = 1})"));
        }

        @Test
        void mixedTableIsAnObject() {
            assertEquals("{\"1\":\"a\",\"x\":\"y\"}", eval("return cjson.encode({'a', x = 'y'})"));
        }

        @Test
        void keyAndValueTypeErrors() {
            assertEquals("Cannot serialise boolean: table key must be a number or string",
                    error("cjson.encode({[true] = 1})"));
            assertEquals("Cannot serialise table: table key must be a number or string",
                    error("cjson.encode({[{}] = 1})"));
            assertEquals("Cannot serialise userdata: table key must be a number or string",
                    error("cjson.encode({[cjson.null] = 1})"));
            assertEquals("Cannot serialise function: type not supported",
                    error("cjson.encode({f = function() end})"));
        }

        @Test
        void invalidNumbersAreRefusedByDefault() {
            assertEquals("Cannot serialise number: must not be NaN or Inf", error("cjson.encode(math.huge)"));
            assertEquals("Cannot serialise number: must not be NaN or Inf", error("cjson.encode({0/0})"));
            assertEquals("Cannot serialise number: must not be NaN or Inf",
                    error("cjson.encode({[-math.huge] = 1})"));
        }

        @Test
        void nestingLimit() {
            String nest = "local function nest(n) local t = {} local c = t "
                    + "for i = 1, n - 1 do c[1] = {} c = c[1] end return t end ";
            assertEquals(2000.0, number(nest + "return #cjson.encode(nest(1000))"));
            assertEquals("Cannot serialise, excessive nesting (1001)",
                    error("(function() " + nest + " return cjson.encode(nest(1001)) end)()"));
            assertEquals("Cannot serialise, excessive nesting (1001)",
                    error("(function() local t = {} t[1] = t return cjson.encode(t) end)()"));
        }

        @Test
        void deepNestingIsBoundedByTheLuaStackNotTheJavaStack() {
            String prefix = "local c = cjson.new() c.encode_max_depth(100000) "
                    + "local function nest(n) local t = {} local cur = t "
                    + "for i = 1, n - 1 do cur[1] = {} cur = cur[1] end return t end ";
            assertEquals(7997 * 2.0, number(prefix + "return #c.encode(nest(7997))"));
            assertEquals("Cannot serialise, excessive nesting (7998)",
                    eval(prefix + "local ok, e = pcall(c.encode, nest(7998)) return e"));
        }

        @Test
        void argumentCount() {
            assertEquals("bad argument #1 to 'encode' (expected 1 argument)", error("cjson.encode()"));
            assertEquals("bad argument #1 to 'encode' (expected 1 argument)", error("cjson.encode(1, 2)"));
        }
    }

    @Nested
    class Decode {
        @Test
        void documents() {
            Varargs r = run("local t = cjson.decode('{\"a\":{\"b\":[true,false,null]},\"c\":\"d\"}') "
                    + "return t.a.b[1], t.a.b[2], t.a.b[3] == cjson.null, t.c, #t.a.b");
            assertEquals(LuaValue.TRUE, r.arg(1));
            assertEquals(LuaValue.FALSE, r.arg(2));
            assertEquals(LuaValue.TRUE, r.arg(3));
            assertEquals("d", r.arg(4).tojstring());
            assertEquals(3, r.arg(5).toint());
        }

        @Test
        void nullIsTheSharedUserdata() {
            assertSame(CjsonLib.NULL, run("return cjson.decode('null')").arg1());
            assertEquals("userdata", eval("return type(cjson.null)"));
            assertEquals("userdata: (nil)", eval("return tostring(cjson.null)"));
        }

        @Test
        void escapesAndUnicode() {
            assertEquals("\"\\/\b\f\n\r\t", eval("return cjson.decode('\"\\\\\"\\\\\\\\\\\\/\\\\b\\\\f\\\\n\\\\r\\\\t\"')"));
            assertEquals("A\u00c3\u00a9\u00e2\u0082\u00ac\u00f0\u009f\u0098\u0080",
                    eval("return cjson.decode('\"\\\\u0041\\\\u00e9\\\\u20ac\\\\ud83d\\\\ude00\"')"));
            assertEquals("a\u0000b", eval("return cjson.decode('\"a\\\\u0000b\"')"));
        }

        @Test
        void stringErrors() {
            assertEquals("Expected value but found invalid unicode escape code at character 2",
                    error("cjson.decode('\"\\\\ud800\"')"));
            assertEquals("Expected value but found invalid unicode escape code at character 2",
                    error("cjson.decode('\"\\\\udc00\"')"));
            assertEquals("Expected value but found invalid unicode escape code at character 2",
                    error("cjson.decode('\"\\\\u12g4\"')"));
            assertEquals("Expected value but found invalid escape code at character 3",
                    error("cjson.decode('\"a\\\\x\"')"));
            assertEquals("Expected value but found unexpected end of string at character 5",
                    error("cjson.decode('\"abc')"));
        }

        @Test
        void syntaxErrors() {
            assertEquals("Expected value but found T_END at character 1", error("cjson.decode('')"));
            assertEquals("Expected value but found invalid token at character 1", error("cjson.decode('x')"));
            assertEquals("Expected value but found T_ARR_END at character 4", error("cjson.decode('[1,]')"));
            assertEquals("Expected colon but found T_NUMBER at character 6", error("cjson.decode('{\"a\" 1}')"));
            assertEquals("Expected object key string but found T_NUMBER at character 2",
                    error("cjson.decode('{1:2}')"));
            assertEquals("Expected comma or array end but found T_NUMBER at character 4",
                    error("cjson.decode('[1 2]')"));
            assertEquals("Expected object key string but found T_OBJ_END at character 8",
                    error("cjson.decode('{\"a\":1,}')"));
            assertEquals("Expected comma or object end but found invalid token at character 7",
                    error("cjson.decode('{\"a\":1;}')"));
            assertEquals("Expected the end but found invalid token at character 5", error("cjson.decode('[1] x')"));
            assertEquals("Expected the end but found invalid token at character 5", error("cjson.decode('truex')"));
            assertEquals("Expected value but found invalid token at character 1", error("cjson.decode('\\f1')"));
        }

        @Test
        void lenientNumbersByDefault() {
            Varargs r = run("return table.unpack(cjson.decode('[0x10, 010, +5, 1.e2, 0.1, 0X1F]'))");
            double[] expected = {16, 10, 5, 100, 0.1, 31};
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], r.arg(i + 1).todouble());
            }
            assertTrue(Double.isInfinite(number("return cjson.decode('1e400')")));
            assertTrue(Double.isNaN(number("return cjson.decode('nan')")));
            assertEquals(Double.NEGATIVE_INFINITY, number("return cjson.decode('-Infinity')"));
        }

        @Test
        void strictNumbersWhenInvalidNumbersAreOff() {
            String c = "local c = cjson.new() c.decode_invalid_numbers(false) ";
            // '+' is only tried as a number when invalid numbers are allowed.
            assertEquals("Expected value but found invalid token at character 2",
                    eval(c + "local ok, e = pcall(c.decode, '[+1]') return e"));
            assertEquals("Expected value but found invalid number at character 1",
                    eval(c + "local ok, e = pcall(c.decode, '0x10') return e"));
            assertEquals("Expected value but found invalid number at character 1",
                    eval(c + "local ok, e = pcall(c.decode, '01') return e"));
            assertEquals("Expected value but found invalid token at character 1",
                    eval(c + "local ok, e = pcall(c.decode, 'inf') return e"));
            assertEquals("Expected value but found invalid number at character 1",
                    eval(c + "local ok, e = pcall(c.decode, '-inf') return e"));
        }

        @Test
        void numberTokenErrors() {
            assertEquals("Expected value but found invalid number at character 2", error("cjson.decode('[-]')"));
            assertEquals("Expected the end but found invalid token at character 2", error("cjson.decode('1e')"));
            assertEquals("Expected value but found invalid token at character 1", error("cjson.decode('.5')"));
        }

        @Test
        void depthLimit() {
            assertEquals("Found too many nested data structures (1001) at character 1001",
                    error("cjson.decode(string.rep('[', 1001))"));
            assertEquals("Found too many nested data structures (3) at character 3",
                    eval("local c = cjson.new() c.decode_max_depth(2) "
                            + "local ok, e = pcall(c.decode, '[[[1]]]') return e"));
        }

        @Test
        void deepDocumentsAreBoundedByTheLuaStackNotTheJavaStack() {
            String c = "local c = cjson.new() c.decode_max_depth(100000) ";
            assertEquals("Found too many nested data structures (7999) at character 7999",
                    eval(c + "local ok, e = pcall(c.decode, string.rep('[', 7999)) return e"));
            assertEquals("Found too many nested data structures (4000) at character 19996",
                    eval(c + "local ok, e = pcall(c.decode, string.rep('{\"a\":', 4000)) return e"));
            assertEquals(7998.0, number(c + "local t = c.decode(string.rep('[', 7998) .. string.rep(']', 7998)) "
                    + "local d = 0 while type(t) == 'table' do t = t[1] d = d + 1 end return d"));
        }

        @Test
        void cStringBehaviour() {
            assertEquals(12.0, number("return cjson.decode('12\\0garbage')"));
            assertEquals("JSON parser does not support UTF-16 or UTF-32", error("cjson.decode('\\0[\\0]')"));
            assertEquals("JSON parser does not support UTF-16 or UTF-32", error("cjson.decode('[\\0')"));
        }

        @Test
        void numberArgumentIsPrintedThenParsed() {
            assertEquals(123.0, number("return cjson.decode(123)"));
            assertEquals(1e100, number("return cjson.decode(1e100)"));
        }

        @Test
        void argumentErrors() {
            assertEquals("bad argument #1 to 'decode' (string expected, got table)", error("cjson.decode({})"));
            assertEquals("bad argument #1 to 'decode' (expected 1 argument)", error("cjson.decode()"));
            assertEquals("bad argument #1 to 'decode' (expected 1 argument)", error("cjson.decode('1', '2')"));
        }

        @Test
        void everyByteRoundTrips() {
            assertEquals(LuaValue.TRUE, run("local t = {} for i = 0, 255 do t[#t + 1] = string.char(i) end "
                    + "local s = table.concat(t) return cjson.decode(cjson.encode(s)) == s").arg1());
        }
    }

    @Nested
    class Configuration {
        @Test
        void defaults() {
            Varargs r = run("local c = cjson.new() local a, b, d = c.encode_sparse_array() "
                    + "return a, b, d, c.encode_max_depth(), c.decode_max_depth(), c.encode_number_precision(), "
                    + "c.encode_keep_buffer(), c.encode_invalid_numbers(), c.decode_invalid_numbers()");
            assertEquals("false 2 10 1000 1000 14 true false true", join(r));
        }

        @Test
        void moduleFields() {
            assertEquals("cjson 2.1.0", join(run("return cjson._NAME, cjson._VERSION")));
        }

        @Test
        void numberPrecision() {
            assertEquals("0.333", eval("local c = cjson.new() c.encode_number_precision(3) return c.encode(1/3)"));
            assertEquals("bad argument #1 to 'encode_number_precision' (expected integer between 1 and 14)",
                    error("cjson.new().encode_number_precision(15)"));
            assertEquals("bad argument #1 to 'encode_number_precision' (number expected, got string)",
                    error("cjson.new().encode_number_precision('x')"));
        }

        @Test
        void sparseArrays() {
            assertEquals("{\"20\":2}", eval("local c = cjson.new() c.encode_sparse_array(true) return c.encode({[20] = 2})"));
            assertEquals("true 3 4", join(run("return cjson.new().encode_sparse_array('on', 3, 4)")));
            assertEquals("bad argument #1 to 'encode_sparse_array' (invalid option 'yes')",
                    error("cjson.new().encode_sparse_array('yes')"));
            assertEquals("bad argument #1 to 'encode_sparse_array' (invalid option '\u00ffx')",
                    error("cjson.new().encode_sparse_array('\\255x')"));
            assertEquals("bad argument #4 to 'encode_sparse_array' (found too many arguments)",
                    error("cjson.new().encode_sparse_array(true, 2, 10, 4)"));
            assertEquals("bad argument #1 to 'encode_sparse_array' (expected integer between 0 and 2147483647)",
                    error("cjson.new().encode_sparse_array(nil, -1)"));
            assertEquals("bad argument #3 to 'encode_sparse_array' (number expected, got string)",
                    error("cjson.new().encode_sparse_array(nil, nil, 'x')"));
        }

        @Test
        void invalidNumbers() {
            assertEquals("[inf,-inf,nan]",
                    eval("local c = cjson.new() c.encode_invalid_numbers(true) return c.encode({math.huge, -math.huge, 0/0})"));
            assertEquals("null [null,null,1]", join(run("local c = cjson.new() "
                    + "return c.encode_invalid_numbers('null'), c.encode({math.huge, 0/0, 1})")));
            assertEquals("bad argument #1 to 'encode_invalid_numbers' (invalid option 'maybe')",
                    error("cjson.new().encode_invalid_numbers('maybe')"));
        }

        @Test
        void keepBufferAndDepths() {
            assertEquals("false true", join(run("local c = cjson.new() "
                    + "return c.encode_keep_buffer(false), c.encode_keep_buffer('on')")));
            assertEquals("bad argument #1 to 'encode_keep_buffer' (invalid option '1')",
                    error("cjson.new().encode_keep_buffer(1)"));
            assertEquals("bad argument #1 to 'encode_max_depth' (expected integer between 1 and 2147483647)",
                    error("cjson.new().encode_max_depth(0)"));
            assertEquals("bad argument #2 to 'decode_max_depth' (found too many arguments)",
                    error("cjson.new().decode_max_depth(1, 2)"));
        }

        @Test
        void instancesAreIndependent() {
            assertEquals("0.33 0.33333333333333",
                    join(run("local a = cjson.new() a.encode_number_precision(2) return a.encode(1/3), cjson.encode(1/3)")));
        }
    }

    @Test
    void errorsKeepTheirBytesAndAreLuaLibErrors() {
        LuaError e = org.junit.jupiter.api.Assertions.assertThrows(LuaError.class,
                () -> run("return cjson.decode('x')"));
        assertTrue(e instanceof LuaLibError);
        assertEquals("Expected value but found invalid token at character 1",
                ((LuaLibError) e).luaMessage().tojstring());
    }

    private static String join(Varargs r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= r.narg(); i++) {
            if (i > 1) {
                sb.append(' ');
            }
            sb.append(r.arg(i).tojstring());
        }
        return sb.toString();
    }
}
