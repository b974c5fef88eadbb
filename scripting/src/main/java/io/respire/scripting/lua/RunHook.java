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
 * (busy-reply-threshold) and whether it was killed. It also bounds how deep Lua calls nest, as Lua
 * 5.1 does, so that runaway recursion is a Lua error rather than a Java stack overflow. No debug
 * library is exposed to scripts: this only stands where LuaJ looks for one.
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

    /** One coroutine's call stack: Lua functions, and Java functions that call Lua (pcall) as null. */
    static final class Frames {
        LuaClosure[] functions = new LuaClosure[32];
        LuaValue[][] registers = new LuaValue[32][];
        int[] pcs = new int[32];
        int depth;

        void push(LuaClosure function, LuaValue[] stack) {
            if (depth == functions.length) {
                int size = depth * 2;
                functions = java.util.Arrays.copyOf(functions, size);
                registers = java.util.Arrays.copyOf(registers, size);
                pcs = java.util.Arrays.copyOf(pcs, size);
            }
            functions[depth] = function;
            registers[depth] = stack;
            pcs[depth] = 0;
            depth++;
        }

        void pop() {
            if (depth > 0) {
                depth--;
                functions[depth] = null;
                registers[depth] = null;
            }
        }
    }

    private final Globals globals;
    private ScriptRun run;
    private int countdown = CHECK_EVERY;
    /** The frames of the thread that ran last, so that the per-instruction path needs no lookup. */
    private Thread owner;
    private Frames frames;

    RunHook(Globals globals) {
        this.globals = globals;
    }

    /** Starts watching {@code run}. */
    void begin(ScriptRun run) {
        this.run = run;
        this.countdown = CHECK_EVERY;
        Frames main = frames();
        main.depth = 0;
    }

    void end() {
        this.run = null;
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
        Frames f = frames();
        if (f.depth >= MAX_CALL_DEPTH) {
            throw new LuaError("stack overflow");
        }
        f.push(c, stack);
    }

    /** A Java function that calls Lua functions (pcall) marks its place in the call stack. */
    void enterJava() {
        Frames f = frames();
        if (f.depth >= MAX_CALL_DEPTH) {
            throw new LuaError("stack overflow");
        }
        f.push(null, null);
    }

    void exitJava() {
        frames().pop();
    }

    @Override
    public void onReturn() {
        frames().pop();
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        Frames f = Thread.currentThread() == owner ? frames : frames();
        if (f.depth > 0) {
            f.pcs[f.depth - 1] = pc;
        }
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
        if (HeapGuard.nearlyFull()) {
            throw new MemoryExhausted();
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

    /** How full the heap is, by what the last collection of each pool left. */
    static final class HeapGuard {
        static final double LIMIT = 0.9;
        private static final java.util.List<java.lang.management.MemoryPoolMXBean> POOLS =
                java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
                        .toList();

        private HeapGuard() {
        }

        static boolean nearlyFull() {
            long max = Runtime.getRuntime().maxMemory();
            if (max == Long.MAX_VALUE) {
                return false;
            }
            long live = 0;
            for (java.lang.management.MemoryPoolMXBean pool : POOLS) {
                java.lang.management.MemoryUsage afterGc = pool.getCollectionUsage();
                if (afterGc != null) {
                    live += afterGc.getUsed();
                }
            }
            return live > LIMIT * max;
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
        int pc = f.pcs[index];
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
            message = Lua51VmErrors.message(f.functions[top], f.pcs[top], f.registers[top]);
        } catch (RuntimeException e) {
            message = null; // an instruction this does not understand: LuaJ's text stands
        }
        return message == null ? "" : VM_MESSAGE_MARK + message;
    }
}
