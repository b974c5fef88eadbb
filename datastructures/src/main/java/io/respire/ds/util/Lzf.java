package io.respire.ds.util;

import java.util.Arrays;

/**
 * LZF compression in liblzf's format, as Redis uses it for compressed list nodes and for strings
 * in RDB files. {@link #compress} makes the same choices as Redis's build of liblzf (a 16-bit hash
 * table, "very fast" mode: two hash updates after each back reference) starting from an empty
 * table, so it produces the same bytes; {@link #decompress} reads any valid liblzf output.
 *
 * <p>The format is a sequence of runs:
 * <pre>
 *   000LLLLL + L+1 bytes          literal run of 1..32 bytes
 *   LLLooooo oooooooo             copy L+2 (3..8) bytes from o+1 (1..8192) bytes back
 *   111ooooo LLLLLLLL oooooooo    copy L+9 (9..264) bytes from o+1 bytes back
 * </pre>
 * A copy may overlap the bytes it produces (a run of one repeated byte).
 */
public final class Lzf {
    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 1 << 5;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    /**
     * The hash table of each thread, reused rather than cleared: a slot holds position + base,
     * and each call raises the base past every value stored before, so old slots read as empty.
     */
    private static final ThreadLocal<Table> TABLES = ThreadLocal.withInitial(Table::new);

    private static final class Table {
        final int[] slots = new int[HSIZE];
        int base = 1;

        /** Makes room for a call over {@code length} input bytes; returns the base to use. */
        int begin(int length) {
            if (base > Integer.MAX_VALUE - length - 1) {
                Arrays.fill(slots, 0);
                base = 1;
            }
            int b = base;
            base += length + 1;
            return b;
        }
    }

    private Lzf() {
    }

