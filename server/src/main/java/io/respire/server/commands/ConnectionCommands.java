package io.respire.server.commands;

import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.acl.Acl;
import io.respire.server.acl.User;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;

/** Connection commands: PING, ECHO, QUIT, SELECT, HELLO, AUTH, RESET. */
public final class ConnectionCommands {
    private ConnectionCommands() {
    }

    static void register(CommandTable table) {
        table.register("ping", ConnectionCommands::ping);
        table.register("echo", ConnectionCommands::echo);
        table.register("quit", ConnectionCommands::quit);
        table.register("select", ConnectionCommands::select);
        table.register("hello", ConnectionCommands::hello);
        table.register("auth", ConnectionCommands::auth);
        table.register("reset", ConnectionCommands::reset);
    }

    static void ping(Client c) {
        if (c.argc() > 2) {
            throw new CommandError(Errors.wrongArity("ping"));
        }
        if (c.subscribed() && c.protocol() == 2) {
            // Subscribed RESP2 connections read every reply as a message: PING answers as one.
            c.reply().array(2);
            c.reply().bulk("pong");
            c.reply().bulk(c.argc() == 1 ? new byte[0] : c.arg(1));
        } else if (c.argc() == 1) {
            c.reply().simple("PONG");
        } else {
            c.reply().bulk(c.arg(1));
        }
    }

    static void echo(Client c) {
        c.reply().bulk(c.arg(1));
    }

    static void quit(Client c) {
        c.reply().ok();
        c.closeAfterReply();
    }

    static void select(Client c) {
        c.select(Args.dbIndexArg(c, 1));
        c.reply().ok();
    }

    /**
     * HELLO [protover [AUTH username password] [SETNAME clientname]]. As in Redis, each option takes
     * effect as it is read, so an error in a later one leaves the earlier ones applied.
     */
    static void hello(Client c) {
        int version = c.protocol();
        int next = 1;
        if (c.argc() >= 2) {
            long requested = Args.longArg(c, 1, "ERR Protocol version is not an integer or out of range");
            if (requested < 2 || requested > 3) {
                throw new CommandError("NOPROTO unsupported protocol version");
            }
            version = (int) requested;
            next = 2;
        }
        for (int i = next; i < c.argc(); i++) {
            if (c.argIs(i, "AUTH") && i + 2 < c.argc()) {
                if (!checkPassword(c, c.argString(i + 1), c.argString(i + 2))) {
                    throw new CommandError(Errors.WRONGPASS);
                }
                i += 2;
            } else if (c.argIs(i, "SETNAME") && i + 1 < c.argc()) {
                ClientNames.setName(c, c.arg(i + 1));
                i++;
            } else {
                throw new CommandError("ERR Syntax error in HELLO option '" + c.argString(i) + "'");
            }
        }
        if (c.authRequired()) {
            throw new CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
        }
        c.protocol(version);
        Reply r = c.reply();
        r.map(7);
        r.bulk("server");
        r.bulk("redis");
        r.bulk("version");
        r.bulk(ServerInfo.REDIS_VERSION);
        r.bulk("proto");
        r.integer(version);
        r.bulk("id");
        r.integer(c.id());
        r.bulk("mode");
        r.bulk("standalone");
        r.bulk("role");
        r.bulk(c.server().masterLink().active() ? "replica" : "master");
        r.bulk("modules");
        r.array(0);
    }

    /** AUTH [username] password */
    static void auth(Client c) {
        if (c.argc() > 3) {
            throw new CommandError(Errors.SYNTAX);
        }
        String user = c.argc() == 3 ? c.argString(1) : Acl.DEFAULT_USER;
        String password = c.argString(c.argc() - 1);
        if (c.argc() == 2 && c.server().acl().defaultUser().nopass()) {
            throw new CommandError("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
        }
        if (!checkPassword(c, user, password)) {
            throw new CommandError(Errors.WRONGPASS);
        }
        c.reply().ok();
    }

    /**
     * Redis's ACLAuthenticateUser: on success the connection runs as the user; a failure is
     * logged in ACL LOG under the name tried.
     */
    private static boolean checkPassword(Client c, String user, String password) {
        User authenticated = c.server().acl().authenticate(user, password);
        if (authenticated == null) {
            c.server().aclDenied(c, Acl.Reason.AUTH, c.multi().active() ? "multi" : "toplevel", c.argString(0), user);
            return false;
        }
        c.authenticate(authenticated);
        return true;
    }

    /** RESET: the connection returns to the state of a new one (Redis's clearClientConnectionState). */
    static void reset(Client c) {
        c.resetConnectionState();
        c.reply().simple("RESET");
    }
}
