package io.respire.ds.string;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BitsTest {

    /**
     * Replays bitfield-overflow.txt (recorded on Redis 7.0.15): a SET then an INCRBY on the same
     * field of every width and overflow mode near each limit.
     */
    @Test
    void bitfieldOverflowMatchesRedis() throws IOException {
        int checked = 0;
        for (String line : lines("bitfield-overflow.txt")) {
            String[] f = line.split(" ");
            boolean signed = f[0].charAt(0) == 'i';
            int bits = Integer.parseInt(f[0].substring(1));
            Bits.Overflow overflow = Bits.Overflow.valueOf(f[1]);
            byte[] s = new byte[8];
            String setReply = apply(s, signed, bits, overflow, false, Long.parseLong(f[2]));
            String incrReply = apply(s, signed, bits, overflow, true, Long.parseLong(f[3]));
            assertEquals(f[5] + " " + f[6], setReply + " " + incrReply, line);
            checked++;
        }
        assertEquals(1260, checked);
    }

    /** One BITFIELD SET or INCRBY at offset 0, as the command runs it; "-" for a FAIL. */
    private static String apply(byte[] s, boolean signed, int bits, Bits.Overflow overflow, boolean incr, long arg) {
        long old = signed ? Bits.getSigned(s, s.length, 0, bits) : Bits.getUnsigned(s, s.length, 0, bits);
        long value = incr ? old : arg;
        long by = incr ? arg : 0;
        Bits.FieldResult r = signed ? Bits.addSigned(value, by, bits, overflow) : Bits.addUnsigned(value, by, bits, overflow);
        if (r.overflowed() && overflow == Bits.Overflow.FAIL) {
            return "-";
        }
        Bits.setField(s, 0, bits, r.value());
        return Long.toString(incr ? r.value() : old);
    }

    @Test
    void fieldsCrossByteBoundariesAndReadZerosPastTheEnd() {
        byte[] s = new byte[3];
        Bits.setField(s, 5, 12, 0xABC);
        assertEquals(0xABC, Bits.getUnsigned(s, 3, 5, 12));
        assertEquals(0xABC - 4096, Bits.getSigned(s, 3, 5, 12));
        assertEquals(0xABC >> 1, Bits.getUnsigned(s, 3, 5, 11)); // its first 11 bits
        assertEquals(0xABC & ~1, Bits.getUnsigned(s, 2, 5, 12)); // its last bit is past a length of 2
        assertEquals(0, Bits.getUnsigned(s, 3, 100, 64));
    }

    @Test
    void countAndPositionOverBitRanges() {
        byte[] s = {(byte) 0b0011_0000, (byte) 0xff, (byte) 0b1000_0001};
        assertEquals(2 + 8 + 2, Bits.count(s, 3, 0, 23));
        assertEquals(1, Bits.count(s, 3, 3, 7));
        assertEquals(8 + 1, Bits.count(s, 3, 8, 16));
        assertEquals(0, Bits.count(s, 3, 17, 22));
        assertEquals(2, Bits.position(s, 3, 0, 23, true));
        assertEquals(17, Bits.position(s, 3, 9, 23, false));
        assertEquals(23, Bits.position(s, 3, 17, 23, true));
        assertEquals(-1, Bits.position(s, 3, 8, 15, false));
        assertEquals(0, Bits.position(s, 3, 0, 23, false));
        assertEquals(24, Bits.position(s, 3, 24, 40, false)); // past the end reads as zeros
    }

    static List<String> lines(String resource) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                BitsTest.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }
}
