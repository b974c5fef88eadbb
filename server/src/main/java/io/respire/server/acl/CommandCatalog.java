package io.respire.server.acl;

import io.respire.server.command.CommandSpec;
import io.respire.server.command.CommandTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What the ACL rules are written against: every command of the table (implemented or not, as Redis
 * counts every command of its table), by id, with its ACL categories as bits. Redis's category
 * list and order (ACLCommandCategories) decide both ACL CAT and how rules are described.
 */
public final class CommandCatalog {
    /** Redis's ACL categories, in Redis's order. */
    public static final List<String> CATEGORIES = List.of("keyspace", "read", "write", "set", "sortedset", "list",
            "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting");

    private final CommandTable table;
    private final List<CommandSpec> commands;
    private final long[] categoryBits;
    private final int idLimit;

    public CommandCatalog(CommandTable table) {
        this.table = table;
        this.commands = List.copyOf(table.originalCommands());
        int max = 0;
        for (CommandSpec cmd : commands) {
            max = Math.max(max, cmd.id());
            for (CommandSpec sub : cmd.subcommands().values()) {
                max = Math.max(max, sub.id());
            }
        }
        this.idLimit = max + 1;
        this.categoryBits = new long[idLimit];
        for (CommandSpec cmd : commands) {
            categoryBits[cmd.id()] = bitsOf(cmd);
            for (CommandSpec sub : cmd.subcommands().values()) {
                categoryBits[sub.id()] = bitsOf(sub);
            }
        }
    }

    private static long bitsOf(CommandSpec cmd) {
        long bits = 0;
        for (String category : cmd.aclCategories()) {
            bits |= category(category);
        }
        return bits;
    }

    /** The category's bit, by name ignoring case, or 0 if Redis has no such category. */
    public static long category(String name) {
        int i = CATEGORIES.indexOf(name.toLowerCase(Locale.ROOT));
        return i < 0 ? 0 : 1L << i;
    }

    /** The top-level commands, each followed in rule order by its subcommands. */
    public List<CommandSpec> commands() {
        return commands;
    }

    /** One more than the largest command id: the size of a command bitmap. */
    public int idLimit() {
        return idLimit;
    }

    public boolean inCategory(CommandSpec cmd, long category) {
        return (categoryBits[cmd.id()] & category) != 0;
    }

    /**
     * Redis's ACLLookupCommand: "get" or "config|get", strictly (a subcommand of a command without
     * subcommands, or a deeper name, is no command); null if there is none.
     */
    public CommandSpec lookup(String name) {
        int bar = name.indexOf('|');
        CommandSpec spec = table.originalSpec(name); // rename-command does not change what rules name
        if (spec == null || (bar >= 0 && spec.parent() == null)) {
            return null;
        }
        return spec;
    }

    /** The commands (and subcommands) in {@code category}, in table order: ACL CAT's list. */
    public List<String> namesIn(long category) {
        List<String> names = new ArrayList<>();
        for (CommandSpec cmd : commands) {
            if (inCategory(cmd, category)) {
                names.add(cmd.fullName());
            }
            for (CommandSpec sub : cmd.subcommands().values()) {
                if (inCategory(sub, category)) {
                    names.add(sub.fullName());
                }
            }
        }
        return Collections.unmodifiableList(names);
    }
}
