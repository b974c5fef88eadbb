package io.respire.persistence;

import io.respire.ds.util.Lzf;
import io.respire.ds.util.Numbers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * RDB's length and string encodings (rdb.c's rdbSaveLen/rdbSaveRawString and
 * rdbLoadLen/rdbGenericLoadStringObject): lengths in 1, 2, 5 or 9 bytes; strings as a length and
 * the bytes, as an 8, 16 or 32-bit integer when they are the canonical text of one, or LZF
 * compressed when compression is on and saves at least four bytes. Written the way Redis writes
 * them, so that the bytes are Redis's.
 */
public final class RdbStrings {
    static final int LEN_6BIT = 0;
    static final int LEN_14BIT = 1;
    static final int LEN_32BIT = 0x80;
    static final int LEN_64BIT = 0x81;
    static final int ENCVAL = 3;
    static final int ENC_INT8 = 0;
    static final int ENC_INT16 = 1;
    static final int ENC_INT32 = 2;
    static final int ENC_LZF = 3;

    private RdbStrings() {
    }

    /** rdbSaveLen. */
    public static void writeLength(ByteArrayOutputStream out, long len) {
        if (len < (1 << 6)) {
            out.write((int) len | (LEN_6BIT << 6));
        } else if (len < (1 << 14)) {
            out.write((int) (len >>> 8) | (LEN_14BIT << 6));
            out.write((int) len & 0xff);
        } else if (len <= 0xffffffffL) {
            out.write(LEN_32BIT);
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write((int) (len >>> shift) & 0xff); // big-endian (htonl)
            }
        } else {
            out.write(LEN_64BIT);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (len >>> shift) & 0xff);
            }
        }
    }

    /** rdbSaveRawString: {@code s} as an integer, LZF compressed (if {@code compress}), or verbatim. */
    public static void writeString(ByteArrayOutputStream out, byte[] s, boolean compress) {
        if (s.length <= 11 && writeInteger(out, s)) {
            return;
        }
        // Under 21 bytes LZF cannot save the four bytes Redis requires.
        if (compress && s.length > 20 && writeCompressed(out, s)) {
            return;
        }
        writeLength(out, s.length);
        out.write(s, 0, s.length);
    }

    /** rdbTryIntegerEncoding: the canonical text of an integer that fits in 32 bits. */
    private static boolean writeInteger(ByteArrayOutputStream out, byte[] s) {
        long[] value = new long[1];
        if (!Numbers.parseLong(s, 0, s.length, value)) {
            return false;
        }
        long v = value[0];
        int bytes;
        int enc;
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            enc = ENC_INT8;
            bytes = 1;
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            enc = ENC_INT16;
            bytes = 2;
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            enc = ENC_INT32;
            bytes = 4;
        } else {
            return false;
        }
        out.write((ENCVAL << 6) | enc);
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff); // little-endian
        }
        return true;
    }

    /** rdbSaveLzfStringObject: only when the result is at least four bytes shorter. */
    private static boolean writeCompressed(ByteArrayOutputStream out, byte[] s) {
        int room = s.length - 4;
        byte[] compressed = new byte[room];
        int length = Lzf.compress(s, 0, s.length, compressed, 0, room);
        if (length == 0) {
            return false;
        }
        out.write((ENCVAL << 6) | ENC_LZF);
        writeLength(out, length);
        writeLength(out, s.length);
        out.write(compressed, 0, length);
        return true;
    }

    /**
     * Reads RDB data from a byte array. Every read returns null (or -1) when the data ends too
     * soon or is not valid, as Redis's loaders fail, and the caller words the error.
     */
    public static final class Reader {
        private final byte[] data;
        private final int end;
        private int pos;

        public Reader(byte[] data, int offset, int end) {
            this.data = data;
            this.pos = offset;
            this.end = end;
        }

        public int position() {
            return pos;
        }

        /** rdbLoadType: one byte, or -1 at the end. */
        public int readType() {
            return pos < end ? data[pos++] & 0xff : -1;
        }

        /** A length as {length, encoded (1) or not (0)}, or null. */
        private long[] readLengthOrEncoding() {
            if (pos >= end) {
                return null;
            }
            int first = data[pos++] & 0xff;
            int type = first >>> 6;
            if (type == ENCVAL) {
                return new long[] {first & 0x3f, 1};
            }
            if (type == LEN_6BIT) {
                return new long[] {first & 0x3f, 0};
            }
            if (type == LEN_14BIT) {
                if (pos >= end) {
                    return null;
                }
                return new long[] {((first & 0x3f) << 8) | (data[pos++] & 0xff), 0};
            }
            int bytes = first == LEN_32BIT ? 4 : first == LEN_64BIT ? 8 : -1;
            if (bytes < 0 || end - pos < bytes) {
                return null;
            }
            long len = 0;
            for (int i = 0; i < bytes; i++) {
                len = len << 8 | (data[pos++] & 0xff);
            }
            return new long[] {len, 0};
        }

        /** rdbLoadLen: a plain length, or -1. */
        public long readLength() {
            long[] len = readLengthOrEncoding();
            return len == null || len[1] != 0 ? -1 : len[0];
        }

        /** rdbGenericLoadStringObject: the string's bytes, or null. */
        public byte[] readString() {
            long[] len = readLengthOrEncoding();
            if (len == null) {
                return null;
            }
            if (len[1] != 0) {
                return switch ((int) len[0]) {
                    case ENC_INT8 -> readInteger(1);
                    case ENC_INT16 -> readInteger(2);
                    case ENC_INT32 -> readInteger(4);
                    case ENC_LZF -> readCompressed();
                    default -> null;
                };
            }
            if (len[0] > end - pos) {
                return null;
            }
            byte[] s = new byte[(int) len[0]];
            System.arraycopy(data, pos, s, 0, s.length);
            pos += s.length;
            return s;
        }

        private byte[] readInteger(int bytes) {
            if (end - pos < bytes) {
                return null;
            }
            long v = 0;
            for (int i = 0; i < bytes; i++) {
                v |= (data[pos++] & 0xffL) << (8 * i);
            }
            v = (v << (64 - 8 * bytes)) >> (64 - 8 * bytes); // sign-extend
            return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
        }

        private byte[] readCompressed() {
            long compressed = readLength();
            long length = readLength();
            // LZF expands at most 264 bytes from 3 (about 88 times): a larger claim is corrupt, and
            // is refused before allocating it.
            if (compressed < 0 || length < 0 || compressed > end - pos || length > compressed * 90 + 32) {
                return null;
            }
            byte[] s = new byte[(int) length];
            int got;
            try {
                got = Lzf.decompress(data, pos, (int) compressed, s, 0, s.length);
            } catch (IllegalArgumentException e) {
                return null;
            }
            pos += (int) compressed;
            return got == length ? s : null;
        }
    }
}
