package io.respire.scripting.lua;

import io.respire.scripting.ScriptRun;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * LuaJ's per-instruction and per-call callbacks, used as Redis uses its Lua count hook: every
 * {@link #CHECK_EVERY} instructions the server is asked whether the script has run too long
 * (busy-reply-threshold) and whether it was killed. It also bounds how deep Lua calls nest, as Lua
 * 5.1 does, so that runaway recursion is a Lua error rather than a Java stack overflow. No debug
 * library is exposed to scripts: this only stands where LuaJ looks for one.
 */
final class RunHook extends DebugLib {
    /** Redis's hook runs every 100,000 instructions. */
    static final int CHECK_EVERY = 100_000;
    /** Lua 5.1's LUAI_MAXCALLS: nested calls beyond it raise "stack overflow". */
    static final int MAX_CALL_DEPTH = 20_000;

    /** Redis says SCRIPT KILL for functions too: the hook is shared. */
    private static final String KILLED = "ERR Script killed by user with SCRIPT KILL...";

    /** FUNCTION LOAD's limit on running a library's code (functions.c's LOAD_TIMEOUT_MS is the caller's). */
    private static final String LOAD_TIMEOUT = "ERR FUNCTION LOAD timeout";

    /** Starts what {@link #traceback} returns: the name of the value the failing instruction used. */
    static final String OPERAND_MARK = "\u0000operand:";

    private ScriptRun run;
    private int countdown = CHECK_EVERY;
    private int depth;
    /** Per call depth, the Lua function running there (null for a Java one). */
    private Prototype[] frames = new Prototype[32];
    /**
     * The instruction the innermost Lua function runs, or -1 right after a call returned (until its
     * caller's next instruction): one store per instruction, the least the hook can do.
     */
    private int lastPc = -1;
    /** While a library loads: when it started (System.nanoTime) and its limit (0: none). */
    private boolean loading;
    private long loadStartNanos;
    private long loadTimeoutMs;

    /** Starts watching {@code run}. */
    void begin(ScriptRun run) {
        this.run = run;
        this.loading = false;
        this.countdown = CHECK_EVERY;
        this.depth = 0;
    }

    void end() {
        this.run = null;
    }

    /** What the hook watches, saved while a library loads in the middle of a run. */
    record State(ScriptRun run, int countdown, int depth, boolean loading, long loadStartNanos, long loadTimeoutMs) {
    }

    State save() {
        return new State(run, countdown, depth, loading, loadStartNanos, loadTimeoutMs);
    }

    void restore(State state) {
        run = state.run();
        countdown = state.countdown();
        depth = state.depth();
        loading = state.loading();
        loadStartNanos = state.loadStartNanos();
        loadTimeoutMs = state.loadTimeoutMs();
    }

    /**
     * Starts watching a library's code run for FUNCTION LOAD (function_lua.c's luaEngineLoadHook):
     * past {@code timeoutMs} (0: no limit) it is stopped with "FUNCTION LOAD timeout".
     */
    void beginLoad(long timeoutMs) {
        this.run = null;
        this.loading = true;
        this.loadStartNanos = System.nanoTime();
        this.loadTimeoutMs = timeoutMs;
        this.countdown = CHECK_EVERY;
        // depth goes on from where it is: a load may happen inside a run, whose frames stay below.
    }

    void endLoad() {
        this.loading = false;
    }

    @Override
    public void onCall(LuaFunction f) {
        enter(null);
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
        enter(c.p);
    }

    private void enter(Prototype p) {
        if (depth >= MAX_CALL_DEPTH) {
            throw new LuaError("stack overflow");
        }
        if (depth == frames.length) {
            frames = java.util.Arrays.copyOf(frames, depth * 2);
        }
        frames[depth] = p;
        lastPc = -1;
        depth++;
    }

    @Override
    public void onReturn() {
        if (depth > 0) {
            depth--;
        }
        lastPc = -1;
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        lastPc = pc;
        if (--countdown <= 0) {
            check();
        }
    }

    private void check() {
        countdown = CHECK_EVERY;
        if (loading) {
            long elapsedMs = (System.nanoTime() - loadStartNanos) / 1_000_000;
            if (loadTimeoutMs > 0 && elapsedMs > loadTimeoutMs) {
                countdown = 1; // as Redis's switch to a line hook: every instruction raises it again
                throw LuaErrors.raise(LuaReplyBuilder.errorTable(LOAD_TIMEOUT, false));
            }
            return;
        }
        ScriptRun current = run;
        if (current == null) {
            return;
        }
        current.host().interrupt(current);
        if (current.killed()) {
            current.host().log(3, "Lua script killed by user with SCRIPT KILL.");
            // From now on the hook fires at every instruction, so that pcall cannot catch the error
            // and carry on.
            countdown = 1;
            throw LuaErrors.raise(LuaReplyBuilder.errorTable(KILLED, false));
        }
    }

    /**
     * LuaJ asks for a traceback once, where an error is first caught, while the failing Lua
     * function's frame is still the innermost: instead of a traceback (Redis's errors carry none)
     * this gives the name Lua 5.1 would give the value its current instruction failed on, for
     * {@link LuaErrors} to put in the message.
     */
    @Override
    public String traceback(int level) {
        if (depth == 0) {
            return "";
        }
        String operand = lastPc < 0 ? null : LuaVariableNames.failedOperand(frames[depth - 1], lastPc);
        return operand == null ? "" : OPERAND_MARK + operand;
    }
}
