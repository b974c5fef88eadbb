package io.respire.scripting.lua;

import io.respire.scripting.ScriptRun;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * LuaJ's per-instruction and per-call callbacks, used as Redis uses its Lua count hook: every
 * {@link #CHECK_EVERY} instructions the server is asked whether the script has run too long
 * (busy-reply-threshold) and whether it was killed, FUNCTION LOAD's time limit is checked while a
 * library's code runs ({@link #beginLoad}), and a script that has filled the heap is stopped
 * ({@link HeapGuard}). It also bounds how deep Lua calls nest, as Lua 5.1 does, so that runaway
 * recursion is a Lua error rather than a Java stack overflow. No debug library is exposed to
 * scripts: this only stands where LuaJ looks for one.
 *
 * <p>The per-instruction path is one field store (the instruction, {@link #lastPc}) and one
 * counter decrement; everything else happens per call or every {@link #CHECK_EVERY} instructions.
 *
 * <p>It keeps the Lua call stack of each coroutine (the function, its registers and the
 * instruction it is at), which LuaJ does not, for what Lua 5.1 reads from its own stack: the
 * position error(msg, level) names, and the variable a runtime error names ("attempt to index
 * local 't' (a nil value)"), which it works out when the error is raised (see {@link #traceback}).
 */
final class RunHook extends DebugLib {
    /** Redis's hook runs every 100,000 instructions. */
    static final int CHECK_EVERY = 100_000;
    /** Lua 5.1's LUAI_MAXCALLS: nested calls beyond it raise "stack overflow". */
    static final int MAX_CALL_DEPTH = 20_000;
    /** Marks, in {@link LuaErrors}' view of an error, the Lua 5.1 text worked out for it. */
    static final String VM_MESSAGE_MARK = "\u0000lua51:";

    /** Redis says SCRIPT KILL for functions too: the hook is shared. */
    private static final String KILLED = "ERR Script killed by user with SCRIPT KILL...";
    /** FUNCTION LOAD's limit on running a library's code (functions.c's LOAD_TIMEOUT_MS is the caller's). */
    private static final String LOAD_TIMEOUT = "ERR FUNCTION LOAD timeout";

    /** One coroutine's call stack: Lua functions, and Java functions that call Lua (pcall) as null. */
    static final class Frames {
        LuaClosure[] functions = new LuaClosure[32];
        LuaValue[][] registers = new LuaValue[32][];
        int[] pcs = new int[32];
        int depth;
        /** The deepest the stack has been since it was last cleared (entries below hold references). */
        int high;

        void grow() {
            int size = functions.length * 2;
            functions = java.util.Arrays.copyOf(functions, size);
            registers = java.util.Arrays.copyOf(registers, size);
            pcs = java.util.Arrays.copyOf(pcs, size);
        }

        /** Drops the references popped frames left behind. */
        void clear() {
            java.util.Arrays.fill(functions, 0, high, null);
            java.util.Arrays.fill(registers, 0, high, null);
            depth = 0;
            high = 0;
        }
    }

    private final Globals globals;
    /**
     * The instruction the running Lua function is at. One store per instruction; when a function
     * calls another, the caller's is kept in its frame (pcs), and restored when the callee returns.
     */
    private int lastPc;
    private ScriptRun run;
    private int countdown = CHECK_EVERY;
    /** While a library loads: when it started (System.nanoTime) and its limit (0: none). */
    private boolean loading;
    private long loadStartNanos;
    private long loadTimeoutMs;
    /** The Lua debugger of the session running now, or null (nearly always). */
    private LuaDebugger debugger;
    /** The frames of the thread that ran last, so that the per-instruction path needs no lookup. */
    private Thread owner;
    private Frames frames;

    RunHook(Globals globals) {
        this.globals = globals;
    }

    /** Starts watching {@code run}. */
    void begin(ScriptRun run) {
        this.run = run;
        this.loading = false;
        this.countdown = CHECK_EVERY;
        frames().clear();
        HeapGuard.scriptStarts();
    }

    void end() {
        this.run = null;
        this.debugger = null;
        frames().clear();
    }

    /** Hands each instruction of the run that starts next to {@code debugger} (Redis's luaLdbLineHook). */
    void debugger(LuaDebugger debugger) {
        this.debugger = debugger;
    }

    LuaDebugger debugger() {
        return debugger;
    }

    /** What the hook watches, saved while a library loads in the middle of a run. */
    record State(ScriptRun run, int countdown, int lastPc, int depth, boolean loading, long loadStartNanos,
            long loadTimeoutMs) {
    }

    State save() {
        return new State(run, countdown, lastPc, frames().depth, loading, loadStartNanos, loadTimeoutMs);
    }

    void restore(State state) {
        run = state.run();
        countdown = state.countdown();
        lastPc = state.lastPc();
        frames().depth = state.depth(); // LuaJ pops every frame it pushed; this only makes sure
        loading = state.loading();
        loadStartNanos = state.loadStartNanos();
        loadTimeoutMs = state.loadTimeoutMs();
    }

    /**
     * Starts watching a library's code run for FUNCTION LOAD (function_lua.c's luaEngineLoadHook):
     * past {@code timeoutMs} (0: no limit) it is stopped with "FUNCTION LOAD timeout". The call
     * stack goes on from where it is: a load may happen inside a run, whose frames stay below.
     */
    void beginLoad(long timeoutMs) {
        this.run = null;
        this.loading = true;
        this.loadStartNanos = System.nanoTime();
        this.loadTimeoutMs = timeoutMs;
        this.countdown = CHECK_EVERY;
        HeapGuard.scriptStarts();
    }

    void endLoad() {
        this.loading = false;
    }

    /** The call stack of the running coroutine. */
    Frames frames() {
        Thread current = Thread.currentThread();
        if (current != owner || frames == null) {
            LuaThread running = globals.running;
            Object stack = running.callstack;
            if (!(stack instanceof Frames)) {
                stack = new Frames();
                running.callstack = stack;
            }
            frames = (Frames) stack;
            owner = current;
        }
        return frames;
    }

    @Override
    public void onCall(LuaFunction f) {
        // LuaJ calls this for no function; Java functions that call Lua mark themselves (enterJava)
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
        push(c, stack);
    }

    private void push(LuaClosure c, LuaValue[] stack) {
        Frames f = Thread.currentThread() == owner ? frames : frames();
        int d = f.depth;
        if (d >= MAX_CALL_DEPTH) {
            throw new LuaError("stack overflow");
        }
        if (d == f.functions.length) {
            f.grow();
        }
        if (d > 0) {
            f.pcs[d - 1] = lastPc; // the caller's call instruction
        }
        f.functions[d] = c;
        f.registers[d] = stack;
        f.depth = ++d;
        if (d > f.high) {
            f.high = d;
        }
    }

    /** A Java function that calls Lua functions (pcall) marks its place in the call stack. */
    void enterJava() {
        push(null, null);
    }

    void exitJava() {
        onReturn();
    }

    @Override
    public void onReturn() {
        Frames f = Thread.currentThread() == owner ? frames : frames();
        int d = f.depth;
        if (d > 0) {
            f.depth = --d; // the references stay until clear(): a store fewer per call
            if (d > 0) {
                lastPc = f.pcs[d - 1];
            }
        }
    }

    /** The instruction the running function is at, to keep across a coroutine switch. */
    int lastPc() {
        return lastPc;
    }

    void lastPc(int pc) {
        lastPc = pc;
    }

    /** The instruction frame {@code index} is at: the top one's is the last executed. */
    private int pcOf(Frames f, int index) {
        return index == f.depth - 1 ? lastPc : f.pcs[index];
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        int previous = lastPc;
        lastPc = pc;
        if (debugger != null) {
            debugger.instruction(runningFunction(), pc, previous, false);
        }
        if (--countdown <= 0) {
            check();
        }
    }

    /** The Lua function whose instruction runs now: the top frame. */
    private LuaClosure runningFunction() {
        Frames f = Thread.currentThread() == owner ? frames : frames();
        return f.depth == 0 ? null : f.functions[f.depth - 1];
    }

    /** The instruction frame {@code index} of {@code f} is at (the debugger's view of the stack). */
    int pcOfFrame(Frames f, int index) {
        return pcOf(f, index);
    }

    private void check() {
        countdown = CHECK_EVERY;
        ScriptRun current = run;
        if (loading) {
            long elapsedMs = (System.nanoTime() - loadStartNanos) / 1_000_000;
            if (loadTimeoutMs > 0 && elapsedMs > loadTimeoutMs) {
                countdown = 1; // as Redis's switch to a line hook: every instruction raises it again
                throw LuaErrors.raise(LuaReplyBuilder.errorTable(LOAD_TIMEOUT, false));
            }
        } else if (current == null) {
            return;
        }
        if (HeapGuard.nearlyFull()) {
            throw new MemoryExhausted();
        }
        if (current == null) {
            return; // a library loading: the server is not asked (Redis's load hook checks the time only)
        }
        if (debugger != null) {
            // A debugged script is not timed out, killed or interrupted: the debugger stops it itself
            // when it runs unattended too long (Redis's line hook replaces the count hook).
            debugger.instruction(runningFunction(), lastPc, lastPc, true);
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
     * A script that has filled the heap: thrown from the hook once the live data left after the
     * last collection passes {@link HeapGuard#LIMIT} of the maximum heap, so that the script stops
     * before the JVM spends minutes collecting garbage on the way to an OutOfMemoryError. An Error,
     * so that pcall does not catch it; the interpreter answers it as it answers OutOfMemoryError.
     */
    static final class MemoryExhausted extends Error {
        private static final long serialVersionUID = 1L;

        MemoryExhausted() {
            super("not enough memory", null, false, false);
        }
    }

    /**
     * How full the heap is: what the last collection left in the old generation (the heap pool with
     * the largest maximum), against that maximum. Young pools do not count: eden is empty after a
     * collection and a full survivor space is normal.
     */
    static final class HeapGuard {
        static final double LIMIT = 0.9;
        private static final java.lang.management.MemoryPoolMXBean OLD = oldGeneration();

        private HeapGuard() {
        }

        private static java.lang.management.MemoryPoolMXBean oldGeneration() {
            java.lang.management.MemoryPoolMXBean largest = null;
            for (java.lang.management.MemoryPoolMXBean p : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == java.lang.management.MemoryType.HEAP && p.isCollectionUsageThresholdSupported()
                        && (largest == null || p.getUsage().getMax() > largest.getUsage().getMax())) {
                    largest = p;
                }
            }
            return largest;
        }

        /** The old generation's collection count when a forced collection last said it was not full. */
        private static long clearedAt = -1;
        /**
         * ... and when one last said it was full, during the running script (no collection since:
         * still full). Forgotten when a script starts: the last one's data may be garbage now.
         */
        private static long fullAt = -1;

        static synchronized void scriptStarts() {
            fullAt = -1;
        }

        /**
         * Whether the old generation is over the limit. What the last collection left may be stale
         * (the garbage of a script that just failed): a reading over the limit is checked with a
         * collection of its own, at most once per collection the JVM made in between.
         */
        static synchronized boolean nearlyFull() {
            if (OLD == null || !overLimit()) {
                return false;
            }
            long before = collections();
            if (before == clearedAt) {
                return false;
            }
            if (before == fullAt) {
                return true;
            }
            System.gc();
            long after = collections();
            if (after == before) {
                return false; // explicit collections disabled: leave it to OutOfMemoryError
            }
            if (overLimit()) {
                fullAt = after;
                return true;
            }
            clearedAt = after;
            return false;
        }

        private static boolean overLimit() {
            long max = OLD.getUsage().getMax();
            java.lang.management.MemoryUsage afterGc = OLD.getCollectionUsage();
            return max > 0 && afterGc != null && afterGc.getUsed() > LIMIT * max;
        }

        /** Collections that covered the old generation so far. */
        private static long collections() {
            long n = 0;
            for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
                if (java.util.Arrays.asList(gc.getMemoryPoolNames()).contains(OLD.getName())) {
                    n += Math.max(0, gc.getCollectionCount());
                }
            }
            return n;
        }
    }

    /**
     * Lua 5.1's luaL_where for error(msg, level): "source:line: " of the Lua function {@code level}
     * calls up from the function calling error (level 1), or "" where that is a Java function or
     * beyond the stack.
     */
    String where(int level) {
        Frames f = frames();
        int index = f.depth - level;
        if (level <= 0 || index < 0 || f.functions[index] == null) {
            return "";
        }
        LuaClosure c = f.functions[index];
        int pc = pcOf(f, index);
        int[] lines = c.p.lineinfo;
        if (lines == null || pc < 0 || pc >= lines.length) {
            return "";
        }
        return LuaErrors.shortSource(c.p.source.tojstring()) + ":" + lines[pc] + ": ";
    }

    /**
     * Called by LuaJ once per error, in the innermost Lua function it passes, while that function
     * is still on the stack: the Lua 5.1 text of the error the current instruction raises there is
     * worked out now, from the function's code and registers, and handed to {@link LuaErrors}
     * through the error's traceback. Redis's errors carry no traceback otherwise.
     */
    @Override
    public String traceback(int level) {
        Frames f = frames();
        if (f.depth == 0 || f.functions[f.depth - 1] == null) {
            return "";
        }
        int top = f.depth - 1;
        String message;
        try {
            message = Lua51VmErrors.message(f.functions[top], pcOf(f, top), f.registers[top]);
        } catch (RuntimeException e) {
            message = null; // an instruction this does not understand: LuaJ's text stands
        }
        return message == null ? "" : VM_MESSAGE_MARK + message;
    }
}
