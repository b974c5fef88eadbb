package io.respire.scripting.lua;

import io.respire.protocol.Reply;
import io.respire.scripting.ScriptException;
import io.respire.scripting.ScriptRun;
import io.respire.scripting.lib.RedisLuaLibs;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.UpValue;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

import java.io.ByteArrayInputStream;

/**
 * One Lua interpreter (Redis's lua_State with its fake client): the sandboxed globals scripts see,
 * the hook that watches a running script, and the builder that turns the replies of the commands
 * a script calls into Lua values. EVAL scripts share one; functions have another
 * ({@link #forFunctions}), whose libraries' code runs against globals of its own: an empty
 * read-only table that reads through to the interpreter's globals when a function runs, and to
 * the library API ({@link LibraryApi}) while FUNCTION LOAD runs the code (function_lua.c).
 *
 * <p>The sandbox is built by allow-list, as Redis's: only the globals of Redis's Lua 5.1 are there
 * (no io, os, package, require, debug, dofile, loadfile, print, luajava), every table reachable
 * from the globals is locked ({@link ProtectedTable}), reading a global that does not exist is an
 * error, and precompiled bytecode is never loaded. Scripts cannot reach Java classes: LuaJ's
 * Java bridge (luajava, CoerceJavaToLua) is never installed.
 */
public final class LuaInterpreter {
    /** Redis's chunk name for EVAL scripts, which its error messages show. */
    public static final String SCRIPT_CHUNK = "@user_script";
    /** Redis's chunk name for function libraries. */
    public static final String FUNCTION_CHUNK = "@user_function";

    private static final LuaTable STRING_METATABLE;
    private static final LuaString KEYS = LuaValue.valueOf("KEYS");
    private static final LuaString ARGV = LuaValue.valueOf("ARGV");

    static {
        // LuaJ keeps one metatable for all strings, JVM-wide; make it, and the string table it
        // points to, read-only before any script runs, so that ("").x = ... cannot change strings
        // for other scripts or servers.
        Globals scratch = new Globals();
        scratch.load(new PackageLib());
        scratch.load(new StringLib());
        ProtectedTable string = stringLibrary(scratch);
        ProtectedTable metatable = new ProtectedTable();
        metatable.rawset(LuaValue.INDEX, string);
        metatable.lock();
        STRING_METATABLE = metatable;
        LuaString.s_metatable = metatable;
    }

    private final Globals globals = new Globals();
    private final ProtectedTable env = new ProtectedTable();
    private final RunHook hook = new RunHook(globals);
    private final Lua51Coroutines coroutines = new Lua51Coroutines(globals, hook);
    private final LuaReplyBuilder replies = new LuaReplyBuilder();
    private final RedisRandom random;
    private final java.util.function.LongSupplier memory;
    private ScriptRun run;
    /** Set while redis.call runs a command: a second one from a hook would be re-entrant. */
    private boolean inCommand;
    /** The function engine's interpreter rather than EVAL's. */
    private final boolean functionEngine;
    /** Function engine only: the libraries' globals, their metatable, and the load-time API. */
    private ProtectedTable libraryGlobals;
    private ProtectedTable libraryGlobalsMeta;
    private LibraryApi libraryApi;
    /** Where redis.log writes while a library loads (no run then). */
    private io.respire.scripting.ScriptHost loadingHost;

    /**
     * @param random the generator math.random draws from (one per server, as Redis's is global)
     * @param memory what gcinfo and collectgarbage("count") report, in bytes
     */
    public LuaInterpreter(RedisRandom random, java.util.function.LongSupplier memory) {
        this(random, memory, false);
    }

    /** The function engine's interpreter (Redis's luaEngineInitEngine). */
    public static LuaInterpreter forFunctions(RedisRandom random, java.util.function.LongSupplier memory) {
        return new LuaInterpreter(random, memory, true);
    }

