package io.respire.server.blocking;

import io.respire.ds.keyspace.Database;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.ServerContext;
import io.respire.server.keyspace.KeyEvent;
import io.respire.server.keyspace.Keys;
import io.respire.server.keyspace.KeyspaceListener;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Clients blocked on keys (BLPOP, BZPOPMIN, BLMOVE... and later XREAD BLOCK) and the keys that
 * became ready for them: Redis's {@code db->blocking_keys}, {@code server.ready_keys} and
 * handleClientsBlockedOnKeys (blocked.c). One per server, used on the executor only.
 *
 * <p>How a blocking command uses it: when none of its keys can serve it right away (and the
 * client may block, see {@link Client#denyBlocking()}), it calls {@link #block} with the keys, a
 * deadline, the value type it waits for and a {@link Waiter} that redoes its pop against one key.
 * The client then stops running requests (they wait in order, see {@link Client#block}).
 *
 * <p>Writes signal keys through {@link ServerContext#keyModified}, which calls {@link #signal}:
 * every write, not only pushes, so that keys created by RENAME, MOVE, SORT STORE, SWAPDB or a
 * script wake waiters without each command having to know about blocking (Redis hooks dbAdd for
 * the same reason). A signalled key with waiters is queued once; {@link #serveReady} runs after
 * each top-level command (so after a whole MULTI/EXEC or script, never in the middle) and serves
 * the waiters of each ready key in the order they blocked, as long as the key holds a value of
 * their type: a waiter for a list is not woken by a string or a sorted set and keeps waiting, as
 * in Redis 7.0. A waiter whose key is gone or holds another type is told so
 * ({@link Waiter#keyGone}): XREADGROUP's then ends with an error, as Redis's
 * unblockDeletedStreamReadgroupClients does; flushes signal every waited key for that reason. Serving may write and so signal more keys (BLMOVE's push); those are served in the
 * same call.
 *
 * <p>Timeouts are executor timers, disconnection cancels the block, CLIENT UNBLOCK ends it with a
 * timeout or error reply ({@link #unblock}).
 */
public final class BlockingKeys implements KeyspaceListener {
    /** Timers further away than this are re-armed in steps, keeping every delay in range. */
    private static final long MAX_TIMER_MS = TimeUnit.HOURS.toMillis(1);
    private static final String UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

    private final ServerContext server;
    /** Per database, key to the clients blocked on it, oldest first. */
    private final Map<Database, Map<ByteBuffer, KeyWaiters>> waiting = new HashMap<>();
    private final Map<Client, Blocked> byClient = new IdentityHashMap<>();
    /** Keys signalled since the last {@link #serveReady}, in signal order, each once. */
    private final ArrayDeque<KeyWaiters> ready = new ArrayDeque<>();
    private final Set<KeyWaiters> readySet = new HashSet<>();
    private int withTimeout;
    private boolean serving;

    /** One blocked client: what it waits for and how to serve it. */
    private static final class Blocked {
        final Client client;
        final Database db;
        final List<ByteBuffer> keys;
        final Class<?> type;
        final Waiter waiter;
        final long deadline;
        ScheduledFuture<?> timer;

        Blocked(Client client, List<ByteBuffer> keys, long deadline, Class<?> type, Waiter waiter) {
            this.client = client;
            this.db = client.db();
            this.keys = keys;
            this.deadline = deadline;
            this.type = type;
            this.waiter = waiter;
        }
    }

    /** The clients blocked on one key of one database (identity matters: it is also the ready entry). */
    private static final class KeyWaiters {
        final Database db;
        final ByteBuffer key;
        final LinkedHashSet<Blocked> clients = new LinkedHashSet<>();

        KeyWaiters(Database db, ByteBuffer key) {
            this.db = db;
            this.key = key;
        }
    }

    public BlockingKeys(ServerContext server) {
        this.server = server;
    }

    /**
     * Blocks {@code c} on {@code keys} of its database (Redis's blockForKeys): from now on it is
     * served by {@code waiter} when one of them holds a value of {@code type}, or gets
     * {@link Waiter#timedOut} once {@code deadlineMs} has passed ({@link BlockTimeout#FOREVER}:
     * never). A key named twice counts once. The blocking command must not reply itself.
     */
    public void block(Client c, List<byte[]> keys, long deadlineMs, Class<?> type, Waiter waiter) {
        List<ByteBuffer> unique = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            ByteBuffer k = ByteBuffer.wrap(key);
            if (!unique.contains(k)) {
                unique.add(k);
            }
        }
        Blocked b = new Blocked(c, unique, deadlineMs, type, waiter);
        Map<ByteBuffer, KeyWaiters> dbKeys = waiting.computeIfAbsent(b.db, d -> new HashMap<>());
        for (ByteBuffer k : unique) {
            dbKeys.computeIfAbsent(k, key -> new KeyWaiters(b.db, key)).clients.add(b);
        }
        byClient.put(c, b);
        c.block(() -> forget(b));
        if (deadlineMs != BlockTimeout.FOREVER) {
            withTimeout++;
            armTimer(b);
        }
    }

    /** Whether {@code c} is blocked on keys (not merely paused). */
    public boolean isBlocked(Client c) {
        return byClient.containsKey(c);
    }

    /** Clients blocked on keys. */
    public int blockedClients() {
        return byClient.size();
    }

    /** Blocked clients with a deadline (INFO clients_in_timeout_table). */
    public int clientsWithTimeout() {
        return withTimeout;
    }

    @Override
    public void keyModified(Database db, byte[] key, KeyEvent event) {
        signal(db, key);
    }

    /** SWAPDB may bring the keys blocked clients wait for; a flush or a swap may take away the
     * stream an XREADGROUP waits on (Redis's scanDatabaseForDeletedStreams). */
    @Override
    public void databaseReplaced(Database db, Database with) {
        signalAll(db);
    }

    /**
     * Notes that {@code key} of {@code db} was written (Redis's signalKeyAsReady): if clients wait
     * on it, it is served at the next {@link #serveReady}. Cheap when nobody is blocked.
     */
    public void signal(Database db, byte[] key) {
        if (byClient.isEmpty()) {
            return;
        }
        Map<ByteBuffer, KeyWaiters> dbKeys = waiting.get(db);
        KeyWaiters w = dbKeys == null ? null : dbKeys.get(ByteBuffer.wrap(key));
        if (w != null && readySet.add(w)) {
            ready.add(w);
        }
    }

    /**
     * Signals every key of {@code db} that clients wait on, for changes that replace a whole
     * database (SWAPDB: Redis's scanDatabaseForReadyKeys). Whether a key now holds data is looked
     * at when serving, so this may be called before the change.
     */
    public void signalAll(Database db) {
        Map<ByteBuffer, KeyWaiters> dbKeys = waiting.get(db);
        if (dbKeys != null) {
            for (KeyWaiters w : dbKeys.values()) {
                if (readySet.add(w)) {
                    ready.add(w);
                }
            }
        }
    }

    /**
     * Serves the clients blocked on the keys signalled so far (Redis's handleClientsBlockedOnKeys);
     * called after every top-level command. Does nothing while already serving, since keys that
     * serving signals are taken up by the loop in progress.
     */
    public void serveReady() {
        if (ready.isEmpty() || serving) {
            return;
        }
        serving = true;
        try {
            KeyWaiters w;
            while ((w = ready.poll()) != null) {
                readySet.remove(w); // first, so that serving may signal the key again
                serveKey(w);
                server.propagation().flush(false); // a DEL if looking the key up expired it
            }
        } finally {
            serving = false;
        }
    }

    /**
     * Serves the waiters of one key, oldest first, while the key exists. The expiry time is fixed
     * for the whole pass (as Redis's fixed_time_expire), so that a key cannot vanish half way.
     */
    private void serveKey(KeyWaiters w) {
        long now = server.nowMs();
        byte[] key = w.key.array();
        Object value = w.db.lookup(key, now);
        for (Blocked b : new ArrayList<>(w.clients)) {
            if (byClient.get(b.client) != b) {
                continue; // already served through another key
            }
            if (value != null && b.type.isInstance(value)) {
                Object current = value;
                serve(b, () -> {
                    Keys.beforeCommand(b.client, b.client.command(), b.client.argv()); // the pop changes the value in place
                    return b.waiter.serve(b.client, key, current);
                });
                value = w.db.lookup(key, now);
            } else {
                // Gone or of another type: most waiters keep waiting, XREADGROUP's end with an error.
                serve(b, () -> b.waiter.keyGone(b.client));
            }
        }
    }

    /** Runs one attempt to serve {@code b}; if it replied, the client is unblocked. */
    private void serve(Blocked b, BooleanSupplier attempt) {
        Client c = b.client;
        long errorsBefore = server.stats().totalErrorReplies;
        Client outer = server.currentClient(c); // the served command runs as its client's (NOLOOP, tracking)
        long start = System.nanoTime();
        try {
            if (!served(c, attempt)) {
                return;
            }
            server.tracking().sendPending(c); // its own invalidations after its reply
        } catch (CommandError e) {
            c.reply().error(e.getMessage());
        } catch (RuntimeException e) {
            // As in the dispatcher: a bug costs this client one error reply, not the other waiters.
            String name = c.lastCommand() == null ? "?" : c.lastCommand().fullName();
            server.log().warning("Unexpected failure serving a blocked " + name + ": " + e);
            c.reply().error("ERR internal error running '" + name + "': " + e.getClass().getSimpleName());
        } finally {
            server.currentClient(outer);
        }
        // Redis's updateStatsOnUnblock: time, failure, histogram and slow log of the served command.
        server.observability().unblocked(c, c.argv(), System.nanoTime() - start,
                server.stats().totalErrorReplies != errorsBefore);
        release(b);
    }

    /**
     * Runs one attempt as a call of its own for propagation: what the waiter propagates (the
     * non-blocking form it records with {@link Client#propagateAs}, Redis's alsoPropagate in
     * serveClientBlockedOnList and friends) is emitted for this client alone, as Redis's
     * afterCommand(receiver) does, so that each served client is its own unit in the stream.
     */
    private boolean served(Client c, BooleanSupplier attempt) {
        if (!server.propagation().active()) {
            return attempt.getAsBoolean();
        }
        c.startPropagation();
        server.propagation().enter();
        boolean served = false;
        try {
            served = attempt.getAsBoolean();
        } finally {
            server.propagation().exit();
            c.endPropagation(served);
            server.dispatcher().afterCommand(c.lastCommand());
        }
        return served;
    }

    /**
     * CLIENT UNBLOCK: ends the block of {@code c} with the timeout reply, or with an UNBLOCKED
     * error if {@code error}. Returns false if {@code c} is not blocked on keys.
     */
    public boolean unblock(Client c, boolean error) {
        Blocked b = byClient.get(c);
        if (b == null) {
            return false;
        }
        if (error) {
            c.reply().error(UNBLOCKED);
        } else {
            b.waiter.timedOut(c);
        }
        // Redis counts either kind as a failure, and by then has dropped the arguments it would log.
        server.observability().unblocked(c, new byte[0][], 0, true);
        release(b);
        return true;
    }

    /**
     * Redis's disconnectAllBlockedClients for clients blocked on keys: each gets {@code error} and
     * its connection closes after it (the server became a replica: their keys now follow the primary).
     */
    public void unblockAll(String error) {
        for (Client c : new java.util.ArrayList<>(byClient.keySet())) {
            c.reply().error(error);
            c.closeAfterReply();
            release(byClient.get(c));
        }
    }

    private void armTimer(Blocked b) {
        // Redis times out once the deadline is in the past (deadline < now), hence the +1.
        long delay = Math.max(0, b.deadline - server.nowMs() + 1);
        b.timer = server.executor().schedule(() -> timerFired(b), Math.min(delay, MAX_TIMER_MS),
                TimeUnit.MILLISECONDS);
    }

    private void timerFired(Blocked b) {
        if (byClient.get(b.client) != b) {
            return;
        }
        if (server.nowMs() <= b.deadline) {
            armTimer(b); // a step of a far deadline, or the timer ran early
            return;
        }
        b.waiter.timedOut(b.client);
        release(b);
    }

    /** The block is over (served, timed out, unblocked): forget it and let the client run. */
    private void release(Blocked b) {
        forget(b);
        b.client.unblock();
    }

    /** Drops every trace of the block; also called directly when the client disconnects. */
    private void forget(Blocked b) {
        if (byClient.get(b.client) != b) {
            return;
        }
        byClient.remove(b.client);
        if (b.timer != null) {
            b.timer.cancel(false);
        }
        if (b.deadline != BlockTimeout.FOREVER) {
            withTimeout--;
        }
        Map<ByteBuffer, KeyWaiters> dbKeys = waiting.get(b.db);
        for (ByteBuffer k : b.keys) {
            KeyWaiters w = dbKeys.get(k);
            w.clients.remove(b);
            if (w.clients.isEmpty()) {
                dbKeys.remove(k);
                if (readySet.remove(w)) {
                    ready.remove(w);
                }
            }
        }
        if (dbKeys.isEmpty()) {
            waiting.remove(b.db);
        }
    }
}
