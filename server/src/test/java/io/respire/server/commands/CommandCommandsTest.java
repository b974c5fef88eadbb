package io.respire.server.commands;

import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import io.respire.server.command.CommandSpec;
import io.respire.server.command.CommandTable;
import io.respire.server.command.KeyFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * COMMAND and its subcommands through an embedded server, and compared with a real redis-server
 * 7.0 when one is installed: the same command must have the same arity, flags, key positions, key
 * specs, categories and documentation (Respire's summaries and command count legitimately differ).
 */
class CommandCommandsTest {
    private static RespireServer server;
    private static RespTestClient r;
    private static Process redis;
    private static RespTestClient real;
    private static Path redisDir;

    @BeforeAll
    static void start() throws Exception {
        server = RespireServer.start("--port", "0");
        r = new RespTestClient(server.port());
        if (onPath("redis-server")) {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            redisDir = Files.createTempDirectory("respire-redis");
            redis = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", redisDir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            for (int i = 0; i < 100 && real == null; i++) {
                try {
                    RespTestClient c = new RespTestClient(port);
                    if (c.call("PING").equals("PONG")) {
                        real = c;
                    }
                } catch (java.io.IOException e) {
                    Thread.sleep(50);
                }
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        r.close();
        server.close();
        if (real != null) {
            real.close();
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor();
            try (var files = Files.walk(redisDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String call(Object... args) throws Exception {
        return r.call(args);
    }

    private static CommandTable table() {
        return server.context().commands();
    }

    private static boolean implemented(String name) {
        CommandSpec spec = table().spec(name);
        return spec != null && CommandCommands.visible(spec);
    }

    /** A command of Redis's table that Respire does not implement, if any is left. */
    private static String unimplemented() {
        return table().commands().stream().filter(c -> !CommandCommands.visible(c)).map(CommandSpec::fullName)
                .findFirst().orElse(null);
    }

    @Test
    void countAndListCoverOnlyImplementedCommands() throws Exception {
        long visible = table().commands().stream().filter(CommandCommands::visible).count();
        assertEquals("(integer) " + visible, call("COMMAND", "COUNT"));
        String list = call("COMMAND", "LIST");
        assertTrue(list.contains("command|getkeys"), list);
        assertTrue(list.contains("config|set"), list);
        String missing = unimplemented();
        if (missing != null) {
            assertFalse(list.contains("[" + missing + ",") || list.contains(" " + missing + ",")
                    || list.contains(" " + missing + "]"), missing + " is listed");
            assertEquals("[(nil)]", call("COMMAND", "INFO", missing));
            assertEquals("[]", call("COMMAND", "DOCS", missing));
            assertEquals("(error) ERR Invalid command specified", call("COMMAND", "GETKEYS", missing, "a", "b", "c"));
        }
    }

    @Test
    void listFilters() throws Exception {
        assertEquals("[config|get]", call("COMMAND", "LIST", "FILTERBY", "PATTERN", "config|g*"));
        assertTrue(call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "connection").contains("ping"));
        assertEquals("[]", call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuchcategory"));
        assertEquals("[]", call("COMMAND", "LIST", "FILTERBY", "MODULE", "any"));
        assertEquals("(error) ERR syntax error", call("COMMAND", "LIST", "FILTERBY", "COLOR", "red"));
        assertEquals("(error) ERR syntax error", call("COMMAND", "LIST", "FILTERBY", "PATTERN"));
    }

    @Test
    void infoOfACommandInResp2AndResp3() throws Exception {
        String get = "*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
                + "*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n"
                + "*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n"
                + "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n"
                + "$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n"
                + "*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
        assertEquals("*1\r\n" + get, new String(r.callRaw("COMMAND", "INFO", "get"), StandardCharsets.UTF_8));
        try (RespTestClient c = new RespTestClient(server.port())) {
            c.call("HELLO", "3");
            String resp3 = new String(c.callRaw("COMMAND", "INFO", "get", "nosuch"), StandardCharsets.UTF_8);
            assertTrue(resp3.startsWith("*2\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n"), resp3);
            assertTrue(resp3.endsWith("~0\r\n_\r\n"), resp3);
        }
        assertEquals("*1\r\n$-1\r\n", new String(r.callRaw("COMMAND", "INFO", "nosuch"), StandardCharsets.UTF_8));
    }

    @Test
    void docsUseRespireSummaries() throws Exception {
        String docs = call("COMMAND", "DOCS", "get");
        assertTrue(docs.startsWith("[get, [summary, Returns the string value of a key., since, 1.0.0, group, string"),
                docs);
        String config = call("COMMAND", "DOCS", "config|get");
        assertTrue(config.startsWith("[config|get, [summary, Returns the settings whose names match"), config);
    }

    @Test
    void getkeysFindsKeysAndReportsRedisErrors() throws Exception {
        assertEquals("[a]", call("COMMAND", "GETKEYS", "GET", "a"));
        assertEquals("[[a, [RO, access]]]", call("COMMAND", "GETKEYSANDFLAGS", "get", "a"));
        assertEquals("(error) ERR Invalid command specified", call("COMMAND", "GETKEYS", "nosuch", "a"));
        assertEquals("(error) ERR Invalid number of arguments specified for command", call("COMMAND", "GETKEYS", "set", "a"));
        assertEquals("(error) ERR The command has no key arguments", call("COMMAND", "GETKEYS", "ping", "x"));
        assertEquals("(error) ERR The command has no key arguments", call("COMMAND", "GETKEYS", "config", "get", "x"));
        if (implemented("set")) {
            assertEquals("[[k, [OW, update]]]", call("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v"));
            assertEquals("[[k, [RW, access, update]]]", call("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "GET"));
        }
        if (implemented("mset")) {
            assertEquals("[a, b]", call("COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"));
        }
    }

    @Test
    void help() throws Exception {
        String help = call("COMMAND", "HELP");
        assertTrue(help.startsWith("[COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, "
                + "(no subcommand)"), help);
    }

    // ---- against the real Redis

    private static String withoutSummaries(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1).replaceAll("\\$7\r\nsummary\r\n\\$\\d+\r\n[^\r]*\r\n", "");
    }

    @Test
    void infoAndDocsMatchRedisForTheSameCommands() throws Exception {
        Assumptions.assumeTrue(real != null, "redis-server is not installed");
        int compared = 0;
        for (String name : List.of("get", "set", "mset", "del", "exists", "expire", "getex", "incrbyfloat", "setrange",
                "ping", "echo", "select", "config|get", "config|set", "command|info", "command|getkeys")) {
            if (!implemented(name)) {
                continue;
            }
            for (int protocol : new int[] {2, 3}) {
                r.call("HELLO", protocol);
                real.call("HELLO", protocol);
                assertEquals(new String(real.callRaw("COMMAND", "INFO", name), StandardCharsets.ISO_8859_1),
                        new String(r.callRaw("COMMAND", "INFO", name), StandardCharsets.ISO_8859_1), name);
                assertEquals(withoutSummaries(real.callRaw("COMMAND", "DOCS", name)),
                        withoutSummaries(r.callRaw("COMMAND", "DOCS", name)), name);
            }
            compared++;
        }
        r.call("HELLO", 2);
        real.call("HELLO", 2);
        assertTrue(compared >= 5, "too few implemented commands to compare: " + compared);
    }

    @Test
    void getkeysMatchesRedisForImplementedCommands() throws Exception {
        Assumptions.assumeTrue(real != null, "redis-server is not installed");
        for (String line : List.of("get a", "set a b", "set a b ex 10 get", "mset a 1 b 2", "del a b c", "exists a",
                "getex k persist", "ping", "get", "set a", "nosuch x")) {
            String[] argv = line.split(" ");
            if (!implemented(argv[0]) && !argv[0].equals("nosuch")) {
                continue;
            }
            for (String sub : new String[] {"GETKEYS", "GETKEYSANDFLAGS"}) {
                List<Object> args = new ArrayList<>(List.of("COMMAND", sub));
                args.addAll(List.of((Object[]) argv));
                assertEquals(real.call(args.toArray()), r.call(args.toArray()), sub + " " + line);
            }
        }
    }

    /**
     * The key finding itself (key specs and the ported getkeys functions) against Redis for
     * commands Respire may not implement yet, called directly so COMMAND's filter does not hide them.
     */
    @Test
    void keyFinderMatchesRedisForEveryKindOfKeySpec() throws Exception {
        Assumptions.assumeTrue(real != null, "redis-server is not installed");
        CommandTable table = CommandTable.load();
        for (String line : List.of("sort s", "sort s by x store dst limit 0 1 get y", "sort s store", "sort_ro s",
                "migrate h 1 k 0 10", "migrate h 1 '' 0 10 keys a b c", "migrate h 1 k 0 10 keys a", "eval s 0",
                "eval s 2 a b c", "eval s 3 a", "evalsha s 1 a", "zunionstore d 2 a b", "zunionstore d 0 a",
                "zunion 2 a b withscores", "sintercard 2 a b limit 1", "lmpop 2 a b left", "blmpop 0 2 a b left",
                "xread streams a b 0 0", "xread count 1 streams a 0", "xreadgroup group g c streams a 0",
                "georadius k 0 0 1 m store d", "georadiusbymember k m 1 km storedist d", "bitfield k get u8 0",
                "bitfield k set u8 0 1", "bitfield k overflow sat", "set a b get", "memory usage k",
                "xgroup create s g 0", "linsert l before a b", "blpop a b 0", "smove a b c", "pfcount a b",
                "lcs a b", "object encoding k", "xadd s * f v", "xautoclaim s g c 0 0", "spublish c m")) {
            String[] words = line.split(" ");
            byte[][] argv = new byte[words.length][];
            List<Object> args = new ArrayList<>(List.of("COMMAND", "GETKEYSANDFLAGS"));
            for (int i = 0; i < words.length; i++) {
                argv[i] = (words[i].equals("''") ? "" : words[i]).getBytes(StandardCharsets.UTF_8);
                args.add(argv[i]);
            }
            CommandSpec cmd = table.lookup(argv);
            assertNotNull(cmd, line);
            List<KeyFinder.KeyRef> keys = KeyFinder.find(cmd, argv);
            String expected = real.call(args.toArray());
            if (expected.startsWith("(error)")) {
                assertTrue(keys.isEmpty(), line);
                continue;
            }
            StringBuilder ours = new StringBuilder("[");
            for (KeyFinder.KeyRef key : keys) {
                ours.append(ours.length() > 1 ? ", " : "").append('[')
                        .append(new String(argv[key.position()], StandardCharsets.UTF_8)).append(", ")
                        .append(sortedFlags(key.flags().stream().map(CommandCommandsTest::replyName).toList()))
                        .append(']');
            }
            assertEquals(normalizeFlags(expected), ours.append(']').toString(), line);
        }
    }

    private static String replyName(String flag) {
        return flag.length() == 2 ? flag : flag.toLowerCase(Locale.ROOT);
    }

    private static String sortedFlags(List<String> flags) {
        return new TreeSet<>(flags).toString();
    }

    /** Sorts the flag lists inside a rendered GETKEYSANDFLAGS reply ("[[k, [RW, access]]]"). */
    private static String normalizeFlags(String rendered) {
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[([^\\[\\]]*)\\]").matcher(rendered);
        int last = 0;
        while (m.find()) {
            out.append(rendered, last, m.start());
            List<String> flags = m.group(1).isEmpty() ? List.of() : List.of(m.group(1).split(", "));
            out.append(sortedFlags(flags));
            last = m.end();
        }
        return out.append(rendered.substring(last)).toString();
    }
}
