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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Set commands end to end; expected replies were checked against Redis 7.0.15. */
class SetCommandsTest extends EmbeddedServerTest {

    private static final String WRONGTYPE = "(error) WRONGTYPE Operation against a key holding the wrong kind of value";

    /** An array reply with its integers shown bare, sorted when it is an unordered set. */
    private String sorted(String line) throws Exception {
        String reply = call(line);
        if (!reply.startsWith("[") || reply.equals("[]")) {
            return reply;
        }
        List<String> items = new ArrayList<>(Arrays.asList(reply.substring(1, reply.length() - 1).split(", ")));
        items.sort(null);
        return items.toString();
    }

    @Test
    void addRemoveAndEncodings() throws Exception {
        assertEquals("(integer) 3", call("SADD s 1 2 3 2"));
        assertEquals("intset", call("OBJECT ENCODING s"));
        assertEquals("[1, 2, 3]", call("SMEMBERS s")); // an intset iterates in order
        assertEquals("(integer) 1", call("SADD s a"));
        assertEquals("hashtable", call("OBJECT ENCODING s"));
        assertEquals("set", call("TYPE s"));
        assertEquals("(integer) 4", call("SCARD s"));
        assertEquals("(integer) 1", call("SISMEMBER s a"));
        assertEquals("[(integer) 1, (integer) 0, (integer) 1]", call("SMISMEMBER s a zz 1"));
        assertEquals("[(integer) 0, (integer) 0]", call("SMISMEMBER nokey a b"));
        assertEquals("(integer) 2", call("SREM s 1 zz a"));
        assertEquals("(integer) 2", call("SREM s 2 3"));
        assertEquals("(integer) 0", call("EXISTS s")); // emptied sets are deleted
        assertEquals("(integer) 0", call("SREM nokey a"));
        assertEquals("(integer) 0", call("SCARD nokey"));
    }

    @Test
    void intsetLimitIsReadAtEachWrite() throws Exception {
        call("CONFIG SET set-max-intset-entries 4");
        try {
            call("SADD s 1 2 3 4");
            assertEquals("intset", call("OBJECT ENCODING s"));
            call("SADD s 5");
            assertEquals("hashtable", call("OBJECT ENCODING s"));
        } finally {
            call("CONFIG SET set-max-intset-entries 512");
        }
        call("SADD big -9223372036854775808 9223372036854775807");
        assertEquals("intset", call("OBJECT ENCODING big"));
        call("SADD big 01"); // not the canonical text of an integer
        assertEquals("hashtable", call("OBJECT ENCODING big"));
    }

