package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Respire driven by the real redis-cli (Debian's redis-tools): one-shot commands, commands read
 * from stdin as a script would send them, RESP3 with {@code -3}, bulk loading with {@code --pipe}
 * and {@code --scan}. The expected outputs are what redis-cli prints against Redis 7.0.15 (its
 * non-tty "raw" output). Without redis-cli this class skips locally and fails on CI.
 */
class RedisCliEndToEndTest {
    private RespireServer server;
    private Path cli;

    /** A fresh server per test, so no test depends on FLUSHALL. */
    @BeforeEach
    void findCliAndStartServer() {
        cli = ExternalTools.redisCli();
        server = RespireServer.start("--port", "0");
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void oneShotCommands() {
        assertEquals("OK\n", cli(null, "SET", "k", "v"));
        assertEquals("v\n", cli(null, "GET", "k"));
        assertEquals("\n", cli(null, "GET", "missing"));
        assertEquals("1\n", cli(null, "INCR", "n"));
        assertEquals("v\n\n", cli(null, "MGET", "k", "missing"));
        // redis-cli adds a blank line after an error (on stderr, merged here)
        assertEquals("ERR wrong number of arguments for 'get' command", cli(null, "GET").strip());
    }

    @Test
    void commandsFromStdin() {
        assertEquals("OK\n2\n2\n\nPONG\n", cli("SET a 1\nINCR a\nGET a\nGET nokey\nPING\n"));
    }

    @Test
    void resp3() {
        assertEquals("OK\n", cli(null, "-3", "SET", "k", "v"));
        assertEquals("v\n\n", cli(null, "-3", "MGET", "k", "missing"));
        assertEquals("1.5\n", cli(null, "-3", "INCRBYFLOAT", "f", "1.5"));
        String hello = cli(null, "-3", "HELLO", "3");
        assertTrue(hello.startsWith("server redis\nversion 7.0.15\nproto 3\nid "), hello);
    }

    @Test
    void pipeMode() {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            String key = "key:" + i;
            String value = "value:" + i;
            input.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key)
                    .append("\r\n$").append(value.length()).append("\r\n").append(value).append("\r\n");
        }
        String out = cli(input.toString(), "--pipe");
        assertTrue(out.contains("errors: 0, replies: 10000"), out);
        assertEquals("10000\n", cli(null, "DBSIZE"));
        assertEquals("value:9999\n", cli(null, "GET", "key:9999"));
    }

    @Test
    void scanMode() {
        StringBuilder commands = new StringBuilder("SET other x\n");
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 50; i++) {
            commands.append("SET user:").append(i).append(" x\n");
            expected.add("user:" + i);
        }
        assertEquals("OK\n".repeat(51), cli(commands.toString()));
        assertEquals(expected, lines(cli(null, "--scan", "--pattern", "user:*")));
        assertEquals(51, lines(cli(null, "--scan")).size());
    }

    private static Set<String> lines(String out) {
        return new TreeSet<>(Arrays.asList(out.split("\n")));
    }

    /** Runs redis-cli against the server with {@code stdin} (or none) and returns its output. */
    private String cli(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(cli.toString(), "-h", "127.0.0.1", "-p", String.valueOf(server.port())));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("redis-cli " + args[0] + " did not finish in 60 s");
            }
            return new String(output.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new AssertionError("running " + command + ": " + e, e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
