package io.respire.server.replication;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The channel end of a {@link MasterLink}: hands what the primary sends, and the end of the
 * connection, to the executor, which owns the link (never blocking the I/O thread).
 */
final class MasterLinkHandler extends ChannelInboundHandlerAdapter {
    private final MasterLink link;
    private final int generation;

    MasterLinkHandler(MasterLink link, int generation) {
        this.link = link;
        this.generation = generation;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        link.executor().execute(() -> {
            try {
                link.received(generation, bytes);
            } finally {
                bytes.release();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        link.executor().execute(() -> link.closed(generation));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset connection: the link is lost as Redis's read error loses it
    }
}
