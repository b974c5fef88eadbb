package io.respire.persistence;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A file read through a channel and a small buffer ({@link RdbStrings.Reader}'s second mode, which
 * loads a file of any size without holding it) loads to exactly what the same bytes load to from
 * an array: the same data, the same end, the same checksum verdict and the same errors.
 */
class RdbChannelLoadTest {
    /** Buffer sizes from smaller than any length field to larger than every fixture. */
    private static final int[] BUFFERS = {1, 9, 16, 100, 4096, 1 << 18};

    private record Loaded(Map<String, Map<String, Object>> dbs, List<String> functions, RdbLoader.Result result) {
    }

    private static Loaded load(byte[] file, int bufferSize, boolean verify) {
        return load(file, file.length, bufferSize, verify);
    }

    /** Loads {@code file} from an array (buffer size 0) or a channel said to be {@code length} long (-1: unknown). */
    private static Loaded load(byte[] file, long length, int bufferSize, boolean verify) {
        RecordingSink sink = new RecordingSink(true);
        RdbLoader.Result r = bufferSize == 0
                ? RdbLoader.load(file, EncodingLimits.defaults(), verify, sink)
                : RdbLoader.load(channel(file), length, bufferSize, EncodingLimits.defaults(), verify, sink);
        return new Loaded(sink.dbs, sink.functions.stream().map(String::new).toList(), r);
    }

    private static ReadableByteChannel channel(byte[] file) {
        return Channels.newChannel(new ByteArrayInputStream(file));
    }

    private static List<Path> rdbFiles() throws IOException {
        Path fixtures = RdbFixturesTest.SHARED.resolve("fixtures/redis-7.0.15");
        Path assets = RdbFixturesTest.SHARED.resolve("reference/redis-7.0.15/assets");
        assumeTrue(Files.isDirectory(fixtures), "fixtures not there");
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(fixtures, assets)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".rdb")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    /** The array's outcome: what it loaded, or the error's message. */
    private static String outcome(byte[] file, int bufferSize, boolean verify) {
        return outcome(file, file.length, bufferSize, verify);
    }

    private static String outcome(byte[] file, long length, int bufferSize, boolean verify) {
        try {
            Loaded l = load(file, length, bufferSize, verify);
            return l.dbs + " " + l.functions + " " + l.result;
        } catch (RdbFormatException e) {
            return "error: " + e.getMessage();
        }
    }

    @Test
    void everyFixtureAndAssetLoadsTheSameThroughAnyBuffer() throws IOException {
        int files = 0;
        for (Path p : rdbFiles()) {
            byte[] file = Files.readAllBytes(p);
            for (boolean verify : new boolean[] {true, false}) {
                String expected = outcome(file, 0, verify);
                for (int buffer : BUFFERS) {
                    assertEquals(expected, outcome(file, buffer, verify), p.getFileName() + " buffer " + buffer);
                    if (!expected.startsWith("error: ")) { // a corrupt file may fail at another point without its length
                        assertEquals(expected, outcome(file, -1, buffer, verify),
                                p.getFileName() + " of unknown length, buffer " + buffer);
                    }
                }
            }
            files++;
        }
        assertTrue(files >= 10, files + " files");
    }

    @Test
    void everyTruncationFailsAsFromAnArray() throws IOException {
        byte[] file = Files.readAllBytes(RdbFixturesTest.SHARED.resolve("fixtures/redis-7.0.15/all-types.rdb"));
        for (int cut = 0; cut < file.length; cut += 1 + cut / 8) {
            byte[] head = Arrays.copyOf(file, cut);
            String expected = outcome(head, 0, true);
            assertTrue(expected.startsWith("error: "), "cut at " + cut + ": " + expected);
            assertEquals(expected, outcome(head, 16, true), "cut at " + cut);
            assertTrue(outcome(head, -1, 16, true).startsWith("error: "), "cut at " + cut + ", length unknown");
        }
    }

    /** A value larger than the buffer is read past it, straight into its array, and still checksummed. */
    @Test
    void aStringLargerThanTheBufferLoadsAndIsChecksummed() throws IOException {
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7919 >>> 3); // poorly compressible
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(out, false, true);
        w.header();
        w.selectDb(0, 2, 0);
        w.key("big".getBytes(), big, -1, -1, -1);
        w.key("small".getBytes(), "v".getBytes(), -1, -1, -1);
        w.finish();
        byte[] file = out.toByteArray();

        List<byte[]> values = new ArrayList<>();
        RdbLoader.Result r = RdbLoader.load(channel(file), file.length, 4096, EncodingLimits.defaults(), true,
                new DiscardingSink() {
                    @Override
                    public void key(byte[] key, Object value, long expireAtMs, long idle, int freq) {
                        values.add((byte[]) value);
                    }
                });
        assertArrayEquals(big, values.get(0));
        assertEquals(file.length, r.length());
        values.clear();
        RdbLoader.load(channel(file), -1, 4096, EncodingLimits.defaults(), true, new DiscardingSink() {
            @Override
            public void key(byte[] key, Object value, long expireAtMs, long idle, int freq) {
                values.add((byte[]) value);
            }
        });
        assertArrayEquals(big, values.get(0), "from a stream of unknown length");

        file[100_000] ^= 1; // inside the big value: only the checksum can tell
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> RdbLoader.load(channel(file), file.length,
                4096, EncodingLimits.defaults(), true, new DiscardingSink()));
        assertTrue(e.getMessage().contains("RDB CRC error"), e.getMessage());
    }

    /** A file that ends before the length it was opened with (it shrank meanwhile) is a read error, not a format error. */
    @Test
    void aChannelEndingEarlyIsAnIoError() throws IOException {
        byte[] file = Files.readAllBytes(RdbFixturesTest.SHARED.resolve("fixtures/redis-7.0.15/all-types.rdb"));
        byte[] head = Arrays.copyOf(file, file.length / 2);
        assertThrows(UncheckedIOException.class, () -> RdbLoader.load(channel(head), file.length, 4096,
                EncodingLimits.defaults(), true, new DiscardingSink()));
    }

    /**
     * From a stream of unknown length a string's claimed length is not believed up front: a
     * 2 GB claim on a short stream allocates as the bytes come, and fails at the end.
     */
    @Test
    void aHugeClaimedLengthFromAStreamOfUnknownLengthAllocatesOnlyWhatArrives() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("REDIS0010".getBytes());
        out.write(RdbTypes.STRING);
        RdbStrings.writeString(out, "k".getBytes(), false);
        out.write(0x80); // a 32-bit length: 2^31 - 2 bytes claimed, 1000 there
        out.writeBytes(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xfe});
        out.writeBytes(new byte[1000]);
        byte[] file = out.toByteArray();
        long before = usedHeap();
        RdbFormatException e = assertThrows(RdbFormatException.class, () -> RdbLoader.load(channel(file), -1, 4096,
                EncodingLimits.defaults(), true, new DiscardingSink()));
        assertTrue(e.getMessage().contains("a string value"), e.getMessage());
        assertTrue(usedHeap() - before < 512L << 20, "no 2 GB allocation");
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
