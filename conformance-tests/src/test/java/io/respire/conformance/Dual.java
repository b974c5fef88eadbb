package io.respire.conformance;

import org.opentest4j.AssertionFailedError;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A pair of connections, one to Redis and one to Respire, in the same protocol: every request is
 * sent to both (Redis first) and the replies are compared. This is what differential test methods
 * receive as a parameter. On a difference the failure shows the request, the protocol and both
 * replies, raw and rendered.
 */
final class Dual implements AutoCloseable {
    private final RespConnection redis;
    private final RespConnection respire;
    private final int protocol;
    private final List<Dual> extra = new ArrayList<>();
    /** Why the last read from Respire returned nothing (timeout, closed), for the failure message. */
    private String lastRespireFailure;

    Dual(RespConnection redis, RespConnection respire, int protocol) {
        this.redis = redis;
        this.respire = respire;
        this.protocol = protocol;
        if (protocol == 3) {
            RespReply r = redis.call("HELLO", "3");
            if (r.isError()) {
                throw new IllegalStateException("redis refused HELLO 3: " + r.render());
            }
            RespReply s = readRespire(() -> respire.call("HELLO", "3"));
            if (s == null || s.isError()) {
                throw new AssertionFailedError("respire cannot switch to RESP3: HELLO 3 replied "
                        + (s == null ? "nothing" : s.render()));
            }
        }
    }

    int protocol() {
        return protocol;
    }

    /** Respire's port, for tests that open connections of their own. */
    int respirePort() {
        return respire.port();
    }

    /** Redis's port, for tests that open connections of their own. */
    int redisPort() {
        return redis.port();
    }

    /** Another pair of connections to the same two servers, closed with this one. */
    Dual another() {
        Dual d = new Dual(new RespConnection("redis", redis.port()), new RespConnection("respire", respire.port()), protocol);
        extra.add(d);
        return d;
    }

    /**
     * Sends each server its own variant of a command (one naming a client id, which differs
     * between them) and compares the replies. Returns Redis's.
     */
    RespReply checkVariants(Object[] forRedis, Object[] forRespire) {
        redis.send(forRedis);
        RespReply expected = redis.read();
        respire.send(forRespire);
        RespReply actual = readRespire(respire::read);
        compare(ReplyComparison.EXACT, RespConnection.describe(forRedis), expected, actual);
        return expected;
    }

    /** Sends one command to both; their replies must be byte-identical. Returns Redis's reply. */
    RespReply check(Object... command) {
        return checkWith(ReplyComparison.EXACT, command);
    }

    /** As {@link #check} with a looser comparison; see {@link ReplyComparison} for when. */
    RespReply checkWith(ReplyComparison how, Object... command) {
        redis.send(command);
        RespReply expected = redis.read();
        respire.send(command);
        RespReply actual = readRespire(respire::read);
        compare(how, RespConnection.describe(command), expected, actual);
        return expected;
    }

    /**
     * Sends one command to both without reading the replies, for a command that blocks; its
     * replies are compared later by {@link #checkPendingReply}.
     */
    void sendWithoutReply(Object... command) {
        redis.send(command);
        respire.send(command);
    }

    /**
     * Sends a blocking command on a pair of its own and waits until both servers report
     * {@code blockedAfter} blocked clients; the pending replies are read from the returned pair.
     */
    Dual block(int blockedAfter, Object... command) throws InterruptedException {
        Dual waiter = another();
        waiter.sendWithoutReply(command);
        awaitBlocked(blockedAfter, RespConnection.describe(command));
        return waiter;
    }

    /** Waits until both servers report {@code blocked} blocked clients, {@code what} having blocked. */
    void awaitBlocked(int blocked, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            RespReply[] info = both("INFO", "clients");
            if (blocked(info[0]) == blocked && blocked(info[1]) == blocked) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionFailedError("`" + what + "` never blocked on both servers");
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private static long blocked(RespReply info) {
        for (String line : info.text().split("\r\n")) {
            if (line.startsWith("blocked_clients:")) {
                return Long.parseLong(line.substring("blocked_clients:".length()));
            }
        }
        return -1;
    }

    /** Reads the reply each server owes for a {@link #sendWithoutReply} and compares them. */
    RespReply checkPendingReply(String what) {
        RespReply expected = redis.read();
        RespReply actual = readRespire(respire::read);
        compare(ReplyComparison.EXACT, what, expected, actual);
        return expected;
    }

    /** Sends the commands in one write (a pipeline) and compares each reply. */
    void checkPipeline(List<Object[]> commands) {
        redis.sendAll(commands);
        List<RespReply> expected = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            expected.add(redis.read());
        }
        respire.sendAll(commands);
        for (int i = 0; i < commands.size(); i++) {
            RespReply actual = readRespire(respire::read);
            compare(ReplyComparison.EXACT, "pipeline command #" + (i + 1) + " of " + commands.size() + ": "
                    + RespConnection.describe(commands.get(i)), expected.get(i), actual);
        }
    }

    /** Sends raw bytes (inline commands, malformed protocol) and compares the next {@code replies} replies. */
    void checkRaw(String request, int replies) {
        checkRaw(request.getBytes(StandardCharsets.ISO_8859_1), replies);
    }

