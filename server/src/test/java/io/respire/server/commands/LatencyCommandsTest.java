package io.respire.server.commands;

import io.respire.server.EmbeddedServerTest;
import io.respire.server.InfoFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LATENCY and INFO latencystats end to end. */
class LatencyCommandsTest extends EmbeddedServerTest {

    @BeforeEach
    void reset() throws Exception {
        call("CONFIG SET latency-monitor-threshold 0");
        call("CONFIG SET latency-tracking yes");
        c.call("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9");
        call("LATENCY RESET");
        call("CONFIG RESETSTAT");
    }

    @AfterEach
    void monitorOff() throws Exception {
        call("CONFIG SET latency-monitor-threshold 0");
    }

    @Test
    void slowCommandsAreEventsAboveTheThreshold() throws Exception {
        call("DEBUG SLEEP 0.05");
        assertEquals("[]", call("LATENCY LATEST"), "monitor off");
        call("CONFIG SET latency-monitor-threshold 40");
        call("DEBUG SLEEP 0.05");
        call("PING");
        String latest = call("LATENCY LATEST");
        assertTrue(latest.matches("\\[\\[command, \\(integer\\) \\d+, \\(integer\\) (\\d+), \\(integer\\) \\1\\]\\]"), latest);
        String history = call("LATENCY HISTORY command");
        assertTrue(history.matches("\\[\\[\\(integer\\) \\d+, \\(integer\\) \\d+\\]\\]"), history);
        assertEquals("[]", call("LATENCY HISTORY fast-command"));
        assertTrue(call("LATENCY GRAPH command").startsWith("command - high "));
        assertEquals("(error) ERR No samples available for event 'nosuch'", call("LATENCY GRAPH nosuch"));
        // One spike, or more when a loaded host makes PING slow in another second as well.
        assertTrue(call("LATENCY DOCTOR").matches("(?s).*1\\. command: \\d+ latency spikes.*"));
        assertEquals("(integer) 0", call("LATENCY RESET nosuch"));
        assertEquals("(integer) 1", call("LATENCY RESET COMMAND nosuch"));
        assertEquals("[]", call("LATENCY LATEST"));
    }

    @Test
    void doctorWithTheMonitorOff() throws Exception {
        assertTrue(call("LATENCY DOCTOR").startsWith("I'm sorry, Dave, I can't do that."));
    }

    @Test
    void histogramsPerCommandAndSubcommand() throws Exception {
        call("SET a b");
        call("SET c d");
        call("CLIENT ID");
        String all = call("LATENCY HISTOGRAM");
        assertTrue(all.contains("set, [calls, (integer) 2, histogram_usec, ["), all);
        assertTrue(all.contains("config|resetstat, [calls, (integer) 1,"), all);
        assertTrue(call("LATENCY HISTOGRAM client").matches("\\[client\\|id, \\[calls, \\(integer\\) 1, histogram_usec, \\[.*\\]\\]\\]"));
        assertTrue(call("LATENCY HISTOGRAM client|id").startsWith("[client|id, [calls, (integer) 1,"));
        assertEquals("[]", call("LATENCY HISTOGRAM blabla get"));
        assertTrue(call("LATENCY HISTOGRAM blabla SET").startsWith("[set, [calls, (integer) 2,"));
    }

    @Test
    void infoLatencystatsFollowsTheSettings() throws Exception {
        call("SET a b");
        String line = InfoFields.of(c, "latencystats").get("latency_percentiles_usec_set");
        assertTrue(line.matches("p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}"), line);
        c.call("CONFIG", "SET", "latency-tracking-info-percentiles", "0 100");
        line = InfoFields.of(c, "latencystats").get("latency_percentiles_usec_set");
        assertTrue(line.matches("p0=\\d+\\.\\d{3},p100=\\d+\\.\\d{3}"), line);
        call("CONFIG SET latency-tracking no");
        assertEquals("# Latencystats\r\n", c.call("INFO", "latencystats"));
        call("CONFIG SET latency-tracking yes");
        call("CONFIG RESETSTAT");
        Map<String, String> after = InfoFields.of(c, "latencystats");
        assertFalse(after.containsKey("latency_percentiles_usec_set"), after.toString());
    }

    @Test
    void trackingOffRecordsNothing() throws Exception {
        call("CONFIG SET latency-tracking no");
        call("GET a");
        call("CONFIG SET latency-tracking yes");
        assertFalse(call("LATENCY HISTOGRAM get").contains("get"));
    }
}
