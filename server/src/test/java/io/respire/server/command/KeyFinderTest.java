package io.respire.server.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyFinderTest {
    private final CommandTable table = CommandTable.load();

    private static byte[][] argv(String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return argv;
    }

    @Test
    void aCommandWithOneKeyAtAFixedIndexGetsTheSameListEveryCall() {
        CommandSpec get = table.spec("get");
        List<KeyFinder.KeyRef> first = KeyFinder.find(get, argv("get", "a"));
        assertEquals(List.of(new KeyFinder.KeyRef(1, List.of("RO", "ACCESS"))), first);
        assertSame(first, KeyFinder.find(get, argv("get", "b")));
        assertEquals(2, KeyFinder.find(table.spec("object|encoding"), argv("object", "encoding", "k")).get(0).position());
    }

    @Test
    void theFixedKeyIsWhatTheSpecsGiveForEveryCommandAndArgumentCount() {
        int checked = 0;
        List<CommandSpec> all = new ArrayList<>();
        for (CommandSpec cmd : table.commands()) {
            all.add(cmd);
            all.addAll(cmd.subcommands().values());
        }
        for (CommandSpec cmd : all) {
            List<KeyFinder.KeyRef> fixed = cmd.fixedKey();
            if (fixed == null) {
                continue;
            }
            int min = Math.abs(cmd.arity());
            for (int argc = min; argc <= min + 3; argc++) {
                if (cmd.arity() > 0 && argc != cmd.arity()) {
                    continue;
                }
                String[] args = new String[argc];
                for (int i = 0; i < argc; i++) {
                    args[i] = "x" + i;
                }
                assertEquals(KeyFinder.fromSpecs(cmd, argv(args)), KeyFinder.find(cmd, argv(args)), cmd.fullName());
                checked++;
            }
        }
        assertTrue(checked > 100, "commands checked: " + checked);
    }

    @Test
    void commandsWhoseKeysVaryHaveNoFixedKey() {
        assertNull(table.spec("set").fixedKey()); // VARIABLE_FLAGS: GET makes the key read too
        assertNull(table.spec("mset").fixedKey());
        assertNull(table.spec("lmove").fixedKey());
        assertNotNull(table.spec("incr").fixedKey());
        assertEquals(List.of("RW", "ACCESS", "UPDATE"),
                KeyFinder.find(table.spec("set"), argv("set", "k", "v", "get")).get(0).flags());
        assertEquals(List.of("OW", "UPDATE"), KeyFinder.find(table.spec("set"), argv("set", "k", "v")).get(0).flags());
    }
}
