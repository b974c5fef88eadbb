package io.respire.scripting;

/**
 * A script or function that cannot be loaded or run, with the text of Redis's error reply (without
 * the "ERR " code unless the text names another code, as Redis's addReplyError takes it).
 */
public final class ScriptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScriptException(String message) {
        super(message, null, false, false);
    }
}
