package io.respire.server.observability;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The latency monitor's time series: one sample per second, 160 kept, all-time maximum, reset. */
class LatencyMonitorTest {
    @Test
    void oneSamplePerSecondKeepingTheWorst() {
        LatencyMonitor m = new LatencyMonitor();
        m.add("command", 50, 100);
        m.add("command", 80, 100);
        m.add("command", 60, 100);
        m.add("command", 20, 101);
        assertEquals(List.of(new LatencyMonitor.Sample(100, 80), new LatencyMonitor.Sample(101, 20)),
                m.history("command"));
        assertEquals(new LatencyMonitor.Sample(101, 20), m.latest("command"));
        assertEquals(80, m.allTimeMax("command"));
    }

    @Test
    void keepsTheLast160SecondsButTheAllTimeMaximum() {
        LatencyMonitor m = new LatencyMonitor();
        m.add("expire-cycle", 999, 1);
        for (int s = 2; s <= 200; s++) {
            m.add("expire-cycle", s, s);
        }
        List<LatencyMonitor.Sample> h = m.history("expire-cycle");
        assertEquals(160, h.size());
        assertEquals(41, h.get(0).timeSeconds(), "oldest first");
        assertEquals(200, h.get(159).timeSeconds());
        assertEquals(999, m.allTimeMax("expire-cycle"));
    }

    @Test
    void eventsInFirstSeenOrderAndResetIgnoresCase() {
        LatencyMonitor m = new LatencyMonitor();
        m.add("fast-command", 5, 10);
        m.add("command", 7, 10);
        assertEquals(List.of("fast-command", "command"), m.eventNames());
        assertEquals(0, m.reset("nosuchevent"));
        assertEquals(1, m.reset("COMMAND"));
        assertEquals(List.of("fast-command"), m.eventNames());
        assertNull(m.latest("command"));
        assertTrue(m.history("command").isEmpty());
        m.add("command", 7, 10);
        assertEquals(2, m.reset(null));
        assertTrue(m.isEmpty());
    }

    @Test
    void analysisAsTheDoctorReportsIt() {
        LatencyMonitor m = new LatencyMonitor();
        m.add("command", 100, 1000);
        m.add("command", 200, 1001);
        m.add("command", 600, 1003);
        LatencyMonitor.Stats s = m.analyze("command", 1010);
        assertEquals(3, s.samples());
        assertEquals(300, s.avg());
        assertEquals((200 + 100 + 300) / 3, s.mad());
        assertEquals(10, s.periodSeconds());
        assertEquals(600, s.allTimeHigh());
        assertEquals(0, m.analyze("none", 1010).samples());
    }
}
