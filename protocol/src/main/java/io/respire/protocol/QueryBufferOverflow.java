package io.respire.protocol;

/**
 * What the decoder hands on, instead of a request, when a connection's unparsed input passed
 * {@code client-query-buffer-limit}: the connection is to be closed without a reply, and Redis logs
 * the first bytes of the buffer ({@code initialBytes}, at most 64).
 */
public record QueryBufferOverflow(byte[] initialBytes) {
    /** How many bytes of the buffer Redis's log line shows. */
    public static final int SHOWN_BYTES = 64;
}
