package io.respire.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ACL (server's io.respire.server.acl and AclCommands): rule strings round-tripped through ACL
 * SETUSER, GETUSER and LIST; SETUSER errors; ACL CAT; DRYRUN; NOPERM texts at the top level, in
 * MULTI/EXEC and in scripts; AUTH errors; ACL LOG entries.
 *
 * <p>Redis lists single-command rules in the order of its command hash table, which is seeded at
 * random on each start, so those rules (and ACL CAT's commands) are compared as sets; everything
 * else byte for byte. ACL LOG's age and client-info fields are time- and memory-dependent and are
 * compared by shape. The servers live across tests: every test deletes the users it makes.
 */
class AclDifferentialTest {
    private static final String[] USERS = {"alice", "bob", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "sel", "a b"};

    /** Replies equal once the single-command rules of every string in them are sorted. */
    private static final ReplyComparison RULES = AclDifferentialTest::sameRules;

    /** ACL LOG: every entry equal except its age and client-info. */
    private static final ReplyComparison LOG = (a, b) -> {
        if (!a.sameShape(b) || !a.isAggregate()) {
            return Arrays.equals(a.raw, b.raw);
        }
        ReplyComparison entry = ReplyComparison.exceptFields("age-seconds", "client-info");
        for (int i = 0; i < a.children.size(); i++) {
            if (!entry.same(a.children.get(i), b.children.get(i))) {
                return false;
            }
        }
        return true;
    };

    private static boolean sameRules(RespReply a, RespReply b) {
        if (a.type != b.type || a.children.size() != b.children.size()) {
            return false;
        }
        if (a.isAggregate()) {
            for (int i = 0; i < a.children.size(); i++) {
                if (!sameRules(a.children.get(i), b.children.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.data == null || b.data == null) {
            return Arrays.equals(a.raw, b.raw);
        }
        return canonical(a.text()).equals(canonical(b.text()));
    }

    /** The rule string with its single-command rules (+cmd, -cmd, no @) sorted after the rest. */
    static String canonical(String rules) {
        List<String> others = new ArrayList<>();
        List<String> singles = new ArrayList<>();
        for (String token : rules.split(" ", -1)) {
            boolean single = (token.startsWith("+") || token.startsWith("-")) && !token.contains("@");
            (single ? singles : others).add(token);
        }
        singles.sort(null);
        others.addAll(singles);
        return String.join(" ", others);
    }

    private static void clean(Dual d) {
        d.check(Dual.concat(new Object[] {"ACL", "DELUSER"}, (Object[]) USERS));
        d.check("ACL", "LOG", "RESET");
    }

    /** Sets a user, then compares GETUSER and the user's ACL LIST line. */
    private static void roundTrip(Dual d, String user, String... rules) {
        d.check(Dual.concat(new Object[] {"ACL", "SETUSER", user}, (Object[]) rules));
        d.checkWith(RULES, "ACL", "GETUSER", user);
        d.checkWith(RULES, "ACL", "LIST");
    }

    @Differential
    void ruleStringsRoundTrip(Dual d) {
        clean(d);
        d.check("ACL", "LIST");
        d.check("ACL", "USERS");
        d.check("ACL", "GETUSER", "default");
        d.check("ACL", "GETUSER", "nobody");
        roundTrip(d, "t1", "-@all", "+@read");
        roundTrip(d, "t2", "+@all", "-@write", "-@dangerous", "+flushdb");
        roundTrip(d, "t3", "on", ">a", ">b", "<a", "~foo", "%R~bar", "%W~baz", "%RW~qux", "&chan", "&chan");
        roundTrip(d, "t4", "+@read", "+@write", "-@dangerous");
        roundTrip(d, "t5", "+@all", "-@slow", "+info");
        roundTrip(d, "t6", "-@all", "+select|0", "+select|1", "+config|get", "+client", "-client|kill");
        roundTrip(d, "t7", "+@all", "-config|set", "-@geo", "+geoadd", "nopass", "reset");
        roundTrip(d, "t8", "on", "#" + "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
                "!5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", "nopass", "allkeys", "allchannels",
                "allcommands", "resetpass", "resetkeys", "resetchannels", "nocommands", "skip-sanitize-payload");
        roundTrip(d, "sel", "on", "(~x +get)", "(%R~y", "+@read", "&ch)", "()");
        roundTrip(d, "sel", "clearselectors", "(+set ~z)");
        d.check("ACL", "USERS");
        clean(d);
    }

    @Differential
    void setuserErrors(Dual d) {
        clean(d);
        for (Object[] rules : new Object[][] {{"~foo", "allkeys", "~bar"}, {"&*", "&x"}, {"("}, {"(~x", "+get"},
                {"%~x"}, {"%Q~x"}, {"+config|get|x"}, {"+select|"}, {"+config|nosuch"}, {"#abc"}, {"!abc"}, {"<nope"},
                {"+@nope"}, {"+nosuch"}, {"-nosuch"}, {"+"}, {"bogus"}, {"(on)"}, {"(nopass ~x)"}, {"(\"~a b\")"},
                {"on", ">x", "+@nope"}}) {
            d.check(Dual.concat(new Object[] {"ACL", "SETUSER", "t1"}, rules));
        }
        d.check("ACL", "GETUSER", "t1");
        d.check("ACL", "SETUSER", "a b");
        d.check("ACL", "SETUSER");
        d.check("ACL", "DELUSER", "default");
        d.check("ACL", "DELUSER", "nobody", "t1");
        clean(d);
    }

    @Differential
    void catWhoamiGenpassHelp(Dual d) {
        d.check("ACL", "CAT");
        for (String category : new String[] {"keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
                "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous",
                "connection", "transaction", "scripting", "GEO"}) {
            d.checkWith(ReplyComparison.UNORDERED, "ACL", "CAT", category);
        }
        d.check("ACL", "CAT", "nope");
        d.check("ACL", "CAT", "a", "b");
        d.check("ACL", "WHOAMI");
        d.checkWith(ReplyComparison.SHAPE, "ACL", "GENPASS");
        d.checkWith(ReplyComparison.SHAPE, "ACL", "GENPASS", "5");
        d.check("ACL", "GENPASS", "0");
        d.check("ACL", "GENPASS", "4097");
        d.check("ACL", "GENPASS", "x");
        d.check("ACL", "HELP");
        d.check("ACL", "LOAD");
        d.check("ACL", "SAVE");
        d.check("ACL", "NOSUCH");
    }

    @Differential
    void dryrun(Dual d) {
        clean(d);
        d.check("ACL", "SETUSER", "alice", "on", "nopass", "~a*", "%R~r*", "&ch*", "-@all", "+get", "+set", "+publish",
                "+select|0", "(+del ~d*)");
        for (Object[] command : new Object[][] {{"get", "a1"}, {"get", "b1"}, {"del", "a1"}, {"del", "d1"},
                {"set", "r1", "v"}, {"get", "r1"}, {"publish", "ch1", "m"}, {"publish", "x", "m"}, {"select", "0"},
                {"select", "1"}, {"nosuch"}, {"get"}, {"config"}, {"config", "nosuch"}, {"auth", "x", "y"}}) {
            d.check(Dual.concat(new Object[] {"ACL", "DRYRUN", "alice"}, command));
        }
        d.check("ACL", "DRYRUN", "nobody", "get", "x");
        clean(d);
    }

    @Differential
    void authAndNoperm(Dual d) {
        clean(d);
        d.check("ACL", "SETUSER", "bob", "on", ">pw", "~a*", "-@all", "+get", "+set", "+multi", "+exec", "+eval",
                "+acl|whoami");
        d.check("ACL", "SETUSER", "t1", "off", ">pw", "+@all");
        Dual bob = d.another();
        bob.check("AUTH", "bob", "wrong");
        bob.check("AUTH", "nobody", "pw");
        bob.check("AUTH", "t1", "pw");
        bob.check("AUTH", "pw");
        bob.check("AUTH", "a", "b", "c");
        bob.check("AUTH", "bob", "pw");
        bob.check("ACL", "WHOAMI");
        bob.check("SET", "a1", "v");
        bob.check("GET", "a1");
        bob.check("GET", "b1");
        bob.check("DEL", "a1");
        bob.check("ACL", "LIST");
        bob.check("EVAL", "return redis.call('get', 'a1')", "0");
        bob.check("EVAL", "return redis.call('get', 'b1')", "0");
        bob.check("EVAL", "return redis.call('del', 'a1')", "0");
        bob.check("EVAL", "return redis.acl_check_cmd('get', 'b1')", "0");
        bob.check("EVAL", "return redis.acl_check_cmd('get', 'a1')", "0");
        bob.check("MULTI");
        bob.check("GET", "a1");
        bob.check("GET", "b1");
        bob.check("EXEC");
        bob.check("MULTI");
        bob.check("GET", "a1");
        d.check("ACL", "SETUSER", "bob", "-get");
        bob.check("EXEC");
        d.checkWith(LOG, "ACL", "LOG");
        d.checkWith(LOG, "ACL", "LOG", "2");
        d.check("ACL", "LOG", "0");
        d.check("ACL", "LOG", "-5");
        d.check("ACL", "LOG", "x");
        d.check("ACL", "LOG", "1", "2");
        d.check("ACL", "LOG", "RESET");
        d.check("ACL", "LOG");
        d.check("ACL", "DELUSER", "bob");
        bob.checkClosedAlike();
        clean(d);
    }

    @Differential
    void clientKillUser(Dual d) {
        clean(d);
        d.check("ACL", "SETUSER", "alice", "on", "nopass", "+@all", "~*");
        Dual alice = d.another();
        alice.check("AUTH", "alice", "x");
        d.check("CLIENT", "KILL", "USER", "nobody");
        d.check("CLIENT", "KILL", "USER", "alice");
        alice.checkClosedAlike();
        d.check("CLIENT", "KILL", "USER", "alice");
        clean(d);
    }

    @Differential
    void sortPatternsNeedReadAccessToEveryKey(Dual d) {
        clean(d);
        d.check("SET", "v1", "1");
        d.check("RPUSH", "mylist", "1");
        d.check("ACL", "SETUSER", "t1", "on", "nopass", "+sort", "~mylist", "(%R~* +sort)");
        d.check("ACL", "SETUSER", "t2", "on", "nopass", "+sort", "~mylist", "%W~*");
        Dual t1 = d.another();
        Dual t2 = d.another();
        t1.check("AUTH", "t1", "x");
        t2.check("AUTH", "t2", "x");
        t1.check("SORT", "mylist", "BY", "v*");
        t1.check("SORT", "mylist", "GET", "v*");
        t2.check("SORT", "mylist", "BY", "v*");
        t2.check("SORT", "mylist", "BY", "nosort");
        t2.check("SORT", "mylist", "GET", "#");
        t2.check("SORT", "mylist", "LIMIT", "x", "y", "GET", "#");
        clean(d);
    }

    /**
     * A user confined to keys a* and to a few commands: key-less commands that reach every key
     * (KEYS, SCAN, RANDOMKEY, FLUSHALL) and container commands (CONFIG, CLIENT, DEBUG, OBJECT,
     * MEMORY) are allowed or refused exactly as Redis allows or refuses them, subcommand by subcommand.
     */
    @Differential
    void keylessAndContainerCommands(Dual d) {
        clean(d);
        d.check("SET", "b1", "v");
        d.check("ACL", "SETUSER", "carol", "on", "nopass", "~a*", "+@read", "-keys", "+config|get", "+client|getname",
                "+object|encoding", "+memory|usage");
        Dual carol = d.another();
        carol.check("AUTH", "carol", "x");
        carol.check("RANDOMKEY"); // the one key, outside the user's patterns
        d.check("SET", "a1", "v");
        carol.check("KEYS", "b*");
        carol.check("SCAN", "0", "MATCH", "b*");
        carol.check("DBSIZE");
        carol.check("FLUSHALL");
        carol.check("CONFIG", "GET", "maxmemory");
        carol.check("CONFIG", "SET", "maxmemory", "0");
        carol.check("CLIENT", "GETNAME");
        carol.check("CLIENT", "KILL", "ID", "1");
        carol.check("DEBUG", "OBJECT", "a1");
        carol.check("OBJECT", "ENCODING", "a1");
        carol.check("OBJECT", "ENCODING", "b1");
        carol.check("OBJECT", "FREQ", "a1");
        carol.check("MEMORY", "USAGE", "b1");
        carol.check("EXISTS", "a1", "b1");
        carol.check("MGET", "a1", "b1");
        carol.check("EVAL", "return redis.call('keys', '*')", "0");
        carol.check("MULTI");
        carol.check("FLUSHDB");
        carol.check("EXEC");
        clean(d);
    }
}
