package io.respire.server.commands;

/** Redis's rule for client names: printable ASCII without spaces (validateClientName). */
final class ClientNames {
    private ClientNames() {
    }

    static boolean valid(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                return false;
            }
        }
        return true;
    }
}
