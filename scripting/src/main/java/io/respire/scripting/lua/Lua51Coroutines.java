package io.respire.scripting.lua;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The coroutine table, over LuaJ's coroutines, which run each on a Java thread of its own. What
 * LuaJ does not do as Lua 5.1 does is done here: resume returns the error value itself (a table
 * stays a table; a string reads as Lua 5.1 writes it), a Java stack overflow inside a coroutine is
 * an error (LuaJ took it for a normal end), yield outside a coroutine fails with Lua 5.1's text,
 * running returns nil on the main thread.
 *
 * <p>Because each live coroutine holds a thread, a script may have at most {@link #MAX_LIVE}
 * coroutines that have started and not finished, and when the script ends the threads of the ones
 * it left suspended are stopped (nothing can resume them: a script leaves nothing behind).
 */
final class Lua51Coroutines {
    /** Live coroutine threads one script may hold. */
    static final int MAX_LIVE = 1000;
    /** How long the end of a script waits, at most, for its suspended coroutines' threads to end. */
    private static final long STOP_WAIT_NANOS = 2_000_000_000L;

    private final Globals globals;
    private final RunHook hook;
    /** The coroutines of the running script, for their error values and for stopping their threads. */
    private final Map<LuaThread, Body> bodies = new WeakHashMap<>();
    private final List<Body> started = new ArrayList<>();
    private int live;

    Lua51Coroutines(Globals globals, RunHook hook) {
        this.globals = globals;
        this.hook = hook;
    }

    /** The coroutine table scripts see. */
    ProtectedTable table() {
        ProtectedTable t = new ProtectedTable();
        t.rawset("create", new Create());
        t.rawset("resume", new Resume());
        t.rawset("yield", new Yield());
        t.rawset("status", Lua51Args.wrap("status", "a", new Status()));
        t.rawset("running", new Running());
        t.rawset("wrap", new Wrap());
        return t;
    }

    /**
     * Stops the threads of the coroutines the script left suspended, and waits for them to end
     * (briefly: they only unwind), so that the next script starts with none of them alive. The
     * wait is outside the lock, which an ending coroutine takes to count itself finished.
     */
    void endOfScript() {
        List<Thread> suspended = new ArrayList<>();
        synchronized (this) {
            for (Body body : started) {
                if (!body.finished && body.thread != null) {
                    suspended.add(body.thread);
                }
            }
        }
        for (Thread t : suspended) {
            t.interrupt(); // its lua_yield wait ends with OrphanedThread, which unwinds it
        }
        long deadline = System.nanoTime() + STOP_WAIT_NANOS;
        try {
            for (Thread t : suspended) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break; // a daemon thread: it cannot keep the JVM alive
                }
                t.join(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            started.clear();
            bodies.clear();
            live = 0;
        }
    }

    private synchronized LuaThread create(LuaValue function) {
        if (live >= MAX_LIVE) {
            throw new LuaError("too many coroutines: at most " + MAX_LIVE + " may be alive at once");
        }
        Body body = new Body(function);
        LuaThread thread = new LuaThread(globals, body);
        bodies.put(thread, body);
        return thread;
    }

    private synchronized Body body(LuaThread thread) {
        return bodies.get(thread);
    }

    private synchronized void started(Body body) {
        live++;
        started.add(body);
    }

    private synchronized void finished(Body body) {
        if (!body.finished) {
            body.finished = true;
            live--;
        }
    }

    /** Runs the coroutine's function, keeping its error as Lua 5.1 would return it. */
    private final class Body extends VarArgFunction {
        private final LuaValue function;
        volatile Thread thread;
        volatile boolean finished;
        /** The error the function ended with, for resume to return. */
        volatile LuaValue error;

        Body(LuaValue function) {
            this.function = function;
        }

        @Override
        public Varargs invoke(Varargs args) {
            thread = Thread.currentThread();
            started(this);
            try {
                return function.invoke(args);
            } catch (LuaError e) {
                error = LuaErrors.value(e);
                throw new LuaError("coroutine failed");
            } catch (StackOverflowError e) {
                error = valueOf("stack overflow");
                throw new LuaError("stack overflow");
            } catch (OutOfMemoryError | RunHook.MemoryExhausted e) {
                error = valueOf("not enough memory");
                throw new LuaError("not enough memory");
            } finally {
                finished(this);
            }
        }
    }

    private final class Create extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (!(args.arg1() instanceof LuaClosure)) {
                throw new LuaError(Lua51Args.argError(1, "create", "Lua function expected"));
            }
            return create(args.arg1());
        }
    }

    /** resume(co, ...): LuaJ's, with the error value the coroutine really ended with. */
    private Varargs resume(LuaThread thread, Varargs args) {
        int pc = hook.lastPc(); // the coroutine's instructions move it; this function's call resumes
        Varargs result;
        try {
            result = thread.resume(args);
        } finally {
            hook.lastPc(pc);
        }
        if (!result.arg1().toboolean()) {
            Body body = body(thread);
            if (body != null && body.error != null) {
                LuaValue error = body.error;
                body.error = null;
                return varargsOf(LuaValue.FALSE, error);
            }
        }
        return result;
    }

    private static Varargs varargsOf(LuaValue a, LuaValue b) {
        return LuaValue.varargsOf(a, b);
    }

    private final class Resume extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (!(args.arg1() instanceof LuaThread thread)) {
                throw new LuaError(Lua51Args.argError(1, "resume", "coroutine expected"));
            }
            return resume(thread, args.subargs(2));
        }
    }

    private final class Yield extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (globals.running.isMainThread()) {
                throw new LuaError("attempt to yield across metamethod/C-call boundary", 0);
            }
            return globals.yield(args);
        }
    }

    private static final class Status extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (!(args.arg1() instanceof LuaThread thread)) {
                throw new LuaError(Lua51Args.argError(1, "status", "coroutine expected"));
            }
            return valueOf(thread.getStatus());
        }
    }

    private final class Running extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaThread running = globals.running;
            return running.isMainThread() ? NIL : running;
        }
    }

    /**
     * wrap(f): a function that resumes the coroutine and raises its errors, a string one with the
     * caller's position before it (Lua 5.1's auxwrap).
     */
    private final class Wrap extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (!(args.arg1() instanceof LuaClosure)) {
                throw new LuaError(Lua51Args.argError(1, "wrap", "Lua function expected"));
            }
            LuaThread thread = create(args.arg1());
            return new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs resumeArgs) {
                    Varargs result = resume(thread, resumeArgs);
                    if (result.arg1().toboolean()) {
                        return result.subargs(2);
                    }
                    LuaValue error = result.arg(2);
                    if (error.type() == TSTRING || error.type() == TNUMBER) {
                        throw new LuaError(Lua51Base.plainString(error).tojstring());
                    }
                    throw new LuaError(error);
                }
            };
        }
    }
}
