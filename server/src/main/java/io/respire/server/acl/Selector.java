package io.respire.server.acl;

import io.respire.ds.util.Glob;
import io.respire.protocol.InlineSplitter;
import io.respire.server.command.CommandFlag;
import io.respire.server.command.CommandSpec;
import io.respire.server.command.KeyFinder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One set of permissions of a user (Redis's aclSelector): the commands it may run (a bitmap by
 * command id, plus first arguments allowed of otherwise denied commands), the keys it may read or
 * write, and the channels it may use. A user has a root selector and any number of "(...)" ones;
 * a command may run if one selector allows all of it.
 */
final class Selector {
    static final int ROOT = 1;
    static final int ALL_KEYS = 1 << 1;
    static final int ALL_COMMANDS = 1 << 2;
    static final int ALL_CHANNELS = 1 << 3;

    /** Why a selector (or a user) refuses a command: Redis's ACL_DENIED_* codes, whose order matters. */
    static final int OK = 0;
    static final int DENIED_CMD = 1;
    static final int DENIED_KEY = 2;
    static final int DENIED_CHANNEL = 4;

    int flags;
    /** The commands allowed, by id. */
    private BitSet commands;
    /** Set by +@all only: the rules start from "+@all" (Redis's reserved last bit, "future commands"). */
    private boolean future;
    /** Allowed first arguments of otherwise denied commands (+select|0), by command id; null if none. */
    private Map<Integer, List<String>> firstArgs;
    final List<KeyPattern> keys = new ArrayList<>();
    final List<String> channels = new ArrayList<>();

    Selector(int flags, int idLimit) {
        this.flags = flags;
        this.commands = new BitSet(idLimit);
    }

    Selector copy() {
        Selector s = new Selector(flags, 0);
        s.commands = (BitSet) commands.clone();
        s.future = future;
        if (firstArgs != null) {
            s.firstArgs = new LinkedHashMap<>();
            firstArgs.forEach((id, args) -> s.firstArgs.put(id, new ArrayList<>(args)));
        }
        for (KeyPattern k : keys) {
            s.keys.add(k.copy());
        }
        s.channels.addAll(channels);
        return s;
    }

    boolean root() {
        return (flags & ROOT) != 0;
    }

    /** Whether this selector lets every command touch every key and channel: nothing to check. */
    boolean unrestricted() {
        return (flags & (ALL_KEYS | ALL_COMMANDS | ALL_CHANNELS)) == (ALL_KEYS | ALL_COMMANDS | ALL_CHANNELS);
    }

    // ---- rules (Redis's ACLSetSelector)

    /** Applies one rule of the selector kind (commands, keys, channels). */
    void apply(String op, CommandCatalog catalog) throws AclRuleException {
        if (op.equalsIgnoreCase("allkeys") || op.equals("~*")) {
            flags |= ALL_KEYS;
            keys.clear();
        } else if (op.equalsIgnoreCase("resetkeys")) {
            flags &= ~ALL_KEYS;
            keys.clear();
        } else if (op.equalsIgnoreCase("allchannels") || op.equals("&*")) {
            flags |= ALL_CHANNELS;
            channels.clear();
        } else if (op.equalsIgnoreCase("resetchannels")) {
            flags &= ~ALL_CHANNELS;
            channels.clear();
        } else if (op.equalsIgnoreCase("allcommands") || op.equalsIgnoreCase("+@all")) {
            allowAll(catalog);
        } else if (op.equalsIgnoreCase("nocommands") || op.equalsIgnoreCase("-@all")) {
            commands.clear();
            future = false;
            flags &= ~ALL_COMMANDS;
            firstArgs = null;
        } else if (op.charAt(0) == '~' || op.charAt(0) == '%') {
            addKeyPattern(op);
        } else if (op.charAt(0) == '&') {
            addChannel(op);
        } else if ((op.charAt(0) == '+' || op.charAt(0) == '-') && op.length() > 1 && op.charAt(1) == '@') {
            long category = CommandCatalog.category(op.substring(2));
            if (category == 0) {
                throw new AclRuleException(AclRuleException.UNKNOWN_COMMAND);
            }
            setCategory(catalog, category, op.charAt(0) == '+');
        } else if (op.charAt(0) == '+') {
            allowCommand(op.substring(1), catalog);
        } else if (op.charAt(0) == '-') {
            CommandSpec cmd = catalog.lookup(op.substring(1));
            if (cmd == null) {
                throw new AclRuleException(AclRuleException.UNKNOWN_COMMAND);
            }
            change(cmd, false);
        } else {
            throw new AclRuleException(AclRuleException.SYNTAX);
        }
    }

