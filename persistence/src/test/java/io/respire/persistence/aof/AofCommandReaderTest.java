package io.respire.persistence.aof;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Commands read back as Redis's loadSingleAppendOnlyFile reads them, and written as it writes them. */
class AofCommandReaderTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static List<String> readAll(byte[] file) throws IOException {
        AofCommandReader r = new AofCommandReader(new ByteArrayInputStream(file), 0, file.length);
        List<String> out = new ArrayList<>();
        for (byte[][] argv = r.next(); argv != null; argv = r.next()) {
            List<String> words = new ArrayList<>();
            for (byte[] a : argv) {
                words.add(new String(a, StandardCharsets.ISO_8859_1));
            }
            out.add(String.join(" ", words));
        }
        return out;
    }

    @Test
    void writtenCommandsReadBackWithAnnotationsSkipped() throws IOException {
        CommandBuffer out = new CommandBuffer(4); // grows as needed
        AofCommandWriter.timestamp(out, 1700000000);
        AofCommandWriter.append(out, new byte[][] {bytes("SELECT"), bytes("0")});
        AofCommandWriter.append(out, new byte[][] {bytes("SET"), bytes("k"), new byte[] {0, '\r', '\n', (byte) 0xff}});
        AofCommandWriter.timestamp(out, 1700000001);
        byte[] file = out.toByteArray();
        assertTrue(new String(file, StandardCharsets.ISO_8859_1).startsWith("#TS:1700000000\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n"));
        assertEquals(List.of("SELECT 0", "SET k \0\r\n\u00ff"), readAll(file));
        assertArrayEquals(bytes("*1\r\n$4\r\nPING\r\n"), AofCommandWriter.encode(new byte[][] {bytes("PING")}));
    }

    @Test
    void aFileCutInsideACommandIsTruncatedAtTheLastCompleteOne() throws IOException {
        byte[] whole = bytes("*2\r\n$3\r\nDEL\r\n$1\r\na\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$3\r\nxyz\r\n");
        int firstEnd = "*2\r\n$3\r\nDEL\r\n$1\r\na\r\n".length();
        for (int cut = firstEnd + 1; cut < whole.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            AofCommandReader r = new AofCommandReader(new ByteArrayInputStream(part), 0, part.length);
            assertEquals(2, r.next().length);
            AofFormatException e = assertThrows(AofFormatException.class, r::next, "cut at " + cut);
            assertTrue(e.truncated(), "cut at " + cut);
            assertEquals(firstEnd, e.validUpTo());
        }
        assertEquals(2, readAll(whole).size());
    }

    @Test
    void otherDeviationsAreFormatErrors() {
        for (String bad : List.of("SET a b\r\n", "*0\r\n", "*\r\n", "*1\r\nPING\r\n", "*1\r\n$-1\r\n")) {
            byte[] file = bytes(bad);
            AofFormatException e = assertThrows(AofFormatException.class, () -> readAll(file), bad);
            assertFalse(e.truncated(), bad);
        }
    }

    @Test
    void aHugeLengthIsTruncationNotAnAllocation() {
        byte[] file = bytes("*1\r\n$2000000000\r\nabc");
        assertTrue(assertThrows(AofFormatException.class, () -> readAll(file)).truncated());
    }
}
