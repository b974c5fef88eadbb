package io.respire.scripting;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.respire.protocol.RespReplyWriter;
import io.respire.scripting.lua.RedisRandom;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The function engine against a fake server: library metadata, register_function and its errors,
 * what a library's code sees while it loads and what its functions see when they run, DUMP and
 * RESTORE. Expected texts are Redis 7.0.15's replies to the same libraries (without "ERR ").
 */
class FunctionsTest {
    private final Functions functions = new Functions(new RedisRandom());
    private final List<String> log = new ArrayList<>();

    private final ScriptHost host = new ScriptHost() {
        @Override
        public String call(ScriptRun run, byte[][] argv) {
            String name = new String(argv[0], StandardCharsets.UTF_8).toLowerCase();
            switch (name) {
                case "ping" -> functions.replies().simple("PONG");
                case "echo" -> functions.replies().bulk(argv[1]);
                default -> {
                    return "ERR Unknown Redis command called from script";
                }
            }
            return null;
        }

        @Override
        public Boolean permits(ScriptRun run, byte[][] argv) {
            return true;
        }

        @Override
        public void interrupt(ScriptRun run) {
        }

        @Override
        public void log(int level, String message) {
            log.add(level + " " + message);
        }
    };

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String load(String code) {
        return functions.load(bytes(code), false, Functions.LOAD_TIMEOUT_MS, host);
    }

    private String loadError(String code) {
        return assertThrows(ScriptException.class, () -> load(code)).getMessage();
    }

    private String fcall(String name, String... keysThenArgs) {
        return fcall(name, keysThenArgs.length, keysThenArgs);
    }

