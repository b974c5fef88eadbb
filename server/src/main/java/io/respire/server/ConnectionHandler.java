package io.respire.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.respire.protocol.ProtocolError;
import io.respire.protocol.QueryBufferOverflow;
import io.respire.protocol.RespDecoder;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands one connection's decoded requests to the executor and its replies back to the socket.
 *
 * <p>When the executor is this connection's own event loop ({@code io-threads 1}), requests run right
 * here, as on Redis's main thread, with no hand-off. Otherwise the requests of one read are passed to
 * the executor as one batch. Either way the replies of a batch leave in one write and one flush.
 *
 * <p>Admission (maxclients, protected mode) happens when the connection opens. While the client is
 * blocked (a paused command, BLPOP...) its requests wait here in order, as they would in Redis's
 * query buffer; past {@link #HOLD_LIMIT} of them the socket is no longer read.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter implements Client.Connection {
    /** Requests held for a blocked client before reading stops. */
    private static final int HOLD_LIMIT = 1024;
    /**
     * Reply bytes of one batch past which they go to the socket before the next request runs; if
     * the socket then has more than its high watermark queued (the client does not read), the
     * following requests wait, as for a blocked client, until it drains.
     */
    private static final int FLUSH_BYTES = 1 << 20;
    /**
     * Unsent reply bytes past which a client's following requests wait (and its socket is no longer
     * read) until it drains to half of this. Redis buffers every reply of a normal client, and
     * clients may write a whole pipeline before reading any reply: Redis's suite pipelines a
     * million commands (9 MB of replies) that way, and Jedis pipelines do. Below this bound
     * nothing waits, so such clients work as with Redis, and their replies count in used_memory
     * (maxmemory evicts for them as Redis does); above it a client that never reads holds no more.
     */
    private static final WriteBufferWaterMark BACKLOG = new WriteBufferWaterMark(16 << 20, 32 << 20);

    static final String MAX_CLIENTS = "-ERR max number of clients reached\r\n";
    static final String PROTECTED_MODE = "-DENIED Redis is running in protected mode because protected "
            + "mode is enabled and no password is set for the default user. "
            + "In this mode connections are only accepted from the loopback interface. "
            + "If you want to connect from external computers to Redis you "
            + "may adopt one of the following solutions: "
            + "1) Just disable protected mode sending the command "
            + "'CONFIG SET protected-mode no' from the loopback interface "
            + "by connecting to Redis from the same host the server is "
            + "running, however MAKE SURE Redis is not publicly accessible "
            + "from internet if you do so. Use CONFIG REWRITE to make this "
            + "change permanent. "
            + "2) Alternatively you can just disable the protected mode by "
            + "editing the Redis configuration file, and setting the protected "
            + "mode option to 'no', and then restarting the server. "
            + "3) If you started the server manually just for testing, restart "
            + "it with the '--protected-mode no' option. "
            + "4) Setup a an authentication password for the default user. "
            + "NOTE: You only need to do one of the above things in order for "
            + "the server to start accepting connections from the outside.\r\n";

    private final ServerContext server;
    private final CommandDispatcher dispatcher;
    private ChannelHandlerContext ctx;
    private Client client;
    private boolean inline;
    private List<Object> pending = new ArrayList<>();
    /** Requests waiting for a blocked client, oldest first (executor thread). */
    private final ArrayDeque<Object> held = new ArrayDeque<>(0);
    /** Whether reading stopped because too many requests are held (read by the I/O thread). */
    private volatile boolean holdingFull;
    /** Whether this connection is in {@link PendingWrites} (executor thread). */
    boolean writePending;

    ConnectionHandler(ServerContext server, CommandDispatcher dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
    }

    /**
     * Why a new connection is refused, as the raw error Redis writes before closing it, or null to
     * accept it: the maxclients limit (acceptCommonHandler), then protected mode (clientAcceptHandler:
     * no password and a peer that is not on the loopback interface).
     */
    static String refusal(ServerContext server, SocketAddress peer) {
        if (server.clients().size() >= server.config().maxclients.value()) {
            return MAX_CLIENTS;
        }
        if (server.config().protectedMode.value() && server.acl().defaultUser().nopass()
                && !ServerContext.isLoopback(peer)) {
            return PROTECTED_MODE;
        }
        return null;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().config().setWriteBufferWaterMark(BACKLOG);
        inline = server.executor().inEventLoop();
        onExecutor(() -> {
            String refused = refusal(server, ctx.channel().remoteAddress());
            if (refused != null) {
                server.stats().rejectedConnections++;
                ByteBuf err = ctx.alloc().buffer().writeBytes(refused.getBytes(StandardCharsets.US_ASCII));
                ctx.writeAndFlush(err).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            client = server.connect(ctx.channel(), this);
        });
        if (inline) {
            // Fires on the loop as the socket closes, where channelInactive waits for the loop's
            // tasks: the pump of a blocked executor frees the client from this.
            ctx.channel().closeFuture().addListener(f -> server.connectionClosed(this));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object request) {
        // Counted before the request runs, as Redis counts a read before processing it (INFO sees its own bytes).
        long received = takeBytesReceived(ctx);
        if (inline) {
            server.stats().netInputBytes += received;
            handle(request);
        } else {
            pendingBytes += received;
            pending.add(request);
        }
    }

    /** The connection's RESP decoder, which counts the bytes received; null in a pipeline without one. */
    private RespDecoder decoder;
    /** Bytes received with the requests in {@link #pending}, for the executor to count. */
    private long pendingBytes;

    private long takeBytesReceived(ChannelHandlerContext ctx) {
        if (decoder == null) {
            decoder = ctx.pipeline().get(RespDecoder.class);
        }
        return decoder == null ? 0 : decoder.takeBytesReceived();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (inline) {
            server.stats().totalReadsProcessed++;
            server.stats().netInputBytes += takeBytesReceived(ctx);
            server.pendingWrites().add(this);
        } else if (!pending.isEmpty()) {
            List<Object> batch = pending;
            pending = new ArrayList<>();
            long received = pendingBytes + takeBytesReceived(ctx); // on this I/O thread, which counts them
            pendingBytes = 0;
            server.executor().execute(() -> {
                server.stats().totalReadsProcessed++;
                server.stats().netInputBytes += received;
                for (Object request : batch) {
                    handle(request);
                }
                flush();
            });
        }
    }

    private void handle(Object request) {
        if (client == null || client.closed() || client.closingAfterReply() || client.closingForOutputLimit()) {
            return; // refused at connect, killed, QUIT/protocol error or output limit already seen: ignore the rest
        }
        if (request instanceof QueryBufferOverflow overflow) {
            closeForQueryBuffer(overflow); // at once, even when blocked: its input is what overflowed
            return;
        }
        io.respire.server.scripting.DebugSession debugging = server.scripting().debugSession();
        if (debugging != null) {
            // A Lua debugger session holds the server: its client talks to the debugger, the others wait.
            if (debugging.client() == client) {
                debugging.input(request);
            } else {
                hold(request);
            }
            return;
        }
        if (client.blocked() || client.isProtected() || !held.isEmpty() || outputBacklogged()) {
            hold(request);
            return;
        }
        run(request, inline);
    }

    /**
     * Back-pressure on replies: whether the client's unsent replies are past {@link #BACKLOG}'s high
     * watermark, after handing a large batch output to the socket. A client that pipelines
     * requests for big replies without reading them then holds at most about that plus FLUSH_BYTES,
     * where Redis would buffer every reply (the normal class has no output limit by default).
     * Nothing is reordered or dropped: the requests run once the client reads.
     */
    private boolean outputBacklogged() {
        if (client.bufferedReplyBytes() >= FLUSH_BYTES) {
            flush();
        }
        return !ctx.channel().isWritable();
    }

    /**
     * Runs one request; false if it did not run and waits again: the client got blocked first, or
     * the request must run outside the reading of the socket ({@code insideIo}: the event loop is
     * reading sockets right now), as a script does, which may itself read other sockets.
     */
    private boolean run(Object request, boolean insideIo) {
        if (client.replyTarget() == null) {
            client.replyTarget(ctx.alloc().ioBuffer(256));
        }
        if (request instanceof byte[][] argv) {
            switch (dispatcher.process(client, argv, insideIo)) {
                case DONE -> {
                }
                case WAIT -> {
                    held.addFirst(request);
                    return false;
                }
                case RUN_OUTSIDE_IO -> {
                    held.addFirst(request);
                    resume();
                    return false;
                }
            }
        } else if (request instanceof ProtocolError error) {
            client.reply().error("ERR " + error.message());
            client.closeAfterReply();
        }
        return true;
    }

    /** Redis's readQueryFromClient past client-query-buffer-limit: a log line, then the client is freed. */
    private void closeForQueryBuffer(QueryBufferOverflow overflow) {
        StringBuilder line = new StringBuilder("Closing client that reached max query buffer length: ")
                .append(io.respire.server.commands.ClientInfo.line(client, null)).append(" (qbuf initial bytes: ");
        io.respire.protocol.InlineSplitter.repr(line, overflow.initialBytes(), 0, overflow.initialBytes().length);
        server.log().warning(line.append(')').toString());
        client.close();
    }

    private void hold(Object request) {
        held.addLast(request);
        if (held.size() >= HOLD_LIMIT && !holdingFull) {
            holdingFull = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Runs the held requests once the client is unblocked; scheduled, so never re-entrant. */
    @Override
    public void resume() {
        server.executor().execute(() -> {
            while (client != null && !client.closed() && !client.closingAfterReply() && !client.closingForOutputLimit()
                    && !client.blocked() && !client.isProtected() && !held.isEmpty() && !outputBacklogged()) {
                if (!run(held.pollFirst(), false)) {
                    break;
                }
            }
            if (holdingFull && held.size() < HOLD_LIMIT / 2) {
                holdingFull = false;
                ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            }
            flush();
        });
    }

    /** Output outside a batch (a reply to another client, a late reply): flushed after this task. */
    @Override
    public void beginOutput(Client c) {
        c.replyTarget(ctx.alloc().ioBuffer(256));
        server.pendingWrites().add(this);
    }

    /** Sends what was written since the last flush; runs on the executor. */
    void flush() {
        if (client == null || client == server.scripting().caller()) {
            // The client's script is still running (serving the sockets meanwhile, or stopped in the
            // debugger): its output stays, and the script's reply goes after it when it ends.
            return;
        }
        ByteBuf out = client.replyTarget();
        if (out != null) {
            client.replyTarget(null);
            // The AOF is written before replies leave; with appendfsync always they wait for its fsync.
            if (!out.isReadable() || !server.aof().holdsReplies(() -> send(out))) {
                send(out);
            }
        }
        server.accountClient(client); // the query buffer moved even when no reply did
    }

    /** Writes a batch of replies to the socket, unless the client is gone or over its limits. */
    private void send(ByteBuf out) {
        if (client.closed() || client.closingForOutputLimit()) {
            out.release(); // a client over its limit gets nothing more; its close is scheduled
        } else if (out.isReadable() && client.outputBufferLimitReached(pendingOutputBytes() + out.readableBytes())) {
            out.release();
            closeForOutputLimit(client, true);
        } else if (out.isReadable()) {
            if (client.replicaLink()) {
                server.stats().netReplOutputBytes += out.readableBytes();
            } else {
                server.stats().netOutputBytes += out.readableBytes();
            }
            server.stats().totalWritesProcessed++;
            if (client.closingAfterReply()) {
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(out, ctx.voidPromise());
            }
        } else {
            out.release();
            if (client.closingAfterReply()) {
                ctx.close();
            }
        }
        server.accountClient(client);
    }

    /**
     * Redis's closeClientOnOutputBufferLimitReached: a client whose unsent replies grew past
     * client-output-buffer-limit (a subscriber that does not read) is closed, replies dropped.
     */
    static void closeForOutputLimit(Client c, boolean whileReplying) {
        // Redis's line names the client as CLIENT LIST does; closed while a reply was added to its
        // buffer (a PUBLISH), it says "scheduled to be closed ASAP", from the cron "closed".
        String info = io.respire.server.commands.ClientInfo.line(c, null);
        c.server().log().warning("Client " + info + (whileReplying ? " scheduled to be closed ASAP" : " closed")
                + " for overcoming of output buffer limits.");
        c.close();
    }

    /** Closes the connection now (CLIENT KILL, timeout); the client is already forgotten. */
    @Override
    public void close() {
        ctx.close();
    }

    @Override
    public long pendingOutputBytes() {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Back-pressure: a client that does not read its replies stops being read, so its replies
        // cannot pile up without bound; once it reads again, the requests held meanwhile run.
        ctx.channel().config().setAutoRead(ctx.channel().isWritable() && !holdingFull);
        if (ctx.channel().isWritable()) {
            onExecutor(() -> {
                if (client != null) {
                    server.accountClient(client); // the socket drained what was pending
                }
                if (!held.isEmpty()) {
                    resume();
                }
            });
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        onExecutor(this::free);
        ctx.fireChannelInactive();
    }

    /**
     * Frees the client of the closed connection while the executor is blocked (a load, a long
     * script), unless it is protected (a script's or DEBUG RELOAD's caller, still in its command),
     * as Redis's freeClientsInAsyncFreeQueue skips protected clients: channelInactive frees that
     * one once the executor runs its tasks again.
     */
    void freeUnlessProtected() {
        if (client != null && !client.isProtected()) {
            free();
        }
    }

    /** Forgets the client of the closed connection; safe to call twice (the pump, then channelInactive). */
    private void free() {
        if (client != null) {
            server.disconnect(client);
            held.clear();
            ByteBuf out = client.replyTarget();
            if (out != null) {
                client.replyTarget(null);
                out.release();
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // connection reset and the like: Redis just frees the client
    }

    private void onExecutor(Runnable task) {
        if (inline) {
            task.run();
        } else {
            server.executor().execute(task);
        }
    }

    /** Whether the connection may skip authentication limits in the decoder (read from I/O threads). */
    boolean authRequired() {
        Client c = client;
        return c == null ? server.acl().authRequired() : c.authRequired();
    }
}
