package io.respire.server.acl;

import io.respire.server.command.CommandSpec;
import io.respire.server.command.KeyFinder;

import java.util.List;

/** The keys of one command line, found once however many selectors look at them (aclKeyResultCache). */
final class KeyCache {
    private List<KeyFinder.KeyRef> keys;

    List<KeyFinder.KeyRef> keys(CommandSpec cmd, byte[][] argv) {
        if (keys == null) {
            keys = KeyFinder.find(cmd, argv);
        }
        return keys;
    }
}