    private String fcall(String name, int numkeys, String... keysThenArgs) {
        Functions.Function f = functions.function(bytes(name));
        assertNotNull(f, name);
        byte[][] keys = new byte[numkeys][];
        byte[][] args = new byte[keysThenArgs.length - numkeys][];
        for (int i = 0; i < keysThenArgs.length; i++) {
            if (i < numkeys) {
                keys[i] = bytes(keysThenArgs[i]);
            } else {
                args[i - numkeys] = bytes(keysThenArgs[i]);
            }
        }
        ByteBuf out = Unpooled.buffer();
        functions.run(f, new ScriptRun(host, f.name(), false, false, false), keys, args, new RespReplyWriter(out));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String lib(String name, String body) {
        return "#!lua name=" + name + "\n" + body;
    }

    // ---- Metadata

    @Test
    void metadataErrors() {
        assertEquals("Missing library metadata", loadError("redis.register_function('f', function() end)"));
        assertEquals("Invalid library metadata", loadError("#!lua name=x"));
        assertEquals("Invalid library metadata", loadError("#!lua name=\"x\n"));
        assertEquals("Library name was not given", loadError("#!\n"));
        assertEquals("Library name was not given", loadError("#!lua\nreturn 1"));
        assertEquals("Invalid metadata value, name argument was given multiple times", loadError("#!lua name=a name=b\n"));
        assertEquals("Invalid metadata value, name argument was given multiple times", loadError("#!lua name=a NAME=b\n"));
        assertEquals("Invalid metadata value given: foo=bar", loadError("#!lua name=test foo=bar\n"));
        assertEquals("Engine '' not found", loadError("#! name=test\nreturn 1"));
        assertEquals("Engine 'bad_engine' not found", loadError("#!bad_engine name=test\nreturn 1"));
        String badName = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";
        assertEquals(badName, loadError("#!lua name=\nreturn 1"));
        assertEquals(badName, loadError("#!lua name=a-b\nreturn 1"));
        assertEquals(badName, loadError("#!lua name=\"a\\x00b\"\nreturn 1"));
    }

    @Test
    void metadataIsSplitAsRedisSplitsArguments() {
        // Quotes and escapes of sdssplitargs; the name= prefix and the engine in any case.
        assertEquals("foo", load(lib("\"foo\"", "redis.register_function('f1', function() return 1 end)")));
        assertEquals("A1", load("#!LUA NAME=\"\\x41\\x31\"\nredis.register_function('f2', function() return 1 end)"));
        assertEquals(List.of("foo", "A1"), functions.libraries().stream().map(Functions.Library::name).toList());
        assertEquals("LUA", functions.libraries().iterator().next().engine());
    }

    // ---- Loading

    @Test
    void loadRegistersAndRuns() {
        assertEquals("mylib", load(lib("mylib", """
                local function add1(a) return a + 1 end
                redis.register_function('f1', function(keys, args) return add1(1) end)
                redis.register_function{function_name='f2', callback=function(keys, args) return {keys[1], args[1]} end,
                    flags={'no-writes', 'ALLOW-OOM'}, description='two'}
                """)));
        assertEquals(":2\r\n", fcall("f1"));
        assertEquals(":2\r\n", fcall("F1"));
        assertEquals("*2\r\n$1\r\nk\r\n$1\r\na\r\n", fcall("f2", 1, "k", "a"));
        Functions.Function f2 = functions.function(bytes("f2"));
        assertEquals(ScriptFlags.NO_WRITES | ScriptFlags.ALLOW_OOM, f2.flags());
        assertArrayEquals(bytes("two"), f2.description());
        assertNull(functions.function(bytes("f1")).description());
        assertEquals(2, functions.functionCount());
        assertEquals(1, functions.libraryCount());
        // The library keeps its whole code, shebang included.
        assertTrue(new String(functions.libraries().iterator().next().code(), StandardCharsets.UTF_8).startsWith("#!lua name=mylib\n"));
    }

    @Test
    void loadErrors() {
        load(lib("lib1", "redis.register_function('f1', function() return 1 end)"));
        assertEquals("Library 'lib1' already exists", loadError(lib("lib1", "redis.register_function('x', function() end)")));
        assertEquals("Function f1 already exists", loadError(lib("lib2", "redis.register_function('f1', function() end)")));
        assertEquals("Function F1 already exists", loadError(lib("lib2", "redis.register_function('F1', function() end)")));
        assertEquals("No functions registered", loadError(lib("lib2", "return 1")));
        // Redis adds Lua 5.1's "'=' expected near 'script'"; LuaJ's compiler words it its own way.
        assertTrue(loadError(lib("lib2", "bad script")).startsWith("Error compiling function: user_function:2: "));
        assertEquals("Error registering functions: ERR Function already exists in the library",
                loadError(lib("lib2", "redis.register_function('g', function() end)\nredis.register_function('g', function() end)")));
        // Nothing of a failed load stays.
        assertNull(functions.function(bytes("g")));
        assertEquals(1, functions.libraryCount());
    }

    @Test
    void replaceKeepsTheOldLibraryWhenTheNewOneFails() {
        load(lib("lib1", "redis.register_function('f1', function() return 1 end)"));
        byte[] bad = bytes(lib("lib1", "redis.register_function('f1', 'not a function')"));
        assertThrows(ScriptException.class, () -> functions.load(bad, true, 500, host));
        assertEquals(":1\r\n", fcall("f1"));
        byte[] good = bytes(lib("lib1", "redis.register_function('f1', function() return 2 end)"));
        assertEquals("lib1", functions.load(good, true, 500, host));
        assertEquals(":2\r\n", fcall("f1"));
        assertEquals(1, functions.statsLibraries());
        assertEquals(1, functions.statsFunctions());
    }

    @Test
    void registerFunctionErrors() {
        String prefix = "Error registering functions: ERR ";
        String[][] cases = {
                {"redis.register_function()", "wrong number of arguments to redis.register_function"},
                {"redis.register_function('f1')", "calling redis.register_function with a single argument is only "
                        + "applicable to Lua table (representing named arguments)."},
                {"redis.register_function('f1', function() return 1 end, {}, 'description', 'extra arg')",
                        "wrong number of arguments to redis.register_function"},
                {"redis.register_function(nil, function() return 1 end)", "first argument to redis.register_function must be a string"},
                {"redis.register_function('f2', 'not a function')", "second argument to redis.register_function must be a function"},
                {"redis.register_function('test\\0test', function() return 1 end)", "Library names can only contain letters, "
                        + "numbers, or underscores(_) and must be at least one character long"},
                {"redis.register_function('', function() return 1 end)", "Library names can only contain letters, "
                        + "numbers, or underscores(_) and must be at least one character long"},
                {"redis.register_function{function_name=function() return 1 end, callback=function() end}",
                        "function_name argument given to redis.register_function must be a string"},
                {"redis.register_function{function_name='f1', callback='bad'}",
                        "callback argument given to redis.register_function must be a function"},
                {"redis.register_function{function_name='f1', callback=function() end, description=function() end}",
                        "description argument given to redis.register_function must be a string"},
                {"redis.register_function{function_name='f1', callback=function() end, some_unknown='unknown'}",
                        "unknown argument given to redis.register_function"},
                {"redis.register_function{[1]='f'}", "unknown argument given to redis.register_function"},
                {"redis.register_function{[true]='f'}", "named argument key given to redis.register_function is not a string"},
                {"redis.register_function{callback=function() end, description='desc'}",
                        "redis.register_function must get a function name argument"},
                {"redis.register_function{function_name='f1', description='desc'}",
                        "redis.register_function must get a callback argument"},
                {"redis.register_function{function_name='f1', callback=function() end, flags='bad flags type'}",
                        "flags argument to redis.register_function must be a table representing function flags"},
                {"redis.register_function{function_name='f1', callback=function() end, flags={function() return 1 end}}",
                        "unknown flag given"},
                {"redis.register_function{function_name='f1', callback=function() end, flags={'unknown'}}", "unknown flag given"},
        };
        for (String[] c : cases) {
            assertEquals(prefix + c[1], loadError(lib("lib", c[0])), c[0]);
        }
        // Numbers are strings to register_function, as to Lua.
        assertEquals("lib", load(lib("lib", "redis.register_function{function_name=5, callback=function() return 1 end, description=6}")));
        assertArrayEquals(bytes("6"), functions.function(bytes("5")).description());
    }

    @Test
    void loadingCodeSeesOnlyTheLibraryApi() {
        String prefix = "Error registering functions: ERR user_function:2: ";
        assertEquals(prefix + "Script attempted to access nonexistent global variable 'math'", loadError(lib("l", "return math.random()")));
        assertEquals(prefix + "Script attempted to access nonexistent global variable 'call'", loadError(lib("l", "return redis.call('ping')")));
        assertEquals(prefix + "Script attempted to access nonexistent global variable 'setresp'", loadError(lib("l", "return redis.setresp(3)")));
        assertEquals(prefix + "Script attempted to access nonexistent global variable 'getmetatable'", loadError(lib("l", "mt = getmetatable(_G)")));
        assertEquals(prefix + "Script attempted to access nonexistent global variable 'error'", loadError(lib("l", "error('x')")));
        assertEquals(prefix + "Attempt to modify a readonly table", loadError(lib("l", "a = 1")));
        assertEquals(prefix + "Attempt to modify a readonly table", loadError(lib("l", "redis.x = 1")));
        assertEquals(prefix + "Script attempted to access nonexistent global variable 'math'", loadError(lib("l", "redis.math.random()")));
        // redis.log, the levels and the version are there.
        assertEquals("l", load(lib("l", """
                redis.log(redis.LOG_WARNING, 'loading', redis.REDIS_VERSION, redis.REDIS_VERSION_NUM)
                redis.register_function('v', function() return redis.REDIS_VERSION end)
                """)));
        assertEquals(List.of("3 loading 7.0.15 458767"), log);
    }

    @Test
    void functionsSeeTheFullApiButNoLibraryApi() {
        load(lib("lib1", """
                local lib = redis
                redis.register_function('f1', function() lib.redis = redis return 1 end)
                redis.register_function('f2', function() lib.register_function('f3', function() end) end)
                redis.register_function('f4', function() redis.register_function('f5', function() end) end)
                redis.register_function('f6', function(keys, args) return {redis.call('ping'), string.rep('a', 2), KEYS} end)
                redis.register_function('f7', function() return redis.breakpoint end)
                redis.register_function('f8', function() mt = getmetatable(_G) end)
                """));
        assertEquals("-ERR user_function:3: Attempt to modify a readonly table script: f1, on @user_function:3.\r\n", fcall("f1"));
        assertEquals("-ERR redis.register_function can only be called on FUNCTION LOAD command script: f2, on @user_function:4.\r\n",
                fcall("f2"));
        assertEquals("-ERR user_function:5: attempt to call field 'register_function' (a nil value) script: f4, on @user_function:5.\r\n",
                fcall("f4"));
        assertEquals("-ERR user_function:6: Script attempted to access nonexistent global variable 'KEYS' script: f6, on @user_function:6.\r\n",
                fcall("f6"));
        // The debugger stubs are EVAL's only.
        assertEquals("$-1\r\n", fcall("f7"));
        assertEquals("-ERR user_function:8: Attempt to modify a readonly table script: f8, on @user_function:8.\r\n", fcall("f8"));
    }

    @Test
    void loadTimesOut() {
        long start = System.nanoTime();
        assertEquals("Error registering functions: ERR FUNCTION LOAD timeout",
                loadError(lib("lib", "local a = 1 while 1 do a = a + 1 end")));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 500 && ms < 5000, ms + " ms");
        // Without a limit (RESTORE, replication) the same kind of code is only bounded by itself.
        byte[] slowButFinite = bytes(lib("lib", "local a = 1 while a < 3000000 do a = a + 1 end redis.register_function('f', function() return a end)"));
        assertEquals("lib", functions.load(slowButFinite, false, 0, host));
    }