    private LuaInterpreter(RedisRandom random, java.util.function.LongSupplier memory, boolean functionEngine) {
        this.random = random;
        this.memory = memory;
        this.functionEngine = functionEngine;
        globals.load(new PackageLib()); // LuaJ's libraries register themselves in package.loaded
        globals.load(new BaseLib());
        globals.load(new TableLib());
        globals.load(new StringLib());
        globals.load(new CoroutineLib());
        globals.load(new JseMathLib());
        LoadState.install(globals);
        LuaC.install(globals);
        globals.debuglib = hook;
        buildEnvironment();
    }

    /** A generator of its own, for tests and tools. */
    public LuaInterpreter() {
        this(new RedisRandom(), () -> 32 * 1024);
    }

    private void buildEnvironment() {
        // Lua 5.1's base functions; where LuaJ's differ only in their argument errors, behind
        // Lua 5.1's checks (see Lua51Args).
        String[][] base = {{"getmetatable", "a"}, {"ipairs", "t"}, {"pairs", "t"},
                {"rawequal", "aa"}, {"rawget", "ta"}, {"rawset", "taa"}, {"setmetatable", "tm"},
                {"type", "a"}};
        for (String[] function : base) {
            env.rawset(function[0], Lua51Args.wrap(function[0], function[1], globals.get(function[0])));
        }
        // luaH_next raises "invalid key to 'next'" from C: no script position
        env.rawset("next", Lua51Args.wrap("next", "t", Lua51Args.raisedInC(globals.get("next"))));
        env.rawset("_G", env);
        env.rawset("_VERSION", LuaValue.valueOf("Lua 5.1"));
        env.rawset("assert", new Lua51Base.Assert());
        env.rawset("select", new Lua51Base.Select());
        env.rawset("tonumber", new Lua51Base.Tonumber());
        env.rawset("pcall", new Lua51Base.Pcall(hook));
        env.rawset("xpcall", new Lua51Base.Xpcall(hook));
        env.rawset("error", new Lua51Base.Error(hook));
        env.rawset("tostring", Lua51Args.wrap("tostring", "a", new Lua51Base.Tostring()));
        env.rawset("loadstring", Lua51Args.wrap("loadstring", "sS", new Lua51Base.Loadstring(globals, env)));
        env.rawset("load", Lua51Args.wrap("load", "fS", new Lua51Base.Load(globals, env)));
        env.rawset("gcinfo", new Lua51Base.Gcinfo(memory));
        env.rawset("collectgarbage", Lua51Args.wrap("collectgarbage", "S", new Lua51Base.Collectgarbage(memory)));
        env.rawset("unpack", new Lua51Table.Unpack());
        env.rawset("coroutine", coroutines.table());
        env.rawset("string", STRING_METATABLE.rawget(LuaValue.INDEX));
        env.rawset("table", tableLibrary(globals));
        env.rawset("math", mathLibrary(globals));
        RedisLuaLibs.install(globals);
        for (String library : new String[] {"cjson", "struct", "cmsgpack", "bit"}) {
            env.rawset(library, ProtectedTable.copyOf((LuaTable) globals.get(library)));
        }
        env.rawset("redis", RedisApi.create(this, !functionEngine));
        if (!functionEngine) {
            env.rawset("KEYS", new LuaTable()); // functions get their keys and arguments as arguments
            env.rawset("ARGV", new LuaTable());
        }
        MissingGlobal missing = new MissingGlobal();
        ProtectedTable errors = new ProtectedTable();
        errors.rawset(LuaValue.INDEX, missing);
        env.setmetatable(errors);
        lockRecursively(env);
        if (functionEngine) {
            libraryApi = new LibraryApi(this, missing);
            libraryGlobalsMeta = new ProtectedTable();
            libraryGlobalsMeta.rawset(LuaValue.INDEX, env);
            libraryGlobalsMeta.lock();
            libraryGlobals = new ProtectedTable();
            libraryGlobals.setmetatable(libraryGlobalsMeta);
            libraryGlobals.lock();
        }
    }

