package io.respire.server.config;

import io.respire.ds.util.Numbers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The ordinary kinds of setting, as Redis's generic config types: yes/no booleans, numbers (plain,
 * memory sizes, percentages, octal), strings and enumerations. Settings with a syntax of their own
 * (save, bind, client-output-buffer-limit...) are in {@link SpecialOptions}.
 */
public final class Options {
    private Options() {
    }

    /** A yes/no setting. */
    public static final class Bool extends ConfigOption {
        private final boolean defaultValue;
        private final Consumer<Boolean> validator;
        private volatile boolean value;

        public Bool(String name, String alias, boolean defaultValue, Consumer<Boolean> validator, Flag... flags) {
            super(name, alias, flags);
            this.defaultValue = defaultValue;
            this.validator = validator;
            this.value = defaultValue;
        }

        public boolean value() {
            return value;
        }

        @Override
        public String get() {
            return value ? "yes" : "no";
        }

        @Override
        protected boolean setOne(String text) {
            boolean parsed = parseYesNo(text);
            if (validator != null) {
                validator.accept(parsed);
            }
            boolean changed = parsed != value;
            value = parsed;
            return changed;
        }

        @Override
        protected boolean isDefault() {
            return value == defaultValue;
        }
    }

    static boolean parseYesNo(String text) {
        if (text.equalsIgnoreCase("yes")) {
            return true;
        } else if (text.equalsIgnoreCase("no")) {
            return false;
        }
        throw new IllegalArgumentException("argument must be 'yes' or 'no'");
    }

    /** How a number is written: Redis's INTEGER, MEMORY, MEMORY|PERCENT and OCTAL numeric configs. */
    public enum NumberFormat { INTEGER, MEMORY, MEMORY_OR_PERCENT, OCTAL }

    /**
     * A whole number within bounds. Percentages are kept as negative numbers, as Redis does
     * (maxmemory-clients 10% is -10). An {@code unsigned} number's upper bound is compared and
     * shown as an unsigned 64-bit value (maxmemory goes up to 2^64-1).
     */
    public static final class Number extends ConfigOption {
        private final long min;
        private final long max;
        private final long defaultValue;
        private final NumberFormat format;
        private final boolean unsigned;
        private long clampMin = Long.MIN_VALUE;
        private long clampMax = Long.MAX_VALUE;
        private volatile long value;

        public Number(String name, String alias, long min, long max, long defaultValue, NumberFormat format,
                      boolean unsigned, Flag... flags) {
            super(name, alias, flags);
            this.min = min;
            this.max = max;
            this.defaultValue = defaultValue;
            this.format = format;
            this.unsigned = unsigned;
            this.value = defaultValue;
        }

        /**
         * Accepts values within the bounds but stores them within [low, high], as Redis does for hz
         * ("a hint from the user").
         */
        Number clampedTo(long low, long high) {
            this.clampMin = low;
            this.clampMax = high;
            return this;
        }

        public long value() {
            return value;
        }

        public int intValue() {
            return (int) value;
        }

        /** For a percentage setting: whether the value is a percentage (then {@link #percent()}). */
        public boolean isPercent() {
            return format == NumberFormat.MEMORY_OR_PERCENT && value < 0;
        }

        public long percent() {
            return -value;
        }

        @Override
        public String get() {
            long v = value;
            if (isPercent()) {
                return -v + "%";
            }
            return switch (format) {
                case MEMORY, MEMORY_OR_PERCENT -> Long.toUnsignedString(v);
                case OCTAL -> Long.toOctalString(v);
                case INTEGER -> Long.toString(v);
            };
        }

        @Override
        protected boolean setOne(String text) {
            long parsed = parse(text);
            checkBounds(parsed);
            parsed = Math.max(clampMin, Math.min(clampMax, parsed));
            boolean changed = parsed != value;
            value = parsed;
            return changed;
        }

