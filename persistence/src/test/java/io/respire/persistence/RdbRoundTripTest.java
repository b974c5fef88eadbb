package io.respire.persistence;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Writing what was loaded gives a file that loads to the same data (every type and encoding of the
 * fixture, compressed or not, with and without checksum); corrupted files give an
 * {@link RdbFormatException}, never another exception.
 */
class RdbRoundTripTest {
    private static final Path ALL_TYPES = RdbFixturesTest.SHARED.resolve("fixtures/redis-7.0.15/all-types.rdb");

    private record Key(long db, byte[] key, Object value, long expireAt) {
    }

    private static List<Key> loadKeys(byte[] file) {
        List<Key> keys = new ArrayList<>();
        RdbLoader.load(file, EncodingLimits.defaults(), true, new DiscardingSink() {
            long db;

            @Override
            public void selectDb(long id) {
                db = id;
            }

            @Override
            public void key(byte[] key, Object value, long expireAtMs, long idle, int freq) {
                keys.add(new Key(db, key, value, expireAtMs));
            }
        });
        return keys;
    }

    private static byte[] write(List<Key> keys, boolean compress, boolean checksum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(out, compress, checksum);
        w.header();
        w.aux("redis-ver", "7.0.15");
        w.functions(List.of("#!lua name=lib\nredis.register_function('f', function() return 1 end)".getBytes()));
        long db = -1;
        for (Key k : keys) {
            if (k.db != db) {
                db = k.db;
                w.selectDb((int) db, keys.stream().filter(x -> x.db == k.db).count(), 0);
            }
            w.key(k.key, k.value, k.expireAt, -1, -1);
        }
        w.finish();
        assertEquals(out.size(), w.written());
        return out.toByteArray();
    }

    private static byte[] fixture() throws IOException {
        assumeTrue(Files.exists(ALL_TYPES), "fixture not there");
        return Files.readAllBytes(ALL_TYPES);
    }

    @Test
    void everyTypeAndEncodingSurvivesAWriteAndALoad() throws IOException {
        byte[] original = fixture();
        Map<String, Map<String, Object>> before = RdbFixturesTest.load(original, new ArrayList<>());
        for (boolean compress : new boolean[] {true, false}) {
            for (boolean checksum : new boolean[] {true, false}) {
                byte[] written = write(loadKeys(original), compress, checksum);
                List<byte[]> functions = new ArrayList<>();
                Map<String, Map<String, Object>> after = RdbFixturesTest.load(written, functions);
                assertEquals(before, after, "compress " + compress + " checksum " + checksum);
                assertEquals(1, functions.size());
            }
        }
    }

    @Test
    void compressionShrinksTheFileAsRedisDoes() throws IOException {
        byte[] original = fixture();
        byte[] compressed = write(loadKeys(original), true, true);
        byte[] plain = write(loadKeys(original), false, true);
        assertTrue(compressed.length < plain.length);
        // The same encodings as Redis: within the aux fields' and the library's bytes of its file.
        assertTrue(Math.abs(compressed.length - original.length) < 300, compressed.length + " vs " + original.length);
    }

    @Test
    void aWrongChecksumIsRefused() throws IOException {
        byte[] file = write(loadKeys(fixture()), true, true);
        file[file.length - 1] ^= 1;
        RdbFormatException e = assertThrows(RdbFormatException.class,
                () -> RdbFixturesTest.load(file, new ArrayList<>()));
        assertTrue(e.getMessage().contains("RDB CRC error"), e.getMessage());
    }

