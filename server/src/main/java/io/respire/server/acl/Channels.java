package io.respire.server.acl;

import io.respire.ds.util.Glob;
import io.respire.server.command.CommandId;
import io.respire.server.command.CommandSpec;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The channel arguments of the Pub/Sub commands that ACLs check (Redis's commands_with_channels:
 * only publishing and subscribing; unsubscribing is always allowed), and how a channel is matched
 * against a selector's channel patterns.
 */
final class Channels {
    private Channels() {
    }

    /**
     * The argument index of the first channel of {@code argv} the selector may not use, or 0 if it
     * may use them all (or the command has none).
     */
    static int firstDenied(Selector selector, CommandSpec cmd, byte[][] argv) {
        int last;
        boolean pattern = false;
        switch (cmd.id()) {
            case CommandId.PUBLISH, CommandId.SPUBLISH -> last = Math.min(2, argv.length);
            case CommandId.SUBSCRIBE, CommandId.SSUBSCRIBE -> last = argv.length;
            case CommandId.PSUBSCRIBE -> {
                last = argv.length;
                pattern = true;
            }
            default -> {
                return 0;
            }
        }
        for (int i = 1; i < last; i++) {
            if (!selector.allowsChannel(new String(argv[i], StandardCharsets.ISO_8859_1), pattern)) {
                return i;
            }
        }
        return 0;
    }

    /** Redis's ACLCheckChannelAgainstList. */
    static boolean matchesAny(List<String> patterns, String channel, boolean isPattern) {
        for (String p : patterns) {
            if (isPattern ? p.equals(channel) : Glob.matches(p, channel, false)) {
                return true;
            }
        }
        return false;
    }
}
