package io.respire.server.scripting;

import io.respire.scripting.EvalScripts;
import io.respire.scripting.Functions;
import io.respire.scripting.ScriptFlags;
import io.respire.scripting.ScriptHost;
import io.respire.scripting.ScriptRun;
import io.respire.scripting.lua.LuaDebugger;
import io.respire.scripting.lua.RedisRandom;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.ServerContext;
import io.respire.server.command.CommandFlag;
import io.respire.server.command.CommandId;
import io.respire.server.command.CommandSpec;

/**
 * The server's side of scripting (Redis's script.c): it prepares and runs a script for a client,
 * runs the commands the script calls as the script's own client through the dispatcher's one
 * check point, and keeps the server answering while a script runs too long (BUSY to others,
 * SCRIPT KILL, SHUTDOWN NOSAVE).
 */
public final class Scripting implements ScriptHost {
    static final String BUSY_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    static final String BUSY_FUNCTION = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

    private final ServerContext server;
    /** math.random's generator, shared by the EVAL and function interpreters as Redis's is global. */
    private final RedisRandom random = new RedisRandom();
    private final EvalScripts eval;
    /** The client EVAL scripts run their commands as (Redis's lua_client). */
    private Client evalClient;
    /** The function engine, with an interpreter of its own, and the client its functions run commands as. */
    private final Functions functions;
    private final Client functionClient;
    /** The script running now, its client, and the client that asked for it. */
    private ScriptRun running;
    /** Whether the server was over maxmemory when the current top-level command started. */
    private boolean preCommandOom;
    private Client runningClient;
    private Client caller;
    /**
     * The script the dispatcher found for an EVALSHA's argument (to read its flags), kept for the
     * handler that runs next with the same argument (Redis's c->cur_script), with the cache
     * version it was found in: a script loaded or flushed in between invalidates it.
     */
    private byte[] lookedUpSha;
    private EvalScripts.Script lookedUp;
    private long lookedUpVersion = -1;
    /** The same for FCALL's function name (the dispatcher reads its flags, then the handler runs it). */
    private byte[] lookedUpName;
    private Functions.Function lookedUpFunction;
    private long lookedUpFunctionsVersion = -1;
    /** The Lua debugger session holding the server (SCRIPT DEBUG SYNC), or null. */
    private DebugSession debugSession;
    /** DEBUG SET-DISABLE-DENY-SCRIPTS: lets scripts call commands flagged noscript (for tests). */
    private boolean denyScriptDisabled;

    public Scripting(ServerContext server) {
        this.server = server;
        this.eval = new EvalScripts(random);
        this.evalClient = Client.detached(server, eval.replies());
        this.functions = new Functions(random);
        this.functionClient = Client.detached(server, functions.replies());
    }

    public EvalScripts eval() {
        return eval;
    }

    public Functions functions() {
        return functions;
    }

    /** SCRIPT FLUSH: a new interpreter, and so a new client bound to its reply builder. */
    public void flushEval() {
        eval.flush();
        evalClient = Client.detached(server, eval.replies());
    }

    // ---- Running a script for a client

    /**
     * Redis's scriptPrepareForRun, luaCallFunction and scriptResetRun for EVAL: checks what the
     * script's flags require of the server now, runs it with time standing still, and writes its
     * reply.
     *
     * @param readOnlyCommand EVAL_RO / EVALSHA_RO
     */
    public void runEval(Client c, EvalScripts.Script script, byte[][] keys, byte[][] args, boolean readOnlyCommand) {
        ScriptRun run = prepare(script.sha(), script.flags(), true, readOnlyCommand);
        LuaDebugger debugger = debugSession != null && debugSession.client() == c ? debugSession.debugger() : null;
        run(c, run, evalClient, () -> eval.run(script, run, keys, args, c.reply(), debugger));
    }

    // ---- The Lua debugger (SCRIPT DEBUG SYNC)

    /**
     * Redis's evalGenericCommandWithDebugging: runs {@code eval} (the whole EVAL command) as a
     * debugger session of {@code c}. The server serves no one else until it ends; then the
     * session's last logs go out, the client is closed after the EVAL's reply, and the clients that
     * waited are served.
     */
    public void debugEval(Client c, Runnable eval) {
        server.log().warning("Redis synchronous debugging eval session started");
        DebugSession session = new DebugSession(server, c);
        session.debugger(this.eval.debugger(session, c.arg(1)));
        debugSession = session;
        try {
            eval.run();
        } finally {
            session.debugger().end();
            server.log().warning("Redis synchronous debugging eval session ended");
            c.closeAfterReply();
            debugSession = null;
            for (Client waiting : server.clients()) {
                if (waiting != c) {
                    waiting.resumeRequests();
                }
            }
        }
    }

