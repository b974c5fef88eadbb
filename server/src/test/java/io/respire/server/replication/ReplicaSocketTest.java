package io.respire.server.replication;

import io.netty.channel.ChannelOption;
import io.respire.server.InfoFields;
import io.respire.server.LocalServer;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** repl-disable-tcp-nodelay: a replica's socket loses TCP_NODELAY at its full sync, as in Redis's syncCommand. */
class ReplicaSocketTest {
    @TempDir
    Path dir1;
    @TempDir
    Path dir2;

    private boolean replicaNoDelay(String disable) throws Exception {
        try (RespireServer primary = LocalServer.start(dir1,
                "--repl-disable-tcp-nodelay", disable, "--repl-diskless-sync-delay", "0");
             RespireServer replica = LocalServer.start(dir2);
             RespTestClient r = new RespTestClient(replica.port())) {
            InfoFields.replicate(r, primary.port());
            return primary.context().executor().submit(() -> primary.context().replication().replicas().get(0)
                    .client().channel().config().getOption(ChannelOption.TCP_NODELAY)).get();
        }
    }

    @Test
    void onByDefault() throws Exception {
        assertEquals(true, replicaNoDelay("no"));
    }

    @Test
    void offWithReplDisableTcpNodelay() throws Exception {
        assertEquals(false, replicaNoDelay("yes"));
    }
}
