package io.respire.server;

import io.respire.server.config.ServerConfig;

/**
 * Builds a ServerConfig from redis-server style arguments: {@code [config-file] [--name value ...]}.
 * TEMPORARY minimal version: the config file reader and picocli front end come with the
 * configuration work.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static ServerConfig fromArgs(String... args) {
        ServerConfig config = new ServerConfig();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            StringBuilder value = new StringBuilder();
            while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                if (value.length() > 0) {
                    value.append(' ');
                }
                value.append(args[++i]);
            }
            try {
                config.set(name, value.toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("option '" + name + "': " + e.getMessage(), e);
            }
        }
        return config;
    }
}
