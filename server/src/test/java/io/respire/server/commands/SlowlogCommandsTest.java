package io.respire.server.commands;

import io.respire.server.BlockingClientsTest;
import io.respire.server.RespTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SLOWLOG end to end: what is logged, how, and the settings that govern it. */
class SlowlogCommandsTest extends BlockingClientsTest {

    @BeforeEach
    void logEverything() throws Exception {
        call("CONFIG SET slowlog-log-slower-than 0");
        call("CONFIG SET slowlog-max-len 128");
        call("SLOWLOG RESET");
    }

    /** The arguments of every entry, newest first, rendered (from one SLOWLOG GET -1). */
    private String[] logged() throws Exception {
        return entries(call("SLOWLOG GET -1"));
    }

    private static String[] entries(String rendered) {
        // [[id, time, micros, [args], peer, name], ...]: pick each entry's argument list
        java.util.List<String> args = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[\\(integer\\) \\d+, \\(integer\\) \\d+, \\(integer\\) \\d+, (\\[[^\\]]*\\])").matcher(rendered);
        while (m.find()) {
            args.add(m.group(1));
        }
        return args.toArray(new String[0]);
    }

    @Test
    void entriesAreNewestFirstWithTheirClient() throws Exception {
        call("CLIENT SETNAME logger");
        call("SET k v");
        String e = call("SLOWLOG GET 1");
        assertTrue(e.matches("\\[\\[\\(integer\\) \\d+, \\(integer\\) \\d+, \\(integer\\) \\d+, \\[SET, k, v\\], 127\\.0\\.0\\.1:\\d+, logger\\]\\]"), e);
        String[] log = logged();
        assertEquals("[SLOWLOG, GET, 1]", log[0], "SLOWLOG GET is itself logged");
        assertEquals("[SET, k, v]", log[1]);
        assertEquals("[CLIENT, SETNAME, logger]", log[2]);
    }

    @Test
    void lenGetCountAndTheMaximumLength() throws Exception {
        call("CONFIG SET slowlog-max-len 3");
        for (int i = 0; i < 10; i++) {
            call("PING");
        }
        assertEquals("(integer) 3", call("SLOWLOG LEN"));
        assertEquals("[]", call("SLOWLOG GET 0"));
        assertEquals(1, entries(call("SLOWLOG GET 1")).length);
        assertEquals(3, entries(call("SLOWLOG GET -1")).length);
        assertEquals(3, entries(call("SLOWLOG GET")).length);
        assertEquals("(error) ERR count should be greater than or equal to -1", call("SLOWLOG GET -2"));
        assertEquals("(error) ERR count should be greater than or equal to -1", call("SLOWLOG GET x"));
        assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.",
                call("SLOWLOG GET 1 2"));
    }

    @Test
    void thresholdAndDisabling() throws Exception {
        call("CONFIG SET slowlog-log-slower-than 100000");
        call("SLOWLOG RESET");
        call("PING");
        assertEquals("(integer) 0", call("SLOWLOG LEN"));
        call("DEBUG SLEEP 0.11");
        assertEquals("(integer) 1", call("SLOWLOG LEN"));
        String e = call("SLOWLOG GET");
        long micros = Long.parseLong(e.split(", ")[2].replace("(integer) ", ""));
        assertTrue(micros >= 100000, e);
        call("CONFIG SET slowlog-log-slower-than -1");
        call("DEBUG SLEEP 0.11");
        assertEquals("(integer) 1", call("SLOWLOG LEN"));
    }

    @Test
    void longCommandsAreTrimmed() throws Exception {
        Object[] sadd = new Object[35];
        sadd[0] = "SADD";
        sadd[1] = "set";
        for (int i = 2; i < sadd.length; i++) {
            sadd[i] = String.valueOf(i);
        }
        c.call(sadd);
        String[] log = logged();
        String args = log[0];
        assertTrue(args.endsWith(", 29, 30, ... (4 more arguments)]"), args);
        c.call("SADD", "set", "A".repeat(130));
        assertEquals("[SADD, set, " + "A".repeat(128) + "... (2 more bytes)]", logged()[0]);
    }

    @Test
    void execIsNotLoggedButWhatItRan() throws Exception {
        call("MULTI");
        call("SET a 1");
        call("INCR a");
        call("EXEC");
        String[] log = logged();
        assertEquals("[INCR, a]", log[0]);
        assertEquals("[SET, a, 1]", log[1]);
        assertEquals("[MULTI]", log[2]);
    }

    @Test
    void secretsAreRedacted() throws Exception {
        call("CONFIG SET masterauth secret");
        call("AUTH nopass");
        String[] log = logged();
        assertEquals("[AUTH, (redacted)]", log[0]);
        assertEquals("[CONFIG, SET, masterauth, (redacted)]", log[1]);
        c.call("CONFIG", "SET", "masterauth", "");
    }

    @Test
    void aBlockedCommandIsLoggedWhenServed() throws Exception {
        RespTestClient blocked = blockOn("BLPOP", "list", "0");
        call("LPUSH list x");
        assertEquals("[list, x]", read(blocked));
        String[] log = logged();
        assertEquals("[BLPOP, list, 0]", log[0]);
        assertEquals("[LPUSH, list, x]", log[1]);
    }

    /** Redis 7.0.15 logs a command ended by CLIENT UNBLOCK after dropping its arguments: an empty list. */
    @Test
    void aCommandUnblockedByClientUnblockIsLoggedWithoutArguments() throws Exception {
        RespTestClient blocked = client();
        String id = blocked.call("CLIENT", "ID").replace("(integer) ", "");
        long before = blockedClients();
        blocked.send("BLPOP", "nolist", "0");
        waitForBlocked(before + 1);
        call("SLOWLOG RESET");
        assertEquals("(integer) 1", call("CLIENT UNBLOCK " + id));
        assertEquals("(nil)", read(blocked));
        String[] log = logged();
        assertEquals("[CLIENT, UNBLOCK, " + id + "]", log[0]);
        assertEquals("[]", log[1]);
    }

    @Test
    void scriptsAndTheCommandsTheyCallAreLogged() throws Exception {
        call("EVAL return(redis.call('incr','n')) 0");
        String[] log = logged();
        assertEquals("[EVAL, return(redis.call('incr','n')), 0]", log[0]);
        assertEquals("[incr, n]", log[1]);
        assertTrue(call("SLOWLOG GET 3").contains("[incr, n], ?:0, ]"), "a script's commands come from no address");
    }

    @Test
    void help() throws Exception {
        String help = call("SLOWLOG HELP");
        assertTrue(help.startsWith("[SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, GET [<count>],"), help);
        assertTrue(help.endsWith("HELP,     Prints this help.]"), help);
    }
}
