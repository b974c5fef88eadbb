package io.respire.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.respire.ds.keyspace.Database;
import io.respire.protocol.Reply;
import io.respire.protocol.RespDecoder;
import io.respire.protocol.RespReplyWriter;
import io.respire.protocol.VersionedReply;
import io.respire.server.acl.User;
import io.respire.server.command.CommandSpec;
import io.respire.server.multi.MultiState;
import io.respire.server.pubsub.PubSub;
import io.respire.server.pubsub.Subscriptions;

import java.nio.charset.StandardCharsets;

/**
 * One connection's state, Redis's {@code client} struct: the request being run, the selected
 * database, the protocol version, identity and flags. Touched only on the executor thread.
 * Replies accumulate in an output buffer that the connection flushes once per batch of requests;
 * a reply written outside a batch (to another client, or when a blocked client is served later)
 * opens an output that is flushed once the current executor task ends.
 *
 * <p>A client can be <em>blocked</em> (Redis's CLIENT_BLOCKED: a paused command, BLPOP...): its
 * requests then wait, in order, until {@link #unblock()}.
 */
public final class Client {
    /** What the server asks of the socket behind a client; {@link ConnectionHandler} implements it. */
    interface Connection {
        /** Gives the client an output buffer outside a batch, flushed when the current task ends. */
        void beginOutput(Client c);

        /** Runs the requests that waited while the client was blocked (scheduled, not run in place). */
        void resume();

        /** Closes the connection now, dropping unsent replies (Redis's freeClient). */
        void close();

        /** Reply bytes written to the socket but not yet sent (Redis's omem, for output limits). */
        long pendingOutputBytes();

        /** The connection of clients without a socket (tests): output goes to a throwaway buffer. */
        Connection NONE = new Connection() {
            @Override
            public void beginOutput(Client c) {
                c.replyTarget(io.netty.buffer.Unpooled.buffer());
            }

            @Override
            public void resume() {
            }

            @Override
            public void close() {
            }

            @Override
            public long pendingOutputBytes() {
                return 0;
            }
        };
    }

    private final ServerContext server;
    private final Channel channel;
    private final Connection connection;
    private final long id;
    private final long createdMs;
    /** Writes RESP to the socket's output; null for a client whose replies go elsewhere (scripts). */
    private final RespReplyWriter writer;
    /** The reply's one owner: {@link #writer}, or what a script's engine builds values with. */
    private final VersionedReply reply;

    private byte[][] argv;
    private CommandSpec command;
    private CommandSpec lastCommand;
    private Database db;
    private String name;
    private String libName = "";
    private String libVersion = "";
    private boolean authenticated;
    /** The ACL user it runs commands as (Redis's c->user); the default user until AUTH. */
    private User user;
    private boolean closeAfterReply;
    private boolean closed;
    private long lastInteractionMs;

    // CLIENT REPLY: OFF silences every reply; SKIP silences the next command's only.
    private boolean replyOff;
    private boolean replySkipNext;
    private boolean replySkip;
    /** Where the running command's droppable reply starts (see {@link #markDroppableReplies}), or -1. */
    private int dropMark = -1;
    private boolean noEvict;
    private boolean monitor;
    private boolean master;
    /** The client an AOF loads as (Redis's CLIENT_ID_AOF). */
    private boolean aofLoader;

    private boolean blocked;
    /** Its script runs past busy-reply-threshold: its next requests wait (Redis's protectClient). */
    private boolean protectedFromIo;
    /** SCRIPT DEBUG SYNC: its EVALs run in a Lua debugger session (Redis's CLIENT_LUA_DEBUG_SYNC). */
    private boolean luaDebug;
    private Runnable onBlockCancelled;
    /** CLIENT TRACKING state, null while tracking is off. */
    private io.respire.server.tracking.ClientTracking tracking;
    /** Pub/sub subscriptions, null until the first one. */
    private Subscriptions subscriptions;
    /** How long the last command ran (Redis's c->duration), for a blocked command's statistics once it is unblocked. */
    private long callMicros;
    /** MULTI/EXEC and WATCH state. */
    private final MultiState multi = new MultiState();
    /** Blocking commands must answer at once (inside EXEC, scripts): Redis's CLIENT_DENY_BLOCKING. */
    private boolean denyBlocking;
    /** Every this many bytes of one task's output, the output buffer limits are checked at once. */
    private static final int OUTPUT_LIMIT_CHECK_BYTES = 64 * 1024;
    /** Over its output buffer limit while a task runs: closed when the task ends (see {@link #outputGrew}). */
    private boolean closingForOutputLimit;
    /** When the output first went over the soft limit (ms), 0 while under it. */
    private long softLimitSinceMs;
    /** What ServerContext's clientsMemory holds for this client's buffers (executor thread). */
    private long accountedBytes;
    /** The connection's decoder, which holds the query buffer; found on first use. */
    private RespDecoder decoder;
    /**
     * What the current command propagates instead of its arguments (Redis's rewritten c->argv,
     * here kept apart so that MONITOR and SLOWLOG see the original), or null; and its
     * PREVENT/FORCE flags. Saved and restored around nested calls by the dispatcher.
     */
    private byte[][] propagateArgv;
    private int propagateFlags;
    /** The replication offset after this client's last command, what WAIT waits for (Redis's woff). */
    private long writeOffset;
    /** What REPLCONF and SYNC/PSYNC told of this connection as a replica, or null. */
    private io.respire.server.replication.Replica replica;

