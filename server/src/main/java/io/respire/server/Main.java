package io.respire.server;

/** {@code respire-server [config-file] [--name value ...]}, as redis-server. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        RespireServer server;
        try {
            server = RespireServer.start(args);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("*** FATAL CONFIG FILE ERROR (Respire) ***");
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "respire-sigterm"));
        System.out.println("Respire ready to accept connections on port " + server.port());
        server.awaitTermination();
    }
}
