package io.respire.server.tls;

import io.respire.server.LocalServer;
import io.respire.server.RespireServer;
import io.respire.server.StartupException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on tls-port through Netty's SslHandler and the JDK: the certificate and key forms Redis users
 * have, client certificates as tls-auth-clients asks, protocols and ciphers, the settings changed
 * by CONFIG SET, and what is refused rather than ignored. The certificates are made at test time
 * ({@link TestCertificates}).
 */
class TlsTest {
    @TempDir
    static Path certDir;
    private static TestCertificates certs;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.make(certDir);
    }

    private RespireServer start(int tlsPort, String... extra) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--logfile", "server.log", "--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", certs.serverCert().toString(), "--tls-key-file", certs.serverKey().toString(),
                "--tls-ca-cert-file", certs.ca().toString()));
        args.addAll(List.of(extra));
        return RespireServer.start(args.toArray(new String[0]));
    }

    /** Sends inline commands over TLS and returns the first line of each reply. */
    private static List<String> call(SSLContext context, int port, String... commands) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> replies = new ArrayList<>();
            for (String command : commands) {
                socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                String line = in.readLine();
                if (line == null) {
                    throw new IOException("closed by the server");
                }
                replies.add(line);
            }
            return replies;
        }
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("server.log"));
    }

    @Test
    void servesRespOverTlsWithClientCertificatesAsTlsAuthClientsAsks() throws Exception {
        int port = io.respire.server.RespTestClient.freePort();
        try (RespireServer server = start(port)) {
            // tls-auth-clients yes, the default: a client without a certificate is refused
            assertThrows(IOException.class, () -> call(certs.clientContext(false), port, "PING"));
            assertEquals(List.of("+OK", ":1", "+PONG"), call(certs.clientContext(true), port, "SET k v", "EXISTS k", "PING"));
            try (var plain = new io.respire.server.RespTestClient(server.port())) {
                assertEquals("v", plain.call("GET", "k"), "the plain port serves the same data");
                assertEquals("OK", plain.call("CONFIG", "SET", "tls-auth-clients", "optional"));
                assertEquals(List.of("+PONG"), call(certs.clientContext(false), port, "PING"));
                assertEquals(List.of("+PONG"), call(certs.clientContext(true), port, "PING"));
                assertEquals("OK", plain.call("CONFIG", "SET", "tls-auth-clients", "no"));
                assertEquals(List.of("+PONG"), call(certs.clientContext(false), port, "PING"));
            }
        }
    }

    @Test
    void pkcs1AndEncryptedPkcs8KeysAreRead() throws Exception {
        int port = io.respire.server.RespTestClient.freePort();
        try (RespireServer server = start(port, "--tls-key-file", certs.serverKeyPkcs1().toString(),
                "--tls-auth-clients", "no")) {
            assertEquals(List.of("+PONG"), call(certs.clientContext(false), port, "PING"));
        }
        try (RespireServer server = start(port, "--tls-key-file", certs.serverKeyEncrypted().toString(),
                "--tls-key-file-pass", "secret", "--tls-auth-clients", "no")) {
            assertEquals(List.of("+PONG"), call(certs.clientContext(false), port, "PING"));
        }
        StartupException e = assertThrows(StartupException.class, () -> start(port, "--tls-key-file",
                certs.serverKeyEncrypted().toString(), "--tls-key-file-pass", "wrong"));
        assertTrue(e.getMessage().contains("Failed to load private key: " + certs.serverKeyEncrypted()), e.getMessage());
        assertTrue(log().contains("Failed to configure TLS. Check logs for more info."), log());
    }

    @Test
    void protocolsAndCiphersAreThoseConfigured() throws Exception {
        int port = io.respire.server.RespTestClient.freePort();
        try (RespireServer server = start(port, "--tls-protocols", "tlsv1.3", "--tls-auth-clients", "no")) {
            assertThrows(IOException.class, () -> call(certs.clientContext(false, "TLSv1.2"), port, "PING"));
            assertEquals(List.of("+PONG"), call(certs.clientContext(false, "TLSv1.3"), port, "PING"));
        }
        try (RespireServer server = start(port, "--tls-protocols", "TLSv1.2", "--tls-auth-clients", "no",
                "--tls-ciphers", "ECDHE-RSA-AES128-GCM-SHA256")) {
            SSLContext client = certs.clientContext(false, "TLSv1.2");
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.startHandshake();
                assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", socket.getSession().getCipherSuite());
            }
        }
        StartupException e = assertThrows(StartupException.class, () -> start(port, "--tls-protocols", "TLSv1.4"));
        assertTrue(e.getMessage().contains("Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', "
                + "'TLSv1.2' and 'TLSv1.3'."), e.getMessage());
        e = assertThrows(StartupException.class, () -> start(port, "--tls-ciphers", "HIGH:!aNULL"));
        assertTrue(e.getMessage().contains("'HIGH' is not a cipher name"), e.getMessage());
    }

    @Test
    void configSetMovesTheTlsPortAndRebuildsTheContext() throws Exception {
        try (RespireServer server = LocalServer.start(dir,
                "--logfile", "server.log");
             var plain = new io.respire.server.RespTestClient(server.port())) {
            int port = io.respire.server.RespTestClient.freePort();
            assertEquals("(error) ERR CONFIG SET failed (possibly related to argument 'tls-port') - Unable to update TLS "
                    + "configuration. Check server logs.", plain.call("CONFIG", "SET", "tls-port", port));
            assertTrue(log().contains("No tls-cert-file configured!"), log());
            assertEquals("OK", plain.call("CONFIG", "SET", "tls-cert-file", certs.serverCert().toString(),
                    "tls-key-file", certs.serverKey().toString(), "tls-ca-cert-dir", certDir.toString(),
                    "tls-auth-clients", "no", "tls-port", Integer.toString(port)));
            assertEquals(List.of("+PONG"), call(certs.clientContext(false), port, "PING"));
            assertEquals("(error) ERR CONFIG SET failed (possibly related to argument 'tls-key-file') - Unable to update "
                    + "TLS configuration. Check server logs.", plain.call("CONFIG", "SET", "tls-key-file", "/nonexistent"));
            assertEquals(List.of("+PONG"), call(certs.clientContext(false), port, "PING"), "the old context stays");
            assertEquals("OK", plain.call("CONFIG", "SET", "tls-port", "0"));
            assertThrows(IOException.class, () -> call(certs.clientContext(false), port, "PING"));
        }
    }

    @Test
    void whatTheJdkCannotDoIsRefused() throws Exception {
        try (RespireServer server = RespireServer.start("--port", "0", "--bind", "127.0.0.1");
             var plain = new io.respire.server.RespTestClient(server.port())) {
            assertTrue(plain.call("CONFIG", "SET", "tls-session-caching", "no").contains("cannot disable its session cache"));
            assertTrue(plain.call("CONFIG", "SET", "tls-dh-params-file", "dh.pem").contains("cannot load DH parameters"));
            assertTrue(plain.call("CONFIG", "SET", "tls-replication", "yes").contains("over TLS yet"));
            assertTrue(plain.call("CONFIG", "SET", "tls-cluster", "yes").contains("no cluster support"));
            assertEquals("[tls-session-caching, yes]", plain.call("CONFIG", "GET", "tls-session-caching"));
        }
    }
    @Test
    void jedisOverTls() throws Exception {
        int port = io.respire.server.RespTestClient.freePort();
        try (RespireServer server = start(port);
             redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis(new redis.clients.jedis.HostAndPort("127.0.0.1", port),
                     redis.clients.jedis.DefaultJedisClientConfig.builder().ssl(true)
                             .sslSocketFactory(certs.clientContext(true).getSocketFactory()).build())) {
            assertEquals("OK", jedis.set("k", "v".repeat(100_000)));
            assertEquals(100_000, jedis.strlen("k"));
            assertEquals("v".repeat(100_000), jedis.get("k"), "a reply of many TLS records");
            assertEquals(java.util.Arrays.asList("v".repeat(100_000), null), jedis.mget("k", "missing"));
        }
    }

    /** redis-cli's own TLS (OpenSSL) against Respire's (the JDK's): with and without a client certificate. */
    @Test
    void redisCliWithTls() throws Exception {
        String cli = System.getenv().getOrDefault("REDIS_CLI", "redis-cli");
        try {
            new ProcessBuilder(cli, "--version").start().waitFor();
        } catch (IOException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw e;
            }
            org.junit.jupiter.api.Assumptions.abort("redis-cli is not installed");
        }
        int port = io.respire.server.RespTestClient.freePort();
        try (RespireServer server = start(port)) {
            assertEquals("PONG", runCli(cli, "--tls", "--cacert", certs.ca().toString(), "--cert",
                    certs.clientCert().toString(), "--key", certs.clientKey().toString(), "-p", Integer.toString(port), "PING"));
            assertEquals("OK", runCli(cli, "--tls", "--cacert", certs.ca().toString(), "--cert",
                    certs.clientCert().toString(), "--key", certs.clientKey().toString(), "-p", Integer.toString(port),
                    "SET", "k", "v"));
            // tls-auth-clients yes: without a certificate the server closes the connection
            String refused = runCli(cli, "--tls", "--cacert", certs.ca().toString(), "-p", Integer.toString(port), "PING");
            assertTrue(refused.contains("Server closed the connection") || refused.contains("Connection reset"), refused);
            try (var plain = new io.respire.server.RespTestClient(server.port())) {
                assertEquals("OK", plain.call("CONFIG", "SET", "tls-auth-clients", "optional"));
            }
            assertEquals("v", runCli(cli, "--tls", "--cacert", certs.ca().toString(), "-p", Integer.toString(port), "GET", "k"));
        }
    }

    private static String runCli(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }
}
