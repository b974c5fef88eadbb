package io.respire.server.command;

import io.respire.server.Client;

import java.util.Locale;

/** The reply of a container command's HELP subcommand (Redis's addReplyHelp). */
public final class Help {
    private Help() {
    }

    /**
     * Replies with the header naming the command as the client typed it, {@code lines} (each a
     * status reply), and the HELP entry every container has.
     */
    public static void reply(Client c, String... lines) {
        c.reply().array(lines.length + 3);
        c.reply().simple(c.argString(0).toUpperCase(Locale.ROOT)
                + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) {
            c.reply().simple(line);
        }
        c.reply().simple("HELP");
        c.reply().simple("    Prints this help.");
    }
}
