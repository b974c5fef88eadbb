package io.respire.persistence;

/**
 * Redis's CRC-64 (crc64.c): the Jones polynomial 0xad93d23594c935a9, reflected input and output,
 * initial value 0 and no final xor. It checks RDB files (the last 8 bytes) and DUMP payloads
 * (DUMP, FUNCTION DUMP), written little-endian after the data.
 *
 * <p>Computed eight bytes at a time ("slicing by 8", as Redis's crcspeed does), so that checking a
 * large RDB file costs about a byte per cycle.
 */
public final class Crc64 {
    /** The Jones polynomial bit-reversed, for the reflected (LSB-first) computation. */
    private static final long POLY_REFLECTED = 0x95ac9329ac4bc9b5L;
    private static final long[][] TABLES = new long[8][256];

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            }
            TABLES[0][n] = crc;
        }
        for (int n = 0; n < 256; n++) {
            long crc = TABLES[0][n];
            for (int k = 1; k < 8; k++) {
                crc = TABLES[0][(int) (crc & 0xff)] ^ (crc >>> 8);
                TABLES[k][n] = crc;
            }
        }
    }

    private Crc64() {
    }

    /** The CRC of {@code data}. */
    public static long of(byte[] data) {
        return update(0, data, 0, data.length);
    }

    /** Continues {@code crc} (0 to start) over {@code data[offset, offset+length)}. */
    public static long update(long crc, byte[] data, int offset, int length) {
        long[] t0 = TABLES[0];
        int i = offset;
        int end = offset + length;
        for (; end - i >= 8; i += 8) {
            crc ^= (data[i] & 0xffL) | (data[i + 1] & 0xffL) << 8 | (data[i + 2] & 0xffL) << 16
                    | (data[i + 3] & 0xffL) << 24 | (data[i + 4] & 0xffL) << 32 | (data[i + 5] & 0xffL) << 40
                    | (data[i + 6] & 0xffL) << 48 | (data[i + 7] & 0xffL) << 56;
            crc = TABLES[7][(int) (crc & 0xff)] ^ TABLES[6][(int) ((crc >>> 8) & 0xff)]
                    ^ TABLES[5][(int) ((crc >>> 16) & 0xff)] ^ TABLES[4][(int) ((crc >>> 24) & 0xff)]
                    ^ TABLES[3][(int) ((crc >>> 32) & 0xff)] ^ TABLES[2][(int) ((crc >>> 40) & 0xff)]
                    ^ TABLES[1][(int) ((crc >>> 48) & 0xff)] ^ t0[(int) (crc >>> 56)];
        }
        for (; i < end; i++) {
            crc = t0[(int) ((crc ^ data[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }

    /** Writes {@code crc} little-endian into {@code out} at {@code offset} (8 bytes), as Redis stores it. */
    public static void writeLittleEndian(long crc, byte[] out, int offset) {
        for (int k = 0; k < 8; k++) {
            out[offset + k] = (byte) (crc >>> (8 * k));
        }
    }

    /** Reads a CRC stored little-endian at {@code offset}. */
    public static long readLittleEndian(byte[] in, int offset) {
        long crc = 0;
        for (int k = 7; k >= 0; k--) {
            crc = crc << 8 | (in[offset + k] & 0xffL);
        }
        return crc;
    }
}
