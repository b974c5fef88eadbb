package io.respire.server.config;

import java.util.Locale;

/**
 * Memory sizes as Redis writes them in its configuration: "100", "1k" (1000), "1kb" (1024), "5mb",
 * "2gb", any case. Parsing follows Redis's memtoull, quirks included (an empty number is 0, so "kb"
 * is accepted), because CONFIG SET must accept and refuse exactly what Redis does.
 */
public final class MemoryUnits {
    private static final long KB = 1024;
    private static final long MB = 1024 * KB;
    private static final long GB = 1024 * MB;

    private MemoryUnits() {
    }

    /**
     * The number of bytes, as an unsigned 64-bit value (like C's unsigned long long: overflow wraps).
     *
     * @throws NumberFormatException if the text is not a memory value
     */
    public static long parse(String text) {
        int i = 0;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        long multiplier = switch (text.substring(i).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> KB;
            case "m" -> 1000L * 1000;
            case "mb" -> MB;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> GB;
            default -> throw new NumberFormatException("not a memory value: " + text);
        };
        String digits = text.substring(0, i);
        if (digits.length() >= 128) {
            throw new NumberFormatException("not a memory value: " + text);
        }
        long value;
        if (digits.isEmpty()) {
            value = 0;
        } else {
            try {
                value = Long.parseUnsignedLong(digits);
            } catch (NumberFormatException e) {
                value = -1L; // strtoull saturates at ULLONG_MAX
            }
        }
        return value * multiplier;
    }

    /** The shortest exact form with a gb, mb or kb suffix, as CONFIG REWRITE writes sizes. */
    public static String format(long bytes) {
        if (bytes != 0 && bytes % GB == 0) {
            return bytes / GB + "gb";
        } else if (bytes != 0 && bytes % MB == 0) {
            return bytes / MB + "mb";
        } else if (bytes != 0 && bytes % KB == 0) {
            return bytes / KB + "kb";
        }
        return Long.toString(bytes);
    }
}
