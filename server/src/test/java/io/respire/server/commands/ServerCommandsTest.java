package io.respire.server.commands;

import io.respire.server.InfoFields;
import io.respire.server.EmbeddedServerTest;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** INFO, TIME, LASTSAVE, ROLE, MONITOR and SHUTDOWN end to end, against Redis 7.0.15's replies. */
class ServerCommandsTest extends EmbeddedServerTest {

    @Test
    void infoDefaultSectionsAndFieldsToolsRead() throws Exception {
        String info = c.call("INFO");
        assertTrue(info.startsWith("# Server\r\nredis_version:7.0.15\r\n"), info);
        for (String section : new String[] {"# Clients", "# Memory", "# Persistence", "# Stats", "# Replication",
                "# CPU", "# Modules", "# Errorstats", "# Cluster", "# Keyspace"}) {
            assertTrue(info.contains("\r\n\r\n" + section + "\r\n"), section);
        }
        assertFalse(info.contains("# Commandstats"));
        assertFalse(info.contains("# Latencystats"));
        assertEquals(info.indexOf("# Keyspace\r\n"), info.lastIndexOf("# "), "keyspace comes last");
        Map<String, String> f = InfoFields.of(c);
        for (String field : new String[] {"redis_version", "redis_mode", "os", "arch_bits", "process_id", "tcp_port",
                "uptime_in_seconds", "uptime_in_days", "hz", "executable", "config_file", "connected_clients",
                "blocked_clients", "used_memory", "used_memory_human", "used_memory_rss", "used_memory_peak",
                "maxmemory", "maxmemory_policy", "mem_allocator", "loading", "rdb_changes_since_last_save",
                "rdb_last_save_time", "aof_enabled", "total_connections_received", "total_commands_processed",
                "instantaneous_ops_per_sec", "expired_keys", "evicted_keys", "keyspace_hits", "keyspace_misses",
                "total_error_replies", "role", "connected_slaves", "master_replid", "used_cpu_sys", "used_cpu_user",
                "cluster_enabled"}) {
            assertTrue(f.containsKey(field), field);
        }
        assertEquals("standalone", f.get("redis_mode"));
        assertEquals(String.valueOf(server.port()), f.get("tcp_port"));
        assertEquals("master", f.get("role"));
        assertEquals("0", f.get("loading"));
        assertEquals("jvm", f.get("mem_allocator"));
        assertEquals("noeviction", f.get("maxmemory_policy"));
        assertEquals(String.valueOf(ProcessHandle.current().pid()), f.get("process_id"));
        assertTrue(f.get("used_cpu_user").matches("\\d+\\.\\d{6}"), f.get("used_cpu_user"));
        assertTrue(f.get("master_replid").matches("[0-9a-f]{40}"));
        assertTrue(Long.parseLong(f.get("used_memory")) > 0);
    }

    @Test
    void infoSectionSelection() throws Exception {
        String cpu = c.call("INFO", "cpu");
        assertTrue(cpu.startsWith("# CPU\r\nused_cpu_sys:"), cpu);
        assertFalse(cpu.contains("used_memory"));
        assertEquals("", c.call("INFO", "sentinel"));
        String stats = c.call("INFO", "commandSTATS"); // case-insensitive
        assertTrue(stats.startsWith("# Commandstats\r\n"), stats);
        assertTrue(stats.contains("rejected_calls"));
        String cpuAll = c.call("INFO", "cpu", "all");
        assertTrue(cpuAll.contains("used_memory") && cpuAll.contains("rejected_calls") && cpuAll.contains("master_repl_offset"));
        assertEquals(cpuAll.indexOf("used_cpu_user_children"), cpuAll.lastIndexOf("used_cpu_user_children"));
        String cpuDefault = c.call("INFO", "cpu", "default");
        assertTrue(cpuDefault.contains("used_memory") && !cpuDefault.contains("rejected_calls"));
        assertTrue(c.call("INFO", "everything").contains("# Latencystats\r\n"));
        String two = c.call("INFO", "server", "clients");
        assertTrue(two.contains("\r\n\r\n# Clients\r\n") && !two.contains("# Memory"));
    }