    Client(ServerContext server, Channel channel, Connection connection, long id) {
        this(server, channel, connection, id, new RespReplyWriter(null));
    }

    private Client(ServerContext server, Channel channel, Connection connection, long id, VersionedReply reply) {
        this.server = server;
        this.channel = channel;
        this.connection = connection;
        this.id = id;
        this.createdMs = server.clock().millis();
        this.lastInteractionMs = createdMs;
        this.db = server.database(0);
        this.reply = reply;
        defaultAuth();
        this.writer = reply instanceof RespReplyWriter resp ? resp : null;
        if (writer != null) {
            writer.onGrowth(OUTPUT_LIMIT_CHECK_BYTES, this::outputGrew);
        }
        reply.errorListener(this::errorReplied);
    }

    /**
     * Redis's afterErrorReply: counted for INFO errorstats; an error on a replication link means
     * the primary and its replica diverge, which is logged and counted as unexpected.
     */
    private void errorReplied(String error) {
        server.stats().errorReplied(error);
        if (replicaLink()) {
            logUnexpectedError("master", "replica", error);
        } else if (aofLoader) {
            logUnexpectedError("server", "AOF-loading-client", error);
            // propagation-error-behavior panic: a file that does not replay cleanly stops the load.
            panicIfAsked("server", "AOF-loading-client", server.config().propagationErrorBehavior.is("panic"));
        }
    }

    private void logUnexpectedError(String from, String to, String error) {
        server.stats().unexpectedErrorReplies++;
        // Redis logs the text its code passed: a plain message without "ERR ", a shared error
        // object with its "-CODE" (the common cases; each call site decides in Redis).
        String text = error.startsWith("ERR ") ? error.substring(4) : "-" + error;
        server.log().warning("== CRITICAL == This " + from + " is sending an error to its " + to + ": '"
                + (text.length() > 4096 ? text.substring(0, 4096) : text) + "' after processing the command '"
                + commandName() + "'");
    }

    private String commandName() {
        return lastCommand != null ? lastCommand.fullName() : "<unknown>";
    }

    /** Redis's afterErrorReply: a server configured to panic rather than diverge does (CrashReport.panic). */
    private void panicIfAsked(String from, String to, boolean asked) {
        if (asked) {
            CrashReport.panic(server.log(), server.config(), "This " + from + " panicked sending an error to its " + to
                    + " after processing the command '" + commandName() + "'");
        }
    }

    /**
     * The client a replica runs its primary's stream as (Redis's server.master, CLIENT_MASTER): on
     * the link's channel, in the client list, authenticated and never refused by ACLs; its replies
     * are dropped ({@link #discardOutput}); {@code resume} runs its held commands after a pause.
     * Closing it (CLIENT KILL) closes the link.
     */
    public static Client master(ServerContext server, Channel channel, Runnable resume) {
        Connection link = new Connection() {
            @Override
            public void beginOutput(Client c) {
                c.replyTarget(io.netty.buffer.Unpooled.buffer(64));
            }

            @Override
            public void resume() {
                resume.run();
            }

            @Override
            public void close() {
                channel.close();
            }

            @Override
            public long pendingOutputBytes() {
                return 0;
            }
        };
        Client c = server.connect(channel, link);
        c.master = true;
        c.authenticated = true;
        // Redis's afterErrorReply: an error a replica "sends" its primary means the two diverge.
        c.reply.errorListener(error -> {
            server.stats().errorReplied(error);
            c.logUnexpectedError("replica", "master", error);
            // propagation-error-behavior panic or panic-on-replicas, on a read-only replica.
            c.panicIfAsked("replica", "master", !server.config().propagationErrorBehavior.is("ignore")
                    && server.config().replicaReadOnly.value());
        });
        return c;
    }

