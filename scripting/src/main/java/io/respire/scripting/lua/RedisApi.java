package io.respire.scripting.lua;

import io.respire.scripting.ScriptRun;
import io.respire.scripting.lib.CNumbers;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The {@code redis} table scripts see (Redis's luaRegisterRedisAPI and the debugger stubs of
 * eval.c): call and pcall, the reply helpers, sha1hex, log, setresp, set_repl, acl_check_cmd and
 * the constants, with Redis's argument checks and error texts.
 */
final class RedisApi {
    /** REDIS_VERSION and REDIS_VERSION_NUM: the version whose behaviour Respire follows. */
    static final String REDIS_VERSION = "7.0.15";
    static final int REDIS_VERSION_NUM = 0x0007000f;

    private final LuaInterpreter lua;

    private RedisApi(LuaInterpreter lua) {
        this.lua = lua;
    }

    /**
     * A new {@code redis} table bound to {@code lua}'s current run. EVAL's has the debugger stubs
     * and replicate_commands that eval.c adds; the function engine's has not (function_lua.c).
     */
    static ProtectedTable create(LuaInterpreter interpreter, boolean evalEngine) {
        RedisApi api = new RedisApi(interpreter);
        ProtectedTable redis = new ProtectedTable();
        redis.set("call", api.new Call(true));
        redis.set("pcall", api.new Call(false));
        api.addLogAndVersion(redis);
        redis.set("setresp", api.new SetResp());
        redis.set("sha1hex", new Sha1Hex());
        redis.set("error_reply", new ErrorReply());
        redis.set("status_reply", new StatusReply());
        redis.set("set_repl", api.new SetRepl());
        redis.set("REPL_NONE", ScriptRun.REPL_NONE);
        redis.set("REPL_AOF", ScriptRun.REPL_AOF);
        redis.set("REPL_SLAVE", ScriptRun.REPL_REPLICA);
        redis.set("REPL_REPLICA", ScriptRun.REPL_REPLICA);
        redis.set("REPL_ALL", ScriptRun.REPL_ALL);
        redis.set("acl_check_cmd", api.new AclCheckCmd());
        if (evalEngine) {
            redis.set("breakpoint", api.new Breakpoint());
            redis.set("debug", api.new Debug());
            redis.set("replicate_commands", new ReplicateCommands());
        }
        return redis;
    }

    /**
     * Redis's luaRegisterLogFunction and luaRegisterVersion: redis.log, the LOG_* levels and the
     * version, which a library's code may also use while it loads.
     */
    static void addLogAndVersion(LuaInterpreter interpreter, ProtectedTable redis) {
        new RedisApi(interpreter).addLogAndVersion(redis);
    }

    private void addLogAndVersion(ProtectedTable redis) {
        redis.set("log", new Log());
        redis.set("LOG_DEBUG", 0);
        redis.set("LOG_VERBOSE", 1);
        redis.set("LOG_NOTICE", 2);
        redis.set("LOG_WARNING", 3);
        redis.set("REDIS_VERSION_NUM", REDIS_VERSION_NUM);
        redis.set("REDIS_VERSION", REDIS_VERSION);
    }

    /** Raises {@code message} as a Redis error table with the code ERR (luaPushError then luaError). */
    static LuaError raise(String message) {
        return LuaErrors.raise(LuaReplyBuilder.errorTable("ERR " + message, false));
    }

    private ScriptRun requireRun(String function) {
        ScriptRun run = lua.currentRun();
        if (run == null) {
            throw raise(function + " can only be called inside a script invocation");
        }
        return run;
    }

    /**
     * Redis's luaArgsToRedisArgv: strings as they are, numbers as {@code %.17g} (not Lua's lossy
     * {@code %.14g}); anything else is refused. Returns null after pushing nothing when refused.
     */
    static byte[][] argv(Varargs args) {
        int argc = args.narg();
        if (argc == 0) {
            throw raise("Please specify at least one argument for this redis lib call");
        }
        byte[][] argv = new byte[argc][];
        for (int i = 0; i < argc; i++) {
            LuaValue v = args.arg(i + 1);
            if (v.type() == LuaValue.TNUMBER) {
                argv[i] = CNumbers.formatG(v.todouble(), 17).getBytes(StandardCharsets.US_ASCII);
            } else if (v.type() == LuaValue.TSTRING) {
                LuaString s = v.checkstring();
                argv[i] = new byte[s.m_length];
                System.arraycopy(s.m_bytes, s.m_offset, argv[i], 0, s.m_length);
            } else {
                throw raise("Lua redis lib command arguments must be strings or integers");
            }
        }
        return argv;
    }

    /** redis.call (raising) and redis.pcall (returning the error table). */
    private final class Call extends VarArgFunction {
        private final boolean raiseErrors;

        Call(boolean raiseErrors) {
            this.raiseErrors = raiseErrors;
        }

        @Override
        public Varargs invoke(Varargs args) {
            ScriptRun run = requireRun("redis.call/pcall");
            byte[][] argv;
            try {
                argv = argv(args);
            } catch (LuaError e) {
                LuaDebugger debugger = lua.debugger();
                if (debugger != null && debugger.logsCommands()) {
                    // luaPushError's text: the message before raise() put ERR in front
                    debugger.logError(LuaErrors.value(e).get("err").tojstring().substring(4));
                }
                if (raiseErrors) {
                    throw e;
                }
                return LuaErrors.value(e);
            }
            LuaValue reply = lua.runCommand(run, argv);
            if (raiseErrors && reply.istable() && reply.rawget("err").isstring()) {
                throw LuaErrors.raise((LuaTable) reply);
            }
            return reply;
        }
    }

