package io.respire.ds.hll;

/**
 * A HyperLogLog value whose sparse code does not describe exactly 16384 registers (Redis's
 * "Corrupted HLL object detected"). Values are plain strings, so SET and SETRANGE can write
 * anything; this is bad input, not a bug, hence one shared instance without a stack trace.
 */
public final class CorruptHllException extends RuntimeException {
    static final CorruptHllException INSTANCE = new CorruptHllException();

    private CorruptHllException() {
        super("corrupted HyperLogLog", null, false, false);
    }
}