    @Test
    void corruptedFilesAreRefusedWithAFormatError() throws IOException {
        byte[] original = write(loadKeys(fixture()), true, false);
        SplittableRandom random = new SplittableRandom(10);
        int refused = 0;
        for (int round = 0; round < 1000; round++) {
            byte[] file = mutate(original, random);
            try {
                RdbLoader.load(file, EncodingLimits.defaults(), false, new DiscardingSink());
            } catch (RdbFormatException e) {
                // The loader's own checks must catch every corruption, not the safety net behind them.
                assertFalse(e.getMessage().contains("value not valid ("), e.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 500, "refused " + refused);
    }

    @Test
    void corruptedDumpPayloadsAreRefusedWithAFormatError() throws IOException {
        List<Key> keys = loadKeys(fixture());
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 1000; round++) {
            Key k = keys.get(random.nextInt(keys.size()));
            byte[] payload = RdbValueWriter.dump(k.value, random.nextBoolean());
            byte[] corrupt = mutate(payload, random, 0);
            try {
                RdbValueReader.restore(corrupt, EncodingLimits.defaults());
            } catch (RdbFormatException e) {
                assertFalse(e.getMessage().contains("value not valid ("), e.getMessage());
            }
        }
    }

    static byte[] mutate(byte[] original, SplittableRandom random) {
        return mutate(original, random, 9);
    }

    /** A bit flip, a truncation, or a huge length written over a length byte. */
    static byte[] mutate(byte[] original, SplittableRandom random, int keep) {
        byte[] file = original.clone();
        int at = keep + random.nextInt(file.length - keep);
        switch (random.nextInt(3)) {
            case 0 -> file[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> file = java.util.Arrays.copyOf(file, at);
            default -> {
                file[at] = (byte) 0x81;
                byte fill = random.nextBoolean() ? (byte) 0x7f : (byte) 0xd6; // huge, or negative as a long
                for (int i = 1; i <= 8 && at + i < file.length; i++) {
                    file[at + i] = fill;
                }
            }
        }
        return file;
    }

    @Test
    void aResizeHintIsBelievedOnlyAsFarAsTheFileCouldHoldThatManyKeys() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(out, false, true);
        w.header();
        w.selectDb(0, 1L << 40, 1L << 40); // a corrupt hint: a table that size would not fit any heap
        w.key("a".getBytes(), "1".getBytes(), -1, -1, -1);
        w.key("b".getBytes(), "2".getBytes(), -1, -1, -1);
        w.finish();
        byte[] file = out.toByteArray();
        List<Long> hints = new ArrayList<>();
        long[] keys = {0};
        RdbLoader.load(file, EncodingLimits.defaults(), true, new DiscardingSink() {
            @Override
            public void resizeDb(long size, long expires) {
                hints.add(size);
                hints.add(expires);
            }

            @Override
            public void key(byte[] key, Object value, long expireAtMs, long idle, int freq) {
                keys[0]++;
            }
        });
        assertEquals(2, keys[0]);
        assertEquals(2, hints.size());
        for (long hint : hints) {
            assertTrue(hint >= 0 && hint <= file.length / 3, "hint " + hint);
        }
    }

    @Test
    void aListpackHashWithAFieldTwiceIsRefusedSmallOrLarge() throws IOException {
        for (int pairs : new int[] {2, 3, 16, 17, 40}) {
            io.respire.ds.listpack.Listpack lp = new io.respire.ds.listpack.Listpack();
            for (int i = 0; i < pairs - 1; i++) {
                lp.append(("f" + i).getBytes());
                lp.append(i);
            }
            lp.append(pairs - 2); // the field "f<pairs-2>" again, stored as an integer would be: as text
            lp.append(0);
            lp.replace(lp.seek(2L * (pairs - 1)), ("f" + (pairs - 2)).getBytes());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            RdbWriter w = new RdbWriter(out, false, true);
            w.header();
            w.selectDb(0);
            w.key("h".getBytes(), io.respire.ds.hash.HashValue.ofListpack(lp), -1, -1, -1);
            w.finish();
            RdbFormatException e = assertThrows(RdbFormatException.class,
                    () -> RdbLoader.load(out.toByteArray(), EncodingLimits.defaults(), true, new DiscardingSink()),
                    pairs + " pairs");
            assertTrue(e.getMessage().contains("dup elements"), e.getMessage());
        }
    }
}
