package io.respire.server.commands;

import io.respire.server.EmbeddedServerTest;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** INFO lazyfreed_objects counts what Redis's lazyfree thread would free, as unit/lazyfree checks. */
class LazyFreeTest extends EmbeddedServerTest {
    private long lazyfreed() throws Exception {
        Matcher m = Pattern.compile("lazyfreed_objects:(\\d+)").matcher(c.call("INFO", "memory"));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    @Test
    void unlinkCountsOnlyValuesOfMoreThan64Allocations() throws Exception {
        call("CONFIG RESETSTAT");
        for (int i = 0; i < 65; i++) {
            c.call("SADD", "big", "member-" + i);
            c.call("SADD", "small", "m" + i % 64);
        }
        assertEquals("(integer) 1", call("UNLINK small"));
        assertEquals(0, lazyfreed());
        assertEquals("(integer) 1", call("UNLINK big"));
        assertEquals(1, lazyfreed());
        c.call("SADD", "big", "a", "b");
        call("SET s x");
        assertEquals("OK", call("FLUSHALL ASYNC"));
        assertEquals(3, lazyfreed());
        assertEquals("OK", call("CONFIG RESETSTAT"));
        assertEquals(0, lazyfreed());
    }
}
