package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A primary restarted from an RDB that recorded its replication history (Redis's
 * loadDataFromDisk): the keys found expired in the file are deleted in the replication stream,
 * after the file's offset, so that a replica continuing with PSYNC deletes them too. Redis 7.0.15
 * and Respire load the same file and must report the same history and hold the same stream.
 */
class RestartHistoryDifferentialTest extends ServerPairTest {
    private static final List<String> FIELDS = List.of("master_replid2", "second_repl_offset", "master_repl_offset",
            "repl_backlog_active", "repl_backlog_first_byte_offset", "repl_backlog_histlen",
            "rdb_last_load_keys_expired");

    @Test
    void keysExpiredInTheFileAreDeletedInTheStreamThatContinuesTheHistory() throws Exception {
        Path origin = Files.createTempDirectory("respire-history");
        RedisServerProcess writer = keep(RedisServerProcess.start(redisServer, origin));
        RespConnection w = connect("origin", writer.port());
        new ReplicationLink("origin", writer.port()).close(); // a replica came and went: a backlog and a history
        RdbInteropTest.ok(w.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
        for (int i = 0; i < 60; i++) {
            RdbInteropTest.ok(w.call("SELECT", String.valueOf(i % 3)));
            RdbInteropTest.ok(w.call("SET", "gone:" + i, "v", "PX", "10"));
            RdbInteropTest.ok(w.call("SET", "kept:" + i, "v"));
        }
        Thread.sleep(50);
        RdbInteropTest.ok(w.call("SAVE"));

        Path forRedis = Files.createTempDirectory("respire-history-redis");
        Path forRespire = Files.createTempDirectory("respire-history-respire");
        Files.copy(origin.resolve("dump.rdb"), forRedis.resolve("dump.rdb"));
        Files.copy(origin.resolve("dump.rdb"), forRespire.resolve("dump.rdb"));
        RedisServerProcess redis = keep(RedisServerProcess.start(redisServer, forRedis));
        RespireServer respire = keep(RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--save", "",
                "--dir", forRespire.toString()));
        RespConnection expected = connect("redis", redis.port());
        RespConnection actual = connect("respire", respire.port());

        assertEquals("60", info(expected, "rdb_last_load_keys_expired"), "the file is as meant");
        for (String field : FIELDS) {
            assertEquals(info(expected, field), info(actual, field), field);
        }
        String history = info(expected, "master_replid2");
        long from = Long.parseLong(info(expected, "second_repl_offset"));
        int length = Integer.parseInt(info(expected, "repl_backlog_histlen"));
        assertTrue(length > 0);
        assertEquals(continued("redis", redis.port(), history, from, length),
                continued("respire", respire.port(), history, from, length));
    }

    private static String info(RespConnection c, String field) {
        for (String line : c.call("INFO", "all").text().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError(c + ": INFO has no " + field);
    }

    /** What a replica continuing {@code history} from {@code offset} receives: its first {@code length} bytes. */
    private static String continued(String name, int port, String history, long offset, int length)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(RespConnection.READ_TIMEOUT_MS);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            socket.getOutputStream().write(("PSYNC " + history + " " + offset + "\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n' && b >= 0; b = in.read()) {
                line.append((char) b);
            }
            assertTrue(line.toString().startsWith("+CONTINUE"), name + " answered " + line);
            return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }
    }
}
