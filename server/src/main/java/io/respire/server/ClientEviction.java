package io.respire.server;

import io.respire.server.commands.ClientInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Redis's client eviction (maxmemory-clients): when the buffers of the normal and pub/sub clients
 * together reach the limit, the clients holding the most are closed, biggest first, until they are
 * under it. Clients that said CLIENT NO-EVICT ON, replicas and the primary's link are never
 * evicted (Redis's clientEvictionAllowed). A client's figure is its share of used_memory (query
 * buffer, unsent replies, the reply being built), kept current by {@link ServerContext#accountClient}.
 */
final class ClientEviction {
    /** Redis's floor: a smaller limit would cut every client off, the one that could raise it too. */
    private static final long MIN_LIMIT = 128 * 1024;

    private ClientEviction() {
    }

    /**
     * Redis's getClientEvictionLimit: maxmemory-clients in bytes, or (negative) a percentage of
     * maxmemory; 0 when eviction is off (0, or a percentage without maxmemory).
     */
    static long limit(ServerContext server) {
        long setting = server.config().maxmemoryClients.value();
        long maxmemory = server.config().maxmemory.value();
        long bytes;
        if (setting < 0 && maxmemory > 0) {
            bytes = (long) ((double) maxmemory * -setting / 100);
        } else if (setting > 0) {
            bytes = setting;
        } else {
            return 0;
        }
        return Math.max(bytes, MIN_LIMIT);
    }

    /**
     * Redis's evictClients. O(1) while every client's buffers together (an upper bound of the
     * normal and pub/sub ones) are under the limit, O(clients log clients) past it.
     */
    static void evictIfOver(ServerContext server) {
        long limit = limit(server);
        if (limit == 0 || server.clientsMemory() < limit) {
            return;
        }
        long counted = 0;
        List<Client> candidates = new ArrayList<>();
        for (Client c : server.clients()) {
            String type = c.type();
            if (type.equals("normal") || type.equals("pubsub")) {
                counted += c.accountedBytes();
                if (!c.noEvict()) {
                    candidates.add(c);
                }
            }
        }
        candidates.sort(Comparator.comparingLong(Client::accountedBytes).reversed());
        for (int i = 0; counted >= limit; i++) {
            if (i == candidates.size()) {
                server.log().warning("Over client maxmemory after evicting all evictable clients");
                return;
            }
            Client c = candidates.get(i);
            counted -= c.accountedBytes();
            server.log().notice("Evicting client: " + ClientInfo.line(c, null));
            c.close();
            server.stats().evictedClients++;
        }
    }
}
