package io.respire.server.observability;

import io.respire.server.command.CommandTable;
import io.respire.server.commands.CommandFamilies;
import io.respire.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The secrets the slow log and MONITOR hide, as Redis's commands redact them. */
class RedactionTest {
    private final CommandTable table = CommandTable.load();
    private final ServerConfig config = new ServerConfig();

    private String redact(String... words) {
        byte[][] argv = Arrays.stream(words).map(w -> w.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        byte[][] out = Redaction.redact(config, table.lookup(argv), argv);
        return String.join(" ", Arrays.stream(out).map(b -> new String(b, StandardCharsets.US_ASCII)).toList());
    }

    @Test
    void secretsBecomeRedacted() {
        assertEquals("auth (redacted)", redact("auth", "pw"));
        assertEquals("AUTH (redacted) (redacted)", redact("AUTH", "user", "pw"));
        assertEquals("hello 3 AUTH (redacted) (redacted) SETNAME n", redact("hello", "3", "AUTH", "u", "p", "SETNAME", "n"));
        assertEquals("config set masterauth (redacted) hz 10", redact("config", "set", "masterauth", "x", "hz", "10"));
        assertEquals("acl setuser (redacted) (redacted)", redact("acl", "setuser", "bob", ">pw"));
    }

    @Test
    void migrateCredentialsAreRedactedAsItsParserReadsThem() {
        assertEquals("migrate h 1 k 9 5000 COPY AUTH (redacted)", redact("migrate", "h", "1", "k", "9", "5000", "COPY", "AUTH", "pw"));
        assertEquals("migrate h 1 k 9 5000 AUTH2 (redacted) (redacted) KEYS a", redact("migrate", "h", "1", "k", "9", "5000",
                "AUTH2", "u", "pw", "KEYS", "a"));
        assertEquals("migrate h 1 auth 9 5000", redact("migrate", "h", "1", "auth", "9", "5000")); // the key, not an option
        assertEquals("migrate h 1 k 9 5000 AUTH2 u", redact("migrate", "h", "1", "k", "9", "5000", "AUTH2", "u")); // syntax error
        assertEquals("migrate h 1 k 9 5000 KEYS AUTH pw", redact("migrate", "h", "1", "k", "9", "5000", "KEYS", "AUTH", "pw"));
    }

    @Test
    void otherCommandsAreKeptAsTheyAre() {
        byte[][] argv = {"set".getBytes(), "auth".getBytes(), "x".getBytes()};
        assertSame(argv, Redaction.redact(config, table.lookup(argv), argv));
        assertEquals("config set hz 10", redact("config", "set", "hz", "10"));
    }
}
