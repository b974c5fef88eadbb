package io.respire.persistence;

/**
 * The reads of the RDB loaders over {@link RdbStrings.Reader}, each throwing an
 * {@link RdbFormatException} that names what it was reading when the data ends or is not valid,
 * so that the decoding code reads as the format does, without a check after every call.
 */
final class RdbInput {
    private final RdbStrings.Reader in;
    /** Told of each encoded blob about to be validated in depth (see {@link #validating}), or null. */
    private final Runnable blobValidation;

    RdbInput(RdbStrings.Reader in) {
        this(in, null);
    }

    RdbInput(RdbStrings.Reader in, Runnable blobValidation) {
        this.in = in;
        this.blobValidation = blobValidation;
    }

    /**
     * A listpack or intset blob is about to be validated in depth: what Redis counts in
     * stat_dump_payload_sanitizations when it sanitizes a payload (before validating, so a blob
     * that fails counts too).
     */
    void validating() {
        if (blobValidation != null) {
            blobValidation.run();
        }
    }

    RdbStrings.Reader reader() {
        return in;
    }

    long position() {
        return in.position();
    }

    int type(String what) {
        int t = in.readType();
        if (t < 0) {
            throw new RdbFormatException("Unexpected EOF reading " + what);
        }
        return t;
    }

    /** An unsigned 64-bit length or counter (any value, all ones included). */
    long length(String what) {
        Long v = in.readUnsigned();
        if (v == null) {
            throw new RdbFormatException(what + " loading failed.");
        }
        return v;
    }

    /**
     * A count of elements that follow, each at least {@code minBytes} long: a count the rest of
     * the data could not hold is refused before anything is allocated for it.
     */
    long count(String what, int minBytes) {
        long n = length(what);
        if (n < 0 || n > in.remaining() / Math.max(1, minBytes)) {
            throw new RdbFormatException(what + " " + Long.toUnsignedString(n) + " exceeds the data left");
        }
        return n;
    }

    /**
     * A size hint (RESIZEDB), believed only as far as the rest of the data could hold that many
     * elements of {@code minBytes}: a corrupt hint sizes nothing beyond the file.
     */
    long hint(String what, int minBytes) {
        long n = length(what);
        long most = in.lengthKnown() ? in.remaining() / Math.max(1, minBytes) : UNKNOWN_LENGTH_PRESIZE;
        return n < 0 || n > most ? most : n;
    }

    /**
     * How many of {@code n} elements (already checked by {@link #count}) to make room for at
     * once: all of them when the data's length bounds the count, at most {@value
     * #UNKNOWN_LENGTH_PRESIZE} from a stream of unknown length (a corrupt count then costs no
     * more; a true one grows the rest as usual).
     */
    long presize(long n) {
        return in.lengthKnown() ? n : Math.min(n, UNKNOWN_LENGTH_PRESIZE);
    }

    private static final long UNKNOWN_LENGTH_PRESIZE = 1 << 20;

    byte[] string(String what) {
        byte[] s = in.readString();
        if (s == null) {
            throw new RdbFormatException("Error reading " + what + ": invalid encoding or unexpected end");
        }
        return s;
    }

    byte[] raw(int n, String what) {
        byte[] b = in.readRaw(n);
        if (b == null) {
            throw new RdbFormatException("Short read reading " + what);
        }
        return b;
    }

    long millis(String what) {
        if (in.remaining() < 8) {
            throw new RdbFormatException("Short read reading " + what);
        }
        return in.readLong64(0);
    }

    double binaryDouble(String what) {
        Double d = in.readBinaryDouble();
        if (d == null) {
            throw new RdbFormatException("Short read reading " + what);
        }
        return d;
    }

    double textDouble(String what) {
        Double d = in.readTextDouble();
        if (d == null) {
            throw new RdbFormatException("Error reading " + what);
        }
        return d;
    }
}
