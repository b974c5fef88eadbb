package io.respire.server.commands;

import io.respire.ds.util.Glob;
import io.respire.ds.util.Numbers;
import io.respire.protocol.Reply;
import io.respire.scripting.Functions;
import io.respire.scripting.ScriptException;
import io.respire.scripting.ScriptFlags;
import io.respire.scripting.ScriptRun;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;
import io.respire.server.scripting.Scripting;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * FCALL and the FUNCTION subcommands (Redis's functions.c): libraries of Lua functions loaded
 * with FUNCTION LOAD and called by name. The engine is {@link Functions} in the scripting module;
 * {@link Scripting} runs its functions for the server as it runs EVAL's scripts.
 */
public final class FunctionCommands {
    private FunctionCommands() {
    }

    static void register(CommandTable table) {
        table.register("fcall", c -> fcall(c, false));
        table.register("fcall_ro", c -> fcall(c, true));
        table.register("function|load", FunctionCommands::load);
        table.register("function|delete", FunctionCommands::delete);
        table.register("function|list", FunctionCommands::list);
        table.register("function|stats", FunctionCommands::stats);
        table.register("function|kill", c -> {
            c.server().scripting().kill(false);
            c.reply().ok();
        });
        table.register("function|flush", FunctionCommands::flush);
        table.register("function|dump", FunctionCommands::dump);
        table.register("function|restore", FunctionCommands::restore);
        table.register("function|help", FunctionCommands::help);
    }

    private static Functions functions(Client c) {
        return c.server().scripting().functions();
    }

    private static CommandError syntaxError(Client c) {
        String sub = c.argString(1);
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '"
                + (sub.length() <= 128 ? sub : sub.substring(0, 128)) + "'. Try FUNCTION HELP.");
    }

    /** FCALL function numkeys [key ...] [arg ...], and FCALL_RO. */
    static void fcall(Client c, boolean readOnly) {
        // Fed here so that MONITOR shows the call before the commands the function runs.
        c.server().dispatcher().feedMonitors(c, c.command());
        Functions.Function function = c.server().scripting().functionByName(c.arg(1));
        if (function == null) {
            throw new CommandError("ERR Function not found");
        }
        long numkeys;
        try {
            numkeys = Numbers.parseLong(c.arg(2));
        } catch (NumberFormatException e) {
            throw new CommandError("ERR Bad number of keys provided");
        }
        ScriptingCommands.KeysAndArgs split = ScriptingCommands.keysAndArgs(c, numkeys);
        c.server().scripting().runFunction(c, function, split.keys(), split.args(), readOnly);
    }

    /** FUNCTION LOAD [REPLACE] function-code */
    static void load(Client c) {
        boolean replace = false;
        int i = 2;
        for (; i < c.argc() - 1; i++) {
            if (!c.argIs(i, "REPLACE")) {
                throw new CommandError("ERR Unknown option given: " + cString(c.argString(i)));
            }
            replace = true;
        }
        if (i >= c.argc()) {
            throw new CommandError("ERR Function code is missing");
        }
        String name;
        try {
            name = functions(c).load(c.arg(i), replace, Functions.LOAD_TIMEOUT_MS, c.server().scripting());
        } catch (ScriptException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        c.server().addDirty(1);
        c.reply().bulk(name);
    }

    /** FUNCTION DELETE library-name */
    static void delete(Client c) {
        if (!functions(c).delete(new String(c.arg(2), StandardCharsets.ISO_8859_1))) {
            throw new CommandError("ERR Library not found");
        }
        c.server().addDirty(1);
        c.reply().ok();
    }

    /** FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE] */
    static void list(Client c) {
        boolean withCode = false;
        byte[] pattern = null;
        for (int i = 2; i < c.argc(); i++) {
            if (!withCode && c.argIs(i, "WITHCODE")) {
                withCode = true;
                continue;
            }
            if (pattern == null && c.argIs(i, "LIBRARYNAME")) {
                if (i >= c.argc() - 1) {
                    throw new CommandError("ERR library name argument was not given");
                }
                pattern = c.arg(++i);
                continue;
            }
            throw new CommandError("ERR Unknown argument " + cString(c.argString(i)));
        }
        List<Functions.Library> libraries = new ArrayList<>();
        for (Functions.Library library : functions(c).libraries()) {
            if (pattern == null || Glob.matches(pattern, library.name().getBytes(StandardCharsets.ISO_8859_1), true)) {
                libraries.add(library);
            }
        }
        Reply r = c.reply();
        r.array(libraries.size());
        for (Functions.Library library : libraries) {
            r.map(withCode ? 4 : 3);
            r.bulk("library_name");
            r.bulk(library.name().getBytes(StandardCharsets.ISO_8859_1));
            r.bulk("engine");
            r.bulk(library.engine());
            r.bulk("functions");
            r.array(library.functions().size());
            for (Functions.Function f : library.functions()) {
                r.map(3);
                r.bulk("name");
                r.bulk(f.name().getBytes(StandardCharsets.ISO_8859_1));
                r.bulk("description");
                if (f.description() != null) {
                    r.bulk(f.description());
                } else {
                    r.nullBulk();
                }
                r.bulk("flags");
                List<String> flags = ScriptFlags.names(f.flags());
                r.set(flags.size());
                for (String flag : flags) {
                    r.simple(flag);
                }
            }
            if (withCode) {
                r.bulk("library_code");
                r.bulk(library.code());
            }
        }
    }

    /** FUNCTION STATS: the function running now, if any, and the engine's counts. */
    static void stats(Client c) {
        Scripting scripting = c.server().scripting();
        ScriptRun running = scripting.running();
        if (running != null && running.evalMode()) {
            throw new CommandError("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
        }
        Reply r = c.reply();
        r.map(2);
        r.bulk("running_script");
        if (running == null) {
            r.nullBulk();
        } else {
            r.map(3);
            r.bulk("name");
            r.bulk(running.name());
            r.bulk("command");
            byte[][] command = scripting.runningCommand();
            r.array(command.length);
            for (byte[] arg : command) {
                r.bulk(arg);
            }
            r.bulk("duration_ms");
            r.integer((System.nanoTime() - running.startNanos()) / 1_000_000);
        }
        r.bulk("engines");
        r.map(1);
        r.bulk(Functions.LUA_ENGINE);
        r.map(2);
        r.bulk("libraries_count");
        r.integer(functions(c).statsLibraries());
        r.bulk("functions_count");
        r.integer(functions(c).statsFunctions());
    }

    /** FUNCTION FLUSH [ASYNC | SYNC]: both empty the libraries at once (the garbage collector frees them). */
    static void flush(Client c) {
        if (c.argc() > 3) {
            throw syntaxError(c);
        }
        if (c.argc() == 3 && !c.argIs(2, "SYNC") && !c.argIs(2, "ASYNC")) {
            throw new CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
        functions(c).flush();
        c.server().addDirty(1);
        c.reply().ok();
    }

    /** FUNCTION DUMP: the libraries as a payload for FUNCTION RESTORE, compressed if rdbcompression is on. */
    static void dump(Client c) {
        c.reply().bulk(functions(c).dump(c.server().config().rdbcompression.value()));
    }

    /** FUNCTION RESTORE serialized-value [FLUSH | APPEND | REPLACE] */
    static void restore(Client c) {
        if (c.argc() > 4) {
            throw syntaxError(c);
        }
        Functions.RestorePolicy policy = Functions.RestorePolicy.APPEND;
        if (c.argc() == 4) {
            if (c.argIs(3, "APPEND")) {
                policy = Functions.RestorePolicy.APPEND;
            } else if (c.argIs(3, "REPLACE")) {
                policy = Functions.RestorePolicy.REPLACE;
            } else if (c.argIs(3, "FLUSH")) {
                policy = Functions.RestorePolicy.FLUSH;
            } else {
                throw new CommandError("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
            }
        }
        try {
            functions(c).restore(c.arg(2), policy, false, c.server().scripting());
        } catch (ScriptException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        c.server().addDirty(1);
        c.reply().ok();
    }

    static void help(Client c) {
        Help.reply(c,
                "LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Library description",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
                "      libraries with the new libraries (notice that even on this option there is a chance of failure",
                "      in case of functions name collision with another library).");
    }

    /** An argument as C's %s prints it: up to its first NUL. */
    private static String cString(String text) {
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }
}
