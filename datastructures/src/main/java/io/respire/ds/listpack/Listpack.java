package io.respire.ds.listpack;

import io.respire.ds.util.Numbers;

import java.util.Arrays;

/**
 * A sequence of entries packed into one {@code byte[]}, modelled on Redis's listpack: the compact
 * encoding behind small hashes, sets and sorted sets and behind every node of a list. A collection
 * of a few dozen short elements costs one array and a 24-byte header here, instead of an object
 * graph with two or three objects per element.
 *
 * <h2>Entries</h2>
 * Each entry is a byte string or, when the bytes are the canonical decimal text of a long (as
 * {@link Numbers#parseLong} accepts: no '+', no leading zeros, no spaces), an integer. Integers are
 * stored in binary and read back as the same text, so the choice is invisible to callers except
 * through {@link #isInteger}. An entry is laid out as
 * <pre>
 *   header [payload] back-length
 * </pre>
 * The header tells the kind and size:
 * <pre>
 *   0xxxxxxx                      integer 0..127 (no payload)
 *   10xxxxxx                      string of 0..63 bytes
 *   110xxxxx xxxxxxxx             13-bit signed integer
 *   1110xxxx xxxxxxxx             string of up to 4095 bytes (12-bit length)
 *   11110000 + 4-byte length      longer string
 *   11110001/0010/0011/0100       16/24/32/64-bit signed integer in 2/3/4/8 bytes
 * </pre>
 * (little-endian lengths and integers). The back-length, 1 to 5 bytes, holds the size of header
 * plus payload, 7 bits per byte; it is read from its last byte backwards, each byte's high bit
 * saying whether another byte precedes. It makes backward iteration possible without an index. So
 * "hello" costs 7 bytes, the integer 42 costs 2 and 1000000 costs 5.
 *
 * <h2>Positions</h2>
 * Entries are addressed by <em>position</em>: the byte offset of the entry, an {@code int}, with
 * {@link #NONE} (-1) for "no entry". {@link #first}, {@link #last}, {@link #next}, {@link #prev}
 * and {@link #seek} produce positions; the readers take one. Positions are plain offsets, so a
 * write invalidates every position after the place it changed; the writers return the position
 * that stays meaningful (the inserted entry, or the entry that followed a deleted one). Unlike
 * Redis's, the list keeps no header in the array: total bytes and entry count are fields.
 *
 * <h2>Cost</h2>
 * Appending is amortised O(1): the array grows by an eighth, which bounds the wasted room as
 * jemalloc's size classes bound Redis's; below 256 bytes it grows to fit, so that the many small
 * collections waste nothing. Inserting or deleting in the
 * middle moves the bytes after that point; finding by value or by index is a linear walk, which is
 * why owners cap a listpack's size (list-max-listpack-size, hash-max-listpack-entries...). The
 * array shrinks when it becomes less than half used. Byte strings are compared as unsigned bytes
 * nowhere here; equality is exact.
 *
 * <p>Not thread-safe. Readers never allocate except {@link #get} (a copy of the entry's bytes).
 */
public final class Listpack {
    /** The position of no entry: the end of an iteration, or an index out of range. */
    public static final int NONE = -1;

    private static final byte[] EMPTY = {};

    private static final int STR_6 = 0x80;
    private static final int INT_13 = 0xC0;
    private static final int STR_12 = 0xE0;
    private static final int STR_32 = 0xF0;
    private static final int INT_16 = 0xF1;
    private static final int INT_24 = 0xF2;
    private static final int INT_32 = 0xF3;
    private static final int INT_64 = 0xF4;

    /** Heap bytes of this object with compressed oops: header, array reference and two ints. */
    private static final int SHALLOW_SIZE = 24;
    /** Heap bytes of an array's header. */
    private static final int ARRAY_HEADER = 16;
    /** Below this many bytes the array grows to fit exactly, above by an eighth. */
    private static final int SMALL_ARRAY = 256;

    private byte[] buf;
    private int used;
    private int count;

    public Listpack() {
        buf = EMPTY;
    }

    /** An empty listpack with room for {@code capacity} bytes of entries. */
    public Listpack(int capacity) {
        buf = capacity == 0 ? EMPTY : new byte[capacity];
    }

    private Listpack(byte[] buf, int used, int count) {
        this.buf = buf;
        this.used = used;
        this.count = count;
    }

    // ------------------------------------------------------------------------------------------
    // Size

