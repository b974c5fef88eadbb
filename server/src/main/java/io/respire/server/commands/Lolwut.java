package io.respire.server.commands;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The pictures of LOLWUT (Redis's lolwut.c, lolwut5.c and lolwut6.c): Georg Nees's "Schotter"
 * drawn in Braille characters (version 5), a city skyline in terminal colors (version 6), or only
 * the version line. The arithmetic follows Redis's to the float, so that what does not depend on
 * chance (the first two rows of Schotter, the sizes of both pictures) comes out byte for byte as
 * Redis draws it.
 */
final class Lolwut {
    /** C's RAND_MAX with glibc: rand() answers 0 to 2^31-1. */
    private static final int RAND_MAX = Integer.MAX_VALUE;
    private static final int WHITE = 3;
    /** A terminal cell in each of the four grays, foreground and background both set. */
    private static final String[] CELLS = {cell("0;30;40m"), cell("0;90;100m"), cell("0;37;47m"), cell("0;97;107m")};

    private Lolwut() {
    }

    /**
     * Which picture a Redis version shows, by Redis's rule: 5.x (and 4.9, the release candidates
     * of 5) Schotter, 6.x (and 5.9) the skyline, 0 for any other, which shows only the version.
     */
    static int edition(String version) {
        if (version.startsWith("5.") && !version.startsWith("5.9") || version.startsWith("4.9")) {
            return 5;
        }
        if (version.startsWith("6.") && !version.startsWith("6.9") || version.startsWith("5.9")) {
            return 6;
        }
        return 0;
    }

    /** What an unreleased Redis, and so 7.0 (it has no picture of its own), answers. */
    static String versionLine() {
        return "Redis ver. " + ServerInfo.REDIS_VERSION + "\n";
    }

    /**
     * Schotter on a terminal {@code cols} characters wide, {@code perRow} squares across and
     * {@code perCol} down, the squares tilting and shifting more at random the lower their row.
     */
    static String schotter(int cols, int perRow, int perCol, SplittableRandom random) {
        return braille(drawSchotter(cols, perRow, perCol, random),
                "\nGeorg Nees - schotter, plotter on paper, 1968. " + versionLine());
    }

    /** A skyline {@code cols} characters wide and {@code rows} lines tall, one character a pixel. */
    static String skyline(int cols, int rows, SplittableRandom random) {
        Canvas canvas = new Canvas(cols, rows, WHITE);
        drawSkyline(canvas, random);
        return colors(canvas, "\nDedicated to the 8 bit game developers of past and present.\n"
                + "Original 8 bit image from Plaguemon by hikikomori. " + versionLine());
    }

    // ---- Schotter (version 5)

    private static Canvas drawSchotter(int cols, int perRow, int perCol, SplittableRandom random) {
        // A Braille character is two pixels wide: the canvas has twice the terminal's columns.
        int width = cols * 2;
        int padding = width > 4 ? 2 : 0;
        float side = (float) (width - padding * 2) / perRow;
        Canvas canvas = new Canvas(width, (int) (side * perCol + padding * 2), 0);
        for (int y = 0; y < perCol; y++) {
            for (int x = 0; x < perRow; x++) {
                int sx = (int) (x * side + side / 2 + padding);
                int sy = (int) (y * side + side / 2 + padding);
                float angle = 0;
                // The first two rows are in order; below them chaos grows with the row.
                if (y > 1) {
                    // Three magnitudes, then their signs: Redis's order of drawing random numbers.
                    float turn = shake(y, perCol, random);
                    float dx = shake(y, perCol, random);
                    float dy = shake(y, perCol, random);
                    angle = randomSign(turn, random);
                    sx += randomSign(dx, random) * side / 3;
                    sy += randomSign(dy, random) * side / 3;
                }
                drawSquare(canvas, sx, sy, side, angle);
            }
        }
        return canvas;
    }

    /** A random amount from 0 to y / perCol: as much as a square at row y may turn or move. */
    private static float shake(int y, int perCol, SplittableRandom random) {
        return (float) rand(random) / (float) RAND_MAX / perCol * y;
    }

    private static float randomSign(float value, SplittableRandom random) {
        return rand(random) % 2 != 0 ? -value : value;
    }

    /**
     * A square of side {@code size} centred on x,y and turned by {@code angle}: its corners are the
     * points at 45, 135, 225 and 315 degrees (plus the angle) of its circumscribed circle.
     */
    private static void drawSquare(Canvas canvas, int x, int y, float size, float angle) {
        // The circle's radius, the side over sqrt(2), rounded to whole pixels as Redis does.
        size /= 1.4142135623;
        size = (float) roundHalfAway(size);
        int[] px = new int[4];
        int[] py = new int[4];
        float k = (float) (Math.PI / 4 + angle);
        for (int j = 0; j < 4; j++) {
            px[j] = (int) roundHalfAway(StrictMath.sin(k) * size + x);
            py[j] = (int) roundHalfAway(StrictMath.cos(k) * size + y);
            k += Math.PI / 2;
        }
        for (int j = 0; j < 4; j++) {
            drawLine(canvas, px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4]);
        }
    }

    /** Bresenham's line from x1,y1 to x2,y2, both ends included. */
    private static void drawLine(Canvas canvas, int x1, int y1, int x2, int y2) {
        int dx = Math.abs(x2 - x1);
        int dy = Math.abs(y2 - y1);
        int sx = x1 < x2 ? 1 : -1;
        int sy = y1 < y2 ? 1 : -1;
        int err = dx - dy;
        while (true) {
            canvas.draw(x1, y1, 1);
            if (x1 == x2 && y1 == y2) {
                return;
            }
            int e2 = err * 2;
            if (e2 > -dy) {
                err -= dy;
                x1 += sx;
            }
            if (e2 < dx) {
                err += dx;
                y1 += sy;
            }
        }
    }

    /** C's round(): halves go away from zero, where Math.round takes -2.5 to -2. */
    private static double roundHalfAway(double v) {
        double whole = Math.floor(Math.abs(v));
        return Math.copySign(Math.abs(v) - whole >= 0.5 ? whole + 1 : whole, v);
    }

    /**
     * The canvas in Braille characters, each 2x4 pixels, numbered as Unicode numbers the dots:
     * bits 0-2 the left column's top three, 3-5 the right column's, 6 and 7 the bottom pair.
     */
    private static String braille(Canvas canvas, String caption) {
        int lines = (canvas.height + 3) / 4;
        StringBuilder text = new StringBuilder(lines * (canvas.width / 2 + 1) + caption.length());
        for (int y = 0; y < canvas.height; y += 4) {
            for (int x = 0; x < canvas.width; x += 2) {
                int dots = canvas.dot(x, y, 0) | canvas.dot(x, y + 1, 1) | canvas.dot(x, y + 2, 2)
                        | canvas.dot(x + 1, y, 3) | canvas.dot(x + 1, y + 1, 4) | canvas.dot(x + 1, y + 2, 5)
                        | canvas.dot(x, y + 3, 6) | canvas.dot(x + 1, y + 3, 7);
                text.append((char) (0x2800 + dots));
            }
            endLine(text, canvas, y);
        }
        return text.append(caption).toString();
    }

    /**
     * The newline after the line of text drawn from pixel row y on. Redis writes it unless y is
     * the canvas's last row: right for the skyline, a line a row, but Schotter's lines are four
     * rows tall, so unless its height is 4n+1 it ends with a newline and its caption (which starts
     * with one) comes after an empty line. Kept, as Redis's clients see it.
     */
    private static void endLine(StringBuilder text, Canvas canvas, int y) {
        if (y != canvas.height - 1) {
            text.append('\n');
        }
    }

    // ---- The skyline (version 6)

    /** One building: its left edge (possibly off the canvas), size, gray, and whether lit windows. */
    private record Skyscraper(int left, int width, int height, int color, boolean windows) {
    }

    /** Buildings in three planes, as in the parallax backgrounds of 8 bit games. */
    private static void drawSkyline(Canvas canvas, SplittableRandom random) {
        // The two grays without windows, the lighter first so that it always stays behind.
        for (int color = 2; color >= 1; color--) {
            for (int offset = -10; offset < canvas.width; ) {
                offset += rand(random) % 8;
                int width = 10 + rand(random) % 9;
                int height = canvas.height / 2 + rand(random) % canvas.height / (color == 2 ? 2 : 3);
                drawSkyscraper(canvas, new Skyscraper(offset, width, height, color, false), random);
                offset += color == 2 ? width / 2 : width + 1;
            }
        }
        // The black foreground, with windows.
        for (int offset = -10; offset < canvas.width; ) {
            offset += rand(random) % 8;
            int width = 5 + rand(random) % 14;
            if (width % 4 != 0) {
                width += width % 3;
            }
            int height = canvas.height / 3 + rand(random) % canvas.height / 2;
            drawSkyscraper(canvas, new Skyscraper(offset, width, height, 0, true), random);
            offset += width + 5;
        }
    }

    /** A building standing on the bottom line, its roof two pixels narrower on each side. */
    private static void drawSkyscraper(Canvas canvas, Skyscraper s, SplittableRandom random) {
        int bottom = canvas.height - 1;
        int top = bottom - s.height() + 1;
        int right = s.left() + s.width() - 1;
        for (int y = bottom; y >= top; y--) {
            for (int x = s.left(); x <= right; x++) {
                if (y == top && (x <= s.left() + 1 || x >= right - 1)) {
                    continue;
                }
                // Windows keep away from the walls, the roof and the ground.
                boolean inner = x > s.left() + 1 && x < right - 1 && y > top + 1 && y < bottom - 1;
                canvas.draw(x, y, s.windows() && inner ? windowColor(canvas, s, x, y, top, random) : s.color());
            }
        }
    }

    /**
     * The color at x,y inside the window area of a building whose roof is at row {@code top}:
     * windows are two pixels wide and one tall (a terminal cell is taller than wide), on every
     * other column pair and line, each lit in a random gray other than the wall's.
     */
    private static int windowColor(Canvas canvas, Skyscraper s, int x, int y, int top, SplittableRandom random) {
        int relx = x - (s.left() + 1);
        int rely = y - (top + 1);
        if (relx / 2 % 2 == 0 || rely % 2 == 0) {
            return s.color();
        }
        int color;
        do {
            color = 1 + rand(random) % 2;
        } while (color == s.color());
        // A window's right pixel takes its left one's color; the gray drawn for it is dropped, as by Redis.
        return relx % 2 != 0 ? canvas.get(x - 1, y) : color;
    }

    /** The canvas with a colored blank per pixel, lines between rows. */
    private static String colors(Canvas canvas, String caption) {
        StringBuilder text = new StringBuilder(canvas.height * (canvas.width * CELLS[WHITE].length() + 1) + caption.length());
        for (int y = 0; y < canvas.height; y++) {
            for (int x = 0; x < canvas.width; x++) {
                text.append(CELLS[canvas.get(x, y)]);
            }
            endLine(text, canvas, y);
        }
        return text.append(caption).toString();
    }

    private static String cell(String color) {
        return "\033[" + color + " \033[0m";
    }

    /** C's rand() as LOLWUT uses it: 0 to RAND_MAX. */
    private static int rand(SplittableRandom random) {
        return random.nextInt() >>> 1;
    }

    /**
     * Pixels of colors 0-3 (all LOLWUT draws with), two bits each. Drawing or reading outside is
     * allowed and does nothing or reads 0. Two bits rather than Redis's byte: the largest Schotter
     * (1000 columns, 1 square across, 200 down) is 2000 x 399204 pixels, 200 MB instead of 800.
     */
    private static final class Canvas {
        private static final int PER_WORD = 32;
        final int width;
        final int height;
        private final long[] words;

        Canvas(int width, int height, int background) {
            this.width = width;
            this.height = height;
            // At most 2000 x 399204 pixels: the index fits an int.
            this.words = new long[(width * height + PER_WORD - 1) / PER_WORD];
            Arrays.fill(words, background * 0x5555555555555555L);
        }

        void draw(int x, int y, int color) {
            if (outside(x, y)) {
                return;
            }
            int i = y * width + x;
            int shift = i % PER_WORD * 2;
            words[i / PER_WORD] = words[i / PER_WORD] & ~(3L << shift) | (long) color << shift;
        }

        int get(int x, int y) {
            if (outside(x, y)) {
                return 0;
            }
            int i = y * width + x;
            return (int) (words[i / PER_WORD] >>> (i % PER_WORD * 2)) & 3;
        }

        /** Bit {@code bit} set if the pixel at x,y is drawn: one dot of a Braille character. */
        int dot(int x, int y, int bit) {
            return get(x, y) != 0 ? 1 << bit : 0;
        }

        private boolean outside(int x, int y) {
            return x < 0 || x >= width || y < 0 || y >= height;
        }
    }
}
