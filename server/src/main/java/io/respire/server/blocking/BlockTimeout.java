package io.respire.server.blocking;

import io.respire.ds.string.LongDouble;
import io.respire.server.Client;
import io.respire.server.CommandError;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The timeout argument of the blocking commands, in seconds with decimals (Redis 7.0's
 * getTimeoutFromObjectOrReply with UNIT_SECONDS), turned into an absolute deadline.
 *
 * <p>Redis reads it as a C long double (string2ld, so "0x10", "1e3" and "inf" parse), rounds
 * {@code seconds * 1000} up to whole milliseconds and converts that to a long long. On x86 an
 * out-of-range conversion (infinities, 1e30) yields LLONG_MIN, hence "timeout is negative"; a
 * value that rounds up to 0 ("-0.0001") means no timeout at all.
 */
public final class BlockTimeout {
    /** No timeout: block until served, unblocked or disconnected. */
    public static final long FOREVER = 0;

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private BlockTimeout() {
    }

    /**
     * Argument {@code i} of {@code c} as a deadline in epoch milliseconds, or {@link #FOREVER};
     * replies Redis's errors for text that is not a number or a negative timeout.
     */
    public static long deadlineArg(Client c, int i) {
        long ms = millis(c.arg(i));
        if (ms < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        if (ms == 0) {
            return FOREVER;
        }
        long now = c.server().nowMs();
        // Past the end of time Redis's deadline wraps and never fires: the same as no timeout.
        return ms > Long.MAX_VALUE - now ? FOREVER : now + ms;
    }

    /** The timeout in milliseconds, rounded up; negative when Redis sees it as negative. */
    static long millis(byte[] text) {
        LongDouble parsed = LongDouble.parse(text);
        if (parsed == null) {
            throw new CommandError("ERR timeout is not a float or out of range");
        }
        if (!parsed.isFinite()) {
            return Long.MIN_VALUE;
        }
        BigDecimal seconds = exactValue(text, parsed);
        if (seconds.signum() == 0) {
            return 0; // before any rescaling: "0e-999999999" would ask for 10^999999999
        }
        BigDecimal ms = seconds.multiply(THOUSAND).setScale(0, RoundingMode.CEILING);
        return ms.abs().compareTo(LONG_MAX) > 0 ? Long.MIN_VALUE : ms.longValueExact();
    }

    /**
     * The exact decimal value of an already validated number: its own digits when they are in
     * decimal notation, else (hexadecimal) the long double's value to 17 decimals.
     */
    private static BigDecimal exactValue(byte[] text, LongDouble parsed) {
        try {
            return new BigDecimal(new String(text, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException hex) {
            return new BigDecimal(parsed.toHumanString());
        }
    }
}
