package io.respire.ds.listpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.respire.ds.util.Numbers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ListpackTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Values at every encoding boundary, integers and strings that look like integers. */
    static List<byte[]> edgeValues() {
        List<byte[]> v = new ArrayList<>();
        long[] ints = {0, 1, 127, 128, -1, 4095, 4096, -4096, -4097, 32767, 32768, -32768, -32769,
                (1 << 23) - 1, 1 << 23, -(1 << 23), -(1 << 23) - 1, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L,
                Integer.MIN_VALUE, Integer.MIN_VALUE - 1L, Long.MAX_VALUE, Long.MIN_VALUE};
        for (long i : ints) {
            v.add(b(Long.toString(i)));
        }
        for (String s : new String[] {"", "-0", "+1", "01", " 1", "1 ", "9223372036854775808",
                "-9223372036854775809", "1.5", "abc", "-"}) {
            v.add(b(s));
        }
        for (int len : new int[] {63, 64, 127, 128, 4095, 4096, 16383, 16384, 70000}) {
            byte[] s = new byte[len];
            Arrays.fill(s, (byte) 'x');
            s[0] = (byte) 0xFF;
            v.add(s);
        }
        return v;
    }

    static byte[] randomValue(SplittableRandom r) {
        switch (r.nextInt(6)) {
            case 0:
                return Numbers.toBytes(r.nextLong(-200, 200)).clone();
            case 1:
                return Numbers.toBytes(r.nextLong()).clone();
            case 2: {
                byte[] s = new byte[r.nextInt(0, 80)];
                r.nextBytes(s);
                return s;
            }
            case 3: {
                byte[] s = new byte[r.nextInt(60, 5000)];
                r.nextBytes(s);
                return s;
            }
            case 4:
                return b("v" + r.nextInt(20));
            default:
                return b(Integer.toString(r.nextInt(1 << 24) - (1 << 23)));
        }
    }

    static void assertSame(List<byte[]> model, Listpack lp) {
        assertEquals(model.size(), lp.size());
        int i = 0;
        int total = 0;
        for (int p = lp.first(); p != Listpack.NONE; p = lp.next(p), i++) {
            assertArrayEquals(model.get(i), lp.get(p), "entry " + i);
            assertEquals(model.get(i).length, lp.valueLength(p));
            assertTrue(lp.valueEquals(p, model.get(i)));
            total += Listpack.entrySize(model.get(i));
        }
        assertEquals(model.size(), i);
        assertEquals(total, lp.bytes());
        i = model.size() - 1;
        for (int p = lp.last(); p != Listpack.NONE; p = lp.prev(p), i--) {
            assertArrayEquals(model.get(i), lp.get(p), "backward entry " + i);
        }
        assertEquals(-1, i);
    }

    @Test
    void edgeValuesRoundTripBothWays() {
        Listpack lp = new Listpack();
        List<byte[]> model = edgeValues();
        for (byte[] v : model) {
            lp.append(v);
        }
        assertSame(model, lp);
        for (int i = 0; i < model.size(); i++) {
            int p = lp.seek(i);
            assertArrayEquals(model.get(i), lp.get(p));
            assertEquals(p, lp.seek(i - model.size()));
        }
        assertEquals(Listpack.NONE, lp.seek(model.size()));
        assertEquals(Listpack.NONE, lp.seek(-model.size() - 1));
    }

    @Test
    void canonicalIntegersAreStoredCompactly() {
        Listpack lp = new Listpack();
        int p = lp.append(b("42"));
        assertTrue(lp.isInteger(p));
        assertEquals(42, lp.integer(p));
        assertEquals(2, lp.bytes());
        p = lp.append(b("1000000"));
        assertEquals(1_000_000, lp.integer(p));
        assertEquals(2 + 5, lp.bytes());
        p = lp.append(b("hello"));
        assertFalse(lp.isInteger(p));
        assertEquals(2 + 5 + 7, lp.bytes());
        assertEquals("hello", new String(lp.array(), lp.stringOffset(p), lp.stringLength(p), StandardCharsets.US_ASCII));
        p = lp.append(b("042"));
        assertFalse(lp.isInteger(p), "not canonical: kept as text");
        assertFalse(lp.valueEquals(p, b("42")));
        assertTrue(lp.valueEquals(lp.first(), b("42")));
        assertFalse(lp.valueEquals(lp.first(), b("042")));
        p = lp.append(Long.MIN_VALUE);
        assertArrayEquals(b("-9223372036854775808"), lp.get(p));
        assertEquals(20, lp.valueLength(p));
    }

    @Test
    void findWithSkipVisitsOnlyFields() {
        Listpack lp = new Listpack();
        for (String s : new String[] {"a", "b", "b", "1", "1", "c"}) {
            lp.append(b(s));
        }
        // fields are a, b, 1; values b, 1, c
        assertEquals(lp.seek(2), lp.find(lp.first(), b("b"), 1));
        assertEquals(lp.seek(4), lp.find(lp.first(), b("1"), 1));
        assertEquals(Listpack.NONE, lp.find(lp.first(), b("c"), 1));
        assertEquals(lp.seek(5), lp.find(lp.first(), b("c"), 0));
        assertEquals(lp.seek(1), lp.find(lp.first(), b("b"), 0));
    }

    @Test
    void randomOperationsMatchArrayList() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Listpack lp = new Listpack();
            List<byte[]> model = new ArrayList<>();
            for (int step = 0; step < 600; step++) {
                int op = r.nextInt(10);
                if (op <= 2 || model.isEmpty()) {
                    byte[] v = randomValue(r);
                    if (r.nextBoolean()) {
                        lp.append(v);
                        model.add(v);
                    } else {
                        assertEquals(0, lp.prepend(v));
                        model.add(0, v);
                    }
                } else if (op == 3) {
                    int i = r.nextInt(model.size());
                    byte[] v = randomValue(r);
                    int p = lp.seek(i);
                    if (r.nextBoolean()) {
                        int q = lp.insertBefore(p, v);
                        model.add(i, v);
                        assertEquals(q, lp.seek(i));
                    } else {
                        int q = lp.insertAfter(p, v);
                        model.add(i + 1, v);
                        assertEquals(q, lp.seek(i + 1));
                    }
                } else if (op == 4) {
                    int i = r.nextInt(model.size());
                    byte[] v = randomValue(r);
                    lp.replace(lp.seek(i), v);
                    model.set(i, v);
                } else if (op == 5) {
                    int i = r.nextInt(model.size());
                    int next = lp.delete(lp.seek(-model.size() + i));
                    model.remove(i);
                    assertEquals(i < model.size() ? lp.seek(i) : Listpack.NONE, next);
                } else if (op == 6) {
                    int i = r.nextInt(model.size());
                    int n = r.nextInt(1, 5);
                    lp.deleteRange(i, n);
                    model.subList(i, Math.min(model.size(), i + n)).clear();
                } else if (op == 7) {
                    byte[] v = r.nextBoolean() ? model.get(r.nextInt(model.size())) : randomValue(r);
                    int expected = -1;
                    for (int i = 0; i < model.size(); i++) {
                        if (Arrays.equals(model.get(i), v)) {
                            expected = i;
                            break;
                        }
                    }
                    int p = lp.find(lp.first(), v, 0);
                    assertEquals(expected == -1 ? Listpack.NONE : lp.seek(expected), p);
                } else if (op == 8) {
                    int i = r.nextInt(model.size() + 1);
                    Listpack tail = lp.splitAt(i == model.size() ? lp.bytes() : lp.seek(i));
                    assertSame(model.subList(i, model.size()), tail);
                    assertSame(model.subList(0, i), lp);
                    lp.appendAll(tail);
                } else {
                    Listpack c = lp.copy();
                    c.trimToSize();
                    assertSame(model, c);
                }
            }
            assertSame(model, lp);
            while (!model.isEmpty()) {
                lp.delete(lp.first());
                model.remove(0);
            }
            assertEquals(0, lp.bytes());
            assertEquals(Listpack.NONE, lp.first());
            assertEquals(Listpack.NONE, lp.last());
        }
    }

    @Test
    void iterationWithDeletionKeepsPositionsValid() {
        Listpack lp = new Listpack();
        for (int i = 0; i < 100; i++) {
            lp.append(b(i % 3 == 0 ? "x" : "y" + i));
        }
        for (int p = lp.first(); p != Listpack.NONE;) {
            p = lp.valueEquals(p, b("x")) ? lp.delete(p) : lp.next(p);
        }
        assertEquals(66, lp.size());
        // and backwards: after deleting at p, the previous entry is prev(p)
        for (int p = lp.last(); p != Listpack.NONE;) {
            if (lp.valueEquals(p, b("y1"))) {
                int after = lp.delete(p);
                p = lp.prev(after == Listpack.NONE ? lp.bytes() : after);
            } else {
                p = lp.prev(p);
            }
        }
        assertEquals(65, lp.size());
        assertEquals(Listpack.NONE, lp.find(lp.first(), b("y1"), 0));
    }

    @Test
    void memoryStaysCloseToTheEncodedSize() {
        Listpack lp = new Listpack();
        for (int i = 0; i < 10_000; i++) {
            lp.append(b("value:" + i));
        }
        assertTrue(lp.memoryUsage() < lp.bytes() * 1.2 + 64, lp.memoryUsage() + " for " + lp.bytes());
        while (lp.size() > 10) {
            lp.delete(lp.first());
        }
        assertTrue(lp.memoryUsage() < 400, "shrinks after deletions: " + lp.memoryUsage());
    }

    /**
     * Redis's layout: the expected bytes are the listpack Redis 7.0.15 made for a list node holding
     * "element-04-abcabcabcabcabc" to "element-07-abcabcabcabcabc" (read from an RDB file; see LzfTest).
     */
    @Test
    void toBytesGivesRedisLayout() {
        Listpack lp = new Listpack();
        for (int i = 4; i < 8; i++) {
            lp.append(("element-0" + i + "-" + "abc".repeat(5)).getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] bytes = lp.toBytes();
        assertEquals(119, bytes.length);
        assertArrayEquals(new byte[] {119, 0, 0, 0, 4, 0, (byte) 0x9A}, Arrays.copyOf(bytes, 7));
        assertEquals((byte) 0xFF, bytes[118]);
        assertEquals(27, bytes[6 + 27]); // the first entry's back-length: 1 + 26 bytes
        byte[] redis = io.respire.ds.util.Lzf.decompress(java.util.HexFormat.of().parseHex(
                "147700000004009a656c656d656e742d30342d616263e00302001be0011b0035e0121b0036e0121b0037e0071b011bff"), 119);
        assertArrayEquals(redis, bytes);
        Listpack back = Listpack.fromBytes(bytes, 0, bytes.length);
        assertEquals(lp.toString(), back.toString());
        assertEquals(4, back.size());
    }

    @Test
    void fromBytesCountsEntriesWhenTheHeaderCannot() {
        Listpack lp = new Listpack();
        for (int i = 0; i < 70_000; i++) {
            lp.append(i % 100);
        }
        byte[] bytes = lp.toBytes();
        assertEquals((byte) 0xFF, bytes[4]); // 65535: "unknown"
        assertEquals((byte) 0xFF, bytes[5]);
        byte[] padded = new byte[bytes.length + 3];
        System.arraycopy(bytes, 0, padded, 2, bytes.length);
        Listpack back = Listpack.fromBytes(padded, 2, bytes.length);
        assertEquals(70_000, back.size());
        assertEquals(99, back.integer(back.last()));
    }

    @Test
    void fromBytesRejectsWhatIsNotAListpack() {
        byte[] good = new Listpack().toBytes();
        assertArrayEquals(new byte[] {7, 0, 0, 0, 0, 0, (byte) 0xFF}, good);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Listpack.fromBytes(good, 0, 6));
        byte[] noEnd = good.clone();
        noEnd[6] = 0;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Listpack.fromBytes(noEnd, 0, 7));
        byte[] wrongTotal = good.clone();
        wrongTotal[0] = 8;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Listpack.fromBytes(wrongTotal, 0, 7));
    }

    @Test
    void sameValueComparesEntriesAsBytesWhateverTheirEncoding() {
        // A foreign listpack may hold "12" as a string: [total 13][count 3] "12"(str) 12(int) "ab"(str) END
        byte[] raw = {13 + 4, 0, 0, 0, 3, 0, (byte) 0x82, '1', '2', 3, 0x0C, 1, (byte) 0x82, 'a', 'b', 3, (byte) 0xFF};
        Listpack lp = Listpack.validated(raw, 0, raw.length);
        int str12 = lp.first();
        int int12 = lp.next(str12);
        int ab = lp.next(int12);
        assertTrue(lp.sameValue(str12, int12));
        assertTrue(lp.sameValue(int12, str12));
        assertTrue(lp.sameValue(ab, ab));
        assertFalse(lp.sameValue(str12, ab));
        assertFalse(lp.sameValue(int12, ab));
        Listpack ints = new Listpack();
        ints.append(-5);
        ints.append(-5);
        ints.append(7);
        assertTrue(ints.sameValue(ints.first(), ints.next(ints.first())));
        assertFalse(ints.sameValue(ints.first(), ints.last()));
    }
}
