package io.respire.server.command;

/**
 * One command's counters for INFO commandstats (Redis's calls, microseconds, rejected_calls and
 * failed_calls fields of redisCommand). Plain fields, written by the dispatcher on the executor
 * thread only, so that counting costs no allocation and no synchronization.
 */
public final class CommandStats {
    /** Times the command ran. */
    public long calls;
    /** Total time spent running it, in microseconds. */
    public long microseconds;
    /** Times it was refused before running (wrong arity, NOAUTH, OOM...). */
    public long rejectedCalls;
    /** Times it ran and replied with an error. */
    public long failedCalls;
    /** Latency of each call in nanoseconds (INFO latencystats); null until the first one is recorded. */
    public org.HdrHistogram.Histogram latencyHistogram;

    /** Whether there is anything to report (Redis lists only commands with some activity). */
    public boolean active() {
        return calls != 0 || rejectedCalls != 0 || failedCalls != 0;
    }

    public void reset() {
        calls = 0;
        microseconds = 0;
        rejectedCalls = 0;
        failedCalls = 0;
        latencyHistogram = null;
    }
}
