package io.respire.server.commands;

import io.respire.ds.util.Glob;
import io.respire.server.Client;
import io.respire.server.CommandDispatcher;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;
import io.respire.server.config.ConfigFile;
import io.respire.server.config.ConfigOption;
import io.respire.server.config.ConfigRewriter;
import io.respire.server.config.ConfigSetException;
import io.respire.server.config.ServerConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CONFIG GET, SET, RESETSTAT, REWRITE and HELP (Redis's config.c). The settings, their parsing and
 * the all-or-nothing SET live in {@link ServerConfig}; this class reads the arguments and replies.
 */
public final class ConfigCommands {
    private ConfigCommands() {
    }

    static void register(CommandTable table) {
        table.register("config|get", ConfigCommands::get);
        table.register("config|set", ConfigCommands::set);
        table.register("config|resetstat", ConfigCommands::resetstat);
        table.register("config|rewrite", ConfigCommands::rewrite);
        table.register("config|help", ConfigCommands::help);
    }

    /**
     * CONFIG GET pattern [pattern ...]: a map of every setting whose name or alias matches, each
     * once. A plain name is looked up (hidden settings included) and shown as typed; a pattern
     * matches every name and alias except hidden ones.
     */
    static void get(Client c) {
        ServerConfig config = c.server().config();
        Map<String, Map.Entry<String, ConfigOption>> matches = new LinkedHashMap<>();
        for (int i = 2; i < c.argc(); i++) {
            String pattern = c.argString(i);
            if (!isPattern(pattern)) {
                ConfigOption option = config.option(pattern);
                if (option != null) {
                    matches.putIfAbsent(lower(pattern), Map.entry(pattern, option));
                }
                continue;
            }
            for (Map.Entry<String, ConfigOption> entry : config.namesAndAliases().entrySet()) {
                if (!entry.getValue().has(ConfigOption.Flag.HIDDEN) && !matches.containsKey(entry.getKey())
                        && Glob.matches(pattern, entry.getKey(), true)) {
                    matches.put(entry.getKey(), entry);
                }
            }
        }
        c.reply().map(matches.size());
        for (Map.Entry<String, ConfigOption> match : matches.values()) {
            c.reply().bulk(match.getKey().getBytes(StandardCharsets.ISO_8859_1));
            c.reply().bulk(match.getValue().get().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static boolean isPattern(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0;
    }

    /** CONFIG SET name value [name value ...]: all or nothing, with Redis's errors. */
    static void set(Client c) {
        if (c.argc() % 2 != 0) {
            throw new CommandError(Errors.SYNTAX);
        }
        List<String> pairs = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) {
            pairs.add(c.argString(i));
        }
        ServerConfig config = c.server().config();
        boolean protectedAllowed = CommandDispatcher.allowProtected(config.enableProtectedConfigs.value(), c);
        try {
            config.setAll(pairs, protectedAllowed, c.server().snapshots().loader().loading());
        } catch (ConfigSetException e) {
            throw new CommandError(e.getMessage());
        }
        c.reply().ok();
    }

    /**
     * Whether argument {@code i} of a CONFIG SET command line is the value of a secret setting
     * (requirepass, masterauth...), which MONITOR and the slow log must show as "(redacted)".
     */
    public static boolean isSecretValue(ServerConfig config, byte[][] argv, int i) {
        if (i < 3 || i % 2 == 0) {
            return false;
        }
        ConfigOption option = config.option(new String(argv[i - 1], StandardCharsets.ISO_8859_1));
        return option != null && option.has(ConfigOption.Flag.SENSITIVE);
    }

    static void resetstat(Client c) {
        c.server().resetStats();
        c.reply().ok();
    }

    static void rewrite(Client c) {
        if (c.server().config().configFile() == null) {
            throw new CommandError("ERR The server is running without a config file");
        }
        rewrite(c, false, "ERR Rewriting config file: ");
    }

    /**
     * DEBUG CONFIG-REWRITE-FORCE-ALL: CONFIG REWRITE writing every option, defaults included.
     * Redis does not check for a config file here; its open of no path fails with EFAULT.
     */
    static void rewriteForceAll(Client c) {
        if (c.server().config().configFile() == null) {
            throw new CommandError("ERR CONFIG-REWRITE-FORCE-ALL failed: Bad address");
        }
        rewrite(c, true, "ERR CONFIG-REWRITE-FORCE-ALL failed: ");
    }

    private static void rewrite(Client c, boolean forceAll, String failure) {
        ServerConfig config = c.server().config();
        try {
            ConfigRewriter.rewrite(config, config.configFile(), forceAll);
        } catch (IOException e) {
            throw new CommandError(failure + ConfigFile.ioReason(e));
        }
        c.reply().ok();
    }

    static void help(Client c) {
        Help.reply(c,
                "GET <pattern>",
                "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>",
                "    Set the configuration <directive> to <value>.",
                "RESETSTAT",
                "    Reset statistics reported by the INFO command.",
                "REWRITE",
                "    Rewrite the configuration file.");
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
