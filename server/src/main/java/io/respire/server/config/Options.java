package io.respire.server.config;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** The kinds of setting: booleans (yes/no), numbers (with memory units), strings and enums. */
public final class Options {
    private Options() {
    }

    public static final class Bool extends ConfigOption {
        private volatile boolean value;

        public Bool(String name, boolean initial, ConfigOption.Flag... flags) {
            super(name, List.of(), flags);
            this.value = initial;
        }

        public boolean value() {
            return value;
        }

        @Override
        public String get() {
            return value ? "yes" : "no";
        }

        @Override
        protected void parseAndApply(String text) {
            switch (text.toLowerCase(Locale.ROOT)) {
                case "yes" -> value = true;
                case "no" -> value = false;
                default -> throw new IllegalArgumentException("argument must be 'yes' or 'no'");
            }
        }
    }

    /** A whole number; {@code memory} ones accept Redis's units (1k, 5mb, 2gb...). */
    public static final class Number extends ConfigOption {
        private final long min;
        private final long max;
        private final boolean memory;
        private volatile long value;

        public Number(String name, long min, long max, long initial, boolean memory, ConfigOption.Flag... flags) {
            this(name, List.of(), min, max, initial, memory, flags);
        }

        public Number(String name, List<String> aliases, long min, long max, long initial, boolean memory,
                      ConfigOption.Flag... flags) {
            super(name, aliases, flags);
            this.min = min;
            this.max = max;
            this.memory = memory;
            this.value = initial;
        }

        public long value() {
            return value;
        }

        public int intValue() {
            return (int) value;
        }

        @Override
        public String get() {
            return Long.toString(value);
        }

        @Override
        protected void parseAndApply(String text) {
            long parsed;
            if (memory) {
                parsed = MemoryUnits.parse(text);
                if (parsed == Long.MIN_VALUE) {
                    throw new IllegalArgumentException("argument must be a memory value");
                }
            } else {
                try {
                    parsed = Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("argument couldn't be parsed into an integer");
                }
            }
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException("argument must be between " + min + " and " + max + " inclusive");
            }
            value = parsed;
        }
    }

    public static final class Text extends ConfigOption {
        private volatile String value;

        public Text(String name, String initial, ConfigOption.Flag... flags) {
            super(name, List.of(), flags);
            this.value = initial;
        }

        public String value() {
            return value;
        }

        @Override
        public String get() {
            return value;
        }

        @Override
        protected void parseAndApply(String text) {
            value = text;
        }
    }

    /** One of a fixed set of words. */
    public static final class Choice extends ConfigOption {
        private final List<String> choices;
        private volatile String value;

        public Choice(String name, List<String> choices, String initial, ConfigOption.Flag... flags) {
            super(name, List.of(), flags);
            this.choices = choices;
            this.value = initial;
        }

        public String value() {
            return value;
        }

        @Override
        public String get() {
            return value;
        }

        @Override
        protected void parseAndApply(String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (!choices.contains(lower)) {
                throw new IllegalArgumentException("argument(s) must be one of the following: " + String.join(", ", choices));
            }
            value = lower;
        }
    }

    /** A setting accepted and shown but with its own parser (save, client-output-buffer-limit...). */
    public static final class Custom extends ConfigOption {
        private final Consumer<String> validator;
        private volatile String value;

        public Custom(String name, String initial, Consumer<String> validator, ConfigOption.Flag... flags) {
            super(name, List.of(), flags);
            this.validator = validator;
            this.value = initial;
        }

        public String value() {
            return value;
        }

        @Override
        public String get() {
            return value;
        }

        @Override
        protected void parseAndApply(String text) {
            validator.accept(text);
            value = text;
        }
    }
}
