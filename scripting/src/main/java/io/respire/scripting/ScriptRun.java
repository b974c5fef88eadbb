package io.respire.scripting;

/**
 * One invocation of a script or function (Redis's scriptRunCtx): what it may do, what it has done,
 * and whether it has been told to stop. Created by the server for each EVAL or FCALL.
 */
public final class ScriptRun {
    /** redis.set_repl's flags: where the script's writes are propagated. */
    public static final int REPL_NONE = 0;
    public static final int REPL_AOF = 1;
    public static final int REPL_REPLICA = 2;
    public static final int REPL_ALL = REPL_AOF | REPL_REPLICA;

    private final ScriptHost host;
    private final String name;
    private final boolean evalMode;
    private final boolean readOnly;
    private final boolean allowOom;
    private final long startNanos = System.nanoTime();
    private int replication = REPL_ALL;
    private boolean wroteData;
    private volatile boolean killed;
    private boolean timedOut;

    /**
     * @param name     the script's SHA1 or the function's name, as errors and logs name it
     * @param evalMode an EVAL script rather than a function (SCRIPT KILL versus FUNCTION KILL)
     * @param readOnly writes are refused (EVAL_RO, FCALL_RO, or the no-writes flag)
     * @param allowOom denyoom commands may run when over maxmemory (the allow-oom flag)
     */
    public ScriptRun(ScriptHost host, String name, boolean evalMode, boolean readOnly, boolean allowOom) {
        this.host = host;
        this.name = name;
        this.evalMode = evalMode;
        this.readOnly = readOnly;
        this.allowOom = allowOom;
    }

    public ScriptHost host() {
        return host;
    }

    public String name() {
        return name;
    }

    public boolean evalMode() {
        return evalMode;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public boolean allowOom() {
        return allowOom;
    }

    /** When the run started (System.nanoTime), for busy-reply-threshold. */
    public long startNanos() {
        return startNanos;
    }

    public int replication() {
        return replication;
    }

    public void replication(int flags) {
        this.replication = flags;
    }

    /** Whether a write command has run (Redis's SCRIPT_WRITE_DIRTY): the script can no longer be killed. */
    public boolean wroteData() {
        return wroteData;
    }

    public void markWrote() {
        this.wroteData = true;
    }

    /** SCRIPT KILL or FUNCTION KILL asked the script to stop. */
    public boolean killed() {
        return killed;
    }

    public void kill() {
        this.killed = true;
    }

    /** Whether the run passed busy-reply-threshold (Redis's SCRIPT_TIMEDOUT): others get BUSY. */
    public boolean timedOut() {
        return timedOut;
    }

    public void timedOut(boolean on) {
        this.timedOut = on;
    }
}
