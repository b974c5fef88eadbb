package io.respire.server.commands;

import io.respire.ds.util.Glob;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.CommandFlag;
import io.respire.server.command.CommandSpec;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;
import io.respire.server.command.KeyFinder;
import io.respire.server.command.KeySpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * COMMAND and its subcommands, answered from the command table in the shapes of Redis's
 * addReplyCommandInfo, addReplyCommandDocs and addReplyCommandKeySpecs. Only what Respire
 * implements is listed: clients use COMMAND to discover what a server can do, so a command
 * without a handler must look unknown here too.
 */
public final class CommandCommands {
    /** Command flags in the order COMMAND INFO lists them, with their reply names (some are hidden). */
    private static final List<Map.Entry<CommandFlag, String>> FLAG_NAMES = List.of(
            Map.entry(CommandFlag.WRITE, "write"), Map.entry(CommandFlag.READONLY, "readonly"),
            Map.entry(CommandFlag.DENYOOM, "denyoom"), Map.entry(CommandFlag.MODULE, "module"),
            Map.entry(CommandFlag.ADMIN, "admin"), Map.entry(CommandFlag.PUBSUB, "pubsub"),
            Map.entry(CommandFlag.NOSCRIPT, "noscript"), Map.entry(CommandFlag.BLOCKING, "blocking"),
            Map.entry(CommandFlag.LOADING, "loading"), Map.entry(CommandFlag.STALE, "stale"),
            Map.entry(CommandFlag.SKIP_MONITOR, "skip_monitor"), Map.entry(CommandFlag.SKIP_SLOWLOG, "skip_slowlog"),
            Map.entry(CommandFlag.ASKING, "asking"), Map.entry(CommandFlag.FAST, "fast"),
            Map.entry(CommandFlag.NO_AUTH, "no_auth"), Map.entry(CommandFlag.NO_MANDATORY_KEYS, "no_mandatory_keys"),
            Map.entry(CommandFlag.NO_ASYNC_LOADING, "no_async_loading"), Map.entry(CommandFlag.NO_MULTI, "no_multi"),
            Map.entry(CommandFlag.MOVABLE_KEYS, "movablekeys"), Map.entry(CommandFlag.ALLOW_BUSY, "allow_busy"));
    /** Key-spec flags in Redis's reply order, as the specifications spell them, with their reply names. */
    private static final List<Map.Entry<String, String>> KEY_FLAG_NAMES = List.of(
            Map.entry("RO", "RO"), Map.entry("RW", "RW"), Map.entry("OW", "OW"), Map.entry("RM", "RM"),
            Map.entry("ACCESS", "access"), Map.entry("UPDATE", "update"), Map.entry("INSERT", "insert"),
            Map.entry("DELETE", "delete"), Map.entry("NOT_KEY", "not_key"), Map.entry("INCOMPLETE", "incomplete"),
            Map.entry("VARIABLE_FLAGS", "variable_flags"));
    /** ACL categories in Redis's order (the order COMMAND INFO lists a command's categories in). */
    private static final List<String> ACL_CATEGORIES = List.of("keyspace", "read", "write", "set", "sortedset", "list",
            "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting");
    private static final List<String> DOC_FLAGS = List.of("deprecated", "syscmd");
    private static final List<String> ARG_FLAGS = List.of("optional", "multiple", "multiple_token");

    private CommandCommands() {
    }

    static void register(CommandTable table) {
        table.register("command", CommandCommands::command);
        table.register("command|count", CommandCommands::count);
        table.register("command|info", CommandCommands::info);
        table.register("command|docs", CommandCommands::docs);
        table.register("command|list", CommandCommands::list);
        table.register("command|getkeys", c -> getKeys(c, false));
        table.register("command|getkeysandflags", c -> getKeys(c, true));
        table.register("command|help", CommandCommands::help);
    }

    // ---- visibility: what Respire implements

    /** Whether COMMAND shows this command: implemented, or a container with an implemented subcommand. */
    static boolean visible(CommandSpec cmd) {
        return cmd.implemented() || cmd.subcommands().values().stream().anyMatch(CommandSpec::implemented);
    }

    private static List<CommandSpec> visibleCommands(CommandTable table) {
        return table.commands().stream().filter(CommandCommands::visible).toList();
    }

    private static List<CommandSpec> visibleSubcommands(CommandSpec cmd) {
        return cmd.subcommands().values().stream().filter(CommandSpec::implemented).toList();
    }

