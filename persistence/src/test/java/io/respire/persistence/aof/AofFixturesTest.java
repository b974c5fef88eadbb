package io.respire.persistence.aof;

import io.respire.persistence.DiscardingSink;
import io.respire.persistence.EncodingLimits;
import io.respire.persistence.RdbLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The multi-part AOF directories real Redis 7.0.15 wrote (../shared/fixtures): their manifests
 * and files read here. That they load to the expected data is checked where commands can run
 * (the server's and the conformance tests).
 */
class AofFixturesTest {
    private static final Path FIXTURES = Path.of(System.getProperty("user.dir"))
            .resolve("../../shared/fixtures/redis-7.0.15").normalize();

    private static Path dir(String name) {
        Path d = FIXTURES.resolve(name);
        assumeTrue(Files.isDirectory(d), d + " is not there");
        return d;
    }

    private static AofManifest manifest(Path dir) throws IOException {
        return AofManifest.parse(Files.readAllBytes(dir.resolve("appendonly.aof.manifest")));
    }

    @Test
    void rdbBaseAndIncrementalFile() throws IOException {
        Path dir = dir("aof-multipart");
        AofManifest m = manifest(dir);
        assertEquals(new AofManifest.Entry("appendonly.aof.2.base.rdb", 2, 'b'), m.base());
        assertEquals(List.of(new AofManifest.Entry("appendonly.aof.2.incr.aof", 2, 'i')), m.incrs());
        byte[] base = Files.readAllBytes(dir.resolve(m.base().name()));
        int[] keys = {0};
        String[] aofBase = {null};
        RdbLoader.Result r = RdbLoader.load(base, EncodingLimits.defaults(), true, new DiscardingSink() {
            @Override
            public void aux(String key, String value) {
                if (key.equals("aof-base")) {
                    aofBase[0] = value;
                }
            }

            @Override
            public void key(byte[] key, Object value, long expireAtMs, long idle, int freq) {
                keys[0]++;
            }
        });
        assertEquals("1", aofBase[0], "a base file says it is one");
        assertEquals(base.length, r.length(), "the RDB is the whole base file");
        assertTrue(keys[0] > 0);
        List<String> commands = AofCommandReaderTest.readAll(Files.readAllBytes(dir.resolve(m.incrs().get(0).name())));
        assertEquals("SELECT 0", commands.get(0));
        assertTrue(commands.contains("SET after-rewrite 2"), commands.toString());
    }

    @Test
    void commandBaseAndIncrementalFile() throws IOException {
        Path dir = dir("aof-plain");
        AofManifest m = manifest(dir);
        assertEquals("appendonly.aof.2.base.aof", m.base().name());
        List<String> base = AofCommandReaderTest.readAll(Files.readAllBytes(dir.resolve(m.base().name())));
        assertEquals("SELECT 0", base.get(0));
        assertTrue(base.size() > 1);
        assertEquals(AofCommandReaderTest.readAll(Files.readAllBytes(FIXTURES.resolve("aof-multipart/appendonly.aof.2.incr.aof"))).size(),
                AofCommandReaderTest.readAll(Files.readAllBytes(dir.resolve(m.incrs().get(0).name()))).size());
    }
}
