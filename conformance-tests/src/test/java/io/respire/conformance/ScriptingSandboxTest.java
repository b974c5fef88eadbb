package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.File;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Scripts that try to get out of the sandbox or to bring the server down: each attempt must end in
 * an error reply, and afterwards the server must still serve other clients with its data intact.
 * Most run on an embedded server; those that exhaust memory run on a Respire of their own in a
 * separate JVM with a small heap, so that filling it is quick and cannot hurt the test JVM.
 */
class ScriptingSandboxTest {
    private RespireServer server;
    private Jedis jedis;
    private Jedis other;

    @BeforeEach
    void start() {
        server = RespireServer.start("--port", "0");
        jedis = new Jedis("127.0.0.1", server.port(), 60_000);
        other = new Jedis("127.0.0.1", server.port(), 60_000);
        jedis.set("canary", "alive");
    }

    @AfterEach
    void stop() {
        other.close();
        jedis.close();
        server.close();
    }

    /** Runs {@code script}, which must fail; returns the error text. */
    private static String evalFails(Jedis j, String script) {
        JedisDataException e = assertThrows(JedisDataException.class, () -> j.eval(script), script);
        return e.getMessage();
    }

    /** The server answers another client and still has its data. */
    private static void stillServing(Jedis other) {
        assertEquals("PONG", other.ping());
        assertEquals("alive", other.get("canary"));
    }

    @Test
    void noWayToTheOperatingSystemOrJava() {
        for (String name : new String[] {"io", "os", "package", "require", "debug", "dofile", "loadfile", "luajava", "java",
                "print", "module", "getfenv", "setfenv", "newproxy"}) {
            String error = evalFails(jedis, "return " + name + ".x");
            assertTrue(error.contains("Script attempted to access nonexistent global variable '" + name + "'"), error);
        }
        // the same through every way a name can be looked up
        assertTrue(evalFails(jedis, "return os.execute('touch /tmp/respire-escaped')").contains("nonexistent global variable 'os'"));
        assertTrue(evalFails(jedis, "return io.open('/etc/passwd')").contains("nonexistent global variable 'io'"));
        assertTrue(evalFails(jedis, "return require('os')").contains("nonexistent global variable 'require'"));
        assertTrue(evalFails(jedis, "return luajava.bindClass('java.lang.System')").contains("nonexistent global variable 'luajava'"));
        assertEquals(null, jedis.eval("return rawget(_G, 'os')"));
        assertEquals(null, jedis.eval("return rawget(_G, 'luajava')"));
        assertEquals(null, jedis.eval("return rawget(_G, 'debug')"));
        assertEquals(null, jedis.eval("return rawget(_G, 'package')"));
        // what loadstring compiles sees the same globals
        assertTrue(evalFails(jedis, "return loadstring('return os.time()')()").contains("nonexistent global variable 'os'"));
        assertTrue(evalFails(jedis, "return load(function() return nil end) and loadstring('return io')()")
                .contains("nonexistent global variable 'io'"));
        assertTrue(evalFails(jedis, "local g = getmetatable(_G).__index; return g(_G, 'os')").contains("nonexistent global variable 'os'"));
        // _ENV is no way round (Lua 5.1 has none; the upvalue LuaJ reads globals through has a
        // name no script can write), nor is a local of that name
        assertTrue(evalFails(jedis, "return _ENV.os.time()").contains("nonexistent global variable '_ENV'"));
        assertTrue(evalFails(jedis, "_ENV.x = 1").contains("nonexistent global variable '_ENV'"));
        assertTrue(evalFails(jedis, "local _ENV = {os = 1} return os.time()").contains("nonexistent global variable 'os'"));
        assertTrue(!new File("/tmp/respire-escaped").exists());
        stillServing(other);
    }

