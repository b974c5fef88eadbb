package io.respire.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real redis-server child process, the reference the differential tests compare against:
 * loopback only, no persistence, DEBUG enabled, running in its own temporary directory, stopped
 * (SIGTERM, then SIGKILL) by {@link #close()} or when the JVM exits.
 */
final class RedisServerProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;
    private final Thread reaper;

    private RedisServerProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.reaper = new Thread(process::destroyForcibly, "redis-server-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    int port() {
        return port;
    }

    /** The process id, which is also its main thread's id. */
    long pid() {
        return process.pid();
    }

    /** Starts {@code binary} on a free port and waits until it answers PING. */
    static RedisServerProcess start(Path binary) {
        return start(binary, null, List.of());
    }

    /**
     * As {@link #start(Path)}, in {@code dataDir} (which it deletes when closed) if not null: a
     * dump.rdb there is loaded at start.
     */
    static RedisServerProcess start(Path binary, Path dataDir) {
        return start(binary, dataDir, List.of());
    }

    /** As {@link #start(Path)}, with {@code extra} arguments after the usual ones (--replicaof...). */
    static RedisServerProcess start(Path binary, List<String> extra) {
        return start(binary, null, extra);
    }

    /** As {@link #start(Path, Path)}, with {@code extra} arguments after the usual ones (--appendonly yes...). */
    static RedisServerProcess start(Path binary, Path dataDir, List<String> extra) {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // the free port may be taken before redis binds it
            Path dir = dataDir;
            try {
                dir = dir != null ? dir : Files.createTempDirectory("respire-diff-redis");
                int port = freePort();
                List<String> command = new java.util.ArrayList<>(List.of(binary.toString(),
                        "--port", String.valueOf(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no", "--enable-debug-command", "yes",
                        "--daemonize", "no", "--dir", dir.toString(), "--logfile", ""));
                command.addAll(extra);
                Process p = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile())
                        .start();
                RedisServerProcess server = new RedisServerProcess(p, dir, port);
                if (server.awaitPong()) {
                    return server;
                }
                server.close();
                last = new IOException("redis-server did not answer PING on port " + port);
            } catch (IOException e) {
                last = e;
                if (dataDir == null) {
                    deleteTree(dir);
                }
            }
        }
        throw new UncheckedIOException("cannot start " + binary, last);
    }

    private boolean awaitPong() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (RespConnection c = new RespConnection("redis", port)) {
                if (c.call("PING").text().equals("PONG")) {
                    return true;
                }
            } catch (UncheckedIOException notYet) {
                sleep(20);
            }
        }
        return false;
    }

    /** The server's log, for failure messages when it died. */
    String log() {
        try {
            return Files.readString(dir.resolve("redis.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: the process is being stopped anyway
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
