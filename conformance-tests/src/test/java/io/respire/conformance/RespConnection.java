package io.respire.conformance;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A raw socket to one server (Redis or Respire): writes requests as multibulk or as arbitrary
 * bytes and reads replies one at a time as {@link RespReply}. Deliberately not a real client
 * library, so that nothing between the test and the wire normalises what the server sent.
 */
final class RespConnection implements AutoCloseable {
    static final int READ_TIMEOUT_MS = 5_000;

    private final String name;
    private final int port;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final RespReply.Source source;

    RespConnection(String name, int port) {
        this.name = name;
        this.port = port;
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + name + " on port " + port, e);
        }
        source = new RespReply.Source() {
            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public byte[] readN(int n) throws IOException {
                byte[] bytes = in.readNBytes(n);
                if (bytes.length < n) {
                    throw new EOFException("connection closed in the middle of a bulk payload");
                }
                return bytes;
            }
        };
    }

    int port() {
        return port;
    }

    /**
     * A connection to {@code server}, a process starting to listen on {@code port}, once it answers
     * PING; fails if the process exits first or nothing answers within {@code timeoutMs}.
     */
    static RespConnection awaitServer(String name, int port, Process server, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError(name + " exited with " + server.exitValue() + " before answering on port " + port);
            }
            try {
                RespConnection c = new RespConnection(name, port);
                if (c.call("PING").text().equals("PONG")) {
                    return c;
                }
                c.close();
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " did not answer on port " + port + " within " + timeoutMs + " ms");
    }

    /** The multibulk encoding of a command; arguments may be byte[], String or numbers. */
    static byte[] encode(Object... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object a : args) {
            byte[] bytes = bytes(a);
            b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(bytes);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    static byte[] bytes(Object arg) {
        return arg instanceof byte[] raw ? raw : String.valueOf(arg).getBytes(StandardCharsets.UTF_8);
    }

    /** The command as one would type it, for failure messages. */
    static String describe(Object... args) {
        StringBuilder sb = new StringBuilder();
        for (Object a : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            String text = RespReply.escape(bytes(a));
            boolean plain = !text.isEmpty() && text.chars().noneMatch(ch -> ch == ' ' || ch == '\\' || ch == '"' || ch == '\'');
            sb.append(plain ? text : '"' + text + '"');
        }
        return sb.length() > 200 ? sb.substring(0, 200) + "... (" + sb.length() + " chars)" : sb.toString();
    }

    void send(Object... args) {
        sendRaw(encode(args));
    }

    void sendAll(List<Object[]> commands) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Object[] command : commands) {
            b.writeBytes(encode(command));
        }
        sendRaw(b.toByteArray());
    }

    void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": write failed", e);
        }
    }

    /** Reads the next reply; fails (with the server's name) on timeout or a closed connection. */
    RespReply read() {
        try {
            return RespReply.read(source);
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException(name + ": no reply within " + READ_TIMEOUT_MS + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }

    RespReply call(Object... args) {
        send(args);
        return read();
    }

    /**
     * Whether the server has closed the connection: probes with a PING, which an open connection
     * answers at once and a closed one answers with end of stream (or a reset). Only meaningful
     * when the server is not waiting for the rest of a request.
     */
    boolean closedByServer() {
        try {
            out.write(encode("PING"));
            out.flush();
            int first = in.read();
            if (first == -1) {
                return true;
            }
            RespReply.read(new RespReply.Source() { // the rest of the PONG, unread
                private boolean pending = true;

                @Override
                public int read() throws IOException {
                    if (pending) {
                        pending = false;
                        return first;
                    }
                    return in.read();
                }

                @Override
                public byte[] readN(int n) throws IOException {
                    return source.readN(n);
                }
            });
            return false;
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException(name + ": connection neither closed nor answering PING within "
                    + READ_TIMEOUT_MS + " ms", e);
        } catch (IOException e) {
            return true; // broken pipe or reset by peer: closed
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket: nothing to do about a failure
        }
    }
}
