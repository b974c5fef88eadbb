package io.respire.conformance;

/**
 * The Lua debugger (SCRIPT DEBUG SYNC) compared with Redis 7.0.15: whole sessions, each command's
 * logs byte for byte, the EVAL's reply after the end mark, and the connection closed after it.
 * Each session uses connections of its own, as the session ends with them. Not compared: printing
 * a function (Redis shows its address).
 */
class ScriptDebuggerDifferentialTest {

    /** Starts a session on a new pair of connections running {@code script} with {@code numkeysAndArgs}. */
    private static Dual session(Dual d, String script, String... numkeysAndArgs) {
        Dual s = d.another();
        s.check("SCRIPT", "DEBUG", "SYNC");
        Object[] eval = new Object[2 + numkeysAndArgs.length];
        eval[0] = "EVAL";
        eval[1] = script;
        System.arraycopy(numkeysAndArgs, 0, eval, 2, numkeysAndArgs.length);
        s.check(eval);
        return s;
    }

    /** Sends the command that ends the session, then compares the EVAL's reply and the close. */
    private static void end(Dual s, String... command) {
        s.check((Object[]) command);
        s.checkPendingReply("the EVAL's reply after <endsession>");
        s.checkClosedAlike();
    }

    @Differential
    void steppingPrintingListingAndTheHelp(Dual d) {
        Dual s = session(d, "local a = 1\nlocal b = {1,2,'x'}\nredis.call('set','k','v')\n"
                + "redis.debug('hi', a, b, nil, true, 1.5)\nredis.pcall('nosuch')\nredis.pcall('incr','k')\nreturn a\n",
                "1", "key1", "arg1");
        for (String[] command : new String[][] {{"help"}, {"list"}, {"s"}, {"p"}, {"s"}, {"p", "b"}, {"p", "KEYS"},
                {"p", "ARGV"}, {"p", "nosuch"}, {"t"}, {"w"}, {"l", "3", "1"}, {"l", "0"}, {"l", "-3"}, {"x"}, {"s"}, {"s"},
                {"s"}, {"s"}}) {
            s.check((Object[]) command);
        }
        end(s, "s");
    }

    @Differential
    void breakpointsAndContinuing(Dual d) {
        Dual s = session(d, "local function f(x)\n  local y = x * 2\n  redis.breakpoint()\n  return y\nend\n"
                + "local t = {a=1}\nlocal r = f(3)\nredis.call('rpush','l', string.rep('x', 300), 'b')\n"
                + "redis.call('lrange','l',0,-1)\nfor i = 1, 2 do r = r + i end\nreturn r\n", "0");
        for (String[] command : new String[][] {{"b"}, {"b", "10"}, {"b", "100"}, {"b", "x"}, {"b", "1", "2", "0"},
                {"b", "10"}, {"b"}, {"c"}, {"p"}, {"t"}, {"c"}, {"p", "i"}, {"p", "t"}, {"c"}, {"p", "i"}, {"b", "-10"},
                {"b", "-10"}}) {
            s.check((Object[]) command);
        }
        end(s, "c");
    }

    @Differential
    void stepsLogCommandsAndTrimmedReplies(Dual d) {
        Dual s = session(d, "redis.call('rpush','l', string.rep('x', 300), 'b')\nredis.call('lrange','l',0,-1)\n"
                + "redis.call('lrange','l',0,-1)\nreturn 1", "0");
        for (String[] command : new String[][] {{"s"}, {"s"}, {"m"}, {"m", "10"}, {"m", "61"}, {"m", "0"}, {"m", "abc"},
                {"s"}}) {
            s.check((Object[]) command);
        }
        end(s, "c");
    }

    @Differential
    void badArgumentsOfRedisCallAreLogged(Dual d) {
        Dual s = session(d, "redis.pcall()\nredis.pcall('get',{})\nredis.pcall('get')\nreturn 1", "0");
        s.check("s");
        s.check("s");
        s.check("s");
        end(s, "s");
    }

    @Differential
    void evalAndRedisCommands(Dual d) {
        Dual s = session(d, "return 'hello'", "0");
        for (String[] command : new String[][] {{"e", "1+1"}, {"e", "a"}, {"e", "1+"}, {"e", "x = 5"}, {"e", "io"},
                {"e", "error('y')"}, {"e", "{1,'a',{x=1},nil,3}"}, {"e", "'a\\0b\\n\"\\1\\255'"}, {"e", "0/0"},
                {"e", "1e100"}, {"e", "-0"}, {"e", "123456789012"}, {"e", "redis.debug('x')"}, {"e", "local x = 1"},
                {"e"}, {"r", "set", "k", "v"}, {"r", "get", "k"}, {"r", "hgetall", "k"}, {"r", "nosuch"},
                {"r", "incr", "k"}, {"r", "debug", "sleep", "0"}, {"e", "redis.setresp(3)"}, {"r", "hgetall", "k"},
                {"r", "echo", "x"}, {"r"}}) {
            s.check((Object[]) command);
        }
        end(s, "n");
    }

    @Differential
    void theTclSuitesCases(Dual d) {
        Dual s = session(d, "return 'hello'", "0");
        s.check("'hello\0world'");
        s.check("\0hello\0");
        Object[] redis = new Object[101];
        redis[0] = "redis";
        java.util.Arrays.fill(redis, 1, 101, "test");
        s.check(redis);
        s.check("eval", "return 'hello'", "0"); // the suite's second EVAL is the debugger's eval command
        end(s, "c");
    }

    @Differential
    void howASessionEnds(Dual d) {
        end(session(d, "redis.call('set','k2','1')\nreturn 1", "0"), "a");
        d.check("GET", "k2"); // not written: abort came first
        end(session(d, "return 1", "0"), "s", "");
        end(session(d, "error('boom')", "0"), "s");
        Dual s = d.another();
        s.check("SCRIPT", "DEBUG", "SYNC");
        s.check("EVAL", "return +", "0");
        s.checkPendingReply("the compile error after <endsession>");
        s.checkClosedAlike();
    }

    @Differential
    void whatScriptDebugRefuses(Dual d) {
        d.check("SCRIPT", "DEBUG", "MAYBE");
        d.check("MULTI");
        d.check("SCRIPT", "DEBUG", "SYNC");
        d.check("EXEC");
        d.check("SCRIPT", "DEBUG", "SYNC");
        d.check("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0");
        d.check("EVALSHA", "short", "0");
        d.check("SCRIPT", "DEBUG", "NO");
        d.check("EVAL", "return {redis.breakpoint(), redis.debug('x')}", "0");
    }
}
