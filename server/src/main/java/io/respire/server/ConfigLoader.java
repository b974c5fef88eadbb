package io.respire.server;

import io.respire.protocol.InlineSplitter;
import io.respire.server.commands.ServerInfo;
import io.respire.server.config.ConfigFile;
import io.respire.server.config.ConfigRewriter;
import io.respire.server.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a ServerConfig from a redis-server command line:
 * {@code respire-server [config-file] [--name value ...] [-]}.
 *
 * <p>picocli describes the front end, to print --help and --version. The options follow
 * redis-server's own rules, which no option parser models: each {@code --name} starts a config
 * line, the arguments after it are its values ({@code --save 900 1 --save ""}), a value may itself
 * start with {@code --} ({@code --proc-title-template --x}), and a lone {@code -} first or last
 * reads more configuration from standard input. As in Redis, the options become lines appended to
 * the file's content, so they override it and are checked by the same reader.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    @Command(name = "respire-server", sortOptions = false,
            customSynopsis = {"respire-server [/path/to/redis.conf] [--option value ...] [-]"},
            description = {"A Redis 7.0 compatible in-memory data server.",
                    "Options are those of redis.conf: --port 7777 sets 'port 7777'. They override the file.",
                    "A '-' first or last reads more configuration from standard input."},
            footer = {"", "Examples:",
                    "  respire-server                                   (default configuration)",
                    "  echo 'maxmemory 128mb' | respire-server -",
                    "  respire-server /etc/respire/respire.conf",
                    "  respire-server --port 7777 --save \"\" --appendonly no",
                    "  respire-server /etc/respire/respire.conf --loglevel verbose -"})
    static final class Arguments {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Option(names = {"-v", "--version"}, versionHelp = true, description = "Show the version and exit.")
        boolean version;

        @Parameters(index = "0", arity = "0..1", paramLabel = "config-file", description = "A file in redis.conf syntax.")
        String configFile;

        @Unmatched
        List<String> options = new ArrayList<>();
    }

    /** A parsed command line: what the launcher must do. */
    public record Invocation(boolean help, boolean version, Path configFile, boolean fromStdin, String options) {
        /** The command-line front end, to print the usage or the version. */
        public CommandLine commandLine() {
            return ConfigLoader.commandLine();
        }
    }

    /** The command-line front end (for printing the usage and version). */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Arguments());
        cli.setStopAtUnmatched(true);      // everything after the first --option is ours to read
        cli.setExpandAtFiles(false);       // "@file" is an ordinary value here
        cli.setCommandName("respire-server");
        cli.getCommandSpec().version("Respire server v=" + ServerInfo.RESPIRE_VERSION + " redis_version="
                + ServerInfo.REDIS_VERSION + " java=" + System.getProperty("java.version") + " bits=64");
        return cli;
    }

    /**
     * Parses the command line as redis-server's main does, building the config lines the options
     * stand for: {@code -v}/{@code --version} or {@code -h}/{@code --help} as the first argument,
     * else a first argument not starting with '-' is the config file. picocli is only loaded to
     * print the usage or version: a start does not pay for it (it was a third of the JVM's start).
     */
    public static Invocation parse(String... args) {
        if (args.length > 0 && (args[0].equals("-v") || args[0].equals("--version"))) {
            return new Invocation(false, true, null, false, "");
        }
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            return new Invocation(true, false, null, false, "");
        }
        Path file = null;
        List<String> rest = new ArrayList<>(List.of(args));
        if (!rest.isEmpty() && !rest.get(0).startsWith("-")) {
            file = Path.of(rest.remove(0)).toAbsolutePath().normalize();
        }
        boolean[] stdin = new boolean[1];
        String options = optionLines(rest, file == null, stdin);
        return new Invocation(false, false, file, stdin[0], options);
    }

    /**
     * redis-server's reading of the options: "--name" opens a new line, later words are quoted
     * onto it. A bare "--name" followed by another "--" word takes that word as its value, except
     * "--save", which then means {@code save ""}.
     */
    private static String optionLines(List<String> args, boolean firstIsFirst, boolean[] stdin) {
        StringBuilder options = new StringBuilder();
        boolean valueSeen = true;
        int n = args.size();
        for (int j = 0; j < n; j++) {
            String arg = args.get(j);
            if (arg.equals("-") && ((j == 0 && firstIsFirst) || j == n - 1)) {
                stdin[0] = true;
            } else if (valueSeen && arg.startsWith("--")) {
                if (options.length() > 0) {
                    options.append('\n');
                }
                options.append(arg, 2, arg.length()).append(' ');
                boolean nameOnly = splitCount(arg) == 1;
                valueSeen = !nameOnly;
                boolean isSave = arg.equalsIgnoreCase("--save");
                if (nameOnly && isSave && (j == n - 1 || args.get(j + 1).startsWith("--"))) {
                    options.append("\"\""); // "--save" alone means no snapshots
                    valueSeen = true;
                }
            } else {
                options.append(ConfigRewriter.repr(arg)).append(' ');
                valueSeen = true;
            }
        }
        return options.toString();
    }

    private static int splitCount(String arg) {
        byte[][] words = InlineSplitter.split(arg.getBytes(StandardCharsets.ISO_8859_1));
        return words == null ? 1 : words.length; // unbalanced quotes: the config reader reports them
    }

    /** Builds the configuration a command line describes (standard input for "-"). */
    public static ServerConfig fromArgs(String... args) {
        Invocation invocation = parse(args);
        if (invocation.help() || invocation.version()) {
            throw new IllegalArgumentException("--help and --version are for the command line only");
        }
        return load(invocation, System.in);
    }

    /**
     * Reads the config file, then standard input if asked, then the command-line options, as one
     * text (so later lines override earlier ones).
     *
     * @throws IllegalArgumentException (a {@link io.respire.server.config.ConfigFileException} for a
     *         bad line) naming the problem
     */
    public static ServerConfig load(Invocation invocation, InputStream stdin) {
        ServerConfig config = new ServerConfig();
        StringBuilder text = new StringBuilder();
        if (invocation.configFile() != null) {
            text.append(ConfigFile.read(invocation.configFile()));
            config.configFile(invocation.configFile());
        }
        if (invocation.fromStdin()) {
            try {
                text.append(new String(stdin.readAllBytes(), StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the configuration from standard input", e);
            }
        }
        if (!invocation.options().isEmpty()) {
            text.append('\n').append(invocation.options());
        }
        ConfigFile.load(config, text.toString());
        return config;
    }
}
