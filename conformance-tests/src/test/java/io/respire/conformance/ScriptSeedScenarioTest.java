package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.SetParams;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Lua scripts of the project's seed documents (/work/shared/seeds), run as written through
 * Jedis by concurrent clients, as applications run them: loaded once with SCRIPT LOAD and called
 * with EVALSHA, falling back to EVAL on NOSCRIPT (which a SCRIPT FLUSH in the middle provokes).
 * Each test asserts the invariant the pattern exists for: never two lock holders, never more
 * admitted than the limit, one loader per cache miss, each job moved exactly once, cart
 * quantities that add up.
 *
 * <p>The lock, token-bucket, sliding-window and cache-release scripts are the seeds' text. The
 * seeds give the delayed-job mover and the cart as application code (move with ZRANGEBYSCORE then
 * RPUSH and ZREM; "atomic add/remove, cart merging"); here they are the Lua scripts those
 * descriptions call for, since the seeds' own mover is not atomic (two movers can move a job twice).
 */
class ScriptSeedScenarioTest {
    private static final int THREADS = 8;

    private RespireServer server;
    private ExecutorService pool;
    private final List<Jedis> connections = Collections.synchronizedList(new ArrayList<>());
    /** How many calls fell back from EVALSHA to EVAL. */
    private final AtomicInteger noscriptFallbacks = new AtomicInteger();