    private static ProtectedTable stringLibrary(Globals g) {
        LuaTable luaj = (LuaTable) g.get("string");
        ProtectedTable string = new ProtectedTable();
        String[][] checked = {{"byte", "sNN"}, {"char", "|n"}, {"dump", "f"}, {"len", "s"}, {"lower", "s"},
                {"reverse", "s"}, {"sub", "snN"}, {"upper", "s"}};
        for (String[] function : checked) {
            string.rawset(function[0], Lua51Args.wrap(function[0], function[1], luaj.get(function[0])));
        }
        String[][] patterns = {{"find", "ssN"}, {"match", "ssN"}, {"gmatch", "ss"}, {"gsub", "ssrN"}};
        for (String[] function : patterns) {
            string.rawset(function[0], Lua51Args.wrap(function[0], function[1],
                    Lua51Args.withPattern(luaj.get(function[0]))));
        }
        string.rawset("gfind", Lua51Args.wrap("gfind", "ss", Lua51Args.withPattern(luaj.get("gmatch")))); // LUA_COMPAT_GFIND
        string.rawset("format", new Lua51Format());
        string.rawset("rep", Lua51Args.wrap("rep", "sn", new Lua51Base.Rep()));
        return string;
    }

    private static ProtectedTable tableLibrary(Globals g) {
        ProtectedTable table = new ProtectedTable();
        table.rawset("concat", new Lua51Table.Concat());
        table.rawset("insert", new Lua51Table.Insert());
        table.rawset("remove", new Lua51Table.Remove());
        table.rawset("sort", new Lua51Table.Sort());
        table.rawset("getn", Lua51Args.wrap("getn", "t", new Lua51Base.Getn()));
        table.rawset("maxn", Lua51Args.wrap("maxn", "t", new Lua51Base.Maxn()));
        table.rawset("foreach", Lua51Args.wrap("foreach", "tf", new Lua51Base.Foreach()));
        table.rawset("foreachi", Lua51Args.wrap("foreachi", "tf", new Lua51Base.Foreachi()));
        table.rawset("setn", new Lua51Base.Setn());
        return table;
    }

    private ProtectedTable mathLibrary(Globals g) {
        LuaTable luaj = (LuaTable) g.get("math");
        ProtectedTable math = new ProtectedTable();
        math.rawset("pi", luaj.get("pi"));
        math.rawset("huge", luaj.get("huge"));
        for (String name : new String[] {"abs", "acos", "asin", "atan", "ceil", "cos", "cosh", "deg", "exp", "floor",
                "frexp", "rad", "sin", "sinh", "sqrt", "tan", "tanh"}) {
            math.rawset(name, Lua51Args.wrap(name, "n", luaj.get(name)));
        }
        for (String name : new String[] {"atan2", "ldexp", "pow"}) {
            math.rawset(name, Lua51Args.wrap(name, "nn", luaj.get(name)));
        }
        math.rawset("modf", Lua51Args.wrap("modf", "n", new Lua51Base.Modf()));
        math.rawset("max", Lua51Args.wrap("max", "n|n", new Lua51Base.Extreme(true)));
        math.rawset("min", Lua51Args.wrap("min", "n|n", new Lua51Base.Extreme(false)));
        math.rawset("log", Lua51Args.wrap("log", "n", new Lua51Base.Log()));
        math.rawset("log10", Lua51Args.wrap("log10", "n", new Lua51Base.Log10()));
        math.rawset("fmod", Lua51Args.wrap("fmod", "nn", new Lua51Base.Fmod()));
        math.rawset("mod", Lua51Args.wrap("mod", "nn", new Lua51Base.Fmod())); // LUA_COMPAT_MOD
        math.rawset("random", Lua51Args.wrap("random", "NN", new RedisRandom.Random(random, () -> run != null)));
        math.rawset("randomseed", Lua51Args.wrap("randomseed", "n", new RedisRandom.Seed(random, () -> run != null)));
        return math;
    }

    /** Locks {@code table}, the tables it holds and their metatables (luaSetTableProtectionRecursively). */
    private static void lockRecursively(LuaValue value) {
        if (!(value instanceof ProtectedTable table) || table.locked()) {
            return;
        }
        table.lock();
        LuaValue key = LuaValue.NIL;
        while (true) {
            org.luaj.vm2.Varargs next = table.next(key);
            key = next.arg1();
            if (key.isnil()) {
                break;
            }
            lockRecursively(next.arg(2));
        }
        LuaValue metatable = table.getmetatable();
        if (metatable != null) {
            lockRecursively(metatable);
        }
    }