    /** Whether this is the master client of a replica (Redis's CLIENT_MASTER). */
    public boolean master() {
        return master;
    }

    /**
     * Whether what this client sends is obeyed as already checked (Redis's mustObeyClient): the
     * master client and the AOF loader, whose commands are effects a server already applied.
     */
    public boolean mustObey() {
        return master || aofLoader;
    }

    /** Drops the replies written so far (the master client's: a primary is never answered). */
    public void discardOutput() {
        ByteBuf out = replyTarget();
        if (out != null) {
            out.clear();
        }
    }

    /**
     * A client without a connection whose replies go to {@code reply} (Redis's fake clients: the
     * one scripts run their commands as). It is not in the server's client list.
     */
    public static Client detached(ServerContext server, VersionedReply reply) {
        Client c = new Client(server, null, Connection.NONE, 0, reply);
        c.denyBlocking = true; // blocking commands called by scripts answer at once
        c.authenticated = true;
        return c;
    }

    /**
     * The client an AOF's commands run as while it loads (Redis's createAOFClient): no connection,
     * never blocked, its replies dropped after each command ({@link #dropReplies}).
     */
    public static Client aofLoader(ServerContext server) {
        Client c = new Client(server, null, Connection.NONE, 0);
        c.aofLoader = true;
        c.denyBlocking = true;
        c.authenticated = true;
        return c;
    }

    /** Drops what was replied so far (the AOF loader's client, whose replies nobody reads). */
    public void dropReplies() {
        ByteBuf out = replyTarget();
        if (out != null) {
            replyTarget(null);
            out.release();
        }
    }

    /** Whether this is a client without a connection (a script's), Redis's CLIENT_SCRIPT. */
    public boolean detached() {
        return writer == null;
    }

    public ServerContext server() {
        return server;
    }

    /** The socket, or null for a client without one. */
    public Channel channel() {
        return channel;
    }

    public long id() {
        return id;
    }

    public long createdMs() {
        return createdMs;
    }

    public long lastInteractionMs() {
        return lastInteractionMs;
    }

    void touch(long nowMs) {
        this.lastInteractionMs = nowMs;
    }

    /** Where the client's replies go; opens an output if the client is not in a batch. */
    public Reply reply() {
        if (writer != null && writer.target() == null) {
            connection.beginOutput(this);
        }
        return reply;
    }

    /** The protocol version chosen by HELLO (2 or 3). */
    public int protocol() {
        return reply.protocol();
    }

    public void protocol(int version) {
        reply.protocol(version);
    }

    public byte[][] argv() {
        return argv;
    }

    public int argc() {
        return argv.length;
    }

    public byte[] arg(int i) {
        return argv[i];
    }

    /** Argument {@code i} as text (ISO-8859-1, so every byte maps to one char and back). */
    public String argString(int i) {
        return new String(argv[i], StandardCharsets.ISO_8859_1);
    }

    /** Whether argument {@code i} is {@code word}, ignoring case (options such as NX, EX, WITHSCORES). */
    public boolean argIs(int i, String word) {
        byte[] a = argv[i];
        if (a.length != word.length()) {
            return false;
        }
        for (int j = 0; j < a.length; j++) {
            int b = a[j];
            if (b >= 'a' && b <= 'z') {
                b -= 32;
            }
            int w = word.charAt(j);
            if (w >= 'a' && w <= 'z') {
                w -= 32;
            }
            if (b != w) {
                return false;
            }
        }
        return true;
    }

    void request(byte[][] argv, CommandSpec command) {
        this.argv = argv;
        this.command = command;
        if (command != null) {
            this.lastCommand = command;
        }
    }

    public CommandSpec command() {
        return command;
    }

    public CommandSpec lastCommand() {
        return lastCommand;
    }

    public Database db() {
        return db;
    }

    public int dbIndex() {
        return db.id();
    }

    public void select(int index) {
        this.db = server.database(index);
    }

    public String name() {
        return name;
    }

    public void name(String name) {
        this.name = name;
    }

    public String libName() {
        return libName;
    }

    public String libVersion() {
        return libVersion;
    }

