package io.respire.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The redis.conf reader: syntax, units, include, and Redis's diagnosis of bad lines. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private static ServerConfig load(String text) {
        ServerConfig config = new ServerConfig();
        ConfigFile.load(config, text);
        return config;
    }

    private static ConfigFileException error(String text) {
        return assertThrows(ConfigFileException.class, () -> load(text));
    }

    @Test
    void commentsBlankLinesCaseAndBooleans() {
        ServerConfig config = load("# a comment\n\n   \n  PORT 7000  \r\nAppendOnly YES\nactiverehashing no\n");
        assertEquals(7000, config.port.intValue());
        assertTrue(config.appendonly.value());
        assertFalse(config.activerehashing.value());
    }

    @Test
    void quotesAndEscapesFollowRedisSplitting() {
        ServerConfig config = load("requirepass \"p a\\x41ss\\n\"\nmasterauth 'it\\'s'\nignore-warnings \"\"\n");
        assertEquals("p aAss\n", config.requirepass.value());
        assertEquals("it's", config.masterauth.value());
        assertEquals("", config.ignoreWarnings.value());
    }

    @Test
    void memoryUnits() {
        ServerConfig config = load("maxmemory 1gb\nproto-max-bulk-len 2MB\nclient-query-buffer-limit 1500k\n"
                + "hash-max-listpack-value 1kb\n");
        assertEquals(1L << 30, config.maxmemory.value());
        assertEquals(2L << 20, config.protoMaxBulkLen.value());
        assertEquals(1_500_000, config.clientQueryBufferLimit.value());
        assertEquals(1024, config.hashMaxListpackValue.value());
        assertEquals("1073741824", config.maxmemory.get());
    }

    @Test
    void aliasesSetTheSameOption() {
        ServerConfig config = load("hash-max-ziplist-entries 20\nlua-time-limit 100\nslaveof 127.0.0.1 6380\n");
        assertEquals(20, config.hashMaxListpackEntries.value());
        assertEquals(100, config.busyReplyThreshold.value());
        assertEquals("127.0.0.1", config.replicaof.host());
        assertEquals(6380, config.replicaof.port());
    }

    @Test
    void multiArgumentOptionsTakeWordsOrOneQuotedString() {
        ServerConfig config = load("bind 127.0.0.1 ::1\nshutdown-on-sigterm \"nosave now\"\n");
        assertEquals(java.util.List.of("127.0.0.1", "::1"), config.bind.addresses());
        assertEquals("nosave now", config.shutdownOnSigterm.get());
    }

    @Test
    void firstSaveLineReplacesTheDefaultsAndLaterOnesAdd() {
        assertEquals("", load("").save.get()); // Respire persists nothing unless configured
        assertEquals("900 1 300 10", load("save 900 1\nsave 300 10\n").save.get());
        assertEquals("", load("save \"\"\n").save.get());
        assertEquals("100 100", load("save \"\"\nsave 100 100\n").save.get());
        // Outside the file (CONFIG SET) a value replaces.
        ServerConfig config = load("save 900 1\n");
        config.save.set("300 10");
        assertEquals("300 10", config.save.get());
    }

    @Test
    void deprecatedDirectivesAreIgnored() {
        load("list-max-ziplist-entries 512\nlua-replicate-commands yes\n");
    }

    @Test
    void unknownOptionNamesTheLineAndItsNumber() {
        ConfigFileException e = error("port 7000\n\n# comment\nbogus-option 12\n");
        assertEquals(4, e.lineNumber());
        assertEquals("bogus-option 12", e.line());
        assertEquals("Bad directive or wrong number of arguments", e.reason());
        assertEquals("Reading the configuration file, at line 4\n>>> 'bogus-option 12'\n"
                + "Bad directive or wrong number of arguments", e.getMessage());
    }

    @Test
    void invalidValuesGiveRedisReasons() {
        assertEquals("wrong number of arguments", error("port 1 2").reason());
        assertEquals("wrong number of arguments", error("port").reason());
        assertEquals("argument couldn't be parsed into an integer", error("port abc").reason());
        assertEquals("argument must be between 0 and 65535 inclusive", error("port 70000").reason());
        assertEquals("argument must be 'yes' or 'no'", error("appendonly maybe").reason());
        assertEquals("argument must be a memory value", error("maxmemory 1tb").reason());
        assertEquals("argument(s) must be one of the following: everysec, always, no", error("appendfsync often").reason());
        assertEquals("Invalid save parameters", error("save 900").reason());
        assertEquals("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.", error("notify-keyspace-events Q").reason());
        assertEquals("Unbalanced quotes in configuration line", error("requirepass \"abc").reason());
        assertEquals("dbfilename can't be a path, just a filename", error("dbfilename a/b.rdb").reason());
    }

    @Test
    void includeReadsAnotherFileWhoseErrorsNameItsOwnLines() throws IOException {
        Path included = dir.resolve("extra.conf");
        Files.writeString(included, "timeout 30\nmaxmemory 5mb\n");
        ServerConfig config = load("port 7001\ninclude " + included + "\n");
        assertEquals(30, config.timeout.value());
        assertEquals(5L << 20, config.maxmemory.value());

        Files.writeString(included, "timeout 30\n\nnope 1\n");
        ConfigFileException e = error("port 7001\ninclude " + included + "\n");
        assertEquals(3, e.lineNumber());
        assertEquals("nope 1", e.line());
    }

    @Test
    void includeWithAPatternReadsMatchingFilesInNameOrder() throws IOException {
        Path confd = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(confd.resolve("b.conf"), "timeout 2\n");
        Files.writeString(confd.resolve("a.conf"), "timeout 1\nmaxclients 7\n");
        Files.writeString(confd.resolve("c.txt"), "timeout 3\n");
        ServerConfig config = load("include " + confd + "/*.conf\n");
        assertEquals(2, config.timeout.value());
        assertEquals(7, config.maxclients.value());
        load("include " + dir + "/empty.d/*.conf\n"); // no match: fine
    }

    @Test
    void missingIncludedFileIsFatal() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load("include " + dir.resolve("missing.conf") + "\n"));
        assertEquals("Fatal error, can't open config file '" + dir.resolve("missing.conf")
                + "': No such file or directory", e.getMessage());
    }

    @Test
    void unsupportedRedisDirectivesAreReadAndRecordedForTheServerToRefuse() {
        ServerConfig config = load("loadmodule /x.so\nrename-command FLUSHALL \"\"\nuser default on\nuser x on\n"
                + "mymodule.option 1\n");
        assertEquals(List.of("loadmodule", "mymodule.option"), config.unsupportedDirectives());
        assertEquals(List.of(List.of("default", "on"), List.of("x", "on")), config.userLines(), "users are created at start");
        assertEquals(List.of(), load("port 7000\n").unsupportedDirectives());
        ConfigFileException duplicate = error("user x on\nuser x off\n");
        assertTrue(duplicate.getMessage().contains("Error in user declaration 'x': Duplicate user found. A user can only "
                + "be defined once in config files"), duplicate.getMessage());
    }

    @Test
    void renameCommandLinesAreRecordedInOrderForTheServerToApply() {
        ServerConfig config = load("rename-command flushdb badger\nrename-command CONFIG \"\"\n");
        assertEquals(List.of(List.of("flushdb", "badger"), List.of("CONFIG", "")), config.commandRenames());
        assertTrue(error("rename-command flushdb\n").getMessage().endsWith("Bad directive or wrong number of arguments"));
    }

    @Test
    void hzIsKeptWithinOneToFiveHundred() {
        assertEquals(500, load("hz 1000\n").hz.value());
        assertEquals(1, load("hz 0\n").hz.value());
    }
}
