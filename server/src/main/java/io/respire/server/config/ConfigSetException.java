package io.respire.server.config;

/** A refused CONFIG SET; the message is Redis's whole error reply ("ERR CONFIG SET failed ..."). */
public final class ConfigSetException extends IllegalArgumentException {
    public ConfigSetException(String message) {
        super(message);
    }

    static ConfigSetException failed(String argument, String reason) {
        return new ConfigSetException("ERR CONFIG SET failed (possibly related to argument '" + argument + "') - " + reason);
    }
}
