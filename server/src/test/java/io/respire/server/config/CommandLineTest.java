package io.respire.server.config;

import io.respire.server.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** redis-server's command line: the cases of Redis's own introspection tests, and more. */
class CommandLineTest {
    @TempDir
    Path dir;

    private static final InputStream NO_STDIN = new ByteArrayInputStream(new byte[0]);

    private static ServerConfig load(String... args) {
        return ConfigLoader.load(ConfigLoader.parse(args), NO_STDIN);
    }

    private static ConfigFileException error(String... args) {
        return assertThrows(ConfigFileException.class, () -> load(args));
    }

    @Test
    void optionsWithOneOrSeveralValues() {
        ServerConfig config = load("--port", "7000", "--save", "900", "1", "--save", "300", "10", "--maxmemory", "1mb");
        assertEquals(7000, config.port.value());
        assertEquals("900 1 300 10", config.save.get());
        assertEquals(1L << 20, config.maxmemory.value());
        assertNull(config.configFile());
    }

    @Test
    void emptySaveInAllItsSpellings() {
        assertEquals("", load("--save", "", "--loglevel", "verbose").save.get());
        assertEquals("", load("--save", "--loglevel", "verbose").save.get());
        assertEquals("", load("--loglevel", "verbose", "--save").save.get());
        ServerConfig config = load("--proc-title-template", "--save", "--save", "", "--loglevel", "verbose");
        assertEquals("--save", config.procTitleTemplate.get());
        assertEquals("", config.save.get());
        assertEquals("verbose", config.loglevel.get());
    }

    @Test
    void nameAndValueInOneArgumentAndValuesStartingWithDashes() {
        ServerConfig config = load("--maxmemory 700mb", "--maxmemory-policy volatile-lru");
        assertEquals(734003200, config.maxmemory.value());
        assertEquals("volatile-lru", config.maxmemoryPolicy.get());
        config = load("--proc-title-template", "--my--title--template", "--loglevel", "verbose");
        assertEquals("--my--title--template", config.procTitleTemplate.get());
        config = load("--shutdown-on-sigint", "nosave", "force", "now", "--shutdown-on-sigterm", "nosave force");
        assertEquals("nosave now force", config.shutdownOnSigint.get());
        assertEquals("nosave force", config.shutdownOnSigterm.get());
    }

    @Test
    void errorsQuoteTheOptionLikeRedis() {
        assertEquals("port", error("--port").line());
        assertEquals("wrong number of arguments", error("--port").reason());
        assertEquals("port \"6379\" \"6380\"", error("--port", "6379", "6380").line());
        assertEquals("port \"--loglevel\" \"verbose\"", error("--port", "--loglevel", "verbose").line());
        ConfigFileException e = error("--port", "--bla", "--loglevel", "verbose");
        assertEquals("port \"--bla\"", e.line());
        assertEquals("argument couldn't be parsed into an integer", e.reason());
        assertEquals("loglevel \"--bla\"", error("--logfile", "--my--log--file", "--loglevel", "--bla").line());
        assertTrue(error("--shutdown-on-sigint").reason().startsWith("argument(s) must be one of the following"));
        assertEquals("Invalid master port", error("--replicaof", "--127.0.0.1", "abc").reason());
        assertEquals("wrong number of arguments", error("--replicaof", "--127.0.0.1", "--abc").reason());
        assertEquals(2, error("--nosuch", "1").lineNumber()); // options follow the (empty) file's line
    }

    @Test
    void fileThenStdinThenOptions() throws IOException {
        Path file = dir.resolve("respire.conf");
        Files.writeString(file, "port 7001\ntimeout 10\nmaxclients 50\n");
        ConfigLoader.Invocation invocation = ConfigLoader.parse(file.toString(), "--timeout", "20", "-");
        assertTrue(invocation.fromStdin());
        ServerConfig config = ConfigLoader.load(invocation,
                new ByteArrayInputStream("maxclients 60\ntimeout 15\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(7001, config.port.value());
        assertEquals(20, config.timeout.value());
        assertEquals(60, config.maxclients.value());
        assertEquals(file.toAbsolutePath(), config.configFile());
    }

    @Test
    void errorsInTheFileNameItsLine() throws IOException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "# settings\nport 7001\nmaxmemory lots\n");
        ConfigFileException e = error(file.toString());
        assertEquals(3, e.lineNumber());
        assertEquals("maxmemory lots", e.line());
        assertEquals("argument must be a memory value", e.reason());
    }

