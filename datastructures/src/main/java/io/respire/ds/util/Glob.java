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
        return match(pattern, 0, pattern.length, string, 0, string.length, nocase, new boolean[1]);
    }

    public static boolean matches(String pattern, String string, boolean nocase) {
        return matches(pattern.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                string.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), nocase);
    }

    /** The pattern byte at {@code i}, or 0 past its end (the C code reads the terminating NUL). */
    private static int at(byte[] b, int i, int end) {
        return i < end ? b[i] & 0xff : 0;
    }

    private static boolean match(byte[] p, int pi, int pEnd, byte[] s, int si, int sEnd, boolean nocase,
                                 boolean[] skipLonger) {
        while (pi < pEnd && si < sEnd) {
            int pc = p[pi] & 0xff;
            switch (pc) {
                case '*': {
                    while (pi + 1 < pEnd && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pEnd - pi == 1) {
                        return true;
                    }
                    while (si < sEnd) {
                        if (match(p, pi + 1, pEnd, s, si, sEnd, nocase, skipLonger)) {
                            return true;
                        }
                        if (skipLonger[0]) {
                            return false;
                        }
                        si++;
                    }
                    skipLonger[0] = true;
                    return false;
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
                        return false;
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
                        return false;
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
        return pi >= pEnd && si == sEnd;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
