package io.respire.server.config;

import java.nio.charset.StandardCharsets;

/**
 * A configuration line Redis would refuse. The message reads as Redis's diagnosis (without the
 * "*** FATAL CONFIG FILE ERROR ***" banner, which the launcher prints): where, what, why.
 */
public final class ConfigFileException extends IllegalArgumentException {
    private final int lineNumber;
    private final String line;
    private final String reason;

    public ConfigFileException(int lineNumber, String line, String reason) {
        super("Reading the configuration file, at line " + lineNumber + "\n>>> '" + readable(line) + "'\n" + reason);
        this.lineNumber = lineNumber;
        this.line = line;
        this.reason = reason;
    }

    /** 1-based, within the file (or included file) that holds the line. */
    public int lineNumber() {
        return lineNumber;
    }

    public String line() {
        return line;
    }

    public String reason() {
        return reason;
    }

    /** The line's bytes (kept as ISO-8859-1 chars) shown as the UTF-8 text they usually are. */
    private static String readable(String line) {
        return new String(line.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
