package io.respire.server.commands;

import io.respire.server.EmbeddedServerTest;
import io.respire.server.InfoFields;
import io.respire.server.RespTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FCALL and FUNCTION end to end: what the server adds around the function engine (the command
 * texts and reply shapes, the caller's database, MULTI, flags as command flags, long functions
 * and FUNCTION KILL, INFO). Expected replies are Redis 7.0.15's, checked against redis-server.
 */
class FunctionCommandsTest extends EmbeddedServerTest {
    private static final String SET_LIB = "#!lua name=setlib\n"
            + "redis.register_function('setkey', function(keys, args) return redis.call('set', keys[1], args[1]) end)\n"
            + "redis.register_function{function_name='getkey', callback=function(keys) return redis.call('get', keys[1]) end, "
            + "flags={'no-writes'}, description='reads a key'}";

    private static String raw(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    private static String lib(String name, String body) {
        return "#!lua name=" + name + "\n" + body;
    }

    @BeforeEach
    void flushFunctions() throws Exception {
        c.call("FUNCTION", "FLUSH");
    }

    @Test
    void loadAndCall() throws Exception {
        assertEquals("setlib", c.call("FUNCTION", "LOAD", SET_LIB));
        assertEquals("OK", c.call("FCALL", "setkey", "1", "f:k", "v1"));
        assertEquals("v1", c.call("FCALL", "GETKEY", "1", "f:k"));
        assertEquals("v1", c.call("FCALL_RO", "getkey", "1", "f:k"));
        // The caller's database, which the function cannot change for the caller.
        c.call("SELECT", "2");
        assertEquals("(nil)", c.call("FCALL", "getkey", "1", "f:k"));
        c.call("FCALL", "setkey", "1", "f:k", "two");
        c.call("SELECT", "0");
        assertEquals("v1", c.call("GET", "f:k"));
        assertEquals("(integer) 1", c.call("EXISTS", "f:k"));
    }

    /** functions.tcl "FUNCTION - allow stale": the flag lets the function run, not what it calls. */
    @Test
    void allowStaleFunctionsOnAStaleReplica() throws Exception {
        c.call("FUNCTION", "LOAD", "REPLACE", "#!lua name=stale\n"
                + "redis.register_function{function_name='f1', callback=function() return 'hello' end, flags={'no-writes'}}\n"
                + "redis.register_function{function_name='f2', callback=function() return 'hello' end, flags={'allow-stale', 'no-writes'}}\n"
                + "redis.register_function{function_name='f3', callback=function() return redis.call('get', 'x') end, flags={'allow-stale', 'no-writes'}}\n"
                + "redis.register_function{function_name='f4', callback=function() return redis.call('info', 'server') end, flags={'allow-stale', 'no-writes'}}");
        assertEquals("OK", c.call("CONFIG", "SET", "replica-serve-stale-data", "no"));
        try {
            assertEquals("OK", c.call("REPLICAOF", "127.0.0.1", "1"));
            assertTrue(c.call("FCALL", "f1", "0").startsWith("(error) MASTERDOWN "));
            assertEquals("hello", c.call("FCALL", "f2", "0"));
            assertTrue(c.call("FCALL", "f3", "0").startsWith("(error) ERR Can not execute the command on a stale replica"));
            assertTrue(c.call("FCALL", "f4", "0").contains("redis_version"));
        } finally {
            c.call("REPLICAOF", "NO", "ONE");
            c.call("CONFIG", "SET", "replica-serve-stale-data", "yes");
            c.call("FUNCTION", "DELETE", "stale");
        }
    }

    @Test
    void loadErrors() throws Exception {
        c.call("FUNCTION", "LOAD", SET_LIB);
        assertEquals("(error) ERR Unknown option given: foo", c.call("FUNCTION", "LOAD", "foo", "bar", SET_LIB));
        assertEquals("(error) ERR Library 'setlib' already exists", c.call("FUNCTION", "LOAD", SET_LIB));
        assertEquals("setlib", c.call("FUNCTION", "LOAD", "replace", SET_LIB));
        assertEquals("(error) ERR Function setkey already exists",
                c.call("FUNCTION", "LOAD", lib("other", "redis.register_function('setkey', function() end)")));
        assertEquals("(error) ERR Engine 'bad_engine' not found", c.call("FUNCTION", "LOAD", "#!bad_engine name=x\n"));
        assertEquals("(error) ERR Missing library metadata", c.call("FUNCTION", "LOAD", "return 1"));
        assertEquals("(error) ERR No functions registered", c.call("FUNCTION", "LOAD", lib("x", "return 1")));
        assertEquals("(error) ERR Error registering functions: ERR user_function:2: Script attempted to access "
                + "nonexistent global variable 'call'", c.call("FUNCTION", "LOAD", lib("x", "return redis.call('ping')")));
        assertEquals("(error) ERR wrong number of arguments for 'function|load' command", c.call("FUNCTION", "LOAD"));
    }

    @Test
    void loadTimesOutAfterHalfASecond() throws Exception {
        assertEquals("(error) ERR Error registering functions: ERR FUNCTION LOAD timeout",
                c.call("FUNCTION", "LOAD", lib("slow", "local a = 1 while 1 do a = a + 1 end")));
        assertEquals("PONG", c.call("PING"));
    }

    @Test
    void fcallErrors() throws Exception {
        c.call("FUNCTION", "LOAD", SET_LIB);
        assertEquals("(error) ERR Function not found", c.call("FCALL", "nosuch", "0"));
        assertEquals("(error) ERR Function not found", c.call("FCALL", "nosuch", "bad"));
        assertEquals("(error) ERR Bad number of keys provided", c.call("FCALL", "setkey", "bad_arg"));
        assertEquals("(error) ERR Bad number of keys provided", c.call("FCALL", "setkey", " 1"));
        assertEquals("(error) ERR Number of keys can't be greater than number of args", c.call("FCALL", "setkey", "10", "key1"));
        assertEquals("(error) ERR Number of keys can't be negative", c.call("FCALL", "setkey", "-1", "key1"));
        assertEquals("(error) ERR wrong number of arguments for 'fcall' command", c.call("FCALL", "setkey"));
        assertEquals("(error) ERR Can not execute a script with write flag using *_ro command.",
                c.call("FCALL_RO", "setkey", "1", "f:k", "v"));
        c.call("FUNCTION", "LOAD", lib("ro", "redis.register_function{function_name='rowrite', "
                + "callback=function() return redis.call('set', 'f:x', 1) end, flags={'no-writes'}}"));
        assertEquals("(error) ERR Write commands are not allowed from read-only scripts. script: rowrite, on @user_function:2.",
                c.call("FCALL", "rowrite", "0"));
        assertEquals("(error) ERR user_function:2: Script attempted to access nonexistent global variable 'KEYS' script: k, on @user_function:2.",
                errorOf(lib("k", "redis.register_function('k', function() return KEYS[1] end)"), "k"));
    }

    private String errorOf(String code, String function) throws Exception {
        c.call("FUNCTION", "LOAD", "REPLACE", code);
        return c.call("FCALL", function, "0");
    }

    @Test
    void deleteAndFlush() throws Exception {
        c.call("FUNCTION", "LOAD", SET_LIB);
        assertEquals("(error) ERR Library not found", c.call("FUNCTION", "DELETE", "nosuch"));
        assertEquals("(error) ERR Library not found", c.call("FUNCTION", "DELETE", "SETLIB"));
        assertEquals("OK", c.call("FUNCTION", "DELETE", "setlib"));
        assertEquals("(error) ERR Function not found", c.call("FCALL", "setkey", "0"));
        c.call("FUNCTION", "LOAD", SET_LIB);
        // FLUSHALL and FLUSHDB leave functions alone.
        c.call("FLUSHALL");
        c.call("FLUSHDB");
        assertEquals("OK", c.call("FCALL", "setkey", "1", "f:k", "v"));
        assertEquals("OK", c.call("FUNCTION", "FLUSH", "ASYNC"));
        assertEquals("[]", c.call("FUNCTION", "LIST"));
        assertEquals("OK", c.call("FUNCTION", "FLUSH", "sync"));
        assertEquals("(error) ERR FUNCTION FLUSH only supports SYNC|ASYNC option", c.call("FUNCTION", "FLUSH", "bad_arg"));
        assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.",
                c.call("function", "flush", "sync", "extra_arg"));
    }

