package io.respire.server.commands;

import io.respire.server.LocalServer;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ACL end to end: users from the config file, AUTH and RESET, deleted users' connections,
 * requirepass as the default user's password, CONFIG REWRITE of users. Texts are Redis 7.0.15's
 * (acl.c); the rule strings themselves are checked in AclTest and against Redis in
 * conformance-tests.
 */
class AclCommandsTest {
    private static RespireServer server;
    private RespTestClient c;

    @BeforeAll
    static void startServer() {
        server = RespireServer.start("--port", "0", "--bind", "127.0.0.1",
                "--user", "alice", "on", ">pw", "~a*", "+@all");
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
        c.call("ACL", "DELUSER", "bob");
        c.close();
    }

    @Test
    void usersFromTheConfigFile() throws Exception {
        assertEquals("[alice, default]", c.call("ACL", "USERS"));
        assertEquals("OK", c.call("AUTH", "alice", "pw"));
        assertEquals("alice", c.call("ACL", "WHOAMI"));
        assertEquals("(error) NOPERM this user has no permissions to access one of the keys used as arguments",
                c.call("GET", "b"));
        assertEquals("(nil)", c.call("GET", "a"));
        assertEquals("RESET", c.call("RESET"));
        assertEquals("default", c.call("ACL", "WHOAMI"));
    }

    @Test
    void aBadUserLineStopsTheStart() {
        assertThrows(RuntimeException.class, () -> RespireServer.start("--port", "0", "--user", "x", "+@nope"));
    }

    @Test
    void deletingAUserClosesItsConnections() throws Exception {
        assertEquals("OK", c.call("ACL", "SETUSER", "bob", "on", "nopass", "+@all", "~*"));
        try (RespTestClient bob = new RespTestClient(server.port())) {
            assertEquals("OK", bob.call("AUTH", "bob", "x"));
            assertEquals("(integer) 1", c.call("ACL", "DELUSER", "bob", "nosuch"));
            assertTrue(bob.isClosedByServer());
        }
        try (RespTestClient self = new RespTestClient(server.port())) {
            assertEquals("OK", self.call("ACL", "SETUSER", "bob", "on", "nopass", "+@all", "~*"));
            assertEquals("OK", self.call("AUTH", "bob", "x"));
            assertEquals("(integer) 1", self.call("ACL", "DELUSER", "bob"), "the reply comes before the close");
            assertTrue(self.isClosedByServer());
        }
    }

    @Test
    void clientKillUser() throws Exception {
        assertEquals("OK", c.call("ACL", "SETUSER", "bob", "on", "nopass", "+@all", "~*"));
        try (RespTestClient bob = new RespTestClient(server.port())) {
            assertEquals("OK", bob.call("AUTH", "bob", "x"));
            assertEquals("(integer) 0", c.call("CLIENT", "KILL", "USER", "default", "SKIPME", "yes", "ID", "999999"));
            assertEquals("(integer) 1", c.call("CLIENT", "KILL", "USER", "bob"));
            assertTrue(bob.isClosedByServer());
        }
        assertEquals("(error) ERR No such user 'nosuch'", c.call("CLIENT", "KILL", "USER", "nosuch"));
    }

    @Test
    void requirepassIsTheDefaultUsersPassword() throws Exception {
        try (RespireServer s = RespireServer.start("--port", "0", "--bind", "127.0.0.1");
             RespTestClient a = new RespTestClient(s.port())) {
            assertEquals("OK", a.call("CONFIG", "SET", "requirepass", "sekret"));
            try (RespTestClient b = new RespTestClient(s.port())) {
                assertEquals("(error) NOAUTH Authentication required.", b.call("GET", "x"));
                assertEquals("(error) WRONGPASS invalid username-password pair or user is disabled.", b.call("AUTH", "bad"));
                assertEquals("OK", b.call("AUTH", "sekret"));
                assertTrue(a.call("ACL", "LIST").contains("user default on #"), "the password is a hash");
                assertEquals("OK", b.call("CONFIG", "SET", "requirepass", ""));
                assertEquals("[user default on nopass ~* &* +@all]", b.call("ACL", "LIST"));
            }
        }
    }

