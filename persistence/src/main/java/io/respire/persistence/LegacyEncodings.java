package io.respire.persistence;

import io.respire.ds.listpack.Listpack;

import java.util.ArrayList;
import java.util.List;

/**
 * The packed encodings of older RDB files that Redis 7.0 still loads, read into today's
 * {@link Listpack}: ziplists (hashes, sorted sets and lists up to Redis 6.2, and quicklist nodes
 * of RDB types 10 and 14) and zipmaps (hashes of Redis 2.4 and earlier). Each reader checks every
 * entry against the bounds and the declared sizes before reading it, as Redis's deep
 * {@code ziplistValidateIntegrity} and {@code zipmapValidateIntegrity} do, and returns null for a
 * blob that is not valid.
 */
final class LegacyEncodings {
    private static final int ZIPLIST_HEADER = 10;
    private static final int ZIPLIST_END = 0xFF;
    private static final int ZIPLIST_BIG_PREVLEN = 254;
    private static final int ZIPMAP_BIGLEN = 254;
    private static final int ZIPMAP_END = 0xFF;

    private LegacyEncodings() {
    }

    /** The entries of a ziplist blob as byte strings (integers as their decimal text), or null. */
    static List<byte[]> ziplistEntries(byte[] zl) {
        int size = zl.length;
        if (size < ZIPLIST_HEADER + 1 || u32(zl, 0) != size || zl[size - 1] != (byte) ZIPLIST_END) {
            return null;
        }
        long tail = u32(zl, 4);
        int declared = (zl[8] & 0xFF) | (zl[9] & 0xFF) << 8;
        List<byte[]> entries = new ArrayList<>();
        int p = ZIPLIST_HEADER;
        int prevLength = 0;
        int last = ZIPLIST_HEADER;
        while ((zl[p] & 0xFF) != ZIPLIST_END) {
            Entry e = readZiplistEntry(zl, p, size - 1);
            if (e == null || e.prevLength != prevLength) {
                return null;
            }
            entries.add(e.value);
            last = p;
            prevLength = e.length;
            p += e.length;
        }
        // The end byte must be the last byte: data after an early 0xFF is not a ziplist.
        if (p != size - 1 || tail != last || (declared != 0xFFFF && declared != entries.size())) {
            return null;
        }
        return entries;
    }

    private record Entry(int prevLength, int length, byte[] value) {
    }

    /** The ziplist entry at {@code p}, if it ends before {@code end} (the end byte), else null. */
    private static Entry readZiplistEntry(byte[] zl, int p, int end) {
        int q = p;
        int prevLength = zl[q] & 0xFF;
        if (prevLength == ZIPLIST_BIG_PREVLEN) {
            if (end - q < 5) {
                return null;
            }
            prevLength = (int) u32(zl, q + 1);
            q += 5;
        } else {
            q++;
        }
        if (q >= end) {
            return null;
        }
        int enc = zl[q] & 0xFF;
        long length;
        int header;
        byte[] value;
        switch (enc >>> 6) {
            case 0 -> {
                header = 1;
                length = enc & 0x3F;
            }
            case 1 -> {
                header = 2;
                length = q + 1 < end ? ((enc & 0x3F) << 8) | (zl[q + 1] & 0xFF) : -1;
            }
            case 2 -> {
                header = 5;
                length = end - q >= 5 ? ((zl[q + 1] & 0xFFL) << 24 | (zl[q + 2] & 0xFFL) << 16
                        | (zl[q + 3] & 0xFFL) << 8 | (zl[q + 4] & 0xFFL)) : -1;
                if (enc != 0x80) {
                    return null;
                }
            }
            default -> {
                return readZiplistInteger(zl, p, q, end, prevLength, enc);
            }
        }
        if (length < 0 || length > end - q - header) {
            return null;
        }
        value = new byte[(int) length];
        System.arraycopy(zl, q + header, value, 0, value.length);
        return new Entry(prevLength, q + header + (int) length - p, value);
    }

    private static Entry readZiplistInteger(byte[] zl, int p, int q, int end, int prevLength, int enc) {
        int bytes = switch (enc) {
            case 0xC0 -> 2;
            case 0xD0 -> 4;
            case 0xE0 -> 8;
            case 0xF0 -> 3;
            case 0xFE -> 1;
            default -> enc >= 0xF1 && enc <= 0xFD ? 0 : -1;
        };
        if (bytes < 0 || end - q - 1 < bytes) {
            return null;
        }
        long v;
        if (bytes == 0) {
            v = (enc & 0x0F) - 1;
        } else {
            v = 0;
            for (int i = bytes - 1; i >= 0; i--) {
                v = v << 8 | (zl[q + 1 + i] & 0xFF);
            }
            v = (v << (64 - 8 * bytes)) >> (64 - 8 * bytes);
        }
        return new Entry(prevLength, q + 1 + bytes - p, Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** A ziplist's entries appended to a new listpack, or null if the ziplist is not valid. */
    static Listpack ziplistToListpack(byte[] zl) {
        List<byte[]> entries = ziplistEntries(zl);
        if (entries == null) {
            return null;
        }
        Listpack lp = new Listpack();
        for (byte[] e : entries) {
            lp.append(e);
        }
        return lp;
    }

    /** A zipmap's field/value pairs in a listpack, or null if not valid or empty (as Redis refuses it). */
    static Listpack zipmapToListpack(byte[] zm) {
        int size = zm.length;
        if (size < 2 || (zm[size - 1] & 0xFF) != ZIPMAP_END) {
            return null;
        }
        Listpack lp = new Listpack();
        int p = 1;
        int count = 0;
        while ((zm[p] & 0xFF) != ZIPMAP_END) {
            long[] field = zipmapString(zm, p, false);
            if (field == null) {
                return null;
            }
            long[] value = zipmapString(zm, (int) field[2], true);
            if (value == null) {
                return null;
            }
            lp.append(slice(zm, (int) field[0], (int) field[1]));
            lp.append(slice(zm, (int) value[0], (int) value[1]));
            p = (int) value[2];
            count++;
        }
        if (count == 0 || ((zm[0] & 0xFF) != ZIPMAP_BIGLEN && (zm[0] & 0xFF) != count)) {
            return null;
        }
        return lp;
    }

    /**
     * The zipmap string at {@code p} as {start, length, next}, checked to end before the end byte;
     * a value has a free-space byte after its length and free bytes after its data.
     */
    private static long[] zipmapString(byte[] zm, int p, boolean value) {
        int last = zm.length - 1;
        int first = zm[p] & 0xFF;
        long length;
        int q;
        if (first < ZIPMAP_BIGLEN) {
            length = first;
            q = p + 1;
        } else {
            if (last - p < 5) {
                return null;
            }
            length = (zm[p + 1] & 0xFFL) | (zm[p + 2] & 0xFFL) << 8 | (zm[p + 3] & 0xFFL) << 16
                    | (zm[p + 4] & 0xFFL) << 24;
            q = p + 5;
        }
        int free = 0;
        if (value) {
            if (q >= last) {
                return null;
            }
            free = zm[q++] & 0xFF;
        }
        long next = q + length + free;
        if (next > last) {
            return null;
        }
        return new long[] {q, length, next};
    }

    private static byte[] slice(byte[] b, int from, int length) {
        byte[] s = new byte[length];
        System.arraycopy(b, from, s, 0, length);
        return s;
    }

    private static long u32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }
}
