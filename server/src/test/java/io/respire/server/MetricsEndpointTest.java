package io.respire.server;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** metrics-port scraped as Prometheus scrapes it: redis_exporter's names, refusals, CONFIG SET. */
class MetricsEndpointTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(String host, int port, String path, String basic) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path));
        if (basic != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void scrapeShowsInfoKeyspaceCommandsAndLatencyUnderRedisExporterNames() throws Exception {
        int metrics = RespTestClient.freePort();
        try (RespireServer server = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--metrics-port",
                Integer.toString(metrics));
             RespTestClient c = new RespTestClient(server.port())) {
            c.call("SET", "a", "1");
            c.call("SET", "b", "2");
            c.call("EXPIRE", "b", "100");
            c.call("GET", "a");
            c.call("INCR", "a");
            c.call("SET", "a", "x");
            c.call("INCR", "a"); // an error: ERR value is not an integer
            HttpResponse<String> response = get("127.0.0.1", metrics, "/metrics", null);
            assertEquals(200, response.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("content-type").orElse(""));
            String body = response.body();
            for (String line : new String[] {"redis_up 1", "redis_connected_clients 1", "redis_commands_total{cmd=\"set\"} 3",
                    "redis_commands_total{cmd=\"incr\"} 2", "redis_commands_failed_calls_total{cmd=\"incr\"} 1",
                    "redis_db_keys{db=\"db0\"} 2", "redis_db_keys_expiring{db=\"db0\"} 1", "redis_errors_total{err=\"ERR\"} 1",
                    "# TYPE redis_commands_processed_total counter", "# TYPE redis_latency_percentiles_usec summary",
                    "redis_latency_percentiles_usec_count{cmd=\"set\"} 3"}) {
                assertTrue(body.contains("\n" + line + "\n") || body.contains("\n" + line), line + " in\n" + body);
            }
            assertTrue(body.matches("(?s).*\nredis_memory_used_bytes [0-9]+\n.*"), body);
            assertTrue(body.matches("(?s).*\nredis_latency_percentiles_usec\\{cmd=\"get\",quantile=\"0\\.99\"} [0-9.]+\n.*"), body);
            assertTrue(body.matches("(?s).*\nredis_commands_duration_seconds_total\\{cmd=\"set\"} [0-9.E-]+\n.*"), body);
            assertTrue(body.contains("redis_instance_info{role=\"master\",redis_version=\"7.0.15\""), body);
            assertEquals(1, body.split("# TYPE redis_commands_total ", -1).length - 1, "one TYPE line per metric");
            assertEquals(404, get("127.0.0.1", metrics, "/", null).statusCode());

            assertEquals("[metrics-port, " + metrics + "]", c.call("CONFIG", "GET", "metrics-port"));
            assertEquals("OK", c.call("CONFIG", "SET", "metrics-port", "0"));
            assertThrows(ConnectException.class, () -> new java.net.Socket("127.0.0.1", metrics).close(), "no longer listened on");
        }
    }

    @Test
    void withAPasswordTheScrapeNeedsAnAclUserAllowedToRunInfo() throws Exception {
        int metrics = RespTestClient.freePort();
        try (RespireServer server = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--metrics-port",
                Integer.toString(metrics), "--requirepass", "pw");
             RespTestClient c = new RespTestClient(server.port())) {
            assertEquals(401, get("127.0.0.1", metrics, "/metrics", null).statusCode());
            assertEquals(401, get("127.0.0.1", metrics, "/metrics", "default:wrong").statusCode());
            assertEquals(200, get("127.0.0.1", metrics, "/metrics", "default:pw").statusCode());
            assertEquals("OK", c.call("AUTH", "pw"));
            assertEquals("OK", c.call("ACL", "SETUSER", "reader", "on", ">rpw", "+get"));
            assertEquals(401, get("127.0.0.1", metrics, "/metrics", "reader:rpw").statusCode(), "INFO is not allowed");
            assertEquals("OK", c.call("ACL", "SETUSER", "reader", "+info"));
            assertEquals(200, get("127.0.0.1", metrics, "/metrics", "reader:rpw").statusCode());
        }
    }

    @Test
    void protectedModeServesTheLoopbackOnly() throws Exception {
        String address = NetworkEdgeTest.nonLoopbackAddress();
        Assumptions.assumeTrue(address != null, "this machine has no non-loopback IPv4 address to connect from");
        int metrics = RespTestClient.freePort();
        try (RespireServer server = RespireServer.start("--port", "0", "--bind", "*", "--metrics-port", Integer.toString(metrics));
             RespTestClient c = new RespTestClient(server.port())) {
            assertEquals(403, get(address, metrics, "/metrics", null).statusCode());
            assertEquals(200, get("127.0.0.1", metrics, "/metrics", null).statusCode());
            assertEquals("OK", c.call("CONFIG", "SET", "protected-mode", "no"));
            assertEquals(200, get(address, metrics, "/metrics", null).statusCode());
        }
    }
}
