package io.respire.server.commands;

import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.ServerContext;
import io.respire.server.acl.User;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CLIENT subcommands (Redis's networking.c clientCommand). TRACKING, CACHING, GETREDIR and
 * TRACKINGINFO are client-side caching's, in {@link TrackingCommands}.
 */
public final class ClientCommands {
    private ClientCommands() {
    }

    static void register(CommandTable table) {
        table.register("client|help", ClientCommands::help);
        table.register("client|id", ClientCommands::id);
        table.register("client|info", ClientCommands::info);
        table.register("client|list", ClientCommands::list);
        table.register("client|setname", ClientCommands::setname);
        table.register("client|getname", ClientCommands::getname);
        table.register("client|kill", ClientCommands::kill);
        table.register("client|reply", ClientCommands::reply);
        table.register("client|no-evict", ClientCommands::noEvict);
        table.register("client|pause", ClientCommands::pause);
        table.register("client|unpause", ClientCommands::unpause);
        table.register("client|unblock", ClientCommands::unblock);
    }

    static void help(Client c) {
        Help.reply(c,
                "CACHING (YES|NO)",
                "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
                "GETREDIR",
                "    Return the client ID we are redirecting to when tracking is enabled.",
                "GETNAME",
                "    Return the name of the current connection.",
                "ID",
                "    Return the ID of the current connection.",
                "INFO",
                "    Return information about the current client connection.",
                "KILL <ip:port>",
                "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]",
                "    Kill connections. Options are:",
                "    * ADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made from the specified address",
                "    * LADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made to specified local address",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Kill connections by type.",
                "    * USER <username>",
                "      Kill connections authenticated by <username>.",
                "    * SKIPME (YES|NO)",
                "      Skip killing current connection (default: yes).",
                "LIST [options ...]",
                "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Return clients of specified type.",
                "UNPAUSE",
                "    Stop the current client pause, resuming traffic.",
                "PAUSE <timeout> [WRITE|ALL]",
                "    Suspend all, or just write, clients for <timeout> milliseconds.",
                "REPLY (ON|OFF|SKIP)",
                "    Control the replies sent to the current connection.",
                "SETNAME <name>",
                "    Assign the name <name> to the current connection.",
                "UNBLOCK <clientid> [TIMEOUT|ERROR]",
                "    Unblock the specified blocked client.",
                "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
                "         [OPTIN] [OPTOUT] [NOLOOP]",
                "    Control server assisted client side caching.",
                "TRACKINGINFO",
                "    Report tracking status for the current connection.",
                "NO-EVICT (ON|OFF)",
                "    Protect current client connection from eviction.");
    }

    static void id(Client c) {
        c.reply().integer(c.id());
    }

    static void info(Client c) {
        c.reply().verbatim("txt", ClientInfo.line(c, c) + "\n");
    }

    /** CLIENT LIST [TYPE type | ID id [id ...]] */
    static void list(Client c) {
        ServerContext server = c.server();
        StringBuilder out = new StringBuilder();
        if (c.argc() == 4 && c.argIs(2, "TYPE")) {
            String type = clientType(c, 3);
            for (Client other : server.clients()) {
                if (other.type().equals(type)) {
                    out.append(ClientInfo.line(other, c)).append('\n');
                }
            }
        } else if (c.argc() > 3 && c.argIs(2, "ID")) {
            for (int i = 3; i < c.argc(); i++) {
                Client other = server.client(Args.longArg(c, i, "ERR Invalid client ID"));
                if (other != null) {
                    out.append(ClientInfo.line(other, c)).append('\n');
                }
            }
        } else if (c.argc() != 2) {
            throw new CommandError(Errors.SYNTAX);
        } else {
            for (Client other : server.clients()) {
                out.append(ClientInfo.line(other, c)).append('\n');
            }
        }
        c.reply().verbatim("txt", out.toString());
    }

    static void setname(Client c) {
        ClientNames.setName(c, c.arg(2));
        c.reply().ok();
    }

    static void getname(Client c) {
        if (c.name() == null) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(c.name());
        }
    }

    /**
     * CLIENT KILL ip:port (the old form: may kill the caller, replies OK or an error), or CLIENT
     * KILL with ID/TYPE/ADDR/LADDR/USER/SKIPME filters (replies how many were killed). The caller,
     * if killed, is closed after this reply.
     */
    static void kill(Client c) {
        String addr = null;
        String laddr = null;
        String type = null;
        long id = 0;
        User user = null;
        boolean skipMe = true;
        boolean oldForm = c.argc() == 3;
        if (oldForm) {
            addr = c.argString(2);
            skipMe = false;
        } else {
            for (int i = 2; i < c.argc(); i += 2) {
                if (i + 1 >= c.argc()) {
                    throw new CommandError(Errors.SYNTAX); // an option without its value
                }
                if (c.argIs(i, "ID")) {
                    id = Args.longArg(c, i + 1, "ERR client-id should be greater than 0");
                    if (id < 1) {
                        throw new CommandError("ERR client-id should be greater than 0");
                    }
                } else if (c.argIs(i, "TYPE")) {
                    type = clientType(c, i + 1);
                } else if (c.argIs(i, "ADDR")) {
                    addr = c.argString(i + 1);
                } else if (c.argIs(i, "LADDR")) {
                    laddr = c.argString(i + 1);
                } else if (c.argIs(i, "USER")) {
                    user = c.server().acl().user(c.argString(i + 1));
                    if (user == null) {
                        throw new CommandError("ERR No such user '" + c.argString(i + 1) + "'");
                    }
                } else if (c.argIs(i, "SKIPME")) {
                    if (c.argIs(i + 1, "YES")) {
                        skipMe = true;
                    } else if (c.argIs(i + 1, "NO")) {
                        skipMe = false;
                    } else {
                        throw new CommandError(Errors.SYNTAX);
                    }
                } else {
                    throw new CommandError(Errors.SYNTAX);
                }
            }
        }
        List<Client> victims = new ArrayList<>();
        for (Client other : c.server().clients()) {
            if ((addr != null && !other.address().equals(addr))
                    || (laddr != null && !other.localAddress().equals(laddr))
                    || (type != null && !other.type().equals(type))
                    || (id != 0 && other.id() != id)
                    || (user != null && other.user() != user)
                    || (other == c && skipMe)) {
                continue;
            }
            victims.add(other);
        }
        boolean killSelf = false;
        for (Client victim : victims) {
            if (victim == c) {
                killSelf = true;
            } else {
                victim.close();
            }
        }
        if (oldForm) {
            if (victims.isEmpty()) {
                throw new CommandError("ERR No such client");
            }
            c.reply().ok();
        } else {
            c.reply().integer(victims.size());
        }
        if (killSelf) {
            c.closeAfterReply();
        }
    }

    /** Redis's getClientTypeByName, with the error CLIENT LIST and KILL reply for an unknown one. */
    private static String clientType(Client c, int i) {
        String name = c.argString(i).toLowerCase(Locale.ROOT);
        return switch (name) {
            case "normal", "pubsub", "master" -> name;
            case "slave", "replica" -> "slave";
            default -> throw new CommandError("ERR Unknown client type '" + c.argString(i) + "'");
        };
    }

    /** CLIENT REPLY ON|OFF|SKIP: only ON replies (OK); OFF and SKIP are silent by definition. */
    static void reply(Client c) {
        if (c.argIs(2, "ON")) {
            c.repliesOn();
            c.reply().ok();
        } else if (c.argIs(2, "OFF")) {
            c.repliesOff();
        } else if (c.argIs(2, "SKIP")) {
            c.skipNextReply();
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
    }

    static void noEvict(Client c) {
        if (c.argIs(2, "ON")) {
            c.noEvict(true);
        } else if (c.argIs(2, "OFF")) {
            c.noEvict(false);
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        c.reply().ok();
    }

    /** CLIENT PAUSE timeout [WRITE|ALL]: the mode is checked before the timeout, as in Redis. */
    static void pause(Client c) {
        if (c.argc() > 4) {
            throw new CommandError(subcommandSyntaxError(c));
        }
        ServerContext.PauseType type = ServerContext.PauseType.ALL;
        if (c.argc() == 4) {
            if (c.argIs(3, "WRITE")) {
                type = ServerContext.PauseType.WRITE;
            } else if (!c.argIs(3, "ALL")) {
                throw new CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        }
        long timeout = Args.longArg(c, 2, "ERR timeout is not an integer or out of range");
        if (timeout < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        // Redis's getTimeoutFromObjectOrReply: 0 means no time at all, so the pause ends at once.
        long end = timeout == 0 ? 0 : saturatedAdd(c.server().nowMs(), timeout);
        c.server().pauseClients(end, type);
        c.reply().ok();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    static void unpause(Client c) {
        c.server().unpauseClients();
        c.reply().ok();
    }

    /**
     * CLIENT UNBLOCK id [TIMEOUT|ERROR]: ends the wait of a client blocked on keys, as a timeout
     * or with an UNBLOCKED error; 1 if it was blocked, else 0 (a client held by CLIENT PAUSE too).
     */
    static void unblock(Client c) {
        if (c.argc() > 4) {
            throw new CommandError(subcommandSyntaxError(c));
        }
        boolean error = false;
        if (c.argc() == 4) {
            if (c.argIs(3, "ERROR")) {
                error = true;
            } else if (!c.argIs(3, "TIMEOUT")) {
                throw new CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        }
        Client target = c.server().client(Args.longArg(c, 2));
        c.reply().integer(target != null && c.server().blockingKeys().unblock(target, error) ? 1 : 0);
    }

    /** Redis's addReplySubcommandSyntaxError, for a known subcommand given the wrong arguments. */
    static String subcommandSyntaxError(Client c) {
        String sub = c.argString(1);
        return "ERR unknown subcommand or wrong number of arguments for '" + sub.substring(0, Math.min(sub.length(), 128))
                + "'. Try " + c.argString(0).toUpperCase(Locale.ROOT) + " HELP.";
    }
}
