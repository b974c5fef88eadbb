package io.respire.server.tracking;

import io.respire.ds.keyspace.Database;
import io.respire.protocol.RespReplyWriter;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.ServerContext;
import io.respire.server.command.CommandFlag;
import io.respire.server.command.CommandSpec;
import io.respire.server.command.KeyFinder;
import io.respire.server.keyspace.KeyEvent;
import io.respire.server.keyspace.KeyspaceListener;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Client-side caching (Redis's tracking.c): which clients may hold which keys, and the
 * invalidation messages sent when those keys change. A listener of the write gate: every
 * modified key invalidates the clients that read it (default mode) and is collected for the
 * clients whose BCAST prefixes match it, who are sent what was collected once the running task
 * ends (Redis does it before sleeping). Keys are tracked by name across databases, as in Redis.
 * One per server, on the executor only.
 */
public final class Tracking implements KeyspaceListener {
    private static final byte[] INVALIDATE_CHANNEL = "__redis__:invalidate".getBytes();

    /** A BCAST prefix: its clients, and the keys modified since the last broadcast with who modified them. */
    private static final class Prefix {
        final Set<Client> clients = new LinkedHashSet<>();
        final TreeMap<byte[], Client> keys = new TreeMap<>(Arrays::compareUnsigned);
    }

    private final ServerContext server;
    /** Key to the ids of the clients that may cache it (Redis's TrackingTable). */
    private final Map<ByteBuffer, Set<Long>> table = new HashMap<>();
    private long items;
    private final TreeMap<byte[], Prefix> prefixes = new TreeMap<>(Arrays::compareUnsigned);
    private int trackingClients;
    /** Invalidations of the running command's own client, sent after its reply; null is a flush. */
    private final List<byte[]> pending = new ArrayList<>();
    private boolean broadcastScheduled;
    /** A database was flushed by the running command: all clients get a null invalidation after it. */
    private boolean flushPending;
    /** How many calls in a row found the table still over tracking-table-max-keys (more effort each). */
    private int effort;

    public Tracking(ServerContext server) {
        this.server = server;
    }

    // ---- Turning tracking on and off (CLIENT TRACKING)

    /**
     * Redis's enableTracking: the options are already checked. Switching on again keeps the
     * prefixes, adding the new ones.
     */
    public void enable(Client c, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop,
                       List<byte[]> newPrefixes) {
        ClientTracking t = c.tracking();
        if (t == null) {
            t = new ClientTracking();
            c.tracking(t);
            trackingClients++;
        }
        t.brokenRedirect = false;
        t.redirect = redirect;
        t.bcast = bcast;
        t.optin = optin;
        t.optout = optout;
        t.noloop = noloop;
        if (bcast) {
            if (newPrefixes.isEmpty()) {
                addPrefix(c, t, new byte[0]);
            }
            for (byte[] p : newPrefixes) {
                addPrefix(c, t, p);
            }
        }
    }

    private void addPrefix(Client c, ClientTracking t, byte[] prefix) {
        if (prefixes.computeIfAbsent(prefix, p -> new Prefix()).clients.add(c)) {
            t.prefixes.add(prefix);
        }
    }

    /** Redis's disableTracking (CLIENT TRACKING off, RESET, disconnection). */
    public void disable(Client c) {
        ClientTracking t = c.tracking();
        if (t == null) {
            return;
        }
        for (byte[] p : t.prefixes) {
            Prefix state = prefixes.get(p);
            state.clients.remove(c);
            if (state.clients.isEmpty()) {
                prefixes.remove(p);
            }
        }
        c.tracking(null); // the table forgets the client's id lazily, as Redis's
        trackingClients--;
    }

    /**
     * Redis's checkPrefixCollisionsOrReply: the error if a new prefix overlaps (one is a prefix of
     * the other) one the client has or another new one, else null.
     */
    public static String prefixCollision(ClientTracking current, List<byte[]> newPrefixes) {
        for (int i = 0; i < newPrefixes.size(); i++) {
            byte[] p = newPrefixes.get(i);
            if (current != null) {
                for (byte[] existing : current.prefixes) {
                    if (overlap(existing, p)) {
                        return "ERR Prefix '" + text(p) + "' overlaps with an existing prefix '" + text(existing)
                                + "'. Prefixes for a single client must not overlap.";
                    }
                }
            }
            for (int j = i + 1; j < newPrefixes.size(); j++) {
                if (overlap(p, newPrefixes.get(j))) {
                    return "ERR Prefix '" + text(p) + "' overlaps with another provided prefix '"
                            + text(newPrefixes.get(j)) + "'. Prefixes for a single client must not overlap.";
                }
            }
        }
        return null;
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, n, b, 0, n);
    }

    private static String text(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** CLIENT CACHING yes/no (already checked against the mode): applies to the next command. */
    public void cachingGiven(Client c) {
        c.tracking().caching = true;
    }

    // ---- Remembering what clients read

    /**
     * Redis's trackingRememberKeys, after a read-only command: the keys it named may now be cached
     * by {@code caller} (the script's caller for a command a script runs). OPTIN clients are
     * tracked only after CLIENT CACHING yes, OPTOUT ones except after CLIENT CACHING no.
     */
    public void afterRead(Client caller, CommandSpec cmd, byte[][] argv) {
        ClientTracking t = caller.tracking();
        if (t == null || t.bcast || (t.optin && !t.caching) || (t.optout && t.caching)
                || cmd.has(CommandFlag.PUBSUB)) {
            return;
        }
        for (KeyFinder.KeyRef ref : KeyFinder.find(cmd, argv)) {
            if (table.computeIfAbsent(ByteBuffer.wrap(argv[ref.position()]), k -> new LinkedHashSet<>(2))
                    .add(caller.id())) {
                items++;
            }
        }
    }

    // ---- Invalidation

    @Override
    public void keyModified(Database db, byte[] key, KeyEvent event) {
        if (trackingClients > 0) {
            invalidate(server.currentClient(), key, true);
        }
    }

    /** Expiry invalidates as a write would, by no client (Redis's signalModifiedKey(NULL, ...)). */
    @Override
    public void keyNotified(Database db, byte[] key, KeyEvent event) {
        if (trackingClients > 0 && event.type() == KeyEvent.Type.EXPIRED) {
            invalidate(null, key, true);
        }
    }

    /** FLUSHDB, FLUSHALL: every tracking client is told that all its keys are invalid. */
    @Override
    public void databaseReplaced(Database db, Database with) {
        if (with == null) {
            flushPending = true; // once per command, however many databases it empties
        }
    }

    /**
     * Redis's trackingInvalidateKey: tells the clients that read {@code key} (except a NOLOOP
     * client that changed it itself), and collects it for the BCAST prefixes it matches if
     * {@code bcast}. {@code writer} is the client whose command changed it, or null.
     */
    private void invalidate(Client writer, byte[] key, boolean bcast) {
        if (bcast && !prefixes.isEmpty()) {
            collectForBroadcast(writer, key);
        }
        Set<Long> ids = table.remove(ByteBuffer.wrap(key));
        if (ids == null) {
            return;
        }
        items -= ids.size();
        for (long id : ids) {
            Client target = server.client(id);
            ClientTracking t = target == null ? null : target.tracking();
            if (t == null || t.bcast || (t.noloop && target == writer)) {
                continue;
            }
            // Not for keys evicted before its command runs (Redis's CLIENT_EXECUTING_COMMAND is not
            // set yet then): those are announced before the reply.
            if (target == server.currentClient() && !server.eviction().evicting()) {
                pending.add(key); // after the command's reply, not inside it
            } else {
                send(target, key);
            }
        }
    }

    private void collectForBroadcast(Client writer, byte[] key) {
        for (Map.Entry<byte[], Prefix> e : prefixes.entrySet()) {
            byte[] p = e.getKey();
            if (p.length <= key.length && Arrays.equals(p, 0, p.length, key, 0, p.length)) {
                e.getValue().keys.put(key, writer);
            }
        }
        if (!broadcastScheduled) {
            broadcastScheduled = true;
            server.executor().execute(this::broadcast);
        }
    }

    /**
     * After a command from the top (not inside EXEC or a script): the running client's own
     * invalidations and any flush, then the end of CLIENT CACHING's effect. Redis's afterCommand
     * and resetClient.
     */
    public void afterCommand(Client c, CommandSpec cmd) {
        sendPending(c);
        ClientTracking t = c.tracking();
        if (t != null && t.caching && !c.multi().active() && !isClientCommand(cmd)) {
            t.caching = false;
        }
    }

    /**
     * Sends what the command that just ran for {@code c} left pending: its own invalidations and
     * the null ones of a flush (also after a blocked client is served: Redis's afterCommand).
     */
    public void sendPending(Client c) {
        if (flushPending) {
            flushPending = false;
            invalidateAll();
        }
        if (!pending.isEmpty()) {
            List<byte[]> keys = new ArrayList<>(pending);
            pending.clear();
            if (!c.closed() && c.tracking() != null) {
                for (byte[] key : keys) {
                    send(c, key);
                }
            }
        }
    }

    private static boolean isClientCommand(CommandSpec cmd) {
        if (cmd == null) {
            return false;
        }
        CommandSpec top = cmd.parent() == null ? cmd : cmd.parent();
        return top.name().equals("client");
    }

    /** Redis's trackingInvalidateKeysOnFlush: a null invalidation to every tracking client. */
    private void invalidateAll() {
        if (trackingClients > 0) {
            for (Client c : new ArrayList<>(server.clients())) {
                if (c.tracking() != null) {
                    send(c, null); // after the command, so the running client's comes after its reply
                }
            }
        }
        table.clear();
        items = 0;
    }

    /** Redis's trackingBroadcastInvalidationMessages: each BCAST prefix's collected keys to its clients. */
    private void broadcast() {
        broadcastScheduled = false;
        for (Prefix p : prefixes.values()) {
            if (p.keys.isEmpty()) {
                continue;
            }
            Invalidation all = new Invalidation(new ArrayList<>(p.keys.keySet())); // encoded once for all but NOLOOP clients
            for (Client c : new ArrayList<>(p.clients)) {
                if (!c.tracking().noloop) {
                    sendKeys(c, all);
                    continue;
                }
                List<byte[]> keys = keysNotWrittenBy(p, c);
                if (!keys.isEmpty()) {
                    sendKeys(c, keys);
                }
            }
            p.keys.clear();
        }
    }

    /** A prefix's collected keys but those {@code c} itself wrote last (NOLOOP). */
    private static List<byte[]> keysNotWrittenBy(Prefix p, Client c) {
        List<byte[]> keys = new ArrayList<>(p.keys.size());
        for (Map.Entry<byte[], Client> e : p.keys.entrySet()) {
            if (e.getValue() != c) {
                keys.add(e.getKey());
            }
        }
        return keys;
    }

    private void send(Client c, byte[] key) {
        sendKeys(c, new Invalidation(key == null ? null : List.of(key)));
    }

    private void sendKeys(Client c, List<byte[]> keys) {
        sendKeys(c, new Invalidation(keys));
    }

    /**
     * An invalidation of some keys (null: all of them), encoded at most once per form and then
     * copied as bytes to every client that takes it in that form: a BCAST prefix's keys go to all
     * its clients, and writing them reply by reply for each client was most of the cost of a SET
     * with 50 tracking clients.
     */
    private static final class Invalidation {
        private final List<byte[]> keys;
        private byte[] push;
        private byte[] message;

        Invalidation(List<byte[]> keys) {
            this.keys = keys;
        }

        /** The RESP3 push: {@code >2 invalidate [keys]}. */
        byte[] push() {
            if (push == null) {
                push = encode(3, r -> {
                    r.push(2);
                    r.bulk("invalidate");
                });
            }
            return push;
        }

        /** The RESP2 pub/sub message on __redis__:invalidate, for a subscribed redirection. */
        byte[] message() {
            if (message == null) {
                message = encode(2, r -> {
                    r.push(3);
                    r.bulk("message");
                    r.bulk(INVALIDATE_CHANNEL);
                });
            }
            return message;
        }

        private byte[] encode(int protocol, java.util.function.Consumer<Reply> header) {
            return RespReplyWriter.encode(protocol, 32 + (keys == null ? 0 : keys.size() * 24), r -> {
                header.accept(r);
                if (keys == null) {
                    r.nullBulk();
                } else {
                    r.array(keys.size());
                    for (byte[] key : keys) {
                        r.bulk(key);
                    }
                }
            });
        }
    }

    /**
     * Redis's sendTrackingMessage: an "invalidate" push of the keys (null: all of them) to the
     * client or its redirection; to a RESP2 redirection in subscribed mode, a message on
     * __redis__:invalidate. A redirection that went away is reported to RESP3 clients instead.
     */
    private void sendKeys(Client c, Invalidation invalidation) {
        ClientTracking t = c.tracking();
        Client target = c;
        if (t.redirect != 0) {
            target = server.client(t.redirect);
            if (target == null) {
                t.brokenRedirect = true;
                if (c.protocol() > 2) {
                    Reply r = c.beginPush();
                    r.push(2);
                    r.bulk("tracking-redir-broken");
                    r.integer(t.redirect);
                    c.endPush();
                }
                return;
            }
        }
        if (target.protocol() > 2) {
            target.pushRaw(invalidation.push());
        } else if (target != c && target.subscribed()) {
            target.pushRaw(invalidation.message());
        }
        // else: RESP2 cannot carry pushes on the connection that asked
    }

    /**
     * Redis's trackingLimitUsedSlots: past tracking-table-max-keys, forgets keys (telling their
     * clients, as if they had changed), at most an effort's worth per call.
     */
    public void limitTable() {
        long max = server.config().trackingTableMaxKeys.value();
        if (max == 0 || table.size() <= max) {
            effort = 0;
            return;
        }
        int budget = 100 * (effort + 1);
        List<ByteBuffer> victims = new ArrayList<>(Math.min(budget, table.size()));
        for (ByteBuffer key : table.keySet()) { // any keys will do, as Redis's random walk
            if (victims.size() == budget) {
                break;
            }
            victims.add(key);
        }
        for (ByteBuffer key : victims) {
            invalidate(null, key.array(), false);
            if (table.size() <= max) {
                effort = 0;
                return;
            }
        }
        effort++;
    }

    // ---- Introspection (INFO)

    public int trackingClients() {
        return trackingClients;
    }

    public int totalKeys() {
        return table.size();
    }

    public long totalItems() {
        return items;
    }

    public int totalPrefixes() {
        return prefixes.size();
    }
}
