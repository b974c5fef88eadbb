package io.respire.server.command;

import io.respire.server.util.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command table: every Redis 7.0 command, loaded from {@code commands.json}, which
 * tools/gen-command-table.py generates from Redis's command specifications. Arity checks, key
 * extraction, flags and the COMMAND replies all read this one table. Command families attach their
 * handlers with {@link #register}; the rest stay unimplemented.
 */
public final class CommandTable {
    private static final String RESOURCE = "/io/respire/server/command/commands.json";

    /** Every command by its own name (Redis's orig_commands): what ACL rules name. */
    private final Map<String, CommandSpec> byName = new LinkedHashMap<>();
    /**
     * The commands by the names clients call them (Redis's server.commands): their own, unless a
     * rename-command line renamed or removed them.
     */
    private final Map<String, CommandSpec> byCurrentName = new LinkedHashMap<>();
    /**
     * Open-addressing index of {@link #byCurrentName} by case-folded name, so lookups need no
     * String per request: the names, and at the same slot the command.
     */
    private byte[][] indexNames = new byte[1024][];
    private CommandSpec[] indexSpecs = new CommandSpec[1024];

    private CommandTable() {
    }

    /** Loads the table generated from Redis's specifications. */
    public static CommandTable load() {
        try (InputStream in = CommandTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE);
            }
            CommandTable table = new CommandTable();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> commands = (List<Map<String, Object>>) Json.parse(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
            for (Map<String, Object> command : commands) {
                CommandSpec spec = specOf(command, null);
                table.byName.put(spec.name(), spec);
                table.byCurrentName.put(spec.name(), spec);
            }
            table.reindex();
            return table;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the command table", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static CommandSpec specOf(Map<String, Object> json, CommandSpec parent) {
        String name = (String) json.get("name");
        int arity = ((Long) json.get("arity")).intValue();
        List<String> flags = (List<String>) json.getOrDefault("command_flags", List.of());
        List<String> acl = (List<String>) json.getOrDefault("acl_categories", List.of());
        List<KeySpec> keySpecs = new ArrayList<>();
        for (Map<String, Object> ks : (List<Map<String, Object>>) json.getOrDefault("key_specs", List.of())) {
            keySpecs.add(keySpecOf(ks));
        }
        Map<String, Object> doc = new LinkedHashMap<>(json);
        doc.remove("subcommands");
        doc.remove("id");
        int id = ((Long) json.get("id")).intValue();
        CommandSpec spec = new CommandSpec(id, name, parent, arity, flags, aclCategories(flags, acl),
                Collections.unmodifiableList(keySpecs), doc, (String) json.get("get_keys_function"));
        for (Map<String, Object> sub : (List<Map<String, Object>>) json.getOrDefault("subcommands", List.of())) {
            CommandSpec child = specOf(sub, spec);
            spec.subcommands().put(child.name(), child);
        }
        return spec;
    }

    /** The declared categories plus the ones Redis derives from flags (setImplicitACLCategories). */
    private static Set<String> aclCategories(List<String> flags, List<String> declared) {
        Set<String> categories = new LinkedHashSet<>();
        for (String c : declared) {
            categories.add(c.toLowerCase(java.util.Locale.ROOT));
        }
        if (flags.contains("WRITE")) {
            categories.add("write");
        }
        if (flags.contains("READONLY") && !categories.contains("scripting")) {
            categories.add("read");
        }
        if (flags.contains("ADMIN")) {
            categories.add("admin");
            categories.add("dangerous");
        }
        if (flags.contains("PUBSUB")) {
            categories.add("pubsub");
        }
        if (flags.contains("FAST")) {
            categories.add("fast");
        }
        if (flags.contains("BLOCKING")) {
            categories.add("blocking");
        }
        if (!categories.contains("fast")) {
            categories.add("slow");
        }
        return Collections.unmodifiableSet(categories);
    }

    @SuppressWarnings("unchecked")
    private static KeySpec keySpecOf(Map<String, Object> ks) {
        Map<String, Object> begin = (Map<String, Object>) ks.get("begin_search");
        Map<String, Object> find = (Map<String, Object>) ks.get("find_keys");
        KeySpec.BeginSearch beginType = KeySpec.BeginSearch.UNKNOWN;
        int beginIndex = 0;
        String keyword = null;
        int startFrom = 0;
        if (begin.get("index") instanceof Map<?, ?> index) {
            beginType = KeySpec.BeginSearch.INDEX;
            beginIndex = intOf(index.get("pos"));
        } else if (begin.get("keyword") instanceof Map<?, ?> kw) {
            beginType = KeySpec.BeginSearch.KEYWORD;
            keyword = (String) kw.get("keyword");
            startFrom = intOf(kw.get("startfrom"));
        }
        KeySpec.FindKeys findType = KeySpec.FindKeys.UNKNOWN;
        int lastKey = 0;
        int step = 0;
        int limit = 0;
        int keyNumIdx = 0;
        int firstKey = 0;
        if (find.get("range") instanceof Map<?, ?> r) {
            findType = KeySpec.FindKeys.RANGE;
            lastKey = intOf(r.get("lastkey"));
            step = intOf(r.get("step"));
            limit = intOf(r.get("limit"));
        } else if (find.get("keynum") instanceof Map<?, ?> k) {
            findType = KeySpec.FindKeys.KEYNUM;
            keyNumIdx = intOf(k.get("keynumidx"));
            firstKey = intOf(k.get("firstkey"));
            step = intOf(k.get("step"));
        }
        return new KeySpec((List<String>) ks.getOrDefault("flags", List.of()), (String) ks.get("notes"),
                beginType, beginIndex, keyword, startFrom, findType, lastKey, step, limit, keyNumIdx, firstKey);
    }

    private static int intOf(Object o) {
        return o == null ? 0 : ((Number) o).intValue();
    }

    /** Attaches an implementation to a command (or "container|sub" subcommand) of the table. */
    public void register(String name, CommandHandler handler) {
        CommandSpec spec = originalSpec(name);
        if (spec == null) {
            throw new IllegalArgumentException("no such command in the table: " + name);
        }
        spec.handler(handler);
    }

    /**
     * Redis's rename-command: the command called {@code from} is called {@code to} from now on, or
     * no longer exists if {@code to} is empty. Its own name stays what COMMAND, INFO commandstats
     * and ACL rules show. Top-level commands only, as in Redis.
     *
     * @throws IllegalArgumentException with Redis's reason if there is no such command or the new
     *         name is taken
     */
    public void rename(String from, String to) {
        String name = lower(from);
        String newName = lower(to);
        CommandSpec spec = byCurrentName.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("No such command in rename-command");
        }
        if (!to.isEmpty() && !newName.equals(name) && byCurrentName.containsKey(newName)) {
            throw new IllegalArgumentException("Target command name already exists");
        }
        byCurrentName.remove(name);
        if (!to.isEmpty()) {
            byCurrentName.put(newName, spec);
        }
        reindex();
    }

    /**
     * The spec that "get" or "client|kill" names, implemented or not, by the names clients call
     * commands (see {@link #rename}); null if there is no such command.
     */
    public CommandSpec spec(String name) {
        return spec(byCurrentName, name);
    }

    /** As {@link #spec}, by the commands' own names, whatever rename-command did: for ACL rules. */
    public CommandSpec originalSpec(String name) {
        return spec(byName, name);
    }

    private static CommandSpec spec(Map<String, CommandSpec> names, String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            return names.get(lower(name));
        }
        CommandSpec parent = names.get(lower(name.substring(0, bar)));
        return parent == null ? null : parent.subcommands().get(lower(name.substring(bar + 1)));
    }

    /** The commands clients can call: all of them, but those a rename-command line removed. */
    public Collection<CommandSpec> commands() {
        return byCurrentName.values();
    }

    /** Every command, removed by rename-command or not: what ACL categories hold. */
    public Collection<CommandSpec> originalCommands() {
        return byName.values();
    }

    /** ASCII letters only, as Redis compares command names (and as {@link #lookup} folds them). */
    private static String lower(String name) {
        StringBuilder s = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            s.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : ch);
        }
        return s.toString();
    }

    /** The top-level command named by {@code name}, case-insensitively, or null. */
    public CommandSpec lookup(byte[] name) {
        int mask = indexNames.length - 1;
        for (int i = hash(name) & mask; ; i = (i + 1) & mask) {
            byte[] candidate = indexNames[i];
            if (candidate == null) {
                return null;
            }
            if (equalsIgnoreCase(candidate, name)) {
                return indexSpecs[i];
            }
        }
    }

    /**
     * Redis's lookupCommand: the command, or for a container command given a second argument, its
     * subcommand (null if it has no such subcommand).
     */
    public CommandSpec lookup(byte[][] argv) {
        CommandSpec base = lookup(argv[0]);
        if (base == null || !base.isContainer() || argv.length < 2) {
            return base;
        }
        return base.subcommand(argv[1]);
    }

    private void reindex() {
        int size = indexNames.length;
        indexNames = new byte[size][];
        indexSpecs = new CommandSpec[size];
        int mask = size - 1;
        for (Map.Entry<String, CommandSpec> e : byCurrentName.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
            int i = hash(name) & mask;
            while (indexNames[i] != null) {
                i = (i + 1) & mask;
            }
            indexNames[i] = name;
            indexSpecs[i] = e.getValue();
        }
    }

    private static int hash(byte[] name) {
        int h = 0;
        for (byte b : name) {
            h = 31 * h + (b | 0x20);
        }
        return h ^ (h >>> 16);
    }

    static boolean equalsIgnoreCase(byte[] lowerCase, byte[] other) {
        if (lowerCase.length != other.length) {
            return false;
        }
        for (int i = 0; i < other.length; i++) {
            byte b = other[i];
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }
}
