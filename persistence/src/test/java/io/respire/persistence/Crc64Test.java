package io.respire.persistence;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Redis's own CRC-64 vectors (crc64.c's crc64Test) and the checksums of files Redis wrote. */
class Crc64Test {
    private static final String LOREM = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed "
            + "do eiusmod tempor incididunt ut labore et dolore magna "
            + "aliqua. Ut enim ad minim veniam, quis nostrud exercitation "
            + "ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis "
            + "aute irure dolor in reprehenderit in voluptate velit esse "
            + "cillum dolore eu fugiat nulla pariatur. Excepteur sint "
            + "occaecat cupidatat non proident, sunt in culpa qui officia "
            + "deserunt mollit anim id est laborum.";

    @Test
    void redisTestVectors() {
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
        // Redis takes sizeof(li): the text and its terminating NUL.
        byte[] lorem = (LOREM + "\0").getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xc7794709e69683b3L, Crc64.of(lorem));
        assertEquals(0L, Crc64.of(new byte[0]));
    }

    @Test
    void updateInPiecesEqualsOneUpdate() {
        byte[] data = new byte[1000];
        new SplittableRandom(7).nextBytes(data);
        long whole = Crc64.of(data);
        for (int split : new int[] {0, 1, 7, 8, 9, 500, 999, 1000}) {
            long crc = Crc64.update(0, data, 0, split);
            crc = Crc64.update(crc, data, split, data.length - split);
            assertEquals(whole, crc, "split at " + split);
        }
        // The 8-byte path against the byte-at-a-time path: every length up to 17 from every offset.
        for (int offset = 0; offset < 8; offset++) {
            for (int length = 0; length < 17; length++) {
                long bytewise = 0;
                for (int i = offset; i < offset + length; i++) {
                    bytewise = Crc64.update(bytewise, data, i, 1);
                }
                assertEquals(bytewise, Crc64.update(0, data, offset, length));
            }
        }
    }

    /** An RDB file ends with the CRC-64 of everything before it, little-endian. */
    @Test
    void checksumsOfRdbFilesWrittenByRedis() throws IOException {
        // The fixtures are in ../shared beside the project's root (this module's parent).
        Path fixtures = Path.of("..", "..", "shared", "fixtures", "redis-7.0.15");
        Assumptions.assumeTrue(Files.isDirectory(fixtures), "no " + fixtures.toAbsolutePath().normalize()
                + " (the shared fixtures beside the project)");
        for (String name : new String[] {"all-types.rdb", "all-types-nocompress.rdb"}) {
            byte[] rdb = Files.readAllBytes(fixtures.resolve(name));
            assertEquals(Crc64.readLittleEndian(rdb, rdb.length - 8), Crc64.update(0, rdb, 0, rdb.length - 8), name);
        }
    }
}
