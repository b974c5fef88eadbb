package io.respire.conformance;

import io.respire.persistence.Crc64;
import org.opentest4j.AssertionFailedError;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Functions (server's FunctionCommands, scripting's Functions): FUNCTION LOAD and its errors,
 * register_function and the load-time API, FCALL/FCALL_RO and the run-time API, LIST, STATS,
 * DELETE, FLUSH, DUMP/RESTORE with payloads exchanged between the two servers, KILL.
 *
 * <p>Redis keeps libraries, and the functions of a library, in hash tables seeded at random when
 * it starts, so FUNCTION LIST's order (and DUMP's, with several libraries) is not the same from
 * one Redis run to the next: those replies are compared in any order ({@link #ANY_ORDER}), every
 * other reply byte for byte.
 */
class FunctionCommandsDifferentialTest {
    /** FUNCTION LIST: libraries, and each library's functions, in any order; all else exact. */
    static final ReplyComparison ANY_ORDER = (a, b) -> canonical(a).equals(canonical(b));

    private static String canonical(RespReply r) {
        if (!r.isAggregate()) {
            return RespReply.escape(r.raw);
        }
        List<String> children = new ArrayList<>();
        boolean allAggregates = !r.children.isEmpty();
        for (RespReply child : r.children) {
            children.add(canonical(child));
            allAggregates &= child.isAggregate();
        }
        if (r.type == '*' && allAggregates) {
            children.sort(null); // a list of libraries or of functions
        }
        return r.type + r.head + children;
    }

    private static String lib(String name, String body) {
        return "#!lua name=" + name + "\n" + body;
    }

    private static String fn(String name, String body) {
        return "redis.register_function('" + name + "', function(keys, args) " + body + " end)\n";
    }

    /** Both servers start without libraries (FLUSHALL, which resets them between tests, keeps libraries). */
    private static void start(Dual d) {
        d.check("FUNCTION", "FLUSH");
    }

    @Differential
    void loadAndCall(Dual d) {
        start(d);
        d.check("FUNCTION", "LOAD", lib("mylib", fn("hello", "return 'hello'")
                + fn("echo", "return {keys, args}")
                + fn("setget", "redis.call('set', keys[1], args[1]) return redis.call('get', keys[1])")));
        d.check("FCALL", "hello", "0");
        d.check("FCALL", "HELLO", "0");
        d.check("FCALL", "echo", "2", "k1", "k2", "a1", "a2", "a3");
        d.check("FCALL", "echo", "0");
        d.check("FCALL", "setget", "1", "fk", "value");
        d.check("GET", "fk");
        d.check("FCALL_RO", "hello", "0");
        d.check("FCALL_RO", "setget", "1", "fk", "x");
        d.check("FCALL", "nosuch", "0");
        d.check("FCALL", "hello", "bad");
        d.check("FCALL", "hello", "1.5");
        d.check("FCALL", "hello", "2", "a");
        d.check("FCALL", "hello", "-1");
        d.check("FCALL", "hello");
        d.check("FCALL_RO", "nosuch", "0");
        d.checkWith(ANY_ORDER, "FUNCTION", "LIST");
        d.check("FUNCTION", "STATS");
    }

    @Differential
    void loadOptionsAndMetadata(Dual d) {
        start(d);
        String code = lib("test", fn("test", "return 1"));
        d.check("FUNCTION", "LOAD", code);
        d.check("FUNCTION", "LOAD", code);
        d.check("FUNCTION", "LOAD", "REPLACE", code);
        d.check("FUNCTION", "LOAD", "replace", "replace", code);
        d.check("FUNCTION", "LOAD", "foo", "bar", code);
        d.check("FUNCTION", "LOAD", "REPLACE");
        d.check("FUNCTION", "LOAD");
        d.check("FUNCTION", "LOAD", "return 1");
        d.check("FUNCTION", "LOAD", "#!lua name=x");
        d.check("FUNCTION", "LOAD", "#!lua name=\"x\n" + fn("f", "return 1"));
        d.check("FUNCTION", "LOAD", "#!\n" + fn("f", "return 1"));
        d.check("FUNCTION", "LOAD", "#!lua\n" + fn("f", "return 1"));
        d.check("FUNCTION", "LOAD", "#!lua name=a name=b\n" + fn("f", "return 1"));
        d.check("FUNCTION", "LOAD", "#!lua name=a NAME=b\n" + fn("f", "return 1"));
        d.check("FUNCTION", "LOAD", "#!lua name=test foo=bar\n" + fn("f", "return 1"));
        d.check("FUNCTION", "LOAD", "#! name=test\n" + fn("f", "return 1"));
        d.check("FUNCTION", "LOAD", "#!bad_engine name=test\n" + fn("f", "return 1"));
        d.check("FUNCTION", "LOAD", "#!lua name=\n" + fn("f", "return 1"));
        d.check("FUNCTION", "LOAD", "#!lua name=bad-name\n" + fn("f", "return 1"));
        d.check("FUNCTION", "LOAD", "#!lua name=\"bad\\x00name\"\n" + fn("f", "return 1"));
        d.check("FUNCTION", "LOAD", "#!lua name=\"quoted\"\n" + fn("q1", "return 1"));
        d.check("FUNCTION", "LOAD", "#!LUA NAME=\"\\x41\\x42\"\n" + fn("q2", "return 2"));
        d.check("FUNCTION", "LOAD", "#!lua name='single' \n" + fn("q3", "return 3"));
        d.check("FCALL", "q2", "0");
        d.check("FUNCTION", "LOAD", lib("empty", "return 1"));
        d.check("FUNCTION", "LOAD", lib("dup", fn("f", "return 1") + fn("f", "return 2")));
        d.check("FUNCTION", "LOAD", lib("collide", fn("TEST", "return 1")));
        d.check("FUNCTION", "LOAD", "REPLACE", lib("test", fn("test", "return 'new'")));
        d.check("FCALL", "test", "0");
        // A REPLACE that fails keeps the old library.
        d.check("FUNCTION", "LOAD", "REPLACE", lib("test", "redis.register_function('test', 'not a function')"));
        d.check("FCALL", "test", "0");
        d.check("FUNCTION", "STATS");
        d.checkWith(ANY_ORDER, "FUNCTION", "LIST", "WITHCODE");
    }

    @Differential
    void registerFunctionErrors(Dual d) {
        start(d);
        String[] bodies = {
                "redis.register_function()",
                "redis.register_function('f1')",
                "redis.register_function('f1', function() return 1 end, {}, 'description', 'extra arg')",
                "redis.register_function(nil, function() return 1 end)",
                "redis.register_function({}, function() return 1 end)",
                "redis.register_function('f2', 'not a function')",
                "redis.register_function('test\\0test', function() return 1 end)",
                "redis.register_function('', function() return 1 end)",
                "redis.register_function('a b', function() return 1 end)",
                "redis.register_function{function_name=function() return 1 end, callback=function() end}",
                "redis.register_function{function_name='f1', callback='bad'}",
                "redis.register_function{function_name='f1', callback=function() end, description=function() end}",
                "redis.register_function{function_name='f1', callback=function() end, some_unknown='unknown'}",
                "redis.register_function{[1]='f'}",
                "redis.register_function{[true]='f'}",
                "redis.register_function{callback=function() end, description='desc'}",
                "redis.register_function{function_name='f1', description='desc'}",
                "redis.register_function{function_name='f1', callback=function() end, flags='bad flags type'}",
                "redis.register_function{function_name='f1', callback=function() end, flags={function() return 1 end}}",
                "redis.register_function{function_name='f1', callback=function() end, flags={'unknown'}}",
                "redis.register_function{function_name='f1', callback=function() end, flags={'no-writes', 5}}",
                "redis.register_function{function_name='f1', callback=function() end}",
                "redis.register_function('f1', function() end)",
        };
        for (String body : bodies) {
            d.check("FUNCTION", "LOAD", "REPLACE", lib("lib", body));
        }
        d.check("FUNCTION", "LOAD", "REPLACE", lib("lib", "redis.register_function{function_name=5, callback=function() return 1 end, "
                + "description=6, flags={'NO-WRITES', 'Allow-Stale', 'no-cluster', 'allow-oom', 'allow-cross-slot-keys'}}"));
        d.check("FUNCTION", "LIST");
        d.check("FUNCTION", "LIST", "WITHCODE");
        d.check("FCALL", "5", "0");
    }

    @Differential
    void whatLoadingCodeSees(Dual d) {
        start(d);
        String[] bodies = {
                "return math.random()",
                "return redis.call('ping')",
                "return redis.pcall('ping')",
                "return redis.setresp(3)",
                "return redis.set_repl(redis.REPL_NONE)",
                "return redis.sha1hex('x')",
                "mt = getmetatable(_G)",
                "error('boom')",
                "local x = string.len('a')",
                "a = 1",
                "redis.x = 1",
                "redis.math.random()",
                "redis.redis.call('ping')",
                "local t = {} t.x = 1 return t.y.z",
                "redis.log(redis.LOG_WARNING)",
                "redis.log('x', 'y')",
                "redis.log(10, 'y')",
                "local a = 1 while 1 do a = a + 1 end",
        };
        for (String body : bodies) {
            d.check("FUNCTION", "LOAD", lib("lib", body));
        }
        d.check("FUNCTION", "LOAD", lib("lib", "redis.log(redis.LOG_DEBUG, 'loading')\n"
                + "local v = {redis.REDIS_VERSION, redis.REDIS_VERSION_NUM, redis.LOG_NOTICE}\n"
                + fn("version", "return v")));
        d.check("FCALL", "version", "0");
        d.check("FUNCTION", "STATS");
    }

    @Differential
    void whatFunctionsSee(Dual d) {
        start(d);
        d.check("FUNCTION", "LOAD", lib("lib1", "local lib = redis\n"
                + fn("f1", "lib.redis = redis return 1")
                + fn("f2", "lib.register_function('f3', function() end)")
                + fn("f4", "redis.register_function('f5', function() end)")
                + fn("f6", "return KEYS")
                + fn("f7", "return {redis.breakpoint, redis.debug, redis.replicate_commands}")
                + fn("f8", "mt = getmetatable(_G)")
                + fn("f9", "local mt = getmetatable(_G) mt.__index = nil")
                + fn("f10", "return {math.random(), math.random(100)}")
                + fn("f11", "return {redis.sha1hex('x'), string.format('%5.2f', 3.14159), cjson.encode({1, 2}), bit.band(5, 3)}")
                + fn("f12", "return redis.pcall('function', 'list')")
                + fn("f13", "return redis.call('fcall', 'f1', '0')")
                + fn("f14", "return redis.error_reply('MY custom error')")
                + fn("f15", "return redis.status_reply('FINE')")
                + fn("f16", "redis.setresp(3) return redis.call('hgetall', keys[1])")
                + fn("f17", "return redis.call('nosuchcommand')")
                + fn("f18", "local t = nil return t.x")
                + fn("f19", "return redis.acl_check_cmd('set', 'a', 'b')")
                + fn("f20", "return loadstring('return 1')()")
                + fn("f21", "redis.set_repl(redis.REPL_ALL) return type(args)")
                + fn("f22", "return {type(_G), type(redis.call), tostring(#keys)}")));
        d.check("HSET", "h", "field", "value");
        for (int i = 1; i <= 22; i++) {
            if (i == 3 || i == 5) {
                continue;
            }
            d.check("FCALL", "f" + i, "1", "h");
        }
    }

    @Differential
    void flagsOfFunctions(Dual d) {
        start(d);
        d.check("FUNCTION", "LOAD", lib("flags", "redis.register_function{function_name='rw', callback=function() "
                + "return redis.call('set', 'x', 1) end}\n"
                + "redis.register_function{function_name='ro', callback=function() return redis.call('set', 'x', 1) end, "
                + "flags={'no-writes'}}\n"
                + "redis.register_function{function_name='reader', callback=function() return redis.call('get', 'x') end, "
                + "flags={'no-writes', 'allow-stale'}}\n"
                + "redis.register_function{function_name='nocluster', callback=function() return 1 end, flags={'no-cluster'}}\n"));
        d.check("FCALL", "rw", "0");
        d.check("FCALL_RO", "rw", "0");
        d.check("FCALL", "ro", "0");
        d.check("FCALL_RO", "ro", "0");
        d.check("FCALL", "reader", "0");
        d.check("FCALL_RO", "reader", "0");
        d.check("FCALL", "nocluster", "0");
        d.check("COMMAND", "GETKEYS", "FCALL", "rw", "2", "k1", "k2", "a");
        d.check("COMMAND", "GETKEYS", "FCALL_RO", "rw", "0", "a");
        d.check("MULTI");
        d.check("FCALL", "rw", "0");
        d.check("FCALL_RO", "reader", "0");
        d.check("FCALL", "nosuch", "0");
        d.check("EXEC");
    }

    @Differential
    void listDeleteFlushStats(Dual d) {
        start(d);
        d.check("FUNCTION", "LIST");
        d.check("FUNCTION", "STATS");
        d.check("FUNCTION", "LOAD", lib("library1", fn("f6", "return 7")));
        d.check("FUNCTION", "LOAD", lib("lib1", fn("f7", "return 7") + fn("f8", "return 8")));
        d.check("FUNCTION", "LOAD", lib("other", "redis.register_function{function_name='f9', callback=function() return 9 end, "
                + "description='nine', flags={'no-writes'}}"));
        d.checkWith(ANY_ORDER, "FUNCTION", "LIST");
        d.checkWith(ANY_ORDER, "FUNCTION", "LIST", "WITHCODE");
        d.check("FUNCTION", "LIST", "LIBRARYNAME", "library*");
        d.check("FUNCTION", "LIST", "libraryname", "LIBRARY1", "withcode");
        d.check("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "oth?r");
        d.check("FUNCTION", "LIST", "LIBRARYNAME", "nomatch*");
        d.check("FUNCTION", "LIST", "bad_argument");
        d.check("FUNCTION", "LIST", "libraryname");
        d.check("FUNCTION", "LIST", "withcode", "withcode");
        d.check("FUNCTION", "LIST", "withcode", "libraryname", "foo", "libraryname", "foo");
        d.check("FUNCTION", "STATS");
        d.check("FUNCTION", "STATS", "extra");
        d.check("FUNCTION", "DELETE", "lib1");
        d.check("FUNCTION", "DELETE", "lib1");
        d.check("FUNCTION", "DELETE", "LIBRARY1");
        d.check("FUNCTION", "DELETE");
        d.check("FCALL", "f7", "0");
        d.check("FUNCTION", "STATS");
        d.check("FLUSHALL");
        d.check("FCALL", "f6", "0");
        d.check("FUNCTION", "FLUSH", "bad_arg");
        d.check("FUNCTION", "FLUSH", "sync", "extra_arg");
        d.check("FUNCTION", "FLUSH", "ASYNC");
        d.check("FUNCTION", "LIST");
        d.check("FUNCTION", "STATS");
        d.check("FUNCTION", "FLUSH", "sync");
        d.check("FUNCTION", "FLUSH");
        d.check("FUNCTION", "bad_subcommand");
        d.check("FUNCTION");
        d.check("FUNCTION", "HELP");
        d.check("FUNCTION", "HELP", "extra");
        d.check("FUNCTION", "KILL");
        d.check("FUNCTION", "DUMP", "extra");
    }

    /** Each server's FUNCTION DUMP: {redis's payload, respire's payload}. */
    private static byte[][] dumps(Dual d) {
        RespReply[] both = d.both("FUNCTION", "DUMP");
        return new byte[][] {both[0].data, both[1].data};
    }

    /** One library: the payloads are the same bytes (LZF compressed here: the code repeats itself). */
    @Differential
    void dumpIsRedisBytes(Dual d) {
        start(d);
        d.check("FUNCTION", "DUMP");
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 6; i++) {
            body.append(fn("f" + i, "return " + i));
        }
        d.check("FUNCTION", "LOAD", lib("compressible", body.toString()));
        d.check("FUNCTION", "DUMP");
        d.check("FUNCTION", "FLUSH");
        d.check("FUNCTION", "LOAD", lib("short", fn("f", "return 1")));
        d.check("FUNCTION", "DUMP");
        d.check("CONFIG", "SET", "rdbcompression", "no");
        try {
            d.check("FUNCTION", "FLUSH");
            d.check("FUNCTION", "LOAD", lib("compressible", body.toString()));
            d.check("FUNCTION", "DUMP");
        } finally {
            d.check("CONFIG", "SET", "rdbcompression", "yes");
        }
    }

    /**
     * Payloads cross over: Redis's restored into both servers, then Respire's; each time both must
     * accept it alike and list the same libraries, code included.
     */
    @Differential
    void dumpsAreExchangedBothWays(Dual d) {
        start(d);
        StringBuilder big = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            big.append(fn("big" + i, "return redis.call('incrby', keys[1], " + i + ")"));
        }
        d.check("FUNCTION", "LOAD", lib("biglib", big.toString()));
        d.check("FUNCTION", "LOAD", lib("small", "redis.register_function{function_name='s', callback=function() return 's' end, "
                + "description='with a description', flags={'no-writes', 'allow-oom'}}"));
        d.check("FUNCTION", "LOAD", lib("n42", fn("forty_two", "return 42")));
        d.check("FUNCTION", "LOAD", lib("bin", fn("binary", "return '\\0\\1\\2\\255'")));
        byte[][] payloads = dumps(d);
        for (int from = 0; from < 2; from++) {
            byte[] payload = payloads[from];
            String source = from == 0 ? "redis" : "respire";
            d.check("FUNCTION", "FLUSH");
            RespReply[] restored = d.both("FUNCTION", "RESTORE", payload);
            assertEquals("OK", restored[0].text(), "redis restoring " + source + "'s payload");
            assertEquals("OK", restored[1].text(), "respire restoring " + source + "'s payload");
            d.checkWith(ANY_ORDER, "FUNCTION", "LIST", "WITHCODE");
            d.check("FUNCTION", "STATS");
            d.check("FCALL", "big40", "1", "counter");
            d.check("FCALL", "s", "0");
            d.check("FCALL", "binary", "0");
            // Which library collides first depends on the order of Redis's hash table.
            d.checkWith(COLLISION, "FUNCTION", "RESTORE", payload);
            d.checkWith(COLLISION, "FUNCTION", "RESTORE", payload, "APPEND");
            d.check("FUNCTION", "RESTORE", payload, "REPLACE");
            d.check("FUNCTION", "RESTORE", payload, "FLUSH");
            d.checkWith(ANY_ORDER, "FUNCTION", "LIST", "WITHCODE");
        }
        // The payloads decode to the same libraries whichever server wrote them.
        byte[][] again = dumps(d);
        assertEquals(libraryCodes(payloads[0]), libraryCodes(payloads[1]));
        assertEquals(libraryCodes(again[0]), libraryCodes(again[1]));
    }

    /** "Library X already exists" for any X: the first library of several found to collide. */
    private static final ReplyComparison COLLISION = (a, b) -> {
        String ta = a.isError() ? a.text() : "";
        String tb = b.isError() ? b.text() : "";
        return ta.startsWith("ERR Library ") && ta.endsWith(" already exists")
                && tb.startsWith("ERR Library ") && tb.endsWith(" already exists");
    };

    /** The libraries' codes in a payload, sorted (the order is Redis's hash table's). */
    private static List<String> libraryCodes(byte[] payload) {
        List<String> codes = new ArrayList<>();
        io.respire.persistence.RdbFunctions.restore(payload, false, code -> codes.add(new String(code, StandardCharsets.ISO_8859_1)));
        codes.sort(null);
        return codes;
    }

    @Differential
    void restorePoliciesAndBadPayloads(Dual d) {
        start(d);
        d.check("FUNCTION", "LOAD", lib("lib1", fn("f1", "return 1") + fn("f3", "return 3")));
        byte[][] payloads = dumps(d);
        if (!Arrays.equals(payloads[0], payloads[1]) && !libraryCodes(payloads[0]).equals(libraryCodes(payloads[1]))) {
            throw new AssertionFailedError("the payloads hold different libraries");
        }
        byte[] payload = payloads[0];
        d.check("FUNCTION", "FLUSH");
        d.check("FUNCTION", "LOAD", lib("lib1", fn("f6", "return 7")));
        d.check("FUNCTION", "LOAD", lib("lib2", fn("f3", "return 4")));
        d.check("FUNCTION", "RESTORE", payload);
        d.check("FUNCTION", "RESTORE", payload, "replace");
        d.check("FCALL", "f6", "0");
        d.check("FCALL", "f3", "0");
        d.check("FUNCTION", "DELETE", "lib2");
        d.check("FUNCTION", "RESTORE", payload, "REPLACE");
        d.check("FCALL", "f6", "0");
        d.check("FCALL", "f1", "0");
        d.check("FUNCTION", "RESTORE", payload, "MERGE");
        d.check("FUNCTION", "RESTORE", payload, "FLUSH", "extra");
        d.check("FUNCTION", "RESTORE");
        d.check("FUNCTION", "RESTORE", "bad_payload");
        d.check("FUNCTION", "RESTORE", "");
        d.check("FUNCTION", "RESTORE", "0123456789");
        byte[] corrupt = payload.clone();
        corrupt[3] ^= 1;
        d.check("FUNCTION", "RESTORE", corrupt);
        d.check("FUNCTION", "RESTORE", Arrays.copyOf(payload, payload.length - 1));
        // Valid footers around contents that are not libraries.
        d.check("FUNCTION", "RESTORE", sealed(new byte[] {0, 1, 'a'}));
        d.check("FUNCTION", "RESTORE", sealed(new byte[] {(byte) 245, 0x3f, 'a'}));
        d.check("FUNCTION", "RESTORE", sealed(new byte[] {(byte) 245}));
        d.check("FUNCTION", "RESTORE", sealed(concat(new byte[] {(byte) 245, 8}, "not code".getBytes(StandardCharsets.US_ASCII))));
        d.check("FUNCTION", "RESTORE", sealed(concat(new byte[] {(byte) 245, 12}, "#!lua name=x".getBytes(StandardCharsets.US_ASCII))));
        byte[] record = Arrays.copyOf(payload, payload.length - 10);
        d.check("FUNCTION", "RESTORE", sealed(concat(record, record)), "FLUSH");
        // The old (7.0-rc) record: name, engine, description flag and description, body.
        byte[] old = concat(new byte[] {(byte) 246, 3}, "old".getBytes(StandardCharsets.US_ASCII), new byte[] {3},
                "LUA".getBytes(StandardCharsets.US_ASCII), new byte[] {1, 4}, "desc".getBytes(StandardCharsets.US_ASCII));
        String body = fn("oldf", "return 'old'");
        old = concat(old, new byte[] {(byte) body.length()}, body.getBytes(StandardCharsets.US_ASCII));
        d.check("FUNCTION", "RESTORE", sealed(old), "FLUSH");
        d.checkWith(ANY_ORDER, "FUNCTION", "LIST", "WITHCODE");
        d.check("FCALL", "oldf", "0");
        d.check("FUNCTION", "RESTORE", sealed(Arrays.copyOf(old, 8)));
        // A newer RDB version than 10 is refused whatever the checksum.
        byte[] newer = sealed(new byte[0]);
        newer[0] = 11;
        Crc64.writeLittleEndian(Crc64.update(0, newer, 0, 2), newer, 2);
        d.check("FUNCTION", "RESTORE", newer);
        d.check("FUNCTION", "RESTORE", sealed(new byte[0]));
        d.checkWith(ANY_ORDER, "FUNCTION", "LIST");
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /** {@code data} with the footer Redis writes: RDB version 10 and the CRC-64, little-endian. */
    private static byte[] sealed(byte[] data) {
        byte[] payload = Arrays.copyOf(data, data.length + 10);
        payload[data.length] = 10;
        Crc64.writeLittleEndian(Crc64.update(0, payload, 0, data.length + 2), payload, data.length + 2);
        return payload;
    }

    /** INFO's function counts; the memory figures are Respire's estimates and are only checked on Respire's side. */
    @Differential(protocols = 2)
    void infoCounts(Dual d) {
        start(d);
        d.check("FUNCTION", "LOAD", lib("a", fn("f", "return 1")));
        d.check("FUNCTION", "LOAD", lib("b", fn("g", "return 1") + fn("h", "return 1")));
        for (String field : new String[] {"number_of_functions", "number_of_libraries", "used_memory_functions"}) {
            RespReply[] info = d.both("INFO", "memory");
            assertEquals(infoField(info[0], field), infoField(info[1], field), field);
        }
        d.check("FUNCTION", "FLUSH");
        RespReply[] info = d.both("INFO", "memory");
        for (String field : new String[] {"number_of_functions", "number_of_libraries", "used_memory_functions"}) {
            assertEquals(infoField(info[0], field), infoField(info[1], field), field);
        }
    }

    /** How far each command moves the dirty counter (rdb_changes_since_last_save): the same on both. */
    @Differential(protocols = 2)
    void dirtyCounter(Dual d) {
        start(d);
        Dual observer = d.another();
        Object[][] commands = {
                {"FUNCTION", "LOAD", lib("dirty", fn("dset", "return redis.call('set', keys[1], args[1])") + fn("dget", "return redis.call('get', keys[1])"))},
                {"FUNCTION", "LOAD", lib("dirty", fn("dset", "return 1"))},
                {"FUNCTION", "LOAD", "REPLACE", lib("dirty", fn("dset", "return redis.call('set', keys[1], args[1])") + fn("dget", "return redis.call('get', keys[1])"))},
                {"FCALL", "dset", "1", "dk", "v"},
                {"FCALL", "dget", "1", "dk"},
                {"FCALL", "dset", "1", "dk", "v"},
                {"FUNCTION", "DUMP"},
                {"FUNCTION", "LIST"},
                {"FUNCTION", "DELETE", "nosuch"},
                {"FUNCTION", "DELETE", "dirty"},
                {"FUNCTION", "FLUSH"},
                {"FUNCTION", "FLUSH", "ASYNC"},
                {"FUNCTION", "RESTORE", "bad"},
        };
        for (Object[] command : commands) {
            long[] before = dirty(observer);
            d.checkWith(ANY_ORDER, command);
            long[] after = dirty(observer);
            assertEquals(after[0] - before[0], after[1] - before[1], "dirty counter change of " + RespConnection.describe(command));
        }
        d.check("FUNCTION", "LOAD", lib("dirty", fn("dset", "return 1")));
        byte[] payload = d.both("FUNCTION", "DUMP")[0].data;
        long[] before = dirty(observer);
        d.check("FUNCTION", "RESTORE", payload, "FLUSH");
        long[] after = dirty(observer);
        assertEquals(after[0] - before[0], after[1] - before[1], "dirty counter change of FUNCTION RESTORE");
    }

    private static long[] dirty(Dual observer) {
        RespReply[] info = observer.both("INFO", "persistence");
        return new long[] {Long.parseLong(infoField(info[0], "rdb_changes_since_last_save")),
                Long.parseLong(infoField(info[1], "rdb_changes_since_last_save"))};
    }

    private static String infoField(RespReply info, String field) {
        for (String line : info.text().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionFailedError("no " + field + " in INFO");
    }

    /**
     * A function that runs too long: BUSY for others, FUNCTION STATS naming it, SCRIPT KILL
     * refused, FUNCTION KILL stopping it, and its caller's error; then the same with EVAL.
     */
    @Differential
    void busyFunctionsAndKill(Dual d) throws InterruptedException {
        start(d);
        d.check("CONFIG", "SET", "busy-reply-threshold", "50");
        try {
            d.check("FUNCTION", "LOAD", lib("loop", fn("loop", "local a = 1 while true do a = a + 1 end")));
            Dual runner = d.another();
            runner.sendWithoutReply("FCALL", "loop", "1", "key");
            Thread.sleep(300);
            d.check("PING");
            d.checkWith(STATS_RUNNING, "FUNCTION", "STATS");
            d.check("SCRIPT", "KILL");
            d.check("FUNCTION", "LOAD", lib("x", fn("x", "return 1")));
            d.check("FUNCTION", "KILL");
            runner.checkPendingReply("the killed FCALL");
            d.check("PING");
            d.check("FUNCTION", "KILL");

            runner.sendWithoutReply("EVAL", "local a = 1 while true do a = a + 1 end", "0");
            Thread.sleep(300);
            d.check("FUNCTION", "KILL");
            d.check("FUNCTION", "STATS");
            d.check("SCRIPT", "KILL");
            runner.checkPendingReply("the killed EVAL");
            d.check("PING");
        } finally {
            d.check("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    /** FUNCTION STATS while a function runs: all but the duration, which only must be a number. */
    private static final ReplyComparison STATS_RUNNING = (a, b) -> {
        String ta = withoutDuration(a);
        String tb = withoutDuration(b);
        return ta != null && ta.equals(tb);
    };

    private static String withoutDuration(RespReply stats) {
        if (!stats.isAggregate() || stats.children.size() != 4 || !stats.children.get(1).isAggregate()) {
            return null;
        }
        RespReply running = stats.children.get(1);
        StringBuilder s = new StringBuilder(stats.type + stats.head + running.type + running.head);
        for (int i = 0; i < running.children.size(); i += 2) {
            s.append(RespReply.escape(running.children.get(i).raw));
            RespReply value = running.children.get(i + 1);
            boolean duration = running.children.get(i).text().equals("duration_ms");
            assertTrue(!duration || value.type == ':', "duration_ms is an integer");
            s.append(duration ? "<duration>" : RespReply.escape(value.raw));
        }
        return s.append(RespReply.escape(stats.children.get(2).raw)).append(RespReply.escape(stats.children.get(3).raw)).toString();
    }
}