    @Test
    void infoIsVerbatimTextInResp3() throws Exception {
        c.call("HELLO", "3");
        String raw = new String(c.callRaw("INFO", "server"), StandardCharsets.UTF_8);
        assertTrue(raw.startsWith("=") && raw.contains("\r\ntxt:# Server\r\n"), raw);
    }

    @Test
    void keyspaceSection() throws Exception {
        c.call("SELECT", "5");
        c.call("SET", "ks-a", "1");
        c.call("SET", "ks-b", "1", "EX", "100");
        assertTrue(c.call("INFO", "keyspace").contains("\r\ndb5:keys=2,expires=1,avg_ttl=0\r\n"));
        c.call("DEL", "ks-a", "ks-b");
        assertFalse(c.call("INFO", "keyspace").contains("db5:"));
    }

    @Test
    void commandAndErrorStatistics() throws Exception {
        assertEquals("OK", c.call("CONFIG", "RESETSTAT"));
        assertNull(InfoFields.of(c, "errorstats").get("errorstat_ERR"));
        assertEquals("0", InfoFields.get(c, "total_error_replies"));

        assertTrue(c.call("AUTH", "k").startsWith("(error) ERR AUTH <password> called without any password"));
        assertEquals("count=1", InfoFields.of(c, "errorstats").get("errorstat_ERR"));
        assertTrue(InfoFields.of(c, "commandstats").get("cmdstat_auth").matches(
                "calls=1,usec=\\d+,usec_per_call=\\d+\\.\\d\\d,rejected_calls=0,failed_calls=1"));

        StringCommandsTest.storeNonString(server, "wt-other");
        c.call("CONFIG", "RESETSTAT");
        assertTrue(c.call("asdf").startsWith("(error) ERR unknown command 'asdf'"));
        assertEquals("(error) ERR wrong number of arguments for 'set' command", c.call("SET", "k"));
        c.call("SET", "k1", "v1");
        c.call("SET", "k2", "v2");
        assertEquals("(error) WRONGTYPE Operation against a key holding the wrong kind of value", c.call("GET", "wt-other"));
        Map<String, String> stats = InfoFields.of(c, "commandstats");
        assertTrue(stats.get("cmdstat_set").matches("calls=2,usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=1,failed_calls=0"),
                stats.get("cmdstat_set"));
        assertTrue(stats.get("cmdstat_get").matches("calls=1,.*,rejected_calls=0,failed_calls=1"), stats.get("cmdstat_get"));
        assertNull(stats.get("cmdstat_client|id"));
        Map<String, String> errors = InfoFields.of(c, "errorstats");
        assertEquals("count=2", errors.get("errorstat_ERR"));
        assertEquals("count=1", errors.get("errorstat_WRONGTYPE"));
        assertEquals("3", InfoFields.get(c, "total_error_replies"));
        // Subcommands are counted under their full name.
        c.call("CLIENT", "ID");
        assertTrue(InfoFields.of(c, "commandstats").get("cmdstat_client|id").startsWith("calls=1,"));
        c.call("CONFIG", "RESETSTAT");
        assertNull(InfoFields.of(c, "errorstats").get("errorstat_ERR"));
    }

    @Test
    void timeLastsaveRole() throws Exception {
        String time = c.call("TIME");
        String[] parts = time.substring(1, time.length() - 1).split(", ");
        long seconds = Long.parseLong(parts[0]);
        long micros = Long.parseLong(parts[1]);
        assertTrue(Math.abs(seconds - System.currentTimeMillis() / 1000) <= 2);
        assertTrue(micros >= 0 && micros < 1_000_000);
        long lastsave = Long.parseLong(c.call("LASTSAVE").substring("(integer) ".length()));
        assertTrue(lastsave <= seconds && lastsave >= seconds - 3600);
        assertEquals("[master, (integer) 0, []]", c.call("ROLE"));
        assertEquals("(error) ERR wrong number of arguments for 'time' command", c.call("TIME", "x"));
    }

