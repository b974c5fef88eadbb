package io.respire.conformance;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * INFO stats' byte counters against Redis: after CONFIG RESETSTAT, the same commands on both
 * servers must leave the same total_net_input_bytes (each read counted before its requests run, so
 * INFO counts its own request) and total_net_output_bytes (RESETSTAT's reply leaves after the
 * reset; INFO's own reply is not counted yet), and no replication traffic.
 */
class NetworkCountersDifferentialTest {
    private static final List<String> COUNTERS = List.of("total_net_input_bytes", "total_net_output_bytes",
            "total_net_repl_input_bytes", "total_net_repl_output_bytes");

    @Differential
    void bytesInAndOutCountWhatCrossedTheSockets(Dual d) {
        d.both("CONFIG", "RESETSTAT");
        d.check("SET", "netbytes", "value");
        d.check("GET", "netbytes");
        d.check("GET", "nosuchkey");
        d.check("MGET", "netbytes", "nosuchkey");
        RespReply[] info = d.both("INFO", "stats");
        for (String counter : COUNTERS) {
            assertEquals(field(info[0], counter), field(info[1], counter), counter);
        }
    }

    private static String field(RespReply info, String name) {
        for (String line : info.text().split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        throw new AssertionError("INFO stats has no " + name);
    }
}
