package io.respire.scripting;

/**
 * The debugging client of a Lua debugger session, as the server provides it (Redis's ldb.conn):
 * the debugger writes its logs to it and reads its commands from it while the script is stopped.
 */
public interface DebugConsole {
    /**
     * What {@link #next} returns when the client sent more than the session keeps: the debugger
     * ends the script as Redis's does past its 1 MB command buffer.
     */
    byte[][] BUFFER_FULL = new byte[0][];

    /** Writes {@code bytes} to the client at once (Redis's connWrite of ldbSendLogs), not queued with replies. */
    void send(byte[] bytes);

    /**
     * The client's next command, waiting for it without holding the server's loop forever: null
     * once the client has disconnected (or the server is shutting down), which ends the waiting.
     * A request the client's protocol could not parse comes as an empty array (not {@link #BUFFER_FULL}).
     */
    byte[][] next();

    /** How long a script may run unattended before the debugger stops it (busy-reply-threshold, or 5 s). */
    long timeLimitMs();

    /** The script goes on after a stop: its time starts again (Redis resets the run's start and snapshot time). */
    void resumed();
}
