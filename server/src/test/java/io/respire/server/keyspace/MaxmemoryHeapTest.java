package io.respire.server.keyspace;

import io.respire.server.RespTestClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The point of maxmemory: a server in a JVM with a small heap, and maxmemory below it, takes a
 * write flood several times the size of its heap without running out of memory, evicting as it
 * goes, and keeps its accounted memory under the limit.
 */
class MaxmemoryHeapTest {
    private static final int HEAP_MB = 96;
    private static final int MAXMEMORY_MB = 40;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void writeFloodFarBeyondTheHeapIsEvictedNotFatal() throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("respire-heap", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(List.of(java, "-Xmx" + HEAP_MB + "m", "-XX:+UseG1GC",
                "-cp", System.getProperty("java.class.path"), "io.respire.server.Main",
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--maxmemory", MAXMEMORY_MB + "mb", "--maxmemory-policy", "allkeys-lru"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitPort(port, server);
            byte[] value = "v".repeat(1000).getBytes(StandardCharsets.US_ASCII);
            long written = 0;
            try (RespTestClient flood = new RespTestClient(port)) {
                // 400 MB of values in pipelined batches: four times the heap, ten times maxmemory.
                for (int batch = 0; batch < 4000; batch++) {
                    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(110_000);
                    for (int i = 0; i < 100; i++) {
                        out.writeBytes(RespTestClient.encode("SET".getBytes(), ("key:" + batch + ":" + i).getBytes(), value));
                        written++;
                    }
                    flood.sendRaw(out.toByteArray());
                    for (int i = 0; i < 100; i++) {
                        assertEquals("+OK", flood.readLine());
                    }
                }
            }
            assertTrue(server.isAlive(), "the server survived the flood");
            try (RespTestClient c = new RespTestClient(port)) {
                String info = c.call("INFO", "all");
                long used = field(info, "used_memory");
                long evicted = field(info, "evicted_keys");
                assertTrue(used <= MAXMEMORY_MB << 20, "used_memory " + used);
                assertTrue(evicted > written / 2, "evicted " + evicted + " of " + written);
                assertEquals("PONG", c.call("PING"));
            }
            assertFalse(Files.readString(log).contains("OutOfMemoryError"));
        } finally {
            server.destroy();
            server.waitFor();
            Files.deleteIfExists(log);
        }
    }

    private static long field(String info, String name) {
        Matcher m = Pattern.compile(name + ":(\\d+)").matcher(info);
        assertTrue(m.find(), name);
        return Long.parseLong(m.group(1));
    }

    private static void awaitPort(int port, Process server) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited with " + server.exitValue());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the server did not start");
    }
}
