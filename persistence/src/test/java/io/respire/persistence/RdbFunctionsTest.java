package io.respire.persistence;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * FUNCTION DUMP payloads: the expected bytes are real Redis 7.0.15's FUNCTION DUMP replies for the
 * same libraries (rdbcompression yes).
 */
class RdbFunctionsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final String SHORT = "#!lua name=mylib\nredis.register_function(\"f1\", function() return 1 end)";
    private static final String SHORT_DUMP = "f5404723216c7561206e616d653d6d796c69620a72656469732e72656769737465725f66756e6374696f6e"
            + "28226631222c2066756e6374696f6e28292072657475726e203120656e64290a0076df440ac3d48738";

    private static final String REPEATED;
    static {
        StringBuilder code = new StringBuilder("#!lua name=rep\n");
        for (int i = 1; i <= 4; i++) {
            code.append("redis.register_function(\"f").append(i).append("\", function() return ").append(i).append(" end)\n");
        }
        REPEATED = code.toString();
    }
    /** LZF compressed: the string is encoded as 0xc3, the compressed and original lengths, the data. */
    private static final String REPEATED_DUMP = "f5c3406540eb1f23216c7561206e616d653d7265700a72656469732e72656769737465725f66750c6e63"
            + "74696f6e28226631222c20e0000e0e292072657475726e203120656e6429e012360032e00c360032e017360033e00c3600"
            + "33e017360034e00c360034403601290a0a00b5f1e48efdd7601a";

    @Test
    void dumpIsRedisBytes() {
        assertEquals(SHORT_DUMP, HEX.formatHex(RdbFunctions.dump(List.of(ascii(SHORT)), true)));
        assertEquals(REPEATED_DUMP, HEX.formatHex(RdbFunctions.dump(List.of(ascii(REPEATED)), true)));
        assertEquals("0a005d9b5c400f7fa2da", HEX.formatHex(RdbFunctions.dump(List.of(), true)));
    }

    @Test
    void restoreReadsRedisPayloads() {
        assertEquals(List.of(SHORT), restore(HEX.parseHex(SHORT_DUMP)));
        assertEquals(List.of(REPEATED), restore(HEX.parseHex(REPEATED_DUMP)));
        assertEquals(List.of(), restore(HEX.parseHex("0a005d9b5c400f7fa2da")));
    }

    @Test
    void roundTripOfSeveralLibrariesWithAndWithoutCompression() {
        List<String> codes = List.of(SHORT, REPEATED, "#!lua name=a\n" + "x".repeat(20000), "#!lua name=b\n");
        List<byte[]> bytes = codes.stream().map(RdbFunctionsTest::ascii).toList();
        for (boolean compress : new boolean[] {true, false}) {
            byte[] payload = RdbFunctions.dump(bytes, compress);
            assertEquals(codes, restore(payload));
        }
        assertEquals(true, RdbFunctions.dump(bytes, true).length < RdbFunctions.dump(bytes, false).length);
    }

    @Test
    void badFootersAreRefused() {
        byte[] payload = HEX.parseHex(SHORT_DUMP);
        payload[5] ^= 1;
        assertError("DUMP payload version or checksum are wrong", payload);
        assertError("DUMP payload version or checksum are wrong", ascii("bad_payload"));
        assertError("DUMP payload version or checksum are wrong", new byte[3]);
        // A newer RDB version is refused even with a right checksum.
        byte[] newer = DumpPayload.seal(new byte[0], 0);
        newer[0] = 11;
        Crc64.writeLittleEndian(Crc64.update(0, newer, 0, 2), newer, 2);
        assertError("DUMP payload version or checksum are wrong", newer);
        // With the checksum not checked, only the version matters.
        payload[5] ^= 1;
        payload[payload.length - 1] ^= 1;
        assertEquals(10, DumpPayload.verify(payload, true));
        assertEquals(-1, DumpPayload.verify(payload, false));
    }

    @Test
    void badContentsAreNamedAsRedisNamesThem() {
        assertError("given type is not a function", DumpPayload.seal(new byte[] {0, 1, 'a'}, 3));
        // A library string longer than what follows.
        assertError("Failed loading library payload", DumpPayload.seal(new byte[] {(byte) 245, 0x3f}, 2));
        // The old (7.0-rc) record with one field missing.
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        old.write(RdbFunctions.OPCODE_FUNCTION);
        RdbStrings.writeString(old, ascii("lib"), false);
        assertError("Failed loading engine name", DumpPayload.seal(old.toByteArray(), old.size()));
    }

    @Test
    void oldReleaseCandidateRecordsGetAShebang() {
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        old.write(RdbFunctions.OPCODE_FUNCTION);
        RdbStrings.writeString(old, ascii("lib"), false);
        RdbStrings.writeString(old, ascii("LUA"), false);
        RdbStrings.writeLength(old, 1);
        RdbStrings.writeString(old, ascii("a description"), false);
        RdbStrings.writeString(old, ascii("redis.register_function('f', function() return 1 end)"), false);
        assertEquals(List.of("#!LUA name=lib\nredis.register_function('f', function() return 1 end)"),
                restore(DumpPayload.seal(old.toByteArray(), old.size())));
    }

    @Test
    void stringEncodings() {
        // Integers (canonical text only) in 1, 2 and 4 bytes; others verbatim; lengths in 1, 2 and 5 bytes.
        assertEquals("c07b", encode("123", true));
        assertEquals("c0ff", encode("-1", true));
        assertEquals("c1e803", encode("1000", true));
        assertEquals("c2a0860100", encode("100000", true));
        assertEquals("0b3132333435363738393031", encode("12345678901", true));
        assertEquals("03303132", encode("012", true));
        assertEquals("022d30", encode("-0", true));
        assertEquals("00", encode("", true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbStrings.writeLength(out, 100);
        RdbStrings.writeLength(out, 70000);
        assertEquals("40648000011170", HEX.formatHex(out.toByteArray()));
        for (String s : new String[] {"123", "-1", "1000", "100000", "-2147483648", "x".repeat(100), "", "012"}) {
            for (boolean compress : new boolean[] {true, false}) {
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                RdbStrings.writeString(o, ascii(s), compress);
                byte[] bytes = o.toByteArray();
                RdbStrings.Reader in = new RdbStrings.Reader(bytes, 0, bytes.length);
                assertArrayEquals(ascii(s), in.readString(), s);
                assertEquals(bytes.length, in.position());
            }
        }
    }

    private static String encode(String s, boolean compress) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbStrings.writeString(out, ascii(s), compress);
        return HEX.formatHex(out.toByteArray());
    }

    private static List<String> restore(byte[] payload) {
        List<String> codes = new ArrayList<>();
        RdbFunctions.restore(payload, false, code -> codes.add(new String(code, StandardCharsets.ISO_8859_1)));
        return codes;
    }

    private static void assertError(String message, byte[] payload) {
        RdbFunctions.FormatException e = assertThrows(RdbFunctions.FormatException.class, () -> restore(payload));
        assertEquals(message, e.getMessage());
    }
}
