package io.respire.server.acl;

import io.respire.server.command.CommandSpec;
import io.respire.server.command.CommandTable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The users of one server and the checks made against them (Redis's acl.c, without the network):
 * rules applied all or nothing (ACL SETUSER), credentials, and whether a user may run a command
 * line. Users are listed in byte order of their names, as Redis's radix tree lists them.
 */
public final class Acl {
    public static final String DEFAULT_USER = "default";

    /** Why a command line is refused, and the argument (key or channel) that was, if any. */
    public record Denial(Reason reason, int position) {
    }

    /** Redis's ACL_DENIED_* reasons, with the names ACL LOG gives them. */
    public enum Reason {
        COMMAND("command"), KEY("key"), CHANNEL("channel"), AUTH("auth");

        private final String logName;

        Reason(String logName) {
            this.logName = logName;
        }

        public String logName() {
            return logName;
        }
    }

    private final CommandCatalog catalog;
    /** acl-pubsub-default: whether new users start with allchannels. */
    private final IntSupplier pubsubDefault;
    /** Names are ISO-8859-1 text, so String order is the byte order Redis lists them in. */
    private final TreeMap<String, User> users = new TreeMap<>();
    private final User defaultUser;
    private final AclLog log = new AclLog();
    /** Told of a user that may have lost channels its subscribers use (they are checked and killed by Pub/Sub). */
    private Consumer<User> channelsRevoked = u -> { };

    public Acl(CommandTable table, IntSupplier pubsubDefault) {
        this(new CommandCatalog(table), pubsubDefault);
    }

    private User newUser(String name) {
        return new User(name, pubsubDefault.getAsInt(), catalog.idLimit());
    }

    /**
     * Sets what runs when ACL SETUSER takes channels away from a user: Pub/Sub closes the user's
     * subscribers whose channels or patterns {@link User#allowsChannel} no longer allows (the
     * second half of Redis's ACLKillPubsubClientsIfNeeded).
     */
    public void onChannelsRevoked(Consumer<User> listener) {
        this.channelsRevoked = listener;
    }

    public CommandCatalog catalog() {
        return catalog;
    }

    public AclLog log() {
        return log;
    }

    public User defaultUser() {
        return defaultUser;
    }

    /** The user named {@code name}, or null. */
    public User user(String name) {
        return users.get(name);
    }

    public Collection<User> users() {
        return Collections.unmodifiableCollection(users.values());
    }

    /**
     * Redis's ACLStringSetUser: applies {@code rules} to the user, creating it if needed, all or
     * nothing. Returns null, or the error (without its "ERR " code) naming the rule refused.
     */
    public String setUser(String name, List<String> rules) {
        Merged merged = Merged.of(rules);
        if (merged.unmatched() != null) {
            return "Unmatched parenthesis in acl selector starting at '" + merged.unmatched() + "'.";
        }
        User existing = users.get(name);
        User staged = existing != null ? existing.copy() : newUser(name);
        for (String rule : merged.rules()) {
            try {
                staged.apply(rule, catalog, pubsubDefault.getAsInt());
            } catch (AclRuleException e) {
                return "Error in ACL SETUSER modifier '" + rule + "': " + e.getMessage();
            }
        }
        if (existing == null) {
            User created = newUser(name);
            created.assign(staged);
            users.put(name, created);
        } else {
            boolean revoked = staged.revokesChannelsOf(existing);
            existing.assign(staged);
            if (revoked) {
                channelsRevoked.accept(existing);
            }
        }
        return null;
    }

    /**
     * Redis's ACLMergeSelectorArguments: a selector may come split over several arguments
     * ("(~x", "+get)"); they are joined with spaces. {@code unmatched} is the argument that opened a
     * selector never closed, or null.
     */
    private record Merged(List<String> rules, String unmatched) {
        static Merged of(List<String> args) {
            List<String> merged = new ArrayList<>();
            StringBuilder open = null;
            String openedBy = null;
            for (String op : args) {
                if (open == null && !op.isEmpty() && op.charAt(0) == '(' && op.charAt(op.length() - 1) != ')') {
                    open = new StringBuilder(op);
                    openedBy = op;
                } else if (open != null) {
                    open.append(' ').append(op);
                    if (!op.isEmpty() && op.charAt(op.length() - 1) == ')') {
                        merged.add(open.toString());
                        open = null;
                    }
                } else {
                    merged.add(op);
                }
            }
            return new Merged(merged, open == null ? null : openedBy);
        }
    }

    /** Redis's ACLStringHasSpaces: patterns and user names never contain spaces or NULs. */
    public static boolean hasSpaces(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == 0 || ch == ' ' || (ch >= '\t' && ch <= '\r')) {
                return true;
            }
        }
        return false;
    }

    /** What ACL LOAD did: the errors (null if none, and then the users were replaced), and the users replaced. */
    public record Loaded(String errors, List<User> replaced) {
    }

    /**
     * Redis's ACLLoadFromFile: the users of an ACL file's lines ("user name rules...", blank lines
     * allowed) replace all the users, or, if any line is wrong, none does. The default user keeps
     * its identity (connections hold it) and takes the file's rules, or the default ones.
     */
    public Loaded load(List<String> lines, String filename) {
        StringBuilder errors = new StringBuilder();
        TreeMap<String, User> loaded = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = trim(lines.get(i), " \t\r\n");
            if (line.isEmpty()) {
                continue;
            }
            List<String> argv = List.of(line.split(" ", -1));
            if (!argv.get(0).equals("user") || argv.size() < 2) {
                errors.append(filename).append(':').append(lineNumber)
                        .append(" should start with user keyword followed by the username. ");
                continue;
            }
            String name = argv.get(1);
            if (hasSpaces(name)) {
                errors.append('\'').append(filename).append(':').append(lineNumber).append(": username '").append(name)
                        .append("' contains invalid characters. ");
                continue;
            }
            if (loaded.containsKey(name)) {
                errors.append("WARNING: Duplicate user '").append(name).append("' found on line ").append(lineNumber)
                        .append(". ");
                continue;
            }
            User u = newUser(name);
            loaded.put(name, u);
            Merged rules = Merged.of(argv.subList(2, argv.size()));
            if (rules.unmatched() != null) {
                errors.append(filename).append(':').append(lineNumber)
                        .append(": Unmatched parenthesis in selector definition.");
                continue;
            }
            boolean syntaxError = false;
            for (String raw : rules.rules()) {
                String rule = trim(raw, "\t\r\n");
                try {
                    u.apply(rule, catalog, pubsubDefault.getAsInt());
                } catch (AclRuleException e) {
                    if (e.unknownName()) {
                        errors.append(filename).append(':').append(lineNumber).append(": Error in applying operation '")
                                .append(rule).append("': ").append(e.getMessage()).append(". ");
                    } else if (!syntaxError) {
                        errors.append(filename).append(':').append(lineNumber).append(": ").append(e.getMessage())
                                .append(". ");
                        syntaxError = true;
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            errors.append("WARNING: ACL errors detected, no change to the previously active ACL rules was performed");
            return new Loaded(errors.toString(), List.of());
        }
        List<User> replaced = new ArrayList<>(users.values());
        replaced.remove(defaultUser);
        User newDefault = loaded.get(DEFAULT_USER);
        if (newDefault == null) {
            newDefault = new Acl(catalog, pubsubDefault).defaultUser;
        }
        defaultUser.assign(newDefault);
        loaded.put(DEFAULT_USER, defaultUser);
        users.clear();
        users.putAll(loaded);
        return new Loaded(null, replaced);
    }

    private Acl(CommandCatalog catalog, IntSupplier pubsubDefault) {
        this.catalog = catalog;
        this.pubsubDefault = pubsubDefault;
        this.defaultUser = newUser(DEFAULT_USER);
        try {
            for (String rule : List.of("+@all", "~*", "&*", "on", "nopass")) {
                defaultUser.apply(rule, catalog, 0);
            }
        } catch (AclRuleException e) {
            throw new IllegalStateException(e);
        }
        users.put(DEFAULT_USER, defaultUser);
    }

    /** Redis's sdstrim: {@code chars} removed from both ends. */
    private static String trim(String s, String chars) {
        int start = 0;
        int end = s.length();
        while (start < end && chars.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(start, end);
    }

    /** The ACL file's content for ACL SAVE (Redis's ACLSaveToFile): one "user" line per user. */
    public String fileContent() {
        StringBuilder s = new StringBuilder();
        for (User u : users.values()) {
            s.append(describe(u)).append('\n');
        }
        return s.toString();
    }

    /** Removes a user (never the default one: callers refuse that first); returns it, or null. */
    public User deleteUser(String name) {
        if (name.equals(DEFAULT_USER)) {
            throw new IllegalArgumentException("the default user cannot be removed");
        }
        return users.remove(name);
    }

    /**
     * Redis's ACLCheckUserCredentials: the user if it exists, is on and the password opens it
     * (or it is nopass); null otherwise.
     */
    public User authenticate(String name, String password) {
        User u = users.get(name);
        return u != null && u.accepts(password) ? u : null;
    }

    /** Whether clients must AUTH before running commands (the default user is off or has a password). */
    public boolean authRequired() {
        return !defaultUser.nopass() || !defaultUser.enabled();
    }

    /** Where {@link User#check} reports the refused argument (reused: checks run on the executor only). */
    private final int[] deniedPosition = new int[1];

    /**
     * Whether {@code user} may run this command line (arity already checked): null if so, else why
     * not. The default user, allowed everything, costs one field read.
     */
    public Denial check(User user, CommandSpec cmd, byte[][] argv) {
        if (user.unrestricted()) {
            return null;
        }
        int[] position = deniedPosition;
        int verdict = user.check(cmd, argv, position);
        return switch (verdict) {
            case Selector.OK -> null;
            case Selector.DENIED_CMD -> new Denial(Reason.COMMAND, 0);
            case Selector.DENIED_KEY -> new Denial(Reason.KEY, position[0]);
            default -> new Denial(Reason.CHANNEL, position[0]);
        };
    }

    /** requirepass: the default user gets this one password, or nopass if empty (ACLUpdateDefaultUserPassword). */
    public void defaultPassword(String password) {
        try {
            defaultUser.apply("resetpass", catalog, 0);
            defaultUser.apply(password.isEmpty() ? "nopass" : ">" + password, catalog, 0);
        } catch (AclRuleException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ACL LIST's line for a user: "user <name> <rules>". */
    public String describe(User u) {
        return "user " + u.name() + " " + u.describe(catalog);
    }

    /** The parts of ACL GETUSER: the flags, password hashes and selectors of a user. */
    public List<String> flags(User u) {
        return u.flagNames();
    }

    public List<String> passwordHashes(User u) {
        return Collections.unmodifiableList(u.passwords());
    }

    /** For each selector, root first: {commands, keys, channels} as ACL GETUSER shows them. */
    public List<String[]> selectorDescriptions(User u) {
        List<String[]> out = new ArrayList<>();
        for (Selector s : u.selectors()) {
            out.add(new String[] {s.describeCommands(catalog), s.describeKeys(), s.describeChannels()});
        }
        return out;
    }
}