    @Test
    void listInBothProtocols() throws Exception {
        c.call("FUNCTION", "LOAD", SET_LIB);
        String functions = "$9\r\nfunctions\r\n*2\r\n"
                + "%3\r\n$4\r\nname\r\n$6\r\nsetkey\r\n$11\r\ndescription\r\n_\r\n$5\r\nflags\r\n~0\r\n"
                + "%3\r\n$4\r\nname\r\n$6\r\ngetkey\r\n$11\r\ndescription\r\n$11\r\nreads a key\r\n$5\r\nflags\r\n~1\r\n+no-writes\r\n";
        c.call("HELLO", "3");
        assertEquals("*1\r\n%3\r\n$12\r\nlibrary_name\r\n$6\r\nsetlib\r\n$6\r\nengine\r\n$3\r\nLUA\r\n" + functions,
                raw(c.callRaw("FUNCTION", "LIST")));
        assertEquals("*1\r\n%4\r\n$12\r\nlibrary_name\r\n$6\r\nsetlib\r\n$6\r\nengine\r\n$3\r\nLUA\r\n" + functions
                + "$12\r\nlibrary_code\r\n$" + SET_LIB.length() + "\r\n" + SET_LIB + "\r\n",
                raw(c.callRaw("FUNCTION", "LIST", "WITHCODE")));
        c.call("HELLO", "2");
        assertEquals("*1\r\n*6\r\n$12\r\nlibrary_name\r\n$6\r\nsetlib\r\n$6\r\nengine\r\n$3\r\nLUA\r\n$9\r\nfunctions\r\n*2\r\n"
                + "*6\r\n$4\r\nname\r\n$6\r\nsetkey\r\n$11\r\ndescription\r\n$-1\r\n$5\r\nflags\r\n*0\r\n"
                + "*6\r\n$4\r\nname\r\n$6\r\ngetkey\r\n$11\r\ndescription\r\n$11\r\nreads a key\r\n$5\r\nflags\r\n*1\r\n+no-writes\r\n",
                raw(c.callRaw("FUNCTION", "LIST")));
    }