    /** Number of entries. */
    public int size() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Bytes the entries take (without the unused room of the array). */
    public int bytes() {
        return used;
    }

    /** Heap bytes this listpack holds: the object and its whole array (for MEMORY USAGE). */
    public long memoryUsage() {
        return SHALLOW_SIZE + align8(ARRAY_HEADER + buf.length);
    }

    /** Bytes an entry holding {@code value} would take: what an insert adds to {@link #bytes}. */
    public static int entrySize(byte[] value) {
        int n = Numbers.isLong(value) ? intSize(Numbers.parseLong(value)) : stringSize(value.length);
        return n + backlenSize(n);
    }

    // ------------------------------------------------------------------------------------------
    // Positions

    public int first() {
        return count == 0 ? NONE : 0;
    }

    public int last() {
        return count == 0 ? NONE : prev(used);
    }

    /** The entry after the one at {@code p}, or {@link #NONE}. */
    public int next(int p) {
        int n = p + entryLength(p);
        return n < used ? n : NONE;
    }

    /**
     * The entry before position {@code p}, or {@link #NONE}. {@code p} may also be {@link #bytes}
     * (the end), which gives the last entry.
     */
    public int prev(int p) {
        if (p <= 0) {
            return NONE;
        }
        int q = p - 1;
        int len = buf[q] & 0x7F;
        int shift = 7;
        while ((buf[q] & 0x80) != 0) {
            q--;
            len |= (buf[q] & 0x7F) << shift;
            shift += 7;
        }
        return q - len;
    }

    /**
     * The entry at {@code index} (negative counts from the end: -1 is the last), walking from the
     * nearer end; {@link #NONE} when out of range.
     */
    public int seek(long index) {
        if (index < 0) {
            index += count;
        }
        if (index < 0 || index >= count) {
            return NONE;
        }
        int p;
        if (index <= count / 2) {
            p = 0;
            for (long i = 0; i < index; i++) {
                p += entryLength(p);
            }
        } else {
            p = used;
            for (long i = count; i > index; i--) {
                p = prev(p);
            }
        }
        return p;
    }

    // ------------------------------------------------------------------------------------------
    // Reading

    /** Whether the entry at {@code p} is stored as an integer (read it with {@link #integer}). */
    public boolean isInteger(int p) {
        int h = buf[p] & 0xFF;
        return (h & 0x80) == 0 || (h & 0xE0) == INT_13 || (h >= INT_16 && h <= INT_64);
    }

    /** The value of an integer entry. */
    public long integer(int p) {
        int h = buf[p] & 0xFF;
        if ((h & 0x80) == 0) {
            return h;
        }
        if ((h & 0xE0) == INT_13) {
            int v = ((h & 0x1F) << 8) | (buf[p + 1] & 0xFF);
            return (v << 19) >> 19;
        }
        return switch (h) {
            case INT_16 -> (long) (short) readLE(p + 1, 2);
            case INT_24 -> (readLE(p + 1, 3) << 40) >> 40;
            case INT_32 -> (long) (int) readLE(p + 1, 4);
            case INT_64 -> readLE(p + 1, 8);
            default -> throw new IllegalStateException("not an integer entry");
        };
    }

    /**
     * The array holding the entries: with {@link #stringOffset} and {@link #stringLength}, a string
     * entry can be read (or written to a socket) without copying. Valid until the next write.
     */
    public byte[] array() {
        return buf;
    }

    /** Where the bytes of a string entry start in {@link #array()}. */
    public int stringOffset(int p) {
        int h = buf[p] & 0xFF;
        if ((h & 0xC0) == STR_6) {
            return p + 1;
        }
        if ((h & 0xF0) == STR_12) {
            return p + 2;
        }
        if (h == STR_32) {
            return p + 5;
        }
        throw new IllegalStateException("not a string entry");
    }

    /** The length of a string entry's bytes. */
    public int stringLength(int p) {
        int h = buf[p] & 0xFF;
        if ((h & 0xC0) == STR_6) {
            return h & 0x3F;
        }
        if ((h & 0xF0) == STR_12) {
            return ((h & 0x0F) << 8) | (buf[p + 1] & 0xFF);
        }
        if (h == STR_32) {
            return (int) readLE(p + 1, 4);
        }
        throw new IllegalStateException("not a string entry");
    }

    /** Hands the entry at {@code p} to {@code sink}, in place (no copy). */
    public void read(int p, ValueSink sink) {
        if (isInteger(p)) {
            sink.integer(integer(p));
        } else {
            sink.bytes(buf, stringOffset(p), stringLength(p));
        }
    }

