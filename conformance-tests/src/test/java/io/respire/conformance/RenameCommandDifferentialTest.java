package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * rename-command against Redis's: both servers started with the same lines (a rename, a removal,
 * a rename of a command scripts call), then the same commands, reply for reply: the old names are
 * unknown, the new ones work in scripts and transactions too, and COMMAND and ACL know the commands
 * by their own names.
 */
class RenameCommandDifferentialTest extends ServerPairTest {
    private static final List<String> RENAMES = List.of("--rename-command", "flushdb", "badger",
            "--rename-command", "config", "", "--rename-command", "GET", "fetch");

    private static final Object[][] COMMANDS = {
        {"FLUSHDB"}, {"badger"}, {"CONFIG", "GET", "port"}, {"SET", "k", "v"}, {"FETCH", "k"}, {"GET", "k"},
        {"EVAL", "return redis.call('fetch', KEYS[1])", "1", "k"},
        {"EVAL", "return redis.pcall('get', KEYS[1])", "1", "k"},
        {"MULTI"}, {"FETCH", "k"}, {"GET", "k"}, {"EXEC"},
        {"MULTI"}, {"FETCH", "k"}, {"BADGER"}, {"EXEC"}, {"DBSIZE"},
        {"COMMAND", "INFO", "get", "fetch", "badger", "flushdb", "config", "config|get"},
        {"COMMAND", "GETKEYS", "fetch", "k"}, {"COMMAND", "GETKEYS", "get", "k"},
        {"ACL", "SETUSER", "u", "on", "nopass", "+flushdb", "+config|get", "+get"},
        {"ACL", "SETUSER", "u", "+fetch"}, {"ACL", "SETUSER", "u", "+badger"},
        // (not ACL GETUSER: Redis lists a user's commands in its hash table's order, which varies per run)
        {"ACL", "DRYRUN", "u", "badger"}, {"ACL", "DRYRUN", "u", "fetch", "k"}, {"ACL", "DRYRUN", "u", "set", "k", "v"},
    };

    @Test
    void renamedCommandsAnswerAsRedisAnswers() {
        RedisServerProcess redis = keep(RedisServerProcess.start(redisServer, RENAMES));
        List<String> args = new java.util.ArrayList<>(List.of("--port", "0", "--bind", "127.0.0.1"));
        args.addAll(RENAMES);
        RespireServer respire = keep(RespireServer.start(args.toArray(String[]::new)));
        RespConnection r = connect("redis", redis.port());
        RespConnection s = connect("respire", respire.port());
        for (Object[] command : COMMANDS) {
            assertEquals(r.call(command).render(), s.call(command).render(), RespConnection.describe(command));
        }
    }
}
