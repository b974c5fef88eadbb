package io.respire.scripting;

/**
 * What a running script asks of the server. The server implements it, so that scripting knows
 * nothing of the server: commands run through the server's own dispatcher and its checks, as
 * Redis's scriptCall runs them through call().
 */
public interface ScriptHost {

    /**
     * Runs {@code argv} for redis.call/pcall as the script's client (Redis's scriptCall): the
     * dispatcher's checks for scripts, then the command, whose reply goes to the reply builder of
     * the engine that runs {@code run}.
     *
     * @return null, or the error text of a check that refused the command (nothing was replied)
     */
    String call(ScriptRun run, byte[][] argv);

    /**
     * Whether {@code argv} names a command the caller may run (redis.acl_check_cmd); null if there
     * is no such command.
     */
    Boolean permits(ScriptRun run, byte[][] argv);

    /**
     * Called every so many Lua instructions (Redis's scriptInterrupt): once the script has run
     * longer than busy-reply-threshold, the server serves other clients (BUSY to most) and may
     * mark the run killed.
     */
    void interrupt(ScriptRun run);

    /** Writes a line to the server log at Redis's {@code level} (0 debug .. 3 warning), if enabled. */
    void log(int level, String message);
}
