package io.respire.scripting.lua;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.respire.protocol.RespReplyWriter;
import io.respire.scripting.EvalScripts;
import io.respire.scripting.ScriptException;
import io.respire.scripting.ScriptHost;
import io.respire.scripting.ScriptRun;

import java.nio.charset.StandardCharsets;

/**
 * Runs EVAL scripts on an engine of their own, without a server (redis.call answers every command
 * with an error), and returns the reply as the RESP2 text a client would read. For the unit tests
 * of the Lua 5.1 behaviour; the differential tests compare the same against Redis itself.
 */
final class Scripts {
    private final EvalScripts engine = new EvalScripts(new RedisRandom());
    private final Runnable onCommand;
    private final ScriptHost host = new ScriptHost() {
        @Override
        public String call(ScriptRun run, byte[][] argv) {
            onCommand.run();
            return "ERR Unknown Redis command called from script";
        }

        @Override
        public Boolean permits(ScriptRun run, byte[][] argv) {
            return null;
        }

        @Override
        public void interrupt(ScriptRun run) {
        }

        @Override
        public void log(int level, String message) {
        }
    };

    Scripts() {
        this(() -> {
        });
    }

    /** @param onCommand what happens when a script calls a command (before it is refused) */
    Scripts(Runnable onCommand) {
        this.onCommand = onCommand;
    }

    /** The RESP2 reply to EVAL {@code body} 0, or "compile: message" if it does not compile. */
    String eval(String body) {
        EvalScripts.Script script;
        try {
            script = engine.load(body.getBytes(StandardCharsets.UTF_8));
        } catch (ScriptException e) {
            return "compile: " + e.getMessage();
        }
        ByteBuf out = Unpooled.buffer();
        // on a deep stack, as the server's threads have: LuaJ and the reply conversion recurse
        Thread runner = new Thread(null, () -> engine.run(script, new ScriptRun(host, script.sha(), true, false, false),
                new byte[0][], new byte[0][], new RespReplyWriter(out)), "script", 64L * 1024 * 1024);
        runner.start();
        try {
            runner.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** The bulk string {@code body} returns, or the whole reply if it is something else. */
    String value(String body) {
        String reply = eval(body);
        if (reply.startsWith("$") && !reply.startsWith("$-1")) {
            int start = reply.indexOf("\r\n") + 2;
            return reply.substring(start, reply.length() - 2);
        }
        return reply;
    }

    /** The message of the error {@code body} raises: the reply without "-ERR " and " script: ...". */
    String error(String body) {
        String reply = eval(body);
        int script = reply.lastIndexOf(" script: ");
        if (!reply.startsWith("-") || script < 0) {
            return "not an error: " + reply;
        }
        return reply.substring(reply.startsWith("-ERR ") ? 5 : 1, script);
    }

    static String sha(String body) {
        return RedisApi.sha1Hex(body.getBytes(StandardCharsets.UTF_8));
    }
}
