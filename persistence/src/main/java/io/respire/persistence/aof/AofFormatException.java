package io.respire.persistence.aof;

/**
 * An AOF that cannot be read on: either it ends in the middle of a command ({@link #truncated()},
 * which aof-load-truncated may forgive by cutting the file at {@link #validUpTo()}) or it is not
 * in the AOF format at all. Thrown without a stack trace: bad files are an expected input.
 */
public final class AofFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean truncated;
    private final long validUpTo;
    private final long offset;

    AofFormatException(boolean truncated, long validUpTo, long offset) {
        super((truncated ? "Unexpected end of file" : "Bad file format") + " at offset " + offset, null, false, false);
        this.truncated = truncated;
        this.validUpTo = validUpTo;
        this.offset = offset;
    }

    /** The file ends inside a command (Redis's readerr at end of file, or uxeof). */
    public boolean truncated() {
        return truncated;
    }

    /** Where the last complete command ended: what a truncated file is cut to. */
    public long validUpTo() {
        return validUpTo;
    }

    /** Where reading failed. */
    public long offset() {
        return offset;
    }
}
