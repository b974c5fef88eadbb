package io.respire.ds.util;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis's stringmatchlen cases (util.c and the keyspace/pubsub Tcl units). */
class GlobTest {
    private static boolean m(String pattern, String s) {
        return Glob.matches(pattern, s, false);
    }

    @Test
    void starsAndQuestionMarks() {
        assertFalse(m("*", "")); // as stringmatchlen: KEYS * special-cases the empty key
        assertTrue(m("*", "anything"));
        assertTrue(m("h?llo", "hello"));
        assertFalse(m("h?llo", "hllo"));
        assertTrue(m("h*llo", "hllo"));
        assertTrue(m("h*llo", "heeeello"));
        assertTrue(m("a*b*c", "aXXbYYc"));
        assertFalse(m("a*b*c", "aXXbYY"));
        assertTrue(m("bench:*", "bench:channel"));
        assertFalse(m("other:1:*", "bench:channel"));
        assertTrue(m("**a", "ba"));
        assertTrue(m("a*", "a"));
        assertFalse(m("a?", "a"));
    }

    @Test
    void classesRangesAndEscapes() {
        assertTrue(m("h[ae]llo", "hallo"));
        assertFalse(m("h[ae]llo", "hillo"));
        assertTrue(m("h[^e]llo", "hallo"));
        assertFalse(m("h[^e]llo", "hello"));
        assertTrue(m("h[a-b]llo", "hbllo"));
        assertTrue(m("h[b-a]llo", "hallo")); // a reversed range is swapped
        assertTrue(m("h\\*llo", "h*llo"));
        assertFalse(m("h\\*llo", "hello"));
        assertTrue(m("[\\]]", "]"));
        assertTrue(m("[a", "a")); // an unterminated class: quirk kept from Redis
        assertTrue(Glob.matches("H[A-Z]LLO", "hello", true));
        assertFalse(Glob.matches("H[A-Z]LLO", "hello", false));
    }

    /** The early exit that keeps a pattern with many stars linear (Redis's skipLonger). */
    @Test
    void manyStarsDoNotGoExponential() {
        String string = "a".repeat(60);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () -> {
            assertFalse(m("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", string));
            assertTrue(m("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a", string));
        });
    }
}
