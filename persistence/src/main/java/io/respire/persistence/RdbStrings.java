package io.respire.persistence;

import io.respire.ds.util.Lzf;
import io.respire.ds.util.Numbers;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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

    /** rdbSaveLen: {@code len} is unsigned (Redis writes -1 counters as 2^64-1). */
    public static void writeLength(ByteArrayOutputStream out, long len) {
        if (len >= 0 && len < (1 << 6)) {
            out.write((int) len | (LEN_6BIT << 6));
        } else if (len >= 0 && len < (1 << 14)) {
            out.write((int) (len >>> 8) | (LEN_14BIT << 6));
            out.write((int) len & 0xff);
        } else if (len >= 0 && len <= 0xffffffffL) {
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

    /** rdbSaveLzfBlob: data already LZF-compressed (a compressed quicklist node) and its expanded size. */
    public static void writeLzfBlob(ByteArrayOutputStream out, byte[] compressed, long rawLength) {
        out.write((ENCVAL << 6) | ENC_LZF);
        writeLength(out, compressed.length);
        writeLength(out, rawLength);
        out.write(compressed, 0, compressed.length);
    }

    /** rdbSaveMillisecondTime: 8 bytes little-endian. */
    public static void writeMillis(ByteArrayOutputStream out, long ms) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (ms >>> (8 * i)) & 0xff);
        }
    }

    /** rdbSaveBinaryDoubleValue: the IEEE 754 bits, little-endian. */
    public static void writeBinaryDouble(ByteArrayOutputStream out, double value) {
        writeMillis(out, Double.doubleToRawLongBits(value));
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
     * Reads RDB data from a byte array, or from a channel of known length through a buffer (a
     * file of any size is read in bounded memory). Every read returns null (or -1) when the data
     * ends too soon or is not valid, as Redis's loaders fail, and the caller words the error. A
     * channel's read error is thrown as an {@link UncheckedIOException}.
     */
    public static final class Reader {
        /** The buffer of a channel (compacted as it is read), or the whole array. */
        private byte[] data;
        private int end;
        private int pos;
        /** Where {@code data[0]} lies in the input. */
        private long base;
        /** The input's length. */
        private final long inputLength;
        /** Where the data comes from after {@code data}; null for an array. */
        private final ReadableByteChannel source;
        /** The CRC-64 of the input before {@code data[crcFrom]}, kept up as a channel's buffer is compacted. */
        private final boolean checksummed;
        private long crc;
        private int crcFrom;

        public Reader(byte[] data, int offset, int end) {
            this.data = data;
            this.pos = offset;
            this.end = end;
            this.inputLength = end;
            this.source = null;
            this.checksummed = true; // computed only if asked for, by checksum()
        }

        /**
         * Reads {@code length} bytes of {@code source} from its current position, or, with a
         * negative {@code length}, up to its end (a stream whose length is not known: a primary's
         * diskless payload), through a buffer of {@code bufferSize} bytes. The buffer grows for an
         * LZF blob larger than it; a long string is read past it into its own array, which, from a
         * stream of unknown length, grows as its bytes arrive rather than at once to the length
         * claimed.
         *
         * @param checksummed whether {@link #checksum} will be asked for (the CRC is then
         *                    computed as the data is read)
         */
        public Reader(ReadableByteChannel source, long length, int bufferSize, boolean checksummed) {
            this.data = new byte[Math.max(1, bufferSize)];
            this.inputLength = length;
            this.source = source;
            this.checksummed = checksummed;
        }

        public long position() {
            return base + pos;
        }

        /** Whether the input's length is known (an array, a file), so that {@link #remaining} is exact. */
        public boolean lengthKnown() {
            return inputLength >= 0;
        }

        /** Bytes left to read; for a stream of unknown length, as many as a long counts. */
        public long remaining() {
            return lengthKnown() ? inputLength - position() : Long.MAX_VALUE - position();
        }

        /** The CRC-64 of every byte before the current position (of the whole input, if checksummed). */
        public long checksum() {
            crc = Crc64.update(crc, data, crcFrom, pos - crcFrom);
            crcFrom = pos;
            return crc;
        }

        /** Whether {@code n} bytes are buffered, after reading more if needed; false if the input has fewer left. */
        private boolean ensure(int n) {
            return end - pos >= n || fill(n);
        }

        private boolean fill(int n) {
            if (source == null || n > remaining()) {
                return false;
            }
            compact();
            while (end < n) {
                if (end == data.length) { // an LZF blob larger than the buffer: grown as its bytes come
                    data = Arrays.copyOf(data, (int) Math.min(n, Math.max(2L * data.length, 1 << 16)));
                }
                int got = readSome(ByteBuffer.wrap(data, end, data.length - end));
                if (got < 0) {
                    return false;
                }
                end += got;
            }
            return true;
        }

        /** Moves the unread bytes to the front of the buffer (the read ones into the CRC first). */
        private void compact() {
            if (checksummed) {
                checksum();
            }
            System.arraycopy(data, pos, data, 0, end - pos);
            base += pos;
            end -= pos;
            pos = 0;
            crcFrom = 0;
        }

        /**
         * One read of the channel into {@code into}: what it read, or -1 at the end of a stream of
         * unknown length. A file ending before its length is an error.
         */
        private int readSome(ByteBuffer into) {
            try {
                int n = source.read(into);
                if (n < 0 && lengthKnown()) {
                    throw new EOFException("the file ended " + (inputLength - base - end) + " bytes before its length");
                }
                return n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The first allocation for a long string from a stream of unknown length, grown as its bytes come. */
        private static final int UNKNOWN_LENGTH_STEP = 1 << 24;

        /**
         * {@code n} bytes into a new array, or null if fewer are left: a long string is read from
         * the channel straight into it rather than through the buffer.
         */
        private byte[] take(int n) {
            if (n < 0 || n > remaining()) {
                return null;
            }
            if (n <= data.length / 2 && !ensure(n)) {
                return null;
            }
            int buffered = Math.min(n, end - pos);
            byte[] s = new byte[lengthKnown() ? n : Math.min(n, Math.max(buffered, UNKNOWN_LENGTH_STEP))];
            System.arraycopy(data, pos, s, 0, buffered);
            pos += buffered;
            if (buffered < n) {
                compact();
                int at = buffered;
                while (at < n) {
                    if (at == s.length) {
                        s = Arrays.copyOf(s, (int) Math.min(n, 2L * s.length));
                    }
                    int got = readSome(ByteBuffer.wrap(s, at, s.length - at));
                    if (got < 0) {
                        return null;
                    }
                    at += got;
                }
                if (checksummed) {
                    crc = Crc64.update(crc, s, buffered, n - buffered);
                }
                base += n - buffered;
            }
            return s;
        }

        /** {@code n} raw bytes, or null if fewer are left. */
        public byte[] readRaw(int n) {
            return take(n);
        }

        /** An 8-byte little-endian integer (rdbLoadMillisecondTime); {@code fallback} if fewer bytes are left. */
        public long readLong64(long fallback) {
            if (!ensure(8)) {
                pos = end;
                return fallback;
            }
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = v << 8 | (data[pos + i] & 0xffL);
            }
            pos += 8;
            return v;
        }

        /** rdbLoadBinaryDoubleValue; null when the data ends. */
        public Double readBinaryDouble() {
            if (!ensure(8)) {
                return null;
            }
            return Double.longBitsToDouble(readLong64(0));
        }

        /**
         * rdbLoadDoubleValue, the text form of RDB versions before 8: a length byte (253 NaN, 254
         * +inf, 255 -inf) and that many characters; null when it cannot be read.
         */
        public Double readTextDouble() {
            if (!ensure(1)) {
                return null;
            }
            int len = data[pos++] & 0xff;
            switch (len) {
                case 253:
                    return Double.NaN;
                case 254:
                    return Double.POSITIVE_INFINITY;
                case 255:
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
            if (!ensure(len)) {
                return null;
            }
            String text = new String(data, pos, len, StandardCharsets.US_ASCII);
            pos += len;
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** rdbLoadType: one byte, or -1 at the end. */
        public int readType() {
            return ensure(1) ? data[pos++] & 0xff : -1;
        }

        /** What {@link #readLengthOrEncoding} read: a length, or the type of a special encoding. */
        private long length;
        private boolean encoded;

        /**
         * Reads a length, or a special encoding's type, into {@link #length} and {@link #encoded}
         * (fields rather than a returned pair: a load reads millions of them); false at the end.
         */
        private boolean readLengthOrEncoding() {
            if (!ensure(1)) {
                return false;
            }
            int first = data[pos++] & 0xff;
            int type = first >>> 6;
            encoded = type == ENCVAL;
            if (type == ENCVAL || type == LEN_6BIT) {
                length = first & 0x3f;
                return true;
            }
            if (type == LEN_14BIT) {
                if (!ensure(1)) {
                    return false;
                }
                length = ((first & 0x3f) << 8) | (data[pos++] & 0xff);
                return true;
            }
            int bytes = first == LEN_32BIT ? 4 : first == LEN_64BIT ? 8 : -1;
            if (bytes < 0 || !ensure(bytes)) {
                return false;
            }
            long len = 0;
            for (int i = 0; i < bytes; i++) {
                len = len << 8 | (data[pos++] & 0xff);
            }
            length = len;
            return true;
        }

        /** rdbLoadLen: a plain length, or -1. */
        public long readLength() {
            return readLengthOrEncoding() && !encoded ? length : -1;
        }

        /**
         * A length that may be any unsigned 64-bit value, -1 (all ones) included, as Redis stores
         * IDs and counters; null when it cannot be read.
         */
        public Long readUnsigned() {
            return readLengthOrEncoding() && !encoded ? Long.valueOf(length) : null;
        }

        /** rdbGenericLoadStringObject: the string's bytes, or null. */
        public byte[] readString() {
            if (!readLengthOrEncoding()) {
                return null;
            }
            if (encoded) {
                return switch ((int) length) {
                    case ENC_INT8 -> readInteger(1);
                    case ENC_INT16 -> readInteger(2);
                    case ENC_INT32 -> readInteger(4);
                    case ENC_LZF -> readCompressed();
                    default -> null;
                };
            }
            // a 64-bit length may read as negative
            return length < 0 || length > Integer.MAX_VALUE ? null : take((int) length);
        }

        private byte[] readInteger(int bytes) {
            if (!ensure(bytes)) {
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
            if (compressed < 0 || length < 0 || compressed > remaining() || length > compressed * 90 + 32
                    || length > Integer.MAX_VALUE - 8 || !ensure((int) compressed)) {
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