    @Test
    void configRewriteWritesTheUsers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("respire.conf");
        Files.writeString(file, "port 0\nuser carol on nopass ~c* +get\n");
        try (RespireServer s = RespireServer.start(file.toString());
             RespTestClient a = new RespTestClient(s.port())) {
            assertEquals("OK", a.call("ACL", "SETUSER", "dave", "on", "#" + "a".repeat(64)));
            assertEquals("OK", a.call("CONFIG", "REWRITE"));
        }
        String content = Files.readString(file);
        assertTrue(content.contains("user carol on nopass ~c* resetchannels -@all +get\n"), content);
        assertTrue(content.contains("user dave on #" + "a".repeat(64) + " resetchannels -@all\n"), content);
        assertTrue(content.contains("user default on nopass ~* &* +@all\n"), content);
    }

    @Test
    void aclLogKeepsTheNewestFirstAndGroupsRepeats() throws Exception {
        assertEquals("OK", c.call("ACL", "LOG", "RESET"));
        try (RespTestClient a = new RespTestClient(server.port())) {
            a.call("AUTH", "alice", "wrong");
            a.call("AUTH", "alice", "wrong");
            a.call("AUTH", "alice", "pw");
            a.call("GET", "zz");
        }
        String log = c.call("ACL", "LOG");
        assertTrue(log.startsWith("[[count, (integer) 1, reason, key, context, toplevel, object, zz, username, alice, "), log);
        assertTrue(log.contains("], [count, (integer) 2, reason, auth, context, toplevel, object, AUTH, username, alice, "), log);
        assertEquals("[]", c.call("ACL", "LOG", "0"));
    }

    @Test
    void aclFileSaveAndLoad(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("users.acl"), "user alice on >pw ~a* +get\n\nuser default on nopass ~* &* +@all\n");
        try (RespireServer s = LocalServer.start(dir,
                "--aclfile", "users.acl");
             RespTestClient a = new RespTestClient(s.port());
             RespTestClient alice = new RespTestClient(s.port())) {
            assertEquals("[alice, default]", a.call("ACL", "USERS"));
            assertEquals("OK", alice.call("AUTH", "alice", "pw"));
            assertEquals("OK", a.call("ACL", "SETUSER", "bob", "on", "nopass"));
            assertEquals("OK", a.call("ACL", "SAVE"));
            assertEquals("user alice on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~a* "
                    + "resetchannels -@all +get\nuser bob on nopass resetchannels -@all\n"
                    + "user default on nopass ~* &* +@all\n", Files.readString(dir.resolve("users.acl")));
            Files.writeString(dir.resolve("users.acl"), "user carol on nopass\nuser carol off\nbogus\nuser x +@nope\n");
            assertEquals("(error) ERR WARNING: Duplicate user 'carol' found on line 2. users.acl:3 should start with "
                    + "user keyword followed by the username. users.acl:4: Error in applying operation '+@nope': Unknown "
                    + "command or category name in ACL. WARNING: ACL errors detected, no change to the previously "
                    + "active ACL rules was performed", a.call("ACL", "LOAD"));
            assertEquals("[alice, bob, default]", a.call("ACL", "USERS"));
            Files.writeString(dir.resolve("users.acl"), "user carol on nopass ~* +@all\n");
            assertEquals("OK", a.call("ACL", "LOAD"));
            assertEquals("[carol, default]", a.call("ACL", "USERS"));
            assertEquals("[user default on nopass ~* &* +@all]", a.call("ACL", "LIST").replaceAll("user carol[^,]*, ", ""));
            assertTrue(alice.isClosedByServer(), "the replaced users' connections are closed");
        }
    }

    @Test
    void aclFileAndUserLinesTogetherRefuseTheStart(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("users.acl"), "");
        assertThrows(RuntimeException.class, () -> RespireServer.start("--port", "0", "--dir", dir.toString(),
                "--aclfile", "users.acl", "--user", "x", "on"));
        assertEquals("(error) ERR This Redis instance is not configured to use an ACL file. You may want to specify "
                + "users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
                + "configuration file set) in order to store users in the Redis configuration.", c.call("ACL", "SAVE"));
    }

    /** Redis's ACLKillPubsubClientsIfNeeded: only the subscribers to a channel the user lost are closed. */
    @Test
    void revokedChannelsCloseTheirSubscribers() throws Exception {
        assertEquals("OK", c.call("ACL", "SETUSER", "bob", "on", "nopass", "resetchannels", "&chat", "&news", "+@all"));
        try (RespTestClient chat = new RespTestClient(server.port());
             RespTestClient news = new RespTestClient(server.port())) {
            assertEquals("OK", chat.call("AUTH", "bob", "x"));
            assertEquals("OK", news.call("AUTH", "bob", "x"));
            assertEquals("[subscribe, chat, (integer) 1]", chat.call("SUBSCRIBE", "chat"));
            assertEquals("[subscribe, news, (integer) 1]", news.call("SUBSCRIBE", "news"));
            assertEquals("OK", c.call("ACL", "SETUSER", "bob", "resetchannels", "&chat"));
            assertTrue(news.isClosedByServer(), "the subscriber to a revoked channel is closed");
            assertEquals("[pong, ]", chat.call("PING"));
        }
    }
}
