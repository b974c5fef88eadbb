package io.respire.server;

/**
 * Why a server could not start (a port taken, a setting it cannot honour). The reason is already
 * in the server log, in Redis's words, when this is thrown; the launcher only exits with status 1.
 */
public final class StartupException extends IllegalStateException {
    StartupException(String message) {
        super(message);
    }
}