    @Test
    void monitorSeesCommandsRedactedButNotAdminOnes() throws Exception {
        String port = c.call("CLIENT", "INFO").replaceAll("(?s).* addr=127\\.0\\.0\\.1:(\\d+) .*", "$1");
        try (RespTestClient monitor = new RespTestClient(server.port())) {
            assertEquals("OK", monitor.call("MONITOR"));
            c.call("SELECT", "2");
            c.call("SET", "mon", "a\"b\n\u0001");
            c.call("CLIENT", "LIST"); // admin: not shown
            c.call("AUTH", "secret");
            c.call("GET", "mon");
            String prefix = "\\d+\\.\\d{6} \\[\\d+ 127\\.0\\.0\\.1:" + port + "\\] ";
            assertTrue(RespTestClient.render(monitor.readRaw()).matches(prefix + "\"SELECT\" \"2\""));
            assertTrue(RespTestClient.render(monitor.readRaw()).matches(prefix + "\"SET\" \"mon\" \"a\\\\\"b\\\\n\\\\x01\""));
            assertTrue(RespTestClient.render(monitor.readRaw()).matches(prefix + "\"AUTH\" \"\\(redacted\\)\""));
            assertTrue(RespTestClient.render(monitor.readRaw()).matches(prefix + "\"GET\" \"mon\""));
            assertEquals("(error) ERR Replica can't interact with the keyspace", monitor.call("GET", "mon"));
            assertTrue(monitor.call("CLIENT", "INFO").contains(" flags=O "));
            // A monitor's own commands are fed to it too (Redis does the same).
            assertTrue(RespTestClient.render(monitor.readRaw()).endsWith("] \"CLIENT\" \"INFO\""));
            assertEquals("RESET", monitor.call("RESET")); // no longer a monitor
            assertEquals("(nil)", monitor.call("GET", "nothing"));
        }
    }

    @Test
    void shutdownStopsTheServer() throws Exception {
        try (RespireServer doomed = RespireServer.start("--port", "0", "--bind", "127.0.0.1");
             RespTestClient d = new RespTestClient(doomed.port())) {
            assertEquals("(error) ERR syntax error", d.call("SHUTDOWN", "SAVE", "NOSAVE"));
            assertEquals("(error) ERR syntax error", d.call("SHUTDOWN", "ABORT", "NOW"));
            assertEquals("(error) ERR syntax error", d.call("SHUTDOWN", "LATER"));
            assertEquals("(error) ERR No shutdown in progress.", d.call("SHUTDOWN", "ABORT"));
            d.send("SHUTDOWN", "NOSAVE", "NOW");
            assertTrue(d.isClosedByServer());
            doomed.awaitTermination();
        }
    }

    /** Redis's errorstats tests: EXEC and EVAL fail only for their own errors, not those of what they ran. */
    @Test
    void containersFailOnlyForTheirOwnErrors() throws Exception {
        call("CONFIG RESETSTAT");
        call("MULTI");
        call("SET a b");
        call("AUTH a");
        call("EXEC");
        Map<String, String> stats = InfoFields.of(c, "commandstats", "errorstats");
        assertTrue(stats.get("cmdstat_exec").endsWith(",rejected_calls=0,failed_calls=0"), stats.get("cmdstat_exec"));
        assertTrue(stats.get("cmdstat_auth").endsWith(",rejected_calls=0,failed_calls=1"), stats.get("cmdstat_auth"));
        assertEquals("count=1", stats.get("errorstat_ERR"));
        call("EXEC");
        stats = InfoFields.of(c, "commandstats");
        assertTrue(stats.get("cmdstat_exec").startsWith("calls=2,"), stats.get("cmdstat_exec"));
        assertTrue(stats.get("cmdstat_exec").endsWith(",failed_calls=1"), stats.get("cmdstat_exec"));
        c.call("EVAL", "redis.pcall('XGROUP', 'CREATECONSUMER', 's1', 'g', 'c') return 1", "0");
        stats = InfoFields.of(c, "commandstats");
        assertTrue(stats.get("cmdstat_eval").endsWith(",failed_calls=0"), stats.get("cmdstat_eval"));
        assertTrue(stats.get("cmdstat_xgroup|createconsumer").endsWith(",failed_calls=1"));
    }
}
