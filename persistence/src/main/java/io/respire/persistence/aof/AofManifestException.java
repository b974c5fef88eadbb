package io.respire.persistence.aof;

/**
 * A manifest that cannot be used, with Redis's reason (aofLoadManifestFromFile's words) and, when
 * a line is at fault, its number and text, so that the server can log what Redis logs.
 */
public final class AofManifestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int lineNumber;
    private final String line;

    AofManifestException(String reason, int lineNumber, String line) {
        super(reason, null, false, false);
        this.lineNumber = lineNumber;
        this.line = line;
    }

    /** The line at fault (1-based), or 0 if the fault is the whole file's. */
    public int lineNumber() {
        return lineNumber;
    }

    /** The text of the line at fault, trimmed as Redis trims it, or null. */
    public String line() {
        return line;
    }
}
