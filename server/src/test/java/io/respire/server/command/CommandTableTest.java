package io.respire.server.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command table's names: lookups as clients call commands, and Redis's rename-command. */
class CommandTableTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void lookupsIgnoreCaseAndFindSubcommands() {
        CommandTable table = CommandTable.load();
        assertEquals("get", table.lookup(bytes("GeT")).name());
        assertEquals("config|get", table.lookup(new byte[][] {bytes("config"), bytes("GET")}).fullName());
        assertNull(table.lookup(bytes("nosuchcommand")));
        assertSame(table.spec("client|kill"), table.originalSpec("CLIENT|KILL"));
    }

    @Test
    void aRenamedCommandIsCalledByItsNewNameOnlyAndKeepsItsOwn() {
        CommandTable table = CommandTable.load();
        CommandSpec flushdb = table.spec("flushdb");
        int count = table.commands().size();
        table.rename("FLUSHDB", "Badger");
        assertNull(table.lookup(bytes("flushdb")));
        assertNull(table.spec("flushdb"));
        assertSame(flushdb, table.lookup(bytes("BADGER")));
        assertSame(flushdb, table.spec("badger"));
        assertEquals("flushdb", flushdb.name(), "COMMAND and INFO commandstats show the command's own name");
        assertSame(flushdb, table.originalSpec("flushdb"), "ACL rules name the command as before");
        assertEquals(count, table.commands().size());
        table.rename("badger", "flushdb");
        assertSame(flushdb, table.lookup(bytes("flushdb")), "renamed back");
    }

    @Test
    void anEmptyNameRemovesTheCommandFromWhatClientsCanCall() {
        CommandTable table = CommandTable.load();
        CommandSpec config = table.spec("config");
        int count = table.commands().size();
        table.rename("config", "");
        assertNull(table.lookup(new byte[][] {bytes("config"), bytes("get")}));
        assertEquals(count - 1, table.commands().size());
        assertFalse(table.commands().contains(config));
        assertTrue(table.originalCommands().contains(config));
        assertSame(config.subcommands().get("get"), table.originalSpec("config|get"));
    }

    @Test
    void renamesRedisRefusesAreRefusedWithItsReasons() {
        CommandTable table = CommandTable.load();
        assertEquals("No such command in rename-command",
                assertThrows(IllegalArgumentException.class, () -> table.rename("nosuch", "x")).getMessage());
        assertEquals("No such command in rename-command",
                assertThrows(IllegalArgumentException.class, () -> table.rename("config|get", "x")).getMessage());
        assertEquals("Target command name already exists",
                assertThrows(IllegalArgumentException.class, () -> table.rename("get", "SET")).getMessage());
        assertEquals("get", table.lookup(bytes("get")).name(), "a refused rename changes nothing");
        table.rename("get", "GET"); // Redis removes the name, then adds it: allowed
        assertEquals("get", table.lookup(bytes("get")).name());
    }
}
