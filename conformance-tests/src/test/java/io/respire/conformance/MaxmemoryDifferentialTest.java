package io.respire.conformance;

import org.junit.jupiter.api.Assertions;

import java.util.ArrayList;
import java.util.List;

/**
 * maxmemory against Redis: the OOM error byte for byte, where it applies (denyoom commands,
 * anything queued in MULTI, EXEC of a queue holding a denyoom command, scripts by their flags),
 * what still runs over the limit, and the field names INFO and MEMORY STATS report.
 */
class MaxmemoryDifferentialTest {

    /** Puts both servers over any limit, with a policy that cannot evict. */
    private static void overLimit(Dual dual) {
        dual.both("CONFIG", "SET", "maxmemory-policy", "noeviction");
        dual.both("CONFIG", "SET", "maxmemory", "1");
    }

    private static void unlimited(Dual dual) {
        dual.another().both("CONFIG", "SET", "maxmemory", "0");
    }

    @Differential
    void commandsOverTheLimit(Dual dual) {
        dual.check("SET", "k", "v");
        overLimit(dual);
        try {
            dual.check("SET", "k", "w");
            dual.check("APPEND", "k", "w");
            dual.check("LPUSH", "l", "a");
            dual.check("GET", "k");
            dual.check("EXPIRE", "k", "100"); // not denyoom
            dual.check("DEL", "k");
            dual.check("PING");
            dual.check("CONFIG", "GET", "maxmemory");
        } finally {
            unlimited(dual);
        }
    }

    @Differential
    void transactionsOverTheLimit(Dual dual) {
        overLimit(dual);
        try {
            dual.check("MULTI");
            dual.check("SET", "k", "v");
            dual.check("GET", "k"); // queueing anything is refused in MULTI
            dual.check("EXEC");
            dual.check("MULTI");
            dual.check("DISCARD");
            dual.check("CONFIG", "SET", "maxmemory", "0");
            dual.check("MULTI");
            dual.check("SET", "k", "v");
            dual.another().both("CONFIG", "SET", "maxmemory", "1");
            dual.check("EXEC"); // the queue holds a denyoom command
            dual.check("CONFIG", "SET", "maxmemory", "0");
            dual.check("MULTI");
            dual.check("GET", "k");
            dual.another().both("CONFIG", "SET", "maxmemory", "1");
            dual.check("EXEC"); // nothing denyoom: it runs
        } finally {
            unlimited(dual);
        }
    }

    @Differential
    void scriptsOverTheLimit(Dual dual) {
        overLimit(dual);
        try {
            dual.check("EVAL", "#!lua\nreturn redis.call('set','x','y')", "0");
            dual.check("EVAL", "#!lua flags=allow-oom\nreturn redis.call('set','x','y')", "0");
            dual.check("EVAL", "#!lua flags=no-writes\nreturn redis.call('get','x')", "0");
            dual.check("EVAL", "return redis.pcall('set','x','z')", "0");
            dual.check("EVAL", "return redis.call('get','x')", "0");
        } finally {
            unlimited(dual);
        }
    }

    /** The names of a section's fields, in order. */
    private static List<String> fieldNames(RespReply info) {
        List<String> names = new ArrayList<>();
        for (String line : info.text().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                names.add(line.substring(0, colon));
            }
        }
        return names;
    }

    @Differential(protocols = 2)
    void infoMemoryFieldNames(Dual dual) {
        RespReply[] info = dual.both("INFO", "memory");
        Assertions.assertEquals(fieldNames(info[0]), fieldNames(info[1]));
        dual.check("CONFIG", "GET", "maxmemory-policy");
    }

    @Differential(protocols = 2)
    void memoryStatsNames(Dual dual) {
        dual.check("SET", "k", "v");
        RespReply[] stats = dual.both("MEMORY", "STATS");
        Assertions.assertEquals(keys(stats[0]), keys(stats[1]));
    }

    /** The field names of MEMORY STATS's flat reply (every other element). */
    private static List<String> keys(RespReply reply) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < reply.children.size(); i += 2) {
            keys.add(reply.children.get(i).text());
        }
        return keys;
    }
}
