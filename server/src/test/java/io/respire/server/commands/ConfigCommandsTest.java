package io.respire.server.commands;

import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CONFIG GET, SET, RESETSTAT, REWRITE and HELP through an embedded server, RESP2 and RESP3. */
class ConfigCommandsTest {
    private static RespireServer server;
    private static RespTestClient r;

    @BeforeAll
    static void start() throws Exception {
        server = RespireServer.start("--port", "0", "--save", "", "--proto-max-bulk-len", "2mb");
        r = new RespTestClient(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        r.close();
        server.close();
    }

    private static String call(Object... args) throws Exception {
        return r.call(args);
    }

    @Test
    void getReturnsNameValuePairsAndShowsCommandLineSettings() throws Exception {
        assertEquals("[proto-max-bulk-len, 2097152]", call("CONFIG", "GET", "proto-max-bulk-len"));
        assertEquals("[save, ]", call("CONFIG", "GET", "save"));
        assertEquals("[PROTO-MAX-BULK-LEN, 2097152]", call("CONFIG", "GET", "PROTO-MAX-BULK-LEN"));
        assertEquals("[]", call("CONFIG", "GET", "no-such-option"));
        assertEquals("[maxmemory, 0]", call("CONFIG", "GET", "maxmemory", "MAXMEMORY"));
    }

    @Test
    void maxmemoryIsEnforcedSoAccepted() throws Exception {
        assertEquals("OK", call("CONFIG", "SET", "maxmemory", "1gb"));
        assertEquals("[maxmemory, 1073741824]", call("CONFIG", "GET", "maxmemory"));
        assertEquals("OK", call("CONFIG", "SET", "maxmemory", "0"));
        assertEquals("[maxmemory, 0]", call("CONFIG", "GET", "maxmemory"));
    }

    @Test
    void maxmemoryClientsTakesBytesOrAPercentage() throws Exception {
        assertEquals("OK", call("CONFIG", "SET", "maxmemory-clients", "10%"));
        assertEquals("[maxmemory-clients, 10%]", call("CONFIG", "GET", "maxmemory-clients"));
        assertEquals("OK", call("CONFIG", "SET", "maxmemory-clients", "3mb"));
        assertEquals("[maxmemory-clients, 3145728]", call("CONFIG", "GET", "maxmemory-clients"));
        assertEquals("OK", call("CONFIG", "SET", "maxmemory-clients", "0"));
        assertEquals("[maxmemory-clients, 0]", call("CONFIG", "GET", "maxmemory-clients"));
    }

    @Test
    void getMatchesPatternsAgainstNamesAndAliasesWithoutDuplicates() throws Exception {
        String reply = call("CONFIG", "GET", "maxmemory", "maxmemory*", "bind", "*of");
        for (String name : new String[] {"maxmemory", "maxmemory-samples", "maxmemory-clients", "maxmemory-policy",
                "maxmemory-eviction-tenacity", "bind", "replicaof", "slaveof"}) {
            assertTrue(reply.contains(name + ","), name + " missing from " + reply);
        }
        assertEquals(reply.indexOf("maxmemory,"), reply.lastIndexOf("maxmemory,"));
        assertFalse(call("CONFIG", "GET", "*").contains("key-load-delay"), "hidden options need their exact name");
        assertEquals("[key-load-delay, 0]", call("CONFIG", "GET", "key-load-delay"));
    }

    @Test
    void getIsAMapInResp3AndAFlatArrayInResp2() throws Exception {
        try (RespTestClient c = new RespTestClient(server.port())) {
            assertEquals("*2\r\n$7\r\ntimeout\r\n$1\r\n0\r\n",
                    new String(c.callRaw("CONFIG", "GET", "timeout"), StandardCharsets.UTF_8));
            c.call("HELLO", "3");
            assertEquals("%1\r\n$7\r\ntimeout\r\n$1\r\n0\r\n",
                    new String(c.callRaw("CONFIG", "GET", "timeout"), StandardCharsets.UTF_8));
        }
    }

    @Test
    void setRoundTripsSeveralOptionsAtOnce() throws Exception {
        assertEquals("OK", call("CONFIG", "SET", "hash-max-ziplist-entries", "100", "notify-keyspace-events", "KEA",
                "client-output-buffer-limit", "pubsub 64mb 16mb 90"));
        assertEquals("[hash-max-listpack-entries, 100]", call("CONFIG", "GET", "hash-max-listpack-entries"));
        assertEquals("[notify-keyspace-events, AKE]", call("CONFIG", "GET", "notify-keyspace-events"));
        assertEquals("[client-output-buffer-limit, normal 0 0 0 slave 268435456 67108864 60 pubsub 67108864 16777216 90]",
                call("CONFIG", "GET", "client-output-buffer-limit"));
        assertEquals("OK", call("CONFIG", "SET", "hash-max-listpack-entries", "512", "notify-keyspace-events", "",
                "client-output-buffer-limit", "pubsub 32mb 8mb 60"));
    }

    @Test
    void setErrorsAreRedisWordForWordAndChangeNothing() throws Exception {
        assertEquals("(error) ERR Unknown option or number of arguments for CONFIG SET - 'foo'",
                call("CONFIG", "SET", "foo", "bar"));
        assertEquals("(error) ERR syntax error", call("CONFIG", "SET", "timeout", "1", "proto-max-bulk-len"));
        assertEquals("(error) ERR CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't be "
                + "parsed into an integer", call("CONFIG", "SET", "timeout", "x"));
        assertEquals("(error) ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable "
                + "config", call("CONFIG", "SET", "daemonize", "yes"));
        assertEquals("(error) ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
                call("CONFIG", "SET", "dir", "/tmp"));
        assertEquals("(error) ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - duplicate "
                + "parameter", call("CONFIG", "SET", "proto-max-bulk-len", "1", "proto-max-bulk-len", "2"));
        assertEquals("(error) ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage "
                + "argument must be less or equal to 100",
                call("CONFIG", "SET", "proto-max-bulk-len", "10000001", "maxmemory-clients", "200%", "timeout", "invalid"));
        assertEquals("[proto-max-bulk-len, 2097152]", call("CONFIG", "GET", "proto-max-bulk-len"));
        assertEquals("(error) ERR CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be "
                + "one of the following: everysec, always, no", call("CONFIG", "SET", "appendfsync", "often"));
    }

    @Test
    void aPortThatCannotBeListenedOnRollsTheWholeSetBack() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertEquals("(error) ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this "
                    + "port. Check server logs.", call("CONFIG", "SET", "proto-max-bulk-len", "3mb", "port",
                    Integer.toString(taken.getLocalPort())));
        }
        assertEquals("[proto-max-bulk-len, 2097152]", call("CONFIG", "GET", "proto-max-bulk-len"));
        assertEquals("[port, 0]", call("CONFIG", "GET", "port"));
        assertEquals("OK", call("CONFIG", "SET", "port", "0"));
    }

    @Test
    void resetstatZeroesTheCounters() throws Exception {
        call("PING");
        assertEquals("OK", call("CONFIG", "RESETSTAT"));
        String stats = call("INFO", "stats");
        assertTrue(stats.contains("total_commands_processed:"), stats);
        assertTrue(server.context().stats().totalCommandsProcessed <= 2, stats);
    }

    @Test
    void rewriteNeedsAConfigFile() throws Exception {
        assertEquals("(error) ERR The server is running without a config file", call("CONFIG", "REWRITE"));
    }

    @Test
    void rewriteUpdatesTheFileTheServerStartedFrom(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("respire.conf");
        Files.writeString(file, "# Respire test\nport 0\nproto-max-bulk-len 1mb\nsave \"\"\n");
        try (RespireServer s = RespireServer.start(file.toString());
             RespTestClient c = new RespTestClient(s.port())) {
            assertEquals("OK", c.call("CONFIG", "SET", "proto-max-bulk-len", "5mb", "timeout", "42"));
            assertEquals("OK", c.call("CONFIG", "REWRITE"));
        }
        String content = Files.readString(file);
        assertTrue(content.startsWith("# Respire test\nport 0\nproto-max-bulk-len 5mb\nsave \"\"\n"), content);
        assertTrue(content.contains("# Generated by CONFIG REWRITE\n"), content);
        assertTrue(content.contains("\ntimeout 42\n"), content);
    }

    /** DEBUG CONFIG-REWRITE-FORCE-ALL writes every option, and the server starts again from it unchanged. */
    @Test
    void rewriteForceAllWritesEveryOptionAndReadsBackTheSame(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("respire.conf");
        Files.writeString(file, "port 0\nenable-debug-command yes\nsave \"\"\n");
        String before;
        try (RespireServer s = RespireServer.start(file.toString());
             RespTestClient c = new RespTestClient(s.port())) {
            assertEquals("OK", c.call("CONFIG", "SET", "timeout", "42"));
            assertEquals("OK", c.call("DEBUG", "CONFIG-REWRITE-FORCE-ALL"));
            before = c.call("CONFIG", "GET", "*");
        }
        String content = Files.readString(file);
        assertTrue(content.contains("\nhz 10\n"), "a default is written too: " + content);
        assertTrue(content.contains("\ntimeout 42\n"), content);
        try (RespireServer s = RespireServer.start(file.toString());
             RespTestClient c = new RespTestClient(s.port())) {
            assertEquals(before, c.call("CONFIG", "GET", "*"));
        }
    }

    @Test
    void secretValuesAreKnownForRedaction() {
        byte[][] argv = {b("CONFIG"), b("SET"), b("timeout"), b("1"), b("REQUIREPASS"), b("secret"), b("masterauth"),
                b("x")};
        var config = server.context().config();
        assertFalse(ConfigCommands.isSecretValue(config, argv, 3));
        assertFalse(ConfigCommands.isSecretValue(config, argv, 4));
        assertTrue(ConfigCommands.isSecretValue(config, argv, 5));
        assertTrue(ConfigCommands.isSecretValue(config, argv, 7));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void help() throws Exception {
        String help = call("CONFIG", "HELP");
        assertTrue(help.startsWith("[CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, GET <pattern>"), help);
        assertTrue(help.endsWith("HELP,     Prints this help.]"), help);
        assertEquals("(error) ERR unknown subcommand 'NOPE'. Try CONFIG HELP.", call("CONFIG", "NOPE"));
    }
}