    void checkRaw(byte[] request, int replies) {
        redis.sendRaw(request);
        List<RespReply> expected = new ArrayList<>();
        for (int i = 0; i < replies; i++) {
            expected.add(redis.read());
        }
        respire.sendRaw(request);
        String what = "raw request \"" + abbreviate(RespReply.escape(request), 0) + "\"";
        for (int i = 0; i < replies; i++) {
            RespReply actual = readRespire(respire::read);
            compare(ReplyComparison.EXACT, what + ", reply #" + (i + 1), expected.get(i), actual);
        }
    }

    /**
     * {@link #checkRaw} for a request that ends the connection (a protocol error, an HTTP probe):
     * the replies and the closing must match.
     */
    void checkRawThenClosed(String request, int replies) {
        checkRaw(request, replies);
        checkClosedAlike();
    }

    /** Whether each server closed the connection (as after a protocol error or QUIT) must agree. */
    void checkClosedAlike() {
        boolean redisClosed = redis.closedByServer();
        boolean respireClosed = respire.closedByServer();
        if (redisClosed != respireClosed) {
            throw new AssertionFailedError("RESP" + protocol + ": redis " + (redisClosed ? "closed" : "kept open")
                    + " the connection but respire " + (respireClosed ? "closed" : "kept open") + " it");
        }
    }

    /**
     * Runs a full SCAN-family iteration ({@code command} is e.g. {@code {"SCAN"}} or
     * {@code {"SSCAN","k"}}, {@code options} e.g. MATCH/COUNT/TYPE) on each server and compares the
     * union of what was returned as a set: cursors and order legitimately differ.
     */
    void checkScan(Object[] command, Object... options) {
        TreeSet<String> expected = scanAll(redis, command, options);
        TreeSet<String> actual = scanAll(respire, command, options);
        if (!expected.equals(actual)) {
            String what = RespConnection.describe(command) + " <cursor> " + RespConnection.describe(options);
            throw new AssertionFailedError("RESP" + protocol + " full iteration of `" + what + "` differs from Redis"
                    + "\n  redis:   " + expected + "\n  respire: " + actual, expected.toString(), actual.toString());
        }
    }

    private TreeSet<String> scanAll(RespConnection c, Object[] command, Object[] options) {
        TreeSet<String> all = new TreeSet<>();
        String cursor = "0";
        int rounds = 0;
        do {
            List<Object> args = new ArrayList<>(Arrays.asList(command));
            args.add(cursor);
            args.addAll(Arrays.asList(options));
            RespReply r = c == respire ? readRespire(() -> c.call(args.toArray())) : c.call(args.toArray());
            if (r == null || r.isError() || r.children.size() != 2) {
                all.add(r == null ? "<no reply: " + lastRespireFailure + ">" : "<" + r.render() + ">");
                return all;
            }
            cursor = r.children.get(0).text();
            for (RespReply element : r.children.get(1).children) {
                all.add(RespReply.escape(element.raw));
            }
            if (++rounds > 100_000) {
                all.add("<cursor never returned to 0>");
                return all;
            }
        } while (!cursor.equals("0"));
        return all;
    }

    /** {@code head} followed by {@code tail}: a command built from a fixed part and a variant. */
    static Object[] concat(Object[] head, Object... tail) {
        Object[] all = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    /** Sends to both without comparing, returning {redis, respire} for assertions of one's own. */
    RespReply[] both(Object... command) {
        RespReply r = redis.call(command);
        RespReply s = readRespire(() -> respire.call(command));
        return new RespReply[] {r, s};
    }

    private void compare(ReplyComparison how, String what, RespReply expected, RespReply actual) {
        if (actual != null && how.same(expected, actual)) {
            return;
        }
        String redisRaw = RespReply.escape(expected.raw);
        String respireRaw = actual == null ? null : RespReply.escape(actual.raw);
        int at = respireRaw == null ? 0 : firstDifference(redisRaw, respireRaw);
        String actualText = actual == null ? "<no reply: " + lastRespireFailure + ">" : actual.render();
        throw new AssertionFailedError("RESP" + protocol + " reply to `" + what + "` differs from Redis "
                + ExternalTools.EXPECTED_REDIS_VERSION
                + (respireRaw != null && at > 60 ? " (from character " + at + " of the escaped bytes)" : "")
                + "\n  redis:   \"" + abbreviate(redisRaw, at) + "\""
                + "\n  respire: " + (respireRaw == null ? actualText : "\"" + abbreviate(respireRaw, at) + "\"")
                + "\nredis, rendered:\n" + abbreviate(expected.render(), 0, 3000)
                + "\nrespire, rendered:\n" + abbreviate(actualText, 0, 3000),
                expected.render(), actualText);
    }

    private static int firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    /** Reads from Respire, turning a timeout or closed connection into a null (reported as such). */
    private RespReply readRespire(java.util.function.Supplier<RespReply> read) {
        try {
            return read.get();
        } catch (UncheckedIOException e) {
            lastRespireFailure = e.getMessage();
            return null;
        }
    }

    /** Shortens long text for messages, keeping the part around {@code focus} (where replies differ). */
    private static String abbreviate(String s, int focus) {
        return abbreviate(s, focus, 400);
    }

    private static String abbreviate(String s, int focus, int limit) {
        if (s.length() <= limit) {
            return s;
        }
        int from = Math.max(0, Math.min(focus - 100, s.length() - limit));
        return (from > 0 ? "..." : "") + s.substring(from, from + limit) + (from + limit < s.length() ? "..." : "")
                + " (" + s.length() + " chars)";
    }

    @Override
    public void close() {
        for (Dual d : extra) {
            d.close();
        }
        redis.close();
        respire.close();
    }
}
