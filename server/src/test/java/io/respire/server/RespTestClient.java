package io.respire.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw RESP client for tests: sends commands as multibulk (or raw bytes) and reads exactly one
 * reply, either as its raw wire bytes or as a readable rendering ("OK", "(error) ERR ...",
 * "(integer) 1", "(nil)", "[a, b]" for aggregates). Knows RESP2 and RESP3.
 */
public final class RespTestClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public RespTestClient(int port) throws IOException {
        this("127.0.0.1", port);
    }

    /** A client of {@code host}: a non-loopback address of this machine tests protected mode. */
    public RespTestClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** A TCP port free on 127.0.0.1 right now (for settings that need a real port: tls-port, metrics-port). */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    public static byte[] encode(Object... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object a : args) {
            byte[] bytes = a instanceof byte[] raw ? raw : a.toString().getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(bytes);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    public void send(Object... args) throws IOException {
        out.write(encode(args));
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a command and returns the rendered reply. */
    public String call(Object... args) throws IOException {
        send(args);
        return render(readRaw());
    }

    /** Sends a command and returns the raw reply bytes. */
    public byte[] callRaw(Object... args) throws IOException {
        send(args);
        return readRaw();
    }

    /** Reads one complete reply, returning its exact bytes. */
    public byte[] readRaw() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        readValue(b);
        return b.toByteArray();
    }

    /** Reads exactly {@code n} bytes as they come (a replication stream, an RDB payload). */
    public byte[] readBytes(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new java.io.EOFException("closed after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    /** Reads one line without its CRLF. */
    public String readLine() throws IOException {
        StringBuilder s = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new java.io.EOFException("closed in the middle of a line");
            }
            if (b != '\r') {
                s.append((char) b);
            }
        }
        return s.toString();
    }

    /** Whether the server closed the connection (reads until EOF or timeout). */
    public boolean isClosedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private void readValue(ByteArrayOutputStream b) throws IOException {
        String line = readLine(b);
        char type = line.charAt(0);
        switch (type) {
            case '+', '-', ':', '_', ',', '#', '(' -> {
            }
            case '$', '=', '!' -> {
                long n = Long.parseLong(line.substring(1));
                if (n >= 0) {
                    b.writeBytes(in.readNBytes((int) n + 2));
                }
            }
            case '*', '~', '>' -> {
                long n = Long.parseLong(line.substring(1));
                for (long i = 0; i < n; i++) {
                    readValue(b);
                }
            }
            case '%', '|' -> {
                long n = Long.parseLong(line.substring(1));
                for (long i = 0; i < 2 * n; i++) {
                    readValue(b);
                }
            }
            default -> throw new IOException("bad reply type: " + line);
        }
    }

    private String readLine(ByteArrayOutputStream b) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c == -1) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        if (in.read() != '\n') {
            throw new IOException("missing LF");
        }
        b.writeBytes((sb + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return sb.toString();
    }

    /** Renders raw reply bytes readably (see the class comment). */
    public static String render(byte[] raw) {
        int[] pos = {0};
        return renderValue(raw, pos);
    }

    private static String renderValue(byte[] raw, int[] pos) {
        String line = line(raw, pos);
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '+':
                return rest;
            case '-':
                return "(error) " + rest;
            case ':':
                return "(integer) " + rest;
            case '_':
                return "(nil)";
            case ',':
                return "(double) " + rest;
            case '#':
                return rest.equals("t") ? "(true)" : "(false)";
            case '(':
                return "(bignum) " + rest;
            case '$', '=', '!': {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return "(nil)";
                }
                String s = new String(raw, pos[0], n, StandardCharsets.UTF_8);
                pos[0] += n + 2;
                return s;
            }
            default: {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return "(nil)";
                }
                int count = (type == '%' || type == '|') ? 2 * n : n;
                List<String> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(renderValue(raw, pos));
                }
                return items.toString();
            }
        }
    }

    private static String line(byte[] raw, int[] pos) {
        int start = pos[0];
        int i = start;
        while (raw[i] != '\r') {
            i++;
        }
        pos[0] = i + 2;
        return new String(raw, start, i - start, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
