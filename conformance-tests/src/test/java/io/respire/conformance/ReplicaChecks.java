package io.respire.conformance;

import org.opentest4j.AssertionFailedError;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the replication tests ask of a replica, whichever server plays which part: that its link is
 * up, that it has applied everything its primary propagated so far, and that it then holds the
 * primary's dataset ({@link Dataset}), key by key.
 */
final class ReplicaChecks {
    private ReplicaChecks() {
    }

    /** Waits until {@code replica} has applied every byte {@code primary} has fed its replicas so far. */
    static void awaitCaughtUp(RespConnection primary, RespConnection replica) throws InterruptedException {
        long target = Long.parseLong(info(primary, "master_repl_offset"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // At least, not exactly: the primary's PINGs may move the offset after it was read.
        while (!info(replica, "master_link_status").equals("up") || Long.parseLong(info(replica, "slave_repl_offset")) < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionFailedError("the replica never reached the primary's offset " + target + ":\n"
                        + replica.call("INFO", "replication").text());
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /** The replica holds exactly the primary's dataset. */
    static void assertSameData(RespConnection primary, RespConnection replica) {
        assertSameData("primary", primary, replica, Map.of());
    }

    /**
     * The replica holds the primary's dataset except for the keys of {@code expected} ("db key" to
     * why they differ by design), which must differ ({@link Dataset#assertSame}).
     */
    static void assertSameData(String primaryName, RespConnection primary, RespConnection replica, Map<String, String> expected) {
        Dataset.assertSame(primaryName, primary, primaryName + "'s replica", replica, expected);
        if (expected.isEmpty()) {
            // The whole dataset's digest also covers keys expired but not yet deleted, which KEYS hides.
            String a = primary.call("DEBUG", "DIGEST").text();
            String b = replica.call("DEBUG", "DIGEST").text();
            if (!a.equals(b)) {
                throw new AssertionFailedError("the live keys are the same but DEBUG DIGEST differs (in keys logically"
                        + " expired, not yet deleted): " + primaryName + " " + a + ", its replica " + b);
            }
        }
    }

    /** A field of INFO replication. */
    static String info(RespConnection c, String field) {
        for (String line : c.call("INFO", "replication").text().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionFailedError("INFO replication has no " + field);
    }

    /** Waits until INFO replication has the line {@code line} ("field:value"). */
    static void awaitInfo(RespConnection c, String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.call("INFO", "replication").text().contains(line + "\r\n")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionFailedError("the replica never reported " + line + ":\n" + c.call("INFO", "replication").text());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
