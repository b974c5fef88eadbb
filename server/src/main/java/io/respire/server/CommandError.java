package io.respire.server;

/**
 * Thrown by a command to reply with an error and stop, the way Redis's handlers call addReplyError
 * and return. It carries no stack trace: it is control flow, thrown on bad input, and must be cheap.
 */
public final class CommandError extends RuntimeException {
    public CommandError(String message) {
        super(message, null, false, false);
    }
}
