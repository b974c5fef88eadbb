package io.respire.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The list-valued special settings: what CONFIG SET (one argument split on spaces) and the config
 * file (separate arguments) accept, the errors as Redis 7.0.15's config.c words them, what CONFIG
 * GET shows and what CONFIG REWRITE writes.
 */
class SpecialOptionsTest {
    private final ServerConfig config = new ServerConfig();

    /** CONFIG SET's reason for refusing {@code value}; the value must then be unchanged. */
    private static String error(ConfigOption option, String value) {
        String before = option.get();
        String reason = assertThrows(IllegalArgumentException.class, () -> option.set(value)).getMessage();
        assertEquals(before, option.get(), "a refused value must change nothing");
        return reason;
    }

    /** The lines CONFIG REWRITE writes, each followed by " (forced)" if written even when absent. */
    private static List<String> rewrite(ConfigOption option) {
        List<String> lines = new ArrayList<>();
        for (ConfigOption.RewriteLine line : option.rewrite()) {
            lines.add(line.text() + (line.forced() ? " (forced)" : ""));
        }
        return lines;
    }

    @Test
    void oomScoreAdjValuesAreThreeNumbersWithinBounds() {
        ConfigOption o = config.oomScoreAdjValues;
        assertEquals("0 200 800", o.get());
        assertEquals(List.of("oom-score-adj-values 0 200 800"), rewrite(o));
        assertTrue(o.set("-2000 +5 2000"));
        assertEquals("-2000 5 2000", o.get());
        assertEquals(List.of(-2000, 5, 2000), config.oomScoreAdjValues.values());
        assertFalse(o.set("-2000 5 2000"));
        assertEquals(List.of("oom-score-adj-values -2000 5 2000 (forced)"), rewrite(o));
        assertTrue(o.set(List.of("1", "2", "3")));
        assertEquals("1 2 3", o.get());

        assertEquals("wrong number of arguments", error(o, "1 2"));
        assertEquals("wrong number of arguments", error(o, "1 2 3 4"));
        assertEquals("wrong number of arguments", error(o, ""));
        assertEquals("wrong number of arguments", error(o, "1  2 3"));
        String range = "Invalid oom-score-adj-values, elements must be between -2000 and 2000.";
        assertEquals(range, error(o, "1 2 x"));
        assertEquals(range, error(o, "-2001 0 0"));
        assertEquals(range, error(o, "0 0 2001"));
        assertEquals(range, error(o, "0 0 1.5"));
        assertTrue(o.set("0 200 800"));
        assertEquals(List.of("oom-score-adj-values 0 200 800"), rewrite(o));
    }

    @Test
    void latencyPercentilesAreNumbersFromZeroToHundred() {
        ConfigOption o = config.latencyTrackingInfoPercentiles;
        assertEquals("50 99 99.9", o.get());
        assertEquals(List.of("latency-tracking-info-percentiles 50 99 99.9 (forced)"), rewrite(o));
        assertTrue(o.set("99.99 1e1 .5 100 0"));
        assertEquals("99.99 10 0.5 100 0", o.get());
        assertEquals(List.of(99.99, 10.0, 0.5, 100.0, 0.0), config.latencyTrackingInfoPercentiles.values());
        assertFalse(o.set("99.99 10 0.5 100 0"));
        assertTrue(o.set(""));
        assertEquals("", o.get());
        assertEquals(List.of("latency-tracking-info-percentiles \"\" (forced)"), rewrite(o));
        assertFalse(o.set(List.of("")));
        assertTrue(o.set(List.of("50", "99", "99.9")));
        assertEquals("50 99 99.9", o.get());

        assertEquals("Invalid latency-tracking-info-percentiles parameters", error(o, "abc"));
        assertEquals("Invalid latency-tracking-info-percentiles parameters", error(o, "50 nan"));
        assertEquals("Invalid latency-tracking-info-percentiles parameters", error(o, "50  99"));
        String range = "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]";
        assertEquals(range, error(o, "100.1"));
        assertEquals(range, error(o, "50 -0.5"));
    }