    /** The entry's value as bytes (the decimal text of an integer entry): a fresh array. */
    public byte[] get(int p) {
        if (isInteger(p)) {
            return Numbers.toBytes(integer(p)).clone();
        }
        int off = stringOffset(p);
        return Arrays.copyOfRange(buf, off, off + stringLength(p));
    }

    /** Length of the entry's value as bytes (digits and sign of an integer entry). */
    public int valueLength(int p) {
        return isInteger(p) ? digits(integer(p)) : stringLength(p);
    }

    /**
     * Whether the entries at {@code p} and {@code q} hold the same value as bytes, an integer
     * entry read as its decimal text (a foreign listpack may store "12" either way), compared in
     * place.
     */
    public boolean sameValue(int p, int q) {
        boolean pInt = isInteger(p);
        boolean qInt = isInteger(q);
        if (pInt && qInt) {
            return integer(p) == integer(q);
        }
        if (!pInt && !qInt) {
            int po = stringOffset(p);
            int qo = stringOffset(q);
            int len = stringLength(p);
            return len == stringLength(q) && Arrays.equals(buf, po, po + len, buf, qo, qo + len);
        }
        int s = pInt ? q : p;
        long v = integer(pInt ? p : q);
        if (stringLength(s) != digits(v)) {
            return false; // the usual case, decided without writing the number out
        }
        byte[] text = Numbers.toBytes(v);
        int so = stringOffset(s);
        return Arrays.equals(buf, so, so + text.length, text, 0, text.length);
    }

    /** Whether the entry at {@code p} holds exactly these bytes. */
    public boolean valueEquals(int p, byte[] value) {
        return matches(p, Probe.of(value));
    }

    /** Whether the entry at {@code p} holds the probe's bytes (for comparing many entries to one value). */
    public boolean matches(int p, Probe probe) {
        // Canonical integer text is always stored as an integer, so kinds must agree.
        if (isInteger(p)) {
            return probe.isInt && integer(p) == probe.intValue;
        }
        if (probe.isInt) {
            return false;
        }
        int off = stringOffset(p);
        int len = stringLength(p);
        return len == probe.bytes.length && Arrays.equals(buf, off, off + len, probe.bytes, 0, len);
    }

    /**
     * Finds an entry equal to {@code value}, starting with the entry at {@code from} and then
     * comparing only every {@code (skip + 1)}th entry (skip 1 visits the fields of a field/value
     * listpack). Returns its position or {@link #NONE}.
     */
    public int find(int from, byte[] value, int skip) {
        Probe probe = Probe.of(value);
        int p = from;
        while (p != NONE) {
            if (matches(p, probe)) {
                return p;
            }
            p = next(p);
            for (int i = 0; i < skip && p != NONE; i++) {
                p = next(p);
            }
        }
        return NONE;
    }

