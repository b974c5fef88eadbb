package io.respire.ds.keyspace;

import io.respire.ds.hash.HashValue;
import io.respire.ds.list.QuickList;
import io.respire.ds.set.SetValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The database's running memory total ({@link Database#memory}) against exact measures of its contents. */
class FootprintTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What memory() must say: every key, entry and value measured exactly now, plus TTLs and buckets. */
    private static long exact(Database db) {
        long[] sum = {(long) (db.dict().buckets() + db.dict().rehashTargetBuckets()) * Database.BUCKET_BYTES};
        db.forEachEntry(e -> sum[0] += ValueTypes.arrayBytes(e.key().length) + Database.ENTRY_BYTES
                + ValueTypes.memoryUsage(e.value()) + (e.expireAt() != -1 ? Database.EXPIRY_BYTES : 0));
        return sum[0];
    }

    @Test
    void stringsAddOverwriteExpireAndRemove() {
        Database db = new Database(0, 1);
        assertEquals(0, db.memory());
        for (int i = 0; i < 1000; i++) {
            db.put(b("key:" + i), new byte[i % 100]);
        }
        assertEquals(exact(db), db.memory());
        db.put(b("key:1"), new byte[5000]);
        db.replace(b("key:2"), new byte[3]);
        db.setExpireAt(b("key:3"), 10);
        db.setExpireAt(b("key:4"), Long.MAX_VALUE);
        assertEquals(exact(db), db.memory());
        assertEquals(null, db.lookup(b("key:3"), 20)); // lazily expired
        assertEquals(1, db.activeExpireCycle(Long.MAX_VALUE, 100)); // actively expired
        for (int i = 0; i < 500; i++) {
            db.remove(b("key:" + i));
        }
        assertEquals(exact(db), db.memory());
        db.clear();
        assertEquals(0, db.memory());
    }

    @Test
    void inPlaceChangesAreSeenWhenReaccounted() {
        Database db = new Database(0, 2);
        QuickList list = new QuickList(-2);
        db.put(b("list"), list);
        for (int i = 0; i < 2000; i++) {
            list.pushTail(b("element number " + i));
            db.reaccount(b("list"));
        }
        assertEquals(exact(db), db.memory(), "a list of few nodes is measured exactly");
        long full = db.memory();
        db.remove(b("list"));
        assertTrue(db.memory() < full - 2000 * 16, "removal gives back what the list held");
        db.clear();
        assertEquals(0, db.memory());
    }

    @Test
    void largeCollectionsStayCloseBetweenExactMeasuresAndNeverDrift() {
        Database db = new Database(0, 3);
        HashValue hash = new HashValue();
        db.put(b("h"), hash);
        SetValue set = SetValue.create();
        db.put(b("s"), set);
        for (int i = 0; i < 20_000; i++) {
            hash.set(b("field:" + i), b("value:" + i), 128, 64);
            db.reaccount(b("h"));
            set.add(b("member-with-some-length:" + i), 512);
            db.reaccount(b("s"));
            if (i % 250 == 0) {
                long exact = exact(db);
                assertTrue(Math.abs(db.memory() - exact) <= exact / 4, i + ": " + db.memory() + " vs " + exact);
            }
        }
        // Estimates between measures cancel out: removing the keys leaves only the table.
        db.remove(b("h"));
        db.remove(b("s"));
        assertEquals(exact(db), db.memory());
    }

    @Test
    void swapCarriesTotals() {
        Database a = new Database(0, 4);
        Database b = new Database(1, 5);
        a.put(b("k"), new byte[1000]);
        long inA = a.memory();
        a.swapWith(b);
        assertEquals(0, a.memory());
        assertEquals(inA, b.memory());
    }

    @Test
    void movedValueIsNotMeasuredTwice() {
        Database db = new Database(0, 6);
        HashValue hash = new HashValue();
        for (int i = 0; i < 1000; i++) {
            hash.set(b("f" + i), b("v" + i), 128, 64);
        }
        db.put(b("a"), hash);
        long before = db.memory();
        db.remove(b("a"));
        db.put(b("b"), hash); // RENAME's path
        assertEquals(before, db.memory());
        assertEquals(exact(db), db.memory());
    }
}
