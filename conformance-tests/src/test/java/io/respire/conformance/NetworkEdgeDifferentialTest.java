package io.respire.conformance;

import io.respire.server.RespireServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a refused connection receives, byte for byte against redis-server 7.0.15: protected mode
 * seen from this machine's non-loopback address (as Redis's networking.tcl does it), and maxclients.
 */
class NetworkEdgeDifferentialTest {
    /** Everything the server sends until it closes the connection. */
    private static byte[] untilClosed(String host, int port) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                in.transferTo(out);
            } catch (java.net.SocketException reset) {
                // closed with unread input: what was received is what counts
            }
            return out.toByteArray();
        }
    }

    private static String nonLoopbackAddress() throws IOException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nif.isUp() && !nif.isLoopback()) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        }
        return null;
    }

    @Test
    void protectedModeDeniesARemotePeerWithRedisBytes() throws Exception {
        String address = nonLoopbackAddress();
        Assumptions.assumeTrue(address != null, "this machine has no non-loopback IPv4 address to connect from");
        try (RedisServerProcess redis = RedisServerProcess.start(ExternalTools.redisServer(), List.of("--bind", "*"));
             RespireServer respire = RespireServer.start("--port", "0", "--bind", "*")) {
            byte[] expected = untilClosed(address, redis.port());
            assertTrue(new String(expected, StandardCharsets.US_ASCII).startsWith("-DENIED"), "redis: " + new String(expected));
            assertArrayEquals(expected, untilClosed(address, respire.port()));
        }
    }

    @Test
    void maxclientsRefusesWithRedisBytes() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(ExternalTools.redisServer(), List.of("--maxclients", "1"));
             RespireServer respire = RespireServer.start("--port", "0", "--bind", "127.0.0.1", "--maxclients", "1");
             Socket first = new Socket("127.0.0.1", redis.port());
             Socket firstRespire = new Socket("127.0.0.1", respire.port())) {
            Thread.sleep(200); // both first clients are registered before the second connects
            byte[] expected = untilClosed("127.0.0.1", redis.port());
            assertArrayEquals("-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII), expected);
            assertArrayEquals(expected, untilClosed("127.0.0.1", respire.port()));
        }
    }
}
