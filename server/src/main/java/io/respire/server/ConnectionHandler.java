package io.respire.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.respire.protocol.ProtocolError;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands one connection's decoded requests to the executor and its replies back to the socket.
 *
 * <p>When the executor is this connection's own event loop ({@code io-threads 1}), requests run right
 * here, as on Redis's main thread, with no hand-off. Otherwise the requests of one read are passed to
 * the executor as one batch. Either way the replies of a batch leave in one write and one flush.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private final ServerContext server;
    private final CommandDispatcher dispatcher;
    private Client client;
    private boolean inline;
    private List<Object> pending = new ArrayList<>();

    ConnectionHandler(ServerContext server, CommandDispatcher dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        inline = server.executor().inEventLoop();
        onExecutor(() -> {
            if (server.clients().size() >= server.config().maxclients.value()) {
                server.stats().rejectedConnections++;
                ByteBuf err = ctx.alloc().buffer().writeBytes("-ERR max number of clients reached\r\n".getBytes());
                ctx.writeAndFlush(err).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            client = server.connect(ctx.channel());
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object request) {
        if (inline) {
            handle(ctx, request);
        } else {
            pending.add(request);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (inline) {
            flush(ctx);
        } else if (!pending.isEmpty()) {
            List<Object> batch = pending;
            pending = new ArrayList<>();
            server.executor().execute(() -> {
                for (Object request : batch) {
                    handle(ctx, request);
                }
                flush(ctx);
            });
        }
    }

    private void handle(ChannelHandlerContext ctx, Object request) {
        if (client == null || client.closingAfterReply()) {
            return; // rejected at connect, or QUIT/protocol error already seen: ignore the rest
        }
        if (client.replyTarget() == null) {
            client.replyTarget(ctx.alloc().ioBuffer(256));
        }
        if (request instanceof byte[][] argv) {
            dispatcher.process(client, argv);
        } else if (request instanceof ProtocolError error) {
            client.reply().error("ERR " + error.message());
            client.closeAfterReply();
        }
    }

    /** Sends what the batch wrote; runs on the executor. */
    private void flush(ChannelHandlerContext ctx) {
        if (client == null) {
            return;
        }
        ByteBuf out = client.replyTarget();
        client.replyTarget(null);
        if (out != null && out.isReadable()) {
            server.stats().netOutputBytes += out.readableBytes();
            if (client.closingAfterReply()) {
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(out, ctx.voidPromise());
            }
        } else {
            if (out != null) {
                out.release();
            }
            if (client.closingAfterReply()) {
                ctx.close();
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Back-pressure: a client that does not read its replies stops being read, so its replies
        // cannot pile up without bound.
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        onExecutor(() -> {
            if (client != null) {
                server.disconnect(client);
                ByteBuf out = client.replyTarget();
                if (out != null) {
                    client.replyTarget(null);
                    out.release();
                }
            }
        });
        ctx.fireChannelInactive();
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
        return c == null ? server.config().authRequired() : c.authRequired();
    }
}
