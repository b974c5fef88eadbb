package io.respire.server;

import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.util.concurrent.ThreadAwareExecutor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a long-running script or the loading of the dataset keep the server answering (Redis's
 * processEventsWhileBlocked): the event loop that runs commands is busy inside it, so the script's
 * hook or the loader asks this pump to read the sockets once, without blocking, and to run their
 * handlers right there. The other clients then get BUSY or LOADING, and SCRIPT KILL or SHUTDOWN
 * NOSAVE can reach the server. It runs none of the loop's tasks (a closed connection's
 * channelInactive is one: {@link ServerContext#processEventsWhileBlocked} frees those clients).
 *
 * <p>It wraps the transport's {@link IoHandlerFactory} to keep each event loop's I/O handler. It
 * must only run from a task of the loop, never while the loop is itself reading sockets (the
 * dispatcher runs scripts from tasks for that reason), and only on that loop's thread.
 */
final class EventPump implements IoHandlerFactory {
    /** A pass over the sockets that never waits. */
    private static final IoHandlerContext NOW = new IoHandlerContext() {
        @Override
        public boolean canBlock() {
            return false;
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return 0;
        }

        @Override
        public long deadlineNanos() {
            return -1;
        }
    };

    /** Redis's processEventsWhileBlocked runs at most four passes while there is work. */
    private static final int MAX_PASSES = 4;

    private final IoHandlerFactory transport;
    private final Map<ThreadAwareExecutor, IoHandler> handlers = new ConcurrentHashMap<>();

    EventPump(IoHandlerFactory transport) {
        this.transport = transport;
    }

    @Override
    public IoHandler newHandler(ThreadAwareExecutor executor) {
        IoHandler handler = transport.newHandler(executor);
        handlers.put(executor, handler);
        return handler;
    }

    @Override
    public boolean isChangingThreadSupported() {
        return transport.isChangingThreadSupported();
    }

    /** Serves the sockets of {@code loop} once, if it is an I/O loop of this pump and this is its thread. */
    void pump(ThreadAwareExecutor loop) {
        IoHandler handler = handlers.get(loop);
        if (handler == null || !loop.isExecutorThread(Thread.currentThread())) {
            return;
        }
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            if (handler.run(NOW) == 0) {
                return;
            }
        }
    }
}
