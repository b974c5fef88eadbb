package io.respire.conformance;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A replica's view of a server, as Redis's test suite takes it (attach_to_replication_stream):
 * a socket that sent SYNC, skipped the RDB payload and the newlines a primary sends while it
 * prepares it, and now reads the stream of commands the primary propagates.
 */
final class ReplicationLink implements AutoCloseable {
    private final String name;
    private final Socket socket;
    private final InputStream in;

    ReplicationLink(String name, int port) {
        this.name = name;
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(RespConnection.READ_TIMEOUT_MS);
            in = new BufferedInputStream(socket.getInputStream());
            socket.getOutputStream().write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
            String header;
            do {
                header = line(); // empty lines are the primary's keep-alives while it saves
            } while (header.isEmpty());
            if (!header.startsWith("$")) {
                throw new IllegalStateException(name + " answered SYNC with \"" + header + "\"");
            }
            long length = Long.parseLong(header.substring(1));
            if (length < 0) {
                throw new IllegalStateException(name + " sent a negative RDB length");
            }
            in.skipNBytes(length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot attach to the replication stream of " + name, e);
        }
    }

    /**
     * The commands propagated until {@code marker} (an argument of the command that marks the end
     * of a test's writes, excluded), each as its arguments.
     */
    List<List<String>> readUntil(String marker) {
        List<List<String>> commands = new ArrayList<>();
        try {
            while (true) {
                List<String> command = command();
                if (command.contains(marker)) {
                    return commands;
                }
                commands.add(command);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + "'s replication stream ended before the marker; read so far: "
                    + commands, e);
        }
    }

    private List<String> command() throws IOException {
        String header;
        do {
            header = line();
        } while (header.isEmpty());
        if (!header.startsWith("*")) {
            throw new IOException(name + " sent \"" + header + "\" where a command should start");
        }
        int argc = Integer.parseInt(header.substring(1));
        List<String> args = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            String bulk = line();
            int length = Integer.parseInt(bulk.substring(1));
            byte[] arg = in.readNBytes(length);
            if (arg.length < length || in.read() != '\r' || in.read() != '\n') {
                throw new EOFException(name + " ended inside a command");
            }
            args.add(new String(arg, StandardCharsets.ISO_8859_1));
        }
        return args;
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException(name + " closed the replication link");
            }
            if (b != '\r') {
                s.append((char) b);
            }
        }
        return s.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test's socket
        }
    }
}
