package io.respire.ds.hll;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HllEstimatorTest {

    /**
     * Replays estimates.txt (tools/record-hll-vectors.py on redis-server 7.0.15): register histograms
     * of dense values from 1 to 10^16 elements and degenerate ones, with Redis's PFCOUNT of each.
     */
    @Test
    void estimatesMatchRedis() throws IOException {
        int checked = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                HllEstimatorTest.class.getResourceAsStream("estimates.txt"), StandardCharsets.US_ASCII))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" -> ");
                int[] histogram = new int[64];
                for (String entry : parts[0].split(",")) {
                    String[] vc = entry.split(":");
                    histogram[Integer.parseInt(vc[0])] = Integer.parseInt(vc[1]);
                }
                assertEquals(Long.parseLong(parts[1]), HllEstimator.estimate(histogram), parts[0]);
                checked++;
            }
        }
        assertTrue(checked >= 70, "vectors read: " + checked);
    }

    @Test
    void emptyRegistersEstimateZero() {
        int[] histogram = new int[64];
        histogram[0] = HyperLogLog.REGISTERS;
        assertEquals(0, HllEstimator.estimate(histogram));
        assertEquals(Double.POSITIVE_INFINITY, HllEstimator.sigma(1.0));
        assertEquals(0.0, HllEstimator.tau(1.0));
        assertEquals(0.0, HllEstimator.tau(0.0));
    }

    @Test
    void roundingIsHalfAwayFromZeroAndOverflowIsIndefinite() {
        assertEquals(3, HllEstimator.roundAsLlroundl(2.5));
        assertEquals(2, HllEstimator.roundAsLlroundl(2.4999999999999996));
        assertEquals(-3, HllEstimator.roundAsLlroundl(-2.5));
        assertEquals(Long.MIN_VALUE, HllEstimator.roundAsLlroundl(0x1p63));
        assertEquals(Long.MIN_VALUE, HllEstimator.roundAsLlroundl(Double.POSITIVE_INFINITY));
        assertEquals(Long.MIN_VALUE, HllEstimator.roundAsLlroundl(Double.NaN));
        assertEquals(0x7ffffffffffffc00L, HllEstimator.roundAsLlroundl(Math.nextDown(0x1p63)));
    }
}