    /**
     * A value prepared for comparison with many entries: whether it reads as an integer is decided
     * once, not per entry.
     */
    public record Probe(byte[] bytes, boolean isInt, long intValue) {
        public static Probe of(byte[] bytes) {
            boolean isInt = Numbers.isLong(bytes);
            return new Probe(bytes, isInt, isInt ? Numbers.parseLong(bytes) : 0);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Writing

    /** Adds an entry at the end; returns its position. */
    public int append(byte[] value) {
        return insertAt(used, value);
    }

    /** Adds an integer entry at the end; returns its position. */
    public int append(long value) {
        return insertAt(used, value);
    }

    /** Adds an entry at the front; returns its position (0). */
    public int prepend(byte[] value) {
        return insertAt(0, value);
    }

    /** Inserts before the entry at {@code p}; returns the new entry's position. */
    public int insertBefore(int p, byte[] value) {
        return insertAt(p, value);
    }

    /** Inserts after the entry at {@code p}; returns the new entry's position. */
    public int insertAfter(int p, byte[] value) {
        return insertAt(p + entryLength(p), value);
    }

    /** Replaces the entry at {@code p}; returns its position ({@code p}). */
    public int replace(int p, byte[] value) {
        if (Numbers.isLong(value)) {
            return replace(p, Numbers.parseLong(value));
        }
        int n = stringSize(value.length);
        int off = resize(p, n + backlenSize(n));
        writeString(off, value);
        return p;
    }

    /** Replaces the entry at {@code p} by an integer entry; returns {@code p}. */
    public int replace(int p, long value) {
        int n = intSize(value);
        int off = resize(p, n + backlenSize(n));
        writeInt(off, value);
        return p;
    }

    /** Deletes the entry at {@code p}; returns the position of the entry that followed, or NONE. */
    public int delete(int p) {
        return delete(p, 1);
    }

    /**
     * Deletes {@code n} entries starting with the one at {@code p} (fewer if the list ends first);
     * returns the position of the entry that followed them, or NONE.
     */
    public int delete(int p, int n) {
        int end = p;
        int removed = 0;
        while (removed < n && end < used) {
            end += entryLength(end);
            removed++;
        }
        System.arraycopy(buf, end, buf, p, used - end);
        used -= end - p;
        count -= removed;
        shrinkIfSparse();
        return p < used ? p : NONE;
    }

    /** Deletes {@code n} entries from index {@code start} (negative counts from the end). */
    public void deleteRange(long start, int n) {
        int p = seek(start);
        if (p != NONE && n > 0) {
            delete(p, n);
        }
    }

    /** Removes every entry. */
    public void clear() {
        buf = EMPTY;
        used = 0;
        count = 0;
    }

    /** A copy sharing nothing with this one, without spare room. */
    public Listpack copy() {
        return new Listpack(Arrays.copyOf(buf, used), used, count);
    }

    // ------------------------------------------------------------------------------------------
    // Redis's layout

    /** Bytes of Redis's header (total bytes as 4 bytes, entry count as 2) plus its end byte. */
    public static final int HEADER_AND_END = 7;
    /** The header's count when the real count does not fit in its 16 bits. */
    private static final int COUNT_UNKNOWN = 0xFFFF;
    private static final byte END = (byte) 0xFF;

    /**
     * The listpack as Redis lays it out in memory and in RDB files: a header of total bytes and
     * entry count (little-endian), the entries, and an 0xFF end byte.
     */
    public byte[] toBytes() {
        int total = used + HEADER_AND_END;
        byte[] out = new byte[total];
        int n = Math.min(count, COUNT_UNKNOWN);
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) (total >>> (8 * i));
        }
        out[4] = (byte) n;
        out[5] = (byte) (n >>> 8);
        System.arraycopy(buf, 0, out, 6, used);
        out[total - 1] = END;
        return out;
    }

    /**
     * A listpack from Redis's layout (see {@link #toBytes}) in {@code bytes[off, off+len)}. Only the
     * header and end byte are checked; entries are taken as they are.
     */
    public static Listpack fromBytes(byte[] bytes, int off, int len) {
        if (len < HEADER_AND_END || bytes[off + len - 1] != END) {
            throw new IllegalArgumentException("not a listpack: no header or end byte");
        }
        long total = 0;
        for (int i = 3; i >= 0; i--) {
            total = (total << 8) | (bytes[off + i] & 0xFF);
        }
        if (total != len) {
            throw new IllegalArgumentException("listpack header says " + total + " bytes, not " + len);
        }
        int used = len - HEADER_AND_END;
        Listpack lp = new Listpack(Arrays.copyOfRange(bytes, off + 6, off + 6 + used), used, 0);
        int n = (bytes[off + 4] & 0xFF) | (bytes[off + 5] & 0xFF) << 8;
        if (n == COUNT_UNKNOWN) {
            n = 0;
            for (int p = 0; p < used; p += lp.entryLength(p)) {
                n++;
            }
        }
        lp.count = n;
        return lp;
    }

    /**
     * A listpack from Redis's layout in {@code bytes[off, off+len)} after checking every entry
     * (Redis's lpValidateIntegrity with deep checks): the header's size, each entry's encoding and
     * back-length within bounds, the end byte only at the end, and the entry count when the header
     * knows it. Null if any of it is wrong, so that a corrupt file or payload never reaches the
     * readers, which trust the layout.
     */
    public static Listpack validated(byte[] bytes, int off, int len) {
        if (len < HEADER_AND_END || bytes[off + len - 1] != END) {
            return null;
        }
        long total = 0;
        for (int i = 3; i >= 0; i--) {
            total = (total << 8) | (bytes[off + i] & 0xFF);
        }
        if (total != len) {
            return null;
        }
        int used = len - HEADER_AND_END;
        Listpack lp = new Listpack(Arrays.copyOfRange(bytes, off + 6, off + 6 + used), used, 0);
        int n = 0;
        for (int p = 0; p < used; n++) {
            int size = lp.checkedEntryLength(p);
            if (size < 0) {
                return null;
            }
            p += size;
        }
        int declared = (bytes[off + 4] & 0xFF) | (bytes[off + 5] & 0xFF) << 8;
        if (declared != COUNT_UNKNOWN && declared != n) {
            return null;
        }
        lp.count = n;
        return lp;
    }

