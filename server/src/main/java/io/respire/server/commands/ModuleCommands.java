package io.respire.server.commands;

import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;

/**
 * MODULE HELP / LIST / LOAD / LOADEX / UNLOAD (Redis's moduleCommand), for a server that loads
 * no modules: Redis modules are native libraries built against Redis's C module API, which a JVM
 * cannot host. LIST answers the empty list a Redis without modules answers (tools and client
 * libraries ask it to detect RedisJSON or RediSearch); LOAD and LOADEX fail as a module that does
 * not load fails in Redis, with the reason in the log; UNLOAD finds no module. As in Redis, MODULE
 * is refused unless enable-module-command allows it (the dispatcher's check).
 */
public final class ModuleCommands {
    private ModuleCommands() {
    }

    static void register(CommandTable table) {
        table.register("module|help", ModuleCommands::help);
        table.register("module|list", c -> c.reply().array(0));
        table.register("module|load", ModuleCommands::load);
        table.register("module|loadex", ModuleCommands::load);
        table.register("module|unload", c -> {
            throw new CommandError("ERR Error unloading module: no such module with that name");
        });
    }

    /** MODULE LOAD path [arg ...] and LOADEX path [CONFIG name value ...] [ARGS arg ...]: never loads. */
    static void load(Client c) {
        c.server().log().warning("Module " + c.argString(2) + " failed to load: Respire cannot load Redis modules "
                + "(native libraries built against Redis's module API)");
        throw new CommandError("ERR Error loading the extension. Please check the server logs.");
    }

    static void help(Client c) {
        Help.reply(c,
                "LIST",
                "    Return a list of loaded modules.",
                "LOAD <path> [<arg> ...]",
                "    Load a module library from <path>, passing to it any optional arguments.",
                "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
                "    Load a module library from <path>, while passing it module configurations and optional arguments.",
                "UNLOAD <name>",
                "    Unload a module.");
    }
}