    private void allowAll(CommandCatalog catalog) {
        commands.set(0, catalog.idLimit());
        future = true;
        flags |= ALL_COMMANDS;
        firstArgs = null;
    }

    /** ~pattern, %R~pattern, %W~pattern, %RW~pattern. */
    private void addKeyPattern(String op) throws AclRuleException {
        if ((flags & ALL_KEYS) != 0) {
            throw new AclRuleException(AclRuleException.KEYS_AFTER_ALL);
        }
        int access = 0;
        int offset = 1;
        if (op.charAt(0) == '%') {
            for (; offset < op.length(); offset++) {
                char ch = Character.toUpperCase(op.charAt(offset));
                if (ch == 'R' && (access & KeyPattern.READ) == 0) {
                    access |= KeyPattern.READ;
                } else if (ch == 'W' && (access & KeyPattern.WRITE) == 0) {
                    access |= KeyPattern.WRITE;
                } else if (ch == '~') {
                    offset++;
                    break;
                } else {
                    throw new AclRuleException(AclRuleException.SYNTAX);
                }
            }
            // "%~p" grants nothing; Redis accepts it and then cannot describe it (a panic): refuse it.
            if (access == 0) {
                throw new AclRuleException(AclRuleException.SYNTAX);
            }
        } else {
            access = KeyPattern.ALL;
        }
        String pattern = op.substring(Math.min(offset, op.length()));
        if (Acl.hasSpaces(pattern)) {
            throw new AclRuleException(AclRuleException.SYNTAX);
        }
        for (KeyPattern existing : keys) {
            if (existing.pattern.equals(pattern)) {
                existing.access |= access;
                flags &= ~ALL_KEYS;
                return;
            }
        }
        keys.add(new KeyPattern(pattern, access));
        flags &= ~ALL_KEYS;
    }

    private void addChannel(String op) throws AclRuleException {
        if ((flags & ALL_CHANNELS) != 0) {
            throw new AclRuleException(AclRuleException.CHANNELS_AFTER_ALL);
        }
        String pattern = op.substring(1);
        if (Acl.hasSpaces(pattern)) {
            throw new AclRuleException(AclRuleException.SYNTAX);
        }
        if (!channels.contains(pattern)) {
            channels.add(pattern);
        }
        flags &= ~ALL_CHANNELS;
    }

    /** +command, +container|subcommand, or +command|first-arg. */
    private void allowCommand(String name, CommandCatalog catalog) throws AclRuleException {
        int bar = name.lastIndexOf('|');
        if (bar < 0) {
            CommandSpec cmd = catalog.lookup(name);
            if (cmd == null) {
                throw new AclRuleException(AclRuleException.UNKNOWN_COMMAND);
            }
            change(cmd, true);
            return;
        }
        CommandSpec cmd = catalog.lookup(name.substring(0, bar));
        if (cmd == null) {
            throw new AclRuleException(AclRuleException.UNKNOWN_COMMAND);
        }
        if (cmd.parent() != null) {
            throw new AclRuleException(AclRuleException.SUBCOMMAND_FIRST_ARG);
        }
        String sub = name.substring(bar + 1);
        if (sub.isEmpty()) {
            throw new AclRuleException(AclRuleException.SYNTAX);
        }
        if (cmd.isContainer()) {
            CommandSpec subcommand = catalog.lookup(name);
            if (subcommand == null) {
                throw new AclRuleException(AclRuleException.UNKNOWN_COMMAND);
            }
            change(subcommand, true);
        } else {
            addFirstArg(cmd.id(), sub);
        }
    }

    private void addFirstArg(int id, String arg) {
        if (firstArgs == null) {
            firstArgs = new LinkedHashMap<>();
        }
        List<String> args = firstArgs.computeIfAbsent(id, k -> new ArrayList<>());
        for (String existing : args) {
            if (existing.equalsIgnoreCase(arg)) {
                return;
            }
        }
        args.add(arg);
    }

    private void setBit(int id, boolean allow) {
        if (allow) {
            commands.set(id);
        } else {
            commands.clear(id);
            flags &= ~ALL_COMMANDS;
        }
    }

    /** Redis's ACLChangeSelectorPerm: a container's rule applies to its subcommands too. */
    private void change(CommandSpec cmd, boolean allow) {
        setBit(cmd.id(), allow);
        if (firstArgs != null) {
            firstArgs.remove(cmd.id());
        }
        for (CommandSpec sub : cmd.subcommands().values()) {
            setBit(sub.id(), allow);
        }
    }