    @Test
    void errorsOfTheLogFunctionWhileLoading() {
        assertEquals("Error registering functions: ERR redis.log() requires two arguments or more.",
                loadError(lib("lib", "redis.log(redis.LOG_WARNING)")));
    }

    // ---- Delete, flush, stats

    @Test
    void deleteAndFlush() {
        load(lib("a", "redis.register_function('f1', function() return 1 end)"));
        load(lib("b", "redis.register_function('f2', function() return 1 end) redis.register_function('f3', function() return 1 end)"));
        assertEquals(2, functions.statsLibraries());
        assertEquals(3, functions.statsFunctions());
        long overhead = functions.overheadMemory();
        assertTrue(functions.delete("a"));
        assertTrue(!functions.delete("a"));
        assertNull(functions.function(bytes("f1")));
        assertEquals(1, functions.statsLibraries());
        assertEquals(2, functions.statsFunctions());
        assertTrue(functions.overheadMemory() < overhead);
        functions.flush();
        assertEquals(0, functions.libraryCount());
        assertEquals(0, functions.statsFunctions());
        assertEquals(200, functions.overheadMemory());
    }

    /** Redis 7.0.15's used_memory_functions for the same libraries: 200, then 440, then 784. */
    @Test
    void overheadMemoryCountsAsRedisDoes() {
        assertEquals(200, functions.overheadMemory());
        load(lib("a", "redis.register_function(\"f\", function() return 1 end)"));
        assertEquals(440, functions.overheadMemory());
        load(lib("b", "redis.register_function(\"g\", function() return 1 end)\nredis.register_function(\"h\", function() return 1 end)"));
        assertEquals(784, functions.overheadMemory());
    }

