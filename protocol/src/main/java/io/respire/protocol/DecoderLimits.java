package io.respire.protocol;

/**
 * The request-size limits of Redis, shared by every connection's decoder and changed at run time
 * by CONFIG SET (hence volatile).
 */
public final class DecoderLimits {
    /** Redis's PROTO_INLINE_MAX_SIZE: the longest inline request or length line. */
    public static final int INLINE_MAX_SIZE = 64 * 1024;
    /** Before AUTH, Redis caps a multibulk count at 10 and a bulk length at 16384. */
    public static final int UNAUTHENTICATED_MAX_ARGS = 10;
    public static final int UNAUTHENTICATED_MAX_BULK = 16384;

    private volatile long protoMaxBulkLen = 512L * 1024 * 1024;
    private volatile long clientQueryBufferLimit = 1024L * 1024 * 1024;

    public long protoMaxBulkLen() {
        return protoMaxBulkLen;
    }

    public void protoMaxBulkLen(long bytes) {
        this.protoMaxBulkLen = bytes;
    }

    public long clientQueryBufferLimit() {
        return clientQueryBufferLimit;
    }

    public void clientQueryBufferLimit(long bytes) {
        this.clientQueryBufferLimit = bytes;
    }
}
