package io.respire.server.commands;

import io.respire.ds.stream.StreamId;
import io.respire.ds.util.Numbers;
import io.respire.server.CommandError;

import java.util.Arrays;

/**
 * Stream IDs as commands take them (t_stream.c streamGenericParseIDOrReply): {@code ms-seq}, or
 * {@code ms} alone with the sequence the command implies, "-" and "+" for the extremes where
 * allowed, {@code ms-*} for XADD, and a "(" prefix for exclusive range bounds.
 *
 * <p>Each part is read as Redis's string2ull: a canonical decimal (string2ll), else whatever C's
 * strtoull accepts in full, which admits leading blanks, a '+' or '-' sign (negated modulo
 * 2^64) and leading zeros; so "1--0" is 1-0 and "-18446744073709551615" is 1. The text is a C
 * string: it ends at its first NUL byte, and more than 127 bytes is invalid.
 */
final class StreamIds {
    static final String INVALID = "ERR Invalid stream ID specified as stream command argument";
    private static final long UINT64_MAX = -1L;

    private StreamIds() {
    }

    /** An ID with whether its sequence was given: XADD's {@code ms-*} leaves it to the stream. */
    record Parsed(StreamId id, boolean seqGiven) {
    }

    /** An interval bound: the ID and whether it excludes itself ("(" prefix). */
    record Bound(StreamId id, boolean exclusive) {
    }

    /** An ID where "-" and "+" are allowed (ranges, XGROUP SETID); {@code missingSeq} for "ms". */
    static StreamId parse(byte[] arg, long missingSeq) {
        Parsed p = parse(arg, missingSeq, false, false);
        if (p == null) {
            throw new CommandError(INVALID);
        }
        return p.id();
    }

    /** An ID where "-" and "+" are invalid (XADD, XDEL, XACK, group IDs...). */
    static StreamId strict(byte[] arg, long missingSeq) {
        Parsed p = parse(arg, missingSeq, true, false);
        if (p == null) {
            throw new CommandError(INVALID);
        }
        return p.id();
    }

    /** As {@link #strict}, null instead of an error (XCLAIM tells IDs from options this way). */
    static StreamId strictOrNull(byte[] arg) {
        Parsed p = parse(arg, 0, true, false);
        return p == null ? null : p.id();
    }

    /** XADD's ID: strict, and {@code ms-*} allowed. */
    static Parsed forAdd(byte[] arg) {
        Parsed p = parse(arg, 0, true, true);
        if (p == null) {
            throw new CommandError(INVALID);
        }
        return p;
    }

    /**
     * A range bound (streamParseIntervalIDOrReply): "(" makes it exclusive and the rest must be
     * a strict ID; otherwise "-" and "+" are allowed.
     */
    static Bound bound(byte[] arg, long missingSeq) {
        if (arg.length > 1 && arg[0] == '(') {
            return new Bound(strict(Arrays.copyOfRange(arg, 1, arg.length), missingSeq), true);
        }
        return new Bound(parse(arg, missingSeq), false);
    }

    /** The start of an interval: an exclusive bound moves to the next ID. */
    static StreamId startOf(Bound b) {
        if (!b.exclusive()) {
            return b.id();
        }
        StreamId next = b.id().next();
        if (next == null) {
            throw new CommandError("ERR invalid start ID for the interval");
        }
        return next;
    }

    /** The end of an interval: an exclusive bound moves to the previous ID. */
    static StreamId endOf(Bound b) {
        if (!b.exclusive()) {
            return b.id();
        }
        StreamId previous = b.id().previous();
        if (previous == null) {
            throw new CommandError("ERR invalid end ID for the interval");
        }
        return previous;
    }

    private static Parsed parse(byte[] arg, long missingSeq, boolean strict, boolean seqMayBeAuto) {
        if (arg.length > 127) {
            return null;
        }
        byte[] s = cString(arg);
        if (s.length == 1 && (s[0] == '-' || s[0] == '+')) {
            if (strict) {
                return null;
            }
            return new Parsed(s[0] == '-' ? StreamId.MIN : StreamId.MAX, true);
        }
        int dash = indexOf(s, (byte) '-');
        byte[] msPart = dash < 0 ? s : Arrays.copyOfRange(s, 0, dash);
        Long ms = string2ull(msPart);
        if (ms == null) {
            return null;
        }
        if (dash < 0) {
            return new Parsed(new StreamId(ms, missingSeq), true);
        }
        byte[] seqPart = Arrays.copyOfRange(s, dash + 1, s.length);
        if (seqMayBeAuto && seqPart.length == 1 && seqPart[0] == '*') {
            return new Parsed(new StreamId(ms, 0), false);
        }
        Long seq = string2ull(seqPart);
        return seq == null ? null : new Parsed(new StreamId(ms, seq), true);
    }

    /** The argument as C sees it: up to its first NUL byte. */
    private static byte[] cString(byte[] arg) {
        int nul = indexOf(arg, (byte) 0);
        return nul < 0 ? arg : Arrays.copyOf(arg, nul);
    }

    private static int indexOf(byte[] s, byte b) {
        for (int i = 0; i < s.length; i++) {
            if (s[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Redis's string2ull: string2ll if it parses (and is not negative), else strtoull; null if invalid. */
    static Long string2ull(byte[] s) {
        if (Numbers.isLong(s)) {
            long v = Numbers.parseLong(s);
            return v >= 0 ? v : null;
        }
        return strtoull(s);
    }

    /** C's strtoull(s, &end, 10) that must consume all of a non-empty {@code s}, without ERANGE. */
    private static Long strtoull(byte[] s) {
        int i = 0;
        while (i < s.length && isCSpace(s[i])) {
            i++;
        }
        boolean negative = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        int digitsStart = i;
        long value = 0;
        boolean overflow = false;
        for (; i < s.length && s[i] >= '0' && s[i] <= '9'; i++) {
            int d = s[i] - '0';
            // value * 10 + d must stay within 2^64 - 1, compared unsigned.
            if (Long.compareUnsigned(value, Long.divideUnsigned(UINT64_MAX - d, 10)) > 0) {
                overflow = true;
            }
            value = value * 10 + d;
        }
        if (i == digitsStart || i != s.length || overflow) {
            return null; // nothing converted, trailing text, or ERANGE
        }
        return negative ? -value : value;
    }

    private static boolean isCSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0B || b == '\f' || b == '\r';
    }
}
