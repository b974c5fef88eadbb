package io.respire.conformance;

import org.opentest4j.AssertionFailedError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * EVAL compared with Redis 7.0.15 by measurement: a corpus of scripts, each run with EVAL on both
 * servers in RESP2 and in RESP3 (HELLO 3), the raw replies compared byte for byte. It covers every
 * Lua-to-RESP conversion, every RESP-to-Lua conversion of the replies of real commands (DEBUG
 * PROTOCOL's types included), errors and their exact texts, the {@code redis} API, the Lua 5.1
 * base library, and the protection of the globals.
 *
 * <p>Each test method runs all its cases and then reports every difference at once. Where a
 * difference is inherent to LuaJ (or to a choice Respire made on purpose), the case is not left
 * out silently: it is in {@link #KNOWN_DIFFERENCES} with the reason, and that test asserts it
 * still differs, so the list stays true. Scripts that crash Redis 7.0.15 itself are in
 * {@link #respireSurvivesWhatCrashesRedis}, run against Respire only.
 */
class ScriptingDifferentialTest {

    /** One command sent to both servers, with the commands that prepare it. */
    record Case(Object[] command, ReplyComparison how, List<Object[]> setup) {
        Case unordered() {
            return new Case(command, ReplyComparison.UNORDERED, setup);
        }

        Case after(Object... setupCommand) {
            List<Object[]> all = new ArrayList<>(setup);
            all.add(setupCommand);
            return new Case(command, how, all);
        }

        String describe() {
            return RespConnection.describe(command);
        }
    }

    /** EVAL {@code script} 0. */
    static Case lua(String script) {
        return cmd("EVAL", script, "0");
    }

    /** EVAL {@code script} with these keys (and no arguments). */
    static Case luaKeys(String script, String... keys) {
        Object[] command = new Object[3 + keys.length];
        command[0] = "EVAL";
        command[1] = script;
        command[2] = String.valueOf(keys.length);
        System.arraycopy(keys, 0, command, 3, keys.length);
        return new Case(command, ReplyComparison.EXACT, List.of());
    }

    /** Any command. */
    static Case cmd(Object... command) {
        return new Case(command, ReplyComparison.EXACT, List.of());
    }

    static List<Case> lua(String... scripts) {
        List<Case> cases = new ArrayList<>();
        for (String s : scripts) {
            cases.add(lua(s));
        }
        return cases;
    }

    /**
     * Runs every case on freshly emptied servers and fails once, listing every case whose replies
     * differ. Returns how many cases ran.
     */
    static int run(Dual d, List<Case> cases) {
        // Replies nested thousands deep (a table that contains itself) are parsed recursively: on
        // a thread with a deep stack.
        Throwable[] thrown = new Throwable[1];
        Thread runner = new Thread(null, () -> {
            try {
                runCases(d, cases);
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "scripting-corpus", 256L * 1024 * 1024);
        runner.start();
        try {
            runner.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (thrown[0] instanceof RuntimeException e) {
            throw e;
        }
        if (thrown[0] instanceof Error e) {
            throw e;
        }
        return cases.size();
    }

    private static void runCases(Dual d, List<Case> cases) {
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            d.both("FLUSHALL");
            for (Object[] setup : c.setup()) {
                d.both(setup);
            }
            RespReply[] replies = d.both(c.command());
            RespReply redis = replies[0];
            RespReply respire = replies[1];
            if (respire == null || !c.how().same(redis, respire)) {
                String expected = RespReply.escape(redis.raw);
                String actual = respire == null ? "<no reply>" : RespReply.escape(respire.raw);
                int at = 0;
                while (at < expected.length() && at < actual.length() && expected.charAt(at) == actual.charAt(at)) {
                    at++;
                }
                failures.add("`" + c.describe() + "`" + (at > 100 ? " (differs at character " + at + ")" : "")
                        + "\n      redis:   " + excerpt(expected, at) + "\n      respire: " + excerpt(actual, at));
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionFailedError("RESP" + d.protocol() + ": " + failures.size() + " of " + cases.size()
                    + " scripts differ from Redis " + ExternalTools.EXPECTED_REDIS_VERSION + ":\n  "
                    + String.join("\n  ", failures));
        }
    }

    /** Up to 300 characters of {@code s} around {@code at}. */
    private static String excerpt(String s, int at) {
        int from = Math.max(0, Math.min(at - 100, s.length() - 300));
        int to = Math.min(s.length(), from + 300);
        return (from > 0 ? "..." : "") + s.substring(from, to) + (to < s.length() ? "... (" + s.length() + " chars)" : "");
    }

    // ---- Lua values become replies (luaReplyToRedisReply)

    static final List<Case> LUA_TO_RESP = new ArrayList<>();

    static {
        LUA_TO_RESP.addAll(lua(
                // strings and numbers
                "return 'hello'", "return ''", "return '\\0\\1\\255'", "return '10'", "return {'\\0'}",
                "return 42", "return -42", "return 0", "return 3.99", "return -3.99", "return 0.5", "return -0.5",
                "return 1e20", "return -1e20", "return 0/0", "return math.huge", "return -math.huge", "return 2^53",
                "return 2^63", "return -2^63", "return 9007199254740993", "return -0.0", "return 10 / 0",
                // booleans and nil, in RESP2 and RESP3, with setresp both ways
                "return true", "return false", "return nil",
                "redis.setresp(3); return true", "redis.setresp(3); return false", "redis.setresp(3); return nil",
                "redis.setresp(3); return {true, false}", "redis.setresp(2); return true",
                "redis.setresp(3); redis.setresp(2); return false", "redis.setresp(3); return {1, nil, 2}",
                // tables: arrays stop at the first nil, nested, keys that are not 1..n ignored
                "return {}", "return {1,2,3}", "return {1,nil,3}", "return {nil,1}", "return {1,'a',{2,3,{4}}}",
                "return {1, true, false, 'x'}", "return {1, 2, x=3}", "return {[1]=1, [2]=2, [4]=4}", "return {[2]=2}",
                "return {[1]='a', [1.5]='b'}", "return 1, 2", "return function() end",
                "return coroutine.create(function() end)", "return {function() end, 1}",
                // the tables that name a type
                "return {ok='fine'}", "return {err='bad'}", "return {err='MYCODE custom'}", "return {err=''}",
                "return {ok=''}", "return {ok='a\\r\\nb'}", "return {err='a\\r\\nb c'}", "return {err=1}", "return {ok=1}",
                "return {ok='x', err='y'}", "return {double=3.14}", "return {double='3.14'}", "return {double=1/0}",
                "return {double=-1/0}", "return {double=0/0}", "return {double=-(0/0)}", "return {double=1e300}", "return {double=0.1}", "return {double=3}",
                "return {double=-0.5}", "return {big_number='123456789012345678901234567890'}", "return {big_number=12}",
                "return {big_number='1\\r\\n2'}", "return {verbatim_string={format='txt', string='hello'}}",
                "return {verbatim_string={format='mkd', string='a\\r\\nb'}}", "return {verbatim_string={format='txt'}}",
                "return {verbatim_string='x'}", "return {map={a=1}}", "return {map={}}", "return {map={a={1,2}}}",
                "return {map={[1]='x'}}", "return {set={a=true}}", "return {set={}}", "return {set={[5]=true}}",
                "return {map='x'}", "return {set=1}", "return {{map={k='v'}}, {set={m=true}}, {double=1.5}}",
                "return {map={k={double=2.5}}}", "return {set={[true]=true}}",
                // tables that contain themselves, and deep nesting
                "local t = {}; t[1] = t; return t", "local t = {}; t.map = {x = t}; return t",
                "local t = {}; local c = t; for i = 1, 10000 do c[1] = {}; c = c[1] end; return t",
                "local t = {}; local c = t; for i = 1, 100 do c[1] = {i}; c = c[1] end; return t",
                // the reply helpers
                "return redis.status_reply('x')", "return redis.error_reply('x')", "return redis.error_reply('')",
                "return redis.error_reply('-X y')", "return redis.error_reply('MY code')", "return redis.error_reply('-')",
                "return redis.error_reply()", "return redis.error_reply(1)", "return redis.status_reply()",
                "return redis.status_reply(1)", "return redis.status_reply('a','b')", "return type(redis.error_reply('x'))",
                "return redis.error_reply('x').err", "return redis.error_reply('').err", "return redis.status_reply('x').ok",
                "return redis.status_reply('a\\r\\nb')"));
        LUA_TO_RESP.add(lua("return {map={a=1, b=2, c=3}}").unordered());
        LUA_TO_RESP.add(lua("return {map={t=true, f=false}}").unordered());
        // tables that contain themselves through maps and sets: Redis counts the Lua stack slots
        // each level holds (four for a map key, three for a map value or set member, one for an
        // array element)
        LUA_TO_RESP.addAll(lua("local t = {}; t.set = {}; t.set[t] = true; return t",
                "local t = {}; t.map = {}; t.map[t] = 1; return t", "local t = {}; t.map = {x = {t}}; return t"));
        LUA_TO_RESP.add(lua("return {set={a=true, b=true, c=true}}").unordered());
    }

    @Differential
    void luaValuesBecomeReplies(Dual d) {
        run(d, LUA_TO_RESP);
    }

    // ---- Replies of real commands become Lua values (redisProtocolToLuaType)

    static final List<Case> RESP_TO_LUA = new ArrayList<>();

    static {
        RESP_TO_LUA.addAll(lua(
                "return redis.call('get','nokey')", "return type(redis.call('get','nokey'))",
                "redis.setresp(3); return type(redis.call('get','nokey'))", "redis.setresp(3); return redis.call('get','nokey')",
                "return redis.call('set','k','v')", "return type(redis.call('set','k','v'))", "return redis.call('set','k','v').ok",
                "redis.call('set','k','v'); return redis.call('get','k')", "return redis.call('incr','ctr')",
                "return type(redis.call('incr','ctr'))", "return redis.call('incrbyfloat','f','1.5')",
                "return type(redis.call('incrbyfloat','f','1.5'))",
                "redis.call('hset','h','a','1','b','2'); return redis.call('hgetall','h')",
                "redis.setresp(3); redis.call('hset','h','a','1'); return redis.call('hgetall','h')",
                "redis.setresp(3); redis.call('hset','h','a','1'); local r = redis.call('hgetall','h'); return {type(r), type(r.map), r.map.a}",
                "redis.call('zadd','z','1.5','m'); return redis.call('zscore','z','m')",
                "redis.setresp(3); redis.call('zadd','z','1.5','m'); return redis.call('zscore','z','m')",
                "redis.setresp(3); redis.call('zadd','z','1.5','m'); local r = redis.call('zscore','z','m'); return {type(r), type(r.double), tostring(r.double)}",
                "redis.setresp(3); redis.call('zadd','z','1.5','m'); return redis.call('zrange','z',0,-1,'withscores')",
                "redis.call('zadd','z','1.5','m'); return redis.call('zrange','z',0,-1,'withscores')",
                "redis.setresp(3); return redis.call('zscore', 'z', 'nomember')",
                "redis.setresp(3); redis.call('zadd','z', 1, 'a'); return redis.call('zmscore', 'z', 'a', 'nomember')",
                "redis.setresp(3); redis.call('zadd','z', 1, 'a', 2, 'b'); return redis.call('zpopmin', 'z')",
                "redis.setresp(3); redis.call('zadd','z', 1, 'a'); return redis.call('zincrby', 'z', 1.5, 'a')",
                "redis.call('zadd','z', 1, 'a'); return redis.call('zincrby', 'z', 1.5, 'a')",
                "redis.call('sadd','s','a'); return redis.call('smembers','s')",
                "redis.setresp(3); redis.call('sadd','s','a'); return redis.call('smembers','s')",
                "redis.setresp(3); redis.call('sadd','s','a'); local r = redis.call('smembers','s'); return {type(r.set), tostring(r.set.a)}",
                "redis.call('rpush','l','a','b','c'); return redis.call('lrange','l',0,-1)", "return redis.call('lrange','nol',0,-1)",
                "return #redis.call('lrange','nol',0,-1)", "return redis.call('exists','a','b')", "return redis.call('ping')",
                "return redis.call('ping','x')", "return redis.call('echo','x')", "return redis.call('type','nokey')",
                "return redis.call('mget','a','b')", "redis.setresp(3); return redis.call('mget','a','b')",
                "redis.setresp(3); local r = redis.call('mget','a','b'); return #r", "return redis.call('GeT','nokey')",
                "return redis.call('object','encoding','nokey')", "return redis.call('command','count') > 100",
                "return redis.call('spop', 'noset')", "return redis.call('dbsize')", "return redis.call('randomkey')",
                "return redis.call('time')[1] ~= nil", "redis.setresp(3); return redis.call('config', 'get', 'maxmemory')",
                "return redis.call('config', 'get', 'maxmemory')", "redis.setresp(3); return redis.call('zrandmember', 'nozset', 1, 'withscores')",
                "return redis.call('set', 'k', 3.5) and redis.call('get', 'k')",
                "redis.call('set','k',0.1); return redis.call('get','k')", "redis.call('set','k',1e15); return redis.call('get','k')",
                "redis.call('set','k',-2^63); return redis.call('get','k')", "redis.call('set','k',2^64); return redis.call('get','k')",
                "redis.call('set','k',1/3); return redis.call('get','k')",
                "redis.call('set','k',1e300); return redis.call('get','k')", "redis.call('set','k',1/0); return redis.call('get','k')",
                "redis.call('set','k',123456789012345678); return redis.call('get','k')",
                "return redis.call('echo', 0.1)", "return redis.call('echo', 100)", "return redis.call('echo', -0.5)",
                "return redis.call('select', 1)", "redis.call('select', 1); return redis.call('set', 'db1key', 'v')",
                "return redis.call('select', 99)"));
        RESP_TO_LUA.add(luaKeys("return redis.call('set', KEYS[1], 'v', 'EX', '100')", "kk"));
        RESP_TO_LUA.add(luaKeys("redis.call('set', KEYS[1], 'v', 'EX', '100'); return redis.call('ttl', KEYS[1])", "kk"));
        RESP_TO_LUA.add(lua("redis.setresp(3); redis.call('hset','h','a','1','b','2','c','3'); return redis.call('hgetall','h')").unordered());
        RESP_TO_LUA.add(lua("redis.setresp(3); redis.call('sadd','s','a','b','c','d'); return redis.call('smembers','s')").unordered());
        RESP_TO_LUA.add(lua("redis.call('sadd','s','a','b','c','d'); return redis.call('smembers','s')").unordered());
        // every type DEBUG PROTOCOL can reply, read by a script in RESP2 and in RESP3, returned as it
        // came and described field by field
        for (String type : new String[] {"string", "integer", "double", "bignum", "null", "array", "set", "map", "attrib",
                "push", "verbatim", "true", "false"}) {
            for (int resp = 2; resp <= 3; resp++) {
                RESP_TO_LUA.add(lua("redis.setresp(" + resp + "); return redis.call('debug','protocol','" + type + "')"));
                RESP_TO_LUA.add(lua("redis.setresp(" + resp + "); local r = redis.call('debug','protocol','" + type + "'); "
                        + "if type(r) == 'table' then local o = {} for k,v in pairs(r) do table.insert(o, tostring(k) .. '=' .. type(v)) end "
                        + "table.sort(o) return o end return type(r)"));
            }
        }
    }

    @Differential
    void commandRepliesBecomeLuaValues(Dual d) {
        run(d, RESP_TO_LUA);
    }

    // ---- Errors and their texts

    static final List<Case> ERRORS = new ArrayList<>();

    static {
        ERRORS.addAll(lua(
                // error() with levels, tables and other values
                "error('boom')", "error('boom', 0)", "error('boom', 1)", "error('boom', 2)", "error('boom', 3)",
                "error({err='MY code'})", "error({err='nocode'})", "error()", "error(nil)", "error(42)", "error(true)",
                "error({err=1})", "error(1.5)", "error('x' .. 1.5)", "error(setmetatable({err='FROM mt'}, {}))",
                "local function f() error('deep') end f()", "local function f() error('deep', 2) end\nf()",
                "\n\nerror('line3')", "error(string.rep('x', 10) .. '\\n' .. 'y')", "error('a\\r\\nb')",
                // runtime errors, with the variable named as Lua 5.1 names it
                "local t = nil; return t.x", "return nil + 1", "return {} + 1", "return 'a' + 1", "return 'a' .. {}",
                "return 1 < 'a'", "return {} < {}", "return #nil", "local x; x()", "nosuch()", "return nosuch",
                "local x = 5; local function g() return x.y end; return g()", "local t = {a={}}; return t.a.b.c",
                "return ARGV[1].x", "return KEYS[1] + 1", "local s = 'abc'; return s.x", "local s = 'abc'; return s:nosuch()",
                "return #5", "return -{}", "return ('abc')()", "local t = {} t.x.y = 1",
                "local up = nil; local function f() return up.x end; return f()", "local t = {}; return t:method()",
                "local t = {}; return t[1][2]", "local a = 'x' .. nil", "local a; return 'x' .. a", "local a = {}; return a .. 'x'",
                "local t = {}; return t.n + 1", "local t = {}; return -t.n", "local t = {}; t[0/0] = 1", "local t = {}; t[nil] = 1",
                "for i = 'a', 2 do end", "for i = 1, 'x' do end", "for i = 1, 2, {} do end", "return '0x' + 0",
                // (Lua 5.1's limit is reached when its call-info array must grow past 16384, and that array
                // stays grown: between about 16,000 and 32,000 calls Redis's answer depends on the past)
                "local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end return f(10000)",
                "local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end return f(100000)",
                // compile errors and the Lua 5.1 grammar (LuaJ's is Lua 5.2's: the project's LexState)
                "return 1 e", "return '\\x41'", "return '\\z  a'", "return 'a\\qb\\65'", "goto x", "local goto = 5 return goto",
                "local t = {} t.goto = 1 return t.goto", "::a:: return 1", "return type(_ENV)", "local _ENV = {} return type(_ENV)",
                "return +", "if true then", "return 1 // 2", "local f, e = loadstring('x +\\n y'); return e", "; return 1",
                "local x = 1; ; return x", "return 1;", "for i = 1, 2 do break; local y = 1 end return 1", "break",
                "for i = 1, 2 do if i then break end end return 1", "for i = 1, 2 do if i then break; end end return 1",
                "if true then break end", "local f = function() return 1 end\nlocal x = f\n(f)() return 1", "return 3x",
                "return 0x", "return 1..2", "return 1.2.3", "return 0x10", "return 08", "return .5", "return 5.",
                "x", "x.y", "local t = {} t.x", "return 1 2", "if x then else elseif y then end", "a, b", "a.b:c = 1", "(1)",
                "local a.b = 1", "function a:b.c() end", "return {1, 2,, 3}", "return [[", "return [==[abc]=]", "return 1 --[==[ c",
                "return not", "local x <close> = 1", "return ~1", "return 1 & 2", "for i=1 do end", "return @", "return \u0001",
                "return \"abc", "return \"a\nb\"", "return \"\\300\"", "x = = 1", "f() = 1", "# comment\nreturn 1",
                // pcall, xpcall and what they return
                "return pcall(error)", "return {pcall(error, 'x')}", "return {pcall(error, 'x', 0)}",
                "local ok, e = pcall(error, {err='X y'}); return e", "local ok, e = pcall(error, {a=1}); return type(e)",
                "local ok, e = pcall(function() local t = nil; return t.x end); return e", "local ok, e = pcall(nosuch); return e",
                "local ok, e = pcall(function() return nosuch end); return e",
                "return {xpcall(function() error('x') end, function(m) return 'handled: ' .. m end)}",
                "return {xpcall(function() return 1 end, error)}",
                "return {xpcall(function() error({code=1}) end, function(e) return type(e) end)}",
                "return {xpcall(function() error('x') end, function(e) error('in handler') end)}",
                "local ok, e = pcall(error); return {ok, e}", "local ok, e = pcall(error, nil); return {ok, e == nil}",
                "return select('#', pcall(error))", "return {pcall(function(...) return select('#', ...) end, nil, nil)}",
                "assert(false)", "assert(nil, 'msg')", "assert(false, {err='TAB x'})", "return assert(1, 'x')", "assert(1 == 2, 42)",
                // errors of the commands a script calls
                "return redis.call('incr')", "redis.call('set','sk','x'); redis.call('incr','sk')",
                "redis.call('set','sk','x');\nredis.call('incr','sk')", "local ok, e = pcall(redis.call, 'nosuch'); return e",
                "local r = redis.pcall('nosuch'); return r.err", "return redis.pcall('incr','strkey')",
                "redis.call('set','sk','x'); return redis.pcall('incr','sk')",
                "redis.call('set','sk','x'); local r = redis.pcall('incr','sk'); return {type(r), r.err}",
                "redis.call('set','sk','x'); return redis.call('incr','sk')",
                "redis.call('set','sk','x'); local ok, e = pcall(redis.call, 'incr', 'sk'); return {tostring(ok), type(e), e}",
                "redis.call('set','sk','x'); local ok, e = pcall(function() return redis.call('incr', 'sk') end); return {tostring(ok), type(e), e}",
                "redis.call('rpush','l','a'); return redis.pcall('get','l')", "redis.call('rpush','l','a'); return redis.call('get','l')",
                "redis.call('set', 'sk', 'x'); local r = redis.pcall('incr', 'sk'); r.err = 'CHANGED x'; return r",
                "redis.call('set', 'sk', 'x'); local r = redis.pcall('incr', 'sk'); error(r)",
                "redis.call('set', 'sk', 'x'); local ok, e = pcall(redis.call, 'incr', 'sk'); error(e)",
                "local ok, e = pcall(redis.call, 'incr', 'sk2', 'extra'); return e",
                "return redis.pcall('nosuchcmd')", "return redis.call('nosuchcmd')", "return redis.call('get')",
                "return redis.pcall('get')", "return redis.call('set','k')", "return redis.call()", "return redis.pcall()",
                "return redis.call({})", "return redis.call('get', nil)", "return redis.call('get', true)", "return redis.pcall('get', {})",
                // commands scripts may not call
                "return redis.call('multi')", "return redis.call('subscribe','c')", "return redis.call('eval','return 1','0')",
                "return redis.call('script','load','return 1')", "return redis.call('watch','k')", "return redis.call('hello','3')",
                "return redis.call('function','list')", "return redis.call('evalsha', 'x', 0)", "return redis.call('script', 'flush')",
                "return redis.call('fcall', 'f', 0)", "return redis.call('monitor')", "return redis.call('shutdown')",
                "return redis.call('client','list')", "return redis.call('config','get','maxmemory') ~= nil",
                "return redis.call('blpop','l',0)", "return redis.call('brpoplpush','a','b',0)", "return redis.call('debug','sleep','0')",
                "return redis.call('expire', 'k', 'x')", "return redis.call('swapdb', 0, 1)", "return redis.call('flushall')"));
    }

    @Differential
    void errorsAsRedisWordsThem(Dual d) {
        run(d, ERRORS);
    }

    // ---- EVAL, EVALSHA, EVAL_RO, SCRIPT: the commands themselves

    static final String RETURN_1_SHA = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db";

    static final List<Case> COMMANDS = new ArrayList<>(List.of(
            cmd("EVAL", "return 1", "-1"), cmd("EVAL", "return 1", "2", "a"), cmd("EVAL", "return 1", "x"),
            cmd("EVAL", "return 1"), cmd("EVAL"), cmd("EVAL", "return 1", "1.5", "a"), cmd("EVAL", "return 1", "99999999999999999999"),
            cmd("EVAL", "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}", "2", "k1", "k2", "a1", "a2"),
            cmd("EVAL", "return KEYS", "0"), cmd("EVAL", "return ARGV", "0", "x"),
            cmd("EVAL", "KEYS[1] = 'x'; return KEYS[1]", "0"), cmd("EVAL", "table.insert(ARGV, 'y'); return ARGV", "0", "x"),
            cmd("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"), cmd("EVALSHA", "abc", "0"),
            cmd("EVALSHA", RETURN_1_SHA, "0").after("SCRIPT", "FLUSH"),
            cmd("SCRIPT", "LOAD", "return 1"),
            cmd("EVALSHA", RETURN_1_SHA, "0").after("SCRIPT", "LOAD", "return 1"),
            cmd("EVALSHA", RETURN_1_SHA.toUpperCase(java.util.Locale.ROOT), "0").after("SCRIPT", "LOAD", "return 1"),
            cmd("SCRIPT", "EXISTS", RETURN_1_SHA, RETURN_1_SHA.toUpperCase(java.util.Locale.ROOT), "x").after("SCRIPT", "LOAD", "return 1"),
            cmd("EVALSHA_RO", RETURN_1_SHA, "0").after("SCRIPT", "LOAD", "return 1"),
            cmd("EVALSHA", RETURN_1_SHA, "0").after("EVAL", "return 1", "0"),
            cmd("EVAL_RO", "return redis.call('set','k','v')", "1", "k"), cmd("EVAL_RO", "return redis.call('get','k')", "1", "k"),
            cmd("EVAL_RO", "return redis.pcall('set','k','v')", "1", "k"), cmd("EVAL_RO", "return redis.call('incr','k')", "1", "k"),
            cmd("EVAL", "#!lua flags=no-writes\nreturn redis.call('set','k','v')", "1", "k"),
            cmd("EVAL", "#!lua flags=no-writes\nreturn redis.call('get','k')", "1", "k"),
            cmd("EVAL_RO", "#!lua\nreturn 1", "0"), cmd("EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0"),
            cmd("EVAL", "#!lua name=x\nreturn 1", "0"), cmd("EVAL", "#!notlua\nreturn 1", "0"),
            cmd("EVAL", "#!lua flags=bogus\nreturn 1", "0"), cmd("EVAL", "#!lua", "0"), cmd("EVAL", "#!lua\nreturn 1", "0"),
            cmd("EVAL", "#!lua flags=\nreturn 1", "0"), cmd("EVAL", "#!lua flags=no-writes,allow-oom\nreturn 1", "0"),
            cmd("EVAL", "#! lua\nreturn 1", "0"), cmd("EVAL", "#!\nreturn 1", "0"), cmd("EVAL", "#!lua \"flags=no-writes\"\nreturn 1", "0"),
            cmd("EVAL", "#!lua flags=no-cluster\nreturn 1", "0"), cmd("EVAL", "#!lua flags=allow-cross-slot-keys\nreturn 1", "0"),
            cmd("EVAL", "#!lua\nerror('x')", "0"), cmd("EVAL", "#!lua\n\nreturn redis.call('nosuch')", "0"),
            cmd("EVAL", "#!lua\nreturn redis.call('get', KEYS[1])", "0"),
            cmd("EVAL", "#!lua\nreturn redis.call('set', 'undeclared', 'v')", "0"),
            cmd("EVAL", "return redis.call('set', 'undeclared', 'v')", "0"),
            cmd("SCRIPT", "LOAD", "#!lua flags=bogus\nreturn 1"), cmd("SCRIPT", "FLUSH", "BOGUS"), cmd("SCRIPT", "FLUSH", "ASYNC"),
            cmd("SCRIPT", "FLUSH", "SYNC"), cmd("SCRIPT", "BOGUS"), cmd("SCRIPT"), cmd("SCRIPT", "KILL"), cmd("SCRIPT", "EXISTS"),
            cmd("SCRIPT", "LOAD"), cmd("SCRIPT", "LOAD", "return 1", "extra"),
            cmd("EVAL", "return 1e", "0"), cmd("EVAL", "\u001bLua", "0"), cmd("EVAL", "", "0"),
            cmd("EVAL", " ", "0"), cmd("EVAL", "--comment only", "0"), cmd("EVAL", "return [[long\nstring]]", "0"),
            cmd("EVAL", "return [==[a]]b]==]", "0"), cmd("EVAL", "return '\\65\\066'", "0"), cmd("EVAL", "return 0x1p4", "0"),
            cmd("EXISTS", "db1key").after("EVAL", "redis.call('select', 1); return redis.call('set', 'db1key', 'v')", "0"),
            cmd("SELECT", "0").after("EVAL", "return redis.call('select', 1)", "0")));

    @Differential
    void evalAndScriptCommands(Dual d) {
        run(d, COMMANDS);
    }

    // ---- The redis API

    static final List<Case> REDIS_API = lua(
            "return redis.sha1hex('')", "return redis.sha1hex('abc')", "return redis.sha1hex()", "return redis.sha1hex(1)",
            "return redis.sha1hex(1.5)", "return redis.sha1hex({})", "return redis.sha1hex(nil)", "return redis.sha1hex('a','b')",
            "return redis.log(redis.LOG_WARNING, 'x')", "return redis.log(redis.LOG_NOTICE, 'x', 1, {}, 'y')",
            "return redis.log()", "return redis.log(1)", "return redis.log('a','b')", "return redis.log(99,'x')",
            "return redis.log(-1,'x')", "return redis.log('1','x')",
            "return redis.setresp(4)", "return redis.setresp()", "return redis.setresp('3')", "return redis.setresp(3, 3)",
            "return redis.setresp('x')", "return redis.setresp(2.5)",
            "return redis.set_repl(redis.REPL_ALL)", "return redis.set_repl(99)", "return redis.set_repl()",
            "return redis.set_repl('x')", "return redis.set_repl(-1)", "return redis.set_repl(1, 2)",
            "return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}",
            "return redis.REDIS_VERSION", "return redis.REDIS_VERSION_NUM",
            "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}",
            "return redis.breakpoint()", "return redis.debug('x')", "return redis.replicate_commands()",
            "return redis.acl_check_cmd('get','x')", "return redis.acl_check_cmd('nosuch')", "return redis.acl_check_cmd()",
            "return redis.acl_check_cmd('set')", "return type(redis.call)", "return type(redis)",
            "local t = {} for k in pairs(redis) do t[#t+1] = k end table.sort(t) return t",
            "local t = {} for k in pairs(string) do t[#t+1] = k end table.sort(t) return t",
            "local t = {} for k in pairs(table) do t[#t+1] = k end table.sort(t) return t",
            "local t = {} for k in pairs(math) do t[#t+1] = k end table.sort(t) return t",
            "local t = {} for k in pairs(coroutine) do t[#t+1] = k end table.sort(t) return t",
            "local t = {} for k in pairs(cjson) do t[#t+1] = k end table.sort(t) return t",
            "local t = {} for k in pairs(cmsgpack) do t[#t+1] = k end table.sort(t) return t",
            "local t = {} for k in pairs(bit) do t[#t+1] = k end table.sort(t) return t",
            "local t = {} for k in pairs(struct) do t[#t+1] = k end table.sort(t) return t",
            // the globals, less Redis's internal error handler (a known difference)
            "local t = {} for k in pairs(_G) do if k ~= '__redis__err__handler' then t[#t+1] = k end end table.sort(t) return t");

    @Differential
    void theRedisApi(Dual d) {
        run(d, REDIS_API);
    }

    // ---- Lua 5.1's base library as Redis has it

    static final List<Case> LUA51 = lua(
            // numbers as text
            "return tostring(1e15)", "return tostring(1e14)", "return tostring(123456789012345)", "return tostring(0.1)",
            "return tostring(1/3)", "return tostring(-1.5)", "return tostring(2^63)", "return tostring(1e300)",
            "return tostring(5e-324)", "return tostring(math.huge)", "return tostring(-math.huge)", "return tostring(100)",
            "return tostring(-7)", "return tostring(3.0)", "return tostring(0/0)", "return tostring(-(0/0))",
            "return tostring(math.huge - math.huge)", "return tostring(1 % 0)", "return 0/0 .. ''", "return tostring(10 / 3)",
            "return 1/3 .. ''", "return (0.1) .. ''", "return 1e15 .. ''", "return 10 .. 20", "return 1.5 .. ''",
            "return 2^53 .. ''", "return 2^63 .. ''", "return 1e100 .. ''", "return tostring(nil)", "return tostring(true)",
            "return tostring(false)", "return string.sub(tostring({}),1,9)", "return string.sub(tostring(tostring),1,12)",
            "return string.sub(tostring(coroutine.create(function() end)),1,10)",
            // string.format
            "return string.format('%d', 3.7)", "return string.format('%d', -3.7)", "return string.format('%5.2f', 3.14159)",
            "return string.format('%s', 1.5)", "return string.format('%s', 10)", "return string.format('%s %s', 'a', true)",
            "return string.format('%q', 'a\\nb\"c\\0d')", "return string.format('%x', 255)", "return string.format('%X', 255)",
            "return string.format('%o', 8)", "return string.format('%g', 1e20)", "return string.format('%g', 0.1)",
            "return string.format('%e', 12345.678)", "return string.format('%i', 42)", "return string.format('%c', 65)",
            "return string.format('%u', 42)", "return string.format('%%')", "return string.format('%-5s|', 'ab')",
            "return string.format('%5s|', 'ab')", "return string.format('%05d', 42)", "return string.format('%+d', 42)",
            "return string.format('%.3s', 'abcdef')", "return string.format('%d', '10')", "return string.format('%d', 'x')",
            "return string.format('%z', 1)", "return string.format('%d')", "return string.format('%s')",
            "return string.format('%10.4f', -1/3)", "return string.format('%.20f', 0.1)", "return string.format('%d', 2^53)",
            "return string.format('%d', 2^63)", "return string.format('%.0f', 0.5)", "return string.format('%.14g', 2^63)",
            "return string.format('%s', nil)", "return string.format('%s', {}) ~= nil", "return string.format('%5.1s|', 'abc')",
            "return string.format('%#x', 255)", "return string.format('% d', 5)", "return string.format('%f', 1e15)",
            "return string.format('%g', 100000)", "return string.format('%g', 1000000)", "return string.format('%.3g', 0.0001234)",
            "return string.format('%s', 0.1)", "return string.format('%d', 0.1)", "return string.format('%.2f', 2.675)",
            "return string.format('%.1f', 0.05)", "return string.format('%.2f%%', 99.555)", "return string.format('%08.3f', -3.14159)",
            "return string.format('%-8.3e|', 1234.5)", "return string.format('%G', 1e-10)", "return string.format('%E', 0)",
            "return string.format('%#o %#.3g %#x', 8, 1, 0)", "return string.format('%f %e %g', 1/0, -1/0, 0/0)",
            "return string.format('%5c|%-3c|', 65, 66)", "return string.format('%s', string.rep('a', 150)) == string.rep('a', 150)",
            "return string.format('%.99f', 1)", "return string.format('%99d', 1)", "return string.format('%-+ #0d', 1)",
            "return string.format('%-+ #0-d', 1)", "return string.format('%100d', 1)", "return string.format('%', 1)",
            "return string.format('%s %d', 'x')", "return ('%d items'):format(5)",
            // string functions and patterns
            "return string.rep('ab', 3)", "return string.rep('x', 0)", "return string.rep('x', -1)", "return string.rep('', 100)",
            "return string.rep('x', 2.7)", "return string.rep()", "return string.rep('x')", "return string.rep('x', 'a')",
            "return #string.rep('abc', 1000)", "return string.sub('hello', 2, 4)", "return string.sub('hello', -3)",
            "return string.sub('hello', 0)", "return string.sub('hello', 10)", "return string.sub('abc', -100, 100)",
            "return string.upper('aBc')", "return string.lower('AbC')", "return string.len('a\\0b')",
            "return {string.byte('ABC', 1, 3)}", "return string.byte('')", "return string.byte('abc', -1)",
            "return {string.byte('abc', 0, 10)}", "return string.char(72, 105)", "return string.char(256)",
            "return string.char()", "return string.reverse('abc')", "return {string.find('hello world', 'o w')}",
            "return {string.find('hello', 'l+')}", "return {string.find('a.b', '.', 1, true)}", "return {string.find('hello', '(l)(l)')}",
            "return {string.match('key:123', '(%a+):(%d+)')}", "return string.gsub('hello', 'l', 'L')",
            "return {string.gsub('hello', 'l', 'L')}", "return {string.gsub('abc', '%w', '%0%0')}",
            "return string.gsub('hello world', '(%w+)', function(w) return w:upper() end)",
            "return string.gsub('$x $y', '%$(%w+)', {x='1', y=2})",
            "local t = {} for w in string.gmatch('a,b,c', '[^,]+') do t[#t+1] = w end return t",
            "local t = {} for k, v in string.gfind('a=1, b=2', '(%w+)=(%w+)') do t[#t+1] = k .. v end return t",
            "return string.find('abc', '[a')", "return string.find('abc', 'a%')", "return string.gsub('abc', '(', 'x')",
            "return string.find('a]b', '[]]')", "return string.find('f(x)', '%b()')", "return string.match('  x  ', '^%s*(.-)%s*$')",
            "return string.gsub('abc', 'b', '%1')", "return string.gsub('abc', 'b', '%2')", "return string.find('THE (quick) fox', '%((%a+)%)')",
            "return string.gsub('hello', '', '-')", "return string.find('', '')", "return {string.find('abc', 'b', -1)}",
            "return string.gsub('abc', '%w', {a=1, b=true})", "return string.gsub('a b', '%s', 5)", "return string.gsub('abc', 'b')",
            "return ('x'):rep(3)", "return ('abc'):upper()", "local s = 'abc'; return s:len()", "return #'abc'",
            "return string.match('2024-01-15', '(%d+)-(%d+)-(%d+)')", "return string.find('abc', 'c', 10)",
            // table functions
            "return table.getn({1,2,3})", "return table.maxn({[10]=1, [2]=1})", "return table.maxn({})", "return table.maxn({[1.5]=1})",
            "return table.concat({1,2,3}, ',')", "return table.concat({'a','b'})", "return table.concat({1.5, 2}, '-')",
            "return table.concat({}, ',')", "return table.concat({1,2,3}, ',', 2, 3)", "return table.concat({1,{},3})",
            "return table.concat({1,2}, ',', 1, 5)", "return table.concat({}, {})", "return table.concat(nil)",
            "local t = {1,2}; table.insert(t, 3); return t", "local t = {1,2}; table.insert(t, 1, 0); return t",
            "local t = {1,2}; table.insert(t, 5, 0); return t", "local t = {1,2}; table.insert(t); return t",
            "local t = {1,2}; table.insert(t, 1, 2, 3); return t", "local t = {1,2,3}; local x = table.remove(t); return {x, t}",
            "local t = {1,2,3}; local x = table.remove(t, 1); return {x, t}", "local t = {}; return table.remove(t)",
            "local t = {1,2,3}; return table.remove(t, 7)", "local t = {3,1,2}; table.sort(t); return t",
            "local t = {3,1,2}; table.sort(t, function(a,b) return a > b end); return t", "local t = {'b','a','c'}; table.sort(t); return t",
            "local t = {1,'a'}; table.sort(t); return t", "local t = {{},{}}; table.sort(t); return t",
            "local t = {3,1,2,5,4,7,6}; table.sort(t, function(a,b) return true end); return t",
            "local t = {} for i = 1, 20 do t[i] = {i, (i * 7) % 3} end table.sort(t, function(x, y) return x[2] < y[2] end) "
                    + "local o = {} for i, v in ipairs(t) do o[i] = v[1] end return o",
            "local t = {} for i = 1, 200 do t[i] = (i * 7919) % 101 end table.sort(t) return t",
            "local t = {5, 2, 8} table.sort(t, 1) return t", "return table.foreach({10}, function(k,v) return v end)",
            "return table.foreachi({10,20}, function(i,v) if i == 2 then return v end end)", "return table.setn({}, 1)",
            // unpack, select, tonumber
            "return unpack({1,2,3})", "return {unpack({1,2,3})}", "return {unpack({1,2,3}, 2)}", "return {unpack({1,2,3}, 2, 3)}",
            "return {unpack({}, 1, 3)}", "return select('#', unpack({}, 1, 7990))", "return select('#', unpack({}, 1, 7999))",
            "local t = {}; for i = 1, 10000 do t[i] = i end; return #{unpack(t)}", "return select('#', 1, nil, 3)",
            "return select(2, 'a', 'b', 'c')", "return {select(2, 'a', 'b', 'c')}", "return select(-1, 'a', 'b')",
            "return select(0, 'a')", "return select('x', 'a')", "return select(-5, 'a')", "return select('#')",
            "return tonumber('0x10')", "return tonumber('10', 2)", "return tonumber(' 10 ')", "return tonumber('1e2')",
            "return tonumber('abc')", "return tonumber('z', 36)", "return tonumber('8', 8)", "return tonumber('')",
            "return tonumber('  ')", "return tonumber('10', 1)", "return tonumber('10', 37)", "return tonumber(nil)",
            "return tonumber()", "return tonumber('1.5e1')", "return tonumber('.5')", "return tonumber('5.')", "return tonumber('0x')",
            "return tonumber('1 2')", "return tonumber('inf')", "return tonumber('nan')", "return tonumber('-0x10')",
            "return tonumber('ff', 16)", "return tonumber('FF', 16)", "return tonumber('7fffffff', 16)", "return tonumber('ffffffffff', 16)",
            "return tonumber(' -10 ', 10)", "return tostring(tonumber('1e500'))", "return tonumber('  0x1A  ')", "return tonumber('0x1p4')",
            "return tonumber('1e+2')", "return tonumber('+5')", "return tonumber('- 5')", "return tonumber('-ff', 16)",
            "return tonumber('0x10', 16)", "return tonumber('1.5', 10)", "return tonumber('z', 10)", "return tonumber(5, 10)",
            "return tonumber(' \\t5\\n')", "return tonumber('5\\0')", "return tostring(tonumber('0.1'))",
            // math
            "return math.floor(3.7)", "return math.floor(-3.7)", "return math.ceil(3.2)", "return math.abs(-5)", "return math.max(1, 5, 3)",
            "return math.min(1, 5, 3)", "return math.max()", "return math.max(1, 'x')", "return math.max('10', 9)", "return math.sqrt(16)",
            "return math.pow(2, 10)", "return math.fmod(7, 3)", "return math.fmod(-7, 3)", "return {math.modf(3.7)}",
            "return {math.modf(-3.7)}", "return tostring(math.pi)", "return math.huge > 1e308", "return tostring(math.log(10))",
            "return tostring(math.log10(1000))", "return tostring(math.exp(1))", "return {math.frexp(8)}", "return math.ldexp(1, 10)",
            "return tostring(math.sin(1))", "return tostring(math.atan2(1, 1))", "return tostring(math.cosh(1))",
            "return math.floor('3.5')", "return math.floor('x')", "return math.deg(math.pi)", "return tostring(math.rad(180))",
            "return math.mod(7, 3)", "return tostring(math.log(8, 2))", "return 5 % -3", "return -5 % 3", "return tostring(5.5 % 2)",
            "return 7 / 2 * 2", "return 2^0.5 * 1000", "return '10' + 1", "return '0x10' + 0", "return ' 10 ' + 1", "return '1e1' * 1",
            "return tostring(math.floor(-0.5))", "return tostring(3 % math.huge)", "return tostring(5.3 % -2)", "return 7 % 0",
            "return tostring(0^0)", "return math.floor(2^40 + 0.5)", "return tostring(math.floor(2^60))", "return tostring(2^-1074)",
            "return tostring(1e308 * 10)", "return math.min(0/0, 1)", "return tostring(math.max(0/0, 1))",
            // strings in arithmetic are numbers where luaO_str2d reads one
            "return 'inf' + 0", "return ' \\t5\\n' + 0", "return tostring('nan' * 1)", "return tostring('-nan' + 0)",
            "return tostring('5\\n' + 1)", "return tostring(' 0x10 ' * 1)", "return tostring('5\\0abc' + 1)",
            "return tostring(-'2')", "return tostring('1e1' % 3)", "return string.rep('x', ' 3\\t')",
            "return tostring(('10'):len() + '0x1p4')", "return math.floor('\\t7.5\\n')", "for i = '1', '3\\n' do end return 1",
            "return tostring('' + 1)", "return tostring('0x' + 1)", "return tostring('1 2' + 1)", "return ('7'):rep('2\\n')",
            // negative zero (a double in Lua 5.1, where LuaJ had the integer 0), C's math.max/min/modf
            "return -0.0 .. ''", "return tostring(math.ceil(-0.5))", "local z = 0; return {double=-z}",
            "redis.call('set','k',-0.0); return redis.call('get','k')", "return tostring(0 * -1) .. ' ' .. tostring(0/-1)",
            "local z = 0 return tostring(-0) .. ' ' .. tostring(-z) .. ' ' .. tostring(-1.5 * 0)",
            "local t = {}; t[0] = 'a'; local z = cjson.decode('-0'); return {tostring(z), tostring(z + 0), t[z]}",
            "local z = 0 return tostring(1/-z) .. ' ' .. tostring(1/z) .. ' ' .. tostring(z/z)",
            "local z = -0 return string.format('%s %.0f %g', z, z, z)", "return redis.call('echo', -0.0)",
            "local a, b = math.modf(-3) local c, d = math.modf(1/0) return {tostring(a), tostring(b), tostring(c), tostring(d)}",
            "local a, b = math.modf(-1/0) return tostring(a) .. ' ' .. tostring(b)", "return tostring(math.max(1, 0/0))",
            "return tostring(math.min(1, 0/0))", "return tostring(math.max(3, '7', 5))", "return tostring(math.max(-0.0, 0))",
            "return tostring(math.min(0, -0.0))",
            "return tostring(tonumber('-0'))", "local t = {}; t[-0] = 1; return {t[0], 0 == -0, -0 < 0, rawequal(0, -0)}",
            "return tostring(math.abs(-0))", "for i = -0, 0 do return tostring(i) end", "return string.format('%d %5.1f', -0, -0)",
            "local z = 0 return cjson.encode({-z, z})", "local z = 0 return cmsgpack.pack(-z)", "local z = 0 return tostring(-z % 1)",
            "local z = 0 return tostring(-z - 0) .. ' ' .. tostring(-z + -z) .. ' ' .. tostring(-z ^ 1)",
            // integer arguments are C's (int)(long long) casts as x86 does them
            "return string.sub('abcdef', 1e30)", "return string.sub('abcdef', 2, 1e30)", "return string.rep('ab', 2^32+2)",
            "return string.char(2^32+65)", "return string.sub('abcdef', 0/0)",
            // comparisons, iteration, metatables
            "return 'a' < 'b'", "return 'a' < 'B'", "return 'abc' < 'abd'", "return '' < 'a'", "return 'a\\0b' < 'a\\0c'",
            "return 1 == '1'", "return 'Z' < 'a'", "local t = {} for i,v in ipairs({1,2,nil,4}) do t[#t+1] = v end return t",
            "local t = {} for k,v in pairs({10,20,30}) do t[#t+1] = k end return t", "return next({})", "return {next({5})}",
            "return #{1,2,3}", "return #{n=1}", "return rawequal({}, {})", "return rawget({5}, 1)", "return type(rawlen)",
            "local s = 0; for k, v in pairs({a=1, b=2, c=3}) do s = s + v end; return s",
            "local t = {}; for i = 1, 100 do t[i] = i end; for i = 1, 100, 2 do t[i] = nil end; local n = 0; for k in pairs(t) do n = n + 1 end; return n",
            "local t = setmetatable({}, {__index = function(t, k) return k .. '!' end}); return t.x",
            "local t = setmetatable({}, {__call = function(self, a) return a * 2 end}); return t(21)",
            "local mt = {__add = function(a, b) return 42 end}; return setmetatable({}, mt) + 1",
            "local t = setmetatable({}, {__tostring = function() return 'custom' end}); return tostring(t)",
            "local t = setmetatable({}, {__eq = function() return true end}); return t == setmetatable({}, getmetatable(t))",
            "local t = setmetatable({}, {__metatable = 'locked'}); return getmetatable(t)",
            "local t = setmetatable({}, {__metatable = 'locked'}); setmetatable(t, {})",
            "local t = setmetatable({}, {__lt = function() return true end}); return t < setmetatable({}, getmetatable(t))",
            "return getmetatable('').__index == string", "return ('x'):upper()", "setmetatable({})", "setmetatable({}, 1)",
            "for i in ipairs(nil) do end", "return next({}, 'nosuchkey')", "return rawget('x', 1)",
            "local t = {} for i = 1, 3, 0.5 do t[#t+1] = i * 2 end return t", "local n = 0 for i = 10, 1, -3 do n = n + i end return n",
            "local a = {} ; a[1.0] = 'x'; return a[1]", "local a = {}; a[2^53] = 1; return a[2^53]",
            "local t = {}; t[1], t[2] = 1; return t", "local a, b = (function() return 1, 2 end)(); return {a, b}",
            "local a, b = ((function() return 1, 2 end)()); return {a, b}",
            // coroutines
            "local co = coroutine.create(function(a) local b = coroutine.yield(a + 1); return b * 2 end); local _, x = coroutine.resume(co, 1); "
                    + "local _, y = coroutine.resume(co, 10); return {x, y, coroutine.status(co)}",
            "local f = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end); return {f(), f(), f()}",
            "local co = coroutine.create(function() error('in co') end); return {coroutine.resume(co)}",
            "local co = coroutine.create(function() error({1}) end) local ok, e = coroutine.resume(co) return {tostring(ok), type(e)}",
            "local f = coroutine.wrap(function() error('in co') end) f()", "local f = coroutine.wrap(function() error({err='X y'}) end) f()",
            "local ok, e = pcall(coroutine.wrap(function() error('in co') end)) return e", "return coroutine.running()",
            "return type(coroutine.running())", "return {coroutine.resume(coroutine.create(function() return 1, 2 end))}",
            "return coroutine.yield(1)", "local co = coroutine.create(function() end); coroutine.resume(co); return {coroutine.resume(co)}",
            "return coroutine.status(coroutine.create(function() end))", "return coroutine.create(1)", "return coroutine.resume(1)",
            "local co = coroutine.create(function() local function f(n) return 1 + f(n+1) end return f(1) end) "
                    + "local ok, e = coroutine.resume(co) return {tostring(ok), e}",
            // loadstring and load: text only, binary refused
            "return loadstring('return 1')()", "return {loadstring('x = ')}", "local f = loadstring('return ...'); return {f(1,2)}",
            "return loadstring('return 1', 'chunk')()", "local f, e = loadstring('error(\"x\")'); local ok, e2 = pcall(f); return e2",
            "local f = loadstring('error(\"x\")', '=mychunk'); local ok, e = pcall(f); return e",
            "local f = loadstring('error(\"x\")', '@file.lua'); local ok, e = pcall(f); return e",
            "local f, e = loadstring('\\27Lua'); return {type(f), e}", "local f, e = loadstring('\\27'); return {type(f), e}",
            "return type(string.dump)", "local s = string.dump(function() return 1 end); return #s > 0",
            "local f, e = loadstring('return 1e'); return {type(f), e}",
            "local f, e = loadstring('\\nerror(\"e\")'); local ok, m = pcall(f); return m",
            "local f, e = loadstring(string.rep('y', 63) .. '\\nerror(\"e\")'); local ok, m = pcall(f); return m",
            "local f, e = loadstring(string.rep('y', 64) .. '()'); local ok, m = pcall(f); return m",
            "local parts = {'return ', '42'}; local i = 0; return load(function() i = i + 1; return parts[i] end)()",
            "return {load('return 1')}", "local f = load(function() return nil end); return type(f)",
            // math.random after math.randomseed: Redis's generator
            "math.randomseed(42); return {math.random(100), math.random(100), math.random(1, 6), math.random(5, 5)}",
            "math.randomseed(42); return tostring(math.random())", "math.randomseed(0); return tostring(math.random())",
            "math.randomseed(1); return math.random(0)", "math.randomseed(1); return math.random(3, 1)",
            "math.randomseed(1); return math.random(1, 2, 3)", "math.randomseed(-1); return math.random(1000000)",
            "math.randomseed(2^40); return math.random(1000000)", "math.randomseed(1.9); return math.random(1000000)",
            "math.randomseed('7'); return math.random(1000)", "return math.randomseed()", "math.randomseed(1); return math.random(2^31)",
            "math.randomseed(1); return math.random(-5, -1)",
            "math.randomseed(99); local t = {} for i = 1, 50 do t[i] = math.random(1000) end return t",
            // gcinfo and collectgarbage never stall; the sandbox lacks what Redis removes
            "return gcinfo() > 0", "return type(collectgarbage('count'))", "return collectgarbage()", "return collectgarbage('collect')",
            "return collectgarbage('step')", "return collectgarbage('bogus')", "return collectgarbage('stop')", "return collectgarbage('restart')",
            "return type(print)", "return type(io)", "return type(os)", "return type(debug)", "return type(require)", "return type(dofile)",
            "return type(loadfile)", "return type(package)", "return type(luajava)", "return type(module)", "return type(getfenv)",
            "return type(setfenv)", "return type(newproxy)", "return type(bit32)", "return type(table.pack)", "return type(table.unpack)",
            "return type(string.pack)", "return type(math.tointeger)", "return type(utf8)", "return #arg", "return _VERSION",
            "return type(_G)", "return _G == _G._G");

    @Differential
    void lua51BaseLibrary(Dual d) {
        run(d, LUA51);
    }

    // ---- Globals and library tables are read-only

    static final List<Case> PROTECTION = lua(
            "x = 1", "_G.x = 1", "rawset(_G, 'x', 1)", "setmetatable(_G, {})", "redis.call = nil", "redis.x = 1", "string.x = 1",
            "table.insert = nil", "math.pi = 3", "coroutine.x = 1", "function f() end", "local function f() return 1 end return f()",
            "local t = {}; t.x = 1; return t.x", "table.insert(math, 1)", "getmetatable('').__index.upper = nil", "table.remove(string)",
            "table.sort(redis)", "rawset(redis, 'x', 1)", "local g = getmetatable(_G) g.__index = {}", "_G = {}",
            "setmetatable(string, nil)", "local t = {}; setmetatable(t, {}); rawset(t, 1, 2); return t", "redis.LOG_DEBUG = 5",
            "local r = redis; r.call = 1", "for k, v in pairs(string) do string[k] = nil end", "return table.concat(string)",
            "_G.KEYS = 1", "getmetatable('').__index = {}", "getmetatable('').__add = 1", "local mt = getmetatable(''); mt.x = 1",
            "return rawget(getmetatable(''), '__index') == string", "string.upper = nil", "return getmetatable('x') ~= nil",
            "return type(getmetatable(_G))", "return rawget(_G, 'nosuch')", "return rawequal(_G, _G)");

    @Differential
    void globalsAndLibrariesAreReadOnly(Dual d) {
        run(d, PROTECTION);
    }

    /** The cases of the corpus (each runs in RESP2 and in RESP3). */
    static int corpusSize() {
        return LUA_TO_RESP.size() + RESP_TO_LUA.size() + ERRORS.size() + COMMANDS.size() + REDIS_API.size() + LUA51.size()
                + PROTECTION.size();
    }

    @org.junit.jupiter.api.Test
    void theCorpusIsLargeAndItsCasesDistinct() {
        List<Case> all = new ArrayList<>();
        for (List<Case> part : List.of(LUA_TO_RESP, RESP_TO_LUA, ERRORS, COMMANDS, REDIS_API, LUA51, PROTECTION)) {
            all.addAll(part);
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<String> repeated = new ArrayList<>();
        for (Case c : all) {
            String key = c.describe() + c.setup().stream().map(RespConnection::describe).toList();
            if (!seen.add(key)) {
                repeated.add(key);
            }
        }
        System.out.println("ScriptingDifferentialTest: " + corpusSize() + " cases, " + KNOWN_DIFFERENCES.size() + " known differences");
        org.junit.jupiter.api.Assertions.assertTrue(corpusSize() >= 900, "corpus of " + corpusSize());
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), repeated, "cases listed twice");
    }

    // ---- Known differences

    /** A script whose reply differs from Redis's for a reason that is inherent (or chosen), stated. */
    record Known(Case c, String reason) {
    }

    static Known known(String script, String reason) {
        return new Known(lua(script), reason);
    }

    static final List<Known> KNOWN_DIFFERENCES = List.of(
            known("return table.getn({1,nil,3})", "# on a table with holes: LuaJ's array part and border search differ from Lua 5.1's"),
            known("local t = {1, 2, nil, 4}; return #t", "# on a table with holes: LuaJ's array part and border search differ from Lua 5.1's"),
            known("local t = setmetatable({}, {__len = function() return 9 end}); return #t", "LuaJ honours __len on tables (Lua 5.2); Lua 5.1 ignores it"),
            known("local function loop(i, acc) if i == 0 then return acc end return loop(i - 1, acc + i) end return loop(100000, 0)",
                    "Respire compiles tail calls as plain calls (so that errors keep the script line), so tail recursion deeper than "
                            + "Lua 5.1's 20000 calls is a stack overflow instead of a loop"),
            known("local function f(n) local ok, e = pcall(f, n + 1); return e end return f(1)",
                    "Lua 5.1 stops nested C calls (pcall, metamethods) at 200 with \"C stack overflow\"; LuaJ has no C stack, Respire stops at "
                            + "20000 calls with \"stack overflow\""),
            known("local t = setmetatable({}, {__index = function(t, k) return t[k] end}); return t.x",
                    "Lua 5.1 stops nested C calls (pcall, metamethods) at 200 with \"C stack overflow\"; Respire says \"stack overflow\""),
            known("local f, e = loadstring(string.dump(function() return 1 end)); return e",
                    "string.dump writes LuaJ's Lua 5.2 bytecode (header \\27LuaR, not \\27LuaQ), which shows in the refusal's chunk name"),
            known("local r = string.rep; return r()", "Argument errors name the library function ('rep'); Lua 5.1 names it as called ('r')"),
            known("return ('x'):rep()", "Argument errors count a method call's receiver as argument #1; Lua 5.1 does not (#1 is the count)"),
            known("return type(__redis__err__handler)", "Redis's error handler is a Lua global in Redis; Respire handles errors in Java"),
            known("return coroutine.wrap(function() pcall(coroutine.yield, 1) return 'done' end)()",
                    "LuaJ can yield across pcall (a coroutine is a thread); Lua 5.1 cannot"));

    @Differential
    void knownDifferencesStillDiffer(Dual d) {
        List<String> nowEqual = new ArrayList<>();
        for (Known k : KNOWN_DIFFERENCES) {
            d.both("FLUSHALL");
            RespReply[] r = d.both(k.c().command());
            if (r[1] != null && Arrays.equals(r[0].raw, r[1].raw)) {
                nowEqual.add("`" + k.c().describe() + "` (" + k.reason() + ")");
            }
        }
        if (!nowEqual.isEmpty()) {
            throw new AssertionFailedError("RESP" + d.protocol() + ": these known differences now agree with Redis; move them into the corpus:\n  "
                    + String.join("\n  ", nowEqual));
        }
    }

    // ---- What crashes Redis 7.0.15

    /**
     * error() with a table that has no err field crashes Redis 7.0.15 (SIGSEGV in luaCallFunction's
     * sdscatfmt), so it cannot be compared. Respire answers with an error and carries on.
     */
    @Differential
    void respireSurvivesWhatCrashesRedis(Dual d) {
        try (RespConnection respire = new RespConnection("respire", d.respirePort())) {
            if (d.protocol() == 3) {
                respire.call("HELLO", "3");
            }
            for (String script : new String[] {"error({})", "error({1, 2})",
                    "error(setmetatable({}, {__tostring = function() return 'x' end}))"}) {
                RespReply r = respire.call("EVAL", script, "0");
                if (!r.isError() || !r.text().startsWith("ERR table: 0x")) {
                    throw new AssertionFailedError("EVAL " + script + ": expected an error naming the table, got " + r.render());
                }
            }
            RespReply pong = respire.call("PING");
            if (!"PONG".equals(pong.text())) {
                throw new AssertionFailedError("respire stopped answering: " + pong.render());
            }
        }
    }
}
