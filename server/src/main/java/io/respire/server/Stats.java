package io.respire.server;

import java.util.Map;
import java.util.TreeMap;

/**
 * The counters INFO reports (Redis's stat_* fields of the server struct), the per-error-code
 * counts of INFO errorstats, and the sampled instantaneous rates. Executor thread only.
 */
public final class Stats {
    public long totalConnectionsReceived;
    public long totalCommandsProcessed;
    public long rejectedConnections;
    public long expiredKeys;
    public long evictedKeys;
    public long evictedClients;
    /** Values Redis would have freed on its lazyfree thread (INFO lazyfreed_objects). */
    public long lazyfreedObjects;
    /**
     * Listpack and intset blobs validated as sanitize-dump-payload asks: RESTORE payloads, and a
     * loaded RDB's with yes (Redis's stat_dump_payload_sanitizations).
     */
    public long dumpPayloadSanitizations;
    public long keyspaceHits;
    public long keyspaceMisses;
    public long totalErrorReplies;
    public long unexpectedErrorReplies;
    /** totalErrorReplies when the last command call started or ended: the errors a call's own. */
    public long errorRepliesAccounted;
    public long netInputBytes;
    public long netOutputBytes;
    /** Bytes read from this replica's primary, and written to this primary's replicas (not in the two above). */
    public long netReplInputBytes;
    public long netReplOutputBytes;
    /** Batches of requests read, and of replies written (one flush each). */
    public long totalReadsProcessed;
    public long totalWritesProcessed;
    /** Full resynchronizations served, partial ones, and PSYNCs that asked for a partial one in vain (INFO sync_*). */
    public long syncFull;
    public long syncPartialOk;
    public long syncPartialErr;
    /** The active expiry: cycles stopped by their time limit, their time, and Redis's estimate of the
     *  share of keys with a TTL that have expired but are not yet removed (INFO expired_*, expire_cycle_*). */
    public long expiredTimeCapReachedCount;
    public long expireCycleMicros;
    public double expiredStaleRatio;
    /** The highest used_memory seen (INFO memory used_memory_peak); CONFIG RESETSTAT keeps it, as Redis's. */
    public long peakMemory;

    /** Redis's CLIENTS_PEAK_MEM_USAGE_SLOTS: client_recent_max_* cover about the last 8 seconds. */
    private static final int PEAK_SLOTS = 8;
    /** The largest client input (query buffer and arguments) and output seen in each second's slot. */
    private final long[] clientsPeakInput = new long[PEAK_SLOTS];
    private final long[] clientsPeakOutput = new long[PEAK_SLOTS];

    /** Error code ("ERR", "WRONGTYPE"...) to count, sorted by code as Redis's radix tree is. */
    private final Map<String, long[]> errorCounts = new TreeMap<>();

    /** Instantaneous rates, sampled by the cron as Redis's trackInstantaneousMetric does. */
    final InstantaneousMetric opsPerSec = new InstantaneousMetric();
    final InstantaneousMetric inputBytesPerSec = new InstantaneousMetric();
    final InstantaneousMetric outputBytesPerSec = new InstantaneousMetric();
    final InstantaneousMetric replInputBytesPerSec = new InstantaneousMetric();
    final InstantaneousMetric replOutputBytesPerSec = new InstantaneousMetric();

    /**
     * Counts an error reply (Redis's afterErrorReply): the total, and the count of its code, the
     * text before the first space within the first 32 characters ("ERR" if there is none).
     */
    public void errorReplied(String message) {
        totalErrorReplies++;
        int space = message.indexOf(' ');
        String code = space > 0 && space < 32 ? message.substring(0, space) : "ERR";
        long[] count = errorCounts.get(code);
        if (count == null) {
            errorCounts.put(code, new long[] {1});
        } else {
            count[0]++;
        }
    }

    /** Error code to count, in code order (INFO errorstats). */
    public Map<String, Long> errorCounts() {
        Map<String, Long> copy = new TreeMap<>();
        errorCounts.forEach((code, count) -> copy.put(code, count[0]));
        return copy;
    }