    @Test
    void bytecodeIsNeverLoaded() {
        assertEquals(List.of("nil", "unexpected symbol near 'char(27)'"), tail(jedis.eval(
                "local f, e = loadstring(string.dump(function() return 1 end)) return {type(f), e}")));
        assertEquals(List.of("nil", "unexpected symbol near 'char(27)'"), tail(jedis.eval(
                "local code = string.dump(function() return 1 end) local done = false "
                        + "local f, e = load(function() if done then return nil end done = true return code end) return {type(f), e}")));
        String error = evalFails(jedis, "\u001bLuaR\u0000\u0001\u0004\u0004\u0004\u0008\u0000");
        assertTrue(error.contains("Error compiling script") && error.contains("char(27)"), error);
        stillServing(other);
    }

    /** The second element of a {type, message} reply, without the chunk name. */
    private static List<String> tail(Object reply) {
        List<?> list = (List<?>) reply;
        String message = String.valueOf(list.get(1));
        return List.of(String.valueOf(list.get(0)), message.substring(message.indexOf(": ") + 2));
    }

    @Test
    void globalsLibrariesAndMetatablesAreReadOnly() {
        for (String script : new String[] {"setmetatable(_G, {})", "setmetatable(_G, nil)", "getmetatable(_G).__index = nil",
                "rawset(getmetatable(_G), '__newindex', function() end)", "setmetatable(string, {})", "setmetatable(redis, {})",
                "rawset(string, 'rep', function() return 'pwned' end)", "string.rep = function() return 'pwned' end",
                "getmetatable('').__index = {}", "getmetatable('').__index.upper = function() return 'pwned' end",
                "rawset(getmetatable(''), '__index', {})", "rawset(getmetatable('').__index, 'len', nil)",
                "setmetatable(getmetatable(''), {})", "redis.call = function() return 'pwned' end", "table.insert(redis, 1)",
                "math.random = function() return 4 end", "coroutine.create = nil", "KEYS = {}", "_G._G = {}"}) {
            String error = evalFails(jedis, script);
            assertTrue(error.contains("Attempt to modify a readonly table"), script + ": " + error);
        }
        // nothing leaked into the next script, on this server or another in the same JVM
        assertEquals("XX", jedis.eval("return ('x'):rep(2):upper()"));
        try (RespireServer second = RespireServer.start("--port", "0");
             Jedis j = new Jedis("127.0.0.1", second.port())) {
            assertEquals("abcabc", j.eval("return string.rep('abc', 2)"));
        }
        stillServing(other);
    }

    @Test
    void hugeStringsAreRefused() {
        for (String script : new String[] {"return string.rep('x', 2^31 - 1)", "return string.rep('x', 2^30)",
                "return string.rep('xxxxxxxx', 2^28)", "return string.rep('x', 2^40 + 2^30)"}) {
            String error = evalFails(jedis, script);
            assertTrue(error.contains("not enough memory"), script + ": " + error);
        }
        // the count is luaL_checkint's: (int) of the 64-bit integer, as Redis's C narrows it
        for (String script : new String[] {"return #string.rep('x', 2^31)", "return #string.rep('x', 2^40)",
                "return #string.rep('x', 2^62)", "return #string.rep('x', -5)"}) {
            assertEquals(0L, jedis.eval(script), script);
        }
        assertEquals(0L, jedis.eval("return #string.rep('x', 1e300)"), "out of range is LLONG_MIN, as C converts: empty");
        stillServing(other);
    }