    public void libInfo(String name, String version) {
        if (name != null) {
            this.libName = name;
        }
        if (version != null) {
            this.libVersion = version;
        }
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticate(User user) {
        this.authenticated = true;
        this.user = user;
    }

    /**
     * Back to the default user, authenticated only if it needs no password (Redis's
     * clientSetDefaultAuth): new connections, RESET, and connections whose user was deleted.
     */
    public void defaultAuth() {
        User fallback = server.acl().defaultUser();
        this.user = fallback;
        this.authenticated = fallback.nopass() && fallback.enabled();
    }

    /** Back to the default user, not authenticated, whatever it needs (a deleted user's connections). */
    public void deauthenticate() {
        this.user = server.acl().defaultUser();
        this.authenticated = false;
    }

    /** The ACL user whose permissions apply (for a script's client: its caller's, while it runs). */
    public User user() {
        return user;
    }

    /** Runs the commands of a script as {@code user}, the user of the script's caller. */
    public void runAs(User user) {
        this.user = user;
    }

    /** Whether the client must still AUTH before running commands (Redis's authRequired). */
    public boolean authRequired() {
        return !authenticated && server.acl().authRequired();
    }

    /**
     * Redis's clearClientConnectionState (RESET): back to the state of a new connection. A feature
     * that keeps per-connection state (subscriptions, MULTI, tracking) must clear it here too.
     */
    public void resetConnectionState() {
        if (monitor) {
            server.removeMonitor(this);
        }
        server.tracking().disable(this);
        server.pubSub().forget(this);
        select(0);
        protocol(2);
        defaultAuth();
        name = null;
        replyOff = false;
        replySkipNext = false;
        discardTransaction();
    }

    /** Closes the connection once the replies written so far are sent (QUIT, protocol errors). */
    public void closeAfterReply() {
        this.closeAfterReply = true;
    }

    public boolean closingAfterReply() {
        return closeAfterReply;
    }

    /** Closes the connection now, unsent replies dropped (Redis's freeClient: CLIENT KILL, timeout). */
    public void close() {
        if (!closed) {
            server.disconnect(this);
            connection.close();
        }
    }

    /** Whether the client is gone: closed by the server or disconnected. */
    public boolean closed() {
        return closed;
    }

    void markClosed() {
        this.closed = true;
    }

    // ---- CLIENT REPLY ON|OFF|SKIP

    /** CLIENT REPLY ON: replies resume, including this command's (a SKIP in effect is dropped). */
    public void repliesOn() {
        replyOff = false;
        replySkip = false;
    }

    public void repliesOff() {
        replyOff = true;
    }

    /** CLIENT REPLY SKIP: the next command's reply is dropped (nothing changes while OFF). */
    public void skipNextReply() {
        if (!replyOff) {
            replySkipNext = true;
        }
    }

    /**
     * Whether the command that just ran must have its reply dropped; moves a pending SKIP on to the
     * next command (Redis's resetClient handling of CLIENT_REPLY_SKIP_NEXT).
     */
    boolean silenceAfterCommand() {
        boolean silence = replyOff || replySkip;
        replySkip = replySkipNext;
        replySkipNext = false;
        return silence;
    }

    /** Whether replies may currently be dropped (so the dispatcher notes where the reply starts). */
    boolean repliesSilenced() {
        return replyOff || replySkip || replySkipNext;
    }

    // ---- Flags shown by CLIENT LIST

    public boolean noEvict() {
        return noEvict;
    }

    public void noEvict(boolean on) {
        this.noEvict = on;
    }

    /** Whether the client is a MONITOR (Redis's CLIENT_MONITOR). */
    public boolean monitor() {
        return monitor;
    }

    void monitor(boolean on) {
        this.monitor = on;
    }

    /** The client's CLIENT TRACKING state, or null when tracking is off (Redis's CLIENT_TRACKING). */
    public io.respire.server.tracking.ClientTracking tracking() {
        return tracking;
    }

    /** Set by {@link io.respire.server.tracking.Tracking} only. */
    public void tracking(io.respire.server.tracking.ClientTracking state) {
        this.tracking = state;
    }

    /** What the client is subscribed to; created on its first subscription. */
    public Subscriptions subscriptions() {
        if (subscriptions == null) {
            subscriptions = new Subscriptions();
        }
        return subscriptions;
    }

    /** Whether the client ever subscribed (so {@link #subscriptions()} need not create anything). */
    public boolean hasSubscriptions() {
        return subscriptions != null;
    }

    /** Whether the client is in subscribed mode: Redis's CLIENT_PUBSUB (flag P, type "pubsub"). */
    public boolean subscribed() {
        return subscriptions != null && subscriptions.any();
    }

    /** Channels the client is subscribed to (CLIENT LIST sub=). */
    public int subscribedChannels() {
        return subscriptionCount(PubSub.Kind.CHANNEL);
    }

    /** Patterns the client is subscribed to (psub=). */
    public int subscribedPatterns() {
        return subscriptionCount(PubSub.Kind.PATTERN);
    }

    /** Shard channels the client is subscribed to (ssub=). */
    public int subscribedShardChannels() {
        return subscriptionCount(PubSub.Kind.SHARD);
    }

    private int subscriptionCount(PubSub.Kind kind) {
        return subscriptions == null ? 0 : subscriptions.count(kind);
    }

    /** Commands queued in MULTI, or -1 outside a transaction (multi=; the x flag). */
    public int multiQueued() {
        return multi.active() ? multi.size() : -1;
    }

    /** The client's transaction and watched keys (see TransactionCommands). */
    public MultiState multi() {
        return multi;
    }

    /** Redis's discardTransaction: leaves MULTI and unwatches every key. */
    public void discardTransaction() {
        server.watchedKeys().discard(this);
    }

    /** Redis's getClientType: "master" (a replica's link), "slave" (after SYNC/PSYNC), "pubsub", "normal". */
    public String type() {
        if (master) {
            return "master";
        }
        if (replica != null && replica.attached()) {
            return "slave";
        }
        return subscribed() ? "pubsub" : "normal";
    }

    // ---- Propagation of effects (see io.respire.server.replication.Propagation)

    static final int PREVENT_PROPAGATION = 1;
    /** Forced propagation, per target: Propagation.AOF and Propagation.REPL shifted by one. */
    static final int FORCE_AOF = io.respire.server.replication.Propagation.AOF << 1;
    static final int FORCE_REPL = io.respire.server.replication.Propagation.REPL << 1;

    /** Whether effects are consumed at all: commands prepare rewritten forms only then. */
    public boolean propagating() {
        return server.propagation().active();
    }

    /**
     * Propagates {@code argv} instead of this command's arguments, if the command changes the
     * dataset (Redis's rewriteClientCommandVector); MONITOR still shows the original.
     */
    public void propagateAs(byte[]... argv) {
        if (propagating()) {
            propagateArgv = argv;
        }
    }

    /** Redis's preventCommandPropagation: the command's arguments are not propagated. */
    public void preventPropagation() {
        propagateFlags |= PREVENT_PROPAGATION;
    }

    /** Redis's forceCommandPropagation: propagated even if nothing changed (FLUSHALL on an empty server). */
    public void forcePropagation() {
        propagateFlags |= FORCE_AOF | FORCE_REPL;
    }

    /** Redis's forceCommandPropagation(c, PROPAGATE_REPL): PUBLISH reaches replicas, never the AOF. */
    public void forceReplication() {
        propagateFlags |= FORCE_REPL;
    }

    /** Redis's alsoPropagate, in this client's database: one more op after the command. */
    public void alsoPropagate(byte[]... argv) {
        server.propagation().alsoPropagate(dbIndex(), io.respire.server.replication.Propagation.ALL, argv);
    }

    /** A blocked client is about to be served: what it propagates starts empty. */
    public void startPropagation() {
        propagationState(null, 0);
    }

    /**
     * A blocked client was served ({@code served}) or not: its non-blocking form, recorded with
     * {@link #propagateAs}, becomes an op (Redis's alsoPropagate in the serve functions).
     */
    public void endPropagation(boolean served) {
        if (served && propagateArgv != null) {
            alsoPropagate(propagateArgv);
        }
        propagationState(null, 0);
    }

    byte[][] propagateArgv() {
        return propagateArgv;
    }

    int propagateFlags() {
        return propagateFlags;
    }

    /** Sets both at once: the dispatcher clears them for a call and restores the caller's after it. */
    void propagationState(byte[][] argv, int flags) {
        this.propagateArgv = argv;
        this.propagateFlags = flags;
    }

    public long writeOffset() {
        return writeOffset;
    }

    void writeOffset(long offset) {
        this.writeOffset = offset;
    }

    /** The replica state of a connection that sent REPLCONF or SYNC/PSYNC (owned by the replication code), or null. */
    public io.respire.server.replication.Replica replica() {
        return replica;
    }

    public void replica(io.respire.server.replication.Replica state) {
        this.replica = state;
    }

    /** Whether this connection sent an accepted SYNC or PSYNC (Redis's CLIENT_SLAVE): it carries the stream, never replies. */
    public boolean replicaLink() {
        return replica != null && replica.linked();
    }

    /** Whether the running command wrote a reply since {@link #markDroppableReplies}. */
    boolean repliedSinceMark() {
        return dropMark >= 0 && writer != null && writer.target() != null && writer.mark() > dropMark;
    }

    // ---- Blocking

    /**
     * Stops running the client's requests (Redis's blockClient): the next ones wait, in order,
     * until {@link #unblock()}. {@code onCancel} runs instead if the client disconnects first, so
     * that whatever tracks the blocked client can forget it.
     */
    public void block(Runnable onCancel) {
        if (!blocked) {
            blocked = true;
            onBlockCancelled = onCancel;
            server.blockedClients(+1);
        }
    }

    /** Lets the client run again; its waiting requests run after the current executor task. */
    public void unblock() {
        if (blocked) {
            blocked = false;
            onBlockCancelled = null;
            server.blockedClients(-1);
            connection.resume();
        }
    }

    public boolean blocked() {
        return blocked;
    }

    public long callMicros() {
        return callMicros;
    }

    public void callMicros(long micros) {
        callMicros = micros;
    }

    /**
     * Redis's protectClient: while this client's script runs past busy-reply-threshold and the
     * server serves others meanwhile, the client's own next requests wait.
     */
    public void protect() {
        protectedFromIo = true;
    }

    /** Ends {@link #protect}: the requests that waited run after the current task. */
    public void unprotect() {
        if (protectedFromIo) {
            protectedFromIo = false;
            connection.resume();
        }
    }

    public boolean isProtected() {
        return protectedFromIo;
    }

    /** Whether SCRIPT DEBUG SYNC is on: its next EVAL is debugged. */
    public boolean luaDebug() {
        return luaDebug;
    }

    public void luaDebug(boolean on) {
        this.luaDebug = on;
    }

    /**
     * Writes {@code bytes} to the socket at once, ahead of the replies buffered for this batch (the
     * Lua debugger's logs, which Redis writes straight to the connection while a script is stopped).
     */
    public void writeNow(byte[] bytes) {
        if (channel != null && !closed) {
            server.stats().netOutputBytes += bytes.length;
            channel.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(bytes), channel.voidPromise());
        }
    }

