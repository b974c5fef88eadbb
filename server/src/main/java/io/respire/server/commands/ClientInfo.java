package io.respire.server.commands;

import io.respire.server.Client;

/**
 * One client's line in CLIENT LIST and CLIENT INFO (Redis's catClientInfoString), with Redis's
 * fields in Redis's order. Figures of Redis's own memory layout are estimated from ours: the query
 * buffer is the current request's size in the protocol (requests are decoded as they arrive, so
 * only the one running is still "buffered"), the reply buffer is the current batch's buffer, and
 * omem is what the socket has not taken yet.
 */
final class ClientInfo {
    /** What Redis's client struct and its small buffers cost, for the tot-mem estimate. */
    private static final long CLIENT_OVERHEAD = 1024;

    private ClientInfo() {
    }

    /** The line describing {@code subject}, as seen while {@code caller} runs a command. */
    static String line(Client subject, Client caller) {
        long nowSeconds = subject.server().nowMs() / 1000;
        boolean running = subject == caller;
        long qbuf = running ? requestSize(subject.argv()) : 0;
        long argvMem = running ? argumentBytes(subject.argv()) : 0;
        long obl = subject.bufferedReplyBytes();
        long rbs = subject.replyBufferSize();
        long omem = subject.pendingOutputBytes();
        long totMem = CLIENT_OVERHEAD + qbuf + argvMem + rbs + omem;
        return "id=" + subject.id()
                + " addr=" + subject.address()
                + " laddr=" + subject.localAddress()
                + " fd=" + subject.fd()
                + " name=" + (subject.name() == null ? "" : subject.name())
                + " age=" + (nowSeconds - subject.createdMs() / 1000)
                + " idle=" + (nowSeconds - subject.lastInteractionMs() / 1000)
                + " flags=" + flags(subject)
                + " db=" + subject.dbIndex()
                + " sub=" + subject.subscribedChannels()
                + " psub=" + subject.subscribedPatterns()
                + " ssub=" + subject.subscribedShardChannels()
                + " multi=" + subject.multiQueued()
                + " qbuf=" + qbuf
                + " qbuf-free=0"
                + " argv-mem=" + argvMem
                + " multi-mem=0"
                + " rbs=" + rbs
                + " rbp=" + obl
                + " obl=" + obl
                + " oll=0"
                + " omem=" + omem
                + " tot-mem=" + totMem
                + " events=" + (omem > 0 ? "rw" : "r")
                + " cmd=" + (subject.lastCommand() == null ? "NULL" : subject.lastCommand().fullName())
                + " user=" + subject.user()
                + " redir=-1"
                + " resp=" + subject.protocol();
    }

    /** Redis's flag letters, in Redis's order; N when none applies. */
    private static String flags(Client c) {
        StringBuilder f = new StringBuilder();
        if (c.monitor()) {
            f.append('O');
        } else if (c.type().equals("slave")) {
            f.append('S');
        }
        if (c.type().equals("pubsub")) {
            f.append('P');
        }
        if (c.multiQueued() >= 0) {
            f.append('x');
        }
        if (c.blocked()) {
            f.append('b');
        }
        if (c.closingAfterReply()) {
            f.append('c');
        }
        if (c.noEvict()) {
            f.append('e');
        }
        return f.length() == 0 ? "N" : f.toString();
    }

    /** The request's size as a multibulk: "*n\r\n" and "$len\r\n...\r\n" per argument. */
    private static long requestSize(byte[][] argv) {
        if (argv == null) {
            return 0;
        }
        long size = 3 + digits(argv.length);
        for (byte[] arg : argv) {
            size += 5 + digits(arg.length) + arg.length;
        }
        return size;
    }

    private static long argumentBytes(byte[][] argv) {
        long sum = 0;
        if (argv != null) {
            for (byte[] arg : argv) {
                sum += arg.length;
            }
        }
        return sum;
    }

    private static int digits(long n) {
        return Long.toString(n).length();
    }
}