    @Test
    void deepRecursionEndsInAnError() {
        String error = evalFails(jedis, "local function f(n) return 1 + f(n + 1) end return f(1)");
        assertTrue(error.contains("stack overflow"), error);
        error = evalFails(jedis, "local t = setmetatable({}, {__index = function(t, k) return t[k .. 'x'] end}) return t.a");
        assertTrue(error.contains("stack overflow"), error);
        error = evalFails(jedis, "local function f() local ok, e = pcall(f) error(e, 0) end f()");
        assertTrue(error.contains("stack overflow"), error);
        error = evalFails(jedis, "local t = {} setmetatable(t, {__tostring = function(x) return tostring(x) end}) return tostring(t)");
        assertTrue(error.contains("stack overflow"), error);
        // a table that contains itself: the reply stops at Redis's limit (7,995 levels, which the
        // client parses recursively: on a deep stack)
        Object[] deep = new Object[1];
        Thread reader = new Thread(null, () -> deep[0] = jedis.eval("local t = {} t[1] = t return t"), "deep", 256L << 20);
        reader.start();
        try {
            reader.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        Object bottom = deep[0];
        int levels = 0;
        while (bottom instanceof List<?> list && list.size() == 1) {
            bottom = list.get(0);
            levels++;
        }
        assertEquals(7995, levels);
        assertTrue(bottom instanceof JedisDataException e && e.getMessage().contains("reached lua stack limit"), String.valueOf(bottom));
        stillServing(other);
    }

    /** Live threads that run coroutines (LuaJ names them Coroutine-N). */
    private static long coroutineThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("Coroutine-")).count();
    }

    @Test
    void coroutinesAreBounded() {
        long threadsBefore = coroutineThreads();
        // many short-lived coroutines: each finishes, so its thread ends
        assertEquals(5000L, jedis.eval("local n = 0 for i = 1, 5000 do local co = coroutine.create(function(a) return a end) "
                + "local ok, v = coroutine.resume(co, 1) n = n + v end return n"));
        // many suspended at once: past the bound the script fails (each holds a Java thread)
        String error = evalFails(jedis, "local cs = {} for i = 1, 100000 do local co = coroutine.create(function() coroutine.yield() end) "
                + "coroutine.resume(co) cs[i] = co end return #cs");
        assertTrue(error.contains("too many coroutines"), error);
        // coroutines that never finish: stopped when the script ends
        assertEquals(500L, jedis.eval("local n = 0 for i = 1, 500 do local co = coroutine.wrap(function() while true do coroutine.yield() end end) "
                + "co() n = n + 1 end return n"));
        // the end of the script waits for their threads to end, before the reply
        assertEquals(threadsBefore, coroutineThreads(), "coroutine threads outlive their scripts");
        // a coroutine that recurses without end fails inside the coroutine, not the server
        assertEquals("false", ((List<?>) jedis.eval("local co = coroutine.create(function() local function f() return 1 + f() end return f() end) "
                + "local ok, e = coroutine.resume(co) return {tostring(ok), e}")).get(0));
        stillServing(other);
    }

    /** Collections the test JVM (where the embedded server runs) has made so far. */
    private static long jvmCollections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    @Test
    @Timeout(60)
    void collectgarbageInALoopNeverForcesJvmCollections() throws Exception {
        long before = jvmCollections();
        assertEquals(100000L, jedis.eval("local n = 0 for i = 1, 100000 do collectgarbage('collect') collectgarbage('step') n = n + 1 end return n"));
        // 200,000 calls: were each a System.gc(), the count would grow by as many; the JVM's own
        // collections while the script allocates are a few
        long collections = jvmCollections() - before;
        assertTrue(collections < 1000, "200,000 collectgarbage calls made " + collections + " JVM collections");
        // and while one client loops on it, another is answered once the script ends
        CompletableFuture<Object> looping = CompletableFuture.supplyAsync(() ->
                jedis.eval("for i = 1, 200000 do collectgarbage() end return 'done'"));
        assertEquals("PONG", other.ping());
        assertEquals("done", looping.get(30, TimeUnit.SECONDS));
        stillServing(other);
    }

    @Test
    @Timeout(60)
    void anEndlessLoopIsKilledAndTheServerServesMeanwhile() throws Exception {
        other.configSet("busy-reply-threshold", "200");
        CompletableFuture<String> looping = CompletableFuture.supplyAsync(() -> evalFails(jedis, "while true do end"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String busy = null;
        while (System.nanoTime() < deadline) {
            try {
                other.get("canary");
            } catch (JedisDataException e) {
                busy = e.getMessage();
                break;
            }
            Thread.sleep(20);
        }
        assertTrue(busy != null && busy.startsWith("BUSY"), "no BUSY reply while the script loops: " + busy);
        assertEquals("OK", other.scriptKill());
        String error = looping.get(20, TimeUnit.SECONDS);
        assertTrue(error.contains("Script killed by user with SCRIPT KILL"), error);
        stillServing(other);
    }

    // ---- Memory: a Respire of its own in a JVM with a small heap

    private static Process smallHeap;
    private static int smallHeapPort;
    private static Path smallHeapLog;

    @BeforeAll
    static void startSmallHeapServer() throws IOException, InterruptedException {
        smallHeapPort = RedisServerProcess.freePort();
        smallHeapLog = Files.createTempFile("respire-small-heap", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx192m", "-Xss64m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "io.respire.server.Main",
                "--port", String.valueOf(smallHeapPort), "--bind", "127.0.0.1"));
        smallHeap = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(smallHeapLog.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Jedis j = new Jedis("127.0.0.1", smallHeapPort)) {
                if ("PONG".equals(j.ping())) {
                    return;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(100);
            }
        }
        fail("the small-heap Respire did not start: " + Files.readString(smallHeapLog));
    }

    @AfterAll
    static void stopSmallHeapServer() throws InterruptedException, IOException {
        if (smallHeap != null) {
            smallHeap.destroy();
            if (!smallHeap.waitFor(10, TimeUnit.SECONDS)) {
                smallHeap.destroyForcibly();
            }
        }
        if (smallHeapLog != null) {
            Files.deleteIfExists(smallHeapLog);
        }
    }

    /** A script long enough to pass the hook's heap check (every 100,000 instructions) many times. */
    private static final String LONG_SCRIPT = "local x = 0 for i = 1, 1e6 do x = x + i end return x";

    private static void smallHeapStillServing() throws IOException {
        assertTrue(smallHeap.isAlive(), "the JVM died:\n" + Files.readString(smallHeapLog));
        try (Jedis j = new Jedis("127.0.0.1", smallHeapPort, 30_000)) {
            assertEquals("PONG", j.ping());
            j.set("after", "ok");
            assertEquals("ok", j.get("after"));
            assertEquals(6L, j.eval("return 1 + 2 + 3"));
        }
    }

    @Test
    @Timeout(60) // filling the heap until OutOfMemoryError took two minutes of garbage collection
    void tablesGrowingWithoutEndRunOutOfMemoryAsAnError() throws IOException {
        try (Jedis j = new Jedis("127.0.0.1", smallHeapPort, 120_000)) {
            j.set("canary", "alive");
            for (String script : new String[] {
                    "local t = {} local i = 0 while true do i = i + 1 t[i] = 'value ' .. i end",
                    "local t = {} while true do t[#t + 1] = {#t, {}, 'x'} end",
                    "local t = {} local i = 0 while true do i = i + 1 t['key' .. i] = i end"}) {
                String error = evalFails(j, script);
                assertTrue(error.contains("not enough memory"), script + ": " + error);
                assertEquals("alive", j.get("canary"));
                assertEquals(500000500000L, j.eval(LONG_SCRIPT), "a script after the failed one must not be refused");
            }
        }
        smallHeapStillServing();
    }

    @Test
    @Timeout(60)
    void stringsGrowingWithoutEndRunOutOfMemoryAsAnError() throws IOException {
        try (Jedis j = new Jedis("127.0.0.1", smallHeapPort, 120_000)) {
            for (String script : new String[] {"local s = 'x' while true do s = s .. s end",
                    "local s = string.rep('x', 100 * 1024 * 1024) return #(s .. s .. s)",
                    "return #string.rep('x', 400 * 1024 * 1024)",
                    "local parts = {} for i = 1, 1e9 do parts[i] = string.rep('y', 1024) end return #table.concat(parts)"}) {
                String error = evalFails(j, script);
                assertTrue(error.contains("not enough memory") || error.contains("NegativeArraySize"), script + ": " + error);
                assertEquals(500000500000L, j.eval(LONG_SCRIPT), "a script after the failed one must not be refused");
            }
        }
        smallHeapStillServing();
    }
}
