package io.respire.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** INFO's human-readable sizes, as Redis's bytesToHuman prints them with C's "%.2f". */
class InfoReportTest {
    @Test
    void humanSizesRoundAsPrintf() {
        assertEquals("100B", InfoReport.human(100));
        assertEquals("1.00K", InfoReport.human(1024));
        // 1664 / 1024 = 1.625 exactly: glibc rounds the tie to even ("1.62"); Java's Formatter
        // would print "1.63".
        assertEquals("1.62K", InfoReport.human(1664));
        assertEquals("2.50M", InfoReport.human(5L * 512 * 1024));
        assertEquals("1.00G", InfoReport.human(1L << 30));
    }
}
