package io.respire.persistence;

/**
 * RDB data that cannot be read: truncated, corrupt, or of a kind this server does not load. The
 * message says what was being read (Redis's wording where it has one); the file loader adds the
 * offset. Thrown without a stack trace: it is an expected outcome of reading untrusted bytes.
 */
public class RdbFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RdbFormatException(String message) {
        super(message, null, false, false);
    }

    /** A value that decodes to an empty collection: Redis skips such keys with a warning. */
    public static final class EmptyKey extends RdbFormatException {
        private static final long serialVersionUID = 1L;

        public EmptyKey() {
            super("empty key");
        }
    }
}
