package io.respire.ds.hll;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HllHashTest {

    /**
     * Hashes from an independent MurmurHash64A whose register and run were checked against
     * redis-server 7.0.15 (PFADD of the element alone, then PFDEBUG DECODE) for these and 300
     * random binary elements; register and run here are Redis's.
     */
    @Test
    void hashesMatchRedis() {
        check("a", 0x53d2470a9b43b1a7L, 12711, 2);
        check("", 0xd8dfea6585bc9732L, 5938, 2);
        check("hello", 0x0f656f01eecfe400L, 9216, 1);
        check("foo-123456789", 0xdd220f13b7c1486fL, 2159, 1); // one 8-byte block and a 5-byte tail
        check("element:12345", 0xf09be870ed715d16L, 7446, 1);
        check("12345678", 0x95ebb86389132953L, 10579, 3); // blocks only, no tail
        check("1234567", 0x85563db163632857L, 10327, 3); // tail only
        byte[] binary = new byte[15];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        assertEquals(0x81ce088229ed592bL, HllHash.hash(binary));
    }

    private static void check(String element, long hash, int register, int run) {
        long h = HllHash.hash(element.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(hash, h, element);
        assertEquals(register, HllHash.registerIndex(h), element);
        assertEquals(run, HllHash.runLength(h), element);
    }

    @Test
    void offsetAndLengthSelectTheBytes() {
        byte[] padded = "xxhelloyy".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x0f656f01eecfe400L, HllHash.murmurHash64A(padded, 2, 5, HllHash.SEED));
    }

    @Test
    void runLengthIsBoundedByTheGuardBit() {
        assertEquals(51, HllHash.runLength(0x3fffL)); // only index bits set: the longest run
        assertEquals(1, HllHash.runLength(1L << 14));
        assertEquals(50, HllHash.runLength(1L << 63));
    }
}
