package io.respire.server.replication;

import io.respire.ds.keyspace.Database;
import io.respire.server.ServerContext;
import io.respire.server.keyspace.KeyEvent;
import io.respire.server.keyspace.KeyspaceListener;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Keys that clients of a writable replica gave a time to live (Redis's slaveKeysWithExpire): the
 * primary will never delete them, so the replica does, from the cron, in place of the active
 * expiry cycle it does not run (Redis's expireSlaveKeys). A listener of the write gate: an
 * "expire" event on a replica, caused by anyone but the master client, records the key.
 */
final class WritableReplicaKeys implements KeyspaceListener {
    private final ServerContext server;
    private final MasterLink link;
    /** Database index and key. */
    private record Key(int db, ByteBuffer key) {
    }

    private final Set<Key> keys = new HashSet<>();

    WritableReplicaKeys(ServerContext server, MasterLink link) {
        this.server = server;
        this.link = link;
    }

    @Override
    public void keyNotified(Database db, byte[] key, KeyEvent event) {
        if (event.name().equals("expire") && link.active() && !link.isMaster(server.currentClient())) {
            keys.add(new Key(db.id(), ByteBuffer.wrap(key.clone())));
        }
    }

    /** Removes the recorded keys whose time has come; forgets those without a TTL any more. */
    void expire() {
        if (!link.active()) {
            keys.clear();
            return;
        }
        long now = server.nowMs();
        for (Iterator<Key> it = keys.iterator(); it.hasNext(); ) {
            Key k = it.next();
            Database db = server.database(k.db());
            byte[] key = k.key().array();
            long at = db.expireAt(key);
            if (at == -1) {
                it.remove();
            } else if (at <= now) {
                it.remove();
                db.lookupEntry(key, now); // removes it as expired: counted, notified
            }
        }
        server.propagation().flush(true);
    }
}