    @Test
    void bindTakesUpToSixteenAddresses() {
        SpecialOptions.Bind o = config.bind;
        assertEquals("* -::*", o.get());
        assertEquals(List.of(), rewrite(o));
        assertTrue(o.set("0.0.0.0 -::"));
        assertEquals(List.of("0.0.0.0", "-::"), o.addresses());
        assertEquals("0.0.0.0 -::", o.value());
        assertEquals(List.of("bind 0.0.0.0 -:: (forced)"), rewrite(o));
        assertFalse(o.set(List.of("0.0.0.0", "-::")));
        assertTrue(o.set(""));
        assertEquals("", o.get());
        assertEquals(List.of("bind \"\" (forced)"), rewrite(o));
        assertFalse(o.set(List.of("")));
        assertTrue(o.set("a  b")); // empty words are kept, as Redis keeps them
        assertEquals("a  b", o.get());

        assertEquals("Too many bind addresses specified.", error(o, "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17"));
        assertTrue(o.set("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"));
        assertTrue(o.set("* -::*"));
        assertEquals(List.of(), rewrite(o));
    }

    @Test
    void outputBufferLimitsChangeOnlyTheClassesNamed() {
        SpecialOptions.OutputBufferLimits o = config.clientOutputBufferLimit;
        assertEquals("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", o.get());
        assertEquals(List.of("client-output-buffer-limit normal 0 0 0",
                "client-output-buffer-limit replica 256mb 64mb 60",
                "client-output-buffer-limit pubsub 32mb 8mb 60"), rewrite(o));
        assertTrue(o.set("replica 1gb 512mb 30 PubSub 1 2 3"));
        assertEquals("normal 0 0 0 slave 1073741824 536870912 30 pubsub 1 2 3", o.get());
        assertEquals(new SpecialOptions.BufferLimit(1L << 30, 512L << 20, 30), o.limit("slave"));
        assertEquals(List.of("client-output-buffer-limit normal 0 0 0",
                "client-output-buffer-limit replica 1gb 512mb 30 (forced)",
                "client-output-buffer-limit pubsub 1 2 3 (forced)"), rewrite(o));
        assertFalse(o.set("slave 1gb 512mb 30"));
        assertTrue(o.set(List.of("normal", "18446744073709551615", "0", "0")));
        assertEquals("normal 18446744073709551615 0 0 slave 1073741824 536870912 30 pubsub 1 2 3", o.get());

        assertEquals("Wrong number of arguments in buffer limit configuration.", error(o, "normal 1 2"));
        assertEquals("Wrong number of arguments in buffer limit configuration.", error(o, "normal 1 2 3 pubsub"));
        assertEquals("Invalid client class specified in buffer limit configuration.", error(o, "master 1 2 3"));
        String numbers = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
        assertEquals(numbers, error(o, "normal x 2 3"));
        assertEquals(numbers, error(o, "normal 1 2 -1"));
        assertEquals(numbers, error(o, "pubsub 1 2 3 normal 1 2 y")); // nothing applied
    }

    @Test
    void saveRulesArePairsAndAddUpWhileLoading() {
        SpecialOptions.Save o = config.save;
        assertEquals("", o.get());
        assertEquals(List.of("save \"\" (forced)"), rewrite(o));
        assertTrue(o.set("900 1 300 10"));
        assertEquals("900 1 300 10", o.get());
        assertEquals(List.of("save 900 1 (forced)", "save 300 10 (forced)"), rewrite(o));
        assertFalse(o.set("900 1 300 10"));
        assertTrue(o.set("60 5")); // CONFIG SET replaces the rules
        assertEquals("60 5", o.get());
        assertTrue(o.set(List.of("")));
        assertEquals("", o.get());

        assertEquals("Invalid save parameters", error(o, "900"));
        assertEquals("Invalid save parameters", error(o, "0 1"));
        assertEquals("Invalid save parameters", error(o, "1 -1"));
        assertEquals("Invalid save parameters", error(o, "1 x"));

        config.loading(true);
        assertTrue(o.set(List.of("900", "1")));
        assertTrue(o.set(List.of("300", "10")));
        config.loading(false);
        assertEquals("900 1 300 10", o.get());
        assertTrue(o.set("100 1"));
        assertEquals("100 1", o.get());
    }
}
