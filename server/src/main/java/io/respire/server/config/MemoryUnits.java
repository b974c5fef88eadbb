package io.respire.server.config;

import java.util.Locale;

/** Redis's memtoull: "100", "1k" (1000), "1kb" (1024), "5mb", "2gb", case-insensitive. */
public final class MemoryUnits {
    private MemoryUnits() {
    }

    /** The number of bytes, or Long.MIN_VALUE if the text is not a memory value. */
    public static long parse(String text) {
        String s = text.toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || (i == 0 && s.charAt(i) == '-'))) {
            i++;
        }
        String digits = s.substring(0, i);
        String unit = s.substring(i);
        long multiplier = switch (unit) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> 1024;
            case "m" -> 1000L * 1000;
            case "mb" -> 1024L * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> 0;
        };
        if (multiplier == 0 || digits.isEmpty() || digits.equals("-")) {
            return Long.MIN_VALUE;
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
