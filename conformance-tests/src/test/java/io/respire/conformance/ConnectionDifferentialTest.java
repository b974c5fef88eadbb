package io.respire.conformance;

/**
 * Connection family and the dispatcher's generic errors (server's ConnectionCommands,
 * ClientCommands, CommandDispatcher): PING, ECHO, HELLO, SELECT, CLIENT SETNAME/GETNAME/ID,
 * QUIT, RESET, unknown commands and subcommands, wrong arity. Client ids legitimately differ, so
 * HELLO is compared with its "id" field masked and CLIENT ID by shape only.
 */
class ConnectionDifferentialTest {
    private static final ReplyComparison HELLO = ReplyComparison.exceptFields("id");

    @Differential
    void ping(Dual d) {
        d.check("PING");
        d.check("ping");
        d.check("PING", "hello");
        d.check("PING", "");
        d.check("PING", new byte[] {0, 1, 2});
        d.check("PING", "a", "b");
    }

    @Differential
    void echo(Dual d) {
        d.check("ECHO", "hello");
        d.check("ECHO", "");
        d.check("ECHO", new byte[] {'\r', '\n', 0});
        d.check("ECHO");
        d.check("ECHO", "a", "b");
    }

    @Differential
    void hello(Dual d) {
        d.checkWith(HELLO, "HELLO");
        d.checkWith(HELLO, "HELLO", "3");
        d.checkWith(HELLO, "HELLO", "2");
        // every HELLO is compared with HELLO's rule: errors exactly, maps except for the client id
        for (Object[] variant : new Object[][] {{"1"}, {"4"}, {"-1"}, {"abc"}, {"2.5"}, {"3", "BOGUS"}, {"3", "SETNAME"},
                {"3", "AUTH", "default"}, {"3", "AUTH", "default", "anypass"}, {"3", "AUTH", "nouser", "pass"},
                {"3", "SETNAME", "bad name"}, {"AUTH", "default", "x"}}) {
            d.checkWith(HELLO, Dual.concat(new Object[] {"HELLO"}, variant));
        }
        d.checkWith(HELLO, "HELLO", "3", "SETNAME", "myname");
        d.check("CLIENT", "GETNAME");
        d.checkWith(HELLO, "HELLO", "2", "setname", "other", "AUTH", "default", "anything");
        d.check("CLIENT", "GETNAME");
        d.check("GET", "missing");
    }

    @Differential
    void select(Dual d) {
        d.check("SET", "k", "db0");
        d.check("SELECT", "1");
        d.check("GET", "k");
        d.check("SET", "k", "db1");
        d.check("SELECT", "15");
        d.check("SELECT", "16");
        d.check("SELECT", "-1");
        d.check("SELECT", "abc");
        d.check("SELECT", "1.5");
        d.check("SELECT", "");
        d.check("SELECT", "9223372036854775808");
        d.check("SELECT", "2147483648");
        d.check("SELECT", " 1");
        d.check("SELECT", "01");
        d.check("GET", "k");
        d.check("SELECT", "0");
        d.check("GET", "k");
        d.check("SELECT");
        d.check("SELECT", "1", "2");
    }

    @Differential
    void clientNames(Dual d) {
        d.check("CLIENT", "GETNAME");
        d.check("CLIENT", "SETNAME", "conn-1");
        d.check("CLIENT", "GETNAME");
        d.check("CLIENT", "SETNAME", "bad name");
        d.check("CLIENT", "SETNAME", "new\nline");
        d.check("CLIENT", "SETNAME", "tab\tname");
        d.check("CLIENT", "SETNAME", "ütf8");
        d.check("CLIENT", "GETNAME");
        d.check("CLIENT", "SETNAME", "");
        d.check("CLIENT", "GETNAME");
        d.check("CLIENT", "SETNAME");
        d.check("CLIENT", "SETNAME", "a", "b");
        d.check("CLIENT", "GETNAME", "extra");
        d.check("client", "setname", "lower");
        d.check("CLIENT", "GETNAME");
    }

    @Differential
    void clientIdIsAnIntegerAndStable(Dual d) {
        RespReply[] first = d.both("CLIENT", "ID");
        RespReply[] again = d.both("CLIENT", "ID");
        for (int i = 0; i < 2; i++) {
            if (first[i].type != ':' || !first[i].text().equals(again[i].text())) {
                throw new AssertionError((i == 0 ? "redis" : "respire") + ": CLIENT ID not a stable integer: "
                        + first[i].render() + " then " + again[i].render());
            }
        }
        d.checkWith(ReplyComparison.SHAPE, "CLIENT", "ID");
        d.check("CLIENT", "ID", "extra");
    }

    @Differential
    void unknownCommandsAndSubcommands(Dual d) {
        d.check("NOSUCHCOMMAND");
        d.check("nosuchcommand", "a", "b", "c");
        d.check("NOSUCH", "x".repeat(200));
        d.check("NOSUCH", "a".repeat(60), "b".repeat(60), "c".repeat(60));
        d.check("x".repeat(200));
        d.check("NO\r\nSUCH", "with\nnewline");
        d.check("");
        d.check("CLIENT", "NOSUCHSUB");
        d.check("CLIENT", "NOSUCHSUB", "arg");
        d.check("CLIENT");
        d.check("CONFIG");
        d.check("OBJECT", "nosuch", "x");
        d.check("GET|x", "k");
        d.check("CLIENT|GETNAME");
    }

    @Differential
    void wrongArity(Dual d) {
        d.check("GET");
        d.check("SET", "k");
        d.check("get");
        d.check("GETRANGE", "k", "1");
        d.check("MGET");
        d.check("SELECT");
        d.check("CLIENT", "SETNAME");
        d.check("ECHO");
        d.check("DEL");
    }

    @Differential
    void quitRepliesOkAndCloses(Dual d) {
        d.check("QUIT");
        d.checkClosedAlike();
    }

    @Differential
    void quitWithArguments(Dual d) {
        d.check("QUIT", "now", "please");
        d.checkClosedAlike();
    }

    @Differential
    void resetRestoresConnectionDefaults(Dual d) {
        d.check("SELECT", "3");
        d.check("SET", "k", "in3");
        d.check("CLIENT", "SETNAME", "named");
        d.check("RESET");
        d.check("GET", "k");
        d.check("CLIENT", "GETNAME");
        d.check("GET", "missing");
        d.check("RESET", "extra");
    }

    @Differential(protocols = 2)
    void helloSwitchesProtocolMidConnection(Dual d) {
        d.check("SET", "k", "v");
        d.check("GET", "missing");
        d.checkWith(HELLO, "HELLO", "3");
        d.check("GET", "missing");
        d.check("INCRBYFLOAT", "f", "1.5");
        d.checkWith(HELLO, "HELLO", "2");
        d.check("GET", "missing");
    }
}