    /** redis.log(level, ...): the arguments that are strings or numbers, joined by spaces. */
    private final class Log extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            int argc = args.narg();
            if (argc < 2) {
                throw raise("redis.log() requires two arguments or more.");
            }
            if (!args.arg1().isnumber()) {
                throw raise("First argument must be a number (log level).");
            }
            int level = (int) args.arg1().todouble();
            if (level < 0 || level > 3) {
                throw raise("Invalid debug level.");
            }
            StringBuilder line = new StringBuilder();
            for (int i = 2; i <= argc; i++) {
                LuaValue v = args.arg(i);
                if (v.isstring()) {
                    if (i != 2) {
                        line.append(' ');
                    }
                    line.append(Lua51Base.plainString(v).tojstring());
                }
            }
            lua.log(level, line.toString());
            return NONE;
        }
    }

    private final class SetResp extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            requireRun("redis.setresp");
            if (args.narg() != 1) {
                throw raise("redis.setresp() requires one argument.");
            }
            int resp = (int) args.arg1().todouble();
            if (resp != 2 && resp != 3) {
                throw raise("RESP version must be 2 or 3.");
            }
            lua.replies().protocol(resp);
            return NONE;
        }
    }

    private final class SetRepl extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            ScriptRun run = requireRun("redis.set_repl");
            if (args.narg() != 1) {
                throw raise("redis.set_repl() requires two arguments.");
            }
            int flags = (int) args.arg1().todouble();
            if ((flags & ~ScriptRun.REPL_ALL) != 0) {
                throw raise("Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
            }
            run.replication(flags);
            return NONE;
        }
    }

    private final class AclCheckCmd extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            ScriptRun run = requireRun("redis.acl_check_cmd");
            Boolean permitted = run.host().permits(run, argv(args));
            if (permitted == null) {
                throw raise("Invalid command passed to redis.acl_check_cmd()");
            }
            return valueOf(permitted);
        }
    }

    /** redis.sha1hex(s): the lower-case hex SHA1 of s, as SCRIPT LOAD names scripts. */
    private static final class Sha1Hex extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() != 1) {
                throw raise("wrong number of arguments");
            }
            LuaValue v = args.arg1();
            LuaString s = v.isstring() ? Lua51Base.plainString(v).checkstring() : LuaValue.EMPTYSTRING;
            byte[] bytes = new byte[s.m_length];
            System.arraycopy(s.m_bytes, s.m_offset, bytes, 0, s.m_length);
            return valueOf(sha1Hex(bytes));
        }
    }

    /** The lower-case hex SHA1 of {@code bytes}. */
    static String sha1Hex(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(bytes);
            char[] hex = new char[40];
            for (int i = 0; i < 20; i++) {
                hex[2 * i] = Character.forDigit((digest[i] >> 4) & 15, 16);
                hex[2 * i + 1] = Character.forDigit(digest[i] & 15, 16);
            }
            return new String(hex);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }

    /** redis.error_reply(msg): an error table, its code taken from the text ("ERR" if it has none). */
    private static final class ErrorReply extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() != 1 || args.arg1().type() != LuaValue.TSTRING) {
                return LuaReplyBuilder.errorTable("ERR wrong number or type of arguments", false);
            }
            String text = args.arg1().tojstring();
            return LuaReplyBuilder.errorTable(errorText(text), false);
        }

        /**
         * luaPushErrorBuff on "-" + text: a code is the text up to its first space; a text with no
         * space at all is a message with the code ERR.
         */
        private static String errorText(String text) {
            String body = text.startsWith("-") ? text.substring(1) : text;
            int space = body.indexOf(' ');
            return space < 0 ? "ERR " + body : body;
        }
    }

    /** redis.status_reply(msg): {ok=msg}. */
    private static final class StatusReply extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() != 1 || args.arg1().type() != LuaValue.TSTRING) {
                return LuaReplyBuilder.errorTable("ERR wrong number or type of arguments", false);
            }
            LuaTable table = new LuaTable(0, 1);
            table.rawset("ok", args.arg1());
            return table;
        }
    }

    /** redis.breakpoint(): stops at the next line in a debugger session (true); false outside one. */
    private final class Breakpoint extends ZeroArgFunction {
        @Override
        public LuaValue call() {
            LuaDebugger debugger = lua.debugger();
            if (debugger == null) {
                return FALSE;
            }
            debugger.breakpoint();
            return TRUE;
        }
    }

    /** redis.debug(...): logs its arguments in a debugger session; nothing outside one. */
    private final class Debug extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaDebugger debugger = lua.debugger();
            if (debugger != null) {
                debugger.debug(args);
            }
            return NONE;
        }
    }

    /** redis.replicate_commands(): always true; scripts are replicated by their effects. */
    private static final class ReplicateCommands extends ZeroArgFunction {
        @Override
        public LuaValue call() {
            return TRUE;
        }
    }

}