    /** Runs the requests that waited for this client (after a Lua debugger session held the server). */
    public void resumeRequests() {
        connection.resume();
    }

    /**
     * Whether a blocking command must not block but answer as if it timed out at once (Redis's
     * CLIENT_DENY_BLOCKING): set while EXEC runs the queued commands, and for script clients.
     */
    public boolean denyBlocking() {
        return denyBlocking;
    }

    public void denyBlocking(boolean deny) {
        this.denyBlocking = deny;
    }

    /** The client went away while blocked: forget the block without running anything. */
    void cancelBlock() {
        if (blocked) {
            Runnable cancel = onBlockCancelled;
            blocked = false;
            onBlockCancelled = null;
            server.blockedClients(-1);
            if (cancel != null) {
                cancel.run();
            }
        }
    }

    // ---- Output

    /** Points the reply writer at the buffer of the current output batch. */
    void replyTarget(ByteBuf buffer) {
        writer.target(buffer);
    }

    ByteBuf replyTarget() {
        return writer == null ? null : writer.target();
    }

    /**
     * Notes where the running command's reply starts, as it may have to be dropped (CLIENT REPLY
     * OFF/SKIP): see {@link #endDroppableReplies}.
     */
    void markDroppableReplies() {
        reply(); // opens an output if the client has none
        dropMark = writer == null ? -1 : writer.mark();
    }

