package io.respire.server.observability;

import io.respire.server.command.CommandStats;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The per-command histograms read as Redis's hdr_histogram C library reads them. The expected
 * figures are those real Redis 7.0.15 prints for the same recorded values (values are recorded
 * in whole microseconds, as Redis's clock gives them).
 */
class LatencyHistogramsTest {
    private static Histogram recorded(long... nanos) {
        CommandStats stats = new CommandStats();
        for (long n : nanos) {
            LatencyHistograms.record(stats, n);
        }
        return stats.latencyHistogram;
    }

    @Test
    void madeOnFirstCallAndDroppedByReset() {
        CommandStats stats = new CommandStats();
        assertNull(stats.latencyHistogram);
        LatencyHistograms.record(stats, 0); // clamped to 1 ns
        assertEquals(1, stats.latencyHistogram.getTotalCount());
        assertEquals(1, stats.latencyHistogram.getMinValue());
        LatencyHistograms.record(stats, 5_000_000_000L); // clamped to 1 s
        assertEquals(1_000_000_000L, stats.latencyHistogram.getMaxValue(), 1_000_000_000L / 100);
        stats.reset();
        assertNull(stats.latencyHistogram);
    }

    @Test
    void percentilesRoundTheCountHalfUpAsTheCLibrary() {
        // Each value is reported as the top of its bucket: 1000 (4 ns wide) -> 1003, 2000 (8 wide)
        // -> 2007, 3000 (16 wide, from 2992) -> 3007. p40 wants the (long)(1.2 + 0.5) = 1st value,
        // where the Java library's ceil would take the 2nd.
        Histogram h = recorded(1000, 2000, 3000);
        assertEquals(1003, LatencyHistograms.valueAtPercentile(h, 40));
        assertEquals(2007, LatencyHistograms.valueAtPercentile(h, 50));
        assertEquals(3007, LatencyHistograms.valueAtPercentile(h, 100));
        assertEquals(1000, LatencyHistograms.valueAtPercentile(h, 0), "p0 is the lowest equivalent value");
    }

    @Test
    void infoLineFormatsMicrosecondsWithThreeDecimals() {
        Histogram h = recorded(1000, 2000, 3000);
        assertEquals("latency_percentiles_usec_set:p50=2.007,p99=3.007,p99.9=3.007\r\n",
                LatencyHistograms.infoLine("set", h, List.of(50.0, 99.0, 99.9)));
        assertEquals("latency_percentiles_usec_get:p0=1.000,p100=3.007\r\n",
                LatencyHistograms.infoLine("get", h, List.of(0.0, 100.0)));
    }

    @Test
    void cumulativeBucketsFromOneMicrosecondDoublingAsRedis() {
        // Redis 7.0.15: one SET of ~6 us answers LATENCY HISTOGRAM with histogram_usec {8: 1}.
        assertArrayEquals(new long[] {8, 1}, LatencyHistograms.cumulativeBuckets(recorded(6000)));
        // One call under 1 us falls in the first bucket (1024 ns, reported as 1 us).
        assertArrayEquals(new long[] {1, 1}, LatencyHistograms.cumulativeBuckets(recorded(1)));
        // Buckets whose cumulative count does not grow are left out.
        assertArrayEquals(new long[] {1, 1, 4, 2, 2113, 3},
                LatencyHistograms.cumulativeBuckets(recorded(1000, 3000, 1_800_000)));
        // Past the last power of two inside the counts array, the C iterator reports its end.
        assertArrayEquals(new long[] {1073741, 1}, LatencyHistograms.cumulativeBuckets(recorded(1_000_000_000L)));
    }
}
