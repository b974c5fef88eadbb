package io.respire.server.keyspace;

import io.respire.ds.util.Glob;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.Args;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** The SCAN family's common parts: the cursor as Redis parses it, and SSCAN/HSCAN/ZSCAN's loop. */
public final class Scans {
    private Scans() {
    }

    /**
     * Redis's parseScanCursorOrReply, which uses C's strtoul: an unsigned 64-bit decimal with an
     * optional sign ("-1" is 2^64 - 1), no leading space, nothing after it (the text ends at a NUL
     * byte, as a C string does); the empty string is 0.
     */
    public static long parseCursor(byte[] arg) {
        int end = 0;
        while (end < arg.length && arg[end] != 0) {
            end++;
        }
        int i = 0;
        boolean negative = false;
        if (i < end && (arg[i] == '+' || arg[i] == '-')) {
            negative = arg[i] == '-';
            i++;
        }
        if (end == 0) {
            return 0;
        }
        if (i == end) {
            throw new CommandError("ERR invalid cursor");
        }
        long value = 0;
        for (; i < end; i++) {
            int d = arg[i] - '0';
            if (d < 0 || d > 9) {
                throw new CommandError("ERR invalid cursor");
            }
            // value * 10 + d must stay below 2^64 (compared as unsigned).
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, 10)) > 0) {
                throw new CommandError("ERR invalid cursor");
            }
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }

    /** One step of a collection's SCAN: visits elements (with a value for hashes and zsets). */
    public interface ScanStep {
        long step(long cursor, BiConsumer<byte[], byte[]> visitor);
    }

    /**
     * The options of the SCAN family from argument {@code from} on (Redis's scanGenericCommand):
     * COUNT (at least 1), MATCH ("*" means no filter) and, for the keyspace's SCAN only, TYPE
     * (null when absent). Anything else is a syntax error.
     */
    public record Options(long count, byte[] pattern, byte[] type) {
        public static Options parse(Client c, int from, boolean allowType) {
            long count = 10;
            byte[] pattern = null;
            byte[] type = null;
            for (int i = from; i < c.argc(); i += 2) {
                boolean hasValue = i + 1 < c.argc();
                if (c.argIs(i, "COUNT") && hasValue) {
                    count = Args.longArg(c, i + 1);
                    if (count < 1) {
                        throw new CommandError(Errors.SYNTAX);
                    }
                } else if (c.argIs(i, "MATCH") && hasValue) {
                    byte[] p = c.arg(i + 1);
                    pattern = p.length == 1 && p[0] == '*' ? null : p;
                } else if (allowType && c.argIs(i, "TYPE") && hasValue) {
                    type = c.arg(i + 1);
                } else {
                    throw new CommandError(Errors.SYNTAX);
                }
            }
            return new Options(count, pattern, type);
        }
    }

    /**
     * The common part of SSCAN, HSCAN and ZSCAN (Redis's scanGenericCommand for an object):
     * parses COUNT and MATCH from argument 3 on, calls {@code step} until COUNT elements are
     * collected (at most 10 * COUNT steps) or the iteration ends, and replies the cursor and the
     * elements (each followed by its value when {@code pairs}) whose member matches.
     */
    public static void scanCollection(Client c, long cursor, boolean pairs, ScanStep step) {
        Options options = Options.parse(c, 3, false);
        long count = options.count();
        byte[] pattern = options.pattern();
        List<byte[]> found = new ArrayList<>();
        byte[] filter = pattern;
        BiConsumer<byte[], byte[]> collect = (member, value) -> {
            if (filter == null || Glob.matches(filter, member, false)) {
                found.add(member);
                if (pairs) {
                    found.add(value);
                }
            }
        };
        // Redis counts the elements collected before filtering; so do we.
        long[] visited = {0};
        BiConsumer<byte[], byte[]> counting = (member, value) -> {
            visited[0]++;
            collect.accept(member, value);
        };
        long maxIterations = count * 10;
        do {
            cursor = step.step(cursor, counting);
        } while (cursor != 0 && maxIterations-- != 0 && visited[0] < count);
        Reply r = c.reply();
        r.array(2);
        r.bulkLong(cursor);
        r.array(found.size());
        for (byte[] e : found) {
            r.bulk(e);
        }
    }

    /** The empty reply of SSCAN/ZSCAN/HSCAN on a missing key (Redis's shared.emptyscan). */
    public static void emptyScan(Client c) {
        c.reply().array(2);
        c.reply().bulk("0");
        c.reply().array(0);
    }
}