    /** The whole length of the entry at {@code p} if it lies within the entries and is well formed, else -1. */
    private int checkedEntryLength(int p) {
        int h = buf[p] & 0xFF;
        if (h == 0xFF || (h > INT_64 && h != 0xFF) || (h == STR_32 && used - p < 5)
                || ((h & 0xF0) == STR_12 && used - p < 2)) {
            return -1;
        }
        long encoded = h == STR_32 ? 5 + readLE(p + 1, 4) : encodedLength(p);
        if (encoded > used - p) {
            return -1;
        }
        int backlen = backlenSize((int) encoded);
        if (encoded + backlen > used - p) {
            return -1;
        }
        int end = p + (int) encoded + backlen;
        int q = end - 1;
        long stored = buf[q] & 0x7F;
        int shift = 7;
        while ((buf[q] & 0x80) != 0 && q > p + encoded) {
            q--;
            stored |= (long) (buf[q] & 0x7F) << shift;
            shift += 7;
        }
        return stored == encoded && q == p + encoded ? end - p : -1;
    }

    /** Releases the unused room of the array. */
    public void trimToSize() {
        if (buf.length != used) {
            buf = used == 0 ? EMPTY : Arrays.copyOf(buf, used);
        }
    }

    /**
     * Moves the entries from position {@code p} to the end into a new listpack, which it returns;
     * this one keeps the entries before {@code p} ({@code p} may be {@link #bytes}: nothing moves).
     */
    public Listpack splitAt(int p) {
        int moved = 0;
        for (int q = p; q < used; q += entryLength(q)) {
            moved++;
        }
        Listpack tail = new Listpack(Arrays.copyOfRange(buf, p, used), used - p, moved);
        used = p;
        count -= moved;
        shrinkIfSparse();
        return tail;
    }

    /** Appends all entries of {@code other} (left unchanged) after this one's. */
    public void appendAll(Listpack other) {
        ensureCapacity(used + other.used);
        System.arraycopy(other.buf, 0, buf, used, other.used);
        used += other.used;
        count += other.count;
    }

    // ------------------------------------------------------------------------------------------
    // Encoding

    private int insertAt(int off, byte[] value) {
        if (Numbers.isLong(value)) {
            return insertAt(off, Numbers.parseLong(value));
        }
        int n = stringSize(value.length);
        openGap(off, n + backlenSize(n));
        writeString(off, value);
        return off;
    }

    private int insertAt(int off, long value) {
        int n = intSize(value);
        openGap(off, n + backlenSize(n));
        writeInt(off, value);
        return off;
    }

    private void openGap(int off, int size) {
        ensureCapacity(used + size);
        System.arraycopy(buf, off, buf, off + size, used - off);
        used += size;
        count++;
    }

    /** Makes the entry at {@code p} take {@code newSize} bytes (contents undefined); returns p. */
    private int resize(int p, int newSize) {
        int oldEnd = p + entryLength(p);
        int newEnd = p + newSize;
        if (newEnd == oldEnd) {
            return p; // the usual in-place update (a counter, a flag): nothing moves
        }
        if (newEnd > oldEnd) {
            ensureCapacity(used + newEnd - oldEnd);
        }
        System.arraycopy(buf, oldEnd, buf, newEnd, used - oldEnd);
        used += newEnd - oldEnd;
        if (newEnd < oldEnd) {
            shrinkIfSparse();
        }
        return p;
    }

