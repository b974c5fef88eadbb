package io.respire.server.observability;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/** The slow log's entries: order, ids, length limit and the trimming of long commands. */
class SlowlogTest {
    private static byte[][] argv(String... words) {
        byte[][] out = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            out[i] = words[i].getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void newestFirstWithIncreasingIdsAndBoundedLength() {
        Slowlog log = new Slowlog();
        for (int i = 0; i < 5; i++) {
            log.push(3, argv("ping", String.valueOf(i)), 10 + i, 1000 + i, "127.0.0.1:5000", "n");
        }
        assertEquals(3, log.size());
        List<Slowlog.Entry> all = log.latest(-1);
        assertEquals(List.of(4L, 3L, 2L), all.stream().map(Slowlog.Entry::id).toList());
        assertEquals("4", text(all.get(0).argv()[1]));
        assertEquals(14, all.get(0).durationMicros());
        assertEquals(1004, all.get(0).timeSeconds());
        assertEquals(2, log.latest(2).size());
        assertEquals(0, log.latest(0).size());
        assertEquals(3, log.latest(100).size());
    }

    @Test
    void resetKeepsCountingIds() {
        Slowlog log = new Slowlog();
        log.push(10, argv("get", "k"), 1, 1, "a", "");
        log.reset();
        assertEquals(0, log.size());
        log.push(10, argv("get", "k"), 1, 1, "a", "");
        assertEquals(1, log.latest(1).get(0).id());
    }

    @Test
    void shrinkingMaxLenTrimsOnTheNextCommand() {
        Slowlog log = new Slowlog();
        for (int i = 0; i < 4; i++) {
            log.push(10, argv("ping"), 1, 1, "a", "");
        }
        log.trimTo(1);
        assertEquals(1, log.size());
        assertEquals(3, log.latest(1).get(0).id());
    }

    @Test
    void moreThan32ArgumentsEndWithACount() {
        String[] words = new String[34];
        for (int i = 0; i < words.length; i++) {
            words[i] = "a" + i;
        }
        byte[][] kept = Slowlog.trim(argv(words));
        assertEquals(32, kept.length);
        assertEquals("a30", text(kept[30]));
        assertEquals("... (3 more arguments)", text(kept[31]));
        assertEquals(32, Slowlog.trim(argv(java.util.Arrays.copyOf(words, 32))).length);
        assertEquals("a31", text(Slowlog.trim(argv(java.util.Arrays.copyOf(words, 32)))[31]));
    }

    @Test
    void longArgumentsKeep128BytesAndSayHowManyMore() {
        byte[][] original = argv("sadd", "A".repeat(129), "B".repeat(128));
        byte[][] kept = Slowlog.trim(original);
        assertEquals("A".repeat(128) + "... (1 more bytes)", text(kept[1]));
        assertArrayEquals(original[2], kept[2]);
        assertNotSame(original[2], kept[2], "entries own their bytes");
    }
}
