package io.respire.server.command;

import java.util.List;

/**
 * Where a command's keys are among its arguments (Redis 7's key specs): a begin-search step (a fixed
 * index, or after a keyword) and a find-keys step (a range, or a count given in the arguments).
 */
public record KeySpec(List<String> flags, String notes,
                      int beginIndex, String beginKeyword, int keywordStartFrom,
                      boolean range, int lastKey, int keyStep, int limit,
                      int keyNumIndex, int firstKey) {

    /** Adds the argument positions of the keys this spec finds in {@code argv} to {@code out}. */
    public void findKeys(byte[][] argv, java.util.List<Integer> out) {
        int argc = argv.length;
        int begin;
        if (beginKeyword == null) {
            begin = beginIndex;
        } else {
            begin = -1;
            int step = keywordStartFrom >= 0 ? 1 : -1;
            int start = keywordStartFrom >= 0 ? keywordStartFrom : argc + keywordStartFrom;
            for (int i = start; i > 0 && i < argc; i += step) {
                if (new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1).equalsIgnoreCase(beginKeyword)) {
                    begin = i + 1;
                    break;
                }
            }
            if (begin < 0) {
                return;
            }
        }
        if (begin >= argc) {
            return;
        }
        if (range) {
            int last;
            if (lastKey >= 0) {
                last = begin + lastKey;
            } else if (limit <= 1) {
                last = argc + lastKey;
            } else {
                last = begin + ((argc + lastKey + 1) - begin) / limit - 1;
            }
            for (int i = begin; i <= last && i < argc; i += keyStep) {
                out.add(i);
            }
        } else {
            int numIndex = begin + keyNumIndex;
            if (numIndex >= argc) {
                return;
            }
            long count;
            try {
                count = Long.parseLong(new String(argv[numIndex], java.nio.charset.StandardCharsets.ISO_8859_1));
            } catch (NumberFormatException e) {
                return;
            }
            int first = begin + firstKey;
            for (long n = 0, i = first; n < count && i < argc; n++, i += keyStep) {
                out.add((int) i);
            }
        }
    }
}