    private void ensureCapacity(int needed) {
        if (needed > buf.length) {
            if (needed < 0) {
                throw new IllegalStateException("listpack larger than 2 GB");
            }
            // Small arrays grow to fit (copying them is cheap; most small collections stay small).
            long grown = needed < SMALL_ARRAY ? needed : needed + (needed >> 3);
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, align8(grown)));
        }
    }

    private void shrinkIfSparse() {
        if (used == 0) {
            buf = EMPTY;
        } else if (buf.length > 64 && used < buf.length / 2) {
            buf = Arrays.copyOf(buf, (int) align8(used + (used >> 3)));
        }
    }

    private void writeString(int off, byte[] value) {
        int len = value.length;
        int q;
        if (len < 64) {
            buf[off] = (byte) (STR_6 | len);
            q = off + 1;
        } else if (len < 4096) {
            buf[off] = (byte) (STR_12 | (len >> 8));
            buf[off + 1] = (byte) len;
            q = off + 2;
        } else {
            buf[off] = (byte) STR_32;
            writeLE(off + 1, len, 4);
            q = off + 5;
        }
        System.arraycopy(value, 0, buf, q, len);
        writeBacklen(q + len, q + len - off);
    }

    private void writeInt(int off, long v) {
        int n;
        if (v >= 0 && v <= 127) {
            buf[off] = (byte) v;
            n = 1;
        } else if (v >= -4096 && v <= 4095) {
            buf[off] = (byte) (INT_13 | ((v >> 8) & 0x1F));
            buf[off + 1] = (byte) v;
            n = 2;
        } else if (v == (short) v) {
            buf[off] = (byte) INT_16;
            writeLE(off + 1, v, 2);
            n = 3;
        } else if (v >= -(1 << 23) && v < (1 << 23)) {
            buf[off] = (byte) INT_24;
            writeLE(off + 1, v, 3);
            n = 4;
        } else if (v == (int) v) {
            buf[off] = (byte) INT_32;
            writeLE(off + 1, v, 4);
            n = 5;
        } else {
            buf[off] = (byte) INT_64;
            writeLE(off + 1, v, 8);
            n = 9;
        }
        writeBacklen(off + n, n);
    }

    /** Writes the back-length of an entry of {@code len} bytes (header and payload) at {@code off}. */
    private void writeBacklen(int off, int len) {
        int n = backlenSize(len);
        // The last byte holds the low 7 bits; each byte but the first says "more before me".
        for (int i = n - 1; i >= 0; i--) {
            int bits = len & 0x7F;
            len >>>= 7;
            buf[off + i] = (byte) (i > 0 ? bits | 0x80 : bits);
        }
    }

    /** Bytes of the whole entry at {@code p}: header, payload and back-length. */
    private int entryLength(int p) {
        int n = encodedLength(p);
        return n + backlenSize(n);
    }

    /** Bytes of header and payload of the entry at {@code p}. */
    private int encodedLength(int p) {
        int h = buf[p] & 0xFF;
        if ((h & 0x80) == 0) {
            return 1;
        }
        if ((h & 0xC0) == STR_6) {
            return 1 + (h & 0x3F);
        }
        if ((h & 0xE0) == INT_13) {
            return 2;
        }
        if ((h & 0xF0) == STR_12) {
            return 2 + (((h & 0x0F) << 8) | (buf[p + 1] & 0xFF));
        }
        return switch (h) {
            case STR_32 -> 5 + (int) readLE(p + 1, 4);
            case INT_16 -> 3;
            case INT_24 -> 4;
            case INT_32 -> 5;
            case INT_64 -> 9;
            default -> throw new IllegalStateException("corrupt listpack entry header " + h);
        };
    }

    private static int stringSize(int len) {
        return len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
    }

    private static int intSize(long v) {
        if (v >= 0 && v <= 127) {
            return 1;
        }
        if (v >= -4096 && v <= 4095) {
            return 2;
        }
        if (v == (short) v) {
            return 3;
        }
        if (v >= -(1 << 23) && v < (1 << 23)) {
            return 4;
        }
        return v == (int) v ? 5 : 9;
    }

    private static int backlenSize(int len) {
        if (len < (1 << 7)) {
            return 1;
        }
        if (len < (1 << 14)) {
            return 2;
        }
        if (len < (1 << 21)) {
            return 3;
        }
        return len < (1 << 28) ? 4 : 5;
    }

    private long readLE(int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (buf[off + i] & 0xFF);
        }
        return v;
    }

    private void writeLE(int off, long v, int n) {
        for (int i = 0; i < n; i++) {
            buf[off + i] = (byte) v;
            v >>= 8;
        }
    }

    /** Number of characters of the decimal text of {@code v}. */
    static int digits(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        int n = v < 0 ? 2 : 1;
        long a = Math.abs(v);
        while (a >= 10) {
            a /= 10;
            n++;
        }
        return n;
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int p = first(); p != NONE; p = next(p)) {
            if (p != 0) {
                sb.append(", ");
            }
            sb.append(isInteger(p) ? Long.toString(integer(p)) : new String(get(p), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return sb.append(']').toString();
    }
}
