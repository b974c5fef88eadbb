package io.respire.server.observability;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** LATENCY GRAPH's sparklines, drawn as Redis 7.0.15 draws them. */
class SparklineTest {
    @Test
    void oneSampleIsAFloorMarkWithItsLabelBelow() {
        Sparkline s = new Sparkline();
        s.add(71, "0s");
        // Redis's LATENCY GRAPH for a single sample: three blank rows, '_', a blank line, the label.
        assertEquals(" \n \n \n_\n \n0\ns\n", s.render(80, 4));
    }

    @Test
    void heightsScaleBetweenMinimumAndMaximum() {
        Sparkline s = new Sparkline();
        s.add(0, "a");
        s.add(6, "b");
        s.add(12, "c");
        // 12 steps: 0 -> step 0 ('_' in the bottom row), 6 -> step 6 ('_' in row 2, '|' below),
        // 12 -> clamped to step 11 ('#' on top, '|' below).
        assertEquals("  #\n _|\n ||\n_||\n   \nabc\n", s.render(80, 4));
    }

    @Test
    void wrapsAfterTheColumnCount() {
        Sparkline s = new Sparkline();
        s.add(1, "x");
        s.add(1, "y");
        s.add(1, "z");
        String block = " \n \n \n_\n \n%s\n";
        assertEquals(block.formatted("x") + "\n" + block.formatted("y") + "\n" + block.formatted("z"), s.render(1, 4));
    }
}
