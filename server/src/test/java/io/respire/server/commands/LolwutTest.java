package io.respire.server.commands;

import io.respire.server.EmbeddedServerTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LOLWUT end to end. The expected pictures are Redis 7.0.15's own replies; where Redis draws at
 * random (Schotter below its second row, the whole skyline), only the layout is checked.
 */
class LolwutTest extends EmbeddedServerTest {
    private static final String VERSION_LINE = "Redis ver. 7.0.15\n";
    private static final String SCHOTTER_CAPTION = "Georg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15";
    private static final List<String> SKYLINE_CAPTION = List.of(
            "Dedicated to the 8 bit game developers of past and present.",
            "Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15");
    private static final String WHITE_CELL = "\033[0;97;107m \033[0m";
    private static final String ANY_CELL = "\033\\[0;(30;40|90;100|37;47|97;107)m \033\\[0m";
    private static final String NOT_INTEGER = "(error) ERR value is not an integer or out of range";

    @Test
    void withoutVersionOnlyTheVersionLineAsVerbatimText() throws Exception {
        assertEquals(VERSION_LINE, call("LOLWUT"));
        assertEquals("$18\r\n" + VERSION_LINE + "\r\n", raw("LOLWUT"));
        c.call("HELLO", "3");
        assertEquals("=22\r\ntxt:" + VERSION_LINE + "\r\n", raw("LOLWUT"));
    }

    @Test
    void versionsWithoutAPictureAndStrayArgumentsGiveTheVersionLine() throws Exception {
        // Without a number after VERSION, or with arguments before it, there is no VERSION option.
        for (String line : new String[] {"LOLWUT foo", "LOLWUT 10 VERSION 5", "LOLWUT VERSION",
                "LOLWUT VERSION 7", "LOLWUT VERSION 4", "LOLWUT VERSION 49", "LOLWUT VERSION 0", "LOLWUT VERSION -1"}) {
            assertEquals(VERSION_LINE, call(line), line);
        }
    }

    @Test
    void schotterWithTwoRowsIsRedissPictureExactly() throws Exception {
        assertEquals("""
                ⠀⡤⠤⠤⠤⡤⠤⠤⠤⡄
                ⠀⡇⠀⠀⠀⡇⠀⠀⠀⡇
                ⠀⡧⠤⠤⠤⡧⠤⠤⠤⡇
                ⠀⡇⠀⠀⠀⡇⠀⠀⠀⡇
                ⠀⠧⠤⠤⠤⠧⠤⠤⠤⠇

                """ + SCHOTTER_CAPTION + "\n", call("LOLWUT VERSION 5 10 2 2"));
        // A canvas 4n+1 pixels tall ends without a newline, so no empty line before the caption.
        assertEquals("⢰⣶⡆\n⠀⠀⠀\n" + SCHOTTER_CAPTION + "\n", call("lolwut version 5 3 2 1"));
    }

    @Test
    void schotterLayout() throws Exception {
        // Defaults: 66 columns, 8 x 12 squares of 16 pixels plus 2 of padding each side: 196 pixel
        // rows, 49 lines of Braille, an empty line, the caption.
        assertSchotter(call("LOLWUT VERSION 5"), 66, 49);
        // 40 columns, 4 x 6 squares: (80 - 4) / 4 = 19 pixels a square, 6 * 19 + 4 = 118 rows.
        assertSchotter(call("LOLWUT VERSION 5 40 4 6"), 40, 30);
        String verbatim = raw("LOLWUT", "VERSION", "5", "40", "4", "6");
        c.call("HELLO", "3");
        assertTrue(raw("LOLWUT", "VERSION", "5", "40", "4", "6").startsWith("=" + (payloadLength(verbatim) + 4) + "\r\ntxt:"));
    }

    @Test
    void skylineLayout() throws Exception {
        assertSkyline(call("LOLWUT VERSION 6"), 80, 20);
        assertSkyline(call("LOLWUT VERSION 6 7 3"), 7, 3);
        // One row is too low for any building: a white line, drawn without chance.
        assertEquals(WHITE_CELL.repeat(5) + "\n" + String.join("\n", SKYLINE_CAPTION) + "\n", call("LOLWUT VERSION 6 5 1"));
    }

