package io.respire.server.config;

import io.respire.protocol.InlineSplitter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads configuration text in redis.conf's syntax into a {@link ServerConfig}, as Redis's
 * loadServerConfigFromString: one directive per line, '#' comments, arguments split like
 * redis-cli's inline commands (quotes and escapes), names in any case, "include" of other files.
 * The first error stops the reading with Redis's diagnosis: the line number, the line and the reason.
 *
 * <p>Text is handled as ISO-8859-1, one char per byte, so values keep their exact bytes.
 */
public final class ConfigFile {
    /** Directives Redis 7 ignores for compatibility with older files, when given one argument. */
    private static final Set<String> DEPRECATED = Set.of("list-max-ziplist-entries", "list-max-ziplist-value",
            "lua-replicate-commands");
    /**
     * Redis directives that Respire does not support (modules, Sentinel). They are valid Redis
     * configuration, so reading them is not an error: the server refuses to start with them once
     * it is set up ({@link ServerConfig#unsupportedDirectives()}).
     */
    private static final Set<String> UNSUPPORTED = Set.of("loadmodule", "sentinel");

    private ConfigFile() {
    }

    /**
     * Reads configuration text (a file's content, possibly followed by command-line options) into
     * {@code config}.
     *
     * @throws ConfigFileException at the first line Redis would refuse
     * @throws IllegalArgumentException if an included file cannot be read
     */
    public static void load(ServerConfig config, String text) {
        config.loading(true);
        try {
            apply(config, text);
        } finally {
            config.loading(false);
        }
    }

    private static void apply(ServerConfig config, String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = strip(lines[i]);
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            try {
                applyLine(config, line);
            } catch (ConfigFileException | IncludeException e) {
                throw e; // an error inside an included file names that file's line
            } catch (IllegalArgumentException e) {
                throw new ConfigFileException(i + 1, line, e.getMessage());
            }
        }
    }

    private static void applyLine(ServerConfig config, String line) {
        List<String> argv = split(line);
        if (argv.isEmpty()) {
            return;
        }
        String name = argv.get(0).toLowerCase(Locale.ROOT);
        ConfigOption option = config.option(name);
        if (option != null) {
            boolean multi = option.has(ConfigOption.Flag.MULTI_ARG);
            if (!multi && argv.size() != 2) {
                throw new IllegalArgumentException("wrong number of arguments");
            }
            if (multi && argv.size() == 2 && !argv.get(1).isEmpty()) {
                option.set(split(argv.get(1))); // --save "900 1" arrives as one argument
            } else {
                option.set(argv.subList(1, argv.size()));
            }
        } else if (DEPRECATED.contains(name) && argv.size() == 2) {
            return;
        } else if (name.equals("user") && argv.size() >= 2) {
            config.userLine(argv.subList(1, argv.size()));
        } else if (name.equals("rename-command") && argv.size() == 3) {
            config.renameCommand(argv.get(1), argv.get(2));
        } else if (name.equals("include") && argv.size() == 2) {
            include(config, argv.get(1));
        } else if (UNSUPPORTED.contains(name) || name.indexOf('.') >= 0) {
            config.unsupportedDirective(name); // a module's config ("module.name") too
        } else {
            throw new IllegalArgumentException("Bad directive or wrong number of arguments");
        }
    }

    /** Splits a line into arguments with Redis's sdssplitargs rules. */
    static List<String> split(String line) {
        byte[][] args = InlineSplitter.split(line.getBytes(StandardCharsets.ISO_8859_1));
        if (args == null) {
            throw new IllegalArgumentException("Unbalanced quotes in configuration line");
        }
        List<String> out = new ArrayList<>(args.length);
        for (byte[] arg : args) {
            out.add(new String(arg, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /**
     * Reads an included file, or every file matching a pattern ("conf.d/*.conf", in name order; no
     * match is fine). A relative path is taken from the current dir setting, where Redis's chdir
     * would have put it.
     */
    static void include(ServerConfig config, String path) {
        Path target = config.dir.resolve(path);
        String fileName = target.getFileName() == null ? "" : target.getFileName().toString();
        if (!fileName.contains("*") && !fileName.contains("?") && !fileName.contains("[")) {
            apply(config, read(target));
            return;
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + fileName);
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(target.getParent())) {
            for (Path p : dir) {
                if (matcher.matches(p.getFileName())) {
                    matches.add(p);
                }
            }
        } catch (IOException e) {
            return; // like glob(3) finding nothing
        }
        matches.sort(null);
        for (Path p : matches) {
            apply(config, read(p));
        }
    }

    /**
     * A config file's content as ISO-8859-1 text.
     *
     * @throws IllegalArgumentException with Redis's message if it cannot be read
     */
    public static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IncludeException("Fatal error, can't open config file '" + file + "': " + ioReason(e));
        }
    }

    /** A file that cannot be read: reported as it is, not as a bad line of the including file. */
    private static final class IncludeException extends IllegalArgumentException {
        IncludeException(String message) {
            super(message);
        }
    }

    /** A short reason for an I/O failure, worded like C's strerror where we can. */
    public static String ioReason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        } else if (e instanceof java.nio.file.NotDirectoryException) {
            return "Not a directory";
        }
        return e.getMessage();
    }

    /** Removes blanks, tabs, CR and LF from both ends (Redis's sdstrim with " \t\r\n"). */
    static String strip(String line) {
        return InlineSplitter.trim(line);
    }
}
