package io.respire.server.observability;

import io.respire.server.command.CommandId;
import io.respire.server.command.CommandSpec;
import io.respire.server.commands.ConfigCommands;
import io.respire.server.config.ServerConfig;

import java.nio.charset.StandardCharsets;

/**
 * The secrets a command line may carry, which MONITOR and the slow log show as "(redacted)"
 * (the arguments Redis's commands pass to redactClientCommandArgument): AUTH's password (and
 * user), HELLO's AUTH pair, MIGRATE's AUTH and AUTH2 credentials, CONFIG SET's values of
 * sensitive settings, ACL SETUSER's rules.
 */
public final class Redaction {
    static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    private Redaction() {
    }

    /** Whether argument {@code i} of {@code argv}, a call of {@code cmd}, is a secret. */
    public static boolean redacted(ServerConfig config, CommandSpec cmd, byte[][] argv, int i) {
        switch (cmd.id()) {
            case CommandId.AUTH:
                return i >= 1;
            case CommandId.ACL_SETUSER:
                return i >= 2;
            case CommandId.CONFIG_SET:
                return ConfigCommands.isSecretValue(config, argv, i);
            case CommandId.MIGRATE:
                return migrateSecret(argv, i);
            case CommandId.HELLO:
                for (int j = 2; j + 2 < argv.length; j++) {
                    if (isAuth(argv[j])) {
                        return i == j + 1 || i == j + 2;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    /** {@code argv} with its secrets replaced, or {@code argv} itself if it has none. */
    static byte[][] redact(ServerConfig config, CommandSpec cmd, byte[][] argv) {
        byte[][] out = argv;
        for (int i = 1; i < argv.length; i++) {
            if (redacted(config, cmd, argv, i)) {
                if (out == argv) {
                    out = argv.clone();
                }
                out[i] = REDACTED;
            }
        }
        return out;
    }

    private static boolean isAuth(byte[] arg) {
        return is(arg, "auth");
    }

    private static boolean is(byte[] arg, String word) {
        return arg.length == word.length() && new String(arg, StandardCharsets.ISO_8859_1).equalsIgnoreCase(word);
    }

    /**
     * MIGRATE's options as its parser reads them, from the seventh argument: AUTH's password and
     * AUTH2's user and password are secrets; the parse (and so the redaction) stops at KEYS, at an
     * unknown word, or where an option lacks its arguments.
     */
    private static boolean migrateSecret(byte[][] argv, int i) {
        for (int j = 6; j < argv.length && j < i; j++) {
            int more = argv.length - 1 - j;
            if (is(argv[j], "auth") && more >= 1) {
                if (i == j + 1) {
                    return true;
                }
                j++;
            } else if (is(argv[j], "auth2") && more >= 2) {
                if (i == j + 1 || i == j + 2) {
                    return true;
                }
                j += 2;
            } else if (!is(argv[j], "copy") && !is(argv[j], "replace")) {
                return false;
            }
        }
        return false;
    }
}
