package io.respire.ds.string;

import java.util.ArrayList;
import java.util.List;

/**
 * The longest common subsequence of two byte strings, for the LCS command: the classic dynamic
 * programming table, walked back from the end to recover the subsequence and the matching ranges.
 * The walk prefers the same direction as Redis's, so that among several longest subsequences the
 * same one, with the same ranges in the same (last-to-first) order, comes out.
 */
public final class Lcs {
    /** One run of consecutive matches: a[aStart..aEnd] equals b[bStart..bEnd] (inclusive). */
    public record Match(int aStart, int aEnd, int bStart, int bEnd) {
        public int length() {
            return aEnd - aStart + 1;
        }
    }

    private final byte[] subsequence;
    private final List<Match> matches;

    private Lcs(byte[] subsequence, List<Match> matches) {
        this.subsequence = subsequence;
        this.matches = matches;
    }

    /** Bytes the table needs for strings of these lengths (checked against limits first). */
    public static long tableBytes(int aLength, int bLength) {
        return ((long) aLength + 1) * ((long) bLength + 1) * Integer.BYTES;
    }

    /**
     * Computes the LCS of a[0, aLength) and b[0, bLength). Needs {@link #tableBytes} of memory:
     * throws IllegalArgumentException when that is more than a Java array holds, and
     * OutOfMemoryError when the heap cannot provide it.
     */
    public static Lcs compute(byte[] a, int aLength, byte[] b, int bLength) {
        long cells = ((long) aLength + 1) * ((long) bLength + 1);
        if (cells > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("LCS table too large");
        }
        int width = bLength + 1;
        int[] table = new int[(int) cells]; // table[i * width + j] = LCS length of a[0,i) and b[0,j)
        for (int i = 1; i <= aLength; i++) {
            for (int j = 1; j <= bLength; j++) {
                if (a[i - 1] == b[j - 1]) {
                    table[i * width + j] = table[(i - 1) * width + j - 1] + 1;
                } else {
                    table[i * width + j] = Math.max(table[(i - 1) * width + j], table[i * width + j - 1]);
                }
            }
        }

        int remaining = table[aLength * width + bLength];
        byte[] result = new byte[remaining];
        List<Match> matches = new ArrayList<>();
        int i = aLength;
        int j = bLength;
        // The range being grown backwards; aStart == -1 means none is open.
        int aStart = -1;
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        while (i > 0 && j > 0) {
            boolean closeRange;
            if (a[i - 1] == b[j - 1]) {
                result[--remaining] = a[i - 1];
                if (aStart == -1) {
                    aEnd = i - 1;
                    bEnd = j - 1;
                }
                // A mismatch step always closes the open range, so this match extends it.
                aStart = i - 1;
                bStart = j - 1;
                closeRange = aStart == 0 || bStart == 0;
                i--;
                j--;
            } else {
                if (table[(i - 1) * width + j] > table[i * width + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                closeRange = aStart != -1;
            }
            if (closeRange) {
                matches.add(new Match(aStart, aEnd, bStart, bEnd));
                aStart = -1;
            }
        }
        return new Lcs(result, matches);
    }

    public byte[] subsequence() {
        return subsequence;
    }

    public int length() {
        return subsequence.length;
    }

    /** The matching ranges, from the end of the strings towards their start. */
    public List<Match> matches() {
        return matches;
    }
}
