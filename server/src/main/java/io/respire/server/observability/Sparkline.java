package io.respire.server.observability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ASCII sparklines as LATENCY GRAPH draws them (Redis's sparkline.c, filled mode): each sample a
 * column of "_o#" steps topped by '|' fill, {@code rows} rows high, with its label written
 * vertically below, in blocks of at most {@code columns} samples.
 */
final class Sparkline {
    private static final String FILL = "_o#";
    private static final int LABEL_MARGIN_TOP = 1;

    private final List<Double> values = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private double min;
    private double max;

    void add(double value, String label) {
        if (values.isEmpty()) {
            min = value;
            max = value;
        } else {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        values.add(value);
        labels.add(label);
    }

    String render(int columns, int rows) {
        StringBuilder out = new StringBuilder();
        for (int j = 0; j < values.size(); j += columns) {
            if (j != 0) {
                out.append('\n');
            }
            renderRange(out, rows, j, Math.min(columns, values.size() - j));
        }
        return out.toString();
    }

    private void renderRange(StringBuilder out, int rows, int offset, int len) {
        double range = max - min == 0 ? 1 : max - min;
        int steps = FILL.length() * rows;
        char[] chars = new char[len];
        for (int row = 0; ; row++) {
            boolean more = false;
            Arrays.fill(chars, ' ');
            for (int j = 0; j < len; j++) {
                if (row < rows) {
                    more = true;
                    int charIndex = step(values.get(offset + j), range, steps) - (rows - row - 1) * FILL.length();
                    if (charIndex >= FILL.length()) {
                        chars[j] = '|';
                    } else if (charIndex >= 0) {
                        chars[j] = FILL.charAt(charIndex);
                    }
                } else if (row - rows < LABEL_MARGIN_TOP) {
                    more = true; // the blank line between the graph and the labels
                    break;
                } else {
                    String label = labels.get(offset + j);
                    int at = row - rows - LABEL_MARGIN_TOP;
                    if (label.length() > at) {
                        more = true;
                        chars[j] = label.charAt(at);
                    }
                }
            }
            if (!more) {
                return;
            }
            out.append(chars).append('\n');
        }
    }

    /** The height of a value in steps: C's (int)(relval * steps) / relmax, truncated. */
    private int step(double value, double range, int steps) {
        int step = (int) ((int) ((value - min) * steps) / range);
        return Math.max(0, Math.min(steps - 1, step));
    }
}
