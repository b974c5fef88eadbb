package io.respire.protocol;

/**
 * A malformed request found by {@link RespDecoder}. It travels down the pipeline in order with the
 * commands decoded before it, so that those are answered first; the error is then replied and the
 * connection closed, as Redis does.
 */
public record ProtocolError(String message) {
}
