package io.respire.server.persistence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MIGRATE's connections to other servers (cluster.c's migrate_cached_sockets): one blocking socket
 * per host:port, kept for reuse and closed after 10 seconds unused, at most 64 of them. Like
 * Redis, MIGRATE talks to the target synchronously on the executor, bounded by its timeout.
 */
public final class MigrationLinks {
    private static final int MAX_LINKS = 64;
    private static final long IDLE_MS = 10_000;

    /** A connection to a target and the database last selected on it (-1: unknown). */
    public static final class Link {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private long lastUseMs;
        public long lastDb = -1;

        private Link(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Sends the commands (each an array of arguments) in one write. */
        public void send(List<byte[][]> commands, int timeoutMs) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (byte[][] args : commands) {
                b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                for (byte[] a : args) {
                    b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    b.writeBytes(a);
                    b.writeBytes(new byte[] {'\r', '\n'});
                }
            }
            socket.setSoTimeout(timeoutMs);
            out.write(b.toByteArray());
            out.flush();
        }

        /** One reply line without its CRLF (connSyncReadLine); the target's replies are all one line. */
        public String readLine(int timeoutMs) throws IOException {
            socket.setSoTimeout(timeoutMs);
            StringBuilder line = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c == '\n') {
                    int n = line.length();
                    return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
                }
                if (line.length() < 1024) {
                    line.append((char) c);
                }
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private final Map<String, Link> links = new LinkedHashMap<>();

    /** The cached link to host:port, or a new one (migrateGetSocket); IOException if it cannot connect in time. */
    public Link get(String host, int port, int timeoutMs) throws IOException {
        String name = host + ":" + port;
        Link link = links.get(name);
        if (link == null) {
            if (links.size() == MAX_LINKS) {
                Iterator<Link> oldest = links.values().iterator();
                oldest.next().close();
                oldest.remove();
            }
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(host, port), timeoutMs);
                s.setTcpNoDelay(true);
            } catch (IOException e) {
                s.close();
                throw e;
            }
            link = new Link(s);
            links.put(name, link);
        }
        link.lastUseMs = System.currentTimeMillis();
        return link;
    }

    /** migrateCloseSocket: drops the link to host:port after an error. */
    public void close(String host, int port) {
        Link link = links.remove(host + ":" + port);
        if (link != null) {
            link.close();
        }
    }

    /** migrateCloseTimedoutSockets, from the cron. */
    public void closeIdle(long nowMs) {
        for (Iterator<Link> it = links.values().iterator(); it.hasNext();) {
            Link link = it.next();
            if (nowMs - link.lastUseMs > IDLE_MS) {
                link.close();
                it.remove();
            }
        }
    }

    /** INFO migrate_cached_sockets. */
    public int size() {
        return links.size();
    }

    /** Whether the exception was the timeout expiring (Redis does not retry those). */
    public static boolean isTimeout(IOException e) {
        return e instanceof SocketTimeoutException;
    }
}
