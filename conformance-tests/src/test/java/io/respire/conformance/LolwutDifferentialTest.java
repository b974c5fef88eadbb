package io.respire.conformance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * LOLWUT (server's Lolwut): byte for byte wherever Redis draws without chance, which covers the
 * version line, the errors, the clamping of sizes, the whole of Schotter with one or two rows of
 * squares (the rows below are shaken at random) and the skyline one row tall (too low for any
 * building). Elsewhere only the layout can match: {@link #LAYOUT}.
 */
class LolwutDifferentialTest {
    /**
     * The same text once every picture cell is masked (a Braille character, a colored blank):
     * the same number of lines, of cells on each line, and the same captions.
     */
    private static final ReplyComparison LAYOUT = (a, b) -> a.type == b.type && a.data != null && b.data != null
            ? maskCells(a.data).equals(maskCells(b.data))
            : Arrays.equals(a.raw, b.raw);

    private static String maskCells(byte[] text) {
        return new String(text, StandardCharsets.UTF_8).replaceAll("[\u2800-\u28ff]", "#")
                .replaceAll("\033\\[[0-9;]*m \033\\[0m", "#");
    }

    @Differential
    void versionLineAndArguments(Dual d) {
        for (String line : new String[] {"LOLWUT", "LOLWUT foo", "LOLWUT VERSION", "LOLWUT version 7", "LOLWUT VERSION 4",
                "LOLWUT VERSION 49", "LOLWUT VERSION -1", "LOLWUT 1 VERSION 5", "LOLWUT VERSION 7 x",
                "LOLWUT VERSION x", "LOLWUT VERSION 5.0", "LOLWUT VERSION 99999999999999999999", "LOLWUT VERSION 5 x",
                "LOLWUT VERSION 5 1 x", "LOLWUT VERSION 5 1 1 x", "LOLWUT VERSION 5 3 2 1 x", "LOLWUT VERSION 6 x",
                "LOLWUT VERSION 6 1 x", "LOLWUT VERSION 6 4 1 x", "LOLWUT VERSION 4294967301 3 2 1"}) {
            d.check((Object[]) line.split(" "));
        }
        d.check("LOLWUT", "VERSION", "5", "");
    }

    @Differential
    void schotterWithoutChance(Dual d) {
        for (int cols : new int[] {1, 2, 3, 5, 10, 33, 66, 157, 1000}) {
            for (int perRow : new int[] {1, 2, 3, 7, 8, 13, 200}) {
                for (int perCol : new int[] {1, 2}) {
                    d.check("LOLWUT", "VERSION", "5", cols, perRow, perCol);
                }
            }
        }
    }

    @Differential
    void sizesClampedAsRedis(Dual d) {
        d.check("LOLWUT", "VERSION", "5", "0", "-3", "1");
        d.check("LOLWUT", "VERSION", "5", "99999", "9223372036854775807", "2");
        d.check("LOLWUT", "VERSION", "5", "-9223372036854775808", "0", "-1");
        d.check("LOLWUT", "VERSION", "6", "5000", "1");
        d.check("LOLWUT", "VERSION", "6", "0", "-7");
        d.checkWith(LAYOUT, "LOLWUT", "VERSION", "5", "1", "1", "99999");
        d.checkWith(LAYOUT, "LOLWUT", "VERSION", "6", "3", "99999");
    }

    @Differential
    void skylineOneRowTall(Dual d) {
        for (int cols : new int[] {1, 2, 80, 1000}) {
            d.check("LOLWUT", "VERSION", "6", cols, "1");
        }
    }

    @Differential
    void randomPicturesHaveRedissLayout(Dual d) {
        d.checkWith(LAYOUT, "LOLWUT", "VERSION", "5");
        d.checkWith(LAYOUT, "LOLWUT", "VERSION", "6");
        for (String sizes : new String[] {"3 1 3", "10 3 5", "40 4 6", "120 20 40"}) {
            d.checkWith(LAYOUT, (Object[]) ("LOLWUT VERSION 5 " + sizes).split(" "));
        }
        for (String sizes : new String[] {"1 2", "7 3", "80 4", "200 100"}) {
            d.checkWith(LAYOUT, (Object[]) ("LOLWUT VERSION 6 " + sizes).split(" "));
        }
    }
}
