package io.respire.server.commands;

import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.acl.Acl;
import io.respire.server.acl.AclLog;
import io.respire.server.acl.CommandCatalog;
import io.respire.server.acl.User;
import io.respire.server.command.Args;
import io.respire.server.command.CommandSpec;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** ACL: users and their permissions (Redis's aclCommand); the model is io.respire.server.acl. */
public final class AclCommands {
    private static final int GENPASS_MAX_BITS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AclCommands() {
    }

    static void register(CommandTable table) {
        table.register("acl|setuser", AclCommands::setuser);
        table.register("acl|getuser", AclCommands::getuser);
        table.register("acl|deluser", AclCommands::deluser);
        table.register("acl|list", AclCommands::list);
        table.register("acl|users", AclCommands::users);
        table.register("acl|whoami", AclCommands::whoami);
        table.register("acl|cat", AclCommands::cat);
        table.register("acl|genpass", AclCommands::genpass);
        table.register("acl|log", AclCommands::log);
        table.register("acl|dryrun", AclCommands::dryrun);
        table.register("acl|load", AclCommands::load);
        table.register("acl|save", AclCommands::save);
        table.register("acl|help", AclCommands::help);
    }

    private static Acl acl(Client c) {
        return c.server().acl();
    }

    /** ACL SETUSER username [rule ...]: all the rules apply, or none. */
    static void setuser(Client c) {
        String name = c.argString(2);
        if (Acl.hasSpaces(name)) {
            throw new CommandError("ERR Usernames can't contain spaces or null characters");
        }
        List<String> rules = new ArrayList<>();
        for (int i = 3; i < c.argc(); i++) {
            rules.add(c.argString(i));
        }
        String error = acl(c).setUser(name, rules);
        if (error != null) {
            throw new CommandError("ERR " + error.replace('\r', ' ').replace('\n', ' '));
        }
        c.reply().ok();
    }

    /** ACL GETUSER username: flags, password hashes, the root selector's rules, then the other selectors. */
    static void getuser(Client c) {
        User u = acl(c).user(c.argString(2));
        Reply r = c.reply();
        if (u == null) {
            r.nullBulk();
            return;
        }
        List<String> flags = acl(c).flags(u);
        List<String> hashes = acl(c).passwordHashes(u);
        List<String[]> selectors = acl(c).selectorDescriptions(u);
        r.map(6);
        r.bulk("flags");
        r.set(flags.size());
        flags.forEach(r::bulk);
        r.bulk("passwords");
        r.array(hashes.size());
        hashes.forEach(r::bulk);
        replySelector(r, selectors.get(0));
        r.bulk("selectors");
        r.array(selectors.size() - 1);
        for (String[] selector : selectors.subList(1, selectors.size())) {
            r.map(3);
            replySelector(r, selector);
        }
    }

    private static void replySelector(Reply r, String[] commandsKeysChannels) {
        r.bulk("commands");
        r.bulk(commandsKeysChannels[0]);
        r.bulk("keys");
        r.bulk(commandsKeysChannels[1]);
        r.bulk("channels");
        r.bulk(commandsKeysChannels[2]);
    }

    /** ACL DELUSER username [...]: the users' connections are closed. */
    static void deluser(Client c) {
        for (int i = 2; i < c.argc(); i++) {
            if (c.argString(i).equals(Acl.DEFAULT_USER)) {
                throw new CommandError("ERR The 'default' user cannot be removed");
            }
        }
        int deleted = 0;
        for (int i = 2; i < c.argc(); i++) {
            User removed = acl(c).deleteUser(c.argString(i));
            if (removed != null) {
                c.server().killClientsOf(removed, c);
                deleted++;
            }
        }
        c.reply().integer(deleted);
    }

    /** ACL LIST: every user in config file form. */
    static void list(Client c) {
        Acl acl = acl(c);
        c.reply().array(acl.users().size());
        for (User u : acl.users()) {
            c.reply().bulk(acl.describe(u));
        }
    }

    static void users(Client c) {
        Acl acl = acl(c);
        c.reply().array(acl.users().size());
        for (User u : acl.users()) {
            c.reply().bulk(u.name());
        }
    }

    static void whoami(Client c) {
        c.reply().bulk(c.user().name());
    }

    /** ACL CAT [category]: the categories, or the commands in one. */
    static void cat(Client c) {
        if (c.argc() > 3) {
            throw new CommandError(ClientCommands.subcommandSyntaxError(c));
        }
        if (c.argc() == 2) {
            c.reply().array(CommandCatalog.CATEGORIES.size());
            CommandCatalog.CATEGORIES.forEach(c.reply()::bulk);
            return;
        }
        long category = CommandCatalog.category(c.argString(2));
        if (category == 0) {
            String name = c.argString(2);
            throw new CommandError("ERR Unknown category '" + name.substring(0, Math.min(128, name.length())) + "'");
        }
        List<String> names = acl(c).catalog().namesIn(category);
        c.reply().array(names.size());
        names.forEach(c.reply()::bulk);
    }

    /** ACL GENPASS [bits]: a random password of that many bits (256 by default), in hex. */
    static void genpass(Client c) {
        if (c.argc() > 3) {
            throw new CommandError(ClientCommands.subcommandSyntaxError(c));
        }
        long bits = c.argc() == 3 ? Args.longArg(c, 2) : 256;
        if (bits <= 0 || bits > GENPASS_MAX_BITS) {
            throw new CommandError("ERR ACL GENPASS argument must be the number of bits for the output password, "
                    + "a positive number up to " + GENPASS_MAX_BITS);
        }
        int chars = (int) ((bits + 3) / 4);
        byte[] random = new byte[(chars + 1) / 2];
        RANDOM.nextBytes(random);
        c.reply().bulk(HexFormat.of().formatHex(random).substring(0, chars));
    }

    /** ACL LOG [count | RESET]: the latest denials, newest first (10 by default). */
    static void log(Client c) {
        if (c.argc() > 3) {
            throw new CommandError(ClientCommands.subcommandSyntaxError(c));
        }
        AclLog log = acl(c).log();
        long count = 10;
        if (c.argc() == 3) {
            if (c.argIs(2, "RESET")) {
                log.reset();
                c.reply().ok();
                return;
            }
            count = Math.max(0, Args.longArg(c, 2));
        }
        long now = c.server().clock().millis();
        List<AclLog.Entry> entries = log.newest(count);
        Reply r = c.reply();
        r.array(entries.size());
        for (AclLog.Entry e : entries) {
            r.map(7);
            r.bulk("count");
            r.integer(e.count());
            r.bulk("reason");
            r.bulk(e.reason());
            r.bulk("context");
            r.bulk(e.context());
            r.bulk("object");
            r.bulk(e.object());
            r.bulk("username");
            r.bulk(e.username());
            r.bulk("age-seconds");
            r.doubleValue((now - e.createdMs()) / 1000.0);
            r.bulk("client-info");
            r.bulk(e.clientInfo());
        }
    }

    /** ACL DRYRUN username command [arg ...]: whether the user could run it, without running it. */
    static void dryrun(Client c) {
        User u = acl(c).user(c.argString(2));
        if (u == null) {
            throw new CommandError("ERR User '" + c.argString(2) + "' not found");
        }
        byte[][] argv = Arrays.copyOfRange(c.argv(), 3, c.argc());
        CommandSpec cmd = c.server().commands().lookup(argv);
        if (cmd == null) {
            throw new CommandError("ERR Command '" + c.argString(3) + "' not found");
        }
        if (!cmd.arityAccepts(argv.length)) {
            throw new CommandError(Errors.wrongArity(cmd.fullName()));
        }
        Acl.Denial denial = acl(c).check(u, cmd, argv);
        if (denial == null) {
            c.reply().ok();
            return;
        }
        c.reply().bulk(switch (denial.reason()) {
            case COMMAND -> "This user has no permissions to run the '" + cmd.fullName() + "' command";
            case KEY -> "This user has no permissions to access the '" + c.argString(denial.position() + 3) + "' key";
            default -> "This user has no permissions to access the '" + c.argString(denial.position() + 3) + "' channel";
        });
    }

    private static final String NO_ACL_FILE = "ERR This Redis instance is not configured to use an ACL file. You "
            + "may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you "
            + "have a Redis configuration file set) in order to store users in the Redis configuration.";

    /** ACL LOAD: the aclfile's users replace the current ones, all or nothing. */
    static void load(Client c) {
        if (c.server().aclFile() == null) {
            throw new CommandError(NO_ACL_FILE);
        }
        Acl.Loaded loaded = c.server().loadAclFile(c);
        if (loaded.errors() != null) {
            throw new CommandError("ERR " + loaded.errors());
        }
        c.reply().ok();
    }

    /** ACL SAVE: every user to the aclfile, through a temporary file renamed over it. */
    static void save(Client c) {
        Path file = c.server().aclFile();
        if (file == null) {
            throw new CommandError(NO_ACL_FILE);
        }
        Path temp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.currentTimeMillis());
        try {
            Files.write(temp, acl(c).fileContent().getBytes(StandardCharsets.ISO_8859_1));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            c.server().log().warning("Writing ACL file for ACL SAVE: " + e);
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the warning above says what went wrong
            }
            throw new CommandError("ERR There was an error trying to save the ACLs. Please check the server logs for "
                    + "more information");
        }
        c.reply().ok();
    }

    static void help(Client c) {
        Help.reply(c,
                "CAT [<category>]",
                "    List all commands that belong to <category>, or all command categories",
                "    when no category is specified.",
                "DELUSER <username> [<username> ...]",
                "    Delete a list of users.",
                "DRYRUN <username> <command> [<arg> ...]",
                "    Returns whether the user can execute the given command without executing the command.",
                "GETUSER <username>",
                "    Get the user's details.",
                "GENPASS [<bits>]",
                "    Generate a secure 256-bit user password. The optional `bits` argument can",
                "    be used to specify a different size.",
                "LIST",
                "    Show users details in config file format.",
                "LOAD",
                "    Reload users from the ACL file.",
                "LOG [<count> | RESET]",
                "    Show the ACL log entries.",
                "SAVE",
                "    Save the current config to the ACL file.",
                "SETUSER <username> <attribute> [<attribute> ...]",
                "    Create or modify a user with the specified attributes.",
                "USERS",
                "    List all the registered usernames.",
                "WHOAMI",
                "    Return the current connection username.");
    }
}
