package io.respire.server.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * One setting, Redis's {@code standardConfig}: its name and alias, flags, the text CONFIG GET shows,
 * how CONFIG SET and the config file parse it, and the lines CONFIG REWRITE writes for it.
 * Subclasses hold the typed value the server reads; values are volatile because I/O threads read
 * a few of them while the executor thread runs CONFIG SET.
 */
public abstract class ConfigOption {
    /** Redis's config flags that change how an option may be set or shown. */
    public enum Flag {
        /** Only the config file and the command line may set it. */
        IMMUTABLE,
        /** CONFIG SET needs enable-protected-configs. */
        PROTECTED,
        /** A secret: never shown in logs (requirepass, masterauth...). */
        SENSITIVE,
        /** CONFIG GET shows it only when asked for by its exact name. */
        HIDDEN,
        /** Takes several arguments (save, bind...): CONFIG SET splits its value on spaces. */
        MULTI_ARG,
        /** CONFIG SET refuses it with a LOADING error while the dataset loads (dir, appendonly...). */
        DENY_LOADING
    }

    private final String name;
    private final String alias;
    private final EnumSet<Flag> flags;
    private final List<Consumer<ConfigOption>> listeners = new ArrayList<>();

    protected ConfigOption(String name, String alias, Flag... flags) {
        this.name = name;
        this.alias = alias;
        this.flags = flags.length == 0 ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(Arrays.asList(flags));
    }

    public String name() {
        return name;
    }

    /** The old name that still works (hash-max-ziplist-entries, slaveof...), or null. */
    public String alias() {
        return alias;
    }

    public List<String> aliases() {
        return alias == null ? List.of() : List.of(alias);
    }

    public boolean has(Flag flag) {
        return flags.contains(flag);
    }

    /** The value as CONFIG GET shows it. */
    public abstract String get();

    /**
     * Sets the value from the arguments of a config file line (without the name). Single-value
     * options take exactly one argument; the caller checks the count.
     *
     * @return whether the value changed
     * @throws IllegalArgumentException with Redis's reason when the value is not acceptable; the
     *         value is then unchanged
     */
    public final boolean set(List<String> args) {
        return has(Flag.MULTI_ARG) ? setMany(args) : setOne(args.get(0));
    }

    /** Sets the value from one CONFIG SET argument (split on spaces for multi-argument options). */
    public final boolean set(String value) {
        if (!has(Flag.MULTI_ARG)) {
            return setOne(value);
        }
        return setMany(value.isEmpty() ? List.of() : Arrays.asList(value.split(" ", -1)));
    }

    protected boolean setOne(String value) {
        throw new UnsupportedOperationException(name + " takes several arguments");
    }

    protected boolean setMany(List<String> args) {
        throw new UnsupportedOperationException(name + " takes one argument");
    }

    /** Whether the value is the built-in default (CONFIG REWRITE only writes changed ones). */
    protected abstract boolean isDefault();

    /**
     * The lines CONFIG REWRITE writes for this option, each starting with the name. An empty list
     * means the option must not appear in the file at all.
     */
    protected List<String> rewriteLines() {
        return List.of(name + " " + get());
    }

    /** Whether CONFIG REWRITE must write the lines even when the file did not mention the option. */
    protected boolean rewriteForced() {
        return !isDefault();
    }

    /** One line CONFIG REWRITE writes, and whether to write it even where the file had no such option. */
    protected record RewriteLine(String text, boolean forced) {
    }

    /** What CONFIG REWRITE writes for this option. */
    protected List<RewriteLine> rewrite() {
        boolean forced = rewriteForced();
        List<RewriteLine> out = new ArrayList<>();
        for (String line : rewriteLines()) {
            out.add(new RewriteLine(line, forced));
        }
        return out;
    }

    /**
     * Adds code to run after CONFIG SET changed this option (to resize a buffer, rebind a port...).
     * A listener may throw IllegalArgumentException with a reason: CONFIG SET then restores every
     * value it set and replies with the error.
     */
    public ConfigOption onChange(Consumer<ConfigOption> listener) {
        listeners.add(listener);
        return this;
    }

    void applyChange() {
        for (Consumer<ConfigOption> listener : listeners) {
            listener.accept(this);
        }
    }

    @Override
    public String toString() {
        return name + "=" + get();
    }
}
