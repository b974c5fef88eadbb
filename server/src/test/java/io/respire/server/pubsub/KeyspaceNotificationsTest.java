package io.respire.server.pubsub;

import io.respire.server.EmbeddedServerTest;
import io.respire.server.RespTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keyspace notifications end to end: the classes notify-keyspace-events selects, the two channel
 * kinds, the database number in channel names, and the events that do not come from a command
 * (expired, from lookups and from the background cycle; new; keymiss). Messages are read by a
 * subscriber on "*"; a sentinel PUBLISH after each step shows that nothing else was sent. The
 * byte-for-byte comparison with Redis over a corpus of every write command is
 * KeyspaceNotificationsDifferentialTest in conformance-tests.
 */
class KeyspaceNotificationsTest extends EmbeddedServerTest {
    private RespTestClient subscriber;

    @BeforeEach
    void subscribe() throws Exception {
        subscriber = new RespTestClient(server.port());
        subscriber.send("PSUBSCRIBE", "*");
        subscriber.readRaw();
    }

    @AfterEach
    void reset() throws Exception {
        subscriber.close();
        c.call("CONFIG", "SET", "notify-keyspace-events", "");
    }

    /** The channels and payloads received up to the sentinel, "channel=payload" each. */
    private String received() throws IOException {
        c.call("PUBLISH", "sentinel", "end");
        StringBuilder out = new StringBuilder();
        while (true) {
            String m = RespTestClient.render(subscriber.readRaw()); // [pmessage, *, channel, payload]
            String[] parts = m.substring(1, m.length() - 1).split(", ");
            if (parts[2].equals("sentinel")) {
                return out.toString().trim();
            }
            out.append(parts[2]).append('=').append(parts[3]).append(' ');
        }
    }

    @Test
    void bothChannelKindsInOrderWithTheDatabaseNumber() throws Exception {
        c.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
        c.call("SELECT", "3");
        c.call("RPUSH", "l", "a");
        assertEquals("__keyspace@3__:l=rpush __keyevent@3__:rpush=l", received());
        c.call("LPOP", "l");
        assertEquals("__keyspace@3__:l=lpop __keyevent@3__:lpop=l __keyspace@3__:l=del __keyevent@3__:del=l",
                received());
    }

    @Test
    void onlyTheSelectedClassesAndKindsArePublished() throws Exception {
        c.call("CONFIG", "SET", "notify-keyspace-events", "E$");
        c.call("SET", "s", "1");
        c.call("SADD", "set", "x");
        c.call("DEL", "s");
        assertEquals("__keyevent@0__:set=s", received());
        c.call("CONFIG", "SET", "notify-keyspace-events", "g"); // a class without K or E: nothing
        c.call("DEL", "set");
        assertEquals("", received());
        c.call("CONFIG", "SET", "notify-keyspace-events", "Ks");
        c.call("SADD", "set", "x");
        assertEquals("__keyspace@0__:set=sadd", received());
    }

    @Test
    void expiredFromALookupAndFromTheBackgroundCycle() throws Exception {
        c.call("CONFIG", "SET", "notify-keyspace-events", "Ex");
        c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        try {
            c.call("SET", "lazy", "1", "PX", "1");
            Thread.sleep(5);
            assertEquals("(nil)", c.call("GET", "lazy"));
            assertEquals("__keyevent@0__:expired=lazy", received());
        } finally {
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
        c.call("SET", "background", "1", "PX", "1");
        String m = RespTestClient.render(subscriber.readRaw()); // whenever the cycle finds it
        assertEquals("[pmessage, *, __keyevent@0__:expired, background]", m);
    }

    @Test
    void newAndKeymissAreOnlyPublishedWhenAskedFor() throws Exception {
        c.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
        c.call("GET", "nothing");
        c.call("SET", "k", "1");
        assertEquals("__keyspace@0__:k=set __keyevent@0__:set=k", received());
        c.call("CONFIG", "SET", "notify-keyspace-events", "Enm");
        assertEquals("nEm", c.call("CONFIG", "GET", "notify-keyspace-events").split(", ")[1].replace("]", ""));
        c.call("GET", "nothing");
        c.call("OBJECT", "ENCODING", "nothing"); // OBJECT looks keys up without a keymiss (LOOKUP_NONOTIFY)
        c.call("SET", "k", "2");
        c.call("SET", "k2", "1");
        assertEquals("__keyevent@0__:keymiss=nothing __keyevent@0__:new=k2", received());
    }
}
