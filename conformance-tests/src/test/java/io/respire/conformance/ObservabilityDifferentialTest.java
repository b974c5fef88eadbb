package io.respire.conformance;

import org.opentest4j.AssertionFailedError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SLOWLOG, LATENCY and INFO compared with Redis: replies exactly where they do not depend on time,
 * otherwise by shape with the parts that do not depend on time (arguments, client names, event
 * names, call counts) exactly; and INFO's field names section by section. The servers are shared
 * with other tests, so each test sets what it relies on and puts the defaults back.
 */
class ObservabilityDifferentialTest {
    /**
     * SLOWLOG GET: the same entries, with the same arguments and client names; ids, times,
     * durations and client ports differ by nature (a script's "?:0" address must match).
     */
    private static final ReplyComparison SLOWLOG_ENTRIES = (a, b) -> {
        if (!a.sameShape(b) || !a.isAggregate()) {
            return Arrays.equals(a.raw, b.raw);
        }
        for (int i = 0; i < a.children.size(); i++) {
            List<RespReply> x = a.children.get(i).children;
            List<RespReply> y = b.children.get(i).children;
            if (x.size() != 6 || y.size() != 6 || !Arrays.equals(x.get(3).raw, y.get(3).raw)
                    || !Arrays.equals(x.get(5).raw, y.get(5).raw) || !samePeer(x.get(4), y.get(4))) {
                return false;
            }
            for (int j = 0; j < 3; j++) {
                if (!x.get(j).sameShape(y.get(j))) {
                    return false;
                }
            }
        }
        return true;
    };

    private static boolean samePeer(RespReply a, RespReply b) {
        return a.text().startsWith("?") ? Arrays.equals(a.raw, b.raw) : b.text().startsWith("127.0.0.1:");
    }

    /**
     * LATENCY HISTOGRAM: the same commands with the same call counts; the buckets depend on
     * timing, so only their reply type is compared.
     */
    private static final ReplyComparison HISTOGRAMS = (a, b) -> {
        if (!a.sameShape(b) || !a.isAggregate()) {
            return Arrays.equals(a.raw, b.raw);
        }
        for (int i = 0; i < a.children.size(); i += 2) {
            List<RespReply> x = a.children.get(i + 1).children;
            List<RespReply> y = b.children.get(i + 1).children;
            if (!Arrays.equals(a.children.get(i).raw, b.children.get(i).raw) || x.size() != 4 || y.size() != 4
                    || !Arrays.equals(x.get(0).raw, y.get(0).raw) || !Arrays.equals(x.get(1).raw, y.get(1).raw)
                    || !Arrays.equals(x.get(2).raw, y.get(2).raw) || x.get(3).type != y.get(3).type) {
                return false;
            }
        }
        return true;
    };

    @Differential
    void slowlogEntries(Dual d) {
        try {
            d.check("CONFIG", "SET", "slowlog-log-slower-than", "0");
            d.check("CONFIG", "SET", "slowlog-max-len", "128");
            d.check("SLOWLOG", "RESET");
            d.check("CLIENT", "SETNAME", "observed");
            d.check("SET", "k", "v");
            Object[] sadd = new Object[40];
            sadd[0] = "SADD";
            sadd[1] = "s";
            for (int i = 2; i < sadd.length; i++) {
                sadd[i] = "m" + i;
            }
            d.check(sadd);
            d.check("SADD", "s", "x".repeat(300));
            d.check("MULTI");
            d.check("INCR", "n");
            d.check("EXEC");
            d.check("AUTH", "secret");
            d.check("CONFIG", "SET", "masterauth", "hidden");
            d.check("EVAL", "return redis.call('incr', KEYS[1])", "1", "n");
            d.check("GEOADD", "g", "13.361389", "38.115556", "Palermo");
            d.checkWith(SLOWLOG_ENTRIES, "SLOWLOG", "GET", "-1");
            d.check("SLOWLOG", "LEN");
            d.checkWith(SLOWLOG_ENTRIES, "SLOWLOG", "GET", "3");
            d.check("SLOWLOG", "GET", "0");
            d.check("CONFIG", "SET", "slowlog-max-len", "2");
            d.check("PING");
            d.check("SLOWLOG", "LEN");
            d.check("CONFIG", "SET", "slowlog-log-slower-than", "-1");
            d.check("SLOWLOG", "RESET");
            d.check("PING");
            d.check("SLOWLOG", "LEN");
        } finally {
            d.both("CONFIG", "SET", "slowlog-log-slower-than", "10000", "slowlog-max-len", "128", "masterauth", "");
        }
    }