    /**
     * Redis's clientsCron before it looks at clients: the slot of the coming second starts afresh,
     * so that it holds only what is seen in that second once it comes.
     */
    void clientsPeakNextSecond(long nowSeconds) {
        int next = (int) ((nowSeconds + 1) % PEAK_SLOTS);
        clientsPeakInput[next] = 0;
        clientsPeakOutput[next] = 0;
    }

    /** Redis's clientsCronTrackExpansiveClients: one client's input and output bytes, seen now. */
    void clientPeak(long nowSeconds, long inputBytes, long outputBytes) {
        int slot = (int) (nowSeconds % PEAK_SLOTS);
        clientsPeakInput[slot] = Math.max(clientsPeakInput[slot], inputBytes);
        clientsPeakOutput[slot] = Math.max(clientsPeakOutput[slot], outputBytes);
    }

    /** INFO client_recent_max_input_buffer (Redis's getExpansiveClientsInfo). */
    public long clientRecentMaxInputBuffer() {
        return java.util.Arrays.stream(clientsPeakInput).max().orElse(0);
    }

    /** INFO client_recent_max_output_buffer. */
    public long clientRecentMaxOutputBuffer() {
        return java.util.Arrays.stream(clientsPeakOutput).max().orElse(0);
    }

    public long instantaneousOpsPerSec() {
        return opsPerSec.average();
    }

    public long instantaneousInputBytesPerSec() {
        return inputBytesPerSec.average();
    }

    public long instantaneousOutputBytesPerSec() {
        return outputBytesPerSec.average();
    }

    public long instantaneousReplInputBytesPerSec() {
        return replInputBytesPerSec.average();
    }

    public long instantaneousReplOutputBytesPerSec() {
        return replOutputBytesPerSec.average();
    }

    /** Samples the rates; called by the cron about every 100 ms. */
    void sampleRates(long nowMs) {
        opsPerSec.sample(nowMs, totalCommandsProcessed);
        inputBytesPerSec.sample(nowMs, netInputBytes);
        outputBytesPerSec.sample(nowMs, netOutputBytes);
        replInputBytesPerSec.sample(nowMs, netReplInputBytes);
        replOutputBytesPerSec.sample(nowMs, netReplOutputBytes);
    }

    void reset() {
        totalConnectionsReceived = 0;
        totalCommandsProcessed = 0;
        rejectedConnections = 0;
        expiredKeys = 0;
        expiredTimeCapReachedCount = 0;
        expireCycleMicros = 0;
        expiredStaleRatio = 0;
        evictedKeys = 0;
        syncFull = 0;
        syncPartialOk = 0;
        syncPartialErr = 0;
        evictedClients = 0;
        lazyfreedObjects = 0;
        dumpPayloadSanitizations = 0;
        keyspaceHits = 0;
        keyspaceMisses = 0;
        totalErrorReplies = 0;
        unexpectedErrorReplies = 0;
        errorRepliesAccounted = 0;
        netInputBytes = 0;
        netOutputBytes = 0;
        netReplInputBytes = 0;
        netReplOutputBytes = 0;
        totalReadsProcessed = 0;
        totalWritesProcessed = 0;
        errorCounts.clear();
        opsPerSec.reset();
        inputBytesPerSec.reset();
        outputBytesPerSec.reset();
        replInputBytesPerSec.reset();
        replOutputBytesPerSec.reset();
    }

    /**
     * A rate over the last 16 samples of a counter (Redis's STATS_METRIC_SAMPLES), each sample the
     * counter's growth per second since the previous one.
     */
    static final class InstantaneousMetric {
        private static final int SAMPLES = 16;
        private final long[] samples = new long[SAMPLES];
        private int index;
        private long lastMs;
        private long lastValue;

        void sample(long nowMs, long value) {
            if (lastMs != 0) {
                long elapsed = Math.max(1, nowMs - lastMs);
                samples[index] = (value - lastValue) * 1000 / elapsed;
                index = (index + 1) % SAMPLES;
            }
            lastMs = nowMs;
            lastValue = value;
        }

        long average() {
            long sum = 0;
            for (long s : samples) {
                sum += s;
            }
            return sum / SAMPLES;
        }

        void reset() {
            java.util.Arrays.fill(samples, 0);
            index = 0;
            lastMs = 0;
            lastValue = 0;
        }
    }
}
