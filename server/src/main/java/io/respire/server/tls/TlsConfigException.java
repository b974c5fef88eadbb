package io.respire.server.tls;

/** Why the TLS settings cannot be applied, as the log line says it. */
public final class TlsConfigException extends RuntimeException {
    public TlsConfigException(String message) {
        super(message);
    }
}
