package io.respire.protocol;

/**
 * The reply API commands write through. It knows nothing of RESP2 versus RESP3: each method names
 * the logical shape of a reply, and the connection's protocol decides the bytes (for example a map
 * is {@code %n} in RESP3 and a flat array of {@code 2n} elements in RESP2), as Redis's addReply*
 * family does.
 */
public interface Reply {

    /** The protocol version chosen by HELLO: 2 or 3. */
    int protocol();

    void simple(String status);

    default void ok() {
        simple("OK");
    }

    /**
     * An error reply. The message always starts with its code, as Redis's do
     * ({@code "ERR syntax error"}, {@code "WRONGTYPE ..."}).
     */
    void error(String message);

    /**
     * An error reply that error statistics do not count: one already counted where it arose (a
     * command's error that a script returns as its own reply), or one written verbatim (DEBUG ERROR).
     */
    void errorNotCounted(String message);

    void integer(long value);

    void bulk(byte[] value);

    void bulk(byte[] value, int offset, int length);

    void bulk(String value);

    /** A bulk string holding the decimal form of a number (Redis's addReplyBulkLongLong). */
    void bulkLong(long value);

    /** The null bulk string of RESP2 ({@code $-1}); {@code _} in RESP3. */
    void nullBulk();

    /** The null array of RESP2 ({@code *-1}); {@code _} in RESP3. */
    void nullArray();

    void array(int length);

    /** A map of {@code pairs} key/value pairs; a flat array of 2*pairs elements in RESP2. */
    void map(int pairs);

    /** A set; an array in RESP2. */
    void set(int length);

    /** An out-of-band push; an array in RESP2 (pub/sub messages). */
    void push(int length);

    /** A double, formatted as Redis's {@code %.17g}; a bulk string in RESP2. */
    void doubleValue(double value);

    /**
     * A double in Redis's human form ({@link DoubleFormat#human}: 17 decimals at most, no trailing
     * zeros), as addReplyHumanLongDouble writes coordinates; a bulk string in RESP2.
     */
    void humanDouble(double value);

    /** A boolean; the integers 1 and 0 in RESP2. */
    void bool(boolean value);

    /** A big number; a bulk string in RESP2. */
    void bigNumber(String digits);

    /** A verbatim string with its three-letter format ("txt", "mkd"); a bulk string in RESP2. */
    void verbatim(String format, String text);

    /**
     * An attribute of {@code pairs} key/value pairs, which annotates the reply that follows it (RESP3
     * only: Redis writes none in RESP2, so neither may a caller).
     */
    void attribute(int pairs);
}