    @Test
    void theVersionIsReadAsACUnsignedInt() throws Exception {
        // Redis prints it with %u: 2^32 + 5 is 5, and so is 5 - 2^32.
        assertEquals(call("LOLWUT VERSION 5 3 2 1"), call("LOLWUT VERSION 4294967301 3 2 1"));
        assertEquals(call("LOLWUT VERSION 5 3 2 1"), call("LOLWUT VERSION -4294967291 3 2 1"));
    }

    @Test
    void badNumbersAreRefusedOnlyWhereTheVersionReadsThem() throws Exception {
        for (String line : new String[] {"LOLWUT VERSION x", "LOLWUT VERSION 99999999999999999999", "LOLWUT VERSION 5.0",
                "LOLWUT VERSION 5 x", "LOLWUT VERSION 5 1 1.5", "LOLWUT VERSION 5 1 1 x", "LOLWUT VERSION 6 x",
                "LOLWUT VERSION 6 1 9223372036854775808"}) {
            assertEquals(NOT_INTEGER, call(line), line);
        }
        assertEquals(NOT_INTEGER, c.call("LOLWUT", "VERSION", "5", ""));
        // Version 5 reads three sizes and 6 two; what follows is never looked at.
        assertTrue(call("LOLWUT VERSION 5 3 2 1 x").endsWith(SCHOTTER_CAPTION + "\n"));
        assertTrue(call("LOLWUT VERSION 6 5 1 x").endsWith(SKYLINE_CAPTION.get(1) + "\n"));
        // Without a picture the arguments are not read at all.
        assertEquals(VERSION_LINE, call("LOLWUT VERSION 7 x y"));
    }

    @Test
    void sizesAreClampedAsRedisClampsThem() throws Exception {
        // Columns to 1..1000, squares to 1..200 for version 5; columns and rows to 1..1000 for 6.
        assertEquals(call("LOLWUT VERSION 5 1000 3 1"), call("LOLWUT VERSION 5 99999999999 3 1"));
        assertEquals(call("LOLWUT VERSION 5 1 1 1"), call("LOLWUT VERSION 5 -5 0 -9223372036854775808"));
        assertEquals(call("LOLWUT VERSION 5 400 200 2"), call("LOLWUT VERSION 5 400 9223372036854775807 2"));
        // 1 column, 200 squares down of 2 pixels: 400 pixel rows, 100 lines.
        assertSchotter(call("LOLWUT VERSION 5 1 1 1000000"), 1, 100);
        assertEquals(call("LOLWUT VERSION 6 1000 1"), call("LOLWUT VERSION 6 123456789 1"));
        assertEquals(call("LOLWUT VERSION 6 1 1"), call("LOLWUT VERSION 6 0 -3"));
        assertSkyline(call("LOLWUT VERSION 6 2 99999"), 2, 1000);
    }

    /** A Schotter picture of {@code lines} lines {@code cols} Braille characters wide, then the caption. */
    private static void assertSchotter(String text, int cols, int lines) {
        String[] parts = text.split("\n", -1);
        assertEquals(lines + 3, parts.length, text);
        for (int i = 0; i < lines; i++) {
            assertTrue(parts[i].matches("[\u2800-\u28ff]{" + cols + "}"), parts[i]);
        }
        assertEquals(List.of("", SCHOTTER_CAPTION, ""), List.of(parts).subList(lines, lines + 3));
    }

    /** A skyline of {@code rows} lines of {@code cols} colored cells, then the two caption lines. */
    private static void assertSkyline(String text, int cols, int rows) {
        String[] parts = text.split("\n", -1);
        assertEquals(rows + 3, parts.length);
        for (int i = 0; i < rows; i++) {
            assertTrue(parts[i].matches("(" + ANY_CELL + "){" + cols + "}"), parts[i]);
        }
        assertEquals(SKYLINE_CAPTION, List.of(parts).subList(rows, rows + 2));
        assertEquals("", parts[rows + 2]);
    }

    private String raw(String... command) throws Exception {
        return new String(c.callRaw((Object[]) command), StandardCharsets.UTF_8);
    }

    /** The length a RESP2 bulk reply declares. */
    private static int payloadLength(String bulk) {
        return Integer.parseInt(bulk.substring(1, bulk.indexOf('\r')));
    }
}
