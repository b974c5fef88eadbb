package io.respire.server.replication;

import io.netty.channel.ChannelOption;
import io.respire.server.InfoFields;
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
        try (RespireServer primary = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--dir", dir1.toString(),
                "--repl-disable-tcp-nodelay", disable, "--repl-diskless-sync-delay", "0");
             RespireServer replica = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--dir", dir2.toString());
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