    @Test
    void wrongTypeAndArgumentErrors() throws Exception {
        call("SET str x");
        for (String cmd : new String[] {"SADD str a", "SREM str a", "SCARD str", "SMEMBERS str", "SISMEMBER str a",
                "SPOP str", "SRANDMEMBER str", "SINTER str", "SUNION str", "SDIFF str", "SSCAN str 0",
                "SMOVE str x a", "SINTERCARD 1 str"}) {
            assertEquals(WRONGTYPE, call(cmd), cmd);
        }
        call("SADD s a");
        assertEquals(WRONGTYPE, call("SMOVE s str a"));
        assertEquals("(integer) 0", call("SMOVE nokey str a")); // a missing source wins
        assertEquals(WRONGTYPE, call("SINTER nokey str")); // the type error wins over the empty set
        assertEquals("(error) ERR value is out of range, must be positive", call("SPOP s abc"));
        assertEquals("(error) ERR value is out of range, must be positive", call("SPOP s -1"));
        assertEquals("(error) ERR syntax error", call("SPOP s 1 2"));
        assertEquals("(error) ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                call("SRANDMEMBER s -9223372036854775808"));
        assertEquals("(error) ERR value is not an integer or out of range", call("SRANDMEMBER s abc"));
        assertEquals("(error) ERR numkeys should be greater than 0", call("SINTERCARD 0 s"));
        assertEquals("(error) ERR numkeys should be greater than 0", call("SINTERCARD abc s"));
        assertEquals("(error) ERR Number of keys can't be greater than number of args", call("SINTERCARD 3 s s"));
        assertEquals("(error) ERR syntax error", call("SINTERCARD 1 s foo"));
        assertEquals("(error) ERR LIMIT can't be negative", call("SINTERCARD 1 s LIMIT -1"));
        assertEquals("(error) ERR invalid cursor", call("SSCAN s abc"));
        assertEquals("(error) ERR syntax error", call("SSCAN s 0 COUNT 0"));
        assertEquals("(error) ERR syntax error", call("SSCAN s 0 TYPE string"));
    }

    @Test
    void popAndRandomMembers() throws Exception {
        assertEquals("(nil)", call("SPOP nokey"));
        assertEquals("[]", call("SPOP nokey 3"));
        assertEquals("(nil)", call("SRANDMEMBER nokey"));
        assertEquals("[]", call("SRANDMEMBER nokey 3"));
        call("SADD s a b c d e f g h i j");
        assertEquals("[]", call("SPOP s 0"));
        assertEquals("[]", call("SRANDMEMBER s 0"));
        Set<String> all = Set.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        for (int count : new int[] {1, 2, 3, 4, 8, 9, 10, 20}) {
            Set<String> got = members(call("SRANDMEMBER s " + count));
            assertEquals(Math.min(count, 10), got.size(), "distinct members for count " + count);
            assertTrue(all.containsAll(got));
        }
        String repeated = call("SRANDMEMBER s -30");
        assertEquals(30, repeated.split(", ").length);
        // SPOP count: the small-count strategy, then the keep-the-rest strategy, then all.
        Set<String> popped = new HashSet<>(members(call("SPOP s 2")));
        popped.addAll(members(call("SPOP s 7")));
        assertEquals(9, popped.size());
        assertEquals("(integer) 1", call("SCARD s"));
        popped.addAll(members(call("SPOP s 5")));
        assertEquals(all, popped);
        assertEquals("(integer) 0", call("EXISTS s"));
        call("SADD i 1 2 3");
        call("SPOP i");
        call("SPOP i");
        call("SPOP i");
        assertEquals("(integer) 0", call("EXISTS i"));
    }

    private static Set<String> members(String arrayReply) {
        if (arrayReply.equals("[]")) {
            return Set.of();
        }
        return new HashSet<>(Arrays.asList(arrayReply.substring(1, arrayReply.length() - 1).split(", ")));
    }

    @Test
    void smove() throws Exception {
        call("SADD a 1 2");
        assertEquals("(integer) 1", call("SMOVE a b 1"));
        assertEquals("intset", call("OBJECT ENCODING b"));
        assertEquals("(integer) 0", call("SMOVE a b 9"));
        assertEquals("(integer) 1", call("SMOVE a a 2"));
        assertEquals("(integer) 0", call("SMOVE a a 9"));
        assertEquals("(integer) 1", call("SMOVE a b 2"));
        assertEquals("(integer) 0", call("EXISTS a"));
        assertEquals("[1, 2]", sorted("SMEMBERS b"));
    }

    @Test
    void intersectionsUnionsDifferences() throws Exception {
        call("SADD x 1 2 3");
        call("SADD y 2 3 4");
        call("SADD z c 3");
        assertEquals("[2, 3]", sorted("SINTER x y"));
        assertEquals("[3]", sorted("SINTER x y z"));
        assertEquals("[]", call("SINTER x nokey"));
        assertEquals("(integer) 2", call("SINTERCARD 2 x y"));
        assertEquals("(integer) 1", call("SINTERCARD 2 x y LIMIT 1"));
        assertEquals("(integer) 0", call("SINTERCARD 2 x nokey"));
        assertEquals("(integer) 2", call("SINTERSTORE d x y"));
        assertEquals("intset", call("OBJECT ENCODING d"));
        call("EXPIRE d 100");
        assertEquals("(integer) 1", call("SINTERSTORE d x z"));
        assertEquals("(integer) -1", call("TTL d")); // the destination is replaced whole
        assertEquals("(integer) 0", call("SINTERSTORE d x nokey"));
        assertEquals("(integer) 0", call("EXISTS d"));
        assertEquals("[1, 2, 3, 4, c]", sorted("SUNION x y z nokey"));
        assertEquals("(integer) 5", call("SUNIONSTORE u x y z"));
        assertEquals("hashtable", call("OBJECT ENCODING u"));
        assertEquals("[1]", sorted("SDIFF x y z"));
        assertEquals("[]", call("SDIFF x x"));
        assertEquals("[]", call("SDIFF nokey x"));
        assertEquals("[1, 2, 3]", call("SDIFF x nokey"));
        assertEquals("(integer) 0", call("SDIFFSTORE u x x"));
        assertEquals("(integer) 0", call("EXISTS u"));
        assertEquals("(integer) 1", call("SDIFFSTORE u x y"));
        assertEquals("[1]", call("SMEMBERS u"));
    }

    @Test
    void resp3UsesTheSetType() throws Exception {
        call("SADD s a");
        call("HELLO 3");
        assertEquals("~1\r\n$1\r\na\r\n", new String(c.callRaw("SMEMBERS", "s")));
        assertEquals("~0\r\n", new String(c.callRaw("SMEMBERS", "nokey")));
        assertEquals("~1\r\n$1\r\na\r\n", new String(c.callRaw("SUNION", "s")));
        assertEquals("~0\r\n", new String(c.callRaw("SPOP", "nokey", "2")));
        assertEquals("*0\r\n", new String(c.callRaw("SRANDMEMBER", "nokey", "2"))); // an array, as in Redis
        assertEquals("_\r\n", new String(c.callRaw("SPOP", "nokey")));
    }

    @Test
    void sscanReturnsEveryMemberOnce() throws Exception {
        assertEquals("[0, []]", call("SSCAN nokey 0"));
        call("SADD small 1 2 3");
        assertEquals("[0, [1, 2, 3]]", call("SSCAN small 0 COUNT 1")); // an intset comes whole
        Object[] add = new Object[1002];
        add[0] = "SADD";
        add[1] = "big";
        for (int i = 0; i < 1000; i++) {
            add[i + 2] = "member:" + i;
        }
        c.call(add);
        Set<String> seen = new TreeSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            String reply = call("SSCAN big " + cursor + " COUNT 50 MATCH member:1*");
            cursor = reply.substring(1, reply.indexOf(','));
            String list = reply.substring(reply.indexOf('[', 1));
            seen.addAll(members(list.substring(0, list.length() - 1)));
            calls++;
        } while (!cursor.equals("0"));
        assertEquals(111, seen.size()); // member:1, member:10..19, member:100..199
        assertTrue(calls > 5);
    }

