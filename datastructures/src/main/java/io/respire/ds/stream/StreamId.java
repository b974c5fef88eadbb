package io.respire.ds.stream;

import java.nio.charset.StandardCharsets;

/**
 * A stream entry ID, Redis's streamID: milliseconds and a sequence number, both unsigned 64-bit
 * (held in Java longs, compared and printed as unsigned). IDs order by ms, then seq, which is also
 * the order of their 128-bit big-endian encoding that Redis uses as radix tree keys.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    /** 0-0: the smallest ID, "-" in ranges; also "none" for last-id and max-deleted-entry-id. */
    public static final StreamId MIN = new StreamId(0, 0);
    /** 18446744073709551615-18446744073709551615: the largest ID, "+" in ranges. */
    public static final StreamId MAX = new StreamId(-1L, -1L);

    @Override
    public int compareTo(StreamId o) {
        return compare(ms, seq, o.ms, o.seq);
    }

    /** Redis's streamCompareID on unpacked IDs: negative, zero or positive. */
    public static int compare(long ms1, long seq1, long ms2, long seq2) {
        int c = Long.compareUnsigned(ms1, ms2);
        return c != 0 ? c : Long.compareUnsigned(seq1, seq2);
    }

    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** The ID just after this one (streamIncrID), or null past the largest ID. */
    public StreamId next() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new StreamId(ms + 1, 0);
    }

    /** The ID just before this one (streamDecrID), or null before 0-0. */
    public StreamId previous() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }

    /** "ms-seq", as replies show an ID. */
    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    /** {@link #toString} as ASCII bytes, for a bulk reply. */
    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }
}
