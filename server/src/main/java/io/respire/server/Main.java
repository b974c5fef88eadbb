package io.respire.server;

import io.respire.server.commands.ServerInfo;
import io.respire.server.config.ConfigFileException;
import io.respire.server.config.ServerConfig;

import java.io.UncheckedIOException;

/**
 * {@code respire-server [config-file] [--name value ...] [-]}, as redis-server: a configuration
 * error stops the start with Redis's "FATAL CONFIG FILE ERROR" report and exit status 1.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config;
        try {
            ConfigLoader.Invocation invocation = ConfigLoader.parse(args);
            if (invocation.version()) {
                invocation.commandLine().printVersionHelp(System.out);
                System.exit(0);
            }
            if (invocation.help()) {
                invocation.commandLine().usage(System.err);
                System.exit(1);
            }
            config = ConfigLoader.load(invocation, System.in);
        } catch (ConfigFileException e) {
            System.err.println();
            System.err.println("*** FATAL CONFIG FILE ERROR (Respire " + ServerInfo.RESPIRE_VERSION + ") ***");
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        RespireServer server;
        try {
            server = RespireServer.start(config);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "respire-sigterm"));
        System.out.println("Respire ready to accept connections on port " + server.port());
        server.awaitTermination();
    }
}
