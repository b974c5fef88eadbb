package io.respire.conformance;

import org.junit.jupiter.api.Assumptions;

import java.util.List;

/**
 * The libraries Redis adds to its Lua (cjson, cmsgpack, bit, struct), compared with Redis 7.0.15
 * as {@link ScriptingDifferentialTest} compares the rest: each script run with EVAL on both
 * servers, RESP2 and RESP3, replies byte for byte.
 *
 * <p>The libraries are being written apart from the EVAL engine. Until one exists in Respire its
 * cases are skipped: each test first asks Respire {@code EVAL "return type(cjson)" 0}, and skips
 * only when the library is absent (the answer is nil, or the sandbox's error for a nonexistent
 * global names it). Any other answer runs the cases, so a library that is there but broken fails.
 */
class ScriptingLibrariesDifferentialTest {
    static final List<ScriptingDifferentialTest.Case> CJSON = ScriptingDifferentialTest.lua(
            "return cjson.encode({1, 2, 3})",
            "return cjson.encode({a = 1})",
            "return cjson.encode({})",
            "return cjson.encode('x\"y\\n')",
            "return cjson.encode(1/3)",
            "return cjson.encode(1e100)",
            "return cjson.encode(123456789012345)",
            "return cjson.encode(true)",
            "return cjson.encode(cjson.null)",
            "return cjson.encode({1, nil, 3})",
            "return cjson.encode({[1] = 1, [10] = 2})",
            "return cjson.encode({[1] = 1, [100] = 2})",
            "return cjson.encode(0/0)",
            "return cjson.encode(1/0)",
            "return cjson.encode(function() end)",
            "return cjson.encode({a = {b = {c = {1}}}})",
            "local t = {} t[1] = t return cjson.encode(t)",
            "return cjson.encode('\\0\\1\\127\\255')",
            "return cjson.encode('/')",
            "return cjson.encode(-0.0)",
            "return cjson.encode(2^53)",
            "return cjson.decode('[1,2,3]')",
            "return cjson.decode('{\"a\":1}').a",
            "return cjson.decode('\"x\"')",
            "return type(cjson.decode('null'))",
            "return cjson.decode('null') == cjson.null",
            "return cjson.decode('1.5')",
            "return tostring(cjson.decode('1.5'))",
            "return cjson.decode('[1,2')",
            "return cjson.decode('')",
            "return cjson.decode('{\"a\":}')",
            "return cjson.decode('\"\\\\u00e9\"')",
            "return cjson.decode('[true,false]')",
            "return #cjson.decode('[1,null,3]')",
            "return cjson.decode('1e400')",
            "return tostring(cjson.decode('-0'))",
            "return cjson.decode(1)",
            "return cjson.decode()",
            "return cjson.decode('[[[[[[[[[[1]]]]]]]]]]')[1][1][1][1][1][1][1][1][1][1]",
            "return cjson.encode(cjson.decode('{\"k\":[1,\"two\",{\"x\":null}]}'))",
            "return type(cjson.encode_keep_buffer)",
            "return cjson.encode_max_depth(2)",
            "return type(cjson.new)",
            "return cjson.encode({['1'] = 1})",
            "return cjson.encode({[true] = 1})");

    static final List<ScriptingDifferentialTest.Case> CMSGPACK = ScriptingDifferentialTest.lua(
            "return cmsgpack.pack(1)",
            "return cmsgpack.pack('abc')",
            "return cmsgpack.pack({1, 2, 3})",
            "return cmsgpack.pack({a = 1})",
            "return cmsgpack.pack(1.5)",
            "return cmsgpack.pack(-1)",
            "return cmsgpack.pack(2^40)",
            "return cmsgpack.pack(true, false, nil)",
            "return cmsgpack.pack(string.rep('x', 300))",
            "return cmsgpack.unpack(cmsgpack.pack({1, 2, 3}))",
            "return {cmsgpack.unpack(cmsgpack.pack(1, 'a', 2))}",
            "return cmsgpack.unpack(cmsgpack.pack({a = 'b'})).a",
            "return cmsgpack.unpack('\\192')",
            "return cmsgpack.unpack('')",
            "return cmsgpack.unpack('\\255')",
            "return tostring(cmsgpack.unpack(cmsgpack.pack(0.1)))",
            "return cmsgpack.pack()",
            "return cmsgpack.unpack_one(cmsgpack.pack(1, 2))",
            "return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2)}");

    static final List<ScriptingDifferentialTest.Case> BIT = ScriptingDifferentialTest.lua(
            "return bit.band(0xff, 0x0f)",
            "return bit.bor(1, 2, 4)",
            "return bit.bxor(5, 3)",
            "return bit.bnot(0)",
            "return bit.lshift(1, 31)",
            "return bit.rshift(-1, 28)",
            "return bit.arshift(-256, 4)",
            "return bit.tohex(255)",
            "return bit.tohex(-1)",
            "return bit.tohex(255, -4)",
            "return bit.tobit(2^32 + 1)",
            "return bit.rol(1, 33)",
            "return bit.ror(1, 1)",
            "return bit.bswap(0x12345678)",
            "return bit.band('3', 1)",
            "return bit.band()");

    static final List<ScriptingDifferentialTest.Case> STRUCT = ScriptingDifferentialTest.lua(
            "return struct.pack('>I4', 1)",
            "return struct.pack('<i2', -2)",
            "return {struct.unpack('>I4', '\\0\\0\\1\\0')}",
            "return struct.size('>I4i2')",
            "return struct.pack('s', 'abc')",
            "return {struct.unpack('B', 'A')}",
            "return struct.pack('d', 1.5)",
            "return {struct.unpack('>h', '\\255\\254')}",
            "return struct.pack('x')",
            "return struct.pack('Z')",
            "return struct.unpack('>I4', 'ab')",
            "return struct.pack('>c3', 'abcdef')");

    /** Skips (by assumption) when Respire has no global {@code library} yet. */
    static void assumeLibrary(Dual d, String library) {
        try (RespConnection respire = new RespConnection("respire", d.respirePort())) {
            RespReply r = respire.call("EVAL", "return type(" + library + ")", "0");
            boolean absent = r.isNull()
                    || (r.isError() && r.text().contains("nonexistent global variable '" + library + "'"));
            Assumptions.assumeFalse(absent, library + " is not in Respire yet: its cases run once it is");
        }
    }

    @Differential
    void cjson(Dual d) {
        assumeLibrary(d, "cjson");
        ScriptingDifferentialTest.run(d, CJSON);
    }

    @Differential
    void cmsgpack(Dual d) {
        assumeLibrary(d, "cmsgpack");
        ScriptingDifferentialTest.run(d, CMSGPACK);
    }

    @Differential
    void bit(Dual d) {
        assumeLibrary(d, "bit");
        ScriptingDifferentialTest.run(d, BIT);
    }

    @Differential
    void struct(Dual d) {
        assumeLibrary(d, "struct");
        ScriptingDifferentialTest.run(d, STRUCT);
    }
}