    /** Ends the command's reply: drops what it wrote since the mark (pushes excepted) if {@code drop}. */
    void endDroppableReplies(boolean drop) {
        if (drop && dropMark >= 0) {
            writer.rollback(dropMark);
        }
        dropMark = -1;
    }

    /**
     * Where an out-of-band push starts (pub/sub confirmations and messages). Pushes reach the client
     * even while its replies are silenced (Redis's CLIENT_PUSHING): what the running command wrote
     * before the push and must drop is dropped now, and the push is kept ({@link #endPush}).
     */
    public Reply beginPush() {
        Reply r = reply();
        if (dropMark >= 0 && (replyOff || replySkip)) {
            writer.rollback(dropMark);
        }
        return r;
    }

    /** The push is written: a later drop of the command's reply starts after it. */
    public void endPush() {
        if (dropMark >= 0) {
            dropMark = writer.mark();
        }
    }

    /**
     * The output of the running task grew by another {@link #OUTPUT_LIMIT_CHECK_BYTES}: checked
     * against the output buffer limit now, as Redis checks on every addReply, so that neither a
     * huge reply, a long pipeline nor pushes to a slow subscriber build up without bound before
     * the task's output is flushed. Over the limit, the client is marked to close once the task
     * ends (Redis's CLIENT_CLOSE_ASAP) and what it was sent, and is still sent, is dropped: the
     * buffer is swapped for an empty one, cleared again at each step.
     */
    private void outputGrew() {
        ByteBuf out = writer.target();
        if (!closingForOutputLimit) {
            if (!outputBufferLimitReached(pendingOutputBytes() + out.readableBytes())) {
                return;
            }
            closingForOutputLimit = true;
            server.executor().execute(() -> {
                if (!closed) {
                    ConnectionHandler.closeForOutputLimit(this, true);
                }
            });
        }
        writer.target(out.alloc().buffer(256));
        out.release();
    }