    @Differential
    void aBlockedCommandIsLoggedWhenServed(Dual d) {
        try {
            d.check("CONFIG", "SET", "slowlog-log-slower-than", "0");
            Dual blocked = d.another();
            blocked.check("CLIENT", "SETNAME", "waiter");
            blocked.sendWithoutReply("BLPOP", "list", "0");
            awaitBlocked(d);
            d.check("SLOWLOG", "RESET");
            d.check("LPUSH", "list", "a");
            blocked.checkPendingReply("BLPOP list 0");
            d.checkWith(SLOWLOG_ENTRIES, "SLOWLOG", "GET");
        } finally {
            d.both("CONFIG", "SET", "slowlog-log-slower-than", "10000");
        }
    }

    private static void awaitBlocked(Dual d) {
        for (int i = 0; i < 500; i++) {
            RespReply[] info = d.both("INFO", "clients");
            if (info[0].text().contains("blocked_clients:1") && info[1].text().contains("blocked_clients:1")) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionFailedError("the BLPOP never blocked on both servers");
    }

    @Differential
    void slowlogErrorsAndHelp(Dual d) {
        d.check("SLOWLOG", "GET", "-2");
        d.check("SLOWLOG", "GET", "abc");
        d.check("SLOWLOG", "GET", "1", "2");
        d.check("SLOWLOG", "LEN", "1");
        d.check("SLOWLOG", "RESET", "1");
        d.check("SLOWLOG", "HELP");
        d.check("SLOWLOG", "help", "x");
        d.check("SLOWLOG");
        d.check("SLOWLOG", "NOPE");
    }

    @Differential
    void latencyWithTheMonitorOff(Dual d) {
        d.check("CONFIG", "SET", "latency-monitor-threshold", "0");
        d.both("LATENCY", "RESET");
        d.check("LATENCY", "LATEST");
        d.check("LATENCY", "HISTORY", "command");
        d.check("LATENCY", "GRAPH", "command");
        d.check("LATENCY", "RESET");
        d.check("LATENCY", "RESET", "command", "fast-command");
        d.check("LATENCY", "DOCTOR");
        d.check("LATENCY", "HELP");
        d.check("LATENCY", "HELP", "xxx");
        d.check("LATENCY", "HISTORY");
        d.check("LATENCY", "GRAPH");
        d.check("LATENCY", "LATEST", "x");
        d.check("LATENCY", "NOPE");
        d.check("LATENCY");
    }

    @Differential
    void latencyEvents(Dual d) {
        try {
            d.both("LATENCY", "RESET");
            d.check("CONFIG", "SET", "latency-monitor-threshold", "30");
            d.check("DEBUG", "SLEEP", "0.05");
            // A loaded host may make other commands slow too: events and samples beyond the
            // DEBUG SLEEP are tolerated, and only the layout of what depends on timing is compared.
            RespReply[] latest = d.both("LATENCY", "LATEST");
            for (RespReply r : latest) {
                RespReply command = eventNamed(r, "command"); // [command, time, latency, max]
                assertEquals(4, command.children.size(), r.render());
                assertTrue(command.children.get(3).asLong() >= 50, r.render());
            }
            RespReply[] history = d.both("LATENCY", "HISTORY", "command");
            for (RespReply r : history) {
                assertTrue(!r.children.isEmpty() && r.children.get(0).children.size() == 2, r.render());
            }
            RespReply[] graph = d.both("LATENCY", "GRAPH", "command");
            assertEquals(graph[0].type, graph[1].type);
            String[] redisLines = text(graph[0]).split("\n", -1);
            String[] respireLines = text(graph[1]).split("\n", -1);
            assertTrue(respireLines[0].matches("command - high \\d+ ms, low \\d+ ms \\(all time high \\d+ ms\\)"));
            assertEquals(redisLines[1], respireLines[1]);
            RespReply[] doctor = d.both("LATENCY", "DOCTOR");
            for (RespReply r : doctor) {
                assertTrue(text(r).startsWith("Dave, I have observed latency spikes in this Redis instance."), r.text());
                assertTrue(r.text().matches("(?s).*\\d\\. command: \\d+ latency spikes \\(average \\d+ms, mean deviation "
                        + "\\d+ms, period \\d+\\.\\d\\d sec\\)\\. Worst all time event \\d+ms\\..*"), r.text());
                assertTrue(r.text().contains("- Check your Slow Log to understand what are the commands"), r.text());
            }
            d.check("LATENCY", "RESET", "COMMAND");
            d.check("LATENCY", "HISTORY", "command");
        } finally {
            d.both("CONFIG", "SET", "latency-monitor-threshold", "0");
            d.both("LATENCY", "RESET");
        }
    }

    /** A text reply's text: a bulk string in RESP2, a verbatim string without its "txt:" in RESP3. */
    private static String text(RespReply r) {
        return r.type == '=' ? r.text().substring(4) : r.text();
    }

    private static RespReply eventNamed(RespReply latest, String name) {
        for (RespReply event : latest.children) {
            if (event.children.get(0).text().equals(name)) {
                return event;
            }
        }
        throw new AssertionFailedError("no " + name + " event in " + latest.render());
    }

    @Differential
    void latencyHistograms(Dual d) {
        d.check("CONFIG", "SET", "latency-tracking", "yes");
        d.check("CONFIG", "RESETSTAT");
        d.checkWith(HISTOGRAMS, "LATENCY", "HISTOGRAM");
        d.check("SET", "a", "b");
        d.check("SET", "c", "d");
        d.check("GET", "a");
        d.check("CLIENT", "GETNAME");
        d.checkWith(HISTOGRAMS, "LATENCY", "HISTOGRAM", "set");
        d.checkWith(HISTOGRAMS, "LATENCY", "HISTOGRAM", "SET", "blabla", "get");
        d.checkWith(HISTOGRAMS, "LATENCY", "HISTOGRAM", "client");
        d.checkWith(HISTOGRAMS, "LATENCY", "HISTOGRAM", "client|getname");
        d.check("LATENCY", "HISTOGRAM", "blabla", "client|nosuch", "set|x");
        d.check("CONFIG", "SET", "latency-tracking", "no");
        d.check("HSET", "h", "f", "v");
        d.check("LATENCY", "HISTOGRAM", "hset");
        d.check("CONFIG", "SET", "latency-tracking", "yes");
        d.check("CONFIG", "RESETSTAT");
        d.check("LATENCY", "HISTOGRAM", "set", "get");
    }

    /** INFO latencystats: the same lines for the same commands; the figures differ. */
    @Differential(protocols = 2)
    void infoLatencystats(Dual d) {
        try {
            d.check("CONFIG", "SET", "latency-tracking-info-percentiles", "0 50 99.99 100");
            d.check("CONFIG", "RESETSTAT");
            d.check("SET", "a", "b");
            RespReply[] info = d.both("INFO", "latencystats");
            assertEquals(withoutTimes(info[0].text(), "\\d+\\.\\d{3}"), withoutTimes(info[1].text(), "\\d+\\.\\d{3}"));
            d.check("CONFIG", "SET", "latency-tracking", "no");
            d.check("INFO", "latencystats");
        } finally {
            d.both("CONFIG", "SET", "latency-tracking", "yes", "latency-tracking-info-percentiles", "50 99 99.9");
        }
    }

    /**
     * The lines of an INFO text with what matches {@code timing} (figures that depend on time)
     * removed, sorted (Redis lists commands in its hash table's order).
     */
    private static List<String> withoutTimes(String info, String timing) {
        List<String> lines = new ArrayList<>();
        for (String line : info.split("\r\n")) {
            lines.add(line.replaceAll(timing, ""));
        }
        lines.sort(null);
        return lines;
    }

    /** Every field Redis's INFO has, section by section, Respire's has too, in the same order. */
    @Differential(protocols = 2)
    void infoFieldNames(Dual d) {
        d.check("SET", "k", "v"); // so that Keyspace has a line
        d.check("CONFIG", "RESETSTAT");
        d.check("GET", "k");
        d.check("NOSUCHCOMMAND");
        for (String section : new String[] {"server", "clients", "memory", "persistence", "stats", "replication",
                "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace"}) {
            RespReply[] info = d.both("INFO", section);
            List<String> redis = fieldNames(info[0].text());
            List<String> respire = fieldNames(info[1].text());
            respire.remove("respire_version"); // Respire's own addition to the Server section
            if (section.endsWith("stats")) {
                redis.sort(null); // per command or error: Redis lists them in its tables' order
                respire.sort(null);
            }
            assertEquals(redis, respire, "INFO " + section);
        }
        RespReply[] everything = d.both("INFO", "everything");
        assertEquals(headers(everything[0].text()), headers(everything[1].text()));
        for (Object[] sections : new Object[][] {{"INFO", "all"}, {"INFO", "default"}, {"INFO"},
                {"INFO", "cpu", "keyspace"}, {"INFO", "CPU", "default"}, {"INFO", "commandstats", "all"},
                {"INFO", "nosuchsection"}}) {
            RespReply[] info = d.both(sections);
            assertEquals(headers(info[0].text()), headers(info[1].text()), RespConnection.describe(sections));
        }
    }

    private static List<String> fieldNames(String info) {
        List<String> names = new ArrayList<>();
        for (String line : info.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                names.add(line.substring(0, colon));
            }
        }
        return names;
    }