    // ---- DUMP and RESTORE

    @Test
    void dumpAndRestoreRoundTrip() {
        load(lib("lib1", "redis.register_function{function_name='f1', callback=function() return 'one' end, flags={'no-writes'}, description='d'}"));
        load(lib("lib2", "redis.register_function('f2', function() return 'two' end)"));
        byte[] payload = functions.dump(true);
        functions.flush();
        functions.restore(payload, Functions.RestorePolicy.APPEND, false, host);
        assertEquals("$3\r\none\r\n", fcall("f1"));
        assertEquals("$3\r\ntwo\r\n", fcall("f2"));
        assertEquals(ScriptFlags.NO_WRITES, functions.function(bytes("f1")).flags());
        assertArrayEquals(payload, functions.dump(true));
        // Uncompressed payloads restore the same.
        byte[] plain = functions.dump(false);
        functions.flush();
        functions.restore(plain, Functions.RestorePolicy.FLUSH, false, host);
        assertArrayEquals(payload, functions.dump(true));
    }

    @Test
    void restorePolicies() {
        load(lib("lib1", "redis.register_function('f1', function() return 1 end) redis.register_function('f3', function() return 3 end)"));
        byte[] payload = functions.dump(true);
        functions.flush();
        load(lib("lib1", "redis.register_function('f6', function() return 7 end)"));
        load(lib("lib2", "redis.register_function('f3', function() return 4 end)"));

        ScriptException append = assertThrows(ScriptException.class,
                () -> functions.restore(payload, Functions.RestorePolicy.APPEND, false, host));
        assertEquals("Library lib1 already exists", append.getMessage());
        ScriptException replace = assertThrows(ScriptException.class,
                () -> functions.restore(payload, Functions.RestorePolicy.REPLACE, false, host));
        assertEquals("Function f3 already exists", replace.getMessage());
        // Nothing changed: the replaced library came back.
        assertEquals(":7\r\n", fcall("f6"));
        assertEquals(":4\r\n", fcall("f3"));
        assertEquals(2, functions.statsLibraries());
        assertEquals(2, functions.statsFunctions());

        functions.delete("lib2");
        functions.restore(payload, Functions.RestorePolicy.REPLACE, false, host);
        assertNull(functions.function(bytes("f6")));
        assertEquals(":3\r\n", fcall("f3"));

        functions.restore(payload, Functions.RestorePolicy.FLUSH, false, host);
        assertEquals(1, functions.libraryCount());

        ScriptException bad = assertThrows(ScriptException.class,
                () -> functions.restore(bytes("bad_payload"), Functions.RestorePolicy.FLUSH, false, host));
        assertEquals("DUMP payload version or checksum are wrong", bad.getMessage());
        assertEquals(1, functions.libraryCount());
    }

    @Test
    void restoreOfAPayloadWithTheSameLibraryTwiceFails() {
        load(lib("lib1", "redis.register_function('f1', function() return 1 end)"));
        byte[] one = functions.dump(true);
        // The same record twice, with a new footer.
        byte[] body = java.util.Arrays.copyOf(one, one.length - 10);
        byte[] twice = new byte[body.length * 2];
        System.arraycopy(body, 0, twice, 0, body.length);
        System.arraycopy(body, 0, twice, body.length, body.length);
        byte[] payload = io.respire.persistence.DumpPayload.seal(twice, twice.length);
        ScriptException e = assertThrows(ScriptException.class,
                () -> functions.restore(payload, Functions.RestorePolicy.FLUSH, false, host));
        assertEquals("Library 'lib1' already exists", e.getMessage());
        assertEquals(":1\r\n", fcall("f1"));
    }
}