    @Test
    void missingConfigFileIsReported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(dir + "/none.conf"));
        assertTrue(e.getMessage().startsWith("Fatal error, can't open config file"), e.getMessage());
    }

    /** The save cases of the suite's introspection tests, on its default config's "save 900 1". */
    @Test
    void saveOptionsAfterAFileThatSetsSavePoints() throws IOException {
        Path file = dir.resolve("default.conf");
        Files.writeString(file, "always-show-logo yes\nsave 900 1\nappendonly no\n");
        String f = file.toString();
        assertEquals("900 1", load(f).save.get());
        assertEquals("900 1 100 100", load(f, "--save", "100", "100").save.get());
        assertEquals("", load(f, "--save", "").save.get());
        assertEquals("", load(f, "--save", "--loglevel", "verbose").save.get());
        assertEquals("", load(f, "--loglevel", "verbose", "--save").save.get());
        assertEquals("", load(f, "--save", "", "--loglevel", "verbose").save.get());
        assertEquals("100 100", load(f, "--save", "", "--save", "100", "100").save.get());
    }

    /** What the suite's spawned servers are given: its config file, then overrides as options. */
    @Test
    void theSuitesCommandLine() throws IOException {
        Path file = dir.resolve("redis.conf");
        Files.writeString(file, String.join("\n", "always-show-logo yes", "notify-keyspace-events KEA",
                "daemonize no", "pidfile /var/run/redis.pid", "port 7632", "timeout 0", "bind 127.0.0.1",
                "loglevel verbose", "logfile ''", "databases 16", "latency-monitor-threshold 1",
                "repl-diskless-sync-delay 0", "save 900 1", "rdbcompression yes", "dbfilename dump.rdb",
                "dir " + dir, "slave-serve-stale-data yes", "appendonly no", "appendfsync everysec",
                "no-appendfsync-on-rewrite no", "activerehashing yes", "enable-protected-configs yes",
                "enable-debug-command yes", "enable-module-command yes", "propagation-error-behavior panic",
                "unixsocket " + dir.resolve("socket"), "list-max-ziplist-size 5", ""));
        ServerConfig config = load(file.toString(), "--maxmemory 700mb", "--proc-title-template", "--x--",
                "--shutdown-on-sigint", "nosave", "force", "now");
        assertEquals(7632, config.port.value());
        assertTrue(config.alwaysShowLogo.value());
        assertEquals("", config.logfile.value());
        assertEquals("/var/run/redis.pid", config.pidfile.value());
        assertEquals(dir.resolve("socket").toString(), config.unixsocket.value());
        assertEquals("AKE", config.notifyKeyspaceEvents.get());
        assertEquals(5, config.listMaxListpackSize.value());
        assertEquals("yes", config.enableDebugCommand.get());
        assertEquals("panic", config.propagationErrorBehavior.get());
        assertEquals(700L << 20, config.maxmemory.value());
        assertEquals("--x--", config.procTitleTemplate.get());
        assertEquals("nosave now force", config.shutdownOnSigint.get());
        assertEquals(List.of(), config.unsupportedDirectives());
    }

    @Test
    void helpAndVersionAreRecognisedFirst() {
        assertTrue(ConfigLoader.parse("--help").help());
        assertTrue(ConfigLoader.parse("-h").help());
        assertTrue(ConfigLoader.parse("--version").version());
        assertFalse(ConfigLoader.parse("/etc/x.conf", "--help").help()); // redis-server only looks at argv[1]
        assertTrue(ConfigLoader.parse("-v").version());
        ConfigLoader.Invocation later = ConfigLoader.parse("--proc-title-template", "--help");
        assertFalse(later.help());
        assertEquals("proc-title-template \"--help\" ", later.options());
    }
}
