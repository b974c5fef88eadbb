package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.GeoCoordinate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.GeoUnit;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.params.GeoSearchParam;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.GeoRadiusResponse;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;
import redis.clients.jedis.resps.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application patterns of the project's seed documents (/work/shared/seeds) that rest on
 * hashes, lists, sets, sorted sets, geo indexes and streams, written as a Jedis user would write
 * them: a session store, job queues (plain, reliable, delayed), a leaderboard, nearby places,
 * presence and a sliding-window rate limiter, a token bucket, a capped activity feed, an audit trail
 * fed by concurrent producers, consumer groups with at-least-once delivery and XAUTOCLAIM, a consumer
 * loop on XREADGROUP BLOCK. Each test asserts what the application would
 * check, so a regression shows up as a broken use case rather than a byte difference. Needs no
 * real Redis: a fresh embedded Respire per test.
 */
class SeedPatternsScenarioTest {
    private RespireServer server;
    private Jedis jedis;
    private final List<Jedis> others = new ArrayList<>();
    private ExecutorService workers;

    @BeforeEach
    void startServerAndConnect() {
        server = RespireServer.start("--port", "0");
        jedis = new Jedis("127.0.0.1", server.port());
        workers = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
        for (Jedis j : others) {
            j.close();
        }
        jedis.close();
        server.close();
    }

    /** Another connection, as a second process (a worker) would have; closed after the test. */
    private Jedis connect() {
        Jedis j = new Jedis("127.0.0.1", server.port());
        others.add(j);
        return j;
    }