    /**
     * A push already encoded for this client's protocol (an invalidation shared by many clients),
     * copied as it is between {@link #beginPush} and {@link #endPush}.
     */
    public void pushRaw(byte[] encoded) {
        if (writer == null) {
            return; // no connection (an AOF-loading or script client)
        }
        beginPush();
        writer.raw(encoded);
        endPush();
    }

    /** Whether the client is over its output buffer limit and about to be closed: send it nothing more. */
    public boolean closingForOutputLimit() {
        return closingForOutputLimit;
    }

    /**
     * Writes bytes to the connection as they are, outside the reply API (the replication stream
     * and the RDB payload a replica receives). Does nothing for a client without a connection.
     */
    public void writeRaw(byte[] bytes) {
        writeRaw(bytes, 0, bytes.length);
    }

    /** {@link #writeRaw(byte[])} of {@code len} bytes of {@code bytes} from {@code off}. */
    public void writeRaw(byte[] bytes, int off, int len) {
        if (writer != null) {
            reply(); // opens an output if the client has none
            writer.raw(bytes, off, len);
        }
    }

    /** Reply bytes of the current batch, not yet handed to the socket (Redis's obl, bufpos). */
    public int bufferedReplyBytes() {
        ByteBuf out = replyTarget();
        return out == null ? 0 : out.readableBytes();
    }

    /** The capacity of the current reply buffer, 0 between batches (Redis's rbs, buf_usable_size). */
    public int replyBufferSize() {
        ByteBuf out = replyTarget();
        return out == null ? 0 : out.capacity();
    }

    /**
     * Redis's checkClientOutputBufferLimits, for {@code usedBytes} of replies not yet sent: whether
     * the client's class (normal, replica or pubsub) is over its hard limit, or has been over its soft limit
     * for longer than the soft limit's seconds. A zero limit is no limit.
     */
    boolean outputBufferLimitReached(long usedBytes) {
        String clientClass = master ? "normal" : type();
        io.respire.server.config.SpecialOptions.BufferLimit limit =
                server.config().clientOutputBufferLimit.limit(clientClass);
        long hard = limit.hardBytes();
        if (hard != 0 && clientClass.equals("slave")) {
            // Never below repl-backlog-size: a partial resync's backlog must not close its replica.
            hard = Math.max(hard, server.config().replBacklogSize.value());
        }
        if (hard != 0 && Long.compareUnsigned(usedBytes, hard) >= 0) {
            return true;
        }
        if (limit.softBytes() == 0 || Long.compareUnsigned(usedBytes, limit.softBytes()) < 0) {
            softLimitSinceMs = 0;
            return false;
        }
        long now = server.nowMs();
        if (softLimitSinceMs == 0) {
            softLimitSinceMs = now;
            return false;
        }
        return now / 1000 - softLimitSinceMs / 1000 > limit.softSeconds();
    }

    /** Bytes in the query buffer (Redis's qbuf, see {@link RespDecoder#queryBufferBytes}); 0 without a socket. */
    public long queryBufferBytes() {
        RespDecoder decoder = decoder();
        return decoder == null ? 0 : decoder.queryBufferBytes();
    }

    /** The query buffer's room beyond those bytes (qbuf-free). */
    public long queryBufferFree() {
        RespDecoder decoder = decoder();
        return decoder == null ? 0 : decoder.queryBufferFree();
    }

    /** What the query buffer holds allocated (qbuf plus qbuf-free), as client memory counts it. */
    public long queryBufferCapacity() {
        RespDecoder decoder = decoder();
        return decoder == null ? 0 : decoder.queryBufferCapacity();
    }

