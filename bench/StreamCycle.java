import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The consumer-group cycle that redis-benchmark cannot send (it repeats one command): each
 * connection reads `pipeline` entries with XREADGROUP GROUP g c<i> COUNT 1 STREAMS bench:cycle >,
 * then acknowledges each one with XACK bench:cycle g <id>, and starts again. One thread, one
 * selector, as redis-benchmark's event loop. The stream is filled first with enough entries for
 * every cycle, so that each XREADGROUP delivers one.
 *
 * <p>Run from the project root (Java 17 runs a single source file): {@code java bench/StreamCycle.java
 * <port> <clients> <pipeline> <cycles>}. Prints "cycles/s p99_ms": cycles (one XREADGROUP and its
 * XACK) per second, and the 99th percentile of one pipeline's round trip, both commands.
 */
public final class StreamCycle {
    private static final String STREAM = "bench:cycle";

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int clients = Integer.parseInt(args[1]);
        int pipeline = Integer.parseInt(args[2]);
        long cycles = Long.parseLong(args[3]);
        fill(port, cycles + (long) clients * pipeline);
        new StreamCycle(port, clients, pipeline, cycles).run();
    }

    /** The stream and its group, with `entries` entries added in pipelined batches on one connection. */
    private static void fill(int port, long entries) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(s.getInputStream(), 1 << 16);
            out.write(command("DEL", STREAM));
            out.write(command("XGROUP", "CREATE", STREAM, "g", "$", "MKSTREAM"));
            drainReplies(in, 2);
            byte[] add = command("XADD", STREAM, "*", "f1", "v1", "f2", "v2", "f3", "v3");
            for (long done = 0; done < entries; ) {
                int batch = (int) Math.min(1000, entries - done);
                byte[] many = new byte[add.length * batch];
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(add, 0, many, i * add.length, add.length);
                }
                out.write(many);
                drainReplies(in, batch);
                done += batch;
            }
        }
    }

    /** Reads `n` replies of the fill: integers, +OK, and XADD's bulk IDs (two lines each). */
    private static void drainReplies(InputStream in, int n) throws IOException {
        for (int read = 0; read < n; read++) {
            int c = in.read();
            if (c < 0 || c == '-') {
                throw new IOException(c < 0 ? "connection closed during the fill" : "error reply during the fill");
            }
            if (c == '$') {
                skipLine(in);
            }
            skipLine(in);
        }
    }

    private static void skipLine(InputStream in) throws IOException {
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
        }
    }

    static byte[] command(String... parts) {
        StringBuilder sb = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String p : parts) {
            sb.append('$').append(p.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(p).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private final int pipeline;
    private final long cycles;
    private final Selector selector;
    private final List<Conn> conns = new ArrayList<>();
    private long done;
    private long[] latencies = new long[1 << 16];
    private int latencyCount;

    private StreamCycle(int port, int clients, int pipeline, long cycles) throws IOException {
        this.pipeline = pipeline;
        this.cycles = cycles;
        this.selector = Selector.open();
        for (int i = 0; i < clients; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.configureBlocking(false);
            Conn c = new Conn(ch, i);
            ch.register(selector, SelectionKey.OP_READ, c);
            conns.add(c);
        }
    }

    private void run() throws IOException {
        long start = System.nanoTime();
        for (Conn c : conns) {
            c.sendReads();
        }
        while (done < cycles) {
            selector.select();
            for (SelectionKey key : selector.selectedKeys()) {
                ((Conn) key.attachment()).readable();
            }
            selector.selectedKeys().clear();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        double p99 = sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6;
        System.out.printf("%.0f %.3f%n", done / seconds, p99);
        for (Conn c : conns) {
            c.channel.close();
        }
    }

    private void recordLatency(long nanos) {
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[latencyCount++] = nanos;
    }

    /** One connection: reading `pipeline` entries, then acknowledging them. */
    private final class Conn {
        final SocketChannel channel;
        final byte[] read;
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        final List<String> ids = new ArrayList<>();
        boolean acking;
        int pending;
        long sentAt;

        Conn(SocketChannel channel, int index) {
            this.channel = channel;
            this.read = command("XREADGROUP", "GROUP", "g", "c" + index, "COUNT", "1", "STREAMS", STREAM, ">");
        }

        void sendReads() throws IOException {
            if (done >= cycles) {
                return;
            }
            byte[] batch = new byte[read.length * pipeline];
            for (int i = 0; i < pipeline; i++) {
                System.arraycopy(read, 0, batch, i * read.length, read.length);
            }
            acking = false;
            pending = pipeline;
            ids.clear();
            sentAt = System.nanoTime();
            write(batch);
        }

        void sendAcks() throws IOException {
            java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
            for (String id : ids) {
                batch.writeBytes(command("XACK", STREAM, "g", id));
            }
            acking = true;
            pending = ids.size();
            write(batch.toByteArray());
        }

        private void write(byte[] bytes) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(bytes);
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }

        void readable() throws IOException {
            if (in.remaining() == 0) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            if (channel.read(in) < 0) {
                throw new IOException("server closed a connection");
            }
            in.flip();
            byte[] b = in.array();
            int pos = in.position();
            int end = in.limit();
            while (pending > 0) {
                int[] idAt = acking ? null : new int[] {-1, -1};
                int next = skip(b, pos, end, idAt, new int[1]);
                if (next < 0) {
                    break;
                }
                if (b[pos] == '-') {
                    throw new IOException("error reply: " + new String(b, pos, next - pos, StandardCharsets.UTF_8));
                }
                if (!acking) {
                    if (idAt[0] < 0) {
                        throw new IOException("XREADGROUP delivered no entry: the stream ran dry");
                    }
                    ids.add(new String(b, idAt[0], idAt[1], StandardCharsets.US_ASCII));
                }
                pos = next;
                pending--;
            }
            in.position(pos);
            in.compact();
            if (pending == 0) {
                if (acking) {
                    done += pipeline;
                    recordLatency(System.nanoTime() - sentAt);
                    sendReads();
                } else {
                    sendAcks();
                }
            }
        }
    }

    /**
     * The end of the reply starting at {@code pos}, or -1 if it is not all there. The second bulk
     * string met (an XREADGROUP reply's entry ID, after the stream's name) is noted in {@code idAt}
     * as (offset, length); {@code bulks} counts the bulk strings met so far.
     */
    private static int skip(byte[] b, int pos, int end, int[] idAt, int[] bulks) {
        int lineEnd = lineEnd(b, pos, end);
        if (lineEnd < 0) {
            return -1;
        }
        byte type = b[pos];
        int after = lineEnd + 2;
        switch (type) {
            case '+', '-', ':':
                return after;
            case '$': {
                int len = Integer.parseInt(new String(b, pos + 1, lineEnd - pos - 1, StandardCharsets.US_ASCII));
                if (len < 0) {
                    return after;
                }
                if (after + len + 2 > end) {
                    return -1;
                }
                if (idAt != null && ++bulks[0] == 2) {
                    idAt[0] = after;
                    idAt[1] = len;
                }
                return after + len + 2;
            }
            case '*': {
                int n = Integer.parseInt(new String(b, pos + 1, lineEnd - pos - 1, StandardCharsets.US_ASCII));
                int p = after;
                for (int i = 0; i < n; i++) {
                    p = skip(b, p, end, idAt, bulks);
                    if (p < 0) {
                        return -1;
                    }
                }
                return p;
            }
            default:
                throw new IllegalStateException("unexpected reply type " + (char) type);
        }
    }

    private static int lineEnd(byte[] b, int pos, int end) {
        for (int i = pos; i + 1 < end; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
