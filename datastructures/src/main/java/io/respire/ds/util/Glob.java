package io.respire.ds.util;

/**
 * Redis's glob matching (util.c stringmatchlen), byte for byte: {@code *}, {@code ?}, {@code [a-z]},
 * {@code [^...]} and backslash escapes, with the same quirks (an unterminated class, reversed
 * ranges) and the same early exit that keeps patterns like {@code a*a*a*a*b} from going exponential.
 * Used by KEYS, SCAN MATCH, PSUBSCRIBE and CONFIG GET.
 */
public final class Glob {
    private Glob() {
    }

    public static boolean matches(byte[] pattern, byte[] string, boolean nocase) {
        return match(pattern, 0, pattern.length, string, 0, string.length, nocase) == MATCH;
    }

    /*
     * What match returns: a match, no match, or no match that a longer tail of the string cannot
     * give either (Redis's skipLonger), which ends the enclosing star's search at once. A result
     * rather than a flag passed in, so that a match allocates nothing (PUBLISH matches every pattern).
     */
    private static final int MATCH = 0;
    private static final int NO_MATCH = 1;
    private static final int NO_LONGER_MATCH = 2;

    public static boolean matches(String pattern, String string, boolean nocase) {
        return matches(pattern.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                string.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), nocase);
    }

    /** The pattern byte at {@code i}, or 0 past its end (the C code reads the terminating NUL). */
    private static int at(byte[] b, int i, int end) {
        return i < end ? b[i] & 0xff : 0;
    }

    private static int match(byte[] p, int pi, int pEnd, byte[] s, int si, int sEnd, boolean nocase) {
        while (pi < pEnd && si < sEnd) {
            int pc = p[pi] & 0xff;
            switch (pc) {
                case '*': {
                    while (pi + 1 < pEnd && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pEnd - pi == 1) {
                        return MATCH;
                    }
                    while (si < sEnd) {
                        int tail = match(p, pi + 1, pEnd, s, si, sEnd, nocase);
                        if (tail != NO_MATCH) {
                            return tail;
                        }
                        si++;
                    }
                    return NO_LONGER_MATCH;
                }
                case '?':
                    si++;
                    break;
                case '[': {
                    pi++;
                    boolean not = at(p, pi, pEnd) == '^';
                    if (not) {
                        pi++;
                    }
                    boolean matched = false;
                    int c = s[si] & 0xff;
                    while (true) {
                        if (at(p, pi, pEnd) == '\\' && pEnd - pi >= 2) {
                            pi++;
                            if ((p[pi] & 0xff) == c) {
                                matched = true;
                            }
                        } else if (at(p, pi, pEnd) == ']') {
                            break;
                        } else if (pi >= pEnd) {
                            pi--;
                            break;
                        } else if (pEnd - pi >= 3 && p[pi + 1] == '-') {
                            int start = p[pi] & 0xff;
                            int end = p[pi + 2] & 0xff;
                            int ch = c;
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = lower(start);
                                end = lower(end);
                                ch = lower(ch);
                            }
                            pi += 2;
                            if (ch >= start && ch <= end) {
                                matched = true;
                            }
                        } else if (nocase ? lower(p[pi] & 0xff) == lower(c) : (p[pi] & 0xff) == c) {
                            matched = true;
                        }
                        pi++;
                    }
                    if (not) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return NO_MATCH;
                    }
                    si++;
                    break;
                }
                case '\\':
                    if (pEnd - pi >= 2) {
                        pi++;
                    }
                    // fall through
                default: {
                    int a = p[pi] & 0xff;
                    int b = s[si] & 0xff;
                    if (nocase ? lower(a) != lower(b) : a != b) {
                        return NO_MATCH;
                    }
                    si++;
                    break;
                }
            }
            pi++;
            if (si == sEnd) {
                while (at(p, pi, pEnd) == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi >= pEnd && si == sEnd ? MATCH : NO_MATCH;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
