package io.respire.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An embedded server for a test: a free port, loopback only, its files in {@code dir}. */
public final class LocalServer {
    private LocalServer() {
    }

    /** Starts one with {@code extra} arguments after the common ones (as redis-server takes them). */
    public static RespireServer start(Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--bind", "127.0.0.1", "--dir", dir.toString()));
        args.addAll(List.of(extra));
        return RespireServer.start(args.toArray(String[]::new));
    }
}
