package io.respire.ds.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The expected bytes below are liblzf's, taken from real Redis 7.0.15: each value was written with
 * SET (and a list with RPUSH under list-max-listpack-size 4, list-compress-depth 1), saved by SAVE
 * with rdbcompression yes, and read back from the LZF-encoded strings of the RDB file. Redis
 * compresses an RDB string into at most its length - 4 bytes, so that is the room given here.
 * Long ones are compared by length and CRC-32; their inputs come from {@link #lcg}, the generator
 * used to make them.
 */
class LzfTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The generator that made the long inputs: a 64-bit LCG, picking (x >>> 33) % size. */
    static byte[] lcg(long seed, int n, byte[] alphabet) {
        byte[] out = new byte[n];
        long x = seed;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            out[i] = alphabet[(int) ((x >>> 33) % alphabet.length)];
        }
        return out;
    }

    private static byte[] allBytes() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        return all;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** As Redis's rdbSaveLzfStringObject: compressed only if it saves at least 4 bytes. */
    private static byte[] rdbCompress(byte[] value) {
        return Lzf.compress(value, value.length - 4);
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    private static void assertRedisBytes(byte[] value, String expectedHex) {
        byte[] expected = HEX.parseHex(expectedHex);
        assertArrayEquals(expected, rdbCompress(value));
        assertArrayEquals(value, Lzf.decompress(expected, value.length));
    }

    @Test
    void matchesRedisOnShortValues() {
        assertRedisBytes(ascii("a".repeat(50)), "016161e02500016161");
        assertRedisBytes(ascii("hello world, hello world, hello world, hello world!"),
                "0d68656c6c6f20776f726c642c2068e01a0c016421");
        assertRedisBytes(ascii("abcdefghij".repeat(100)), "0a6162636465666768696a61e0ff09e1ff0de2ff11e2ba1101696a");
        assertRedisBytes(ascii("x".repeat(1000)), "017878e0ff00e0ff00e0ff00e0c300017878");
        assertRedisBytes(ascii("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
                + "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation "
                + "ullamco laboris nisi ut aliquip ex ea commodo consequat. Lorem ipsum dolor sit amet."),
                "1f4c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7315656374657475722061646970"
                + "697363696e6720656c69201c0273656420300c20656975736d6f642074656d70203c10696e6369646964756e7420"
                + "7574206c6162205e022065742029205a1665206d61676e6120616c697175612e20557420656e696d205b02206d69"
                + "40080076200e1f616d2c2071756973206e6f737472756420657865726369746174696f6e20756c046c616d636f80"
                + "5940240269736940696052016970202c0220656120b8006d2093006f200720c0206a03742e204c207ee00ce70174"
                + "2e");
    }

    @Test
    void matchesRedisOnLongValues() {
        byte[] fourLetters = lcg(1, 3000, ascii("abcd"));
        byte[] c = rdbCompress(fourLetters);
        assertEquals(1841, c.length);
        assertEquals(734905843L, crc(c));
        assertArrayEquals(fourLetters, Lzf.decompress(c, fourLetters.length));

        byte[] eight = ascii("abcdefgh");
        byte[] farRepeat = concat(lcg(7, 16000, eight), lcg(7, 9000, eight)); // repeat beyond the 8 KB window
        c = rdbCompress(farRepeat);
        assertEquals(16153, c.length);
        assertEquals(2518635257L, crc(c));
        assertArrayEquals(farRepeat, Lzf.decompress(c, farRepeat.length));

        // Random bytes do not shrink by 4 bytes: Redis stored this one uncompressed.
        byte[] random = concat(lcg(3, 8190, allBytes()), lcg(3, 100, allBytes()));
        assertNull(rdbCompress(random));
    }

    /** A list node as Redis compressed it: a listpack of four 22-byte strings. */
    @Test
    void matchesRedisOnACompressedListNode() {
        byte[] lzf = HEX.parseHex("147700000004009a656c656d656e742d30342d616263e00302001be0011b0035e0121b0036e0121b"
                + "0037e0071b011bff");
        byte[] listpack = Lzf.decompress(lzf, 119);
        assertEquals(119, listpack[0]); // the listpack's own header: total bytes, then 4 elements
        assertEquals(4, listpack[4]);
        assertTrue(new String(listpack, StandardCharsets.ISO_8859_1).contains("element-07-abcabcabcabcabc"));
        // A quicklist node is compressed with room for its whole size; the result is the same.
        assertArrayEquals(lzf, Lzf.compress(listpack, listpack.length));
    }

    @Test
    void roundTripsRandomAndRepetitiveData() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 500; i++) {
            int n = r.nextInt(0, i < 400 ? 300 : 70_000);
            byte[] in = new byte[n];
            switch (i % 4) {
                case 0 -> r.nextBytes(in);
                case 1 -> {
                    for (int j = 0; j < n; j++) {
                        in[j] = (byte) r.nextInt(3);
                    }
                }
                case 2 -> {
                    int period = r.nextInt(1, 40);
                    for (int j = 0; j < n; j++) {
                        in[j] = (byte) (j % period);
                    }
                }
                default -> {
                    for (int j = 0; j < n; j++) {
                        in[j] = j > 20 && r.nextInt(4) != 0 ? in[j - r.nextInt(1, 21)] : (byte) r.nextInt(256);
                    }
                }
            }
            // Room for incompressible input too (liblzf's output stays under 104% of the input).
            byte[] out = new byte[n + n / 16 + 16];
            int len = Lzf.compress(in, 0, n, out, 0, out.length);
            if (n == 0) {
                assertEquals(0, len);
                continue;
            }
            assertTrue(len > 0, "case " + i);
            byte[] back = new byte[n];
            assertEquals(n, Lzf.decompress(out, 0, len, back, 0, n));
            assertArrayEquals(in, back, "case " + i);
        }
    }

    @Test
    void compressesAtAnOffsetAndAgainWithTheSameResult() {
        byte[] value = ascii("hello world, hello world, hello world, hello world!");
        byte[] padded = concat(ascii("~~~~~~~"), value);
        byte[] out = new byte[100];
        int n = Lzf.compress(padded, 7, value.length, out, 3, 90);
        byte[] expected = rdbCompress(value);
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, 3, 3 + n));
        // The reused hash table must not leak matches from one call into the next.
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(expected, rdbCompress(value));
        }
    }

    /** Room limits as liblzf checks them (conservatively): numbers from the C code. */
    @Test
    void failsWhenTheOutputDoesNotFit() {
        byte[] value = ascii("abcdefghij".repeat(100));
        assertEquals(0, Lzf.compress(value, 0, value.length, new byte[27], 0, 27));
        assertEquals(27, Lzf.compress(value, 0, value.length, new byte[28], 0, 28));
        assertEquals(0, Lzf.compress(new byte[0], 0, 0, new byte[10], 0, 10));
        assertEquals(0, Lzf.compress(ascii("abc"), 0, 3, new byte[4], 0, 4));
        assertEquals(4, Lzf.compress(ascii("abc"), 0, 3, new byte[5], 0, 5));
    }

    /**
     * 3000 generated inputs (uniform, copied-back and periodic bytes, up to 70,000 long), each
     * compressed with four output limits; the CRC-32 of every result length (4 bytes, little
     * endian) and output is what Redis's lzf_c.c gives for the same inputs (built from Redis
     * 7.0.15's source with a harness doing exactly this loop, with and without a zeroed table).
     */
    @Test
    void matchesLiblzfOnGeneratedInputs() {
        CRC32 total = new CRC32();
        byte[] in = new byte[70_000];
        byte[] out = new byte[80_000];
        for (int i = 0; i < 3000; i++) {
            long x = (long) i * 7919 + 17;
            x = x * 6364136223846793005L + 1442695040888963407L;
            int n = (int) ((x >>> 33) % (i < 2000 ? 600 : 70_000));
            int alphabet = i % 5 == 0 ? 256 : 1 + i % 11;
            int mode = i % 3;
            for (int j = 0; j < n; j++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                long r = x >>> 33;
                if (mode == 1 && j > 40 && r % 4 != 0) {
                    in[j] = in[j - 1 - (int) ((r >> 8) % 40)];
                } else if (mode == 2) {
                    in[j] = (byte) ((j % (1 + i % 37)) * 7 + (r % 16 == 0 ? r >> 20 : 0));
                } else {
                    in[j] = (byte) (r % alphabet);
                }
            }
            for (int room : new int[] {n - 4, n, n + n / 16 + 16, n / 2}) {
                int len = Lzf.compress(in, 0, n, out, 0, Math.max(room, 0));
                total.update(new byte[] {(byte) len, (byte) (len >> 8), (byte) (len >> 16), (byte) (len >> 24)});
                total.update(out, 0, len);
                if (len > 0) {
                    byte[] back = new byte[n];
                    assertEquals(n, Lzf.decompress(out, 0, len, back, 0, n));
                    assertArrayEquals(java.util.Arrays.copyOf(in, n), back, "case " + i);
                }
            }
        }
        assertEquals(1300315191L, total.getValue());
    }

    @Test
    void rejectsCorruptInput() {
        byte[] good = HEX.parseHex("016161e02500016161");
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(good, 49)); // too small
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(HEX.parseHex("0561"), 10)); // literal cut
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(HEX.parseHex("016161e0"), 50)); // ref cut
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(HEX.parseHex("0061200a"), 50)); // before start
        assertThrows(IllegalArgumentException.class, () -> Lzf.decompress(good, 51)); // shorter than said
    }
}
