package io.respire.server.config;

import java.util.List;
import java.util.function.Consumer;

/**
 * One setting, with Redis's name, aliases, text form and rules: what CONFIG GET shows, what CONFIG
 * SET and the config file accept. Subclasses hold the typed value the server reads.
 */
public abstract class ConfigOption {
    /** Redis's config flags that change how an option may be set. */
    public enum Flag { IMMUTABLE, PROTECTED, SENSITIVE, HIDDEN }

    private final String name;
    private final List<String> aliases;
    private final java.util.EnumSet<Flag> flags;
    private Consumer<ConfigOption> onChange = option -> { };

    protected ConfigOption(String name, List<String> aliases, Flag... flags) {
        this.name = name;
        this.aliases = aliases;
        this.flags = flags.length == 0 ? java.util.EnumSet.noneOf(Flag.class) : java.util.EnumSet.of(flags[0], flags);
    }

    public String name() {
        return name;
    }

    public List<String> aliases() {
        return aliases;
    }

    public boolean has(Flag flag) {
        return flags.contains(flag);
    }

    /** The value as CONFIG GET shows it. */
    public abstract String get();

    /**
     * Parses and applies a value; throws IllegalArgumentException with Redis's reason (the part
     * after "argument(s) must be ..." or a full sentence) when the text is not acceptable.
     */
    public final void set(String text) {
        parseAndApply(text);
        onChange.accept(this);
    }

    protected abstract void parseAndApply(String text);

    /** Runs after every successful set (for settings mirrored elsewhere, such as decoder limits). */
    public ConfigOption onChange(Consumer<ConfigOption> listener) {
        this.onChange = listener;
        return this;
    }
}
