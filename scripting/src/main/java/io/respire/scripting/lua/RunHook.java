package io.respire.scripting.lua;

import io.respire.scripting.ScriptRun;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
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

    private ScriptRun run;
    private int countdown = CHECK_EVERY;
    private int depth;

    /** Starts watching {@code run}. */
    void begin(ScriptRun run) {
        this.run = run;
        this.countdown = CHECK_EVERY;
        this.depth = 0;
    }

    void end() {
        this.run = null;
    }

    @Override
    public void onCall(LuaFunction f) {
        enter();
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
        enter();
    }

    private void enter() {
        if (depth >= MAX_CALL_DEPTH) {
            throw new LuaError("stack overflow");
        }
        depth++;
    }

    @Override
    public void onReturn() {
        if (depth > 0) {
            depth--;
        }
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        if (--countdown <= 0) {
            check();
        }
    }

    private void check() {
        countdown = CHECK_EVERY;
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

    @Override
    public String traceback(int level) {
        return ""; // LuaJ asks for one with every error; Redis's errors carry none
    }
}