    private static List<String> headers(String info) {
        List<String> headers = new ArrayList<>();
        for (String line : info.split("\r\n")) {
            if (line.startsWith("# ")) {
                headers.add(line);
            }
        }
        return headers;
    }

    /**
     * INFO commandstats and errorstats after errors of every kind (rejected, failed, inside MULTI
     * and scripts, blocked commands unblocked with an error): the counters, times left out.
     */
    @Differential(protocols = 2)
    void errorAndCommandCounters(Dual d) {
        d.check("CONFIG", "RESETSTAT");
        d.check("SET", "k");
        d.check("SET", "k", "v");
        d.check("LPUSH", "k", "x");
        d.check("NOSUCH", "a");
        d.check("CLIENT", "NOSUCH");
        d.check("MULTI");
        d.check("SET", "a", "b");
        d.check("AUTH", "a");
        d.check("GET");
        d.check("EXEC");
        d.check("EXEC");
        d.check("EVAL", "return redis.pcall('nosuchcommand')", "0");
        d.check("EVAL", "return redis.pcall('lpush', KEYS[1], 'x')", "1", "k");
        d.check("EVAL", "return redis.call('incr', KEYS[1])", "1", "k");
        d.both("EVAL", "syntax error here", "0"); // an error on both; LuaJ words compile errors its own way
        d.check("EVALSHA", "0000000000000000000000000000000000000000", "0");
        d.check("XGROUP", "CREATECONSUMER", "nostream", "g", "c");
        RespReply[] info = d.both("INFO", "commandstats", "errorstats");
        String times = "usec=\\d+,usec_per_call=[\\d.]+,";
        assertEquals(withoutTimes(info[0].text(), times), withoutTimes(info[1].text(), times));
    }
}
