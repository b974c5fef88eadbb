package io.respire.server.commands;

import io.respire.server.Client;
import io.respire.server.CommandError;

import java.nio.charset.StandardCharsets;

/**
 * Redis's rule for client names (clientSetName): printable ASCII without spaces, so that CLIENT
 * LIST can always be split on spaces; an empty name removes the name.
 */
final class ClientNames {
    private ClientNames() {
    }

    static boolean valid(byte[] name) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                return false;
            }
        }
        return true;
    }

    /** Sets or (with an empty name) clears the client's name; the error Redis replies if invalid. */
    static void setName(Client c, byte[] name) {
        if (!valid(name)) {
            throw new CommandError("ERR Client names cannot contain spaces, newlines or special characters.");
        }
        c.name(name.length == 0 ? null : new String(name, StandardCharsets.US_ASCII));
    }
}