    @Test
    void listArguments() throws Exception {
        c.call("FUNCTION", "LOAD", lib("library1", "redis.register_function('f6', function() return 7 end)"));
        c.call("FUNCTION", "LOAD", lib("lib1", "redis.register_function('f7', function() return 7 end)"));
        assertEquals("[[library_name, library1, engine, LUA, functions, [[name, f6, description, (nil), flags, []]]]]",
                c.call("FUNCTION", "LIST", "LIBRARYNAME", "library*"));
        // The pattern ignores case.
        assertEquals("[[library_name, lib1, engine, LUA, functions, [[name, f7, description, (nil), flags, []]]]]",
                c.call("FUNCTION", "LIST", "libraryname", "LIB1"));
        assertEquals("[]", c.call("FUNCTION", "LIST", "LIBRARYNAME", "x*"));
        assertEquals("(error) ERR Unknown argument bad_argument", c.call("FUNCTION", "LIST", "bad_argument"));
        assertEquals("(error) ERR library name argument was not given", c.call("FUNCTION", "LIST", "libraryname"));
        assertEquals("(error) ERR Unknown argument withcode", c.call("FUNCTION", "LIST", "withcode", "withcode"));
        assertEquals("(error) ERR Unknown argument libraryname",
                c.call("FUNCTION", "LIST", "withcode", "libraryname", "foo", "libraryname", "foo"));
    }

