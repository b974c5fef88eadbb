package io.respire.server.commands;

import io.respire.server.Client;

/**
 * One client's line in CLIENT LIST and CLIENT INFO (Redis's catClientInfoString), with Redis's
 * fields in Redis's order. The query buffer is the connection's own (qbuf its bytes, qbuf-free its
 * room, kept as Redis keeps it); argv-mem is the arguments of the command running, or of a request
 * still arriving; the reply buffer is the current batch's buffer, and omem is what the socket has
 * not taken yet.
 */
public final class ClientInfo {
    /** What Redis's client struct and its small buffers cost, for the tot-mem estimate. */
    private static final long CLIENT_OVERHEAD = 1024;

    private ClientInfo() {
    }

    /** The line describing {@code subject}, as seen while {@code caller} runs a command. */
    public static String line(Client subject, Client caller) {
        long nowSeconds = subject.server().nowMs() / 1000;
        boolean running = subject == caller;
        long qbuf = subject.queryBufferBytes();
        long qbufFree = subject.queryBufferFree();
        long argvMem = running ? argumentBytes(subject.argv()) : subject.partialArgumentBytes();
        long multiMem = subject.multiMemory();
        long obl = subject.bufferedReplyBytes();
        long rbs = subject.replyBufferSize();
        long omem = subject.pendingOutputBytes();
        long totMem = CLIENT_OVERHEAD + qbuf + qbufFree + argvMem + rbs + omem + subject.stateBytes();
        // One StringBuilder, not a 50-part string concatenation: linking that (invokedynamic)
        // cost the first CLIENT LIST a few hundred milliseconds, a latency spike of its own.
        StringBuilder line = new StringBuilder(256);
        line.append("id=").append(subject.id());
        line.append(" addr=").append(subject.address());
        line.append(" laddr=").append(subject.localAddress());
        line.append(" fd=").append(subject.fd());
        line.append(" name=").append(subject.name() == null ? "" : subject.name());
        line.append(" age=").append(nowSeconds - subject.createdMs() / 1000);
        line.append(" idle=").append(nowSeconds - subject.lastInteractionMs() / 1000);
        line.append(" flags=").append(flags(subject));
        line.append(" db=").append(subject.dbIndex());
        line.append(" sub=").append(subject.subscribedChannels());
        line.append(" psub=").append(subject.subscribedPatterns());
        line.append(" ssub=").append(subject.subscribedShardChannels());
        line.append(" multi=").append(subject.multiQueued());
        line.append(" qbuf=").append(qbuf);
        line.append(" qbuf-free=").append(qbufFree);
        line.append(" argv-mem=").append(argvMem);
        line.append(" multi-mem=").append(multiMem);
        line.append(" rbs=").append(rbs);
        line.append(" rbp=").append(obl);
        line.append(" obl=").append(obl);
        line.append(" oll=0");
        line.append(" omem=").append(omem);
        line.append(" tot-mem=").append(totMem);
        line.append(" events=").append(omem > 0 ? "rw" : "r");
        line.append(" cmd=").append(subject.lastCommand() == null ? "NULL" : subject.lastCommand().fullName());
        line.append(" user=").append(subject.user().name());
        line.append(" redir=").append(subject.tracking() == null ? -1 : subject.tracking().redirect());
        line.append(" resp=").append(subject.protocol());
        return line.toString();
    }

    /** Redis's flag letters, in Redis's order; N when none applies. */
    private static String flags(Client c) {
        StringBuilder f = new StringBuilder();
        if (c.monitor()) {
            f.append('O');
        } else if (c.type().equals("slave")) {
            f.append('S');
        }
        if (c.master()) {
            f.append('M');
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
        if (c.tracking() != null) {
            f.append('t');
            if (c.tracking().brokenRedirect()) {
                f.append('R');
            }
            if (c.tracking().bcast()) {
                f.append('B');
            }
        }
        if (c.closingAfterReply()) {
            f.append('c');
        }
        if (c.noEvict()) {
            f.append('e');
        }
        return f.length() == 0 ? "N" : f.toString();
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
}
