package io.respire.server.tls;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Private keys from PEM files as Redis users have them: PKCS#8 ("BEGIN PRIVATE KEY", or "BEGIN
 * ENCRYPTED PRIVATE KEY" with tls-key-file-pass) and the older PKCS#1 RSA form ("BEGIN RSA PRIVATE
 * KEY", what {@code openssl genrsa} wrote before OpenSSL 3), which is wrapped into PKCS#8 here since
 * the JDK reads only that. Encrypted PKCS#1 and SEC1 EC keys are refused with the command that
 * converts them.
 */
final class PemKeys {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);
    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemKeys() {
    }

    static PrivateKey read(Path file, String password) {
        String error = "Failed to load private key: " + file + ": ";
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new TlsConfigException(error + e.getMessage());
        }
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            String body = m.group(2);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            try {
                return switch (type) {
                    case "PRIVATE KEY" -> pkcs8(base64(body));
                    case "ENCRYPTED PRIVATE KEY" -> encrypted(base64(body), password, error);
                    case "RSA PRIVATE KEY" -> {
                        if (body.contains("Proc-Type:")) {
                            throw new TlsConfigException(error + "an encrypted PKCS#1 key is not supported; convert it "
                                    + "with: openssl pkcs8 -topk8 -in " + file + " -out key.pk8.pem");
                        }
                        yield pkcs8(wrapRsa(base64(body)));
                    }
                    default -> throw new TlsConfigException(error + "'" + type + "' keys are not supported; convert "
                            + "to PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pk8.pem");
                };
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new TlsConfigException(error + e.getMessage());
            }
        }
        throw new TlsConfigException(error + "no PEM private key found");
    }

    private static byte[] base64(String body) {
        return Base64.getMimeDecoder().decode(body.trim());
    }

    /** A PKCS#8 key of whichever algorithm it is. */
    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    private static PrivateKey encrypted(byte[] der, String password, String error) throws GeneralSecurityException {
        if (password == null) {
            throw new TlsConfigException(error + "the key is encrypted and no tls-key-file-pass is set");
        }
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            String algorithm = info.getAlgName();
            if (algorithm.equals("PBES2") || algorithm.equals("1.2.840.113549.1.5.13")) {
                algorithm = info.getAlgParameters().toString(); // "PBEWithHmacSHA256AndAES_256", what openssl 3 writes
            }
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password.toCharArray())),
                    info.getAlgParameters());
            return pkcs8(info.getKeySpec(cipher).getEncoded());
        } catch (IOException e) {
            throw new TlsConfigException(error + e.getMessage());
        }
    }

    /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }. */
    static byte[] wrapRsa(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        writeLength(body, pkcs1.length);
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write((length >> 8) & 0xff);
            out.write(length & 0xff);
        }
    }
}
