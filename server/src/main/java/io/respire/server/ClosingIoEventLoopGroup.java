package io.respire.server;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Event loops that close their channels whenever they stop. Netty 4.2's loop closes them (its
 * {@code IoHandler.prepareToDestroy}) only when it sees the shutdown right after a pass over the
 * sockets; a shutdown that begins while it runs tasks (the cron task that finishes a SHUTDOWN, a
 * batch of requests) ends the loop with them open, and destroying the loop closes only its own
 * descriptors. The connections' sockets then stayed open: a client in the same JVM (an embedding
 * test) never saw its connection end.
 */
class ClosingIoEventLoopGroup extends MultiThreadIoEventLoopGroup {
    ClosingIoEventLoopGroup(int threads, ThreadFactory threadFactory, IoHandlerFactory handlers) {
        super(threads, threadFactory, handlers);
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory handlers, Object... args) {
        return new Loop(this, executor, handlers);
    }

    private static final class Loop extends SingleThreadIoEventLoop {
        Loop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory handlers) {
            super(parent, executor, handlers);
        }

        @Override
        protected void run() {
            super.run();
            // run() also returns when the loop may suspend (not shutting down): its channels stay.
            if (isShuttingDown()) {
                ioHandler().prepareToDestroy(); // closes what is still registered; the rest is gone already
            }
        }
    }
}
