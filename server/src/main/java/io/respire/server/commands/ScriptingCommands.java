package io.respire.server.commands;

import io.respire.scripting.EvalScripts;
import io.respire.scripting.ScriptException;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;
import io.respire.server.scripting.Scripting;

import java.util.Arrays;

/**
 * EVAL and SCRIPT (Redis's eval.c): Lua scripts sent whole or by the SHA1 of a script loaded
 * before. The engine lives in the scripting module; {@link Scripting} runs it for the server.
 */
public final class ScriptingCommands {
    static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

    private ScriptingCommands() {
    }

    static void register(CommandTable table) {
        table.register("eval", c -> eval(c, false));
        table.register("eval_ro", c -> eval(c, true));
        table.register("evalsha", c -> evalsha(c, false));
        table.register("evalsha_ro", c -> evalsha(c, true));
        table.register("script|load", ScriptingCommands::scriptLoad);
        table.register("script|exists", ScriptingCommands::scriptExists);
        table.register("script|flush", ScriptingCommands::scriptFlush);
        table.register("script|kill", c -> {
            c.server().scripting().kill(true);
            c.reply().ok();
        });
        table.register("script|debug", ScriptingCommands::scriptDebug);
        table.register("script|help", ScriptingCommands::scriptHelp);
    }

    /** EVAL script numkeys [key ...] [arg ...] */
    static void eval(Client c, boolean readOnly) {
        // Fed here so that MONITOR shows the script before the commands it calls.
        c.server().dispatcher().feedMonitors(c, c.command());
        if (c.luaDebug()) {
            c.server().scripting().debugEval(c, () -> evalScript(c, readOnly));
        } else {
            evalScript(c, readOnly);
        }
    }

    private static void evalScript(Client c, boolean readOnly) {
        EvalScripts.Script script;
        try {
            script = c.server().scripting().eval().load(c.arg(1));
        } catch (ScriptException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        run(c, script, readOnly);
    }

    /** EVALSHA sha1 numkeys [key ...] [arg ...] */
    static void evalsha(Client c, boolean readOnly) {
        c.server().dispatcher().feedMonitors(c, c.command());
        if (c.luaDebug() && c.arg(1).length == 40) {
            // The debugger shows the source, which only EVAL carries (any other length: NOSCRIPT first).
            throw new CommandError("ERR Please use EVAL instead of EVALSHA for debugging");
        }
        EvalScripts.Script script = c.server().scripting().scriptBySha(c.arg(1));
        if (script == null) {
            throw new CommandError(NOSCRIPT);
        }
        run(c, script, readOnly);
    }

    private static void run(Client c, EvalScripts.Script script, boolean readOnly) {
        KeysAndArgs split = keysAndArgs(c, Args.longArg(c, 2));
        c.server().scripting().runEval(c, script, split.keys(), split.args(), readOnly);
    }

    /** The keys and the other arguments of EVAL or FCALL: {@code numkeys} arguments after the third are keys. */
    record KeysAndArgs(byte[][] keys, byte[][] args) {
    }

    /** Checks {@code numkeys} (EVAL's and FCALL's texts) and splits the arguments after it. */
    static KeysAndArgs keysAndArgs(Client c, long numkeys) {
        if (numkeys > c.argc() - 3) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        if (numkeys < 0) {
            throw new CommandError("ERR Number of keys can't be negative");
        }
        int firstArg = 3 + (int) numkeys;
        return new KeysAndArgs(Arrays.copyOfRange(c.argv(), 3, firstArg), Arrays.copyOfRange(c.argv(), firstArg, c.argc()));
    }

    /** SCRIPT LOAD script: compiles and caches it; replies its SHA1. */
    static void scriptLoad(Client c) {
        try {
            c.reply().bulk(c.server().scripting().eval().load(c.arg(2)).sha());
        } catch (ScriptException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
    }

    /** SCRIPT EXISTS sha1 [sha1 ...] */
    static void scriptExists(Client c) {
        c.reply().array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            c.reply().integer(c.server().scripting().eval().exists(c.argString(i)) ? 1 : 0);
        }
    }

    /**
     * SCRIPT FLUSH [ASYNC|SYNC]: both forget every script at once (the old interpreter is left to
     * the garbage collector, which is what ASYNC asks for).
     */
    static void scriptFlush(Client c) {
        if (c.argc() > 3 || (c.argc() == 3 && !c.argIs(2, "SYNC") && !c.argIs(2, "ASYNC"))) {
            throw new CommandError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        c.server().scripting().flushEval();
        c.reply().ok();
    }

    /**
     * SCRIPT DEBUG YES|SYNC|NO. SYNC debugs the client's next EVAL with the server held (Redis's
     * synchronous mode). YES is refused: Redis forks a child for the session so that the script's
     * writes are thrown away, and Respire has no fork; running it as SYNC would keep them.
     */
    static void scriptDebug(Client c) {
        if (c.bufferedReplyBytes() > 0) {
            // Redis's clientHasPendingReplies: the debugger's logs would overtake those replies.
            throw new CommandError("ERR SCRIPT DEBUG must be called outside a pipeline");
        }
        if (c.argIs(2, "NO")) {
            c.luaDebug(false);
        } else if (c.argIs(2, "SYNC")) {
            c.luaDebug(true);
        } else if (c.argIs(2, "YES")) {
            throw new CommandError("ERR SCRIPT DEBUG YES is not supported by Respire: it forks to discard the "
                    + "script's writes, and Respire has no fork. Use SCRIPT DEBUG SYNC (writes are kept)");
        } else {
            throw new CommandError("ERR Use SCRIPT DEBUG YES/SYNC/NO");
        }
        c.reply().ok();
    }

    static void scriptHelp(Client c) {
        Help.reply(c,
                "DEBUG (YES|SYNC|NO)",
                "    Set the debug mode for subsequent scripts executed.",
                "EXISTS <sha1> [<sha1> ...]",
                "    Return information about the existence of the scripts in the script cache.",
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the scripts cache.",
                "    * SYNC: Synchronously flush the scripts cache.",
                "KILL",
                "    Kill the currently executing Lua script.",
                "LOAD <script>",
                "    Load a script into the scripts cache without executing it.");
    }


}
