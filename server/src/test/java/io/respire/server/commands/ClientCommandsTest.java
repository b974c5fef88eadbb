package io.respire.server.commands;

import io.respire.server.InfoFields;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CLIENT subcommands end to end. Expected replies and error texts are those of Redis 7.0.15
 * (networking.c clientCommand).
 */
class ClientCommandsTest {
    private static RespireServer server;
    private RespTestClient c;

    @BeforeAll
    static void startServer() {
        server = RespireServer.start("--port", "0", "--bind", "127.0.0.1");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void connect() throws Exception {
        c = new RespTestClient(server.port());
    }

    @AfterEach
    void disconnect() throws Exception {
        c.call("CLIENT", "UNPAUSE");
        c.close();
    }

    static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private long blockedClients() {
        try {
            return InfoFields.number(c, "blocked_clients");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void idNameAndValidation() throws Exception {
        long id = Long.parseLong(c.call("CLIENT", "ID").substring("(integer) ".length()));
        assertTrue(id > 0);
        assertEquals("(nil)", c.call("CLIENT", "GETNAME"));
        assertEquals("OK", c.call("CLIENT", "SETNAME", "myname"));
        assertEquals("myname", c.call("CLIENT", "GETNAME"));
        assertEquals("(error) ERR Client names cannot contain spaces, newlines or special characters.",
                c.call("CLIENT", "SETNAME", "foo bar"));
        assertEquals("(error) ERR Client names cannot contain spaces, newlines or special characters.",
                c.call("CLIENT", "SETNAME", "caf\u00e9"));
        assertEquals("myname", c.call("CLIENT", "GETNAME"));
        assertEquals("OK", c.call("CLIENT", "SETNAME", ""));
        assertEquals("(nil)", c.call("CLIENT", "GETNAME"));
        assertEquals("(error) ERR wrong number of arguments for 'client|setname' command", c.call("CLIENT", "SETNAME"));
        assertEquals("(error) ERR wrong number of arguments for 'client|id' command", c.call("CLIENT", "ID", "x"));
        assertEquals("(error) ERR unknown subcommand 'foo'. Try CLIENT HELP.", c.call("CLIENT", "foo"));
        assertEquals("(error) ERR wrong number of arguments for 'client' command", c.call("CLIENT"));
        assertEquals("(integer) -1", c.call("CLIENT", "GETREDIR"));
        assertEquals("OK", c.call("CLIENT", "NO-EVICT", "on"));
        assertTrue(c.call("CLIENT", "INFO").contains(" flags=e "));
        assertEquals("OK", c.call("CLIENT", "NO-EVICT", "off"));
        assertEquals("(error) ERR syntax error", c.call("CLIENT", "NO-EVICT", "maybe"));
    }

    @Test
    void helpListsTheSubcommands() throws Exception {
        String help = c.call("CLIENT", "HELP");
        assertTrue(help.startsWith("[CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, CACHING (YES|NO), "), help);
        assertTrue(help.endsWith("    Protect current client connection from eviction., HELP,     Prints this help.]"), help);
    }

    @Test
    void listAndInfoLinesFollowRedisFormat() throws Exception {
        String line = c.call("CLIENT", "INFO");
        String pattern = "id=\\d+ addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:\\d+ fd=-?\\d+ name= age=\\d+ idle=\\d+ "
                + "flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=\\d+ argv-mem=10 multi-mem=0 rbs=\\d+ "
                + "rbp=\\d+ obl=0 oll=0 omem=0 tot-mem=\\d+ events=r cmd=client\\|info user=default redir=-1 resp=2\n";
        assertTrue(line.matches(pattern), line);
        assertEquals("OK", c.call("SELECT", "3"));
        assertEquals("OK", c.call("CLIENT", "SETNAME", "lister"));
        try (RespTestClient other = new RespTestClient(server.port())) {
            other.call("HELLO", "3");
            String myId = c.call("CLIENT", "ID").substring("(integer) ".length());
            String otherId = other.call("CLIENT", "ID").substring("(integer) ".length());
            String list = c.call("CLIENT", "LIST");
            assertTrue(list.matches("(?s).*id=" + myId + " .* name=lister .* db=3 .* cmd=client\\|list .*resp=2\n.*"), list);
            assertTrue(list.matches("(?s).*id=" + otherId + " .* qbuf=0 .* cmd=client\\|id .*resp=3\n.*"), list);
            String byId = c.call("CLIENT", "LIST", "ID", otherId, "999999");
            assertTrue(byId.startsWith("id=" + otherId + " ") && byId.indexOf('\n') == byId.length() - 1, byId);
            assertEquals("(error) ERR Invalid client ID", c.call("CLIENT", "LIST", "ID", "x"));
            assertTrue(c.call("CLIENT", "LIST", "TYPE", "normal").contains("id=" + otherId + " "));
            assertEquals("", c.call("CLIENT", "LIST", "TYPE", "pubsub"));
            assertEquals("", c.call("CLIENT", "LIST", "TYPE", "replica"));
            assertEquals("(error) ERR Unknown client type 'bogus'", c.call("CLIENT", "LIST", "TYPE", "bogus"));
            assertEquals("(error) ERR syntax error", c.call("CLIENT", "LIST", "TYPE"));
            assertEquals("(error) ERR syntax error", c.call("CLIENT", "LIST", "foo", "bar"));
        }
    }

    @Test
    void killWithFiltersAndTheOldForm() throws Exception {
        assertEquals("(error) ERR wrong number of arguments for 'client|kill' command", c.call("CLIENT", "KILL"));
        assertEquals("(error) ERR syntax error", c.call("CLIENT", "KILL", "ID", "10", "wrong_arg"));
        assertEquals("(error) ERR client-id should be greater than 0", c.call("CLIENT", "KILL", "ID", "str"));
        assertEquals("(error) ERR client-id should be greater than 0", c.call("CLIENT", "KILL", "ID", "0"));
        assertEquals("(error) ERR Unknown client type 'wrong_type'", c.call("CLIENT", "KILL", "TYPE", "wrong_type"));
        assertEquals("(error) ERR No such user 'wrong_user'", c.call("CLIENT", "KILL", "USER", "wrong_user"));
        assertEquals("(error) ERR syntax error", c.call("CLIENT", "KILL", "SKIPME", "yes_or_no"));
        assertEquals("(error) ERR syntax error", c.call("CLIENT", "KILL", "MAXAGE", "1")); // 7.2, not 7.0
        assertEquals("(error) ERR No such client", c.call("CLIENT", "KILL", "10.0.0.1:1"));

        try (RespTestClient a = new RespTestClient(server.port());
             RespTestClient b = new RespTestClient(server.port())) {
            String aId = a.call("CLIENT", "ID").substring("(integer) ".length());
            String bInfo = b.call("CLIENT", "INFO");
            String bAddr = bInfo.substring(bInfo.indexOf("addr=") + 5, bInfo.indexOf(' ', bInfo.indexOf("addr=")));
            assertEquals("(integer) 1", c.call("CLIENT", "KILL", "ID", aId));
            assertTrue(a.isClosedByServer());
            assertEquals("(integer) 0", c.call("CLIENT", "KILL", "ID", aId));
            assertEquals("OK", c.call("CLIENT", "KILL", bAddr));
            assertTrue(b.isClosedByServer());
        }
        // KILL LADDR and USER match every client here; SKIPME YES (the default) spares the caller.
        try (RespTestClient a = new RespTestClient(server.port())) {
            a.call("PING");
            String laddr = "127.0.0.1:" + server.port();
            long killed = Long.parseLong(c.call("CLIENT", "KILL", "LADDR", laddr, "USER", "default")
                    .substring("(integer) ".length()));
            assertTrue(killed >= 1);
            assertTrue(a.isClosedByServer());
            assertEquals("PONG", c.call("PING"));
            // SKIPME NO kills the caller too, after its reply.
            String mine = c.call("CLIENT", "ID").substring("(integer) ".length());
            assertEquals("(integer) 1", c.call("CLIENT", "KILL", "ID", mine, "SKIPME", "no"));
            assertTrue(c.isClosedByServer());
        }
        c = new RespTestClient(server.port());
        waitFor("killed clients to go", () -> {
            try {
                return InfoFields.number(c, "connected_clients") == 1;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void replyOffSkipAndOn() throws Exception {
        c.send("CLIENT", "REPLY", "OFF");
        c.send("PING", "pong");
        c.send("NOSUCHCOMMAND");
        c.send("CLIENT", "REPLY", "ON");
        assertEquals("OK", RespTestClient.render(c.readRaw()));
        assertEquals("pong3", c.call("PING", "pong3"));

        c.send("CLIENT", "REPLY", "SKIP");
        c.send("PING", "skipped");
        assertEquals("pong2", c.call("PING", "pong2"));

        c.send("CLIENT", "REPLY", "SKIP");
        assertEquals("OK", c.call("CLIENT", "REPLY", "ON")); // ON replies even while skipping
        assertEquals("PONG", c.call("PING"));
        assertEquals("(error) ERR syntax error", c.call("CLIENT", "REPLY", "MAYBE"));
    }

    @Test
    void pauseWriteHoldsWritesOnlyUntilUnpause() throws Exception {
        assertEquals("OK", c.call("CLIENT", "PAUSE", "100000", "WRITE"));
        try (RespTestClient writer = new RespTestClient(server.port())) {
            // Reads, and errors found before the pause check, are answered at once.
            assertEquals("(nil)", writer.call("GET", "paused-key"));
            assertEquals("(error) ERR wrong number of arguments for 'set' command", writer.call("SET", "paused-key"));
            writer.send("SET", "paused-key", "v");
            writer.send("GET", "paused-key"); // waits behind the held SET, in order
            waitFor("the writer to be blocked", () -> blockedClients() == 1);
            assertTrue(c.call("CLIENT", "LIST").contains(" flags=b "));
            assertEquals("(nil)", c.call("GET", "paused-key"));
            assertEquals("OK", c.call("CLIENT", "UNPAUSE"));
            assertEquals("OK", RespTestClient.render(writer.readRaw()));
            assertEquals("v", RespTestClient.render(writer.readRaw()));
            assertEquals(0, blockedClients());
        }
    }

    @Test
    void pauseAllHoldsEverythingAndEndsByItself() throws Exception {
        long start = System.currentTimeMillis();
        assertEquals("OK", c.call("CLIENT", "PAUSE", "300"));
        try (RespTestClient reader = new RespTestClient(server.port())) {
            assertEquals("(nil)", reader.call("GET", "pause-all-key"));
            assertTrue(System.currentTimeMillis() - start >= 250, "GET ran during an ALL pause");
        }
        assertEquals("(error) ERR CLIENT PAUSE mode must be WRITE or ALL", c.call("CLIENT", "PAUSE", "10", "READ"));
        assertEquals("(error) ERR timeout is not an integer or out of range", c.call("CLIENT", "PAUSE", "x"));
        assertEquals("(error) ERR timeout is negative", c.call("CLIENT", "PAUSE", "-1"));
        assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.",
                c.call("CLIENT", "PAUSE", "1", "ALL", "x"));
        assertEquals("OK", c.call("CLIENT", "PAUSE", "0", "WRITE")); // no time at all: nothing held
        assertEquals("OK", c.call("SET", "pause-all-key", "v"));
    }

    @Test
    void heldClientThatDisconnectsIsForgotten() throws Exception {
        assertEquals("OK", c.call("CLIENT", "PAUSE", "100000", "WRITE"));
        RespTestClient writer = new RespTestClient(server.port());
        writer.send("SET", "gone-key", "v");
        waitFor("the writer to be blocked", () -> blockedClients() == 1);
        writer.close();
        waitFor("the blocked writer to be forgotten", () -> blockedClients() == 0);
        assertEquals("OK", c.call("CLIENT", "UNPAUSE"));
        assertEquals("(nil)", c.call("GET", "gone-key"));
    }
}