    /** Waits until {@code n} clients are blocked, so that what follows exercises the wake-up path. */
    private void awaitBlockedClients(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!jedis.info("clients").contains("blocked_clients:" + n + "\r\n")) {
            assertTrue(System.nanoTime() < deadline, "no client blocked: " + jedis.info("clients"));
            Thread.sleep(5);
        }
    }

    @Test
    void sessionStoreInAHashWithSlidingExpiry() throws InterruptedException {
        String key = "session:abc";
        Map<String, String> session = new LinkedHashMap<>();
        session.put("userId", "42");
        session.put("createdAt", "1700000000000");
        session.put("lastActivity", "1700000000000");
        session.put("data.theme", "dark");
        assertEquals(4, jedis.hset(key, session));
        assertEquals(1, jedis.expire(key, 3600));
        assertEquals(1, jedis.sadd("user:42:sessions", "abc"));

        // getSession: read everything, then touch lastActivity and refresh the TTL
        assertEquals(session, jedis.hgetAll(key));
        assertEquals(0, jedis.hset(key, "lastActivity", "1700000005000"), "an update, not a new field");
        long ttl = jedis.ttl(key);
        assertTrue(ttl > 3500 && ttl <= 3600, "HSET keeps the TTL: " + ttl);
        assertEquals(1, jedis.expire(key, 3600));
        assertEquals("1700000005000", jedis.hget(key, "lastActivity"));
        assertEquals(Set.of("abc"), jedis.smembers("user:42:sessions"));

        // an idle session expires as a whole, and then reads as empty (getSession returns null)
        assertEquals(1, jedis.pexpire(key, 30));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (jedis.exists(key)) {
            assertTrue(System.nanoTime() < deadline, "session never expired");
            Thread.sleep(10);
        }
        assertTrue(jedis.hgetAll(key).isEmpty());
        assertNull(jedis.hget(key, "userId"));
        assertEquals(-2, jedis.ttl(key));

        // destroySession
        assertEquals(1, jedis.srem("user:42:sessions", "abc"));
        assertFalse(jedis.exists("user:42:sessions"));
    }

    @Test
    void jobQueueWithABlockingWorker() throws Exception {
        Jedis workerConnection = connect();
        Future<List<String>> worker = workers.submit(() -> {
            List<String> done = new ArrayList<>();
            while (true) {
                List<String> popped = workerConnection.brpop(5, "queue:default");
                if (popped == null || popped.get(1).equals("stop")) {
                    return done;
                }
                assertEquals("queue:default", popped.get(0));
                String job = popped.get(1);
                if (job.contains("fail")) {
                    workerConnection.rpush("queue:default:failed", job); // dead-letter queue
                } else {
                    done.add(job);
                }
            }
        });
        awaitBlockedClients(1); // the first job wakes a waiting worker
        assertEquals(1, jedis.lpush("queue:default", "{\"id\":1}"));
        for (int i = 2; i <= 5; i++) {
            jedis.lpush("queue:default", i == 4 ? "{\"id\":4,\"fail\":true}" : "{\"id\":" + i + "}");
        }
        jedis.lpush("queue:default", "stop");
        List<String> done = worker.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("{\"id\":1}", "{\"id\":2}", "{\"id\":3}", "{\"id\":5}"), done, "LPUSH + BRPOP is FIFO");
        assertEquals(List.of("{\"id\":4,\"fail\":true}"), jedis.lrange("queue:default:failed", 0, -1));
        assertFalse(jedis.exists("queue:default"));
        assertNull(jedis.brpop(0.05, "queue:default"), "an empty queue times out");
    }

    @Test
    void reliableQueueWithAProcessingList() throws Exception {
        Jedis workerConnection = connect();
        Future<String> worker = workers.submit(() ->
                workerConnection.blmove("jobs", "jobs:processing", ListDirection.RIGHT, ListDirection.LEFT, 5));
        awaitBlockedClients(1);
        jedis.lpush("jobs", "job-1");
        assertEquals("job-1", worker.get(10, TimeUnit.SECONDS));
        assertEquals(List.of("job-1"), jedis.lrange("jobs:processing", 0, -1), "claimed jobs stay visible");
        assertFalse(jedis.exists("jobs"));

        jedis.lpush("jobs", "job-2", "job-3");
        assertEquals("job-2", jedis.lmove("jobs", "jobs:processing", ListDirection.RIGHT, ListDirection.LEFT));
        assertEquals(List.of("job-2", "job-1"), jedis.lrange("jobs:processing", 0, -1));
        // job-1 completes: acknowledged by removing it from the processing list
        assertEquals(1, jedis.lrem("jobs:processing", 1, "job-1"));
        assertEquals(0, jedis.lrem("jobs:processing", 1, "job-1"), "acknowledging twice is harmless");
        // the worker holding job-2 dies; a reaper puts unacknowledged jobs back at the consuming end
        assertEquals("job-2", jedis.lmove("jobs:processing", "jobs", ListDirection.RIGHT, ListDirection.RIGHT));
        assertFalse(jedis.exists("jobs:processing"));
        assertEquals(List.of("job-3", "job-2"), jedis.lrange("jobs", 0, -1));
        assertEquals("job-2", jedis.blmove("jobs", "jobs:processing", ListDirection.RIGHT, ListDirection.LEFT, 1));
        assertEquals("job-3", jedis.blmove("jobs", "jobs:processing", ListDirection.RIGHT, ListDirection.LEFT, 1));
        assertNull(jedis.blmove("jobs", "jobs:processing", ListDirection.RIGHT, ListDirection.LEFT, 0.05));
        assertEquals(2, jedis.llen("jobs:processing"));
    }

    @Test
    void delayedJobsMovedToTheQueueWhenDue() {
        long now = 1_700_000_000_000L;
        String delayed = "queue:mail:delayed";
        jedis.zadd(delayed, now - 5_000, "{\"id\":\"a\"}");
        jedis.zadd(delayed, now - 1_000, "{\"id\":\"b\"}");
        jedis.zadd(delayed, now, "{\"id\":\"c\"}");
        jedis.zadd(delayed, now + 60_000, "{\"id\":\"later\"}");

        // processDueJobs, with the move made atomic in MULTI/EXEC
        List<String> due = jedis.zrangeByScore(delayed, 0, now);
        assertEquals(List.of("{\"id\":\"a\"}", "{\"id\":\"b\"}", "{\"id\":\"c\"}"), due, "due jobs in time order");
        for (String job : due) {
            Transaction tx = jedis.multi();
            Response<Long> pushed = tx.rpush("queue:mail", job);
            Response<Long> removed = tx.zrem(delayed, job);
            tx.exec();
            assertEquals(1, removed.get());
            assertTrue(pushed.get() >= 1);
        }
        assertEquals(due, jedis.lrange("queue:mail", 0, -1));
        assertEquals(List.of("{\"id\":\"later\"}"), jedis.zrange(delayed, 0, -1));
        assertTrue(jedis.zrangeByScore(delayed, 0, now).isEmpty(), "nothing due any more");

        // two schedulers racing for the same due job: ZREM decides, so it is queued once
        jedis.zadd(delayed, now - 1, "{\"id\":\"race\"}");
        Jedis other = connect();
        int queued = 0;
        for (Jedis scheduler : List.of(jedis, other)) {
            for (String job : scheduler.zrangeByScore(delayed, "-inf", String.valueOf(now))) {
                if (scheduler.zrem(delayed, job) == 1) {
                    scheduler.rpush("queue:mail", job);
                    queued++;
                }
            }
        }
        assertEquals(1, queued);
        assertEquals(4, jedis.llen("queue:mail"));
        assertEquals(1, jedis.zcard(delayed));
    }

    @Test
    void leaderboard() {
        assertEquals(10.0, jedis.zincrby("leaderboard", 10, "alice"));
        jedis.zincrby("leaderboard", 25, "bob");
        jedis.zincrby("leaderboard", 15, "carol");
        jedis.zincrby("leaderboard", 15, "dave");
        assertEquals(22.5, jedis.zincrby("leaderboard", 12.5, "alice"));
        assertEquals(5.0, jedis.zincrby("leaderboard", -20, "bob"));

        List<Tuple> top = jedis.zrevrangeWithScores("leaderboard", 0, 2);
        assertEquals(List.of(new Tuple("alice", 22.5), new Tuple("dave", 15.0), new Tuple("carol", 15.0)), top,
                "highest first; equal scores in reverse member order");
        assertEquals(0L, jedis.zrevrank("leaderboard", "alice"));
        assertEquals(3L, jedis.zrevrank("leaderboard", "bob"));
        assertNull(jedis.zrevrank("leaderboard", "nobody"));
        assertEquals(22.5, jedis.zscore("leaderboard", "alice"));
        assertEquals(4, jedis.zcard("leaderboard"));
        assertEquals(3, jedis.zcount("leaderboard", "15", "+inf"));
        assertEquals(1, jedis.zcount("leaderboard", "(15", "+inf"));
    }

    /** "What is near": places in a geo index, the nearest within a radius, distances and positions. */
    @Test
    void nearbyPlaces() {
        Map<String, GeoCoordinate> places = new LinkedHashMap<>();
        places.put("cafe:1", new GeoCoordinate(13.361389, 38.115556));   // Palermo
        places.put("cafe:2", new GeoCoordinate(13.3700, 38.1200));       // 1 km away
        places.put("cafe:3", new GeoCoordinate(15.087269, 37.502669));   // Catania, 166 km away
        places.put("cafe:4", new GeoCoordinate(13.3520, 38.1100));
        assertEquals(4, jedis.geoadd("places", places));

        List<GeoRadiusResponse> near = jedis.geosearch("places",
                new GeoSearchParam().fromLonLat(13.3615, 38.1156).byRadius(5, GeoUnit.KM).withDist().withCoord().asc());
        List<String> names = new ArrayList<>();
        for (GeoRadiusResponse r : near) {
            names.add(r.getMemberByString());
        }
        assertEquals(List.of("cafe:1", "cafe:2", "cafe:4"), names, "nearest first, Catania out of reach");
        assertEquals(0.0108, near.get(0).getDistance(), 1e-9); // km, four decimals (as Redis replies)
        assertEquals(13.361389, near.get(0).getCoordinate().getLongitude(), 1e-5);
        assertEquals(List.of("cafe:2", "cafe:1"), jedis.geosearch("places", new GeoSearchParam().fromMember("cafe:2")
                .byBox(2, 2, GeoUnit.KM).count(2).asc()).stream().map(GeoRadiusResponse::getMemberByString).toList());
        assertEquals(166.2742, jedis.geodist("places", "cafe:1", "cafe:3", GeoUnit.KM), 1e-9);
        assertEquals(List.of("sqc8b49rny0"), jedis.geohash("places", "cafe:1"));
        assertNull(jedis.geopos("places", "nowhere").get(0));
        assertEquals(2, jedis.geosearchStore("nearby:cafe:1", "places",
                new GeoSearchParam().fromMember("cafe:1").byRadius(1, GeoUnit.KM)));
        assertEquals(2, jedis.zcard("nearby:cafe:1"));
        assertEquals(1, jedis.zrem("places", "cafe:4"), "a place closes: it is a sorted set member");
        assertEquals(2, jedis.geosearch("places", new GeoCoordinate(13.3615, 38.1156), 5, GeoUnit.KM).size());
    }

    @Test
    void presenceWithAScoreWindow() {
        long now = 1_700_000_000_000L;
        long window = 5 * 60 * 1000;
        jedis.zadd("users:online", now - 10 * 60 * 1000, "u1");
        jedis.zadd("users:online", now - 60 * 1000, "u2");
        jedis.zadd("users:online", now - 1000, "u3");
        assertEquals(0, jedis.zadd("users:online", now, "u2"), "a heartbeat updates the score");
        long cutoff = now - window;
        assertEquals(List.of("u3", "u2"), jedis.zrangeByScore("users:online", String.valueOf(cutoff), "+inf"));
        Double score = jedis.zscore("users:online", "u1");
        assertTrue(score != null && score <= cutoff, "u1 is known but not online");
        assertEquals(1, jedis.zremrangeByScore("users:online", 0, cutoff), "cleanup removes the stale user");
        assertEquals(2, jedis.zcard("users:online"));
        assertEquals(1, jedis.zrem("users:online", "u3"), "setOffline");
        assertEquals(List.of("u2"), jedis.zrange("users:online", 0, -1));
    }

    @Test
    void slidingWindowRateLimiter() {
        long now = 1_700_000_000_000L;
        long windowMs = 1000;
        int maxRequests = 3;
        String key = "ratelimit:client-1";
        List<Boolean> allowed = new ArrayList<>();
        // five requests 100 ms apart, then one after the window has slid past the first ones
        long[] times = {now, now + 100, now + 200, now + 300, now + 400, now + 1150};
        for (long t : times) {
            Transaction tx = jedis.multi();
            tx.zremrangeByScore(key, "-inf", String.valueOf(t - windowMs));
            Response<Long> count = tx.zcard(key);
            tx.exec();
            boolean ok = count.get() < maxRequests;
            if (ok) {
                jedis.zadd(key, t, t + ":" + allowed.size());
                jedis.pexpire(key, windowMs);
            }
            allowed.add(ok);
        }
        assertEquals(List.of(true, true, true, false, false, true), allowed);
        List<Tuple> oldest = jedis.zrangeWithScores(key, 0, 0);
        assertEquals((double) (now + 200), oldest.get(0).getScore(), "retry-after is computed from the oldest entry");
        assertEquals(2, jedis.zcard(key));
        long pttl = jedis.pttl(key);
        assertTrue(pttl > 0 && pttl <= windowMs, "pttl " + pttl);
    }

    @Test
    void tokenBucketInAHash() {
        String key = "token-bucket:10.0.0.1";
        assertTrue(jedis.hgetAll(key).isEmpty(), "a new client has no bucket");
        jedis.hset(key, Map.of("tokens", "10", "lastRefill", "1700000000000"));
        for (int i = 0; i < 3; i++) {
            jedis.hincrBy(key, "tokens", -1);
        }
        Map<String, String> bucket = jedis.hgetAll(key);
        assertEquals("7", bucket.get("tokens"));
        assertEquals("1700000000000", bucket.get("lastRefill"));
        jedis.hset(key, Map.of("tokens", "10", "lastRefill", "1700000005000"));
        assertEquals(1, jedis.expire(key, 60));
        assertEquals(Map.of("tokens", "10", "lastRefill", "1700000005000"), jedis.hgetAll(key));
        assertEquals(2, jedis.hlen(key));
    }

    @Test
    void activityFeedCappedWithLpushAndLtrim() {
        String feed = "room:7:messages";
        for (int i = 1; i <= 150; i++) {
            jedis.lpush(feed, "{\"n\":" + i + "}");
            assertEquals("OK", jedis.ltrim(feed, 0, 99));
        }
        assertEquals(100, jedis.llen(feed));
        assertEquals(List.of("{\"n\":150}", "{\"n\":149}", "{\"n\":148}"), jedis.lrange(feed, 0, 2), "newest first");
        assertEquals("{\"n\":51}", jedis.lindex(feed, -1), "the oldest kept message");
        assertEquals(List.of("{\"n\":52}", "{\"n\":51}"), jedis.lrange(feed, 98, 200));
    }

    // ------------------------------------------------------------------------------------------
    // Streams

    private static Map<String, StreamEntryID> undelivered(String stream) {
        return Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY);
    }

    /** Many producers append at once, some pipelining: no entry is lost, each producer's stay in order. */
    @Test
    void streamAuditTrailFromConcurrentProducers() throws Exception {
        int producers = 8;
        int events = 500;
        List<Future<?>> running = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            String name = "producer-" + p;
            boolean pipelined = p % 2 == 0;
            Jedis j = connect();
            running.add(workers.submit(() -> {
                Pipeline pipe = pipelined ? j.pipelined() : null;
                for (int i = 0; i < events; i++) {
                    Map<String, String> fields = Map.of("actor", name, "seq", Integer.toString(i), "action", "update");
                    if (pipe != null) {
                        pipe.xadd("audit", XAddParams.xAddParams(), fields);
                    } else {
                        j.xadd("audit", XAddParams.xAddParams(), fields);
                    }
                }
                if (pipe != null) {
                    pipe.sync();
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertEquals(producers * events, jedis.xlen("audit"));
        List<StreamEntry> all = jedis.xrange("audit", "-", "+");
        Map<String, Integer> next = new HashMap<>();
        StreamEntryID previous = null;
        for (StreamEntry e : all) {
            assertTrue(previous == null || e.getID().compareTo(previous) > 0, "IDs grow: " + previous + " " + e.getID());
            previous = e.getID();
            String actor = e.getFields().get("actor");
            int seq = Integer.parseInt(e.getFields().get("seq"));
            assertEquals(next.getOrDefault(actor, 0), seq, actor + " out of order");
            next.put(actor, seq + 1);
        }
        for (int p = 0; p < producers; p++) {
            assertEquals(events, next.get("producer-" + p));
        }
    }

    /**
     * Two groups each see every order; in one, a worker reads a batch and dies after a few acks,
     * and a survivor claims what it left pending with XAUTOCLAIM: every order is processed at
     * least once, nothing stays pending.
     */
    @Test
    void streamConsumerGroupsWithAtLeastOnceDeliveryAndClaims() throws Exception {
        jedis.xgroupCreate("orders", "billing", StreamEntryID.XGROUP_LAST_ENTRY, true);
        jedis.xgroupCreate("orders", "email", StreamEntryID.XGROUP_LAST_ENTRY, false);
        for (int i = 0; i < 20; i++) {
            jedis.xadd("orders", XAddParams.xAddParams(), Map.of("order", Integer.toString(i)));
        }
        Map<String, Integer> billed = new TreeMap<>();

        Jedis doomed = connect();
        List<StreamEntry> batch = doomed.xreadGroup("billing", "worker-1", XReadGroupParams.xReadGroupParams().count(10),
                undelivered("orders")).get(0).getValue();
        assertEquals(10, batch.size());
        for (StreamEntry e : batch.subList(0, 3)) {
            billed.merge(e.getFields().get("order"), 1, Integer::sum);
            doomed.xack("orders", "billing", e.getID());
        }
        doomed.close(); // dies with 7 entries pending

        Jedis survivor = connect();
        List<Map.Entry<String, List<StreamEntry>>> rest;
        while ((rest = survivor.xreadGroup("billing", "worker-2", XReadGroupParams.xReadGroupParams().count(4),
                undelivered("orders"))) != null) {
            for (StreamEntry e : rest.get(0).getValue()) {
                billed.merge(e.getFields().get("order"), 1, Integer::sum);
                survivor.xack("orders", "billing", e.getID());
            }
        }
        assertEquals(7, jedis.xpending("orders", "billing").getTotal());
        Thread.sleep(20);
        StreamEntryID cursor = new StreamEntryID(0, 0);
        do {
            Map.Entry<StreamEntryID, List<StreamEntry>> claimed = survivor.xautoclaim("orders", "billing", "worker-2", 10,
                    cursor, XAutoClaimParams.xAutoClaimParams().count(3));
            for (StreamEntry e : claimed.getValue()) {
                billed.merge(e.getFields().get("order"), 1, Integer::sum);
                survivor.xack("orders", "billing", e.getID());
            }
            cursor = claimed.getKey();
        } while (!cursor.equals(new StreamEntryID(0, 0)));
        assertEquals(20, billed.size());
        assertEquals(0, jedis.xpending("orders", "billing").getTotal());

        List<StreamEntry> emails = jedis.xreadGroup("email", "mailer", XReadGroupParams.xReadGroupParams(),
                undelivered("orders")).get(0).getValue();
        assertEquals(20, emails.size());
        for (StreamEntry e : emails) {
            jedis.xack("orders", "email", e.getID());
        }
        for (StreamGroupInfo g : jedis.xinfoGroups("orders")) {
            assertEquals(0, g.getPending(), g.getName());
            assertEquals(0L, g.getGroupInfo().get("lag"), g.getName());
            assertEquals(20L, g.getGroupInfo().get("entries-read"), g.getName());
        }
    }

    /** A consumer loops on XREADGROUP COUNT 10 BLOCK 2000 and acks; events arrive while it waits. */
    @Test
    void streamOfUserEventsReadWithBlockingReadGroup() throws Exception {
        try {
            jedis.xgroupCreate("user-events", "email-service", new StreamEntryID(0, 0), true);
        } catch (Exception groupAlreadyExists) {
            throw new AssertionError("a new stream has no groups", groupAlreadyExists);
        }
        Jedis consumerConnection = connect();
        Future<List<String>> consumer = workers.submit(() -> {
            List<String> seen = new ArrayList<>();
            while (seen.size() < 50) {
                List<Map.Entry<String, List<StreamEntry>>> results = consumerConnection.xreadGroup("email-service",
                        "consumer-1", XReadGroupParams.xReadGroupParams().count(10).block(2000), undelivered("user-events"));
                if (results == null) {
                    continue;
                }
                for (StreamEntry e : results.get(0).getValue()) {
                    seen.add(e.getFields().get("event"));
                    consumerConnection.xack("user-events", "email-service", e.getID());
                }
            }
            return seen;
        });
        awaitBlockedClients(1);
        for (int i = 0; i < 50; i++) {
            jedis.xadd("user-events", XAddParams.xAddParams(),
                    Map.of("userId", "u" + i, "event", "signup-" + i, "timestamp", Long.toString(System.currentTimeMillis())));
        }
        List<String> seen = consumer.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 50; i++) {
            assertEquals("signup-" + i, seen.get(i));
        }
        assertEquals(0, jedis.xpending("user-events", "email-service").getTotal());
    }
}
