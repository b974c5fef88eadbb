package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MODULE on a server that loads no modules: with enable-module-command at its default (no), LIST
 * and HELP answer and the protected LOAD, LOADEX and UNLOAD are refused, as in Redis; with it on,
 * LIST is empty, a module fails to load and none can be unloaded, with Redis's replies.
 */
class ModuleDifferentialTest extends ServerPairTest {
    private static final Object[][] COMMANDS = {
        {"MODULE", "LIST"}, {"MODULE", "HELP"}, {"MODULE", "LOAD", "/nonexistent/module.so"},
        {"MODULE", "LOAD", "/nonexistent/module.so", "arg1", "arg2"}, {"MODULE", "LOADEX", "/nonexistent/module.so"},
        {"MODULE", "LOADEX", "/nonexistent/module.so", "CONFIG", "a", "b", "ARGS", "x"}, {"MODULE", "UNLOAD", "json"},
        {"MODULE"}, {"MODULE", "FOO"}, {"MODULE", "LIST", "extra"}, {"MODULE", "UNLOAD"}, {"MODULE", "HELP", "extra"},
    };

    @Differential
    void refusedByDefaultExceptListAndHelp(Dual d) {
        for (Object[] command : COMMANDS) {
            d.check(command);
        }
    }

    @Test
    void withTheCommandEnabledNothingLoads() {
        RedisServerProcess redis = keep(RedisServerProcess.start(redisServer, List.of("--enable-module-command", "yes")));
        RespireServer respire = keep(RespireServer.start("--port", "0", "--enable-module-command", "yes"));
        RespConnection r = connect("redis", redis.port());
        RespConnection s = connect("respire", respire.port());
        for (Object[] command : COMMANDS) {
            assertEquals(r.call(command).render(), s.call(command).render(), RespConnection.describe(command));
        }
    }
}
