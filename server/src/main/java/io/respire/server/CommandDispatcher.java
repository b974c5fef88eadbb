package io.respire.server;

import io.respire.server.command.CommandFlag;
import io.respire.server.command.CommandSpec;

import java.nio.charset.StandardCharsets;

/**
 * Redis's processCommand: every rule that applies to all commands lives here once, in Redis's
 * order: look up, arity, protected commands, authentication, then run the handler. Commands
 * themselves only parse their arguments and do their work.
 */
public final class CommandDispatcher {
    private final ServerContext server;

    public CommandDispatcher(ServerContext server) {
        this.server = server;
    }

    /** Runs one request for {@code c}, writing its reply to the client's output. */
    public void process(Client c, byte[][] argv) {
        c.touch(server.nowMs());
        if (isHttpProbe(argv[0])) {
            // Redis's securityWarningCommand: a browser or SSRF attack talking HTTP; drop it silently.
            c.closeAfterReply();
            return;
        }
        CommandSpec cmd = server.commands().lookup(argv);
        c.request(argv, cmd);
        String rejection = check(c, cmd, argv);
        if (rejection != null) {
            server.stats().totalErrorReplies++;
            c.reply().error(rejection);
            return;
        }
        call(c, cmd);
    }

    /** Runs an already-checked command (also the entry point for EXEC and scripts later). */
    public void call(Client c, CommandSpec cmd) {
        server.stats().totalCommandsProcessed++;
        try {
            cmd.handler().execute(c);
        } catch (CommandError e) {
            server.stats().totalErrorReplies++;
            c.reply().error(e.getMessage());
        }
    }

    private String check(Client c, CommandSpec cmd, byte[][] argv) {
        if (cmd == null || (!cmd.implemented() && !cmd.isContainer())) {
            return unknownCommand(argv, cmd);
        }
        if (!cmd.implemented()) {
            // A container (CLIENT, CONFIG...) named alone: Redis checks its arity (-2) first.
            return cmd.arityAccepts(argv.length) ? unknownCommand(argv, null) : Errors.wrongArity(cmd.fullName());
        }
        if (!cmd.arityAccepts(argv.length)) {
            return Errors.wrongArity(cmd.fullName());
        }
        if (cmd.has(CommandFlag.PROTECTED) && cmd.fullName().startsWith("debug")
                && !allowProtected(server.config().enableDebugCommand.value(), c)) {
            return "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
                    + "you can run it from a local connection, otherwise you need to set this option "
                    + "in the configuration file, and then restart the server.";
        }
        if (c.authRequired() && !cmd.has(CommandFlag.NO_AUTH)) {
            return Errors.NOAUTH;
        }
        return null;
    }

    static boolean allowProtected(String setting, Client c) {
        return setting.equals("yes") || (setting.equals("local") && isLocal(c));
    }

    private static boolean isLocal(Client c) {
        return c.channel().remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress().isLoopbackAddress();
    }

    /** Redis's commandCheckExistence error texts. */
    private String unknownCommand(byte[][] argv, CommandSpec cmd) {
        CommandSpec base = server.commands().lookup(argv[0]);
        String message;
        if ((cmd == null || !cmd.implemented()) && base != null && base.isContainer() && argv.length >= 2) {
            message = Errors.unknownSubcommand(text(argv[1]), text(argv[0]));
        } else {
            StringBuilder args = new StringBuilder();
            for (int i = 1; i < argv.length && args.length() < 128; i++) {
                String arg = text(argv[i]);
                args.append('\'').append(arg, 0, Math.min(arg.length(), 128 - args.length())).append("' ");
            }
            message = "ERR unknown command '" + Errors.truncate(text(argv[0]), 128)
                    + "', with args beginning with: " + args;
        }
        return message.replace('\r', ' ').replace('\n', ' ');
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean isHttpProbe(byte[] name) {
        return equalsIgnoreCase(name, "host:") || equalsIgnoreCase(name, "post");
    }

    private static boolean equalsIgnoreCase(byte[] bytes, String word) {
        return bytes.length == word.length() && new String(bytes, StandardCharsets.ISO_8859_1).equalsIgnoreCase(word);
    }
}