    private void setCategory(CommandCatalog catalog, long category, boolean allow) {
        for (CommandSpec cmd : catalog.commands()) {
            if (catalog.inCategory(cmd, category)) {
                change(cmd, allow);
            }
            for (CommandSpec sub : cmd.subcommands().values()) {
                if (catalog.inCategory(sub, category)) {
                    change(sub, allow);
                }
            }
        }
    }

    /** A "(rule rule ...)" selector; its rules are split as Redis's sdssplitargs splits them. */
    static Selector parse(String opset, CommandCatalog catalog, int pubsubDefault) throws AclRuleException {
        Selector s = new Selector(pubsubDefault, catalog.idLimit());
        byte[][] ops = InlineSplitter.split(opset.substring(1, opset.length() - 1).getBytes(StandardCharsets.ISO_8859_1));
        if (ops == null) {
            return s; // unbalanced quotes: Redis's split gives no rules at all
        }
        for (byte[] op : ops) {
            String rule = new String(op, StandardCharsets.ISO_8859_1);
            if (!rule.isEmpty()) {
                s.apply(rule, catalog);
            }
        }
        return s;
    }

    // ---- checks (Redis's ACLSelectorCheckCmd)

    /** Whether the command itself (not its keys) may run: its bit, or an allowed first argument. */
    boolean allowsCommand(CommandSpec cmd, byte[][] argv) {
        if ((flags & ALL_COMMANDS) != 0 || cmd.has(CommandFlag.NO_AUTH) || commands.get(cmd.id())) {
            return true;
        }
        List<String> args = firstArgs == null ? null : firstArgs.get(cmd.id());
        if (args == null || argv.length < 2) {
            return false;
        }
        String first = new String(argv[cmd.parent() != null ? 2 : 1], StandardCharsets.ISO_8859_1);
        for (String arg : args) {
            if (arg.equalsIgnoreCase(first)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why this selector refuses the command, or OK; {@code position[0]} gets the refused key's or
     * channel's argument index. {@code keyCache} holds the command's keys, found once for all
     * selectors, or is null when this selector is the only one.
     */
    int check(CommandSpec cmd, byte[][] argv, KeyCache keyCache, int[] position) {
        if (!allowsCommand(cmd, argv)) {
            return DENIED_CMD;
        }
        if ((flags & ALL_KEYS) == 0 && KeyFinder.hasKeys(cmd)) {
            List<KeyFinder.KeyRef> keys = keyCache == null ? KeyFinder.find(cmd, argv) : keyCache.keys(cmd, argv);
            for (int i = 0; i < keys.size(); i++) { // indexed: no iterator per command
                KeyFinder.KeyRef key = keys.get(i);
                if (!allowsKey(argv[key.position()], accessOf(key.flags()))) {
                    position[0] = key.position();
                    return DENIED_KEY;
                }
            }
        }
        if ((flags & ALL_CHANNELS) == 0) {
            int denied = Channels.firstDenied(this, cmd, argv);
            if (denied > 0) {
                position[0] = denied;
                return DENIED_CHANNEL;
            }
        }
        return OK;
    }

    /** The access a key spec's flags ask for: reading (ACCESS), writing (INSERT, DELETE, UPDATE). */
    static int accessOf(List<String> keySpecFlags) {
        int access = 0;
        for (int i = 0; i < keySpecFlags.size(); i++) { // indexed: no iterator per key checked
            switch (keySpecFlags.get(i)) {
                case "ACCESS" -> access |= KeyPattern.READ;
                case "INSERT", "DELETE", "UPDATE" -> access |= KeyPattern.WRITE;
                default -> {
                }
            }
        }
        return access;
    }

    /** Redis's ACLSelectorCheckKey. */
    boolean allowsKey(byte[] key, int access) {
        if ((flags & ALL_KEYS) != 0) {
            return true;
        }
        for (int i = 0; i < keys.size(); i++) { // indexed: no iterator per key checked
            KeyPattern p = keys.get(i);
            if ((p.access & access) == access && Glob.matches(p.bytes, key, false)) {
                return true;
            }
        }
        return false;
    }

    /** Redis's ACLSelectorHasUnrestrictedKeyAccess: "~*" (or allkeys) for this access. */
    boolean allowsAllKeys(int access) {
        if ((flags & ALL_KEYS) != 0) {
            return true;
        }
        for (KeyPattern p : keys) {
            if ((p.access & access) == access && p.pattern.equals("*")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Redis's ACLCheckChannelAgainstList: a channel name is matched against the patterns; a
     * pattern (PSUBSCRIBE's) only literally.
     */
    boolean allowsChannel(String channel, boolean isPattern) {
        if ((flags & ALL_CHANNELS) != 0) {
            return true;
        }
        return Channels.matchesAny(channels, channel, isPattern);
    }

    // ---- description (Redis's ACLDescribeSelector and ACLDescribeSelectorCommandRules)

    /** The keys part as ACL GETUSER shows it: "~*", or the patterns separated by spaces. */
    String describeKeys() {
        if ((flags & ALL_KEYS) != 0) {
            return "~*";
        }
        StringBuilder s = new StringBuilder();
        for (KeyPattern k : keys) {
            s.append(s.isEmpty() ? "" : " ").append(k);
        }
        return s.toString();
    }

    /** The channels part as ACL GETUSER shows it. */
    String describeChannels() {
        if ((flags & ALL_CHANNELS) != 0) {
            return "&*";
        }
        StringBuilder s = new StringBuilder();
        for (String ch : channels) {
            s.append(s.isEmpty() ? "&" : " &").append(ch);
        }
        return s.toString();
    }

    /** The whole selector as ACL LIST shows it: keys, channels, then the command rules. */
    String describe(CommandCatalog catalog) {
        StringBuilder s = new StringBuilder();
        if ((flags & ALL_KEYS) != 0) {
            s.append("~* ");
        } else {
            for (KeyPattern k : keys) {
                s.append(k).append(' ');
            }
        }
        if ((flags & ALL_CHANNELS) != 0) {
            s.append("&* ");
        } else {
            s.append("resetchannels ");
            for (String ch : channels) {
                s.append('&').append(ch).append(' ');
            }
        }
        return s.append(describeCommands(catalog)).toString();
    }

    /**
     * The shortest rules Redis finds that rebuild the command bitmap: +@all or -@all, then the
     * categories that fit best (more commands in common than not), then single commands and first
     * arguments. It replays the rules on a scratch selector as it goes, as Redis does.
     */
    String describeCommands(CommandCatalog catalog) {
        StringBuilder rules = new StringBuilder();
        boolean additive = !future;
        Selector fake = new Selector(0, catalog.idLimit());
        if (additive) {
            rules.append("-@all ");
        } else {
            rules.append("+@all ");
            fake.allowAll(catalog);
        }
        Selector remaining = new Selector(0, 0);
        remaining.commands = (BitSet) commands.clone();
        boolean[] applied = new boolean[CommandCatalog.CATEGORIES.size()];
        while (true) {
            int best = -1;
            long minDiff = Integer.MAX_VALUE;
            long maxSame = 0;
            for (int j = 0; j < applied.length; j++) {
                if (applied[j]) {
                    continue;
                }
                long[] onOff = remaining.countCategory(catalog, 1L << j);
                long diff = additive ? onOff[1] : onOff[0];
                long same = additive ? onOff[0] : onOff[1];
                if (same > diff && (diff < minDiff || (diff == minDiff && same > maxSame))) {
                    best = j;
                    minDiff = diff;
                    maxSame = same;
                }
            }
            if (best == -1) {
                break;
            }
            fake.setCategory(catalog, 1L << best, additive);
            remaining.setCategory(catalog, 1L << best, !additive);
            rules.append(additive ? "+@" : "-@").append(CommandCatalog.CATEGORIES.get(best)).append(' ');
            applied[best] = true;
        }
        for (CommandSpec cmd : catalog.commands()) {
            describeSingle(cmd, fake, rules);
        }
        rules.setLength(rules.length() - 1);
        return rules.toString();
    }

    private void describeSingle(CommandSpec cmd, Selector fake, StringBuilder rules) {
        boolean mine = commands.get(cmd.id());
        if (mine != fake.commands.get(cmd.id())) {
            rules.append(mine ? '+' : '-').append(cmd.fullName()).append(' ');
            fake.change(cmd, mine);
        }
        for (CommandSpec sub : cmd.subcommands().values()) {
            describeSingle(sub, fake, rules);
        }
        List<String> args = firstArgs == null ? null : firstArgs.get(cmd.id());
        if (!mine && args != null) {
            for (String arg : args) {
                rules.append('+').append(cmd.fullName()).append('|').append(arg).append(' ');
            }
        }
    }

    /** {allowed, denied}: how many commands of the category this selector allows and denies. */
    private long[] countCategory(CommandCatalog catalog, long category) {
        long[] onOff = new long[2];
        for (CommandSpec cmd : catalog.commands()) {
            count(catalog, cmd, category, onOff);
            for (CommandSpec sub : cmd.subcommands().values()) {
                count(catalog, sub, category, onOff);
            }
        }
        return onOff;
    }

    private void count(CommandCatalog catalog, CommandSpec cmd, long category, long[] onOff) {
        if (catalog.inCategory(cmd, category)) {
            onOff[commands.get(cmd.id()) ? 0 : 1]++;
        }
    }
}