    @BeforeEach
    void start() {
        server = RespireServer.start("--port", "0");
        pool = Executors.newFixedThreadPool(THREADS + 2);
    }

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        synchronized (connections) {
            for (Jedis j : connections) {
                j.close();
            }
        }
        server.close();
    }

    private Jedis connect() {
        Jedis j = new Jedis("127.0.0.1", server.port(), 30_000);
        connections.add(j);
        return j;
    }

    /** A script as client libraries use one: EVALSHA of its SHA1, EVAL when the server lost it. */
    private final class Script {
        final String body;
        final String sha;

        Script(String body) {
            this.body = body;
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                this.sha = j.scriptLoad(body);
            }
        }

        Object run(Jedis j, List<String> keys, List<String> args) {
            try {
                return j.evalsha(sha, keys, args);
            } catch (JedisNoScriptException e) {
                noscriptFallbacks.incrementAndGet();
                return j.eval(body, keys, args);
            }
        }
    }

    /** Runs {@code task} on {@code n} threads at once, each with its own connection; returns their results. */
    private <T> List<T> concurrently(int n, TaskWithConnection<T> task) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            Jedis j = connect();
            futures.add(pool.submit((Callable<T>) () -> {
                go.await();
                return task.run(j, index);
            }));
        }
        go.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(120, TimeUnit.SECONDS));
        }
        return results;
    }

    @FunctionalInterface
    private interface TaskWithConnection<T> {
        T run(Jedis j, int index) throws Exception;
    }

    // ---- Locks (seed 003 "Distributed Locks", seed 002 RedisDistributedLock)

    /** 003: releaseLock. */
    private static final String RELEASE_LOCK = """

                if redis.call("get", KEYS[1]) == ARGV[1] then
                  return redis.call("del", KEYS[1])
                else
                  return 0
                end
              """;

    /** 002: ExtendAsync. */
    private static final String EXTEND_LOCK = """

                        if redis.call('get', KEYS[1]) == ARGV[1] then
                            return redis.call('pexpire', KEYS[1], ARGV[2])
                        else
                            return 0
                        end""";

    @Test
    @Timeout(120)
    void lockHasNeverTwoHolders() throws Exception {
        Script release = new Script(RELEASE_LOCK);
        Script extend = new Script(EXTEND_LOCK);
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger maxHolders = new AtomicInteger();
        AtomicLong sharedCounter = new AtomicLong();
        int rounds = 200;
        List<Integer> acquired = concurrently(THREADS, (j, index) -> {
            int mine = 0;
            for (int round = 0; round < rounds; round++) {
                String lockId = UUID.randomUUID().toString();
                // acquireLock: SET key lockId PX ttl NX
                if (!"OK".equals(j.set("lock:order:1", lockId, SetParams.setParams().px(10_000).nx()))) {
                    Thread.onSpinWait();
                    continue;
                }
                mine++;
                int now = holders.incrementAndGet();
                maxHolders.accumulateAndGet(now, Math::max);
                long before = sharedCounter.get();
                assertEquals(1L, extend.run(j, List.of("lock:order:1"), List.of(lockId, "20000")), "the holder extends");
                assertEquals(0L, extend.run(j, List.of("lock:order:1"), List.of("not-the-owner", "20000")));
                assertEquals(0L, release.run(j, List.of("lock:order:1"), List.of("not-the-owner")), "only the owner releases");
                sharedCounter.set(before + 1); // a read-modify-write only safe under the lock
                holders.decrementAndGet();
                assertEquals(1L, release.run(j, List.of("lock:order:1"), List.of(lockId)));
            }
            return mine;
        });
        int total = acquired.stream().mapToInt(Integer::intValue).sum();
        assertEquals(1, maxHolders.get(), "two clients held the lock at once");
        assertEquals(total, sharedCounter.get(), "an update under the lock was lost");
        assertTrue(total > 0);
        try (Jedis j = connect()) {
            assertEquals(null, j.get("lock:order:1"), "the last holder released it");
        }
    }

    @Test
    @Timeout(60)
    void anExpiredHolderCannotReleaseTheNextHoldersLock() throws Exception {
        Script release = new Script(RELEASE_LOCK);
        Script extend = new Script(EXTEND_LOCK);
        Jedis a = connect();
        Jedis b = connect();
        assertEquals("OK", a.set("lock:job", "a-id", SetParams.setParams().px(50).nx()));
        assertEquals(null, b.set("lock:job", "b-id", SetParams.setParams().px(10_000).nx()), "held by a");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!"OK".equals(b.set("lock:job", "b-id", SetParams.setParams().px(10_000).nx()))) {
            assertTrue(System.nanoTime() < deadline, "a's lock never expired");
            Thread.sleep(10);
        }
        assertEquals(0L, release.run(a, List.of("lock:job"), List.of("a-id")), "a's late release must not free b's lock");
        assertEquals(0L, extend.run(a, List.of("lock:job"), List.of("a-id", "60000")));
        assertEquals("b-id", a.get("lock:job"));
        assertEquals(1L, release.run(b, List.of("lock:job"), List.of("b-id")));
    }

    // ---- Rate limiters

    /** 003: tokenBucket. */
    private static final String TOKEN_BUCKET = """

                local key = KEYS[1]
                local capacity = tonumber(ARGV[1])
                local refill_rate = tonumber(ARGV[2])
                local now = tonumber(ARGV[3])

                local bucket = redis.call('hmget', key, 'tokens', 'last_refill')
                local tokens = tonumber(bucket[1]) or capacity
                local last_refill = tonumber(bucket[2]) or now

                -- Refill tokens
                local elapsed = (now - last_refill) / 1000
                tokens = math.min(capacity, tokens + elapsed * refill_rate)

                if tokens >= 1 then
                  tokens = tokens - 1
                  redis.call('hmset', key, 'tokens', tokens, 'last_refill', now)
                  redis.call('expire', key, 3600)
                  return 1
                end

                return 0
              """;

    @Test
    @Timeout(120)
    void tokenBucketNeverAdmitsMoreThanCapacityPlusRefill() throws Exception {
        Script bucket = new Script(TOKEN_BUCKET);
        int capacity = 20;
        double refillPerSecond = 10;
        long start = System.currentTimeMillis();
        List<Integer> admitted = concurrently(THREADS, (j, index) -> {
            int mine = 0;
            for (int i = 0; i < 100; i++) {
                Object r = bucket.run(j, List.of("token-bucket:10.0.0.1"),
                        List.of(String.valueOf(capacity), String.valueOf(refillPerSecond), String.valueOf(System.currentTimeMillis())));
                if (Long.valueOf(1).equals(r)) {
                    mine++;
                } else {
                    assertEquals(0L, r);
                }
            }
            return mine;
        });
        double seconds = (System.currentTimeMillis() - start) / 1000.0;
        int total = admitted.stream().mapToInt(Integer::intValue).sum();
        double bound = capacity + refillPerSecond * seconds + 1;
        assertTrue(total <= bound, total + " admitted in " + seconds + " s: more than capacity + refill (" + bound + ")");
        assertTrue(total >= capacity, "the first " + capacity + " requests must pass: " + total);
        try (Jedis j = connect()) {
            double tokens = Double.parseDouble(j.hget("token-bucket:10.0.0.1", "tokens"));
            assertTrue(tokens >= 0 && tokens <= capacity, "tokens " + tokens);
            assertTrue(j.ttl("token-bucket:10.0.0.1") > 3500);
        }
    }

    /** 002: RedisRateLimiter.CheckRateLimitAsync. */
    private static final String SLIDING_WINDOW = """

            local key = KEYS[1]
            local now = tonumber(ARGV[1])
            local window_start = tonumber(ARGV[2])
            local max_requests = tonumber(ARGV[3])
            local window_ms = tonumber(ARGV[4])

            -- Remove old entries
            redis.call('zremrangebyscore', key, '-inf', window_start)

            -- Count current requests
            local current = redis.call('zcard', key)

            if current < max_requests then
                -- Add this request
                redis.call('zadd', key, now, now .. ':' .. math.random())
                redis.call('pexpire', key, window_ms)
                return {1, max_requests - current - 1, 0}
            else
                -- Get oldest entry to calculate retry time
                local oldest = redis.call('zrange', key, 0, 0, 'WITHSCORES')
                local retry_after = oldest[2] + window_ms - now
                return {0, 0, retry_after}
            end""";

    @Test
    @Timeout(120)
    void slidingWindowAdmitsExactlyTheLimitPerWindow() throws Exception {
        Script limiter = new Script(SLIDING_WINDOW);
        int limit = 50;
        long windowMs = 60_000;
        Set<Long> remainings = ConcurrentHashMap.newKeySet();
        List<Integer> admitted = concurrently(THREADS, (j, index) -> {
            int mine = 0;
            for (int i = 0; i < 60; i++) {
                long now = System.currentTimeMillis();
                List<?> r = (List<?>) limiter.run(j, List.of("ratelimit:user:42"),
                        List.of(String.valueOf(now), String.valueOf(now - windowMs), String.valueOf(limit), String.valueOf(windowMs)));
                if (Long.valueOf(1).equals(r.get(0))) {
                    mine++;
                    assertTrue(remainings.add((Long) r.get(1)), "two requests were told the same remaining count " + r.get(1));
                } else {
                    long retryAfter = (Long) r.get(2);
                    assertTrue(retryAfter > 0 && retryAfter <= windowMs, "retry after " + retryAfter);
                }
            }
            return mine;
        });
        assertEquals(limit, admitted.stream().mapToInt(Integer::intValue).sum(), "admitted within one window");
        try (Jedis j = connect()) {
            assertEquals(limit, j.zcard("ratelimit:user:42"), "one member per admitted request (math.random keeps them apart)");
            assertTrue(j.pttl("ratelimit:user:42") > 0);
        }
    }

    @Test
    @Timeout(60)
    void slidingWindowForgetsRequestsOlderThanTheWindow() throws Exception {
        Script limiter = new Script(SLIDING_WINDOW);
        Jedis j = connect();
        long windowMs = 100_000;
        long t0 = 1_700_000_000_000L;
        for (int i = 0; i < 3; i++) {
            assertEquals(1L, ((List<?>) limiter.run(j, List.of("rl"), List.of(String.valueOf(t0 + i), String.valueOf(t0 + i - windowMs), "3",
                    String.valueOf(windowMs)))).get(0));
        }
        List<?> refused = (List<?>) limiter.run(j, List.of("rl"), List.of(String.valueOf(t0 + 10), String.valueOf(t0 + 10 - windowMs), "3",
                String.valueOf(windowMs)));
        assertEquals(List.of(0L, 0L, windowMs - 10), refused, "retry when the oldest request leaves the window");
        List<?> later = (List<?>) limiter.run(j, List.of("rl"), List.of(String.valueOf(t0 + windowMs + 1),
                String.valueOf(t0 + 1), "3", String.valueOf(windowMs)));
        assertEquals(1L, later.get(0), "the first two requests left the window");
    }

    // ---- Cache stampede protection (seed 002 CacheService.GetOrSetAsync)

    /** 002: the release in GetOrSetAsync's finally. */
    private static final String CACHE_LOCK_RELEASE = """

                    if redis.call('get', KEYS[1]) == ARGV[1] then
                        return redis.call('del', KEYS[1])
                    else
                        return 0
                    end""";

    @Test
    @Timeout(120)
    void oneLoaderFillsTheCacheWhileOthersWait() throws Exception {
        Script release = new Script(CACHE_LOCK_RELEASE);
        AtomicInteger loads = new AtomicInteger();
        int clients = THREADS * 2;
        List<String> values = concurrently(clients, (j, index) -> getOrSet(j, release, "product:7", () -> {
            loads.incrementAndGet();
            Thread.sleep(200); // the slow database read that the lock protects
            return "{\"id\":7,\"name\":\"lamp\"}";
        }));
        assertEquals(1, loads.get(), "the factory ran more than once: a stampede");
        for (String v : values) {
            assertEquals("{\"id\":7,\"name\":\"lamp\"}", v);
        }
        try (Jedis j = connect()) {
            assertEquals(null, j.get("product:7:lock"), "the loader released its lock");
            assertTrue(j.ttl("product:7") > 0);
        }
    }

    /** GetOrSetAsync, step for step. */
    private static String getOrSet(Jedis j, Script release, String key, Callable<String> factory) throws Exception {
        while (true) {
            String cached = j.get(key);
            if (cached != null && !cached.isEmpty()) {
                return cached;
            }
            String lockKey = key + ":lock";
            String lockValue = UUID.randomUUID().toString();
            if ("OK".equals(j.set(lockKey, lockValue, SetParams.setParams().ex(30).nx()))) {
                try {
                    cached = j.get(key);
                    if (cached != null && !cached.isEmpty()) {
                        return cached;
                    }
                    String value = factory.call();
                    j.setex(key, 300, value);
                    return value;
                } finally {
                    release.run(j, List.of(lockKey), List.of(lockValue));
                }
            }
            Thread.sleep(100); // someone else is loading: wait and retry
        }
    }

    // ---- Delayed jobs (seed 003 "Delayed Jobs": scheduleJob and processDueJobs, made atomic)

    /** processDueJobs as one script: due jobs move from the delayed set to the queue, each once. */
    private static final String MOVE_DUE_JOBS = """
            local jobs = redis.call('zrangebyscore', KEYS[1], 0, ARGV[1])
            for _, job in ipairs(jobs) do
              redis.call('rpush', KEYS[2], job)
              redis.call('zrem', KEYS[1], job)
            end
            return #jobs""";

    @Test
    @Timeout(120)
    void eachDueJobIsMovedExactlyOnce() throws Exception {
        Script mover = new Script(MOVE_DUE_JOBS);
        int jobs = 2000;
        Jedis producer = connect();
        long now = System.currentTimeMillis();
        for (int i = 0; i < jobs; i++) {
            // some due at once, some in the next half second
            producer.zadd("queue:default:delayed", now + (i % 4 == 0 ? 0 : (i % 500)), "{\"id\":\"job-" + i + "\",\"type\":\"email\"}");
        }
        List<Long> moved = concurrently(THREADS, (j, index) -> {
            long mine = 0;
            int flushes = 0;
            long deadline = System.currentTimeMillis() + 3000;
            while (System.currentTimeMillis() < deadline) {
                mine += (Long) mover.run(j, List.of("queue:default:delayed", "queue:default"),
                        List.of(String.valueOf(System.currentTimeMillis())));
                if (index == 0 && flushes++ < 5) {
                    j.scriptFlush(); // the others must recover through EVAL
                    Thread.sleep(20);
                }
            }
            return mine;
        });
        assertEquals(jobs, moved.stream().mapToLong(Long::longValue).sum(), "jobs moved (counted by the movers)");
        List<String> queue = producer.lrange("queue:default", 0, -1);
        assertEquals(jobs, queue.size());
        assertEquals(jobs, new HashSet<>(queue).size(), "a job was moved twice");
        assertEquals(0, producer.zcard("queue:default:delayed"));
        assertTrue(noscriptFallbacks.get() > 0, "SCRIPT FLUSH should have sent some calls through EVAL");
    }

    // ---- Shopping cart (seed 002 "Task 2 - Shopping Cart in Redis")

    /** Adds (or with a negative count removes) items; an item that reaches zero leaves the cart. */
    private static final String CART_UPDATE = """
            local qty = redis.call('hincrby', KEYS[1], ARGV[1], ARGV[2])
            if qty <= 0 then
              redis.call('hdel', KEYS[1], ARGV[1])
              qty = 0
            end
            redis.call('expire', KEYS[1], ARGV[3])
            return qty""";

    /** Merges the guest cart into the user's when the user logs in, once. */
    private static final String CART_MERGE = """
            local items = redis.call('hgetall', KEYS[1])
            for i = 1, #items, 2 do
              redis.call('hincrby', KEYS[2], items[i], items[i + 1])
            end
            redis.call('del', KEYS[1])
            if #items > 0 then
              redis.call('expire', KEYS[2], ARGV[1])
            end
            return #items / 2""";

    @Test
    @Timeout(120)
    void cartQuantitiesAddUpUnderConcurrentUpdatesAndMerges() throws Exception {
        Script update = new Script(CART_UPDATE);
        Script merge = new Script(CART_MERGE);
        String[] skus = {"sku:1", "sku:2", "sku:3", "sku:4"};
        Map<String, AtomicLong> expected = new ConcurrentHashMap<>();
        for (String sku : skus) {
            expected.put(sku, new AtomicLong());
        }
        List<Long> merges = concurrently(THREADS, (j, index) -> {
            long merged = 0;
            for (int i = 0; i < 300; i++) {
                String sku = skus[(index + i) % skus.length];
                if (index % 2 == 0) {
                    // a guest adding to their cart; the other half of the clients log in and merge it
                    update.run(j, List.of("cart:guest:" + index), List.of(sku, "2", "86400"));
                    expected.get(sku).addAndGet(2);
                } else {
                    update.run(j, List.of("cart:user:1"), List.of(sku, "1", "86400"));
                    expected.get(sku).addAndGet(1);
                    String guest = "cart:guest:" + (index - 1);
                    merged += (Long) merge.run(j, List.of(guest, "cart:user:1"), List.of("86400"));
                }
            }
            return merged;
        });
        assertTrue(merges.stream().mapToLong(Long::longValue).sum() > 0);
        try (Jedis j = connect()) {
            // the guests' last additions, not merged yet
            for (int index = 0; index < THREADS; index += 2) {
                merge.run(j, List.of("cart:guest:" + index, "cart:user:1"), List.of("86400"));
            }
            Map<String, String> cart = j.hgetAll("cart:user:1");
            Map<String, String> want = new HashMap<>();
            expected.forEach((sku, n) -> want.put(sku, String.valueOf(n.get())));
            assertEquals(want, cart, "every addition counted once, merged or not");
            for (int index = 0; index < THREADS; index += 2) {
                assertEquals(0, j.hlen("cart:guest:" + index));
            }
            assertTrue(j.ttl("cart:user:1") > 86000);
            // removing down to zero takes the item out
            assertEquals(0L, update.run(j, List.of("cart:user:1"), List.of("sku:1", String.valueOf(-expected.get("sku:1").get() - 5), "86400")));
            assertEquals(null, j.hget("cart:user:1", "sku:1"));
        }
    }

    @Test
    void scriptsSurviveAFlushThroughTheEvalFallback() {
        Script release = new Script(RELEASE_LOCK);
        try (Jedis j = connect()) {
            j.set("lock:x", "me");
            j.scriptFlush();
            assertEquals(1L, release.run(j, List.of("lock:x"), List.of("me")));
            assertEquals(1, noscriptFallbacks.get());
            assertTrue(j.scriptExists(release.sha), "EVAL caches the script again");
            j.set("lock:x", "me");
            assertEquals(1L, release.run(j, List.of("lock:x"), List.of("me")));
            assertEquals(1, noscriptFallbacks.get(), "EVALSHA works again after the EVAL");
        }
    }
}
