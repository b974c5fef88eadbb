package io.respire.ds.string;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LcsTest {

    /** Replays lcs.txt: random pairs whose LCS and IDX matches were recorded on Redis 7.0.15. */
    @Test
    void matchesRedisOnRandomPairs() throws IOException {
        int checked = 0;
        for (String line : BitsTest.lines("lcs.txt")) {
            String[] f = line.split(" ");
            byte[] a = bytes(f[0]);
            byte[] b = bytes(f[1]);
            Lcs lcs = Lcs.compute(a, a.length, b, b.length);
            String matches = lcs.matches().stream()
                    .map(m -> m.aStart() + "-" + m.aEnd() + "/" + m.bStart() + "-" + m.bEnd() + "/" + m.length())
                    .collect(Collectors.joining(","));
            assertEquals(f[2], text(lcs.subsequence()), line);
            assertEquals(f[3], matches.isEmpty() ? "." : matches, line);
            checked++;
        }
        assertEquals(200, checked);
    }

    @Test
    void usesOnlyTheGivenLengths() {
        byte[] a = "abcXXXX".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "zabc".getBytes(StandardCharsets.US_ASCII);
        Lcs lcs = Lcs.compute(a, 3, b, 4);
        assertEquals("abc", text(lcs.subsequence()));
        assertEquals(new Lcs.Match(0, 2, 1, 3), lcs.matches().get(0));
    }

    private static byte[] bytes(String field) {
        return field.equals(".") ? new byte[0] : field.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] b) {
        return b.length == 0 ? "." : new String(b, StandardCharsets.US_ASCII);
    }
}