        private long parse(String text) {
            if (format == NumberFormat.MEMORY || format == NumberFormat.MEMORY_OR_PERCENT) {
                try {
                    return MemoryUnits.parse(text);
                } catch (NumberFormatException e) {
                    // maybe a percentage
                }
            }
            if (format == NumberFormat.MEMORY_OR_PERCENT && text.length() > 1 && text.endsWith("%")) {
                long[] out = new long[1];
                byte[] digits = text.substring(0, text.length() - 1).getBytes(StandardCharsets.ISO_8859_1);
                if (Numbers.parseLong(digits, 0, digits.length, out) && out[0] >= 0) {
                    return -out[0];
                }
            }
            if (format == NumberFormat.OCTAL) {
                Long octal = SpecialOptions.strtoll(text, 8);
                if (octal != null) {
                    return octal;
                }
            }
            if (format == NumberFormat.INTEGER) {
                long[] out = new long[1];
                byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
                if (Numbers.parseLong(bytes, 0, bytes.length, out)) {
                    return out[0];
                }
            }
            throw new IllegalArgumentException(switch (format) {
                case MEMORY_OR_PERCENT -> "argument must be a memory or percent value";
                case MEMORY -> "argument must be a memory value";
                case OCTAL -> "argument couldn't be parsed as an octal number";
                case INTEGER -> "argument couldn't be parsed into an integer";
            });
        }

        private void checkBounds(long v) {
            if (unsigned) {
                if (Long.compareUnsigned(v, max) > 0 || Long.compareUnsigned(v, min) < 0) {
                    throw new IllegalArgumentException("argument must be between " + Long.toUnsignedString(min)
                            + " and " + Long.toUnsignedString(max) + " inclusive");
                }
            } else if (format == NumberFormat.MEMORY_OR_PERCENT && v < 0) {
                if (v < min) {
                    throw new IllegalArgumentException("percentage argument must be less or equal to " + -min);
                }
            } else if (v > max || v < min) {
                boolean octal = format == NumberFormat.OCTAL;
                throw new IllegalArgumentException("argument must be between "
                        + (octal ? Long.toOctalString(min) : Long.toString(min)) + " and "
                        + (octal ? Long.toOctalString(max) : Long.toString(max)) + " inclusive");
            }
        }

        @Override
        protected boolean isDefault() {
            return value == defaultValue;
        }

        @Override
        protected List<String> rewriteLines() {
            long v = value;
            String text;
            if (isPercent()) {
                text = -v + "%";
            } else {
                text = switch (format) {
                    case MEMORY, MEMORY_OR_PERCENT -> MemoryUnits.format(v);
                    case OCTAL -> Long.toOctalString(v);
                    case INTEGER -> Long.toString(v);
                };
            }
            return List.of(name() + " " + text);
        }
    }

    /**
     * A string. Redis keeps some strings as NULL when empty (pidfile, requirepass...): such a value
     * shows as "" but is left out of a rewritten config file.
     */
    public static final class Text extends ConfigOption {
        private final String defaultValue;
        private final boolean emptyIsNull;
        private final Consumer<String> validator;
        private volatile String value;

        public Text(String name, String alias, String defaultValue, boolean emptyIsNull, Consumer<String> validator,
                    Flag... flags) {
            super(name, alias, flags);
            this.defaultValue = defaultValue;
            this.emptyIsNull = emptyIsNull;
            this.validator = validator;
            this.value = defaultValue;
        }

        /** The value, "" when unset. Text is ISO-8859-1: one char per byte of the argument. */
        public String value() {
            String v = value;
            return v == null ? "" : v;
        }

        /** Whether a value is set (for NULL-when-empty strings such as masterauth). */
        public boolean isSet() {
            return value != null;
        }

        @Override
        public String get() {
            return value();
        }

