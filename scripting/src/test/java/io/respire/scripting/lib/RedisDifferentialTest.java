package io.respire.scripting.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * Runs every snippet of the corpus in a real redis-server 7.0 and in LuaJ with these libraries,
 * and compares the returned strings byte for byte.
 *
 * <p>Skipped when redis-server is not installed, except under CI=true, where that fails.
 * Error messages are compared with their position prefix normalised: Redis writes
 * {@code user_script:12: }, LuaJ {@code @user_script:12 }; both become {@code [line 12] }, so
 * whether a message is positioned, and on which line, is still compared.
 */
class RedisDifferentialTest {

    private static final Pattern REDIS_POSITION = Pattern.compile("^ERR user_script:(\\d+): ");
    private static final Pattern LUAJ_POSITION = Pattern.compile("^ERR @user_script:(\\d+) ");

    private static List<DifferentialCorpus.Case> cases;
    private static RedisTestServer redis;
    private static Globals luaj;

    @BeforeAll
    static void startRedis() throws Exception {
        cases = DifferentialCorpus.load();
        Optional<Path> binary = RedisTestServer.findBinary();
        if (binary.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("redis-server is required for the differential test when CI=true");
            }
            Assumptions.abort("redis-server not installed; differential test skipped");
        }
        redis = RedisTestServer.start(binary.get());
        luaj = LuaTestEnv.globals();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void corpusCoversAllFourLibrariesWithAtLeast150Snippets() {
        assertTrue(cases.size() >= 150, "corpus has " + cases.size() + " cases");
        for (String lib : new String[] {"cjson", "cmsgpack", "bit", "struct"}) {
            long n = cases.stream().filter(c -> c.name().startsWith(lib + " ")).count();
            assertTrue(n >= 20, lib + " has only " + n + " cases");
        }
    }

    @Test
    void redisIsVersion7_0() throws Exception {
        Object info = redis.command("INFO", "server");
        String text = new String((byte[]) info, StandardCharsets.UTF_8);
        assertTrue(text.contains("redis_version:7.0."), "differential reference must be Redis 7.0");
    }

    @TestFactory
    Stream<DynamicTest> snippetsGiveTheSameBytesInRedisAndLuaJ() {
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> compare(c)));
    }

    private static void compare(DifferentialCorpus.Case c) throws Exception {
        Object reply = redis.eval(c.script());
        if (reply instanceof RedisTestServer.ErrorReply err) {
            fail("Redis failed the script itself: " + err.message() + "\n" + c.body());
        }
        assertInstanceOf(byte[].class, reply, "Redis reply");
        String expected = normalise(latin1((byte[]) reply), REDIS_POSITION);
        String actual = normalise(latin1(runInLuaJ(c)), LUAJ_POSITION);
        assertEquals(expected, actual, () -> "case '" + c.name() + "':\n" + c.body());
    }

    private static byte[] runInLuaJ(DifferentialCorpus.Case c) {
        LuaValue v = LuaTestEnv.run(luaj, c.script()).arg1();
        LuaString s = v.checkstring();
        byte[] bytes = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, bytes, 0, s.m_length);
        return bytes;
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String normalise(String result, Pattern position) {
        return position.matcher(result).replaceFirst("ERR [line $1] ");
    }
}
