package io.respire.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run for the JVM's class data sharing archive, which {@code bin/respire-server}
 * makes once per jar (with {@code -XX:ArchiveClassesAtExit}, system property
 * {@code respire.cds.training}) and then starts every server with: the classes a start loads
 * (config file reading, Netty, the command table, logging) are then mapped from the archive
 * instead of being loaded and verified one by one, which is most of a JVM server's start.
 *
 * <p>The run starts a server the way Redis's test suite does (a config file, loopback, a unix
 * socket, the logo), sends it a few commands of each family over TCP, and shuts it down as SIGTERM
 * would. Its output is not for anyone: the launcher discards it.
 */
final class CdsTraining {
    private CdsTraining() {
    }

    /** The property that makes {@link Main} run this instead of a server. */
    static final String PROPERTY = "respire.cds.training";

    private static final String[][] COMMANDS = {
        {"PING"}, {"HELLO", "3"}, {"HELLO", "2"}, {"SELECT", "9"}, {"FLUSHALL"},
        {"SET", "k", "v"}, {"GET", "k"}, {"INCR", "n"}, {"INCRBYFLOAT", "f", "1.5"}, {"APPEND", "k", "w"},
        {"SETBIT", "b", "7", "1"}, {"BITCOUNT", "b"}, {"MSET", "a", "1", "b2", "2"}, {"MGET", "a", "b2"},
        {"EXPIRE", "k", "100"}, {"TTL", "k"}, {"DEL", "k"}, {"EXISTS", "a"}, {"SCAN", "0"}, {"KEYS", "*"},
        {"LPUSH", "l", "1", "2", "3"}, {"LRANGE", "l", "0", "-1"}, {"RPOP", "l"},
        {"HSET", "h", "f", "v"}, {"HGETALL", "h"}, {"SADD", "s", "1", "x"}, {"SMEMBERS", "s"},
        {"ZADD", "z", "1", "a", "2", "b"}, {"ZRANGE", "z", "0", "-1", "WITHSCORES"},
        {"SORT", "l"}, {"MULTI"}, {"INCR", "n"}, {"EXEC"}, {"OBJECT", "ENCODING", "h"},
        {"DEBUG", "OBJECT", "z"}, {"CONFIG", "SET", "maxmemory", "0"}, {"CONFIG", "GET", "port"},
        {"INFO"}, {"CLIENT", "LIST"}, {"CLIENT", "SETNAME", "training"}, {"COMMAND", "COUNT"},
        {"DBSIZE"}, {"FLUSHALL"},
    };

    static void run() throws Exception {
        Path dir = Files.createTempDirectory("respire-cds-");
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, String.join("\n",
                "always-show-logo yes", "daemonize no", "port 0", "bind 127.0.0.1", "loglevel verbose",
                "logfile ''", "databases 16", "save \"\"", "appendonly no", "enable-debug-command yes",
                "enable-protected-configs yes", "dir " + dir, "unixsocket " + dir.resolve("socket"), ""));
        ConfigLoader.Invocation invocation = ConfigLoader.parse(conf.toString(), "--loglevel", "verbose");
        ServerLog log = new ServerLog(ConfigLoader.load(invocation, InputStream.nullInputStream()));
        Main.logStart(log, false);
        RespireServer server = RespireServer.startProcess(ConfigLoader.load(invocation, InputStream.nullInputStream()));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (String[] command : COMMANDS) {
                out.write(encode(command));
                out.flush();
                readReply(in);
            }
        } finally {
            server.shutdown(0);
            try {
                Files.deleteIfExists(conf);
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // a leftover temporary directory must not cost the archive
            }
        }
    }

    private static byte[] encode(String[] args) {
        StringBuilder s = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            s.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one whole reply of any type (RESP2 or RESP3). */
    private static void readReply(InputStream in) throws IOException {
        String line = readLine(in);
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '$', '=', '!' -> {
                int length = Integer.parseInt(rest);
                if (length >= 0) {
                    in.readNBytes(length + 2);
                }
            }
            case '*', '~', '>' -> {
                int count = Integer.parseInt(rest);
                for (int i = 0; i < count; i++) {
                    readReply(in);
                }
            }
            case '%', '|' -> {
                int count = Integer.parseInt(rest);
                for (int i = 0; i < 2 * count; i++) {
                    readReply(in);
                }
            }
            default -> {
                // simple string, error, integer, double, null, boolean, big number: one line
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                s.append((char) b);
            }
        }
        return s.toString();
    }
}
