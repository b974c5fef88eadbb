package io.respire.server.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latency monitor (Redis's latency.c): for each event class ("command", "fast-command",
 * "expire-cycle"...), the worst latency of each of the last 160 seconds in which it reached
 * {@code latency-monitor-threshold}, and its all-time maximum. Series are made on their first
 * sample, as Redis makes them. Executor thread only.
 */
public final class LatencyMonitor {
    /** Redis's LATENCY_TS_LEN: samples kept per event. */
    static final int HISTORY = 160;

    /** One sample: the second it was taken in, and the worst latency in it (ms). */
    public record Sample(long timeSeconds, long latencyMs) {
    }

    /** One event's ring of samples (Redis's latencyTimeSeries). */
    static final class Series {
        final long[] times = new long[HISTORY];
        final long[] latencies = new long[HISTORY];
        int next;
        long max;

        void add(long nowSeconds, long latencyMs) {
            max = Math.max(max, latencyMs);
            int prev = (next + HISTORY - 1) % HISTORY;
            if (times[prev] == nowSeconds) {
                // One sample per second: the worst of that second.
                latencies[prev] = Math.max(latencies[prev], latencyMs);
                return;
            }
            times[next] = nowSeconds;
            latencies[next] = latencyMs;
            next = (next + 1) % HISTORY;
        }

        /** The samples taken, oldest first. */
        List<Sample> samples() {
            List<Sample> out = new ArrayList<>();
            for (int j = 0; j < HISTORY; j++) {
                int i = (next + j) % HISTORY;
                if (times[i] != 0) {
                    out.add(new Sample(times[i], latencies[i]));
                }
            }
            return out;
        }

        Sample last() {
            int i = (next + HISTORY - 1) % HISTORY;
            return new Sample(times[i], latencies[i]);
        }
    }

    /** Event name to series, in the order the events first happened. */
    private final Map<String, Series> events = new LinkedHashMap<>();

    /** Records {@code latencyMs} for {@code event} at {@code nowSeconds} (Redis's latencyAddSample). */
    public void add(String event, long latencyMs, long nowSeconds) {
        events.computeIfAbsent(event, e -> new Series()).add(nowSeconds, latencyMs);
    }

    /** LATENCY RESET: forgets {@code event} (ignoring case), or every event if null; returns how many. */
    public int reset(String event) {
        int before = events.size();
        if (event == null) {
            events.clear();
        } else {
            events.keySet().removeIf(name -> name.equalsIgnoreCase(event));
        }
        return before - events.size();
    }

    /** The events seen, in the order they first happened. */
    public List<String> eventNames() {
        return new ArrayList<>(events.keySet());
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    /** LATENCY HISTORY: the samples of {@code event}, oldest first; empty if it never happened. */
    public List<Sample> history(String event) {
        Series s = events.get(event);
        return s == null ? List.of() : s.samples();
    }

    /** The latest sample of {@code event} (null if it never happened). */
    public Sample latest(String event) {
        Series s = events.get(event);
        return s == null ? null : s.last();
    }

    /** The worst latency ever recorded for {@code event}, 0 if none. */
    public long allTimeMax(String event) {
        Series s = events.get(event);
        return s == null ? 0 : s.max;
    }

    /** Redis's latencyStats: figures over an event's kept samples, for LATENCY DOCTOR. */
    public record Stats(int samples, long avg, long mad, long periodSeconds, long allTimeHigh) {
    }

    /** Redis's analyzeLatencyForEvent. */
    public Stats analyze(String event, long nowSeconds) {
        List<Sample> samples = history(event);
        if (samples.isEmpty()) {
            return new Stats(0, 0, 0, 0, allTimeMax(event));
        }
        long sum = 0;
        long oldest = Long.MAX_VALUE;
        for (Sample s : samples) {
            sum += s.latencyMs();
            oldest = Math.min(oldest, s.timeSeconds());
        }
        long avg = sum / samples.size();
        long period = Math.max(1, nowSeconds - oldest);
        long deviation = 0;
        for (Sample s : samples) {
            deviation += Math.abs(avg - s.latencyMs());
        }
        return new Stats(samples.size(), avg, deviation / samples.size(), period, allTimeMax(event));
    }
}
