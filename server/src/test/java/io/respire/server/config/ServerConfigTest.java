package io.respire.server.config;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings table, CONFIG SET's all-or-nothing rule and CONFIG REWRITE's output. */
class ServerConfigTest {
    private static String setError(ServerConfig config, String... pairs) {
        return assertThrows(ConfigSetException.class, () -> config.setAll(List.of(pairs), false)).getMessage();
    }

    @Test
    void everyValueShownCanBeSetBack() {
        ServerConfig config = new ServerConfig();
        Set<String> names = new HashSet<>();
        for (ConfigOption option : config.options()) {
            assertTrue(names.add(option.name()), "duplicate " + option.name());
            if (!option.has(ConfigOption.Flag.IMMUTABLE) && !option.name().equals("dir")) {
                assertFalse(option.set(option.get()), option.name() + " changed when set to its own value");
            }
        }
    }

    @Test
    void setAllAppliesEverythingOrNothing() {
        ServerConfig config = new ServerConfig();
        config.setAll(List.of("maxmemory", "10mb", "timeout", "5", "save", "100 10"), false);
        assertEquals(10L << 20, config.maxmemory.value());
        assertEquals(5, config.timeout.value());
        assertEquals("100 10", config.save.get());

        assertEquals("ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage argument "
                + "must be less or equal to 100",
                setError(config, "maxmemory", "1", "maxmemory-clients", "200%", "timeout", "x"));
        assertEquals(10L << 20, config.maxmemory.value());
        assertEquals(5, config.timeout.value());
    }

    @Test
    void checksNamesBeforeSettingAnything() {
        ServerConfig config = new ServerConfig();
        assertEquals("ERR Unknown option or number of arguments for CONFIG SET - 'foo'",
                setError(config, "timeout", "9", "foo", "bar"));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'DAEMONIZE') - can't set immutable config",
                setError(config, "DAEMONIZE", "yes"));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
                setError(config, "dir", "/tmp"));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'hash-max-ziplist-entries') - duplicate parameter",
                setError(config, "hash-max-listpack-entries", "1", "hash-max-ziplist-entries", "2"));
        assertEquals(0, config.timeout.value());
        config.setAll(List.of("dir", "/tmp"), true);
        assertEquals("/tmp", config.dir.get());
    }

    @Test
    void aFailingChangeListenerRollsBackEverything() {
        ServerConfig config = new ServerConfig();
        config.port.onChange(o -> {
            throw new IllegalArgumentException("Unable to listen on this port. Check server logs.");
        });
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. "
                + "Check server logs.", setError(config, "maxmemory", "1000", "port", "7000"));
        assertEquals(0, config.maxmemory.value());
        assertEquals(6379, config.port.value());
        config.setAll(List.of("port", "6379"), false); // no change, no listener
    }

    @Test
    void valuesShowAsRedisShowsThem() {
        ServerConfig config = new ServerConfig();
        config.setAll(List.of("maxmemory-clients", "10%", "notify-keyspace-events", "KEA", "oom-score-adj", "relative",
                "shutdown-on-sigint", "now save"), false);
        assertEquals("10%", config.maxmemoryClients.get());
        assertEquals("AKE", config.notifyKeyspaceEvents.get());
        assertEquals("yes", config.oomScoreAdj.get());
        assertEquals("save now", config.shutdownOnSigint.get());
        config.notifyKeyspaceEvents.set("Elg$x");
        assertEquals("g$lxE", config.notifyKeyspaceEvents.get());
        config.maxmemory.set("18446744073709551615");
        assertEquals("18446744073709551615", config.maxmemory.get());
        assertEquals("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
                config.clientOutputBufferLimit.get());
        config.clientOutputBufferLimit.set("replica 1gb 512mb 30");
        assertEquals(1L << 30, config.clientOutputBufferLimit.limit("slave").hardBytes());
        assertEquals("50 99 99.9", config.latencyTrackingInfoPercentiles.get());
    }

    @Test
    void rewriteKeepsTheFileAndUpdatesOptionsInPlace() {
        ServerConfig config = new ServerConfig();
        ConfigFile.load(config, "# head\nport 7000\nsave 900 1\nsave 300 10\nhash-max-ziplist-entries 20\n");
        config.setAll(List.of("save", "60 5", "maxmemory", "3mb", "requirepass", "s\"x", "hash-max-listpack-entries", "30"),
                true);
        String old = "# head\n  port 7000\nsave 900 1\nsave 300 10\nhash-max-ziplist-entries 20\nfoo bar\n";
        String rewritten = ConfigRewriter.rewrite(config, old, false).replace(config.dir.get(), "DIR");
        assertEquals("# head\nport 7000\nsave 60 5\n\nhash-max-listpack-entries 30\n# ??? foo bar\n\n"
                + "# Generated by CONFIG REWRITE\ndir \"DIR\"\nrequirepass \"s\\\"x\"\nmaxmemory 3mb\n"
                + "latency-tracking-info-percentiles 50 99 99.9\n", rewritten);

        // A second rewrite of that output changes nothing.
        ServerConfig again = new ServerConfig();
        ConfigFile.load(again, ConfigRewriter.rewrite(config, old, false).replace("# ??? foo bar\n", ""));
        assertEquals(config.save.get(), again.save.get());
        assertEquals(config.requirepass.get(), again.requirepass.get());
        assertEquals(config.hashMaxListpackEntries.get(), again.hashMaxListpackEntries.get());
    }

    @Test
    void rewriteDropsOptionsBackAtTheirDefault() {
        ServerConfig config = new ServerConfig();
        String rewritten = ConfigRewriter.rewrite(config, "maxmemory 1mb\nrequirepass x\nsave \"\"\n", false);
        assertTrue(rewritten.startsWith("maxmemory 0\n\nsave \"\"\n"), rewritten);
        assertFalse(rewritten.contains("requirepass"));
    }

    @Test
    void aForcedRewriteOfEverythingReadsBackToTheSameValues() {
        ServerConfig config = new ServerConfig();
        config.setAll(List.of("maxmemory", "7mb", "notify-keyspace-events", "Ex", "save", "", "requirepass", "p w",
                "client-output-buffer-limit", "normal 1mb 2mb 3", "maxmemory-clients", "3%", "latency-tracking-info-percentiles",
                "", "shutdown-on-sigterm", "nosave now"), true);
        String all = ConfigRewriter.rewrite(config, "", true);
        ServerConfig reread = new ServerConfig();
        ConfigFile.load(reread, all);
        for (ConfigOption option : config.options()) {
            assertEquals(option.get(), reread.option(option.name()).get(), option.name());
        }
        assertTrue(all.contains("\nrdbchecksum yes\n"), all);
    }

    @Test
    void memoryUnitsParseAsRedisMemtoull() {
        assertEquals(1, MemoryUnits.parse("1"));
        assertEquals(1000, MemoryUnits.parse("1k"));
        assertEquals(1024, MemoryUnits.parse("1KB"));
        assertEquals(0, MemoryUnits.parse("kb"));
        assertEquals(0, MemoryUnits.parse(""));
        assertThrows(NumberFormatException.class, () -> MemoryUnits.parse("-1"));
        assertThrows(NumberFormatException.class, () -> MemoryUnits.parse("1.5mb"));
        assertEquals("3gb", MemoryUnits.format(3L << 30));
        assertEquals("1025", MemoryUnits.format(1025));
        assertEquals("0", MemoryUnits.format(0));
    }
}
