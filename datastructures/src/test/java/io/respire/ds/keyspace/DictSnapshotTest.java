package io.respire.ds.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The snapshot epochs of {@link Dict}: a walker plus the gate record every entry present at the
 * snapshot's start exactly once, with its value as it was then, whatever happens meanwhile.
 */
class DictSnapshotTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Records what the gate and the walker see, failing on a second record of one key. */
    private static final class Recorder implements Dict.SnapshotGate {
        final Map<String, Object> recorded = new HashMap<>();
        final Map<String, Long> expiries = new HashMap<>();
        int gated;

        @Override
        public void beforeChange(Dict.Entry e) {
            gated++;
            record(e);
        }

        void record(Dict.Entry e) {
            // A copy, as the real gate serializes at once: a short string may be written in place next.
            Object value = e.value() instanceof byte[] bytes ? bytes.clone() : e.value();
            Object previous = recorded.put(s(e.key()), value);
            expiries.put(s(e.key()), e.expireAt());
            if (previous != null) {
                throw new AssertionError("recorded twice: " + s(e.key()));
            }
        }

        /** One walker slice: scans from {@code cursor}, recording the pending entries. */
        long walk(Dict d, long cursor) {
            return d.scan(cursor, e -> {
                if (d.snapshotPending(e)) {
                    d.snapshotRecorded(e);
                    record(e);
                }
            });
        }
    }

    @Test
    void everyChangeKindHitsTheGateOnceWithTheOldValue() {
        Dict d = new Dict(1);
        for (int i = 0; i < 8; i++) {
            d.put(b("k" + i), "v" + i);
        }
        d.setExpireAt(b("k7"), 1000);
        Recorder r = new Recorder();
        d.startSnapshot(r);
        d.set(b("k0"), "new", false);     // overwrite
        d.set(b("k0"), "newer", false);   // second change: already recorded
        d.remove(b("k1"));                // delete
        d.setExpireAt(b("k2"), 5000);     // expiry set (the entry object is replaced)
        d.persist(b("k7"));               // expiry removed
        d.beforeChange(d.find(b("k3")));  // in-place change seen by the caller
        d.put(b("fresh"), "made after");  // not part of the snapshot
        d.remove(b("fresh"));
        assertEquals(5, r.gated);
        long cursor = 0;
        do {
            cursor = r.walk(d, cursor);
        } while (cursor != 0);
        d.endSnapshot(true);
        assertEquals(8, r.recorded.size());
        assertEquals("v0", r.recorded.get("k0"));
        assertEquals("v1", r.recorded.get("k1"));
        assertEquals(-1L, r.expiries.get("k2"));
        assertEquals(1000L, r.expiries.get("k7"));
        assertFalse(r.recorded.containsKey("fresh"));
    }

    @Test
    void aStringWrittenIntoItsArrayIsRecordedAsItWasBefore() {
        Dict d = new Dict(3);
        d.put(b("k"), b("old"));
        Recorder r = new Recorder();
        d.startSnapshot(r);
        byte[] stored = (byte[]) d.get(b("k"));
        d.set(b("k"), b("new"), false);
        assertSame(stored, d.get(b("k")), "same length: written in place");
        assertEquals("new", s(stored));
        assertEquals(1, r.gated);
        assertEquals("old", s((byte[]) r.recorded.get("k")));
    }

    @Test
    void theLruFieldKeepsItsValueAndTheEpochApart() {
        Dict d = new Dict(2);
        d.newEntryLru(0xABCDEF);
        d.put(b("a"), "x");
        Recorder r = new Recorder();
        d.startSnapshot(r);
        Dict.Entry e = d.find(b("a"));
        d.beforeChange(e);
        assertEquals(0xABCDEF, e.lru());
        e.lru(0xFFFFFFFF);
        assertEquals(0xFFFFFF, e.lru());
        assertFalse(d.snapshotPending(e), "setting the LRU field keeps the epoch");
        d.setExpireAt(b("a"), 10);
        assertEquals(0xFFFFFF, d.find(b("a")).lru());
    }

    @Test
    void clearingDuringASnapshotHandsTheUnrecordedEntriesToTheGate() {
        Dict d = new Dict(3);
        for (int i = 0; i < 100; i++) {
            d.put(b("k" + i), i);
        }
        Recorder r = new Recorder();
        d.startSnapshot(r);
        r.walk(d, 0);
        int walked = r.recorded.size();
        d.clear();
        assertEquals(100, r.recorded.size());
        assertEquals(100 - walked, r.gated);
    }

    @Test
    void abandonedSnapshotsNeverLeaveAnEntryLookingRecorded() {
        Dict d = new Dict(4);
        d.put(b("old"), "o");
        Recorder first = new Recorder();
        d.startSnapshot(first);
        first.walk(d, 0);
        d.endSnapshot(true);
        // Epochs wrap at 8 bits: 300 abandoned snapshots go round more than once.
        for (int i = 0; i < 300; i++) {
            d.startSnapshot(e -> { });
            assertTrue(d.snapshotPending(d.find(b("old"))), "snapshot " + i);
            if (i % 7 == 0) {
                d.put(b("new" + i), "n"); // stamped with this epoch
            }
            d.endSnapshot(false);
        }
    }

    @Test
    void aWalkThroughResizesRecordsEveryKeyPresentAtTheStartExactlyOnce() {
        SplittableRandom random = new SplittableRandom(5);
        Dict d = new Dict(5);
        Map<String, Object> atStart = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            d.put(b("k" + i), i);
            atStart.put("k" + i, i);
        }
        Recorder r = new Recorder();
        d.startSnapshot(r);
        long cursor = 0;
        int added = 0;
        do {
            for (int slice = 0; slice < 20 && (cursor = r.walk(d, cursor)) != 0; slice++) {
                // a slice of the walk: 20 buckets
            }
            // Writers in between: growth (and so rehashing), deletions that shrink, overwrites.
            for (int j = 0; j < 6; j++) {
                int k = random.nextInt(3000);
                switch (random.nextInt(3)) {
                    case 0 -> d.put(b("k" + k), "changed");
                    case 1 -> d.remove(b("k" + k));
                    default -> d.put(b("n" + added++), "new");
                }
            }
        } while (cursor != 0);
        d.endSnapshot(true);
        assertEquals(atStart, r.recorded);
    }
}