        @Override
        protected boolean setOne(String text) {
            if (validator != null) {
                validator.accept(text);
            }
            String parsed = emptyIsNull && text.isEmpty() ? null : text;
            boolean changed = !Objects.equals(parsed, value);
            value = parsed;
            return changed;
        }

        @Override
        protected boolean isDefault() {
            return Objects.equals(value, defaultValue);
        }

        @Override
        protected List<String> rewriteLines() {
            String v = value;
            return v == null ? List.of() : List.of(name() + " " + ConfigRewriter.repr(v));
        }

        @Override
        protected boolean rewriteForced() {
            return defaultValue == null || !defaultValue.equals(value);
        }
    }

    /**
     * One of a fixed set of words (Redis's enum configs), matched ignoring case. Several words may
     * map to one value (oom-score-adj: yes and relative); the first one is the name shown. A
     * {@code MULTI_ARG} choice is a set of flags (shutdown-on-sigterm "nosave now").
     */
    public static final class Choice extends ConfigOption {
        private final List<String> names;
        private final int[] values;
        private final int defaultValue;
        private final IntConsumer validator;
        private volatile int value;
        /** The text of {@link #value}, kept because the server reads some choices on every command. */
        private volatile String text;

        /** {@code choices} alternates words and their int values: "no", 0, "yes", 1, ... */
        public Choice(String name, String alias, Object[] choices, int defaultValue, IntConsumer validator,
                      Flag... flags) {
            super(name, alias, flags);
            this.names = new ArrayList<>();
            this.values = new int[choices.length / 2];
            for (int i = 0; i < choices.length; i += 2) {
                names.add((String) choices[i]);
                values[i / 2] = (Integer) choices[i + 1];
            }
            this.defaultValue = defaultValue;
            this.validator = validator;
            this.value = defaultValue;
            this.text = get();
        }

        /** Choices whose values are their positions: the common case. */
        static Object[] words(String... words) {
            Object[] choices = new Object[words.length * 2];
            for (int i = 0; i < words.length; i++) {
                choices[2 * i] = words[i];
                choices[2 * i + 1] = i;
            }
            return choices;
        }

        /** The value's name (or names, for flags), lower case: "yes", "local", "nosave now". */
        public String value() {
            return text;
        }

        public int intValue() {
            return value;
        }

        public boolean is(String word) {
            return text.equals(word);
        }

        @Override
        public String get() {
            int v = value;
            boolean flags = has(Flag.MULTI_ARG);
            StringBuilder out = new StringBuilder();
            int unmatched = v;
            for (int i = 0; i < values.length; i++) {
                if (values[i] == v) {
                    return names.get(i);
                }
                if (flags && values[i] != 0 && (unmatched & values[i]) == values[i]) {
                    out.append(out.length() == 0 ? "" : " ").append(names.get(i));
                    unmatched &= ~values[i];
                }
            }
            return out.length() == 0 || unmatched != 0 ? "unknown" : out.toString();
        }

        @Override
        protected boolean setOne(String text) {
            return setMany(List.of(text));
        }

        @Override
        protected boolean setMany(List<String> words) {
            if (words.isEmpty()) {
                throw notAChoice();
            }
            int parsed = 0;
            for (String word : words) {
                boolean matched = false;
                for (int i = 0; i < values.length; i++) {
                    if (names.get(i).equalsIgnoreCase(word)) {
                        parsed |= values[i];
                        matched = true;
                    }
                }
                if (!matched) {
                    throw notAChoice();
                }
            }
            if (validator != null) {
                validator.accept(parsed);
            }
            boolean changed = parsed != value;
            value = parsed;
            text = get();
            return changed;
        }

        private IllegalArgumentException notAChoice() {
            String message = "argument(s) must be one of the following: " + String.join(", ", names);
            return new IllegalArgumentException(message.length() > 255 ? message.substring(0, 255) : message);
        }

        @Override
        protected boolean isDefault() {
            return value == defaultValue;
        }
    }
}
