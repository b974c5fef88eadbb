package io.respire.persistence;

/**
 * The footer of a DUMP or FUNCTION DUMP payload (cluster.c's createDumpPayload and
 * verifyDumpPayload): after the RDB-encoded data, the RDB version in two bytes and the CRC-64 of
 * everything before it in eight, both little-endian.
 */
public final class DumpPayload {
    /** RDB_VERSION of Redis 7.0. */
    public static final int RDB_VERSION = 10;
    /** The footer's size: the version and the CRC. */
    public static final int FOOTER = 10;

    private DumpPayload() {
    }

    /** {@code data} with the footer appended. */
    public static byte[] seal(byte[] data, int length) {
        byte[] payload = new byte[length + FOOTER];
        System.arraycopy(data, 0, payload, 0, length);
        payload[length] = (byte) (RDB_VERSION & 0xff);
        payload[length + 1] = (byte) ((RDB_VERSION >>> 8) & 0xff);
        long crc = Crc64.update(0, payload, 0, length + 2);
        Crc64.writeLittleEndian(crc, payload, length + 2);
        return payload;
    }

    /**
     * verifyDumpPayload: the RDB version the payload declares, or -1 if it is too short, newer than
     * this server's RDB version, or (unless {@code skipChecksum}) its CRC does not match.
     */
    public static int verify(byte[] payload, boolean skipChecksum) {
        if (payload.length < FOOTER) {
            return -1;
        }
        int footer = payload.length - FOOTER;
        int version = (payload[footer] & 0xff) | (payload[footer + 1] & 0xff) << 8;
        if (version > RDB_VERSION) {
            return -1;
        }
        if (skipChecksum) {
            return version;
        }
        long crc = Crc64.update(0, payload, 0, payload.length - 8);
        return crc == Crc64.readLittleEndian(payload, footer + 2) ? version : -1;
    }
}
