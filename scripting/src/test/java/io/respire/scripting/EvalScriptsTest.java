package io.respire.scripting;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.respire.protocol.RespReplyWriter;
import io.respire.scripting.lua.RedisRandom;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EVAL engine against a fake server: conversions both ways, errors as Redis words them, the
 * sandbox. Replies are compared as RESP, the bytes a client would read.
 */
class EvalScriptsTest {
    private final EvalScripts engine = new EvalScripts(new RedisRandom());
    private final List<String> log = new ArrayList<>();

    /** A server with a few commands: PING, ECHO, ERR (an error reply), and the RESP3 shapes. */
    private final ScriptHost host = new ScriptHost() {
        @Override
        public String call(ScriptRun run, byte[][] argv) {
            String name = new String(argv[0], StandardCharsets.UTF_8).toLowerCase();
            var r = engine.replies();
            switch (name) {
                case "ping" -> r.simple("PONG");
                case "echo" -> r.bulk(argv[1]);
                case "fail" -> r.error("ERR it failed");
                case "nil" -> r.nullBulk();
                case "map" -> {
                    r.map(1);
                    r.bulk("k");
                    r.integer(1);
                }
                case "double" -> r.doubleValue(3.5);
                case "args" -> {
                    r.array(argv.length - 1);
                    for (int i = 1; i < argv.length; i++) {
                        r.bulk(argv[i]);
                    }
                }
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

    private String eval(String body, String... keysThenNothing) {
        EvalScripts.Script script = engine.load(body.getBytes(StandardCharsets.UTF_8));
        ByteBuf out = Unpooled.buffer();
        RespReplyWriter writer = new RespReplyWriter(out);
        ScriptRun run = new ScriptRun(host, script.sha(), true, false, false);
        byte[][] keys = new byte[keysThenNothing.length][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = keysThenNothing[i].getBytes(StandardCharsets.UTF_8);
        }
        engine.run(script, run, keys, new byte[0][], writer);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String sha(String body) {
        return EvalScripts.sha1Hex(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void luaValuesBecomeReplies() {
        assertEquals("$5\r\nhello\r\n", eval("return 'hello'"));
        assertEquals(":100\r\n", eval("return 100.5"));
        assertEquals(":-3\r\n", eval("return -3.99"));
        assertEquals(":1\r\n", eval("return true"));
        assertEquals("$-1\r\n", eval("return false"));
        assertEquals("$-1\r\n", eval("return nil"));
        assertEquals("+fine\r\n", eval("return {ok='fine'}"));
        assertEquals("-ERR this is an error\r\n", eval("return {err='ERR this is an error'}"));
        assertEquals("*5\r\n:1\r\n:2\r\n:3\r\n$4\r\nciao\r\n*2\r\n:1\r\n:2\r\n", eval("return {1,2,3,'ciao',{1,2}}"));
        assertEquals("*2\r\n:1\r\n:2\r\n", eval("return {1,2,nil,4}"));
        assertEquals(":-9223372036854775808\r\n", eval("return 0/0"));
        assertEquals("+a  b\r\n", eval("return redis.status_reply('a\\r\\nb')"));
    }

    @Test
    void commandRepliesBecomeLuaValues() {
        assertEquals("*2\r\n$5\r\ntable\r\n$4\r\nPONG\r\n", eval("local r = redis.call('ping') return {type(r), r.ok}"));
        assertEquals("*2\r\n$7\r\nboolean\r\n:1\r\n", eval("local r = redis.call('nil') return {type(r), r == false}"));
        assertEquals("*2\r\n$3\r\nnil\r\n:1\r\n",
                eval("redis.setresp(3) local r = redis.call('nil') return {type(r), r == nil}"));
        assertEquals("*2\r\n$1\r\nk\r\n:1\r\n", eval("return redis.call('map')"));
        assertEquals("*1\r\n:1\r\n", eval("redis.setresp(3) return {redis.call('map')['map']['k']}"));
        assertEquals("$3\r\n3.5\r\n", eval("return redis.call('double')"));
        assertEquals("*2\r\n$19\r\n9007199254740991\r\n$3\r\n1.5\r\n".replace("$19", "$16"),
                eval("return redis.call('args', 9007199254740991, 1.5)"));
    }

    @Test
    void errorsAreWordedAsRedisWordsThem() {
        assertEquals("-ERR user_script:1: Script attempted to access nonexistent global variable 'a' script: "
                + sha("return a") + ", on @user_script:1.\r\n", eval("return a"));
        assertEquals("-ERR user_script:1: Attempt to modify a readonly table script: "
                + sha("a=10") + ", on @user_script:1.\r\n", eval("a=10"));
        assertEquals("-ERR user_script:1: boom script: " + sha("error('boom')") + ", on @user_script:1.\r\n",
                eval("error('boom')"));
        assertEquals("-ERR boom script: " + sha("error('boom', 0)") + ", on @user_script:1.\r\n", eval("error('boom', 0)"));
        assertEquals("-X y script: " + sha("error({err='X y'})") + ", on @user_script:1.\r\n", eval("error({err='X y'})"));
        assertEquals("-ERR Unknown Redis command called from script script: " + sha("return redis.call('nosuch')")
                + ", on @user_script:1.\r\n", eval("return redis.call('nosuch')"));
        assertEquals("-ERR it failed script: " + sha("\nreturn redis.call('fail')") + ", on @user_script:2.\r\n",
                eval("\nreturn redis.call('fail')"));
        assertEquals("$16\r\nuser_script:1: x\r\n", eval("local ok, e = pcall(function() error('x') end) return e"));
        assertEquals("$44\r\nERR Unknown Redis command called from script\r\n",
                eval("local ok, e = pcall(function() redis.call('nosuch') end) return e"));
        assertEquals("-ERR it failed\r\n", eval("return redis.pcall('fail')"));
        assertEquals("-ERR Please specify at least one argument for this redis lib call script: "
                + sha("return redis.call()") + ", on @user_script:1.\r\n", eval("return redis.call()"));
    }

    @Test
    void theSandboxHasOnlyRedisGlobals() {
        for (String name : new String[] {"io", "os", "package", "require", "debug", "dofile", "loadfile", "print",
                "luajava", "getfenv", "setfenv", "newproxy", "rawlen", "module"}) {
            String body = "return " + name;
            assertEquals("-ERR user_script:1: Script attempted to access nonexistent global variable '" + name
                    + "' script: " + sha(body) + ", on @user_script:1.\r\n", eval(body), name);
        }
        String refused = eval("local f, e = loadstring(string.dump(function() return 1 end)) return e");
        assertTrue(refused.endsWith("]:1: unexpected symbol near 'char(27)'\r\n"), refused);
        assertEquals(":1\r\n", eval("return loadstring('return 1')()"));
    }

    @Test
    void libraryTablesAreReadOnly() {
        for (String body : new String[] {"redis.call = function() return 1 end", "string.len = nil",
                "local g = getmetatable(_G) g.__index = {}", "_G = {}", "getmetatable('').__index.upper = nil"}) {
            assertEquals("-ERR user_script:1: Attempt to modify a readonly table script: " + sha(body)
                    + ", on @user_script:1.\r\n", eval(body), body);
        }
        // Raised inside a library function, as Lua raises it from C: no script position.
        for (String body : new String[] {"setmetatable(_G, {})", "table.insert(math, 1)", "rawset(redis, 'x', 1)"}) {
            assertEquals("-ERR Attempt to modify a readonly table script: " + sha(body)
                    + ", on @user_script:1.\r\n", eval(body), body);
        }
    }

    @Test
    void numbersPrintAsLua51() {
        assertEquals("$33\r\n0.33333333333333 0.33333333333333\r\n".replace("0.33333333333333 0.33333333333333",
                "0.33333333333333 0.33333333333333"), eval("return tostring(1/3) .. ' ' .. tostring(1/3)"));
        assertEquals("$5\r\n1e+15\r\n", eval("return tostring(1e15)"));
        assertEquals("$18\r\n9.007199254741e+15\r\n", eval("return tostring(2^53)"));
        assertEquals("$3\r\ninf\r\n", eval("return tostring(1/0)"));
    }

    @Test
    void lua51Functions() {
        assertEquals(":2\r\n", eval("return table.getn({1,2})"));
        assertEquals(":1\r\n", eval("return math.mod(7,3)"));
        assertEquals(":-1\r\n", eval("return math.mod(-7,3)"));
        assertEquals(":10\r\n", eval("return table.maxn({1,2,[10]=3})"));
        assertEquals(":2\r\n", eval("return math.log10(100)"));
        assertEquals(":3\r\n", eval("return select('#', unpack({1,2,3}))"));
        assertEquals("$7\r\nLua 5.1\r\n", eval("return _VERSION"));
    }

    @Test
    void randomIsRedisGenerator() {
        // Redis 7.0.15: math.randomseed(10); tostring(math.random()) is the same on every platform.
        String first = eval("math.randomseed(10) return tostring(math.random())");
        assertEquals(first, eval("math.randomseed(10) return tostring(math.random())"));
    }

    @Test
    void badShebangs() {
        ScriptException e = assertThrows(ScriptException.class, () -> engine.load("#!not-lua\nreturn 1".getBytes()));
        assertEquals("Unexpected engine in script shebang: #!not-lua", e.getMessage());
        e = assertThrows(ScriptException.class, () -> engine.load("#!lua badger=data\nreturn 1".getBytes()));
        assertEquals("Unknown lua shebang option: badger=data", e.getMessage());
        e = assertThrows(ScriptException.class, () -> engine.load("#!lua flags=allow-oom,what?\nreturn 1".getBytes()));
        assertEquals("Unexpected flag in script shebang: what?", e.getMessage());
        assertEquals(ScriptFlags.NO_WRITES, engine.load("#!lua flags=no-writes\nreturn 1".getBytes()).flags());
    }

    @Test
    void scriptExistsIgnoresCase() {
        String sha = engine.load("return 1".getBytes()).sha();
        assertTrue(engine.exists(sha));
        assertTrue(engine.exists(sha.toUpperCase(java.util.Locale.ROOT)), "Redis's script dictionary ignores case");
        assertFalse(engine.exists("abc"));
    }

    @Test
    void compileErrors() {
        ScriptException e = assertThrows(ScriptException.class, () -> engine.load("return (".getBytes()));
        // Redis adds "unexpected symbol near '<eof>'": LuaJ's parser words the rest its own way
        // (a known difference, ScriptingDifferentialTest), so only Redis's frame is asserted.
        assertTrue(e.getMessage().startsWith("Error compiling script (new function): user_script:1: "), e.getMessage());
    }
}
