package io.respire.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.respire.server.config.ServerConfig;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The server side of TLS, as Redis's tls.c configures OpenSSL, built on the JDK's TLS through
 * Netty's {@link SslHandler}: the certificate and key (tls-cert-file, tls-key-file, PKCS#8 or
 * PKCS#1 PEM, encrypted with tls-key-file-pass), the CAs that client certificates must chain to
 * (tls-ca-cert-file, tls-ca-cert-dir), the protocols and ciphers, the session cache. Each accepted
 * connection gets an engine with the tls-auth-clients and tls-prefer-server-ciphers in force then
 * (Redis reads tls-auth-clients at accept time too).
 *
 * <p>What the JDK cannot do is refused, never ignored: OpenSSL cipher-list keywords ("HIGH",
 * "!aNULL") in tls-ciphers, DH parameter files, turning the session cache off.
 */
public final class TlsContext {
    private static final List<String> PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private final SslContext context;
    private final ServerConfig config;

    private TlsContext(SslContext context, ServerConfig config) {
        this.context = context;
        this.config = config;
    }

    /**
     * Builds the context from the configuration.
     *
     * @throws TlsConfigException with the reason, worded as Redis logs it
     */
    public static TlsContext build(ServerConfig config) {
        if (!config.tlsCertFile.isSet()) {
            throw new TlsConfigException("No tls-cert-file configured!");
        }
        if (!config.tlsKeyFile.isSet()) {
            throw new TlsConfigException("No tls-key-file configured!");
        }
        if (!config.tlsCaCertFile.isSet() && !config.tlsCaCertDir.isSet()) {
            throw new TlsConfigException("Either tls-ca-cert-file or tls-ca-cert-dir must be specified");
        }
        Path certFile = config.dir.resolve(config.tlsCertFile.value());
        Path keyFile = config.dir.resolve(config.tlsKeyFile.value());
        List<X509Certificate> chain = certificates(certFile, "Failed to load certificate: ");
        java.security.PrivateKey key = PemKeys.read(keyFile, config.tlsKeyFilePass.value());
        List<X509Certificate> trusted = new ArrayList<>();
        if (config.tlsCaCertFile.isSet()) {
            trusted.addAll(certificates(config.dir.resolve(config.tlsCaCertFile.value()), "Failed to configure CA certificate(s) file/directory: "));
        }
        if (config.tlsCaCertDir.isSet()) {
            trusted.addAll(directoryCertificates(config.dir.resolve(config.tlsCaCertDir.value())));
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                    .sslProvider(SslProvider.JDK)
                    .trustManager(trusted.toArray(new X509Certificate[0]))
                    .clientAuth(ClientAuth.OPTIONAL) // narrowed per connection (tls-auth-clients)
                    .protocols(protocols(config.tlsProtocols.value()))
                    .sessionCacheSize(config.tlsSessionCacheSize.value())
                    .sessionTimeout(config.tlsSessionCacheTimeout.value());
            List<String> ciphers = ciphers(config.tlsCiphers.value(), config.tlsCiphersuites.value());
            if (!ciphers.isEmpty()) {
                builder.ciphers(ciphers);
            }
            return new TlsContext(builder.build(), config);
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            throw new TlsConfigException("Failed to configure TLS: " + e.getMessage());
        }
    }

    /** A handler for one accepted connection, with the client authentication asked now. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SSLEngine engine = context.newEngine(alloc);
        SSLParameters params = engine.getSSLParameters();
        switch (config.tlsAuthClients.value()) {
            case "no" -> params.setWantClientAuth(false);
            case "optional" -> params.setWantClientAuth(true);
            default -> params.setNeedClientAuth(true);
        }
        params.setUseCipherSuitesOrder(config.tlsPreferServerCiphers.value());
        engine.setSSLParameters(params);
        return new SslHandler(engine);
    }

    /**
     * Redis's parseProtocolsConfig: words among TLSv1, TLSv1.1, TLSv1.2, TLSv1.3 in any case; by
     * default TLSv1.2 and TLSv1.3.
     */
    static String[] protocols(String value) {
        if (value == null || value.isBlank()) {
            return new String[] {"TLSv1.2", "TLSv1.3"};
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (String word : value.trim().split("\\s+")) {
            String match = null;
            for (String p : PROTOCOLS) {
                if (p.equalsIgnoreCase(word)) {
                    match = p;
                }
            }
            if (match == null) {
                throw new TlsConfigException("Invalid tls-protocols specified. Use a combination of 'TLSv1', "
                        + "'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.");
            }
            chosen.add(match);
        }
        return chosen.toArray(new String[0]);
    }

    /**
     * tls-ciphers (TLSv1.2 and older, an OpenSSL cipher list) and tls-ciphersuites (TLSv1.3) as the
     * JDK names them; an empty list leaves the JDK's defaults. Only explicit cipher names are
     * understood: OpenSSL's keywords and exclusions select by rules the JDK does not have.
     */
    static List<String> ciphers(String ciphers, String suites) {
        List<String> out = new ArrayList<>();
        if (ciphers != null && !ciphers.isBlank()) {
            for (String name : ciphers.split("[:, ]+")) {
                if (name.isEmpty()) {
                    continue;
                }
                String java = name.startsWith("TLS_") || name.startsWith("SSL_") ? name : CipherSuiteConverter.toJava(name, "TLS");
                if (java == null) {
                    throw new TlsConfigException("Failed to configure ciphers: '" + name + "' is not a cipher name "
                            + "Respire can map to the JDK's (OpenSSL cipher-list keywords and exclusions are not supported)");
                }
                out.add(java);
            }
        }
        if (suites != null && !suites.isBlank()) {
            for (String name : suites.split("[:, ]+")) {
                if (!name.isEmpty()) {
                    out.add(name); // TLSv1.3 suites have the same names in OpenSSL and the JDK
                }
            }
        }
        return out;
    }

    private static List<X509Certificate> certificates(Path file, String error) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            List<X509Certificate> out = new ArrayList<>();
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new TlsConfigException(error + file + ": no certificate found");
            }
            return out;
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigException(error + file + ": " + e.getMessage());
        }
    }

    /** Every file of the directory that holds certificates (OpenSSL's CApath needs hashed links; any name is read here). */
    private static List<X509Certificate> directoryCertificates(Path dir) {
        List<X509Certificate> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    try {
                        out.addAll(certificates(f, ""));
                    } catch (TlsConfigException e) {
                        // not a certificate file (a key, a README): OpenSSL would not look at it either
                    }
                }
            }
        } catch (IOException e) {
            throw new TlsConfigException("Failed to configure CA certificate(s) file/directory: " + dir + ": " + e.getMessage());
        }
        return out;
    }
}
