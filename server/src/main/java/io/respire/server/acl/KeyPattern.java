package io.respire.server.acl;

import java.nio.charset.StandardCharsets;

/** A key pattern of a selector and the access it grants: "~p" (both), "%R~p" or "%W~p". */
final class KeyPattern {
    static final int READ = 1;
    static final int WRITE = 2;
    static final int ALL = READ | WRITE;

    final String pattern;
    final byte[] bytes;
    int access;

    KeyPattern(String pattern, int access) {
        this.pattern = pattern;
        this.bytes = pattern.getBytes(StandardCharsets.ISO_8859_1);
        this.access = access;
    }

    KeyPattern copy() {
        return new KeyPattern(pattern, access);
    }

    /** Redis's sdsCatPatternString. */
    @Override
    public String toString() {
        String prefix = access == ALL ? "~" : access == READ ? "%R~" : "%W~";
        return prefix + pattern;
    }
}
