package io.respire.server.config;

import io.respire.server.config.ConfigOption.Flag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting the server knows, by Redis's names: the one place CONFIG GET/SET, the config file
 * and the command line read and write. Fields give the server typed access to the values.
 */
public final class ServerConfig {
    private final Map<String, ConfigOption> byName = new LinkedHashMap<>();
    private final List<ConfigOption> options = new ArrayList<>();

    // Network
    public final Options.Number port = add(new Options.Number("port", 0, 65535, 6379, false, Flag.IMMUTABLE));
    public final Options.Text bind = add(new Options.Text("bind", "127.0.0.1 -::1", Flag.IMMUTABLE));
    public final Options.Bool protectedMode = add(new Options.Bool("protected-mode", true));
    public final Options.Number tcpBacklog = add(new Options.Number("tcp-backlog", 0, Integer.MAX_VALUE, 511, false, Flag.IMMUTABLE));
    public final Options.Number timeout = add(new Options.Number("timeout", 0, Integer.MAX_VALUE, 0, false));
    public final Options.Number tcpKeepalive = add(new Options.Number("tcp-keepalive", 0, Integer.MAX_VALUE, 300, false));
    public final Options.Number maxclients = add(new Options.Number("maxclients", 1, Integer.MAX_VALUE, 10000, false));
    public final Options.Number ioThreads = add(new Options.Number("io-threads", 1, 128, 1, false, Flag.IMMUTABLE));

    // Limits
    public final Options.Number protoMaxBulkLen = add(new Options.Number("proto-max-bulk-len", 1024 * 1024, Long.MAX_VALUE, 512L * 1024 * 1024, true));
    public final Options.Number clientQueryBufferLimit = add(new Options.Number("client-query-buffer-limit", 1024 * 1024, Long.MAX_VALUE, 1024L * 1024 * 1024, true));
    public final Options.Number maxmemory = add(new Options.Number("maxmemory", 0, Long.MAX_VALUE, 0, true));

    // General
    public final Options.Number databases = add(new Options.Number("databases", 1, Integer.MAX_VALUE, 16, false, Flag.IMMUTABLE));
    public final Options.Number hz = add(new Options.Number("hz", 1, 500, 10, false));
    public final Options.Text requirepass = add(new Options.Text("requirepass", "", Flag.SENSITIVE));
    public final Options.Choice enableDebugCommand = add(new Options.Choice("enable-debug-command", List.of("no", "yes", "local"), "no", Flag.IMMUTABLE));
    public final Options.Choice enableProtectedConfigs = add(new Options.Choice("enable-protected-configs", List.of("no", "yes", "local"), "no", Flag.IMMUTABLE));
    public final Options.Choice enableModuleCommand = add(new Options.Choice("enable-module-command", List.of("no", "yes", "local"), "no", Flag.IMMUTABLE));
    public final Options.Choice loglevel = add(new Options.Choice("loglevel", List.of("debug", "verbose", "notice", "warning", "nothing"), "notice"));
    public final Options.Text logfile = add(new Options.Text("logfile", "", Flag.IMMUTABLE));
    public final Options.Text dir = add(new Options.Text("dir", ".", Flag.PROTECTED));
    public final Options.Text dbfilename = add(new Options.Text("dbfilename", "dump.rdb", Flag.PROTECTED));
    public final Options.Custom save = add(new Options.Custom("save", "", ServerConfig::checkSave));
    public final Options.Bool appendonly = add(new Options.Bool("appendonly", false));
    public final Options.Text appendfilename = add(new Options.Text("appendfilename", "appendonly.aof", Flag.IMMUTABLE));
    public final Options.Bool daemonize = add(new Options.Bool("daemonize", false, Flag.IMMUTABLE));
    public final Options.Bool lazyfreeLazyUserDel = add(new Options.Bool("lazyfree-lazy-user-del", false));
    public final Options.Bool lazyfreeLazyUserFlush = add(new Options.Bool("lazyfree-lazy-user-flush", false));
    public final Options.Number activeExpireEffort = add(new Options.Number("active-expire-effort", 1, 10, 1, false));

    public ServerConfig() {
    }

    private <T extends ConfigOption> T add(T option) {
        options.add(option);
        byName.put(option.name(), option);
        for (String alias : option.aliases()) {
            byName.put(alias, option);
        }
        return option;
    }

    /** The option with this name or alias (any case), or null. */
    public ConfigOption option(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every option, once each, in declaration order. */
    public Collection<ConfigOption> options() {
        return options;
    }

    /** Every name and alias with its option (CONFIG GET matches patterns against aliases too). */
    public Map<String, ConfigOption> namesAndAliases() {
        return byName;
    }

    /**
     * Sets an option by name, as the config file or command line does.
     *
     * @throws IllegalArgumentException naming the option and the reason
     */
    public void set(String name, String value) {
        ConfigOption option = option(name);
        if (option == null) {
            throw new IllegalArgumentException("Bad directive or wrong number of arguments");
        }
        option.set(value);
    }

    public boolean authRequired() {
        return !requirepass.value().isEmpty();
    }

    private static void checkSave(String value) {
        String[] parts = value.trim().isEmpty() ? new String[0] : value.trim().split("\\s+");
        if (parts.length % 2 != 0) {
            throw new IllegalArgumentException("Invalid save parameters");
        }
        for (String p : parts) {
            try {
                if (Long.parseLong(p) < 0) {
                    throw new IllegalArgumentException("Invalid save parameters");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid save parameters");
            }
        }
    }
}
