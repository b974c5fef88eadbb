package io.respire.persistence.aof;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifest read, checked and written as Redis 7.0's aof.c does. */
class AofManifestTest {
    private static AofManifest parse(String text) {
        return AofManifest.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String error(String text) {
        return assertThrows(AofManifestException.class, () -> parse(text)).getMessage();
    }

    @Test
    void readsBaseHistoryAndIncrementalFiles() {
        AofManifest m = parse("file appendonly.aof.2.base.rdb seq 2 type b\n"
                + "file appendonly.aof.1.incr.aof seq 1 type h\n"
                + "# a comment\n"
                + "FILE appendonly.aof.2.incr.aof SEQ 2 TYPE i future words\n"
                + "file appendonly.aof.3.incr.aof seq 3 type i\n");
        assertEquals(new AofManifest.Entry("appendonly.aof.2.base.rdb", 2, 'b'), m.base());
        assertEquals(List.of(new AofManifest.Entry("appendonly.aof.1.incr.aof", 1, 'h')), m.history());
        assertEquals(2, m.incrs().size());
        assertEquals("appendonly.aof.3.incr.aof", m.incrs().get(1).name());
        // New files continue the sequences found.
        AofManifest copy = m.copy();
        assertEquals("appendonly.aof.4.incr.aof", copy.newIncr("appendonly.aof"));
        assertEquals("appendonly.aof.3.base.aof", copy.newBase("appendonly.aof", false));
        assertEquals(3, m.incrs().size() + m.history().size(), "the copy is changed, not the original");
    }

    @Test
    void refusesWhatRedisRefusesWithItsWords() {
        assertEquals("Found an empty AOF manifest", error(""));
        assertEquals("Invalid AOF manifest file format", error("\n"));
        assertEquals("Invalid AOF manifest file format", error("file a seq 1\n"));
        assertEquals("Invalid AOF manifest file format", error("file a seq x type b\n"));
        assertEquals("Invalid AOF manifest file format", error("file \"a seq 1 type b\n"));
        assertEquals("File can't be a path, just a filename", error("file dir/a seq 1 type b\n"));
        assertEquals("Found duplicate base file information", error("file a seq 1 type b\nfile b seq 2 type b\n"));
        assertEquals("Found a non-monotonic sequence number", error("file a seq 2 type i\nfile b seq 2 type i\n"));
        assertEquals("Unknown AOF file type", error("file a seq 1 type x\n"));
        assertEquals("The AOF manifest file contains too long line", error("file a seq 1 type b"));
        assertEquals("The AOF manifest file contains too long line", error("file " + "a".repeat(1100) + " seq 1 type b\n"));
        AofManifestException e = assertThrows(AofManifestException.class,
                () -> parse("file a seq 1 type b\n  file b seq 0 type i  \n"));
        assertEquals(2, e.lineNumber());
        assertEquals("file b seq 0 type i", e.line());
        assertNull(assertThrows(AofManifestException.class, () -> parse("")).line());
    }

    @Test
    void writesNamesThatNeedQuotingAsRedisDoes() {
        AofManifest m = new AofManifest();
        m.newBase("my aof", true);
        m.newIncr("my aof");
        String text = m.format();
        assertEquals("file \"my aof.1.base.rdb\" seq 1 type b\nfile \"my aof.1.incr.aof\" seq 1 type i\n", text);
        AofManifest back = parse(text);
        assertEquals(m.base(), back.base());
        assertEquals(m.incrs(), back.incrs());
    }

    @Test
    void aRewriteTurnsTheOldFilesIntoHistory() {
        AofManifest m = parse("file a.1.base.rdb seq 1 type b\nfile a.1.incr.aof seq 1 type i\n");
        m.newIncr("a"); // opened when the rewrite starts
        m.newBase("a", true);
        m.markRewrittenIncrsAsHistory(true);
        assertEquals("file a.2.base.rdb seq 2 type b\n"
                + "file a.1.incr.aof seq 1 type h\n"
                + "file a.1.base.rdb seq 1 type h\n"
                + "file a.2.incr.aof seq 2 type i\n", m.format());
        m.clearHistory();
        assertTrue(m.history().isEmpty());
        assertEquals("a.2.incr.aof", m.lastIncr("a"));
    }

    @Test
    void namesFollowRedisRules() {
        assertEquals("appendonly.aof.1.base.rdb", AofManifest.baseName("appendonly.aof", 1, true));
        assertEquals("appendonly.aof.1.base.aof", AofManifest.baseName("appendonly.aof", 1, false));
        assertEquals("appendonly.aof.7.incr.aof", AofManifest.incrName("appendonly.aof", 7));
        assertEquals("appendonly.aof.manifest", AofManifest.manifestName("appendonly.aof"));
        assertEquals("temp-appendonly.aof.manifest", AofManifest.tempManifestName("appendonly.aof"));
        assertEquals("temp-appendonly.aof.incr", AofManifest.tempIncrName("appendonly.aof"));
    }
}
