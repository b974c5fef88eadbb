package io.respire.server.tls;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;

/**
 * Certificates made for one test run with the machine's openssl, in a temporary directory, never
 * committed: a CA, a server certificate for 127.0.0.1/localhost signed by it (its key as PKCS#8,
 * as PKCS#1 and as encrypted PKCS#8 with the password "secret"), and a client certificate. Without
 * openssl the tests are skipped, except on CI (CI=true), where they fail.
 */
public final class TestCertificates {
    public final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public Path ca() {
        return dir.resolve("ca.crt");
    }

    public Path serverCert() {
        return dir.resolve("server.crt");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    public Path serverKeyPkcs1() {
        return dir.resolve("server-pkcs1.key");
    }

    public Path serverKeyEncrypted() {
        return dir.resolve("server-enc.key");
    }

    public Path clientCert() {
        return dir.resolve("client.crt");
    }

    public Path clientKey() {
        return dir.resolve("client.key");
    }

    public static TestCertificates make(Path dir) throws IOException, InterruptedException {
        if (!opensslAvailable()) {
            String message = "openssl is not installed: the TLS tests cannot make certificates";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run(dir, "openssl", "req", "-x509", "-new", "-nodes", "-newkey", "rsa:2048", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "2", "-subj", "/CN=Respire Test CA");
        for (String name : List.of("server", "client")) {
            run(dir, "openssl", "req", "-new", "-nodes", "-newkey", "rsa:2048", "-keyout", name + ".key", "-out",
                    name + ".csr", "-subj", "/CN=" + (name.equals("server") ? "localhost" : "respire-client"));
            run(dir, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", "san.ext");
        }
        run(dir, "openssl", "rsa", "-in", "server.key", "-traditional", "-out", "server-pkcs1.key");
        run(dir, "openssl", "pkcs8", "-topk8", "-in", "server.key", "-out", "server-enc.key", "-passout", "pass:secret");
        return new TestCertificates(dir);
    }

    private static boolean opensslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    /** A client context trusting the CA, presenting the client certificate when {@code withCertificate}. */
    public SSLContext clientContext(boolean withCertificate, String... protocols) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate(ca()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withCertificate) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", PemKeys.read(clientKey(), null), new char[0],
                    new Certificate[] {certificate(clientCert())});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        SSLContext context = SSLContext.getInstance(protocols.length == 0 ? "TLS" : protocols[0]);
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static Certificate certificate(Path file) throws Exception {
        try (var in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