    @Test
    void randomCommandsMatchAModel() throws Exception {
        SplittableRandom r = new SplittableRandom(17);
        Set<String> model = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            String m = r.nextInt(4) == 0 ? "m" + r.nextInt(100) : Integer.toString(r.nextInt(600));
            switch (r.nextInt(4)) {
                case 0, 1 -> assertEquals("(integer) " + (model.add(m) ? 1 : 0), c.call("SADD", "k", m));
                case 2 -> assertEquals("(integer) " + (model.remove(m) ? 1 : 0), c.call("SREM", "k", m));
                default -> assertEquals("(integer) " + (model.contains(m) ? 1 : 0), c.call("SISMEMBER", "k", m));
            }
        }
        assertEquals("(integer) " + model.size(), call("SCARD k"));
        assertEquals(new TreeSet<>(model), new TreeSet<>(members(call("SMEMBERS k"))));
    }

    /** The dirty counter moves as Redis's server.dirty: an emptied set's deletion is no extra change. */
    @Test
    void changesCountedAsRedisCountsThem() throws Exception {
        c.call("SADD", "dc", "a", "b");
        assertEquals(2, InfoFields.changesMadeBy(c, "SMOVE", "dc", "dc2", "a"));
        assertEquals(2, InfoFields.changesMadeBy(c, "SMOVE", "dc", "dc2", "b")); // empties dc
        assertEquals(1, InfoFields.changesMadeBy(c, "SREM", "dc2", "a", "zz"));
        assertEquals(1, InfoFields.changesMadeBy(c, "SPOP", "dc2")); // empties dc2
        c.call("SADD", "dc", "only");
        assertEquals(1, InfoFields.changesMadeBy(c, "SPOP", "dc", "5"));
    }

    /**
     * A STORE with an empty result deletes its destination even when it has expired but is still
     * there, as Redis's dbDelete does, and that counts as a change.
     */
    @Test
    void emptyStoreDeletesAnExpiredDestination() throws Exception {
        server.context().executor().submit(() -> server.context().activeExpireEnabled(false)).get();
        try {
            c.call("SET", "dc-dst", "v", "PX", "1");
            Thread.sleep(5);
            assertEquals(1, InfoFields.changesMadeBy(c, "SINTERSTORE", "dc-dst", "dc-missing"));
            assertEquals(0, InfoFields.changesMadeBy(c, "SINTERSTORE", "dc-dst", "dc-missing"));
        } finally {
            server.context().executor().submit(() -> server.context().activeExpireEnabled(true)).get();
        }
    }
}