    /** The debugger session holding the server, or null: its client's requests go to it, others' wait. */
    public DebugSession debugSession() {
        return debugSession;
    }

    /** A client has gone: if it is debugging, its script runs on without stopping. */
    public void disconnected(Client c) {
        if (debugSession != null && debugSession.client() == c) {
            debugSession.clientGone();
        }
    }

    /**
     * FCALL and FCALL_RO (fcallCommandGeneric after its checks): the function runs as the function
     * engine's client, its keys and arguments given as its two arguments.
     */
    public void runFunction(Client c, Functions.Function function, byte[][] keys, byte[][] args, boolean readOnlyCommand) {
        ScriptRun run = prepare(function.name(), function.flags(), false, readOnlyCommand);
        run(c, run, functionClient, () -> functions.run(function, run, keys, args, c.reply()));
    }

    /**
     * The checks of scriptPrepareForRun that apply to Respire (no replication or cluster yet), and
     * the run they allow.
     */
    private ScriptRun prepare(String name, int flags, boolean evalMode, boolean readOnlyCommand) {
        if (running != null) {
            // Only a script calling EVAL or FCALL under DEBUG SET-DISABLE-DENY-SCRIPTS gets here (others
            // get BUSY). Redis asserts and dies; an interpreter cannot run inside its own run.
            throw new CommandError("ERR a script cannot run scripts or functions");
        }
        boolean compat = (flags & ScriptFlags.EVAL_COMPAT_MODE) != 0;
        // A stale replica (link down, replica-serve-stale-data no) runs only scripts that allow it;
        // one without a shebang never, though EVAL itself is flagged stale.
        if (server.dispatcher().servesNoStaleData()) {
            if (compat) {
                throw new CommandError(io.respire.server.Errors.MASTERDOWN);
            }
            if ((flags & ScriptFlags.ALLOW_STALE) == 0) {
                throw new CommandError("MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' "
                        + "and 'allow-stale' flag is not set on the script.");
            }
        }
        if (!compat && (flags & ScriptFlags.NO_WRITES) == 0 && readOnlyCommand) {
            throw new CommandError("ERR Can not execute a script with write flag using *_ro command.");
        }
        boolean readOnly = readOnlyCommand || (!compat && (flags & ScriptFlags.NO_WRITES) != 0);
        if (!compat && preCommandOom && server.config().maxmemory.value() != 0
                && (flags & (ScriptFlags.ALLOW_OOM | ScriptFlags.NO_WRITES)) == 0) {
            throw new CommandError("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
        }
        boolean allowOom = !compat && (flags & ScriptFlags.ALLOW_OOM) != 0;
        return new ScriptRun(this, name, evalMode, readOnly, allowOom);
    }

    private interface Body {
        /** Runs the script; returns whether its reply is an error already counted where it arose. */
        boolean run();
    }

    private void run(Client c, ScriptRun run, Client scriptClient, Body body) {
        scriptClient.select(c.dbIndex());
        scriptClient.runAs(c.user()); // the script's commands are checked against its caller's ACL user
        running = run;
        runningClient = scriptClient;
        caller = c;
        server.freezeTime();
        try {
            boolean relayed = body.run();
            if (relayed) {
                c.command().stats().failedCalls++; // an error counted where it arose, but this command failed too
            }
        } finally {
            // Redis's scriptResetRun: a script is propagated by its effects, never as EVAL or FCALL.
            c.preventPropagation();
            server.unfreezeTime();
            running = null;
            runningClient = null;
            caller = null;
            if (run.timedOut()) {
                c.unprotect();
            }
        }
    }

    /** Records whether the command that may run scripts found the server over maxmemory (Redis's pre_command_oom_state). */
    public void preCommandOom(boolean oom) {
        preCommandOom = oom;
    }

    /**
     * Redis's scriptVerifyOOM, for a denyoom command a script calls: refused when the server was
     * over maxmemory as the script's command started, unless the script has allow-oom or has
     * written already (it cannot be stopped halfway).
     */
    public boolean oomRefuses() {
        return running != null && !running.allowOom() && !running.wroteData() && preCommandOom
                && server.config().maxmemory.value() != 0;
    }

    // ---- ScriptHost: what the running script asks of the server

    @Override
    public String call(ScriptRun run, byte[][] argv) {
        Client c = runningClient;
        CommandSpec cmd = server.commands().lookup(argv);
        String rejection = server.dispatcher().check(c, cmd, argv);
        if (rejection != null) {
            server.stats().errorReplied(rejection);
            // Counted as this command's rejection, not as a failure of the script that called it.
            server.stats().errorRepliesAccounted = server.stats().totalErrorReplies;
            if (cmd != null && cmd.implemented()) {
                cmd.stats().rejectedCalls++;
            }
            return rejection;
        }
        if (cmd.has(CommandFlag.WRITE)) {
            run.markWrote();
        }
        // redis.set_repl's bits are Propagation's AOF and REPL: where this command may be propagated.
        server.dispatcher().execute(c, argv, cmd, run.replication());
        return null;
    }

    @Override
    public Boolean permits(ScriptRun run, byte[][] argv) {
        CommandSpec cmd = server.commands().lookup(argv);
        if (cmd == null || !cmd.implemented()) {
            return null;
        }
        if (caller == null || caller.user().unrestricted()) {
            return Boolean.TRUE;
        }
        // Keys are only found in a line of the right length; any other is refused.
        return cmd.arityAccepts(argv.length) && server.acl().check(caller.user(), cmd, argv) == null;
    }

    /**
     * Redis's scriptInterrupt: past busy-reply-threshold the script is timed out, its client waits,
     * and the other clients are served (BUSY to most) every time the hook runs.
     */
    @Override
    public void interrupt(ScriptRun run) {
        if (!run.timedOut()) {
            long threshold = server.config().busyReplyThreshold.value();
            long elapsedMs = (System.nanoTime() - run.startNanos()) / 1_000_000;
            if (threshold <= 0 || elapsedMs < threshold) {
                return;
            }
            server.log().warning("Slow script detected: still in execution after " + elapsedMs
                    + " milliseconds. You can try killing the script using the "
                    + (run.evalMode() ? "SCRIPT KILL" : "FUNCTION KILL") + " command. Script name is: "
                    + run.name() + ".");
            run.timedOut(true);
            caller.protect();
        }
        // Only the executor thread may serve the network; a coroutine's thread just checks for a kill.
        if (server.executor() == null || server.executor().inEventLoop()) {
            server.processEventsWhileBlocked();
        }
    }

    @Override
    public void log(int level, String message) {
        switch (level) {
            case 0 -> server.log().debug(message);
            case 1 -> server.log().verbose(message);
            case 2 -> server.log().notice(message);
            default -> server.log().warning(message);
        }
    }

    // ---- What the rest of the server asks

    /** Whether a script is running past busy-reply-threshold (Redis's scriptIsTimedout). */
    public boolean timedOut() {
        return running != null && running.timedOut();
    }

    /** The BUSY error for a command that may not run while a script is timed out, or null. */
    public String busyRejection(CommandSpec cmd) {
        if (!timedOut() || cmd.has(CommandFlag.ALLOW_BUSY)) {
            return null;
        }
        return running.evalMode() ? BUSY_EVAL : BUSY_FUNCTION;
    }

    /** The BUSY error naming the command that would stop the running script. */
    public String busyErrorOfRunning() {
        return running != null && !running.evalMode() ? BUSY_FUNCTION : BUSY_EVAL;
    }

    /** The script or function running now (its name, mode and start), or null. */
    public ScriptRun running() {
        return running;
    }

    /** The client whose command runs the current script (Redis's script_caller), or null: ACL LOG and tracking name it. */
    public Client caller() {
        return caller;
    }

    /** The arguments of the command that runs the current script (FUNCTION STATS' command), or null. */
    public byte[][] runningCommand() {
        return caller == null ? null : caller.argv();
    }

    /** Whether the running script may not write (EVAL_RO, FCALL_RO, no-writes). */
    public boolean runningReadOnly() {
        return running != null && running.readOnly();
    }

    public boolean denyScriptDisabled() {
        return denyScriptDisabled;
    }

    public void denyScriptDisabled(boolean disabled) {
        this.denyScriptDisabled = disabled;
    }

    /**
     * Redis's SCRIPT KILL and FUNCTION KILL ({@code eval} tells which): stops the running script at
     * its next hook, unless it has written.
     */
    public void kill(boolean evalCommand) {
        if (running == null) {
            throw new CommandError("NOTBUSY No scripts in execution right now.");
        }
        if (running.wroteData()) {
            throw new CommandError("UNKILLABLE Sorry the script already executed write commands against the "
                    + "dataset. You can either wait the script termination or kill the server in a hard way "
                    + "using the SHUTDOWN NOSAVE command.");
        }
        if (evalCommand && !running.evalMode()) {
            throw new CommandError(BUSY_FUNCTION);
        }
        if (!evalCommand && running.evalMode()) {
            throw new CommandError(BUSY_EVAL);
        }
        running.kill();
    }

    /** SHUTDOWN NOSAVE while a script is timed out: the script stops, whatever it did. */
    public void abortForShutdown() {
        if (running != null) {
            running.kill();
        }
    }

    /**
     * The flags a command has for this call (Redis's getCommandFlags): an EVAL of a script that
     * declares flags, or an FCALL, has the flags the script or function declares (no-writes makes
     * it not a write).
     */
    public long commandFlags(Client c, CommandSpec cmd, byte[][] argv) {
        long flags = cmd.flags();
        int id = cmd.id();
        if ((id == CommandId.FCALL || id == CommandId.FCALL_RO) && argv.length >= 2) {
            // fcallGetCommandFlags: a function's flags are always declared (never compatibility mode).
            Functions.Function function = functionByName(argv[1]);
            return function == null ? flags : withScriptFlags(flags, function.flags());
        }
        boolean byBody = id == CommandId.EVAL || id == CommandId.EVAL_RO;
        boolean bySha = id == CommandId.EVALSHA || id == CommandId.EVALSHA_RO;
        if (!(byBody || bySha) || argv.length < 2) {
            return flags;
        }
        int scriptFlags;
        if (bySha) {
            EvalScripts.Script script = scriptBySha(argv[1]);
            if (script == null) {
                return flags;
            }
            scriptFlags = script.flags();
        } else {
            EvalScripts.Script script = eval.cached(argv[1]);
            try {
                scriptFlags = script != null ? script.flags() : ScriptFlags.parseShebang(argv[1]).flags();
            } catch (io.respire.scripting.ScriptException e) {
                return flags;
            }
        }
        return (scriptFlags & ScriptFlags.EVAL_COMPAT_MODE) != 0 ? flags : withScriptFlags(flags, scriptFlags);
    }

    /** The cached script named by an EVALSHA argument, or null. */
    public EvalScripts.Script scriptBySha(byte[] sha) {
        if (sha == lookedUpSha && lookedUpVersion == eval.version()) {
            return lookedUp;
        }
        EvalScripts.Script script = eval.get(sha);
        lookedUpSha = sha;
        lookedUp = script;
        lookedUpVersion = eval.version();
        return script;
    }

    /** The function an FCALL argument names (in any case), or null (Redis's c->cur_script). */
    public Functions.Function functionByName(byte[] name) {
        if (name == lookedUpName && lookedUpFunctionsVersion == functions.version()) {
            return lookedUpFunction;
        }
        Functions.Function function = functions.function(name);
        lookedUpName = name;
        lookedUpFunction = function;
        lookedUpFunctionsVersion = functions.version();
        return function;
    }

    /** Redis's scriptFlagsToCmdFlags. */
    static long withScriptFlags(long flags, int scriptFlags) {
        flags &= ~(CommandFlag.STALE.bit | CommandFlag.DENYOOM.bit | CommandFlag.WRITE.bit | CommandFlag.MAY_REPLICATE.bit);
        if ((scriptFlags & (ScriptFlags.ALLOW_OOM | ScriptFlags.NO_WRITES)) == 0) {
            flags |= CommandFlag.DENYOOM.bit;
        }
        if ((scriptFlags & ScriptFlags.NO_WRITES) == 0) {
            flags |= CommandFlag.WRITE.bit;
        }
        if ((scriptFlags & ScriptFlags.ALLOW_STALE) != 0) {
            flags |= CommandFlag.STALE.bit;
        }
        return flags;
    }
}