    /** Bytes of the arguments read so far of a request still arriving (Redis's argv_len_sum then). */
    public long partialArgumentBytes() {
        RespDecoder decoder = decoder();
        return decoder == null ? 0 : decoder.partialArgumentBytes();
    }

    /** Redis's clientsCronResizeQueryBuffer for this client (on its connection's event loop). */
    void resizeQueryBuffer(long nowMs) {
        RespDecoder decoder = decoder();
        if (decoder != null) {
            decoder.cronResize(nowMs, lastInteractionMs);
        }
    }

    private RespDecoder decoder() {
        RespDecoder d = decoder;
        if (d == null && channel != null) {
            d = decoder = channel.pipeline().get(RespDecoder.class); // kept: asked on every batch
        }
        return d;
    }

    /** Reply bytes not yet sent to the socket (Redis's omem). */
    public long pendingOutputBytes() {
        return connection.pendingOutputBytes();
    }

    /**
     * What this client holds now: its buffers (query buffer, unsent replies, the reply being built)
     * and the state that grows as it is used ({@link #stateBytes}), as Redis's getClientMemoryUsage
     * adds them up for client eviction.
     */
    long buffersBytes() {
        return queryBufferCapacity() + partialArgumentBytes() + pendingOutputBytes() + bufferedReplyBytes() + stateBytes();
    }

    /**
     * Our estimate of one subscription, watched key or tracking prefix: the entries in this client's
     * set and in the server's index (hash nodes and table slots, the key's wrapper). Redis counts
     * its list nodes and dict entries for the same.
     */
    static final int ENTRY_BYTES = 96;

    /**
     * The memory of the client's growing state: its transaction (queued commands, watched keys:
     * Redis's multi-mem), its subscriptions and its BCAST prefixes. O(1).
     */
    public long stateBytes() {
        long entries = subscribedChannels() + subscribedPatterns() + subscribedShardChannels();
        if (tracking != null) {
            entries += tracking.prefixCount();
        }
        return multiMemory() + entries * ENTRY_BYTES;
    }

    /** Redis's multiStateMemOverhead (multi-mem): the queued commands and the watched keys. */
    public long multiMemory() {
        return multi.queuedBytes() + (long) multi.watchCount() * ENTRY_BYTES;
    }

    /**
     * What the arguments of the request being run hold (Redis's argv_len_sum plus its pointers);
     * Redis counts them in the client's memory while the command runs.
     */
    long argumentsBytes() {
        long sum = 0;
        if (argv != null) {
            for (byte[] arg : argv) {
                sum += Long.BYTES + arg.length;
            }
        }
        return sum;
    }

    /** This client's share of used_memory as last accounted (see {@link ServerContext#accountClient}). */
    long accountedBytes() {
        return accountedBytes;
    }

    /** Records {@code bytes} as this client's share of used_memory; returns the share it replaces. */
    long swapAccountedBytes(long bytes) {
        long previous = accountedBytes;
        accountedBytes = bytes;
        return previous;
    }

    // ---- Addresses

    /** The peer's "ip:port" (Redis's getClientPeerId). */
    public String address() {
        return channel == null ? "" : addressOf(channel.remoteAddress());
    }

    /** The local "ip:port" the client connected to (Redis's getClientSockname). */
    public String localAddress() {
        return channel == null ? "" : addressOf(channel.localAddress());
    }

    /** The socket's file descriptor where the transport exposes it (epoll), else -1. */
    public int fd() {
        if (channel instanceof io.netty.channel.unix.UnixChannel unix) {
            return unix.fd().intValue();
        }
        return -1;
    }

    /** Redis's anetFormatAddr: "ip:port", IPv6 addresses in brackets and in their short form. */
    static String addressOf(java.net.SocketAddress address) {
        if (address instanceof java.net.InetSocketAddress inet) {
            java.net.InetAddress ip = inet.getAddress();
            if (ip instanceof java.net.Inet6Address v6) {
                return "[" + shortIpv6(v6.getAddress()) + "]:" + inet.getPort();
            }
            return ip.getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** The RFC 5952 text of an IPv6 address (inet_ntop's): the longest run of zero groups as "::". */
    static String shortIpv6(byte[] a) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString();
    }

    /** Whether the peer is on this host (Redis's islocalClient): loopback, or no socket at all. */
    public boolean isLocal() {
        return channel == null || ServerContext.isLoopback(channel.remoteAddress());
    }
}