    /**
     * Redis's lookupCommandBySds: "get" or "config|get" (one level of subcommands), any case;
     * null if unknown or not implemented.
     */
    private static CommandSpec lookupByName(CommandTable table, String name) {
        String[] parts = name.split("\\|", -1);
        if (parts.length > 2) {
            return null;
        }
        CommandSpec base = table.spec(parts[0]);
        if (base == null) {
            return null;
        }
        CommandSpec cmd = parts.length == 1 ? base : base.isContainer() ? base.subcommands().get(lower(parts[1])) : null;
        return cmd != null && visible(cmd) ? cmd : null;
    }

    // ---- COMMAND, COUNT, INFO

    static void command(Client c) {
        List<CommandSpec> all = visibleCommands(c.server().commands());
        c.reply().array(all.size());
        for (CommandSpec cmd : all) {
            replyInfo(c.reply(), cmd);
        }
    }

    static void count(Client c) {
        c.reply().integer(visibleCommands(c.server().commands()).size());
    }

    static void info(Client c) {
        if (c.argc() == 2) {
            command(c);
            return;
        }
        c.reply().array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            CommandSpec cmd = lookupByName(c.server().commands(), c.argString(i));
            if (cmd == null) {
                c.reply().nullBulk();
            } else {
                replyInfo(c.reply(), cmd);
            }
        }
    }

    /** Redis's addReplyCommandInfo: the ten-element description of a command. */
    private static void replyInfo(Reply r, CommandSpec cmd) {
        r.array(10);
        r.bulk(cmd.fullName());
        r.integer(cmd.arity());
        replyFlags(r, FLAG_NAMES.stream().filter(f -> cmd.has(f.getKey())).map(Map.Entry::getValue).toList(), true);
        r.integer(cmd.firstKey());
        r.integer(cmd.lastKey());
        r.integer(cmd.keyStep());
        replyFlags(r, ACL_CATEGORIES.stream().filter(cmd.aclCategories()::contains).map(cat -> "@" + cat).toList(), true);
        List<String> tips = strings(cmd.doc().get("command_tips")).stream().map(CommandCommands::lower).toList();
        replyFlags(r, tips, false);
        replyKeySpecs(r, cmd.keySpecs());
        if (!cmd.isContainer()) {
            r.set(0);
        } else {
            List<CommandSpec> subs = visibleSubcommands(cmd);
            r.array(subs.size());
            for (CommandSpec sub : subs) {
                replyInfo(r, sub);
            }
        }
    }

    /** A set of names, as status replies (flags) or bulk strings (tips). */
    private static void replyFlags(Reply r, List<String> names, boolean status) {
        r.set(names.size());
        for (String name : names) {
            if (status) {
                r.simple(name);
            } else {
                r.bulk(name);
            }
        }
    }

    private static void replyKeyFlags(Reply r, List<String> flags) {
        replyFlags(r, KEY_FLAG_NAMES.stream().filter(f -> flags.contains(f.getKey())).map(Map.Entry::getValue).toList(),
                true);
    }

    /** Redis's addReplyCommandKeySpecs. */
    private static void replyKeySpecs(Reply r, List<KeySpec> specs) {
        r.set(specs.size());
        for (KeySpec spec : specs) {
            r.map(spec.notes() == null ? 3 : 4);
            if (spec.notes() != null) {
                r.bulk("notes");
                r.bulk(spec.notes());
            }
            r.bulk("flags");
            replyKeyFlags(r, spec.flags());
            r.bulk("begin_search");
            r.map(2);
            r.bulk("type");
            switch (spec.begin()) {
                case INDEX -> {
                    r.bulk("index");
                    r.bulk("spec");
                    r.map(1);
                    r.bulk("index");
                    r.integer(spec.beginIndex());
                }
                case KEYWORD -> {
                    r.bulk("keyword");
                    r.bulk("spec");
                    r.map(2);
                    r.bulk("keyword");
                    r.bulk(spec.beginKeyword());
                    r.bulk("startfrom");
                    r.integer(spec.keywordStartFrom());
                }
                case UNKNOWN -> {
                    r.bulk("unknown");
                    r.bulk("spec");
                    r.map(0);
                }
            }
            r.bulk("find_keys");
            r.map(2);
            r.bulk("type");
            switch (spec.find()) {
                case RANGE -> {
                    r.bulk("range");
                    r.bulk("spec");
                    r.map(3);
                    r.bulk("lastkey");
                    r.integer(spec.lastKey());
                    r.bulk("keystep");
                    r.integer(spec.keyStep());
                    r.bulk("limit");
                    r.integer(spec.limit());
                }
                case KEYNUM -> {
                    r.bulk("keynum");
                    r.bulk("spec");
                    r.map(3);
                    r.bulk("keynumidx");
                    r.integer(spec.keyNumIndex());
                    r.bulk("firstkey");
                    r.integer(spec.firstKey());
                    r.bulk("keystep");
                    r.integer(spec.keyStep());
                }
                case UNKNOWN -> {
                    r.bulk("unknown");
                    r.bulk("spec");
                    r.map(0);
                }
            }
        }
    }

    // ---- DOCS

    static void docs(Client c) {
        List<CommandSpec> found = new ArrayList<>();
        if (c.argc() == 2) {
            found.addAll(visibleCommands(c.server().commands()));
        } else {
            for (int i = 2; i < c.argc(); i++) {
                CommandSpec cmd = lookupByName(c.server().commands(), c.argString(i));
                if (cmd != null) {
                    found.add(cmd);
                }
            }
        }
        c.reply().map(found.size());
        for (CommandSpec cmd : found) {
            c.reply().bulk(cmd.fullName());
            replyDocs(c.reply(), cmd);
        }
    }

    /** Redis's addReplyCommandDocs: a map of the documented facts the command has. */
    private static void replyDocs(Reply r, CommandSpec cmd) {
        Map<String, Object> doc = cmd.doc();
        List<String> docFlags = strings(doc.get("doc_flags")).stream().map(CommandCommands::lower).toList();
        List<?> history = doc.get("history") instanceof List<?> h ? h : List.of();
        List<?> args = doc.get("arguments") instanceof List<?> a ? a : List.of();
        String[] texts = {"summary", "since"};
        String[] later = {"deprecated_since", "replaced_by"};
        int pairs = 1 + count(doc, "summary", "since", "complexity", "deprecated_since", "replaced_by")
                + (docFlags.isEmpty() ? 0 : 1) + (history.isEmpty() ? 0 : 1) + (args.isEmpty() ? 0 : 1)
                + (cmd.isContainer() ? 1 : 0);
        r.map(pairs);
        replyTexts(r, doc, texts);
        r.bulk("group");
        r.bulk(String.valueOf(doc.get("group")).replace('_', '-'));
        replyTexts(r, doc, "complexity");
        if (!docFlags.isEmpty()) {
            r.bulk("doc_flags");
            replyFlags(r, DOC_FLAGS.stream().filter(docFlags::contains).toList(), true);
        }
        replyTexts(r, doc, later);
        if (!history.isEmpty()) {
            r.bulk("history");
            r.set(history.size());
            for (Object entry : history) {
                List<String> change = strings(entry);
                r.array(2);
                r.bulk(change.get(0));
                r.bulk(change.get(1));
            }
        }
        if (!args.isEmpty()) {
            r.bulk("arguments");
            replyArguments(r, args);
        }
        if (cmd.isContainer()) {
            List<CommandSpec> subs = visibleSubcommands(cmd);
            r.bulk("subcommands");
            r.map(subs.size());
            for (CommandSpec sub : subs) {
                r.bulk(sub.fullName());
                replyDocs(r, sub);
            }
        }
    }

    private static int count(Map<String, Object> doc, String... keys) {
        return (int) Arrays.stream(keys).filter(k -> text(doc.get(k)) != null).count();
    }

    private static void replyTexts(Reply r, Map<String, Object> doc, String... keys) {
        for (String key : keys) {
            String value = text(doc.get(key));
            if (value != null) {
                r.bulk(key);
                r.bulk(value);
            }
        }
    }

    /** Redis's addReplyCommandArgList: each argument as a map, nested for oneof and block. */
    private static void replyArguments(Reply r, List<?> args) {
        r.array(args.size());
        for (Object o : args) {
            @SuppressWarnings("unchecked")
            Map<String, Object> arg = (Map<String, Object>) o;
            String type = (String) arg.get("type");
            String token = text(arg.get("token"));
            List<String> flags = ARG_FLAGS.stream().filter(f -> Boolean.TRUE.equals(arg.get(f))).toList();
            boolean nested = type.equals("oneof") || type.equals("block");
            int pairs = 2 + (arg.containsKey("key_spec_index") ? 1 : 0) + (token != null ? 1 : 0)
                    + count(arg, "summary", "since", "deprecated_since") + (flags.isEmpty() ? 0 : 1) + (nested ? 1 : 0);
            r.map(pairs);
            r.bulk("name");
            r.bulk(lower((String) arg.get("name")));
            r.bulk("type");
            r.bulk(type);
            if (arg.get("key_spec_index") instanceof Number index) {
                r.bulk("key_spec_index");
                r.integer(index.longValue());
            }
            if (token != null) {
                r.bulk("token");
                r.bulk(token.toUpperCase(Locale.ROOT));
            }
            replyTexts(r, arg, "summary", "since", "deprecated_since");
            if (!flags.isEmpty()) {
                r.bulk("flags");
                replyFlags(r, flags, true);
            }
            if (nested) {
                r.bulk("arguments");
                replyArguments(r, (List<?>) arg.get("arguments"));
            }
        }
    }

    // ---- LIST

    static void list(Client c) {
        String filterType = null;
        String filterArg = null;
        for (int i = 2; i < c.argc(); i++) {
            boolean twoMore = c.argc() - 1 - i == 2;
            if (c.argIs(i, "filterby") && twoMore
                    && (c.argIs(i + 1, "module") || c.argIs(i + 1, "aclcat") || c.argIs(i + 1, "pattern"))) {
                filterType = lower(c.argString(i + 1));
                filterArg = c.argString(i + 2);
                i += 2;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec cmd : visibleCommands(c.server().commands())) {
            if (listed(cmd, filterType, filterArg)) {
                names.add(cmd.fullName());
            }
            for (CommandSpec sub : visibleSubcommands(cmd)) {
                if (listed(sub, filterType, filterArg)) {
                    names.add(sub.fullName());
                }
            }
        }
        c.reply().array(names.size());
        for (String name : names) {
            c.reply().bulk(name);
        }
    }

    /** Redis's shouldFilterFromCommandList, inverted. Respire has no modules, so MODULE matches nothing. */
    private static boolean listed(CommandSpec cmd, String filterType, String filterArg) {
        if (filterType == null) {
            return true;
        }
        return switch (filterType) {
            case "aclcat" -> cmd.aclCategories().contains(lower(filterArg));
            case "pattern" -> Glob.matches(filterArg, cmd.fullName(), true);
            default -> false;
        };
    }

    // ---- GETKEYS, GETKEYSANDFLAGS

    /** Redis's getKeysSubcommandImpl. */
    static void getKeys(Client c, boolean withFlags) {
        byte[][] argv = Arrays.copyOfRange(c.argv(), 2, c.argc());
        CommandSpec cmd = c.server().commands().lookup(argv);
        if (cmd == null || !visible(cmd)) {
            throw new CommandError("ERR Invalid command specified");
        }
        if (!KeyFinder.hasKeys(cmd)) {
            throw new CommandError("ERR The command has no key arguments");
        }
        if (!cmd.arityAccepts(argv.length)) {
            throw new CommandError("ERR Invalid number of arguments specified for command");
        }
        List<KeyFinder.KeyRef> keys = KeyFinder.find(cmd, argv);
        if (keys.isEmpty() && !cmd.has(CommandFlag.NO_MANDATORY_KEYS)) {
            throw new CommandError("ERR Invalid arguments specified for command");
        }
        c.reply().array(keys.size());
        for (KeyFinder.KeyRef key : keys) {
            if (withFlags) {
                c.reply().array(2);
                c.reply().bulk(argv[key.position()]);
                replyKeyFlags(c.reply(), key.flags());
            } else {
                c.reply().bulk(argv[key.position()]);
            }
        }
    }

    static void help(Client c) {
        Help.reply(c,
                "(no subcommand)",
                "    Return details about all Redis commands.",
                "COUNT",
                "    Return the total number of commands in this Redis server.",
                "LIST",
                "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]",
                "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>",
                "    Return the keys from a full Redis command.",
                "GETKEYSANDFLAGS <full-command>",
                "    Return the keys and the access flags from a full Redis command.");
    }

    // ---- helpers for the JSON-derived documentation

    private static String text(Object value) {
        return value instanceof String s && !s.isEmpty() ? s : null;
    }

    private static List<String> strings(Object value) {
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
