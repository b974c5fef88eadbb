package io.respire.server.scripting;

import io.respire.protocol.ProtocolError;
import io.respire.scripting.DebugConsole;
import io.respire.scripting.lua.LuaDebugger;
import io.respire.server.Client;
import io.respire.server.ServerContext;

import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * A SCRIPT DEBUG SYNC session (Redis's ldb with ldb.forked 0): while the debugging client's EVAL
 * runs, the whole server waits for that client, as Redis blocks in ldbRepl's read. The client's
 * requests come here instead of the dispatcher; the other clients' wait, unanswered, until the
 * session ends. Everything runs on the executor: waiting for a command serves the sockets from
 * there in short turns (never blocking the loop for good), and a disconnect or a shutdown signal
 * ends the wait.
 */
public final class DebugSession implements DebugConsole {
    /** How long one wait for the client's next command sleeps between turns over the sockets. */
    private static final long TURN_NANOS = 1_000_000;
    /** Commands kept ahead of the debugger; a client that sends more ends the script (Redis's 1 MB buffer). */
    static final int MAX_QUEUED = 1024;

    private final ServerContext server;
    private final Client client;
    private final ArrayDeque<byte[][]> input = new ArrayDeque<>();
    private boolean gone;
    private boolean overflowed;
    private LuaDebugger debugger;

    DebugSession(ServerContext server, Client client) {
        this.server = server;
        this.client = client;
    }

    public Client client() {
        return client;
    }

    LuaDebugger debugger() {
        return debugger;
    }

    void debugger(LuaDebugger debugger) {
        this.debugger = debugger;
    }

    /**
     * A request of the debugging client, decoded by the connection: a command for the debugger. One
     * its decoder refused is passed on empty, which the debugger answers as Redis's own parser
     * answers bad input ("protocol error").
     */
    public void input(Object request) {
        if (input.size() >= MAX_QUEUED) {
            overflowed = true;
            input.clear();
        } else if (request instanceof byte[][] argv) {
            input.addLast(argv);
        } else if (request instanceof ProtocolError) {
            input.addLast(new byte[0][]);
        }
    }

    /** The debugging client has disconnected: the script runs on without stopping. */
    void clientGone() {
        gone = true;
    }

    @Override
    public void send(byte[] bytes) {
        if (!gone) {
            client.writeNow(bytes);
        }
    }

    @Override
    public byte[][] next() {
        while (true) {
            if (overflowed) {
                overflowed = false;
                return BUFFER_FULL;
            }
            if (!input.isEmpty()) {
                return input.pollFirst();
            }
            // A shutdown signal ends the wait as it interrupts Redis's blocking read.
            if (gone || !connected() || server.shutdownSequence().scheduled()) {
                return null;
            }
            server.processEventsWhileBlocked();
            if (input.isEmpty() && !overflowed && !gone) {
                LockSupport.parkNanos(TURN_NANOS);
            }
        }
    }

    /**
     * Whether the client is still there. Its socket's close is seen at once, before the event that
     * tells the server, which the loop delivers as a task (and no task runs during the session).
     */
    private boolean connected() {
        return !client.closed() && (client.channel() == null || client.channel().isActive());
    }

    @Override
    public long timeLimitMs() {
        long threshold = server.config().busyReplyThreshold.value();
        return threshold > 0 ? threshold : 5000;
    }

    @Override
    public void resumed() {
        server.unfreezeTime();
        server.freezeTime();
    }
}