    /** The globals' __index: reading an undeclared global is an error, as in Redis. */
    private static final class MissingGlobal extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue table, LuaValue name) {
            throw new LuaError("Script attempted to access nonexistent global variable '" + name.tojstring() + "'");
        }
    }

    // ---- Compiling and running

    /**
     * Compiles {@code code} (source text only) as a chunk named {@code chunkname}, bound to the
     * sandboxed globals.
     *
     * @throws ScriptException with the compiler's message, as Lua 5.1 words it
     */
    public LuaFunction compile(byte[] code, int offset, int length, String chunkname) {
        try {
            return load(globals, env, code, offset, length, chunkname);
        } catch (LuaError e) {
            throw new ScriptException(LuaErrors.value(e).tojstring());
        }
    }

    /**
     * Compiles source text bound to {@code env}, with its tail calls made ordinary calls: LuaJ runs
     * a tail call after the calling function has returned, so an error raised by the called
     * function (redis.call's, in {@code return redis.call(...)}) would lose the script line that
     * Lua 5.1 and Redis's error replies show.
     *
     * <p>Precompiled code is never loaded, as in Redis, whose Lua always parses text: a chunk
     * starting with LUA_SIGNATURE's ESC fails as Lua's lexer (the project's LexState) fails on
     * that character.
     */
    static LuaFunction load(Globals globals, LuaTable env, byte[] code, int offset, int length, String chunkname) {
        try {
            Prototype prototype = globals.compilePrototype(new ByteArrayInputStream(code, offset, length), chunkname);
            withoutTailCalls(prototype);
            // The closure runs under the runtime's Globals (which holds the hook: LuaJ only calls a
            // hook for functions made with a Globals), while its _ENV, the table its global names
            // resolve in, is the sandbox.
            LuaClosure closure = new LuaClosure(prototype, globals);
            if (closure.upValues.length > 0) {
                closure.upValues[0] = new UpValue(new LuaValue[] {env}, 0);
            }
            return closure;
        } catch (java.io.IOException e) {
            throw new LuaError("load " + chunkname + ": " + e);
        }
    }

    /** OP_TAILCALL A B 0 becomes OP_CALL A B 0; the OP_RETURN A 0 after it returns what the call left. */
    private static void withoutTailCalls(Prototype p) {
        int[] code = p.code;
        for (int pc = 0; pc < code.length; pc++) {
            if ((code[pc] & 0x3f) == Lua.OP_TAILCALL) {
                code[pc] = (code[pc] & ~0x3f) | Lua.OP_CALL;
            }
        }
        for (Prototype child : p.p) {
            withoutTailCalls(child);
        }
    }

    // ---- Function libraries

    /** What register_function registers into while a library loads (functions.c's functionLibCreateFunction). */
    public interface Registrar {
        /**
         * Registers a function of the library being loaded.
         *
         * @param description null when not given
         * @return null, or the reason it is refused (Redis's text, without the ERR code)
         */
        String register(byte[] name, LuaFunction callback, byte[] description, int flags);
    }

    /**
     * Compiles a library's code (the shebang line left out but its newline kept) against the
     * libraries' globals.
     *
     * @throws ScriptException with the compiler's message
     */
    public LuaFunction compileLibrary(byte[] code, int offset, int length) {
        requireFunctionEngine();
        try {
            return load(globals, libraryGlobals, code, offset, length, FUNCTION_CHUNK);
        } catch (LuaError e) {
            throw new ScriptException(LuaErrors.value(e).tojstring());
        }
    }

    /**
     * Runs a compiled library's code so that it registers its functions (luaEngineCreate): its
     * globals read the library API meanwhile, and the hook stops it after {@code timeoutMs} (0: no
     * limit).
     *
     * @throws ScriptException with the error's text as Redis words it, for "Error registering functions: %s"
     */
    public void runLibrary(LuaFunction chunk, Registrar registrar, long timeoutMs, io.respire.scripting.ScriptHost logHost) {
        requireFunctionEngine();
        RunHook.State outer = hook.save(); // FUNCTION LOAD from a running function (deny-scripts off)
        ScriptRun outerRun = run;
        io.respire.scripting.ScriptHost outerHost = loadingHost;
        libraryGlobalsMeta.setUnlocked(LuaValue.INDEX, libraryApi.globals());
        libraryApi.registrar(registrar);
        loadingHost = logHost;
        run = null;
        hook.beginLoad(timeoutMs);
        try {
            chunk.call();
        } catch (LuaError e) {
            throw new ScriptException(loadErrorText(LuaErrors.value(e)));
        } catch (StackOverflowError e) {
            throw new ScriptException("ERR stack overflow");
        } catch (OutOfMemoryError | RunHook.MemoryExhausted e) {
            throw new ScriptException("ERR not enough memory"); // LUA_ERRMEM's message, as luaExtractErrorInformation words it
        } finally {
            hook.endLoad();
            hook.restore(outer);
            run = outerRun;
            loadingHost = outerHost;
            libraryApi.registrar(null);
            libraryGlobalsMeta.setUnlocked(LuaValue.INDEX, env);
        }
    }

    /**
     * luaExtractErrorInformation without an error handler: a string (or number) error is its text
     * after "ERR "; an error table's err field replaces it; anything else has no text, which
     * Redis's %s prints as "(null)".
     */
    private static String loadErrorText(LuaValue error) {
        String message = null;
        if (error.type() == LuaValue.TSTRING || error.type() == LuaValue.TNUMBER) {
            message = "ERR " + Lua51Base.plainString(error).tojstring();
        }
        if (error.istable()) {
            LuaValue err = error.rawget("err");
            if (err.type() == LuaValue.TSTRING || err.type() == LuaValue.TNUMBER) {
                message = Lua51Base.plainString(err).tojstring();
            }
        }
        return message != null ? message : "(null)";
    }

    private void requireFunctionEngine() {
        if (!functionEngine) {
            throw new IllegalStateException("libraries load into the function engine's interpreter");
        }
    }

    RunHook hook() {
        return hook;
    }

    /** The debugger of the running script's session, or null. */
    LuaDebugger debugger() {
        return hook.debugger();
    }

    /** A global of the scripts' sandbox, as the debugger reads KEYS, ARGV and redis. */
    LuaValue global(String name) {
        return env.rawget(name);
    }

    /** The script running now, or null. */
    ScriptRun currentRun() {
        return run;
    }

    /** Where the commands a script calls write their replies. */
    public LuaReplyBuilder replies() {
        return replies;
    }

    void log(int level, String message) {
        ScriptRun current = run;
        if (current != null) {
            current.host().log(level, message);
        } else if (loadingHost != null) {
            loadingHost.log(level, message);
        }
    }

    /** Runs one command for redis.call/pcall and returns its reply as a Lua value. */
    LuaValue runCommand(ScriptRun current, byte[][] argv) {
        if (inCommand) {
            String warning = "luaRedisGenericCommand() recursive call detected. Are you doing funny stuff with Lua debug hooks?";
            current.host().log(3, warning);
            return LuaReplyBuilder.errorTable("ERR " + warning, false);
        }
        inCommand = true;
        LuaDebugger debugger = hook.debugger();
        boolean logged = debugger != null && debugger.logsCommands();
        if (logged) {
            debugger.logCommand(argv);
        }
        try {
            String rejection = current.host().call(current, argv);
            if (rejection != null) {
                replies.take();
                replies.takeRecorded();
                if (logged) {
                    debugger.logError(redisErrorText(rejection));
                }
                return LuaReplyBuilder.errorTable(rejection, true);
            }
            LuaValue reply = replies.take();
            byte[] resp = replies.takeRecorded();
            if (logged && resp != null) {
                if (resp.length > 0 && resp[0] == '-') {
                    // Redis parses an error reply with luaPushErrorBuff, which logs it as it came
                    debugger.logError(new String(resp, 0, Math.max(0, resp.length - 2), java.nio.charset.StandardCharsets.UTF_8));
                }
                debugger.logReply(resp);
            }
            return reply;
        } finally {
            inCommand = false;
        }
    }

    /**
     * A check's refusal as scriptCall words it to luaPushError: Redis's plain texts carry no code (ERR
     * is added later), its shared errors keep theirs after a dash.
     */
    static String redisErrorText(String rejection) {
        return rejection.startsWith("ERR ") ? rejection.substring(4) : "-" + rejection;
    }

    /**
     * Runs {@code function} for {@code current} and writes what it returns, or its error, to
     * {@code caller} (Redis's luaCallFunction). EVAL scripts find their keys and arguments in the
     * globals KEYS and ARGV; functions get them as arguments.
     *
     * @return whether the reply is an error already counted in the statistics where it arose
     */
    public boolean call(LuaFunction function, ScriptRun current, byte[][] keys, byte[][] args, Reply caller) {
        return call(function, current, keys, args, caller, null);
    }

    /** A Lua debugger session for {@code script} (EVAL's body), talking to {@code console}. */
    public LuaDebugger debugger(io.respire.scripting.DebugConsole console, byte[] script) {
        return new LuaDebugger(this, console, script);
    }

    /** As {@link #call(LuaFunction, ScriptRun, byte[][], byte[][], Reply)}, under {@code debugger} when not null. */
    public boolean call(LuaFunction function, ScriptRun current, byte[][] keys, byte[][] args, Reply caller,
            LuaDebugger debugger) {
        LuaTable keyTable = strings(keys);
        LuaTable argTable = strings(args);
        run = current;
        hook.begin(current);
        hook.debugger(debugger);
        replies.protocol(2); // each run starts in RESP2; redis.setresp changes it
        replies.record(debugger != null);
        try {
            LuaValue result;
            if (current.evalMode()) {
                env.setUnlocked(KEYS, keyTable);
                env.setUnlocked(ARGV, argTable);
                result = function.call();
            } else {
                result = function.call(keyTable, argTable);
            }
            return LuaToReply.write(caller, replies.protocol(), result);
        } catch (LuaError e) {
            return writeError(caller, current, e);
        } catch (StackOverflowError e) {
            caller.error("ERR Error running script " + current.name() + ", stack overflow");
            return false;
        } catch (OutOfMemoryError | RunHook.MemoryExhausted e) {
            // The script filled the heap (a table or string growing without end). Everything it
            // made is garbage once it has unwound, so the server carries on; the script fails as a
            // Lua script fails when its allocator does (LUA_ERRMEM, which no handler sees).
            caller.error("ERR Error running script " + current.name() + ", not enough memory");
            return false;
        } finally {
            hook.end();
            coroutines.endOfScript();
            run = null;
            replies.take();
            replies.record(false);
        }
    }

    /**
     * The error reply of a failed script: Redis's error handler makes every error a table
     * ({err=..., source=..., line=...}), and the reply names the script and the place.
     */
    private static boolean writeError(Reply caller, ScriptRun current, LuaError e) {
        LuaValue error = LuaErrors.value(e);
        String message;
        boolean counted = false;
        if (error.istable()) {
            LuaValue text = error.rawget("err");
            message = text.isstring() ? text.tojstring() : "ERR " + Lua51Base.plainString(error).tojstring();
            counted = error.rawget(LuaReplyBuilder.IGNORE_ERROR_STATS).toboolean();
        } else {
            message = "ERR " + Lua51Base.plainString(error).tojstring();
        }
        LuaErrors.Place place = LuaErrors.place(e);
        if (place != null) {
            message += " script: " + current.name() + ", on " + place.source() + ":" + place.line() + ".";
        }
        if (counted) {
            caller.errorNotCounted(message);
        } else {
            caller.error(message);
        }
        return counted;
    }

    /** KEYS or ARGV: the request's own arguments, which nothing changes once parsed, without a copy. */
    private static LuaTable strings(byte[][] values) {
        LuaTable table = new LuaTable(values.length, 0);
        for (int i = 0; i < values.length; i++) {
            table.rawset(i + 1, LuaString.valueUsing(values[i]));
        }
        return table;
    }
}
