package io.respire.scripting.lib;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts a private redis-server on a free loopback port for differential tests, and talks to it
 * with a minimal RESP2 client. Only the process started here is ever stopped.
 */
final class RedisTestServer implements AutoCloseable {

    /** A RESP error reply. */
    record ErrorReply(String message) {
    }

    private final Process process;
    private final Path dir;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RedisTestServer(Process process, Path dir, Socket socket) throws IOException {
        this.process = process;
        this.dir = dir;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** The redis-server binary: $REDIS_SERVER, else the first redis-server on PATH or in /usr/bin. */
    static Optional<Path> findBinary() {
        String configured = System.getenv("REDIS_SERVER");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/bin");
        dirs.add("/usr/local/bin");
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, "redis-server"))
                .filter(Files::isExecutable).findFirst();
    }

    /** Starts redis-server with persistence off, retrying on a fresh port if one was taken. */
    static RedisTestServer start(Path binary) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return startOnce(binary, freePort());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static RedisTestServer startOnce(Path binary, int port) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("respire-lualibs-redis");
        ProcessBuilder pb = new ProcessBuilder(binary.toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString());
        // The C locale makes strcoll (table.sort on strings) compare bytes, as LuaJ does.
        pb.environment().put("LC_ALL", "C");
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile());
        Process process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue()
                        + ": " + Files.readString(dir.resolve("stdout.log")));
            }
            try {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                socket.setSoTimeout(30_000);
                RedisTestServer server = new RedisTestServer(process, dir, socket);
                if ("PONG".equals(server.command("PING"))) {
                    return server;
                }
                server.close();
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroy();
        throw new IOException("redis-server did not answer on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** EVAL script 0: the reply (byte[] bulk, String status, Long, List, ErrorReply or null). */
    Object eval(byte[] script) throws IOException {
        return command("EVAL".getBytes(StandardCharsets.US_ASCII), script, "0".getBytes(StandardCharsets.US_ASCII));
    }

    Object command(String... args) throws IOException {
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            raw[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return command(raw);
    }

    Object command(byte[]... args) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] arg : args) {
            req.write(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            req.write(arg);
            req.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(req.toByteArray());
        out.flush();
        return readReply();
    }

    private Object readReply() throws IOException {
        int type = in.read();
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new ErrorReply(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(len);
                readLine();
                return data;
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(readReply());
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type " + type);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new EOFException();
            }
            line.write(c);
        }
        in.read();
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
