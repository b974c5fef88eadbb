package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messaging as applications use it through Jedis's pub/sub layer (JedisPubSub on its own
 * connection and thread): a chat room broadcast to many members, "key expired" notifications
 * driving a job, and two application instances keeping their local caches coherent over a
 * channel. A fresh embedded Respire per test; no real Redis needed.
 */
class MessagingScenarioTest {
    private RespireServer server;
    private final List<Thread> threads = new ArrayList<>();
    private final List<JedisPubSub> listeners = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        server = RespireServer.start("--port", "0");
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (JedisPubSub l : listeners) {
            if (l.isSubscribed()) {
                l.punsubscribe();
                l.unsubscribe();
            }
        }
        for (Thread t : threads) {
            t.join(5000);
        }
        server.close();
    }

    private Jedis connect() {
        return new Jedis("127.0.0.1", server.port());
    }

    /** Runs a listener on its own connection and thread, subscribed to channels or patterns, until it unsubscribes. */
    private void listen(JedisPubSub listener, boolean patterns, String... names) throws InterruptedException {
        listeners.add(listener);
        Thread t = new Thread(() -> {
            try (Jedis j = connect()) {
                if (patterns) {
                    j.psubscribe(listener, names);
                } else {
                    j.subscribe(listener, names);
                }
            }
        });
        threads.add(t);
        t.start();
        long deadline = System.currentTimeMillis() + 5000;
        while (!listener.isSubscribed() || listener.getSubscribedChannels() < names.length) {
            assertTrue(System.currentTimeMillis() < deadline, "the listener did not subscribe");
            Thread.sleep(2);
        }
    }

    @Test
    void chatRoomBroadcastsToEveryMemberInOrder() throws Exception {
        int members = 20;
        int messages = 200;
        List<BlockingQueue<String>> inboxes = new ArrayList<>();
        try (Jedis jedis = connect()) {
            for (int m = 0; m < members; m++) {
                BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
                inboxes.add(inbox);
                jedis.sadd("room:lobby:members", "user" + m);
                listen(new JedisPubSub() {
                    @Override
                    public void onMessage(String channel, String message) {
                        inbox.add(message);
                    }
                }, false, "room:lobby");
            }
            for (int i = 0; i < messages; i++) {
                String line = "user" + (i % members) + ": hello " + i;
                jedis.lpush("room:lobby:history", line);
                jedis.ltrim("room:lobby:history", 0, 49); // capped history: the last 50 lines
                assertEquals(members, jedis.publish("room:lobby", line));
            }
            assertEquals(members, jedis.scard("room:lobby:members"));
            assertEquals(50, jedis.llen("room:lobby:history"));
            assertEquals("user19: hello 199", jedis.lindex("room:lobby:history", 0));
            assertEquals(Map.of("room:lobby", (long) members), jedis.pubsubNumSub("room:lobby"));
        }
        for (BlockingQueue<String> inbox : inboxes) {
            for (int i = 0; i < messages; i++) {
                assertEquals("user" + (i % members) + ": hello " + i, inbox.poll(5, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void expiredKeyNotificationsDriveAJob() throws Exception {
        BlockingQueue<String> expired = new LinkedBlockingQueue<>();
        try (Jedis jedis = connect()) {
            jedis.configSet("notify-keyspace-events", "Ex");
            listen(new JedisPubSub() {
                @Override
                public void onPMessage(String pattern, String channel, String key) {
                    expired.add(key);
                }
            }, true, "__keyevent@0__:expired");
            jedis.psetex("reminder:42", 30, "call the customer");
            jedis.set("reminder:43", "no expiry");
            String key = expired.poll(5, TimeUnit.SECONDS); // the background expiry cycle finds it
            assertEquals("reminder:42", key);
            jedis.rpush("jobs:done", key); // the job the notification triggers
            assertEquals(List.of("reminder:42"), jedis.lrange("jobs:done", 0, -1));
            assertNull(expired.poll(200, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void twoInstancesKeepTheirLocalCachesCoherentOverAChannel() throws Exception {
        Map<String, String> cacheA = new ConcurrentHashMap<>();
        Map<String, String> cacheB = new ConcurrentHashMap<>();
        BlockingQueue<String> seenByB = new LinkedBlockingQueue<>();
        listen(new JedisPubSub() {
            @Override
            public void onMessage(String channel, String key) {
                cacheA.remove(key);
            }
        }, false, "cache:invalidate");
        listen(new JedisPubSub() {
            @Override
            public void onMessage(String channel, String key) {
                cacheB.remove(key);
                seenByB.add(key);
            }
        }, false, "cache:invalidate");
        try (Jedis a = connect(); Jedis b = connect()) {
            a.set("user:1", "Ada");
            cacheA.put("user:1", a.get("user:1"));
            cacheB.put("user:1", b.get("user:1"));
            // Instance A writes, then tells every instance to forget its copy.
            a.set("user:1", "Ada Lovelace");
            assertEquals(2, a.publish("cache:invalidate", "user:1"));
            assertEquals("user:1", seenByB.poll(5, TimeUnit.SECONDS));
            assertNull(cacheB.get("user:1"));
            cacheB.put("user:1", b.get("user:1"));
            assertEquals("Ada Lovelace", cacheB.get("user:1"));
        }
    }
}