    /**
     * Compresses {@code in[inOff, inOff+inLen)} into {@code out} from {@code outOff}, writing at
     * most {@code outLen} bytes. Returns the compressed length, or 0 when it would not fit (or the
     * input is empty), as liblzf's lzf_compress: callers give the room they accept, such as the
     * input length minus the saving they require.
     */
    public static int compress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        if (inLen == 0 || outLen == 0) {
            return 0;
        }
        return new Encoder(in, inOff, inLen, out, outOff, outLen).run();
    }

    /** One lzf_compress call's state: read and write positions and the open literal run. */
    private static final class Encoder {
        private final byte[] in;
        private final int inOff;
        private final int inEnd;
        private final byte[] out;
        private final int outOff;
        private final int outEnd;
        private final int[] htab;
        /** Slot value of input index i is i + base; slots below base are empty or stale. */
        private final int base;
        private int ip;
        private int op;
        /** Bytes in the open literal run, whose control byte is at op - lit - 1. */
        private int lit;

        Encoder(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
            this.in = in;
            this.inOff = inOff;
            this.inEnd = inOff + inLen;
            this.out = out;
            this.outOff = outOff;
            this.outEnd = outOff + outLen;
            Table table = TABLES.get();
            this.htab = table.slots;
            this.base = table.begin(inLen) - inOff;
            this.ip = inOff;
            this.op = outOff + 1; // room for the first literal run's control byte
        }

        int run() {
            int hval = inEnd - ip >= 3 ? first(in, ip) : 0;
            while (ip < inEnd - 2) {
                hval = next(hval, in, ip);
                int slot = index(hval);
                int ref = htab[slot] - base; // below inOff for an empty or stale slot
                htab[slot] = ip + base;
                int off = ip - ref - 1;
                if (ref > inOff && off >= 0 && off < MAX_OFF
                        && in[ref + 2] == in[ip + 2] && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]) {
                    if (op + 3 + 1 >= outEnd && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outEnd) {
                        return 0;
                    }
                    backReference(off, matchLength(in, ref, ip, Math.min(inEnd - ip - 2, MAX_REF)));
                    if (ip >= inEnd - 2) {
                        break;
                    }
                    // liblzf's VERY_FAST mode: hash the two positions before the new one.
                    ip -= 2;
                    hval = first(in, ip);
                    hval = next(hval, in, ip);
                    htab[index(hval)] = ip + base;
                    ip++;
                    hval = next(hval, in, ip);
                    htab[index(hval)] = ip + base;
                    ip++;
                } else {
                    if (op >= outEnd) {
                        return 0;
                    }
                    literal();
                }
            }
            if (op + 3 > outEnd) {
                return 0;
            }
            while (ip < inEnd) {
                literal(); // at most two bytes, room checked above
            }
            out[op - lit - 1] = (byte) (lit - 1);
            op -= lit == 0 ? 1 : 0;
            return op - outOff;
        }

        /** Copies one input byte into the literal run, closing the run when it is full. */
        private void literal() {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }

        /** Closes the literal run and writes a copy of {@code len} bytes from {@code off + 1} back. */
        private void backReference(int off, int len) {
            out[op - lit - 1] = (byte) (lit - 1);
            op -= lit == 0 ? 1 : 0; // an empty literal run: its control byte is not needed
            len -= 2; // the encoded length: bytes - 2
            if (len < 7) {
                out[op++] = (byte) ((off >> 8) + (len << 5));
            } else {
                out[op++] = (byte) ((off >> 8) + (7 << 5));
                out[op++] = (byte) (len - 7);
            }
            out[op++] = (byte) off;
            lit = 0;
            op++; // start a new literal run
            ip += len + 2;
        }
    }

    /**
     * How many bytes from {@code ref} equal those from {@code ip}, given that the first three do:
     * liblzf compares 16 more bytes unconditionally when over 16 may match (which can run up to
     * two bytes past maxLen, to the input's end), then byte by byte up to maxLen.
     */
    private static int matchLength(byte[] in, int ref, int ip, int maxLen) {
        int len = 2;
        if (maxLen > 16) {
            for (int i = 0; i < 16; i++) {
                len++;
                if (in[ref + len] != in[ip + len]) {
                    return len;
                }
            }
        }
        do {
            len++;
        } while (len < maxLen && in[ref + len] == in[ip + len]);
        return len;
    }

    /** Compresses all of {@code in} into a new array, or returns null if it needs over {@code maxLen} bytes. */
    public static byte[] compress(byte[] in, int maxLen) {
        byte[] out = new byte[Math.max(maxLen, 0)];
        int n = compress(in, 0, in.length, out, 0, out.length);
        return n == 0 ? null : Arrays.copyOf(out, n);
    }

    /**
     * Decompresses {@code in[inOff, inOff+inLen)} into {@code out} from {@code outOff}, at most
     * {@code outLen} bytes; returns the decompressed length. Throws IllegalArgumentException if
     * the input is corrupt (a run past its end, a reference before the output's start) or the
     * output does not fit, where liblzf's lzf_decompress returns 0.
     */
    public static int decompress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
        int ip = inOff;
        int inEnd = inOff + inLen;
        int op = outOff;
        int outEnd = outOff + outLen;
        while (ip < inEnd) {
            int ctrl = in[ip++] & 0xFF;
            if (ctrl < MAX_LIT) {
                int n = ctrl + 1;
                if (op + n > outEnd) {
                    throw new IllegalArgumentException("LZF output larger than " + outLen + " bytes");
                }
                if (ip + n > inEnd) {
                    throw new IllegalArgumentException("LZF literal run past the end of the input");
                }
                System.arraycopy(in, ip, out, op, n);
                ip += n;
                op += n;
            } else {
                int len = ctrl >> 5;
                int ref = op - ((ctrl & 0x1F) << 8) - 1;
                if (ip >= inEnd) {
                    throw new IllegalArgumentException("LZF back reference cut short");
                }
                if (len == 7) {
                    len += in[ip++] & 0xFF;
                    if (ip >= inEnd) {
                        throw new IllegalArgumentException("LZF back reference cut short");
                    }
                }
                ref -= in[ip++] & 0xFF;
                len += 2;
                if (op + len > outEnd) {
                    throw new IllegalArgumentException("LZF output larger than " + outLen + " bytes");
                }
                if (ref < outOff) {
                    throw new IllegalArgumentException("LZF back reference before the start of the output");
                }
                if (op >= ref + len) {
                    System.arraycopy(out, ref, out, op, len);
                    op += len;
                } else {
                    // Overlapping copy: each byte may be one this copy just wrote.
                    for (int i = 0; i < len; i++) {
                        out[op++] = out[ref++];
                    }
                }
            }
        }
        return op - outOff;
    }

    /** Decompresses all of {@code in}, which must expand to exactly {@code length} bytes. */
    public static byte[] decompress(byte[] in, int length) {
        byte[] out = new byte[length];
        int n = decompress(in, 0, in.length, out, 0, length);
        if (n != length) {
            throw new IllegalArgumentException("LZF data expands to " + n + " bytes, not " + length);
        }
        return out;
    }

    private static int first(byte[] in, int p) {
        return ((in[p] & 0xFF) << 8) | (in[p + 1] & 0xFF);
    }

    private static int next(int v, byte[] in, int p) {
        return (v << 8) | (in[p + 2] & 0xFF);
    }

    /** liblzf's IDX for VERY_FAST: a multiplicative-like hash of the three bytes in v's low 24 bits. */
    private static int index(int h) {
        return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
    }
}
