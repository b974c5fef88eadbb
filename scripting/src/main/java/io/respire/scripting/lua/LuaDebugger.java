package io.respire.scripting.lua;

import io.respire.scripting.DebugConsole;
import io.respire.scripting.ScriptException;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One session of Redis's Lua debugger (eval.c's ldb*): the script's source by line, breakpoints,
 * stepping, and the logs sent to the debugging client. The run hook calls {@link #instruction} for
 * each instruction while a session runs; where Lua 5.1 would call its line hook (a new line, a jump
 * back, a function's start), the debugger may stop and read the client's commands until one lets
 * the script go on.
 */
public final class LuaDebugger {
    /** eval.c's LDB_BREAKPOINTS_MAX and LDB_MAX_LEN_DEFAULT. */
    static final int MAX_BREAKPOINTS = 64;
    static final int DEFAULT_MAX_LEN = 256;
    /** The chunk scripts compile as, which alone the debugger stops in, and the one of its eval command. */
    private static final String USER_SCRIPT = "user_script";
    private static final String EVAL_CHUNK = "@ldb_eval";

    private final LuaInterpreter lua;
    private final DebugConsole console;
    private final String[] source;
    private final List<String> logs = new ArrayList<>();
    private final int[] breakpoints = new int[MAX_BREAKPOINTS];
    private int breakpointCount;
    /** Stop at the next line whatever the breakpoints say (ldb.step); the session starts stepping. */
    private boolean step = true;
    /** redis.breakpoint() was called: stop at the next line. */
    private boolean luaBreakpoint;
    private int currentLine;
    private int maxLen = DEFAULT_MAX_LEN;
    private boolean maxLenHintSent;
    /** The debugger is reading commands: Lua 5.1 calls no hook from inside a hook. */
    private boolean inHook;
    /** When the script last went on (System.nanoTime), for the unattended time limit. */
    private long resumedNanos = System.nanoTime();
    /**
     * The thread the session talks to its client on. A coroutine runs on a thread of its own while
     * this one waits for it, and could not reach the client: the debugger does not stop in one.
     */
    private final Thread sessionThread = Thread.currentThread();

    LuaDebugger(LuaInterpreter lua, DebugConsole console, byte[] script) {
        this.lua = lua;
        this.console = console;
        this.source = splitLines(script);
    }

    /** ldbStartSession: the script's text without its trailing newlines, split at each "\n". */
    static String[] splitLines(byte[] script) {
        int length = script.length;
        while (length > 0 && (script[length - 1] == '\n' || script[length - 1] == '\r')) {
            length--;
        }
        if (length == 0) {
            return new String[0];
        }
        return LdbFormat.bytes(script, 0, length).split("\n", -1);
    }

    /** ldbEndSession's last words: the logs left and the end mark. */
    public void end() {
        log("<endsession>");
        sendLogs();
    }

    // ---- What the script's redis table asks

    /** redis.debug(...): its arguments logged with the line. */
    void debug(Varargs args) {
        StringBuilder entry = new StringBuilder("<debug> line ").append(currentLine).append(": ");
        for (int i = 1; i <= args.narg(); i++) {
            LdbFormat.value(entry, args.arg(i));
            if (i != args.narg()) {
                entry.append(", ");
            }
        }
        log(entry.toString());
    }

    /** redis.breakpoint(): stop at the next line. */
    void breakpoint() {
        luaBreakpoint = true;
    }

    /** ldbIsEnabled: whether the commands a script runs are logged (only while stepping). */
    boolean logsCommands() {
        return step;
    }

    /** luaRedisGenericCommand's log of a command: its first ten arguments. */
    void logCommand(byte[][] argv) {
        StringBuilder entry = new StringBuilder("<redis>");
        for (int j = 0; j < argv.length; j++) {
            if (j == 10) {
                entry.append(" ... (").append(argv.length - j - 1).append(" more)");
                break;
            }
            entry.append(' ').append(LdbFormat.bytes(argv[j], 0, argv[j].length));
        }
        log(entry.toString());
    }

    /** luaPushErrorBuff's log of an error raised or returned to the script, as Redis words it. */
    void logError(String redisText) {
        log("<error> " + LdbFormat.utf8(redisText));
    }

    /** ldbLogRedisReply: the reply of a command the script ran. */
    void logReply(byte[] resp) {
        logWithMaxLen("<reply> " + LdbFormat.protocolToHuman(resp));
    }

    // ---- The hook

    /**
     * Called by the run hook before each instruction of a Lua function ({@code count}: at the hook's
     * every-so-many-instructions check instead), with the instruction run before it.
     */
    void instruction(LuaClosure function, int pc, int previousPc, boolean count) {
        if (inHook || function == null) {
            return;
        }
        Prototype p = function.p;
        if (!count && pc != 0 && pc > previousPc && line(p, pc) == line(p, previousPc)) {
            return; // Lua 5.1 calls the line hook on a new line, a jump back, or a function's start
        }
        if (Thread.currentThread() != sessionThread) {
            return;
        }
        currentLine = line(p, pc);
        boolean atBreakpoint = isBreakpoint(currentLine) || luaBreakpoint;
        if (!p.source.tojstring().contains(USER_SCRIPT)) {
            return;
        }
        boolean timeout = false;
        if (count && !step && !atBreakpoint) {
            long limit = console.timeLimitMs();
            if ((System.nanoTime() - resumedNanos) / 1_000_000 < limit) {
                return;
            }
            timeout = true;
            step = true;
        }
        if (!step && !atBreakpoint) {
            return;
        }
        String reason = atBreakpoint ? (luaBreakpoint ? "redis.breakpoint() called" : "break point")
                : timeout ? "timeout reached, infinite loop?" : "step over";
        step = false;
        luaBreakpoint = false;
        log("* Stopped at " + currentLine + ", stop reason = " + reason);
        logSourceLine(currentLine);
        sendLogs();
        inHook = true;
        boolean attended;
        try {
            attended = repl();
        } finally {
            inHook = false;
        }
        if (!attended && timeout) {
            // Nobody will ever continue it: a script looping forever must not hold the server.
            throw RedisApi.raise("timeout during Lua debugging with client closing connection");
        }
        resumedNanos = System.nanoTime();
        console.resumed();
    }

    private static int line(Prototype p, int pc) {
        int[] lines = p.lineinfo;
        return lines != null && pc >= 0 && pc < lines.length ? lines[pc] : 0;
    }

    // ---- The client's commands (ldbRepl)

    /** Reads and runs commands until one lets the script go on; false if the client has gone. */
    private boolean repl() {
        while (true) {
            byte[][] argv = console.next();
            if (argv == null) {
                // The script runs on without a client: nothing may stop it any more.
                step = false;
                breakpointCount = 0;
                return false;
            }
            if (argv == DebugConsole.BUFFER_FULL) {
                throw RedisApi.raise("max client buffer reached");
            }
            if (!wellFormed(argv)) {
                throw RedisApi.raise("protocol error");
            }
            String name = new String(argv[0], StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            int argc = argv.length;
            switch (name) {
                case "h", "help" -> help();
                case "s", "step", "n", "next" -> {
                    step = true;
                    return true;
                }
                case "c", "continue" -> {
                    return true;
                }
                case "t", "trace" -> trace();
                case "m", "maxlen" -> maxLen(argv);
                case "b", "break" -> breakCommand(argv);
                case "e", "eval" -> eval(argv);
                case "a", "abort" -> throw RedisApi.raise("script aborted for user request");
                case "r", "redis" -> {
                    if (argc > 1) {
                        redis(argv);
                    } else {
                        unknown();
                    }
                }
                case "p", "print" -> {
                    if (argc == 2) {
                        print(text(argv[1]));
                    } else {
                        printAll();
                    }
                }
                case "l", "list" -> {
                    int around = currentLine;
                    int context = 5;
                    if (argc > 1) {
                        int num = atoi(argv[1]);
                        if (num > 0) {
                            around = num;
                        }
                    }
                    if (argc > 2) {
                        context = atoi(argv[2]);
                    }
                    list(around, context);
                }
                case "w", "whole" -> list(1, 1_000_000);
                default -> unknown();
            }
            sendLogs();
        }
    }

    /** ldbReplParseCommand's limits: 1 to 1024 arguments of 1 to 1024 bytes each. */
    static boolean wellFormed(byte[][] argv) {
        if (argv.length == 0 || argv.length > 1024) {
            return false;
        }
        for (byte[] arg : argv) {
            if (arg.length == 0 || arg.length > 1024) {
                return false;
            }
        }
        return true;
    }

    private void unknown() {
        log("<error> Unknown Redis Lua debugger command or wrong number of arguments.");
    }

    private void help() {
        for (String line : new String[] {
            "Redis Lua debugger help:",
            "[h]elp               Show this help.",
            "[s]tep               Run current line and stop again.",
            "[n]ext               Alias for step.",
            "[c]ontinue           Run till next breakpoint.",
            "[l]ist               List source code around current line.",
            "[l]ist [line]        List source code around [line].",
            "                     line = 0 means: current position.",
            "[l]ist [line] [ctx]  In this form [ctx] specifies how many lines",
            "                     to show before/after [line].",
            "[w]hole              List all source code. Alias for 'list 1 1000000'.",
            "[p]rint              Show all the local variables.",
            "[p]rint <var>        Show the value of the specified variable.",
            "                     Can also show global vars KEYS and ARGV.",
            "[b]reak              Show all breakpoints.",
            "[b]reak <line>       Add a breakpoint to the specified line.",
            "[b]reak -<line>      Remove breakpoint from the specified line.",
            "[b]reak 0            Remove all breakpoints.",
            "[t]race              Show a backtrace.",
            "[e]val <code>        Execute some Lua code (in a different callframe).",
            "[r]edis <cmd>        Execute a Redis command.",
            "[m]axlen [len]       Trim logged Redis replies and Lua var dumps to len.",
            "                     Specifying zero as <len> means unlimited.",
            "[a]bort              Stop the execution of the script. In sync",
            "                     mode dataset changes will be retained.",
            "",
            "Debugger functions you can call from Lua scripts:",
            "redis.debug()        Produce logs in the debugger console.",
            "redis.breakpoint()   Stop execution like if there was a breakpoint in the",
            "                     next line of code.",
        }) {
            log(line);
        }
    }

    // ---- Source lines and breakpoints

    private String sourceLine(int line) {
        int index = line - 1;
        return index < 0 || index >= source.length ? "<out of range source code line>" : source[index];
    }

    private boolean isBreakpoint(int line) {
        for (int j = 0; j < breakpointCount; j++) {
            if (breakpoints[j] == line) {
                return true;
            }
        }
        return false;
    }

    private boolean addBreakpoint(int line) {
        if (line <= 0 || line > source.length) {
            return false;
        }
        if (!isBreakpoint(line) && breakpointCount != MAX_BREAKPOINTS) {
            breakpoints[breakpointCount++] = line;
            return true;
        }
        return false;
    }

    private boolean deleteBreakpoint(int line) {
        for (int j = 0; j < breakpointCount; j++) {
            if (breakpoints[j] == line) {
                breakpointCount--;
                System.arraycopy(breakpoints, j + 1, breakpoints, j, breakpointCount - j);
                return true;
            }
        }
        return false;
    }

    /** ldbLogSourceLine: "-> " marks the current line, "#" a breakpoint. */
    private void logSourceLine(int line) {
        boolean current = currentLine == line;
        boolean bp = isBreakpoint(line);
        String prefix = current && bp ? "->#" : current ? "-> " : bp ? "  #" : "   ";
        log(prefix + String.format("%-3d", line) + " " + sourceLine(line));
    }

    /** ldbList: the lines within {@code context} of {@code around}, or all when it is 0. */
    private void list(int around, int context) {
        for (int j = 1; j <= source.length; j++) {
            if (around != 0 && Math.abs((long) around - j) > context) {
                continue;
            }
            logSourceLine(j);
        }
    }

    private void breakCommand(byte[][] argv) {
        if (argv.length == 1) {
            if (breakpointCount == 0) {
                log("No breakpoints set. Use 'b <line>' to add one.");
                return;
            }
            log(breakpointCount + " breakpoints set:");
            for (int j = 0; j < breakpointCount; j++) {
                logSourceLine(breakpoints[j]);
            }
            return;
        }
        for (int j = 1; j < argv.length; j++) {
            String arg = text(argv[j]);
            Long line = strictLong(arg);
            if (line == null) {
                log("Invalid argument:'" + arg + "'");
            } else if (line == 0) {
                breakpointCount = 0;
                log("All breakpoints removed.");
            } else if (line > 0) {
                if (breakpointCount == MAX_BREAKPOINTS) {
                    log("Too many breakpoints set.");
                } else if (line <= Integer.MAX_VALUE && addBreakpoint((int) (long) line)) {
                    list((int) (long) line, 1);
                } else {
                    log("Wrong line number.");
                }
            } else if (-line <= Integer.MAX_VALUE && deleteBreakpoint((int) -line)) {
                log("Breakpoint removed.");
            } else {
                log("No breakpoint in the specified line.");
            }
        }
    }

    // ---- Values

    /** ldbPrint: the variable named so, innermost frame first, else the globals KEYS and ARGV. */
    private void print(String name) {
        RunHook.Frames frames = lua.hook().frames();
        for (int level = frames.depth - 1; level >= 0; level--) {
            LuaClosure c = frames.functions[level];
            if (c == null) {
                continue; // a Java function's frame has no named locals
            }
            int pc = lua.hook().pcOfFrame(frames, level);
            LuaValue[] registers = frames.registers[level];
            for (int n = 1; ; n++) {
                LuaString local = c.p.getlocalname(n, pc);
                if (local == null) {
                    break;
                }
                if (local.tojstring().equals(name)) {
                    logValue("<value> ", registers[n - 1]);
                    return;
                }
            }
        }
        if (name.equals("KEYS") || name.equals("ARGV")) {
            logValue("<value> ", lua.global(name));
        } else {
            log("No such variable.");
        }
    }

    /** ldbPrintAll: the locals of the function stopped in. */
    private void printAll() {
        RunHook.Frames frames = lua.hook().frames();
        int vars = 0;
        int top = frames.depth - 1;
        if (top >= 0 && frames.functions[top] != null) {
            LuaClosure c = frames.functions[top];
            int pc = lua.hook().pcOfFrame(frames, top);
            for (int n = 1; ; n++) {
                LuaString local = c.p.getlocalname(n, pc);
                if (local == null) {
                    break;
                }
                logValue("<value> " + LdbFormat.bytes(local.m_bytes, local.m_offset, local.m_length) + " = ",
                        frames.registers[top][n - 1]);
                vars++;
            }
        }
        if (vars == 0) {
            log("No local variables in the current context.");
        }
    }

    /** ldbTrace: the frames of the script's own code, innermost first. */
    private void trace() {
        RunHook.Frames frames = lua.hook().frames();
        int levels = 0;
        for (int level = frames.depth - 1; level >= 0; level--, levels++) {
            LuaClosure c = frames.functions[level];
            if (c == null || !c.p.source.tojstring().contains(USER_SCRIPT)) {
                continue;
            }
            String name = functionName(frames, level);
            log((levels == 0 ? "In" : "From") + " " + (name == null ? "top level" : name) + ":");
            logSourceLine(line(c.p, lua.hook().pcOfFrame(frames, level)));
        }
        if (levels == 0) {
            log("<error> Can't retrieve Lua stack.");
        }
    }

    /** Lua 5.1's getfuncname: the name the calling Lua function called this one by, or null. */
    private String functionName(RunHook.Frames frames, int level) {
        if (level == 0 || frames.functions[level - 1] == null) {
            return null;
        }
        Prototype caller = frames.functions[level - 1].p;
        int pc = frames.pcs[level - 1];
        if (pc < 0 || pc >= caller.code.length) {
            return null;
        }
        int i = caller.code[pc];
        int op = org.luaj.vm2.Lua.GET_OPCODE(i);
        if (op != org.luaj.vm2.Lua.OP_CALL && op != org.luaj.vm2.Lua.OP_TAILCALL) {
            return null;
        }
        String described = Lua51VmErrors.describeRegister(caller, pc, org.luaj.vm2.Lua.GETARG_A(i));
        if (described == null) {
            return null;
        }
        int open = described.indexOf('\'');
        return open < 0 ? null : described.substring(open + 1, described.length() - 1);
    }

    /** ldbEval: the code compiled as an expression, else as statements, and run with its result shown. */
    private void eval(byte[][] argv) {
        StringBuilder code = new StringBuilder();
        for (int j = 1; j < argv.length; j++) {
            if (j > 1) {
                code.append(' ');
            }
            code.append(text(argv[j]));
        }
        LuaFunction chunk;
        try {
            chunk = compile("return " + code);
        } catch (ScriptException expressionFailed) {
            try {
                chunk = compile(code.toString());
            } catch (ScriptException e) {
                log("<error> " + LdbFormat.utf8(e.getMessage()));
                return;
            }
        }
        LuaValue result;
        try {
            result = chunk.call();
        } catch (LuaError e) {
            log("<error> " + errorText(LuaErrors.value(e)));
            return;
        }
        logValue("<retval> ", result);
    }

    /**
     * An error value as lua_tostring gives it. Redis crashes on an error that is a table (lua_tostring
     * is NULL): a Redis error table shows its text instead, anything else says what Lua's own
     * interpreter says.
     */
    private static String errorText(LuaValue error) {
        if (error.isstring()) {
            LuaString s = error.checkstring();
            return LdbFormat.bytes(s.m_bytes, s.m_offset, s.m_length);
        }
        if (error.istable() && error.rawget("err").isstring()) {
            return errorText(error.rawget("err"));
        }
        return "(error object is not a string)";
    }

    private LuaFunction compile(String code) {
        byte[] bytes = code.getBytes(StandardCharsets.ISO_8859_1);
        return lua.compile(bytes, 0, bytes.length, EVAL_CHUNK);
    }

    /** ldbRedis: redis.call with the arguments given, logged as a step would log it; errors only logged. */
    private void redis(byte[][] argv) {
        LuaValue[] args = new LuaValue[argv.length - 1];
        for (int j = 1; j < argv.length; j++) {
            args[j - 1] = LuaString.valueUsing(argv[j]);
        }
        step = true;
        try {
            lua.global("redis").get("call").invoke(LuaValue.varargsOf(args));
        } catch (LuaError e) {
            // already logged by redis.call, as Redis's lua_pcall result is discarded
        } finally {
            step = false;
        }
    }

    private void maxLen(byte[][] argv) {
        if (argv.length == 2) {
            int value = atoi(argv[1]);
            maxLenHintSent = true; // the user knows about the command
            if (value != 0 && value <= 60) {
                value = 60;
            }
            maxLen = value;
        }
        if (maxLen != 0) {
            log("<value> replies are truncated at " + maxLen + " bytes.");
        } else {
            log("<value> replies are unlimited.");
        }
    }

    // ---- Logs

    private void log(String entry) {
        logs.add(entry);
    }

    private void logValue(String prefix, LuaValue value) {
        StringBuilder s = new StringBuilder(prefix);
        LdbFormat.value(s, value);
        logWithMaxLen(s.toString());
    }

    /** ldbLogWithMaxLen: an entry cut at maxlen, with a hint the first time. */
    private void logWithMaxLen(String entry) {
        boolean trimmed = false;
        if (maxLen != 0 && entry.length() > maxLen) {
            entry = entry.substring(0, maxLen) + " ...";
            trimmed = true;
        }
        log(entry);
        if (trimmed && !maxLenHintSent) {
            maxLenHintSent = true;
            log("<hint> The above reply was trimmed. Use 'maxlen 0' to disable trimming.");
        }
    }

    /** ldbSendLogs: the logs as an array of status replies, newlines made spaces. */
    private void sendLogs() {
        StringBuilder proto = new StringBuilder("*").append(logs.size()).append("\r\n");
        for (String entry : logs) {
            proto.append('+').append(entry.replace('\r', ' ').replace('\n', ' ')).append("\r\n");
        }
        logs.clear();
        console.send(proto.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    // ---- C's number parsing, as Redis uses it here

    private static String text(byte[] b) {
        return LdbFormat.bytes(b, 0, b.length);
    }

    /** C's atoi: leading spaces, a sign, digits up to the first other character; 0 if none. */
    static int atoi(byte[] b) {
        int i = 0;
        while (i < b.length && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < b.length && (b[i] == '+' || b[i] == '-')) {
            negative = b[i] == '-';
            i++;
        }
        long value = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            value = value * 10 + (b[i] - '0');
            if (value > Integer.MAX_VALUE + 1L) {
                break;
            }
            i++;
        }
        return (int) (negative ? -value : value);
    }

    /** Redis's string2l: the whole text a decimal long, no spaces, no leading zeros; else null. */
    static Long strictLong(String s) {
        if (s.isEmpty() || s.length() > 20 || s.startsWith("+") || (s.length() > 1 && s.startsWith("0"))
                || s.startsWith("-0") || s.equals("-")) {
            return null;
        }
        for (int i = s.charAt(0) == '-' ? 1 : 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
