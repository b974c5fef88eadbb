package io.respire.server.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry of the command table: the facts of Redis's command specification (arity, flags, key
 * specs, ACL categories, documentation) and, once a command family registers it, the handler.
 * A command without a handler is not implemented and answers as an unknown command.
 */
public final class CommandSpec {
    private final int id;
    private final String name;
    private final String fullName;
    private final CommandSpec parent;
    private final int arity;
    private final long flags;
    private final List<String> flagNames;
    private final Set<String> aclCategories;
    private final List<KeySpec> keySpecs;
    private final Map<String, Object> doc;
    private final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();
    private final byte[] nameBytes;
    private final CommandStats stats = new CommandStats();
    private CommandHandler handler;
    /** Redis's legacy (first key, last key, step) triple, derived from the key specs. */
    private final int firstKey;
    private final int lastKey;
    private final int keyStep;
    private final boolean movableKeys;
    /** The name of Redis's function that finds the keys when the key specs cannot (see KeyFinder), or null. */
    private final String keysFunction;
    /** Whether some key spec names keys (is not NOT_KEY), and whether some has VARIABLE_FLAGS: asked per command. */
    private final boolean keySpecsNameKeys;
    private final boolean variableKeyFlags;
    /** The keys of every call when the specs name one key at a fixed index (GET, SET...), else null. */
    private final List<KeyFinder.KeyRef> fixedKey;

    CommandSpec(int id, String fullName, CommandSpec parent, int arity, List<String> flagNames,
                Set<String> aclCategories, List<KeySpec> keySpecs, Map<String, Object> doc,
                String keysFunction) {
        this.id = id;
        this.keysFunction = keysFunction;
        this.fullName = fullName;
        this.name = parent == null ? fullName : fullName.substring(fullName.indexOf('|') + 1);
        this.parent = parent;
        this.arity = arity;
        long bits = 0;
        for (String f : flagNames) {
            bits |= CommandFlag.valueOf(f).bit;
        }
        this.keySpecs = keySpecs;
        this.keySpecsNameKeys = keySpecs.stream().anyMatch(s -> !s.has("NOT_KEY"));
        this.variableKeyFlags = keySpecs.stream().anyMatch(s -> s.has("VARIABLE_FLAGS"));
        this.fixedKey = KeyFinder.fixedKey(keySpecs);
        int[] legacy = legacyRange(keySpecs);
        this.firstKey = legacy[0];
        this.lastKey = legacy[1];
        this.keyStep = legacy[2];
        this.movableKeys = legacy[3] == 1;
        if (movableKeys) {
            bits |= CommandFlag.MOVABLE_KEYS.bit;
        }
        this.flags = bits;
        List<String> names = new ArrayList<>(flagNames);
        if (movableKeys) {
            names.add("MOVABLE_KEYS");
        }
        this.flagNames = Collections.unmodifiableList(names);
        this.aclCategories = aclCategories;
        this.doc = doc;
        this.nameBytes = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Redis's populateCommandLegacyRangeSpec: the (first key, last key, step) triple of COMMAND INFO,
     * the union of consecutive plain range specs; any spec it cannot express makes the keys movable.
     * Returns {first, last (absolute, or negative from the end), step, movable}.
     */
    private static int[] legacyRange(List<KeySpec> specs) {
        if (specs.isEmpty()) {
            return new int[] {0, 0, 0, 0};
        }
        if (specs.size() == 1 && specs.get(0).begin() == KeySpec.BeginSearch.INDEX && specs.get(0).range()) {
            KeySpec only = specs.get(0);
            int last = only.lastKey() >= 0 ? only.beginIndex() + only.lastKey() : only.lastKey();
            return new int[] {only.beginIndex(), last, only.keyStep(), only.flags().contains("INCOMPLETE") ? 1 : 0};
        }
        int first = Integer.MAX_VALUE;
        int last = 0;
        int previousLast = 0;
        boolean movable = false;
        for (KeySpec spec : specs) {
            if (spec.begin() != KeySpec.BeginSearch.INDEX || !spec.range()) {
                movable = true;
                continue;
            }
            if (spec.keyStep() != 1 || (previousLast != 0 && previousLast != spec.beginIndex() - 1)) {
                movable = true;
                continue;
            }
            if (spec.flags().contains("INCOMPLETE")) {
                movable = true;
            }
            first = Math.min(first, spec.beginIndex());
            int absoluteLast = spec.lastKey() >= 0 ? spec.lastKey() + spec.beginIndex() : spec.lastKey();
            last = Integer.compareUnsigned(last, absoluteLast) >= 0 ? last : absoluteLast; // negatives win, as in Redis
            previousLast = last;
        }
        if (first == Integer.MAX_VALUE) {
            return new int[] {0, 0, 0, 1};
        }
        return new int[] {first, last, 1, movable ? 1 : 0};
    }

    /** The command's stable number: compare it with the constants of {@link CommandId}. */
    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** "get", or "client|kill" for a subcommand (the name in errors and COMMAND replies). */
    public String fullName() {
        return fullName;
    }

    public byte[] nameBytes() {
        return nameBytes;
    }

    public CommandSpec parent() {
        return parent;
    }

    public int arity() {
        return arity;
    }

    public boolean has(CommandFlag flag) {
        return (flags & flag.bit) != 0;
    }

    public long flags() {
        return flags;
    }

    public List<String> flagNames() {
        return flagNames;
    }

    public Set<String> aclCategories() {
        return aclCategories;
    }

    public List<KeySpec> keySpecs() {
        return keySpecs;
    }

    public Map<String, Object> doc() {
        return doc;
    }

    public int firstKey() {
        return firstKey;
    }

    public int lastKey() {
        return lastKey;
    }

    public int keyStep() {
        return keyStep;
    }

    public boolean movableKeys() {
        return movableKeys;
    }

    public String keysFunction() {
        return keysFunction;
    }

    /** Whether some key spec names keys (one that is not NOT_KEY). */
    public boolean keySpecsNameKeys() {
        return keySpecsNameKeys;
    }

    /** The keys of every call when the specs name one key at a fixed index, else null (see KeyFinder). */
    List<KeyFinder.KeyRef> fixedKey() {
        return fixedKey;
    }

    /** Whether some key spec's flags depend on the arguments (VARIABLE_FLAGS): the key function decides. */
    public boolean variableKeyFlags() {
        return variableKeyFlags;
    }

    public Map<String, CommandSpec> subcommands() {
        return subcommands;
    }

    public boolean isContainer() {
        return !subcommands.isEmpty();
    }

    public CommandSpec subcommand(byte[] name) {
        for (CommandSpec sub : subcommands.values()) {
            if (CommandTable.equalsIgnoreCase(sub.nameBytes, name)) {
                return sub;
            }
        }
        return null;
    }

    /** This command's counters for INFO commandstats (per server: each server loads its own table). */
    public CommandStats stats() {
        return stats;
    }

    public CommandHandler handler() {
        return handler;
    }

    public boolean implemented() {
        return handler != null;
    }

    void handler(CommandHandler handler) {
        this.handler = handler;
    }

    /** Whether the arity accepts {@code argc} arguments (the command name included). */
    public boolean arityAccepts(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    /** The argument positions of the keys in {@code argv}, as Redis finds them (see {@link KeyFinder}). */
    public List<Integer> keyPositions(byte[][] argv) {
        List<Integer> positions = new ArrayList<>();
        for (KeyFinder.KeyRef key : KeyFinder.find(this, argv)) {
            positions.add(key.position());
        }
        return positions;
    }

    @Override
    public String toString() {
        return fullName;
    }
}