    @Test
    void statsCountsLibrariesAndFunctions() throws Exception {
        c.call("FUNCTION", "LOAD", lib("test1", "redis.register_function('f1', function() return 1 end) "
                + "redis.register_function('f2', function() return 1 end)"));
        c.call("FUNCTION", "LOAD", lib("test2", "redis.register_function('f3', function() return 1 end)"));
        assertEquals("[running_script, (nil), engines, [LUA, [libraries_count, (integer) 2, functions_count, (integer) 3]]]",
                c.call("FUNCTION", "STATS"));
        c.call("FUNCTION", "DELETE", "test1");
        c.call("HELLO", "3");
        assertEquals("%2\r\n$14\r\nrunning_script\r\n_\r\n$7\r\nengines\r\n%1\r\n$3\r\nLUA\r\n%2\r\n"
                + "$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:1\r\n", raw(c.callRaw("FUNCTION", "STATS")));
        c.call("HELLO", "2");
    }

    @Test
    void longFunctionsAreKilledWithFunctionKill() throws Exception {
        c.call("CONFIG", "SET", "busy-reply-threshold", "50");
        c.call("FUNCTION", "LOAD", lib("test", "redis.register_function('test', function() local a = 1 while true do a = a + 1 end end)"));
        try (RespTestClient runner = new RespTestClient(server.port())) {
            runner.send("FCALL", "test", "0");
            awaitBusy("(error) BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
            String stats = c.call("FUNCTION", "STATS");
            assertTrue(stats.startsWith("[running_script, [name, test, command, [FCALL, test, 0], duration_ms, (integer) "), stats);
            assertTrue(stats.endsWith("engines, [LUA, [libraries_count, (integer) 1, functions_count, (integer) 1]]]"), stats);
            assertEquals("(error) BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.",
                    c.call("SCRIPT", "KILL"));
            assertEquals("OK", c.call("FUNCTION", "KILL"));
            assertEquals("(error) ERR Script killed by user with SCRIPT KILL... script: test, on @user_function:2.",
                    RespTestClient.render(runner.readRaw()));
            assertEquals("PONG", c.call("PING"));
        } finally {
            c.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    @Test
    void functionKillDoesNotStopEval() throws Exception {
        c.call("CONFIG", "SET", "busy-reply-threshold", "50");
        try (RespTestClient runner = new RespTestClient(server.port())) {
            runner.send("EVAL", "local a = 1 while true do a = a + 1 end", "0");
            awaitBusy("(error) BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
            assertEquals("(error) BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
                    c.call("FUNCTION", "KILL"));
            assertEquals("(error) BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
                    c.call("FUNCTION", "STATS"));
            assertEquals("OK", c.call("SCRIPT", "KILL"));
            RespTestClient.render(runner.readRaw());
            assertEquals("PONG", c.call("PING"));
        } finally {
            c.call("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
        assertEquals("(error) NOTBUSY No scripts in execution right now.", c.call("FUNCTION", "KILL"));
    }

    private void awaitBusy(String expected) throws Exception {
        String reply = "";
        long deadline = System.currentTimeMillis() + 5000;
        while (!reply.startsWith("(error) BUSY") && System.currentTimeMillis() < deadline) {
            reply = c.call("PING");
        }
        assertEquals(expected, reply);
    }

    @Test
    void dumpAndRestore() throws Exception {
        c.call("FUNCTION", "LOAD", SET_LIB);
        byte[] payload = payload(c.callRaw("FUNCTION", "DUMP"));
        c.call("FUNCTION", "DELETE", "setlib");
        assertEquals("OK", c.call("FUNCTION", "RESTORE", payload));
        assertEquals("OK", c.call("FCALL", "setkey", "1", "f:k", "v"));
        assertEquals("(error) ERR Library setlib already exists", c.call("FUNCTION", "RESTORE", payload));
        assertEquals("(error) ERR Library setlib already exists", c.call("FUNCTION", "RESTORE", payload, "append"));
        assertEquals("OK", c.call("FUNCTION", "RESTORE", payload, "REPLACE"));
        c.call("FUNCTION", "LOAD", lib("extra", "redis.register_function('extra', function() return 1 end)"));
        assertEquals("OK", c.call("FUNCTION", "RESTORE", payload, "FLUSH"));
        assertEquals("(error) ERR Function not found", c.call("FCALL", "extra", "0"));
        assertArrayEquals(payload, payload(c.callRaw("FUNCTION", "DUMP")));

        assertEquals("(error) ERR DUMP payload version or checksum are wrong", c.call("FUNCTION", "RESTORE", "bad_payload"));
        assertEquals("(error) ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.",
                c.call("FUNCTION", "RESTORE", payload, "MERGE"));
        assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP.",
                c.call("function", "restore", "arg1", "args2", "arg3"));
    }

    @Test
    void dumpFollowsRdbcompression() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 4; i++) {
            body.append("redis.register_function('f").append(i).append("', function() return ").append(i).append(" end)\n");
        }
        assertEquals("rep", c.call("FUNCTION", "LOAD", lib("rep", body.toString())));
        byte[] compressed = payload(c.callRaw("FUNCTION", "DUMP"));
        try {
            c.call("CONFIG", "SET", "rdbcompression", "no");
            byte[] plain = payload(c.callRaw("FUNCTION", "DUMP"));
            assertTrue(plain.length > compressed.length);
            assertNotEquals(raw(plain), raw(compressed));
            c.call("FUNCTION", "FLUSH");
            assertEquals("OK", c.call("FUNCTION", "RESTORE", plain));
            assertEquals("(integer) 3", c.call("FCALL", "f3", "0"));
        } finally {
            c.call("CONFIG", "SET", "rdbcompression", "yes");
        }
    }

    /** The bulk string of a raw reply. */
    private static byte[] payload(byte[] reply) {
        int start = raw(reply).indexOf("\r\n") + 2;
        return java.util.Arrays.copyOfRange(reply, start, reply.length - 2);
    }

    @Test
    void infoCountsFunctions() throws Exception {
        assertEquals(0, InfoFields.number(c, "number_of_functions"));
        assertEquals(200, InfoFields.number(c, "used_memory_functions"));
        c.call("FUNCTION", "LOAD", SET_LIB);
        assertEquals(2, InfoFields.number(c, "number_of_functions"));
        assertEquals(1, InfoFields.number(c, "number_of_libraries"));
        long functionsMemory = InfoFields.number(c, "used_memory_functions");
        assertTrue(functionsMemory > 200, "used_memory_functions " + functionsMemory);
        long vm = InfoFields.number(c, "used_memory_vm_functions");
        assertEquals(vm + InfoFields.number(c, "used_memory_vm_eval"), InfoFields.number(c, "used_memory_vm_total"));
        assertEquals(functionsMemory + InfoFields.number(c, "used_memory_scripts_eval"), InfoFields.number(c, "used_memory_scripts"));
        assertTrue(c.call("MEMORY", "STATS").contains("functions.caches, (integer) " + functionsMemory + ","));
        c.call("FUNCTION", "FLUSH");
        assertEquals(0, InfoFields.number(c, "number_of_functions"));
        assertEquals(0, InfoFields.number(c, "number_of_libraries"));
        assertEquals(200, InfoFields.number(c, "used_memory_functions"));
    }

    @Test
    void fcallInsideMultiAndItsStatistics() throws Exception {
        c.call("FUNCTION", "LOAD", SET_LIB);
        c.call("CONFIG", "RESETSTAT");
        assertEquals("OK", c.call("MULTI"));
        assertEquals("QUEUED", c.call("FCALL", "setkey", "1", "f:m", "1"));
        assertEquals("QUEUED", c.call("FCALL", "getkey", "1", "f:m"));
        assertEquals("[OK, 1]", c.call("EXEC"));
        String stats = c.call("INFO", "commandstats");
        assertTrue(stats.contains("cmdstat_fcall:calls=2,"), stats);
        assertTrue(stats.contains("cmdstat_set:calls=1,"), stats);
        assertTrue(stats.contains("cmdstat_get:calls=1,"), stats);
    }

    /** A function's flags are the FCALL's: under CLIENT PAUSE WRITE a no-writes function still runs. */
    @Test
    void functionFlagsAreTheCommandsFlags() throws Exception {
        c.call("FUNCTION", "LOAD", SET_LIB);
        c.call("SET", "f:p", "x");
        try (RespTestClient writer = new RespTestClient(server.port())) {
            assertEquals("OK", c.call("CLIENT", "PAUSE", "100000", "WRITE"));
            assertEquals("x", c.call("FCALL", "getkey", "1", "f:p"));
            writer.send("FCALL", "setkey", "1", "f:p", "y");
            Thread.sleep(100);
            assertEquals("x", c.call("FCALL", "getkey", "1", "f:p"));
            assertEquals("OK", c.call("CLIENT", "UNPAUSE"));
            assertEquals("OK", RespTestClient.render(writer.readRaw()));
            assertEquals("y", c.call("GET", "f:p"));
        } finally {
            c.call("CLIENT", "UNPAUSE");
        }
    }

    /** In MULTI too: EXEC of no-writes functions runs under CLIENT PAUSE WRITE, EXEC of a writing one waits. */
    @Test
    void functionFlagsCountInTransactions() throws Exception {
        c.call("FUNCTION", "LOAD", SET_LIB);
        c.call("SET", "f:p", "x");
        try (RespTestClient reader = new RespTestClient(server.port()); RespTestClient writer = new RespTestClient(server.port())) {
            reader.call("MULTI");
            reader.call("FCALL", "getkey", "1", "f:p");
            reader.call("FCALL_RO", "getkey", "1", "f:p");
            writer.call("MULTI");
            writer.call("FCALL", "getkey", "1", "f:p");
            writer.call("FCALL", "setkey", "1", "f:p", "y");
            assertEquals("OK", c.call("CLIENT", "PAUSE", "100000", "WRITE"));
            assertEquals("[x, x]", reader.call("EXEC"));
            writer.send("EXEC");
            Thread.sleep(100);
            assertEquals("x", c.call("GET", "f:p"));
            assertEquals("OK", c.call("CLIENT", "UNPAUSE"));
            assertEquals("[x, OK]", RespTestClient.render(writer.readRaw()));
        } finally {
            c.call("CLIENT", "UNPAUSE");
        }
    }

    @Test
    void commandGetkeysAndHelp() throws Exception {
        assertEquals("[x]", c.call("COMMAND", "GETKEYS", "fcall", "test", "1", "x", "foo"));
        assertEquals("[x]", c.call("COMMAND", "GETKEYS", "fcall_ro", "test", "1", "x", "foo"));
        String help = c.call("FUNCTION", "HELP");
        assertTrue(help.startsWith("[FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, LOAD [REPLACE] <FUNCTION CODE>,"), help);
        assertTrue(help.endsWith("in case of functions name collision with another library)., HELP,     Prints this help.]"), help);
        assertEquals("(error) ERR unknown subcommand 'bad_subcommand'. Try FUNCTION HELP.", c.call("FUNCTION", "bad_subcommand"));
    }

    /** Redis dies on it (an assertion); Respire refuses. Only reachable with DEBUG SET-DISABLE-DENY-SCRIPTS. */
    @Test
    void aScriptCannotRunAScript() throws Exception {
        c.call("FUNCTION", "LOAD", lib("inner", "redis.register_function('inner', function() return 'in' end)"));
        c.call("FUNCTION", "LOAD", lib("outer", "redis.register_function('outer', function() "
                + "return {redis.pcall('fcall', 'inner', '0'), redis.pcall('eval', 'return 1', '0'), 'after'} end)"));
        c.call("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "1");
        try {
            assertEquals("[(error) ERR a script cannot run scripts or functions, (error) ERR a script cannot run scripts or functions, after]",
                    c.call("FCALL", "outer", "0"));
            assertEquals("in", c.call("FCALL", "inner", "0"));
        } finally {
            c.call("DEBUG", "SET-DISABLE-DENY-SCRIPTS", "0");
        }
    }

    @Test
    void logFromALibraryWhileItLoads() throws Exception {
        assertEquals("l", c.call("FUNCTION", "LOAD", lib("l", "redis.log(redis.LOG_WARNING, 'hello from a library') "
                + "redis.register_function('v', function() return redis.REDIS_VERSION end)")));
        assertEquals("7.0.15", c.call("FCALL", "v", "0"));
    }
}
