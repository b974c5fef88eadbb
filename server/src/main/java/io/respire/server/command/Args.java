package io.respire.server.command;

import io.respire.ds.util.Doubles;
import io.respire.ds.util.Numbers;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;

/** Typed reading of command arguments, with Redis's error replies for bad ones. */
public final class Args {
    private Args() {
    }

    /** Argument {@code i} as a long (Redis's getLongLongFromObjectOrReply). */
    public static long longArg(Client c, int i) {
        try {
            return Numbers.parseLong(c.arg(i));
        } catch (NumberFormatException e) {
            throw new CommandError(Errors.NOT_INTEGER);
        }
    }

    /** Argument {@code i} as a long with a custom error for bad input. */
    public static long longArg(Client c, int i, String error) {
        try {
            return Numbers.parseLong(c.arg(i));
        } catch (NumberFormatException e) {
            throw new CommandError(error);
        }
    }

    /**
     * Argument {@code i} as a double (Redis's getDoubleFromObjectOrReply: strtod over the whole
     * argument, no NaN), or {@code error} ("ERR value is not a valid float" unless the command
     * names what it wanted).
     */
    public static double doubleArg(Client c, int i, String error) {
        try {
            return Doubles.parse(c.arg(i));
        } catch (NumberFormatException e) {
            throw new CommandError(error);
        }
    }

    /** Argument {@code i} as an int in [min, max] (getRangeLongFromObjectOrReply). */
    public static int intArg(Client c, int i, int min, int max, String error) {
        long v = longArg(c, i, error);
        if (v < min || v > max) {
            throw new CommandError(error);
        }
        return (int) v;
    }

    /**
     * Argument {@code i} as a long in [min, max] (Redis's getRangeLongFromObjectOrReply):
     * {@code error} for bad input and out-of-range values alike, or Redis's own texts when null.
     */
    public static long rangeLongArg(Client c, int i, long min, long max, String error) {
        long v = error == null ? longArg(c, i) : longArg(c, i, error);
        if (v < min || v > max) {
            throw new CommandError(error != null ? error
                    : "ERR value is out of range, value must between " + min + " and " + max);
        }
        return v;
    }

    /**
     * Argument {@code i} as a long >= 0 (Redis's getPositiveLongFromObjectOrReply, whose default
     * error, used when {@code error} is null, also covers input that is not a number).
     */
    public static long positiveLongArg(Client c, int i, String error) {
        return rangeLongArg(c, i, 0, Long.MAX_VALUE,
                error != null ? error : "ERR value is out of range, must be positive");
    }

    /** Argument {@code i} as a database index (SELECT, MOVE, COPY...): an int, then in range. */
    public static int dbIndexArg(Client c, int i) {
        long index;
        try {
            index = Numbers.parseLong(c.arg(i));
        } catch (NumberFormatException e) {
            throw new CommandError(Errors.NOT_INTEGER);
        }
        if (index != (int) index) { // Redis's getIntFromObjectOrReply
            throw new CommandError("ERR value is out of range, value must between " + Integer.MIN_VALUE
                    + " and " + Integer.MAX_VALUE);
        }
        if (index < 0 || index >= c.server().databaseCount()) {
            throw new CommandError(Errors.DB_INDEX);
        }
        return (int) index;
    }
}
