package io.respire.server.acl;

import io.respire.server.command.CommandSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An ACL user (Redis's struct user): on or off, its password hashes (SHA-256, hex) or nopass, and
 * its selectors, the root one first. Connections hold a reference to their user, so a changed user
 * is changed in place ({@link #assign}).
 */
public final class User {
    static final int ENABLED = 1;
    static final int DISABLED = 1 << 1;
    static final int NOPASS = 1 << 2;
    static final int SANITIZE_PAYLOAD_SKIP = 1 << 3;
    static final int SANITIZE_PAYLOAD = 1 << 4;
    /** The flags in the order ACL LIST and GETUSER show them. */
    private static final String[] FLAG_NAMES = {"on", "off", "nopass", "skip-sanitize-payload", "sanitize-payload"};

    private final String name;
    private int flags = DISABLED;
    private final List<String> passwords = new ArrayList<>();
    private final List<Selector> selectors = new ArrayList<>();
    /** What ACL LIST shows, computed once per change (Redis's acl_string). */
    private String description;
    /** Whether the root selector allows everything, so that commands need no check at all. */
    private boolean unrestricted;

    User(String name, int pubsubDefault, int idLimit) {
        this.name = name;
        selectors.add(new Selector(Selector.ROOT | pubsubDefault, idLimit));
    }

    public String name() {
        return name;
    }

    public boolean enabled() {
        return (flags & DISABLED) == 0;
    }

    /** skip-sanitize-payload: RESTORE payloads of this user are not sanitized under sanitize-dump-payload clients. */
    public boolean skipsPayloadSanitization() {
        return (flags & SANITIZE_PAYLOAD_SKIP) != 0;
    }

    public boolean nopass() {
        return (flags & NOPASS) != 0;
    }

    /** Whether every command may run with every key and channel: the permission check is skipped. */
    public boolean unrestricted() {
        return unrestricted;
    }

    Selector root() {
        return selectors.get(0);
    }

    List<Selector> selectors() {
        return selectors;
    }

    List<String> passwords() {
        return passwords;
    }

    /** A copy with the same rules, for ACL SETUSER to try its rules on before applying them. */
    User copy() {
        User u = new User(name, 0, 0);
        u.assign(this);
        return u;
    }

    /** Takes {@code other}'s rules (Redis's ACLCopyUser); the name stays. */
    void assign(User other) {
        flags = other.flags;
        passwords.clear();
        passwords.addAll(other.passwords);
        selectors.clear();
        for (Selector s : other.selectors) {
            selectors.add(s.copy());
        }
        changed();
    }

    private void changed() {
        description = null;
        unrestricted = root().unrestricted();
    }

    // ---- rules (Redis's ACLSetUser)

    /** Applies one rule: a user rule (on, >pass, reset, (selector)...) or a root selector rule. */
    void apply(String op, CommandCatalog catalog, int pubsubDefault) throws AclRuleException {
        try {
            applyRule(op, catalog, pubsubDefault);
        } finally {
            changed();
        }
    }

    private void applyRule(String op, CommandCatalog catalog, int pubsubDefault) throws AclRuleException {
        if (op.isEmpty()) {
            return;
        }
        char first = op.charAt(0);
        if (op.equalsIgnoreCase("on")) {
            flags = (flags | ENABLED) & ~DISABLED;
        } else if (op.equalsIgnoreCase("off")) {
            flags = (flags | DISABLED) & ~ENABLED;
        } else if (op.equalsIgnoreCase("skip-sanitize-payload")) {
            flags = (flags | SANITIZE_PAYLOAD_SKIP) & ~SANITIZE_PAYLOAD;
        } else if (op.equalsIgnoreCase("sanitize-payload")) {
            flags = (flags | SANITIZE_PAYLOAD) & ~SANITIZE_PAYLOAD_SKIP;
        } else if (op.equalsIgnoreCase("nopass")) {
            flags |= NOPASS;
            passwords.clear();
        } else if (op.equalsIgnoreCase("resetpass")) {
            flags &= ~NOPASS;
            passwords.clear();
        } else if (first == '>' || first == '#') {
            String hash = first == '>' ? hash(op.substring(1)) : checkedHash(op.substring(1));
            if (!passwords.contains(hash)) {
                passwords.add(hash);
            }
            flags &= ~NOPASS;
        } else if (first == '<' || first == '!') {
            String hash = first == '<' ? hash(op.substring(1)) : checkedHash(op.substring(1));
            if (!passwords.remove(hash)) {
                throw new AclRuleException(AclRuleException.NO_SUCH_PASSWORD);
            }
        } else if (first == '(' && op.charAt(op.length() - 1) == ')') {
            selectors.add(Selector.parse(op, catalog, pubsubDefault));
        } else if (op.equalsIgnoreCase("clearselectors")) {
            selectors.subList(1, selectors.size()).clear();
        } else if (op.equalsIgnoreCase("reset")) {
            applyRule("resetpass", catalog, pubsubDefault);
            applyRule("resetkeys", catalog, pubsubDefault);
            applyRule("resetchannels", catalog, pubsubDefault);
            if ((pubsubDefault & Selector.ALL_CHANNELS) != 0) {
                applyRule("allchannels", catalog, pubsubDefault);
            }
            applyRule("off", catalog, pubsubDefault);
            applyRule("sanitize-payload", catalog, pubsubDefault);
            applyRule("clearselectors", catalog, pubsubDefault);
            applyRule("-@all", catalog, pubsubDefault);
        } else {
            root().apply(op, catalog);
        }
    }

    /** Redis's ACLHashPassword: the SHA-256 of the password's bytes, in lower-case hex. */
    static String hash(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.ISO_8859_1));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Redis's ACLCheckPasswordHash: 64 lower-case hex digits. */
    private static String checkedHash(String hash) throws AclRuleException {
        if (hash.length() != 64) {
            throw new AclRuleException(AclRuleException.BAD_HASH);
        }
        for (int i = 0; i < hash.length(); i++) {
            char c = hash.charAt(i);
            if ((c < 'a' || c > 'f') && (c < '0' || c > '9')) {
                throw new AclRuleException(AclRuleException.BAD_HASH);
            }
        }
        return hash;
    }

    /** Whether {@code password} opens this user (Redis's ACLCheckUserCredentials, past the user lookup). */
    boolean accepts(String password) {
        if (!enabled()) {
            return false;
        }
        if (nopass()) {
            return true;
        }
        byte[] given = hash(password).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String stored : passwords) {
            // Compare every hash in constant time: timing says nothing of the passwords.
            match |= MessageDigest.isEqual(given, stored.getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }

    // ---- checks

    /**
     * Redis's ACLCheckAllUserCommandPerm: OK if a selector allows the command; otherwise the
     * denial to report (a command denial only if no selector allowed the command itself, else the
     * last key or channel none could reach), its argument index in {@code position[0]}.
     */
    int check(CommandSpec cmd, byte[][] argv, int[] position) {
        if (selectors.size() == 1) { // the root selector alone, the common case: nothing to cache or compare
            return selectors.get(0).check(cmd, argv, null, position);
        }
        int relevant = Selector.DENIED_CMD;
        int lastIndex = 0;
        KeyCache keys = new KeyCache();
        int[] local = new int[1];
        for (Selector s : selectors) {
            local[0] = 0;
            int verdict = s.check(cmd, argv, keys, local);
            if (verdict == Selector.OK) {
                return Selector.OK;
            }
            if (verdict > relevant || (verdict == relevant && local[0] > lastIndex)) {
                relevant = verdict;
                lastIndex = local[0];
            }
        }
        position[0] = lastIndex;
        return relevant;
    }

    /**
     * Redis's ACLUserCheckChannelPerm: whether the user may use the channel (a channel name, or
     * with {@code isPattern} a PSUBSCRIBE pattern, matched literally).
     */
    public boolean allowsChannel(String channel, boolean isPattern) {
        for (Selector s : selectors) {
            if (s.allowsChannel(channel, isPattern)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether these rules may deny a channel that {@code before} allowed (the first half of Redis's
     * ACLKillPubsubClientsIfNeeded): no selector has allchannels, and some channel pattern of
     * before (or its allchannels) is not among this user's patterns. The subscribers of such a
     * user must then be checked one by one against {@link #allowsChannel}.
     */
    boolean revokesChannelsOf(User before) {
        List<String> upcoming = new ArrayList<>();
        for (Selector s : selectors) {
            if ((s.flags & Selector.ALL_CHANNELS) != 0) {
                return false;
            }
            upcoming.addAll(s.channels);
        }
        for (Selector s : before.selectors) {
            if ((s.flags & Selector.ALL_CHANNELS) != 0 || !upcoming.containsAll(s.channels)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Redis's ACLUserCheckCmdWithUnrestrictedKeyAccess (SORT BY/GET, KEYS...): whether a selector
     * that allows the command also reaches every key with this access.
     */
    public boolean allowsCommandOnAllKeys(CommandSpec cmd, byte[][] argv, boolean read, boolean write) {
        int access = (read ? KeyPattern.READ : 0) | (write ? KeyPattern.WRITE : 0);
        KeyCache keys = new KeyCache();
        int[] position = new int[1];
        for (Selector s : selectors) {
            if (s.check(cmd, argv, keys, position) == Selector.OK && s.allowsAllKeys(access)) {
                return true;
            }
        }
        return false;
    }

    // ---- description

    /** The flag names set, in Redis's order (ACL GETUSER's "flags"). */
    List<String> flagNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                names.add(FLAG_NAMES[i]);
            }
        }
        return names;
    }

    /** Redis's ACLDescribeUser: the rules that rebuild this user, as ACL LIST and config files show them. */
    String describe(CommandCatalog catalog) {
        if (description != null) {
            return description;
        }
        StringBuilder s = new StringBuilder();
        for (String flag : flagNames()) {
            s.append(flag).append(' ');
        }
        for (String p : passwords) {
            s.append('#').append(p).append(' ');
        }
        for (Selector selector : selectors) {
            String rules = selector.describe(catalog);
            if (selector.root()) {
                s.append(rules);
            } else {
                s.append(" (").append(rules).append(')');
            }
        }
        description = s.toString();
        return description;
    }
}
