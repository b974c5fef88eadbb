package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamGroupInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream patterns of the seed documents, written as a Jedis user would: an audit trail fed by
 * concurrent producers, consumer groups with at-least-once delivery where a consumer that dies
 * leaves pending entries another claims with XAUTOCLAIM, and a user-event stream read with
 * XREADGROUP BLOCK. Each test checks what the application relies on. Needs no real Redis: a fresh
 * embedded Respire per test.
 */
class StreamPatternsScenarioTest {
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

    private Jedis connect() {
        Jedis j = new Jedis("127.0.0.1", server.port());
        others.add(j);
        return j;
    }

    private static Map<String, StreamEntryID> undelivered(String stream) {
        return Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY);
    }

    /** Many producers append at once, some pipelining: no entry is lost, each producer's stay in order. */
    @Test
    void auditTrailFromConcurrentProducers() throws Exception {
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
    void consumerGroupsWithAtLeastOnceDeliveryAndClaims() throws Exception {
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
    void userEventsReadWithBlockingReadGroup() throws Exception {
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!jedis.info("clients").contains("blocked_clients:1\r\n")) {
            assertTrue(System.nanoTime() < deadline, "the consumer never blocked");
            Thread.sleep(5);
        }
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
