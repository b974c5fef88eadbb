package io.respire.server;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** dynamic-hz: the cron runs more often with more than 200 clients per tick, as INFO hz shows. */
class DynamicHzTest {
    private static long hzWith(String dynamic) throws Exception {
        try (RespireServer server = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--dynamic-hz", dynamic,
                "--hz", "1");
             RespTestClient c = new RespTestClient(server.port())) {
            assertEquals(1, InfoFields.number(c, "hz"));
            List<RespTestClient> many = new ArrayList<>();
            try {
                for (int i = 0; i < 250; i++) {
                    many.add(new RespTestClient(server.port()));
                }
                for (int i = 0; InfoFields.number(c, "connected_clients") < 251; i++) {
                    if (i == 400) {
                        fail("the clients did not connect");
                    }
                    Thread.sleep(10);
                }
                Thread.sleep(2100); // two ticks at 1 Hz
                assertEquals(1, InfoFields.number(c, "configured_hz"));
                return InfoFields.number(c, "hz");
            } finally {
                for (RespTestClient m : many) {
                    m.close();
                }
            }
        }
    }

    @Test
    void moreThan200ClientsPerTickDoubleTheFrequency() throws Exception {
        assertEquals(2, hzWith("yes"));
    }

    @Test
    void notWithoutDynamicHz() throws Exception {
        assertEquals(1, hzWith("no"));
    }
}
