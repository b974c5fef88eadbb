package io.respire.server.observability;

import io.respire.protocol.DoubleFormat;
import io.respire.server.command.CommandStats;
import io.respire.server.config.SpecialOptions;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.List;

/**
 * Per-command latency histograms (Redis's latency_histogram of redisCommand, for LATENCY HISTOGRAM
 * and INFO latencystats): HdrHistograms of nanoseconds from 1 ns to 1 s with 2 significant digits,
 * made on a command's first recorded call, so that commands never called cost no memory. The
 * percentiles and the cumulative distribution are read as Redis's hdr_histogram C library reads
 * them (its rounding differs from the Java library's own getValueAtPercentile).
 */
public final class LatencyHistograms {
    /** Redis's LATENCY_HISTOGRAM_MIN_VALUE, _MAX_VALUE and _PRECISION. */
    static final long MIN_NANOS = 1;
    static final long MAX_NANOS = 1_000_000_000L;
    static final int PRECISION = 2;
    /** Where LATENCY HISTOGRAM's buckets start (1024 ns), each twice the previous. */
    private static final long FIRST_BUCKET_NANOS = 1024;

    private LatencyHistograms() {
    }

    /** Records one call of {@code nanos}, clamped to the tracked range (updateCommandLatencyHistogram). */
    public static void record(CommandStats stats, long nanos) {
        Histogram h = stats.latencyHistogram;
        if (h == null) {
            h = new Histogram(MIN_NANOS, MAX_NANOS, PRECISION);
            stats.latencyHistogram = h;
        }
        h.recordValue(Math.max(MIN_NANOS, Math.min(MAX_NANOS, nanos)));
    }

    /**
     * Redis's hdr_value_at_percentile: the highest value equivalent to the recorded value at which
     * the count reaches {@code percentile} (rounded half up), the lowest for percentile 0.
     */
    static long valueAtPercentile(Histogram h, double percentile) {
        double requested = Math.min(percentile, 100.0);
        long countAt = Math.max(1, (long) (requested / 100 * h.getTotalCount() + 0.5));
        for (HistogramIterationValue v : h.recordedValues()) {
            if (v.getTotalCountToThisValue() >= countAt) {
                long value = v.getValueIteratedTo();
                return percentile == 0.0 ? h.lowestEquivalentValue(value) : h.highestEquivalentValue(value);
            }
        }
        return 0;
    }

    /**
     * INFO latencystats' line for one command: "latency_percentiles_usec_NAME:p50=1.003,p99=..."
     * (fillPercentileDistributionLatencies), values in microseconds with 3 decimals.
     */
    public static String infoLine(String name, Histogram h, List<Double> percentiles) {
        StringBuilder line = new StringBuilder("latency_percentiles_usec_").append(name).append(':');
        for (int j = 0; j < percentiles.size(); j++) {
            double p = percentiles.get(j);
            if (j > 0) {
                line.append(',');
            }
            line.append('p').append(SpecialOptions.LatencyPercentiles.label(p)).append('=')
                    .append(DoubleFormat.fixed(valueAtPercentile(h, p) / 1000.0, 3));
        }
        return line.append("\r\n").toString();
    }

    /**
     * LATENCY HISTOGRAM's buckets (fillCommandCDF over hdr_iter_log_init(1024, 2)): pairs of
     * {upper bound in microseconds, calls up to it}, for each power-of-two bucket from 1024 ns at
     * which the cumulative count grows.
     */
    public static long[] cumulativeBuckets(Histogram h) {
        long total = h.getTotalCount();
        // The counts array ends below the first power of two above MAX_NANOS (2^30 - 1); the C
        // iterator's last level is past it, where it reports that end with every call counted.
        long end = (Long.highestOneBit(MAX_NANOS) << 1) - 1;
        long[] out = new long[64];
        int n = 0;
        long previous = 0;
        for (long level = FIRST_BUCKET_NANOS; ; level <<= 1) {
            boolean inRange = level <= end;
            long top = inRange ? h.highestEquivalentValue(level) : end;
            long cumulative = inRange ? h.getCountBetweenValues(0, top) : total;
            if (cumulative > previous) {
                out[n++] = top / 1000;
                out[n++] = cumulative;
            }
            previous = cumulative;
            if (cumulative >= total) {
                return java.util.Arrays.copyOf(out, n);
            }
        }
    }
}
